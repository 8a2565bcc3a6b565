"""SD-JWT VC between our roles and implementations we did not write, over a real issuer server.

- The OpenWallet Foundation's ``@sd-jwt/sd-jwt-vc`` (pinned in this folder's
  ``package.json`` and lockfile) verifies a presentation our wallet made for our
  landlord: issuer key from our JWT VC Issuer Metadata, Disclosures, the KB-JWT,
  our Token Status List (fetched from the server, signature checked), and our
  type metadata against its schema. A revoked credential fails there too.
- Its holder presents our credential, and our landlord's verifier accepts that.
- Sphereon's ``@sphereon/oid4vci-client`` receives credentials from our issuer
  (pre-authorized code, transaction code, nonce endpoint, one ``proof``: the
  draft-13-era request our issuer translates at its edge).

Node runs ``sd_jwt_vc.mjs`` and ``oid4vci_client.mjs``, their requests routed to
the issuer on 127.0.0.1; ``make test`` installs the packages with ``npm ci``.
Without Node or the installed packages these tests fail and say what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.loopback import Hosts, cli_server
from tests.node import node_for
from vc_core import KeyPair
from vc_core.did import did_key
from vc_core.keys import PublicKey
from vc_core.sd_jwt import IssuerMetadataKeys, verify_sd_jwt_vc
from vc_issuer.settings import DEVELOPMENT_ADMIN_TOKEN
from vc_verifier import HousingIncomeRule, Verifier
from vc_verifier.http import http_fetch
from vc_verifier.policy.housing import INCOME_VCT
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.records import StoredCredential

HERE = Path(__file__).resolve().parent
HOST = "issuer.example.nl"
BASE = f"https://{HOST}"
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_ADMIN_TOKEN}"}
DEMO_BSN = "999993653"
TAX_OFFICE = "did:web:issuer.example.nl:belastingdienst"
RULE = HousingIncomeRule.load(year=2026)
SOURCES = ("brp", "belastingdienst", "duo", "rdw")


def node(script: str, operation: str, port: int, **request: Any) -> Any:
    """Run one operation of a script; its answer (``result``) or its error text."""
    completed = subprocess.run(
        [node_for(HERE, "@sd-jwt/sd-jwt-vc"), str(HERE / script)],
        input=json.dumps({"operation": operation, "ports": {HOST: port}, **request}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE,
        check=False,
    )
    try:
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        pytest.fail(f"{script} gave no JSON: {completed.stdout!r} {completed.stderr!r}")


def result(answer: Any) -> Any:
    assert "error" not in answer, answer.get("error")
    return answer["result"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``blauwe-knop issuer serve --demo`` on a free loopback port."""
    from tests.issuer.support import free_port

    data_dir = tmp_path_factory.mktemp("issuer")
    port = free_port()
    args = ["issuer", "serve", "--data-dir", str(data_dir), "--demo"]
    environment = {"BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": "20"}
    with cli_server(
        args, port=port, ready="/brp/did.json", env=environment, log=data_dir / "server.log"
    ):
        yield port


@pytest.fixture(scope="module")
def http(server: int) -> httpx.Client:
    return httpx.Client(transport=Hosts({HOST: server}))


def offer(http: httpx.Client, source: str, configuration_id: str) -> dict[str, Any]:
    response = http.post(
        f"{BASE}/admin/{source}/offers",
        json={"bsn": DEMO_BSN, "credential_configuration_id": configuration_id},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def income_statement(http: httpx.Client) -> tuple[Wallet, StoredCredential]:
    """A wallet that received the tax office's income statement as SD-JWT VC."""
    wallet = Wallet(
        store=MemoryStore(),
        http=http,
        trusted_issuers=[f"did:web:issuer.example.nl:{source}" for source in SOURCES],
    )
    made = offer(http, "belastingdienst", "InkomensverklaringCredential_dc_sd_jwt")
    (stored,) = wallet.accept_offer(wallet.parse_offer(made["offer_uri"]), tx_code=made["tx_code"])
    return wallet, stored


def landlord(http: httpx.Client) -> Verifier:
    return Verifier(
        client_id="redirect_uri:https://verhuur.example.nl/oid4vp/response",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={TAX_OFFICE: [INCOME_VCT]},
        http=http,
    )


def presented(wallet: Wallet, verifier: Verifier) -> tuple[str, Any]:
    transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    presentation = wallet.present(wallet.open_request(transaction.uri))
    (shown,) = presentation.vp_token["inkomen"]
    assert isinstance(shown, str)
    return shown, transaction


def their_verification(server: int, shown: str, transaction: Any, nonce: str | None = None) -> Any:
    """What @sd-jwt/sd-jwt-vc says of a presentation made for ``transaction``."""
    return node(
        "sd_jwt_vc.mjs",
        "verify",
        server,
        presentation=shown,
        audience=transaction.client_id,
        nonce=transaction.nonce if nonce is None else nonce,
    )


def test_their_verifier_accepts_what_our_wallet_showed_our_landlord(
    http: httpx.Client, server: int
) -> None:
    wallet, _ = income_statement(http)
    verifier = landlord(http)
    shown, transaction = presented(wallet, verifier)
    theirs = result(their_verification(server, shown, transaction))
    ours = verifier.check_sd_jwt_presentation(
        shown, nonce=transaction.nonce, audience=transaction.client_id
    )
    assert ours.presentation is not None
    (credential,) = ours.presentation.credentials
    # They see exactly the disclosed claims we see (and the plain registered ones).
    assert {k: theirs["claims"][k] for k in credential.claims} == credential.claims
    assert "verzamelinkomen" not in theirs["claims"]
    assert theirs["kb"]["nonce"] == transaction.nonce
    assert theirs["header"]["typ"] == "dc+sd-jwt"
    # Our type metadata parses under their schema, and vct#integrity is W3C SRI (base64)
    # of the bytes served at the vct.
    assert theirs["typeMetadata"]["vct"] == INCOME_VCT
    served = http.get(INCOME_VCT).content
    digest = base64.b64encode(hashlib.sha256(served).digest()).decode()
    assert theirs["claims"]["vct#integrity"] == f"sha256-{digest}"


def test_their_verifier_refuses_a_revoked_credential_and_a_wrong_nonce(
    http: httpx.Client, server: int
) -> None:
    wallet, stored = income_statement(http)
    verifier = landlord(http)
    shown, transaction = presented(wallet, verifier)
    wrong_nonce = their_verification(server, shown, transaction, nonce="another-nonce")
    assert "nonce" in wrong_nonce["error"].lower()
    revoked = http.post(
        f"{BASE}/admin/credentials/{stored.credential['jti']}/revoke", headers=ADMIN
    )
    assert revoked.status_code == 200
    refused = their_verification(server, shown, transaction)
    assert "status" in refused["error"].lower()
    # Our landlord refuses it for the same reason.
    report = verifier.check_sd_jwt_presentation(
        shown, nonce=transaction.nonce, audience=transaction.client_id
    )
    assert report.codes == ("CREDENTIAL_REVOKED",)


def private_jwk(key: KeyPair) -> dict[str, str]:
    d = base64.urlsafe_b64encode(key.secret_bytes).rstrip(b"=").decode()
    return {**key.public.to_jwk(), "d": d}


def test_our_landlord_accepts_their_holders_presentation(http: httpx.Client, server: int) -> None:
    wallet, stored = income_statement(http)
    verifier = landlord(http)
    transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    frame = {"belastingjaar": True, "inkomenstoets": {"onderSocialeHuurgrens": True}}
    theirs = result(
        node(
            "sd_jwt_vc.mjs",
            "present",
            server,
            issued=stored.encoded,
            holderJwk=private_jwk(wallet._keys.get(stored.holder)),
            frame=frame,
            audience=transaction.client_id,
            nonce=transaction.nonce,
        )
    )
    outcome = verifier.handle_response(
        {"state": transaction.state, "vp_token": json.dumps({"inkomen": [theirs["presentation"]]})}
    )
    assert outcome.verified, outcome.problems
    decided = RULE.evaluate(outcome, household_size=1)
    assert decided.basis == "facts"


def received_by_sphereon(
    http: httpx.Client, server: int, source: str, configuration: str, credential_format: str
) -> Any:
    """What @sphereon/oid4vci-client received for a new offer of ``configuration``."""
    made = offer(http, source, configuration)
    return result(
        node(
            "oid4vci_client.mjs",
            "receive",
            server,
            offer=made["offer_uri"],
            txCode=made["tx_code"],
            configurationId=configuration,
            format=credential_format,
        )
    )


@pytest.mark.parametrize("source", SOURCES)
def test_sphereons_client_receives_sd_jwt_vcs_from_our_issuer(
    http: httpx.Client, server: int, source: str
) -> None:
    configuration = {
        "brp": "PersoonsgegevensCredential",
        "belastingdienst": "InkomensverklaringCredential",
        "duo": "DiplomaCredential",
        "rdw": "VoertuigregistratieCredential",
    }[source] + "_dc_sd_jwt"
    theirs = received_by_sphereon(http, server, source, configuration, "dc+sd-jwt")
    issued = theirs["response"]["credential"]
    keys = IssuerMetadataKeys(http_fetch(http), issuers=[f"{BASE}/{source}"])
    verified = verify_sd_jwt_vc(issued, key_resolver=keys)
    assert verified.holder_key is not None
    assert verified.holder_key.to_jwk() == {k: theirs["jwk"][k] for k in ("kty", "crv", "x", "y")}
    assert verified.vct == f"{BASE}/{source}/vct/{configuration.removesuffix('_dc_sd_jwt')}"


def test_sphereons_client_receives_a_w3c_credential_too(http: httpx.Client, server: int) -> None:
    theirs = received_by_sphereon(
        http, server, "rdw", "VoertuigregistratieCredential_ldp_vc", "ldp_vc"
    )
    credential = theirs["response"]["credential"]
    assert credential["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    holder = did_key(PublicKey.from_jwk(theirs["jwk"]))
    assert credential["credentialSubject"]["id"] == holder
