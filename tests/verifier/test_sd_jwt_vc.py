"""SD-JWT VC presentations at the landlord: the same checks, rule and record as W3C ones.

The tax office is the real issuer app in-process; the citizen's wallet is
``wallet_sdk`` (everything over one injected client, no network).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair
from vc_core.errors import FetchError
from vc_core.hazmat.sd_jwt import parse_sd_jwt, serialize_sd_jwt
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.sources.demo import DEMO_BSN
from vc_issuer.web import create_app
from vc_verifier import HousingIncomeRule, PresentationOutcome, Verifier, verify_record
from vc_verifier.policy.housing import INCOME_VCT
from vc_verifier.sd_jwt_vc import SdJwtIssuerKeys
from vc_verifier.trust import TrustedIssuers
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.records import StoredCredential

BASE = "https://issuer.example.nl"
TAX_OFFICE = "did:web:issuer.example.nl:belastingdienst"
CLIENT_ID = "redirect_uri:https://verhuur.example.nl/oid4vp/response"
RULE = HousingIncomeRule.load(year=2026)


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.from_settings(IssuerSettings.demo(demo_people=20))


@pytest.fixture(scope="module")
def client(issuer: Issuer) -> Iterator[TestClient]:
    with TestClient(create_app(issuer), base_url=BASE) as test_client:
        yield test_client


class CountingFetches(httpx.BaseTransport):
    """The issuer app behind a transport that records every URL the verifier fetched."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        response = self.client.get(str(request.url), headers=dict(request.headers))
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=response.content)


def landlord(client: TestClient, **options: Any) -> tuple[Verifier, CountingFetches]:
    fetches = CountingFetches(client)
    trusted = options.pop(
        "trusted_issuers", {TAX_OFFICE: ["InkomensverklaringCredential", INCOME_VCT]}
    )
    verifier = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers=trusted,
        http=httpx.Client(transport=fetches),
        **options,
    )
    return verifier, fetches


@pytest.fixture(scope="module")
def citizen(client: TestClient, issuer: Issuer) -> tuple[Wallet, StoredCredential]:
    """A wallet holding the tax office's income statement as SD-JWT VC only."""
    wallet = Wallet(store=MemoryStore(), http=client, trusted_issuers=issuer.settings.issuer_dids())
    offer = issuer.create_offer(
        "belastingdienst", DEMO_BSN, "InkomensverklaringCredential_dc_sd_jwt"
    )
    wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code, copies=4)
    return wallet, wallet.credentials()[0]


def answer(verifier: Verifier, wallet: Wallet, **query: Any) -> tuple[PresentationOutcome, Any]:
    transaction = verifier.create_request(RULE.dcql_query(**query))
    presentation = wallet.present(wallet.open_request(transaction.uri))
    return verifier.handle_response(presentation.form_fields()), presentation


def test_the_landlord_decides_on_an_sd_jwt_vc_and_signs_the_record(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, fetches = landlord(client)
    outcome, presentation = answer(verifier, citizen[0])
    assert outcome.verified, outcome.problems
    assert set(outcome.presentations) == {"inkomen_sd_jwt"}
    (credential,) = outcome.all_presentations[0].credentials
    assert credential.format == "dc+sd-jwt"
    assert credential.issuer == TAX_OFFICE
    assert credential.types == (INCOME_VCT,)
    assert set(credential.claims) == {"belastingjaar", "inkomenstoets"}
    assert [s.name for s in credential.status] == ["VALID"]  # type: ignore[union-attr]
    result = RULE.evaluate(outcome, household_size=1)
    assert result.meets is not None
    assert result.basis == "facts"
    record = verifier.sign_record(outcome, result)
    assert record["record"]["credentials"] == [
        {
            "issuer": TAX_OFFICE,
            "types": [INCOME_VCT],
            "claims": sorted(
                [
                    "belastingjaar",
                    "inkomenstoets.huishoudgrootte",
                    "inkomenstoets.onderSocialeHuurgrens",
                    "inkomenstoets.regel",
                    "inkomenstoets.regelJaar",
                ]
            ),
            "facts": record["record"]["credentials"][0]["facts"],
        }
    ]
    assert verify_record(record, key=verifier.signing_key.public).meets == result.meets
    # The amount never left the wallet, and the landlord fetched only the tax office's documents.
    assert "verzamelinkomen" not in json.dumps(presentation.form_fields())
    assert all(url.startswith(f"{BASE}/belastingdienst/") for url in fetches.urls)


def test_the_amount_when_asked_for_it(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, _ = landlord(client)
    outcome, _ = answer(verifier, citizen[0], prefer_facts=False)
    assert outcome.verified, outcome.problems
    result = RULE.evaluate(outcome, household_size=2)
    assert result.basis == "amount"
    assert "verzamelinkomen.value" in result.claims_seen


def test_issuer_trusted_by_url_through_jwt_vc_issuer_metadata(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, fetches = landlord(client, trusted_issuers={f"{BASE}/belastingdienst": [INCOME_VCT]})
    outcome, _ = answer(verifier, citizen[0], formats=("dc+sd-jwt",))
    assert outcome.verified, outcome.problems
    assert outcome.all_presentations[0].credentials[0].issuer == f"{BASE}/belastingdienst"
    assert f"{BASE}/.well-known/jwt-vc-issuer/belastingdienst" in fetches.urls
    assert not any(url.endswith("did.json") for url in fetches.urls)


def test_trust_is_per_type(client: TestClient, citizen: tuple[Wallet, StoredCredential]) -> None:
    verifier, _ = landlord(client, trusted_issuers={TAX_OFFICE: ["InkomensverklaringCredential"]})
    outcome, _ = answer(verifier, citizen[0])
    assert outcome.status == "rejected"
    assert "ISSUER_NOT_ALLOWED_FOR_TYPE" in [p.code for p in outcome.problems]


def test_an_untrusted_issuer_makes_the_verifier_fetch_nothing(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, fetches = landlord(client, trusted_issuers={"did:web:issuer.example.nl:duo": ["X"]})
    outcome, _ = answer(verifier, citizen[0])
    assert outcome.problems[0].code == "UNTRUSTED_ISSUER"
    assert fetches.urls == []


@pytest.mark.parametrize(
    ("action", "code"), [("revoke", "CREDENTIAL_REVOKED"), ("suspend", "CREDENTIAL_SUSPENDED")]
)
def test_status_in_the_token_status_list_is_honoured(
    client: TestClient, issuer: Issuer, action: str, code: str
) -> None:
    wallet = Wallet(store=MemoryStore(), http=client, trusted_issuers=issuer.settings.issuer_dids())
    offer = issuer.create_offer(
        "belastingdienst", DEMO_BSN, "InkomensverklaringCredential_dc_sd_jwt"
    )
    (stored,) = wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    getattr(issuer, action)(stored.credential["jti"])
    verifier, _ = landlord(client)
    outcome, _ = answer(verifier, wallet)
    assert outcome.status == "rejected"
    assert code in [p.code for p in outcome.problems]


def test_status_fail_open_and_fail_closed(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    def no_status_lists(url: str, *, accept: str) -> bytes:
        if "/status/" in url:
            raise FetchError("the status service is down")
        return client.get(url, headers={"Accept": accept}).content

    closed = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={TAX_OFFICE: [INCOME_VCT]},
        fetch=no_status_lists,
    )
    outcome, _ = answer(closed, citizen[0], formats=("dc+sd-jwt",))
    assert outcome.problems[0].code == "STATUS_RETRIEVAL_ERROR"
    opened = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={TAX_OFFICE: [INCOME_VCT]},
        fetch=no_status_lists,
        status_fail_closed=False,
    )
    outcome, _ = answer(opened, citizen[0], formats=("dc+sd-jwt",))
    assert outcome.verified
    assert outcome.all_presentations[0].credentials[0].status_unverified


def direct(verifier: Verifier, citizen: tuple[Wallet, StoredCredential], **change: Any) -> Any:
    """Answer a fresh transaction with a hand-made vp_token entry."""
    wallet, _ = citizen
    transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    request = wallet.open_request(transaction.uri)
    shown = wallet.present(request).vp_token["inkomen"][0]
    assert isinstance(shown, str)
    entry = change["make"](shown, transaction) if "make" in change else shown
    form = {"state": transaction.state, "vp_token": json.dumps({"inkomen": [entry]})}
    return verifier.handle_response(form)


def test_a_replay_to_another_transaction_fails_the_nonce(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, _ = landlord(client)
    first = direct(verifier, citizen)
    assert first.verified
    wallet, _ = citizen
    transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    old = wallet.present(
        wallet.open_request(verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",))).uri)
    ).vp_token["inkomen"][0]
    form = {"state": transaction.state, "vp_token": json.dumps({"inkomen": [old]})}
    outcome = verifier.handle_response(form)
    assert outcome.problems[0].code == "INVALID_CHALLENGE_ERROR"


def test_a_presentation_for_another_verifier_fails_the_audience(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, _ = landlord(client)
    other = Verifier(
        client_id="redirect_uri:https://elders.example.nl/cb",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={},
    )
    wallet, _ = citizen
    transaction = other.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    elsewhere = wallet.present(wallet.open_request(transaction.uri)).vp_token["inkomen"][0]
    report = verifier.check_sd_jwt_presentation(
        elsewhere, nonce=transaction.nonce, audience=verifier.client_id
    )
    assert report.codes == ("INVALID_DOMAIN_ERROR",)
    with pytest.raises(TypeError):
        verifier.check_sd_jwt_presentation(elsewhere, nonce=None, audience="x")  # type: ignore[arg-type]


def test_without_key_binding_or_with_a_foreign_disclosure_it_fails(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, _ = landlord(client)

    def without_kb(shown: str, _transaction: Any) -> str:
        return shown[: shown.rindex("~") + 1]

    outcome = direct(verifier, citizen, make=without_kb)
    assert outcome.problems[0].code == "INVALID_KEY_BINDING"
    _, stored = citizen
    assert stored.encoded is not None
    hidden = parse_sd_jwt(stored.encoded).disclosures

    def with_extra(shown: str, _transaction: Any) -> str:
        parsed = parse_sd_jwt(shown)
        extra = [d.encoded for d in hidden if d.encoded not in shown][:1]
        return (
            serialize_sd_jwt(parsed.issuer_jwt, [*[d.encoded for d in parsed.disclosures], *extra])
            + shown.rsplit("~", 1)[1]
        )

    outcome = direct(verifier, citizen, make=with_extra)
    assert outcome.status == "rejected"


def test_an_sd_jwt_vc_where_a_w3c_presentation_was_asked_is_a_parsing_error(
    client: TestClient, citizen: tuple[Wallet, StoredCredential]
) -> None:
    verifier, _ = landlord(client)
    wallet, _ = citizen
    sd_jwt_transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    shown = wallet.present(wallet.open_request(sd_jwt_transaction.uri)).vp_token["inkomen"][0]
    ldp_transaction = verifier.create_request(RULE.dcql_query(formats=("ldp_vc",)))
    form = {"state": ldp_transaction.state, "vp_token": json.dumps({"inkomen": [shown]})}
    outcome = verifier.handle_response(form)
    assert [(p.code, p.path) for p in outcome.problems] == [("PARSING_ERROR", "vp_token.inkomen")]


def test_a_stale_key_binding_jwt_is_refused(
    client: TestClient, issuer: Issuer, citizen: tuple[Wallet, StoredCredential]
) -> None:
    later = datetime.now(UTC) + timedelta(minutes=30)
    verifier, _ = landlord(client, clock=lambda: later)
    transaction = verifier.create_request(RULE.dcql_query(formats=("dc+sd-jwt",)))
    wallet, _ = citizen
    shown = wallet.present(wallet.open_request(transaction.uri)).vp_token["inkomen"][0]
    form = {"state": transaction.state, "vp_token": json.dumps({"inkomen": [shown]})}
    outcome = verifier.handle_response(form)
    assert "PROOF_EXPIRED_ERROR" in [p.code for p in outcome.problems]


def test_issuer_keys_pick_one_mechanism_per_issuer() -> None:
    trusted = TrustedIssuers({TAX_OFFICE: [INCOME_VCT], f"{BASE}/duo": ["x:y"]})

    def fetch(url: str, *, accept: str) -> bytes:
        raise FetchError(f"offline: {url}")

    keys = SdJwtIssuerKeys(
        trusted,
        resolve_verification_method=lambda vm: (_ for _ in ()).throw(AssertionError(vm)),
        fetch=fetch,
        clock=lambda: datetime.now(UTC),
    )
    assert keys.identity(f"{BASE}/belastingdienst") == TAX_OFFICE
    assert keys.identity(f"{BASE}/duo") == f"{BASE}/duo"
    assert keys.identity(f"{BASE}/rdw") == f"{BASE}/rdw"
    from vc_core.errors import IssuerKeyError

    with pytest.raises(IssuerKeyError) as raised:
        keys(f"{BASE}/rdw", {"kid": "did:web:issuer.example.nl:rdw#key-1"})
    assert raised.value.code == "UNTRUSTED_ISSUER"
    with pytest.raises(IssuerKeyError, match="not a DID URL"):  # no x5c or metadata fallback
        keys(f"{BASE}/belastingdienst", {"x5c": ["MII"]})
    with pytest.raises(IssuerKeyError, match="could not be fetched"):  # metadata, not did.json
        keys(f"{BASE}/duo", {"kid": "did:web:issuer.example.nl:duo#key-1"})
