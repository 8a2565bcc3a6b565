"""The wallet against the real issuer app: in-process (TestClient) and over loopback (uvicorn)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from vc_core.errors import CredentialPolicyError, ParsingError, ProofVerificationError, VcError
from vc_issuer.issuer import Issuer
from vc_issuer.sources.demo import DEMO_BSN, REVIEW_BSN
from vc_issuer.web import create_app
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import IssuerResponseError, OfferError, StoreError
from wallet_sdk.offers import CredentialOfferReference

from .helpers import BASE, SOURCES, new_wallet


@pytest.mark.parametrize("source", SOURCES)
def test_receive_from_every_source(client: TestClient, issuer: Issuer, source: str) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer(source, DEMO_BSN)
    preview = wallet.preview_offer(wallet.parse_offer(offer.offer_uri))  # by reference
    assert preview.trusted
    assert preview.issuer_name
    assert preview.tx_code is not None
    (stored,) = wallet.accept_offer(preview, tx_code=offer.tx_code)
    assert stored.types == ("VerifiableCredential", SOURCES[source])
    assert stored.issuer == issuer.settings.issuer_did(source)
    assert stored.credential["credentialSubject"]["id"] == stored.holder
    assert stored.credential["proof"]["proofValue"].startswith("u2V0A")
    assert wallet.credentials(type=SOURCES[source]) == [stored]
    assert [k.did for k in wallet.store.holder_keys()] == [stored.holder]
    (entry,) = wallet.log()
    assert (entry.event, entry.counterparty, entry.credential_ids) == (
        "received",
        f"{BASE}/{source}",
        (stored.id,),
    )


def test_a_batch_binds_every_copy_to_its_own_key(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    saved = wallet.accept_offer(
        wallet.parse_offer(issuer.demo_offer("belastingdienst")), tx_code="000000", copies=3
    )
    assert len(saved) == 3
    assert len({c.holder for c in saved}) == 3
    assert len({c.batch_id for c in saved}) == 1
    assert {k.did for k in wallet.store.holder_keys()} == {c.holder for c in saved}


def test_an_ed25519_wallet_receives_too(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer, holder_curve="Ed25519")
    (stored,) = wallet.accept_offer(wallet.parse_offer(issuer.demo_offer("rdw")), tx_code="000000")
    assert stored.holder.startswith("did:key:z6Mk")


def test_deferred_issuance_is_picked_up_after_review(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer("duo", REVIEW_BSN)
    with pytest.raises(IssuerResponseError) as info:
        wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    assert info.value.code == "ISSUANCE_PENDING"
    (pending,) = wallet.pending()
    assert pending.id == info.value.pending_id
    assert wallet.credentials() == []
    assert wallet.poll_deferred() == []  # still under review

    admin = {"Authorization": f"Bearer {issuer.settings.admin_token.get_secret_value()}"}
    (review,) = client.get("/admin/deferred", headers=admin).json()["pending"]
    approved = client.post(f"/admin/deferred/{review['id']}/approve", headers=admin)
    assert approved.status_code == 200

    (stored,) = wallet.poll_deferred(pending.id)
    assert stored.types[-1] == "DiplomaCredential"
    assert stored.holder in pending.holders
    assert wallet.pending() == []
    assert [e.event for e in wallet.log()] == ["deferred", "received"]
    with pytest.raises(StoreError) as missing:
        wallet.poll_deferred(pending.id)
    assert missing.value.code == "RECORD_NOT_FOUND"


def test_a_wrong_transaction_code_is_refused_and_nothing_stored(
    client: TestClient, issuer: Issuer
) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer("brp", DEMO_BSN)
    wrong = "000001" if offer.tx_code != "000001" else "000002"
    with pytest.raises(IssuerResponseError) as info:
        wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=wrong)
    assert info.value.error in ("invalid_grant", "invalid_tx_code")
    assert info.value.status == 400
    assert wallet.store.dump() == []
    # The citizen types it again, correctly.
    assert len(wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code))


def test_a_missing_or_malformed_code_never_reaches_the_issuer(
    client: TestClient, issuer: Issuer
) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer("brp", DEMO_BSN)
    for code in (None, "12ab56", "1234567"):
        with pytest.raises(OfferError) as info:
            wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=code)
        assert info.value.code == "INVALID_TX_CODE"
    assert len(wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code))


def test_an_untrusted_issuer_gets_no_transaction_code(client: TestClient, issuer: Issuer) -> None:
    dids = issuer.settings.issuer_dids()
    wallet = Wallet(
        store=MemoryStore(),
        http=client,
        trusted_issuers=[dids["belastingdienst"], dids["duo"]],
    )
    offer = issuer.create_offer("brp", DEMO_BSN)
    preview = wallet.preview_offer(wallet.parse_offer(offer.offer_uri))
    assert (preview.trusted, preview.metadata) == (False, None)
    with pytest.raises(OfferError) as info:
        wallet.accept_offer(preview, tx_code=offer.tx_code)
    assert info.value.code == "UNTRUSTED_ISSUER"
    assert wallet.store.dump() == []
    # The code was never used: a wallet that trusts the BRP can still redeem the offer.
    assert len(new_wallet(client, issuer).accept_offer(preview, tx_code=offer.tx_code)) == 1


class Tampering(httpx.BaseTransport):
    """A hostile network between wallet and issuer: rewrites credential responses."""

    def __init__(self, upstream: TestClient, change: Callable[[dict[str, Any]], None]) -> None:
        self.upstream = upstream
        self.change = change

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.upstream.send(request)
        body = response.read()
        if request.url.path.endswith("/credential") and response.status_code == 200:
            document = json.loads(body)
            for item in document["credentials"]:
                self.change(item["credential"])
            body = json.dumps(document).encode()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=body)


def _raise_income(credential: dict[str, Any]) -> None:
    credential["credentialSubject"]["inkomensklasse"] = "hoog"


def _drop_status(credential: dict[str, Any]) -> None:
    del credential["credentialStatus"]


def _other_holder(credential: dict[str, Any]) -> None:
    credential["credentialSubject"]["id"] = (
        "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
    )


def _derived_instead(credential: dict[str, Any]) -> None:
    credential["proof"]["proofValue"] = "u2V0B" + credential["proof"]["proofValue"][5:]


def _other_cryptosuite(credential: dict[str, Any]) -> None:
    credential["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"


def _hostile_proof_value(credential: dict[str, Any]) -> None:
    credential["proof"]["proofValue"] = "u2V0A!not-base64url"


def _other_purpose(credential: dict[str, Any]) -> None:
    credential["proof"]["proofPurpose"] = "authentication"


def _not_an_object(credential: dict[str, Any]) -> None:
    credential["credentialSubject"] = "nobody"


TAMPERING = {
    "changed-claim": (_raise_income, ProofVerificationError),
    "dropped-status": (_drop_status, ProofVerificationError),
    "other-holder": (_other_holder, ProofVerificationError),
    "derived-proof": (_derived_instead, ProofVerificationError),
    "other-cryptosuite": (_other_cryptosuite, ProofVerificationError),
    "hostile-proof-value": (_hostile_proof_value, ProofVerificationError),
    "other-purpose": (_other_purpose, ProofVerificationError),
    "malformed": (_not_an_object, ParsingError),
}


@pytest.mark.parametrize(("change", "error"), TAMPERING.values(), ids=TAMPERING.keys())
def test_a_tampered_credential_is_refused_and_nothing_stored(
    client: TestClient,
    issuer: Issuer,
    change: Callable[[dict[str, Any]], None],
    error: type[VcError],
) -> None:
    hostile = httpx.Client(transport=Tampering(client, change), base_url=BASE)
    wallet = new_wallet(hostile, issuer)
    with pytest.raises(error) as info:
        wallet.accept_offer(
            wallet.parse_offer(issuer.demo_offer("belastingdienst")), tx_code="000000"
        )
    assert info.value.code == error.default_code
    assert wallet.store.dump() == []


def test_a_credential_of_another_issuer_is_refused(client: TestClient, issuer: Issuer) -> None:
    """The network swaps in a genuine RDW credential for the requested tax statement."""
    genuine = new_wallet(client, issuer)
    (foreign,) = genuine.accept_offer(
        genuine.parse_offer(issuer.demo_offer("rdw")), tx_code="000000"
    )

    def swap(credential: dict[str, Any]) -> None:
        credential.clear()
        credential.update(foreign.credential)

    wallet = new_wallet(httpx.Client(transport=Tampering(client, swap), base_url=BASE), issuer)
    with pytest.raises(CredentialPolicyError) as info:
        wallet.accept_offer(
            wallet.parse_offer(issuer.demo_offer("belastingdienst")), tx_code="000000"
        )
    assert info.value.code == "UNTRUSTED_ISSUER"
    assert wallet.store.dump() == []


def test_an_unknown_offer_reference(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    with pytest.raises(OfferError):
        wallet.accept_offer(CredentialOfferReference(f"{BASE}/brp/offers/nope"), tx_code="1")


# --- a real server on loopback --------------------------------------------------------------


class Loopback(httpx.BaseTransport):
    """Route https://issuer.example.nl to a local server, as DNS plus a TLS proxy would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "issuer.example.nl"
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)


@pytest.fixture(scope="module")
def loopback_port(issuer: Issuer) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    config = uvicorn.Config(create_app(issuer), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_receive_from_a_real_server_on_loopback(issuer: Issuer, loopback_port: int) -> None:
    with httpx.Client(transport=Loopback(loopback_port), timeout=10) as http:
        wallet = new_wallet(http, issuer)
        offer = issuer.create_offer("belastingdienst", DEMO_BSN)
        saved = wallet.accept_offer(
            wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code, copies=2
        )
    assert len(saved) == 2
    assert all(c.issuer == issuer.settings.issuer_did("belastingdienst") for c in saved)


class Recording(httpx.BaseTransport):
    """Passes every request to the issuer app and records it; can stand in for a stale nonce."""

    def __init__(self, upstream: TestClient, *, stale_nonce_answers: int = 0) -> None:
        self.upstream = upstream
        self.stale_nonce_answers = stale_nonce_answers
        self.seen: list[tuple[str, str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.seen.append((request.method, request.url.path, body))
        if request.url.path.endswith("/credential") and self.stale_nonce_answers:
            self.stale_nonce_answers -= 1
            return httpx.Response(400, json={"error": "invalid_nonce"})
        response = self.upstream.send(request)
        content = response.read()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=content)

    def paths(self) -> list[str]:
        return [f"{method} {path}" for method, path, _ in self.seen]


def test_the_request_sequence_and_the_notification(client: TestClient, issuer: Issuer) -> None:
    recording = Recording(client)
    wallet = new_wallet(httpx.Client(transport=recording), issuer)
    offer = issuer.create_offer("brp", DEMO_BSN)
    wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    paths = recording.paths()
    assert paths[:6] == [
        f"GET /brp/offers/{offer.id}",
        "GET /.well-known/openid-credential-issuer/brp",
        "GET /.well-known/oauth-authorization-server/brp",
        "POST /brp/token",
        "POST /brp/nonce",
        "POST /brp/credential",
    ]
    assert "GET /brp/did.json" in paths
    assert "GET /brp/status/revocation/1" in paths
    method, path, body = recording.seen[-1]
    assert (method, path) == ("POST", "/brp/notification")
    assert json.loads(body)["event"] == "credential_accepted"


def test_a_refused_credential_is_reported_to_the_issuer(client: TestClient, issuer: Issuer) -> None:
    recording = Recording(client)

    class Hostile(Tampering):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            recording.seen.append((request.method, request.url.path, request.read()))
            return super().handle_request(request)

    wallet = new_wallet(httpx.Client(transport=Hostile(client, _raise_income)), issuer)
    with pytest.raises(ProofVerificationError):
        wallet.accept_offer(wallet.parse_offer(issuer.demo_offer("rdw")), tx_code="000000")
    method, path, body = recording.seen[-1]
    assert (method, path) == ("POST", "/rdw/notification")
    assert json.loads(body)["event"] == "credential_failure"


def test_a_stale_nonce_is_refreshed_once(client: TestClient, issuer: Issuer) -> None:
    once = Recording(client, stale_nonce_answers=1)
    wallet = new_wallet(httpx.Client(transport=once), issuer)
    assert len(wallet.accept_offer(wallet.parse_offer(issuer.demo_offer("duo")), tx_code="000000"))
    assert once.paths().count("POST /duo/nonce") == 2
    assert once.paths().count("POST /duo/credential") == 2

    always = Recording(client, stale_nonce_answers=99)
    wallet = new_wallet(httpx.Client(transport=always), issuer)
    with pytest.raises(IssuerResponseError) as info:
        wallet.accept_offer(wallet.parse_offer(issuer.demo_offer("duo")), tx_code="000000")
    assert info.value.error == "invalid_nonce"
    assert always.paths().count("POST /duo/credential") == 2
    assert wallet.store.dump() == []


@pytest.mark.parametrize(
    ("action", "code"),
    [("revoke", "CREDENTIAL_REVOKED"), ("suspend", "CREDENTIAL_SUSPENDED")],
)
def test_a_credential_revoked_before_it_is_stored_is_refused(
    client: TestClient, issuer: Issuer, action: str, code: str
) -> None:
    """The issuer revokes (or suspends) the credential between issuing and our status check."""

    def withdraw(credential: dict[str, Any]) -> None:
        getattr(issuer, action)(credential["id"])

    # A new wallet has an empty status-list cache, so it sees the list as it is now.
    wallet = new_wallet(httpx.Client(transport=Tampering(client, withdraw)), issuer)
    with pytest.raises(CredentialPolicyError) as info:
        wallet.accept_offer(wallet.parse_offer(issuer.demo_offer("brp")), tx_code="000000")
    assert info.value.code == code
    assert wallet.store.dump() == []
