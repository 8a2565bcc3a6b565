"""``blauwe-knop wallet``: init, receive from a QR image, list, show, present, log, backup."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from vc_issuer.issuer import Issuer
from vc_issuer.sources.demo import DEMO_BSN, REVIEW_BSN
from vc_issuer.web import create_app
from wallet_sdk.cli import CliSettings, app

from .helpers import CHEAP_KDF, PUBLIC_RESOLVER, Hosts, request_link, type_query

PASSPHRASE = {"BLAUWE_KNOP_WALLET_PASSPHRASE": "wallet pw", "BLAUWE_KNOP_BACKUP_PASSPHRASE": "b"}


@pytest.fixture(scope="module")
def settings(issuer: Issuer) -> CliSettings:
    client = TestClient(create_app(issuer), base_url="https://issuer.example.nl")
    # An untrusted origin is reached only at a public address: here every name is one.
    return CliSettings(http_factory=lambda: client, kdf=CHEAP_KDF, resolve=PUBLIC_RESOLVER)


def run(
    settings: CliSettings,
    folder: Path,
    *args: str,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Result:
    return CliRunner().invoke(
        app, ["--wallet", str(folder), *args], obj=settings, env=env or PASSPHRASE, input=input
    )


def _init(settings: CliSettings, issuer: Issuer, folder: Path) -> None:
    trust = [arg for did in issuer.settings.issuer_dids().values() for arg in ("--trust", did)]
    done = run(settings, folder, "init", *trust)
    assert done.exit_code == 0, done.output


def test_the_citizen_journey(settings: CliSettings, issuer: Issuer, tmp_path: Path) -> None:
    folder = tmp_path / "wallet"
    _init(settings, issuer, folder)
    assert run(settings, folder, "init").exit_code == 1  # never overwrite a wallet

    # Receive by scanning a QR image; the tx_code comes by a second channel.
    offer = issuer.create_offer("belastingdienst", DEMO_BSN)
    image = tmp_path / "offer.png"
    image.write_bytes(offer.qr_png())
    done = run(settings, folder, "receive", str(image), "--tx-code", str(offer.tx_code), "--yes")
    assert done.exit_code == 0, done.output
    assert "Inkomensverklaring" in done.output

    # Or paste the link and type the code when asked.
    offer = issuer.create_offer("rdw", DEMO_BSN)
    done = run(settings, folder, "receive", offer.offer_uri, input=f"y\n{offer.tx_code}\n")
    assert done.exit_code == 0, done.output

    listed = json.loads(run(settings, folder, "list", "--json").output)
    assert [c["types"][-1] for c in listed] == [
        "InkomensverklaringCredential",
        "VoertuigregistratieCredential",
    ]
    shown = json.loads(run(settings, folder, "show", listed[0]["id"]).output)
    assert "proof" not in shown
    assert shown["credentialSubject"]["belastingjaar"]
    assert run(settings, folder, "show", "nope").exit_code == 1

    log = run(settings, folder, "log")
    assert log.output.count("received") == 2

    export_file = tmp_path / "export.json"
    ids = [c["id"] for c in listed]
    assert run(settings, folder, "export", str(export_file), *ids).exit_code == 0
    assert len(json.loads(export_file.read_text())["verifiableCredential"]) == 2

    # Backup, then restore on a "new device" with its own passphrase.
    backup = tmp_path / "wallet.bkp"
    assert run(settings, folder, "backup", str(backup)).exit_code == 0
    new_env = {**PASSPHRASE, "BLAUWE_KNOP_WALLET_PASSPHRASE": "new device"}
    done = run(settings, tmp_path / "new", "restore", str(backup), env=new_env)
    assert done.exit_code == 0, done.output
    restored = json.loads(run(settings, tmp_path / "new", "list", "--json", env=new_env).output)
    assert [c["id"] for c in restored] == ids

    assert run(settings, folder, "delete", ids[1]).exit_code == 0
    assert len(json.loads(run(settings, folder, "list", "--json").output)) == 1


def test_wrong_passphrase_and_missing_wallet(
    settings: CliSettings, issuer: Issuer, tmp_path: Path
) -> None:
    folder = tmp_path / "wallet"
    assert run(settings, folder, "list").exit_code == 1
    _init(settings, issuer, folder)
    done = run(settings, folder, "list", env={"BLAUWE_KNOP_WALLET_PASSPHRASE": "wrong"})
    assert done.exit_code == 1
    assert "WRONG_PASSPHRASE" in done.output
    done = run(settings, folder, "list", env={}, input="wallet pw\n")  # prompted
    assert done.exit_code == 0, done.output


def test_untrusted_issuers_and_bad_offers(
    settings: CliSettings, issuer: Issuer, tmp_path: Path
) -> None:
    folder = tmp_path / "wallet"
    assert run(settings, folder, "init").exit_code == 0  # trusts nobody yet
    offer = issuer.create_offer("brp", DEMO_BSN)
    done = run(settings, folder, "receive", offer.offer_uri, "--tx-code", str(offer.tx_code))
    assert done.exit_code == 1
    assert "not a trusted issuer" in done.output
    assert run(settings, folder, "trust", "https://issuer.example.nl/brp").exit_code == 0
    assert run(settings, folder, "trust", "http://insecure.example").exit_code == 2
    done = run(settings, folder, "receive", offer.offer_uri, "--tx-code", str(offer.tx_code), "-y")
    assert done.exit_code == 0, done.output
    done = run(settings, folder, "receive", "openid-credential-offer://?nothing=here")
    assert done.exit_code == 1
    assert "INVALID_CREDENTIAL_OFFER" in done.output


def test_present_and_decline(settings: CliSettings, issuer: Issuer, tmp_path: Path) -> None:
    received: list[dict[str, list[str]]] = []
    landlord = FastAPI()

    @landlord.post("/oid4vp/response")
    async def response(request: Request) -> dict[str, str]:
        received.append(parse_qs((await request.body()).decode()))
        return {}

    issuer_client = settings.http_factory()
    assert isinstance(issuer_client, TestClient)
    http = httpx.Client(
        transport=Hosts(
            {
                "issuer.example.nl": issuer_client,
                "verhuur.example.nl": TestClient(landlord, base_url="https://verhuur.example.nl"),
            }
        )
    )
    both = CliSettings(http_factory=lambda: http, kdf=CHEAP_KDF)
    folder = tmp_path / "wallet"
    _init(both, issuer, folder)
    trusted = run(both, folder, "trust", "--verifier", "https://verhuur.example.nl")
    assert trusted.exit_code == 0, trusted.output
    assert run(both, folder, "trust", "--verifier", "http://verhuur.example.nl").exit_code == 2
    offer = issuer.create_offer("belastingdienst", DEMO_BSN)
    assert (
        run(
            both, folder, "receive", offer.offer_uri, "--tx-code", str(offer.tx_code), "-y"
        ).exit_code
        == 0
    )
    link = request_link(
        {
            "credentials": [
                type_query(
                    "inkomen",
                    "InkomensverklaringCredential",
                    claims=[{"path": ["credentialSubject", "inkomensklasse"]}],
                )
            ]
        },
        purpose="Huurwoning",
    )
    done = run(both, folder, "present", link, input="n\n")
    assert done.exit_code == 1
    assert "/credentialSubject/inkomensklasse" in done.output
    assert "Huurwoning" in done.output
    assert received[-1]["error"] == ["access_denied"]

    done = run(both, folder, "present", link, "--yes")
    assert done.exit_code == 0, done.output
    assert "vp_token" in received[-1]
    log = run(both, folder, "log", "--json")
    events = [e["event"] for e in json.loads(log.output)["entries"]]
    assert events == ["received", "declined", "presented", "sent"]

    refused = run(both, folder, "present", "openid4vp://?" + urlencode({"client_id": "x"}))
    assert refused.exit_code == 1


def test_deferred_issuance_from_the_command_line(
    settings: CliSettings, issuer: Issuer, tmp_path: Path
) -> None:
    folder = tmp_path / "wallet"
    _init(settings, issuer, folder)
    offer = issuer.create_offer("duo", REVIEW_BSN)
    done = run(settings, folder, "receive", offer.offer_uri, "--tx-code", str(offer.tx_code), "-y")
    assert done.exit_code == 0, done.output
    assert "deliver later" in done.output
    assert "1 still pending" in run(settings, folder, "poll").output
    client = settings.http_factory()
    admin = {"Authorization": f"Bearer {issuer.settings.admin_token.get_secret_value()}"}
    for review in client.get("/admin/deferred", headers=admin).json()["pending"]:
        client.post(f"/admin/deferred/{review['id']}/approve", headers=admin)
    done = run(settings, folder, "poll")
    assert "saved" in done.output
    assert "0 still pending" in done.output
