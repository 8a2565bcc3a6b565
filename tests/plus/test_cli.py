"""The Plus command lines: ``wallet consent grant|list|show|revoke``, ``verifier fetch``,
``issuer plus register|grant``, against the real server on loopback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from issuer.conftest import blauwe_knop
from issuer.support import make_offer
from typer.testing import CliRunner, Result

from vc_verifier.cli import app as verifier_app
from wallet_sdk import Argon2Params
from wallet_sdk.cli import CliSettings
from wallet_sdk.cli import app as wallet_app

from .conftest import LANDLORD, PURPOSE, TRUSTED, PlusServer
from .support import TAX

CHEAP_KDF = Argon2Params(iterations=1, lanes=1, memory_cost=8)
PASSPHRASE = {"BLAUWE_KNOP_WALLET_PASSPHRASE": "wallet pw"}


def test_consent_by_command_line(plus_server: PlusServer, tmp_path: Path) -> None:
    http = plus_server.client()
    settings = CliSettings(http_factory=lambda: http, kdf=CHEAP_KDF, clock=plus_server.clock)

    def wallet(*args: str) -> Result:
        return CliRunner().invoke(
            wallet_app, ["--wallet", str(tmp_path / "w"), *args], obj=settings, env=PASSPHRASE
        )

    def landlord(*args: str) -> Result:
        return CliRunner().invoke(verifier_app, list(args), obj=lambda: http)

    trust = [
        a for did in plus_server.issuer.settings.issuer_dids().values() for a in ("--trust", did)
    ]
    assert wallet("init", *trust).exit_code == 0
    offer = make_offer(http, "belastingdienst")
    received = wallet("receive", offer["offer_uri"], "--tx-code", offer["tx_code"], "--yes")
    assert received.exit_code == 0, received.output

    grant_file = tmp_path / "grant.json"
    granted = wallet(
        "consent", "grant", "--source", TAX, "--recipient", LANDLORD, "--purpose", PURPOSE,
        "--share", f"{TAX}=belastingjaar,verzamelinkomen", "--once", "--out", str(grant_file),
        "--yes",
    )  # fmt: skip
    assert granted.exit_code == 0, granted.output
    (listed,) = json.loads(wallet("consent", "list", "--json").output)
    assert (listed["status"], listed["max_uses"], listed["recipient"]) == ("active", 1, LANDLORD)
    grant_id = listed["id"]

    key_file, trusted_file = tmp_path / "landlord.json", tmp_path / "trusted.json"
    key_file.write_text(json.dumps(plus_server.landlord.key.to_multikey(include_secret=True)))
    trusted_file.write_text(json.dumps(TRUSTED))
    fetch = [
        "fetch", str(grant_file), "--key", str(key_file), "--trusted", str(trusted_file),
        "--household-size", "1", "--year", "2026", "--out", str(tmp_path / "credentials.json"),
    ]  # fmt: skip
    fetched = landlord(*fetch)
    assert fetched.exit_code == 0, fetched.output
    summary = json.loads(fetched.output)
    assert summary["decision"]["meets"] is True
    (claims,) = [c["claims"] for c in summary["credentials"]]
    assert set(claims) == {"id", "type", "belastingjaar", "verzamelinkomen"}
    again = landlord(*fetch)  # a one-time grant
    assert again.exit_code == 1
    assert "invalid_grant" in again.output

    shown = wallet("consent", "show", grant_id)
    assert shown.exit_code == 0, shown.output
    assert "intact" in shown.output
    assert "served" in shown.output
    assert "invalid_grant" in shown.output
    revoked = wallet("consent", "revoke", grant_id)
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in wallet("consent", "list").output

    # The operator registers a recipient and reads the grant, by the issuer CLI.
    server = f"http://127.0.0.1:{plus_server.port}"
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    registered = subprocess.run(
        [
            blauwe_knop(), "issuer", "plus", "register", "--server", server, "--source", "brp",
            "--did", plus_server.corporation.did, "--name", "Woningcorporatie Thuis",
            "--purpose", PURPOSE, "--scope", "PersoonsgegevensCredential_ldp_vc=adres/woonplaats",
        ],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert registered.returncode == 0, registered.stderr
    assert json.loads(registered.stdout)["scopes"][0]["claims"] == [
        {"path": ["credentialSubject", "adres", "woonplaats"]}
    ]
    inspected = subprocess.run(
        [blauwe_knop(), "issuer", "plus", "grant", grant_id, "--server", server],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert inspected.returncode == 0, inspected.stderr
    shown_grant = json.loads(inspected.stdout)
    assert shown_grant["status"] == "revoked"
    assert [e["event"] for e in shown_grant["access_log"]["entries"]] == [
        "granted",
        "served",
        "refused",
        "revoked",
    ]
    http.close()
