"""The Plus service in-process: registration and wallet-request checks, scopes, the recipient's
verification of what it fetched. (The end-to-end tests run on a real server: test_plus.py.)"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from issuer.support import ADMIN, BASE_URL

from vc_core import KeyPair, did_key
from vc_core.errors import ParsingError, VerificationError
from vc_core.formats import presentation_envelope
from vc_core.jws import sign_jws
from vc_core.proofs import derive, sign
from vc_issuer.errors import InvalidRequest, InvalidScope
from vc_issuer.issuer import Issuer
from vc_issuer.plus import CONSENT_CONTROL_TYP, CONSENT_REQUEST_TYP, PlusService, scope_item
from vc_issuer.plus.chain import verify_access_log
from vc_issuer.plus.scope import covers, select_claims
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_verifier import PlusClient
from vc_verifier.plus import parse_grant
from wallet_sdk import IssuerResponseError, Wallet, claim_scope
from wallet_sdk.keys import HolderKeys

from .conftest import INCOME, LANDLORD, PURPOSE, Recipient, register, web_key
from .support import TAX, assert_oauth, income, wallet_with


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.from_settings(IssuerSettings.demo(demo_people=5))


@pytest.fixture(scope="module")
def http(issuer: Issuer) -> Iterator[TestClient]:
    with TestClient(create_app(issuer), base_url=BASE_URL) as client:
        yield client


@pytest.fixture(scope="module")
def landlord(http: TestClient) -> Recipient:
    recipient = Recipient(LANDLORD, web_key(LANDLORD))
    register(http, recipient, name="Verhuur BV")
    return recipient


@pytest.fixture(scope="module")
def plus(http: TestClient) -> PlusService:
    service: PlusService = http.app.state.plus  # type: ignore[attr-defined]
    return service


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def wallet(http: TestClient, issuer: Issuer, landlord: Recipient) -> Wallet:
    return wallet_with(http, issuer.settings.issuer_dids(), _now, "belastingdienst")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"did": "https://verhuur.example.nl"}, InvalidRequest),
        ({"did": "did:web:verhuur.example.nl#key-1"}, InvalidRequest),
        ({"purposes": []}, InvalidRequest),
        ({"scopes": [{"credential_configuration_id": "DiplomaCredential_ldp_vc"}]}, InvalidScope),
        ({"scopes": [{"credential_configuration_id": INCOME, "claims": []}]}, InvalidScope),
        (
            {"scopes": [{"credential_configuration_id": INCOME, "claims": [{"path": ["id"]}]}]},
            InvalidScope,
        ),
        ({"keys": [{"id": "did:web:other.example#k", "publicKeyMultibase": "z"}]}, InvalidRequest),
        ({"keys": [{"id": f"{LANDLORD}#k", "publicKeyMultibase": "not-a-key"}]}, InvalidRequest),
        ({"keys": None}, InvalidRequest),
    ],
)
def test_a_registration_is_checked(
    plus: PlusService, changes: dict[str, Any], error: type[Exception]
) -> None:
    good: dict[str, Any] = {
        "did": LANDLORD,
        "name": "Verhuur BV",
        "purposes": [PURPOSE],
        "scopes": [
            {
                "credential_configuration_id": INCOME,
                "claims": [{"path": ["credentialSubject", "belastingjaar"]}],
            }
        ],
        "keys": [
            {"id": f"{LANDLORD}#key-9", "publicKeyMultibase": KeyPair.generate().public.multibase}
        ],
    }
    with pytest.raises(error):
        plus.register_recipient("belastingdienst", **{**good, **changes})


def test_a_did_key_recipient_needs_no_key_list(plus: PlusService) -> None:
    key = KeyPair.generate("Ed25519")
    record = plus.register_recipient(
        "brp",
        did=did_key(key),
        name="Makelaar",
        purposes=[PURPOSE],
        scopes=[{"credential_configuration_id": "PersoonsgegevensCredential_ldp_vc",
                 "claims": [{"path": ["credentialSubject", "geslachtsnaam"]}]}],
    )  # fmt: skip
    assert record.keys == {f"{did_key(key)}#{key.public.multibase}": key.public.multibase}


def test_admin_endpoints_need_the_token(http: TestClient) -> None:
    assert http.get("/admin/brp/plus/recipients").status_code == 401
    assert http.get("/admin/brp/plus/recipients", headers=ADMIN).status_code == 200
    assert http.get("/admin/plus/grants/urn:uuid:nope", headers=ADMIN).status_code == 404
    public = http.get("/plus/recipients").json()
    assert all("keys" not in entry for entry in public)


def test_the_operator_revokes_a_grant_over_http(
    http: TestClient, landlord: Recipient, plus: PlusService
) -> None:
    """``/admin/plus/grants/{id}/revoke`` is the operator's route, not the wallet's one."""
    view = plus.grant_for_citizen(
        "999993653",
        {"recipient": LANDLORD, "purpose": PURPOSE, "authorization_details": [income()]},
    )
    revoked = http.post(f"/admin/plus/grants/{view.id}/revoke", headers=ADMIN)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    assert plus.grant(view.id).status == "revoked"
    assert http.post(f"/admin/plus/grants/{view.id}/revoke").status_code == 401


def _request(wallet: Wallet, key: KeyPair, challenge: str, **changes: Any) -> dict[str, Any]:
    """A consent request as the wallet builds it, signed with ``key`` (for hostile variants)."""
    stored = wallet.credentials()[0]
    holder_key = _holder_key(wallet)
    vp = sign(
        presentation_envelope(stored.holder, [derive(stored.credential, selective_pointers=[])]),
        holder_key,
        proof_purpose="authentication",
        challenge=challenge,
        domain=TAX,
    )
    claims = {
        "aud": TAX,
        "iat": int(_now().timestamp()),
        "nonce": challenge,
        "recipient": LANDLORD,
        "purpose": PURPOSE,
        "authorization_details": [income()],
        "vp": vp,
        **changes,
    }
    return {"request": sign_jws(claims, key, typ=CONSENT_REQUEST_TYP, kid=key.id)}


def _did_key_pair() -> KeyPair:
    key = KeyPair.generate("P-256")
    return KeyPair(
        key.public, key.private_key, f"{did_key(key)}#{key.public.multibase}", did_key(key)
    )


def _holder_key(wallet: Wallet) -> KeyPair:
    return HolderKeys(wallet.store).get(wallet.credentials()[0].holder)


def test_wallet_requests_are_checked(http: TestClient, wallet: Wallet, issuer: Issuer) -> None:
    def nonce() -> str:
        value: str = http.post("/belastingdienst/plus/nonce").json()["c_nonce"]
        return value

    key = _holder_key(wallet)
    post = lambda body: http.post("/belastingdienst/plus/grants", json=body)  # noqa: E731
    # Accepted once; the same nonce again is refused.
    first = _request(wallet, key, nonce())
    assert post(first).status_code == 201
    assert_oauth(post(first), 400, "invalid_nonce")
    # Signed with a key the sources never bound a credential to.
    stranger = _did_key_pair()
    assert_oauth(post(_request(wallet, stranger, nonce())), 403, "access_denied")
    # For another source's audience, without a nonce, with a presentation for another nonce.
    assert_oauth(
        post(_request(wallet, key, nonce(), aud=f"{BASE_URL}/brp")), 400, "invalid_request"
    )
    assert_oauth(post(_request(wallet, key, nonce(), nonce=None)), 400, "invalid_request")
    mismatch = _request(wallet, key, nonce())
    claims = json.loads(_b64(mismatch["request"].split(".")[1]))
    claims["nonce"] = nonce()
    resigned = {"request": sign_jws(claims, key, typ=CONSENT_REQUEST_TYP, kid=key.id)}
    assert_oauth(post(resigned), 403, "access_denied")
    # A tampered identity credential.
    tampered = copy.deepcopy(claims)
    tampered["nonce"] = fresh = nonce()
    tampered["vp"] = json.loads(_b64(_request(wallet, key, fresh)["request"].split(".")[1]))["vp"]
    tampered["vp"]["verifiableCredential"][0]["validUntil"] = "2099-01-01T00:00:00Z"
    assert_oauth(
        post({"request": sign_jws(tampered, key, typ=CONSENT_REQUEST_TYP, kid=key.id)}),
        403,
        "access_denied",
    )
    # Not JSON, not a JWT, the wrong typ.
    assert_oauth(
        http.post(
            "/belastingdienst/plus/grants",
            content=b"{",
            headers={"content-type": "application/json"},
        ),
        400,
        "invalid_request",
    )
    assert_oauth(post({"request": "a.b.c"}), 400, "invalid_request")
    wrong_typ = sign_jws({"aud": TAX}, key, typ=CONSENT_CONTROL_TYP, kid=key.id)
    assert_oauth(post({"request": wrong_typ}), 400, "invalid_request")
    # A revoked identity credential proves nothing any more.
    issuer.revoke(wallet.credentials()[0].credential["id"])
    assert_oauth(post(_request(wallet, key, nonce())), 403, "access_denied")


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_wallet_refuses_a_grant_that_is_not_what_it_asked(
    http: TestClient, wallet: Wallet, issuer: Issuer
) -> None:
    with pytest.raises(IssuerResponseError) as refused:
        wallet.grant_consent(source=TAX, recipient=LANDLORD, purpose="reclame", scope=[income()])
    assert refused.value.error == "invalid_scope"
    # A genuine grant, but for other terms than asked (a source or app in between lying).
    wider = wallet.grant_consent(source=TAX, recipient=LANDLORD, purpose=PURPOSE, scope=[income()])

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/plus/grants"):
            return httpx.Response(201, json={"grant": wider.document})
        upstream = http.request(
            request.method, str(request.url), headers=request.headers, content=request.read()
        )
        return httpx.Response(
            upstream.status_code, headers=upstream.headers, content=upstream.content
        )

    lying = Wallet(
        store=wallet.store,
        http=httpx.Client(transport=httpx.MockTransport(answer)),
        trusted_issuers=issuer.settings.issuer_dids(),
    )
    with pytest.raises(IssuerResponseError, match="not say what"):
        lying.grant_consent(
            source=TAX,
            recipient=LANDLORD,
            purpose=PURPOSE,
            scope=[claim_scope(TAX, INCOME, ["belastingjaar"])],
        )
    assert [g.id for g in wallet.consents()] == [wider.id]


def test_control_requests_need_the_grants_holder_key(http: TestClient, wallet: Wallet) -> None:
    grant = wallet.grant_consent(source=TAX, recipient=LANDLORD, purpose=PURPOSE, scope=[income()])
    stranger = _did_key_pair()
    now = int(_now().timestamp())
    claims = {
        "aud": TAX,
        "iat": now,
        "exp": now + 60,
        "jti": "j" * 16,
        "action": "revoke",
        "grant": grant.id,
    }
    url = f"/belastingdienst/plus/grants/{grant.id}/revoke"
    body = {"request": sign_jws(claims, stranger, typ=CONSENT_CONTROL_TYP, kid=stranger.id)}
    assert http.post(url, json=body).status_code == 404
    key = _holder_key(wallet)
    status_claims = {**claims, "action": "status"}
    body = {"request": sign_jws(status_claims, key, typ=CONSENT_CONTROL_TYP, kid=key.id)}
    assert_oauth(http.post(url, json=body), 400, "invalid_request")  # action mismatch
    body = {"request": sign_jws(claims, key, typ=CONSENT_CONTROL_TYP, kid=key.id)}
    assert http.post(url, json=body).status_code == 200
    assert_oauth(http.post(url, json=body), 400, "invalid_request")  # the jti again
    assert wallet.consent_status(grant.id).status == "revoked"


def test_the_recipient_checks_what_it_fetched(
    http: TestClient, wallet: Wallet, landlord: Recipient
) -> None:
    corporation_key = KeyPair.generate("P-256")
    corporation = Recipient(did_key(corporation_key), corporation_key)
    grant = wallet.grant_consent(source=TAX, recipient=LANDLORD, purpose=PURPOSE, scope=[income()])
    fetched = landlord.client(http, _now).fetch(grant.document)
    assert landlord.verifier(http, _now).verify_plus_credentials(fetched).credentials
    # Another verifier: not its grant, not addressed to it.
    with pytest.raises(VerificationError) as other:
        corporation.verifier(http, _now).verify_plus_credentials(fetched)
    assert {p.code for p in other.value.problems} == {
        "PLUS_GRANT_ERROR",
        "PLUS_NOT_FOR_THIS_RECIPIENT",
    }
    # A grant missing a signature, a changed credential, nothing at all.
    unsigned = {**grant.document, "signatures": grant.document["signatures"][:0]}
    with pytest.raises(ParsingError):
        parse_grant(unsigned)
    changed = copy.deepcopy(fetched.unverified_credentials[TAX])
    changed["credentialSubject"]["verzamelinkomen"]["value"] = "1.00"
    report = landlord.verifier(http, _now).check_plus_credentials([changed], grant=grant.document)
    assert "PROOF_VERIFICATION_ERROR" in {p.code for p in report.problems}
    empty = landlord.verifier(http, _now).check_plus_credentials([], grant=grant.document)
    assert empty.codes == ("PARSING_ERROR",)
    with pytest.raises(ValueError, match="not a key of"):
        PlusClient(client_id=LANDLORD, signing_key=corporation_key, http=http)


def test_scope_selection_and_the_chain_check() -> None:
    subject = {
        "type": "Ingezetene",
        "geslachtsnaam": "Vries",
        "adres": {"type": "Adres", "straat": "Oudegracht", "woonplaats": "Utrecht"},
    }
    paths = [("credentialSubject", "adres", "woonplaats"), ("credentialSubject", "geboortedatum")]
    assert select_claims(subject, paths) == {
        "type": "Ingezetene",
        "adres": {"type": "Adres", "woonplaats": "Utrecht"},
    }
    assert select_claims(subject, [("credentialSubject", "adres")])["adres"] == subject["adres"]
    assert covers([("credentialSubject", "adres")], ("credentialSubject", "adres", "postcode"))
    assert not covers([("credentialSubject", "adres", "postcode")], ("credentialSubject", "adres"))
    assert scope_item(TAX, INCOME, ["a/b"])["claims"] == [{"path": ["credentialSubject", "a", "b"]}]
    assert verify_access_log([]).valid
    assert verify_access_log(["not an entry"]).problems == ("entry 1 is not an object",)
    assert not verify_access_log(
        [{"seq": 2, "chain": "c", "prev_hash": "0" * 64, "hash": ""}]
    ).valid


def test_the_service_clock_and_purge(plus: PlusService, http: TestClient, wallet: Wallet) -> None:
    grant = wallet.grant_consent(
        source=TAX,
        recipient=LANDLORD,
        purpose=PURPOSE,
        scope=[income()],
        valid_until=_now() + timedelta(days=1),
    )
    later = lambda: _now() + timedelta(days=400)  # noqa: E731
    assert plus.purge_expired(clock=later) >= 1
    assert plus.grant(grant.id).record.sealed_bsn == b""


def test_hostile_bodies_get_oauth_errors(
    http: TestClient, landlord: Recipient, plus: PlusService
) -> None:
    from .support import assertion, compact_for, raw_fetch

    view = plus.grant_for_citizen(
        "999993653",
        {"recipient": LANDLORD, "purpose": PURPOSE, "authorization_details": [income()]},
    )
    grant = compact_for(view.document, TAX)
    deep = "[" * 40_000 + "]" * 40_000  # form-encoded, within the route's 256 KiB

    def token() -> str:
        return assertion(landlord, TAX, clock=_now)

    assert_oauth(raw_fetch(http, TAX, grant, token(), claims=deep), 400, "invalid_request")
    assert_oauth(raw_fetch(http, TAX, grant, token(), claims="[{}]"), 400, "invalid_request")
    assert_oauth(raw_fetch(http, TAX, "", token()), 400, "invalid_request")
    assert_oauth(raw_fetch(http, TAX, "x.y.z", token()), 400, "invalid_grant")
    as_json = http.post("/belastingdienst/plus/credential", json={"grant": grant})
    assert_oauth(as_json, 400, "invalid_request")
    deep_body = http.post(
        "/belastingdienst/plus/grants", content=deep, headers={"content-type": "application/json"}
    )
    assert_oauth(deep_body, 400, "invalid_request")
    assert http.post("/nowhere/plus/nonce").status_code == 404
    assert [(e.event, e.error) for e in plus.access_log(view.id).entries] == [
        ("granted", None),
        ("refused", "invalid_request"),
        ("refused", "invalid_request"),
    ]
    # An authenticated recipient's attempts that name no known grant are logged in the
    # source's own chain; the JSON body (refused before authentication) is not logged.
    chain = plus.access_log("source:belastingdienst")
    assert chain.check.valid
    assert [(e.error, e.actor) for e in chain.entries[-2:]] == [
        ("invalid_request", LANDLORD),
        ("invalid_grant", LANDLORD),
    ]
