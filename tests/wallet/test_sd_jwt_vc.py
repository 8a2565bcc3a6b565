"""SD-JWT VC in the wallet: receive (checked before storing), keep, match DCQL, present, export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vc_core import verify
from vc_core.errors import CredentialPolicyError, IssuerKeyError, SdJwtError
from vc_core.hazmat.sd_jwt import parse_sd_jwt
from vc_core.sd_jwt import DidWebKeys, verify_sd_jwt_vc
from vc_issuer.issuer import Issuer
from vc_issuer.sources.demo import DEMO_BSN, REVIEW_BSN
from wallet_sdk import EXPORT_DOMAIN, EncryptedStore, Wallet
from wallet_sdk.errors import NoMatchingCredentialError, PresentationRequestError

from .helpers import BASE, CHEAP_KDF, REDIRECT_CLIENT, SOURCES, new_wallet, request_for, type_query


def vct(source: str) -> str:
    return f"{BASE}/{source}/vct/{SOURCES[source]}"


def sd_jwt_query(query_id: str, source: str, **extra: Any) -> dict[str, Any]:
    return {"id": query_id, "format": "dc+sd-jwt", "meta": {"vct_values": [vct(source)]}, **extra}


def receive(wallet: Wallet, issuer: Issuer, source: str, copies: int = 1) -> list[Any]:
    offer = issuer.create_offer(source, DEMO_BSN, f"{SOURCES[source]}_dc_sd_jwt")
    return wallet.accept_offer(
        wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code, copies=copies
    )


@pytest.mark.parametrize("source", SOURCES)
def test_receive_an_sd_jwt_vc_from_every_source(
    client: TestClient, issuer: Issuer, source: str
) -> None:
    wallet = new_wallet(client, issuer)
    (stored,) = receive(wallet, issuer, source)
    assert stored.format == "dc+sd-jwt"
    assert stored.types == (vct(source),)
    assert stored.issuer == f"did:web:issuer.example.nl:{source}"
    assert stored.credential_issuer == f"{BASE}/{source}"
    assert stored.credential["vct"] == vct(source)
    assert stored.encoded is not None
    assert stored.encoded.endswith("~")
    # The cnf key is the holder key the wallet keeps under the stored holder DID.
    key = wallet._keys.get(stored.holder)
    assert stored.credential["cnf"]["jwk"] == key.public.to_jwk()
    assert wallet.credentials(type=vct(source)) == [stored]
    assert [entry.event for entry in wallet.log()] == ["received"]


def test_a_batch_of_copies_each_with_its_own_key(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    copies = receive(wallet, issuer, "belastingdienst", copies=3)
    assert len({c.holder for c in copies}) == 3
    assert len({c.batch_id for c in copies}) == 1


def test_claims_filter_looks_at_the_payload(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    receive(wallet, issuer, "rdw")
    assert len(wallet.credentials(claim="kenteken")) == 1
    assert wallet.credentials(claim="geboortedatum") == []


def test_a_revoked_credential_is_not_stored(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer("brp", DEMO_BSN, "PersoonsgegevensCredential_dc_sd_jwt")
    original = issuer.issue_with_claims

    def issue_revoked(*args: Any, **kwargs: Any) -> Any:
        issued = original(*args, **kwargs)
        for credential in issued:
            payload = parse_sd_jwt(credential).jws.payload
            assert isinstance(credential, str)
            # The holder's own view of jti is in a Disclosure; find it the holder's way. The
            # DID document comes from the issuer object: this runs inside the request.
            keys = DidWebKeys(
                [issuer.settings.issuer_did("brp")],
                fetch=lambda _url, accept: json.dumps(issuer.did_document("brp")).encode(),
            )
            issuer.revoke(str(verify_sd_jwt_vc(credential, key_resolver=keys).id))
            assert payload["iss"] == f"{BASE}/brp"
        return issued

    issuer.issue_with_claims = issue_revoked  # type: ignore[method-assign]
    try:
        with pytest.raises(CredentialPolicyError) as raised:
            wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    finally:
        del issuer.issue_with_claims
    assert raised.value.code == "CREDENTIAL_REVOKED"
    assert wallet.credentials() == []


def fetch_from(client: TestClient) -> Any:
    def fetch(url: str, *, accept: str) -> bytes:
        return client.get(url, headers={"Accept": accept}).content

    return fetch


def test_a_credential_from_another_issuer_is_refused(client: TestClient, issuer: Issuer) -> None:
    """The tax office's answer carrying the vehicle authority's credential fails the iss check."""
    wallet = new_wallet(client, issuer)
    foreign = issuer.issue_credential(
        "rdw",
        bsn=DEMO_BSN,
        configuration_id="VoertuigregistratieCredential_dc_sd_jwt",
        holder_did=None,
    )
    original = issuer.issue_with_claims
    issuer.issue_with_claims = lambda *a, **k: [foreign for _ in original(*a, **k)]  # type: ignore[method-assign]
    try:
        with pytest.raises((IssuerKeyError, CredentialPolicyError, SdJwtError)):
            receive(wallet, issuer, "belastingdienst")
    finally:
        del issuer.issue_with_claims
    assert wallet.credentials() == []


def test_deferred_sd_jwt_vc_is_picked_up_later(client: TestClient, issuer: Issuer) -> None:
    wallet = new_wallet(client, issuer)
    offer = issuer.create_offer("duo", REVIEW_BSN, "DiplomaCredential_dc_sd_jwt")
    with pytest.raises(Exception, match="deferred"):
        wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    (pending,) = wallet.pending()
    assert pending.format == "dc+sd-jwt"
    assert pending.vct == vct("duo")
    service = client.app.state.service  # type: ignore[attr-defined]
    for review in service.pending_reviews():
        service.review(review["id"], approve=True)
    (stored,) = wallet.poll_deferred()
    assert stored.format == "dc+sd-jwt"
    assert wallet.pending() == []


# --- presenting ---------------------------------------------------------------------------------


def test_present_only_the_requested_claims_with_key_binding(
    client: TestClient, issuer: Issuer
) -> None:
    wallet = new_wallet(client, issuer)
    (stored,) = receive(wallet, issuer, "belastingdienst")
    query = sd_jwt_query(
        "inkomen",
        "belastingdienst",
        claims=[{"path": ["inkomenstoets", "onderSocialeHuurgrens"]}],
    )
    request = request_for({"credentials": [query]})
    match = wallet.match(request)
    (candidate,) = match.candidates["inkomen"]
    assert candidate.paths == (("inkomenstoets", "onderSocialeHuurgrens"),)
    assert candidate.pointers == ("/inkomenstoets/onderSocialeHuurgrens",)
    presentation = wallet.present(request)
    (shown,) = presentation.vp_token["inkomen"]
    assert isinstance(shown, str)
    keys = DidWebKeys([issuer.settings.issuer_did("belastingdienst")], fetch=fetch_from(client))
    verified = verify_sd_jwt_vc(
        shown,
        key_resolver=keys,
        audience=REDIRECT_CLIENT,
        nonce=request.nonce,
        clock=lambda: datetime.now(UTC),
    )
    assert "verzamelinkomen" not in verified.claims
    assert "inkomensklasse" not in verified.claims
    assert verified.claims["inkomenstoets"]["onderSocialeHuurgrens"] in (True, False)
    assert verified.id is None  # the jti is not shown unless asked for
    # The citizen's log names every claim that left the wallet, and nothing hidden.
    presented = [entry for entry in wallet.log() if entry.event == "presented"][-1]
    assert "/inkomenstoets/onderSocialeHuurgrens" in presented.claims
    assert "/verzamelinkomen/value" not in presented.claims
    assert presented.credential_ids == (stored.id,)
    assert json.loads(presentation.form_fields()["vp_token"]) == {"inkomen": [shown]}


def test_a_query_for_one_format_is_not_answered_with_the_other(
    client: TestClient, issuer: Issuer
) -> None:
    wallet = new_wallet(client, issuer)
    receive(wallet, issuer, "rdw")
    with pytest.raises(NoMatchingCredentialError):
        wallet.match(request_for({"credentials": [type_query("auto", SOURCES["rdw"])]}))
    with pytest.raises(NoMatchingCredentialError):
        wallet.match(request_for({"credentials": [sd_jwt_query("x", "duo")]}))


def test_credential_sets_take_whichever_format_the_wallet_holds(
    client: TestClient, issuer: Issuer
) -> None:
    wallet = new_wallet(client, issuer)
    receive(wallet, issuer, "rdw")
    dcql = {
        "credentials": [
            type_query("ldp", SOURCES["rdw"], claims=[{"path": ["credentialSubject", "voertuig"]}]),
            sd_jwt_query("sd", "rdw", claims=[{"path": ["voertuig", "kenteken"]}]),
        ],
        "credential_sets": [{"options": [["ldp"], ["sd"]]}],
    }
    match = wallet.match(request_for(dcql))
    assert set(match.selection) == {"sd"}
    presentation = wallet.present(match.request, match)
    assert isinstance(presentation.vp_token["sd"][0], str)


def test_a_verifier_that_takes_only_ldp_vc_gets_no_sd_jwt_vc(
    client: TestClient, issuer: Issuer
) -> None:
    from urllib.parse import parse_qs, urlencode, urlsplit

    from .helpers import request_link

    wallet = new_wallet(client, issuer)
    receive(wallet, issuer, "rdw")
    link = request_link({"credentials": [sd_jwt_query("sd", "rdw")]})
    parameters = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    metadata = {"vp_formats_supported": {"ldp_vc": {"cryptosuite_values": ["ecdsa-sd-2023"]}}}
    only_ldp = "openid4vp://?" + urlencode({**parameters, "client_metadata": json.dumps(metadata)})
    request = wallet.open_request(only_ldp)
    assert request.formats == frozenset({"ldp_vc"})
    with pytest.raises(NoMatchingCredentialError):
        wallet.match(request)
    sd_only = {"vp_formats_supported": {"dc+sd-jwt": {"kb-jwt_alg_values": ["ES384"]}}}
    unusable = "openid4vp://?" + urlencode({**parameters, "client_metadata": json.dumps(sd_only)})
    with pytest.raises(PresentationRequestError) as raised:
        wallet.open_request(unusable)
    assert raised.value.error == "vp_formats_not_supported"


# --- keeping: encrypted store, backup, export -----------------------------------------------


def test_store_backup_and_export_keep_sd_jwt_vcs(
    client: TestClient, issuer: Issuer, tmp_path: Path
) -> None:
    path = tmp_path / "wallet.db"
    store = EncryptedStore.open(path, passphrase="lange wachtzin", kdf=CHEAP_KDF)
    wallet = new_wallet(client, issuer, store=store)
    (sd_jwt,) = receive(wallet, issuer, "belastingdienst")
    offer = issuer.create_offer("rdw", DEMO_BSN)
    (ldp,) = wallet.accept_offer(wallet.parse_offer(offer.offer_uri), tx_code=offer.tx_code)
    # Encrypted at rest: neither the compact text nor a claim value is in the file.
    raw = path.read_bytes()
    assert sd_jwt.encoded is not None
    assert sd_jwt.encoded[:40].encode() not in raw
    assert b"sociale-huurgrens" not in raw
    # A backup restores it whole.
    wallet.backup(tmp_path / "backup.bin", passphrase="back-up wachtzin", kdf=CHEAP_KDF)
    restored = new_wallet(client, issuer)
    restored.restore(tmp_path / "backup.bin", passphrase="back-up wachtzin")
    assert restored.credential(sd_jwt.id) == sd_jwt
    assert restored._keys.get(sd_jwt.holder).public == wallet._keys.get(sd_jwt.holder).public
    # The export carries it enveloped, with every Disclosure, signed by its holder key.
    exported = wallet.export([sd_jwt.id, ldp.id])
    enveloped, derived = exported["verifiableCredential"]
    assert enveloped["type"] == "EnvelopedVerifiableCredential"
    assert enveloped["id"] == f"data:application/dc+sd-jwt,{sd_jwt.encoded}"
    assert derived["credentialSubject"]["id"] == ldp.holder
    checked = verify(exported, domain=EXPORT_DOMAIN, fetch=fetch_from(client))
    signers = {proof["verificationMethod"].partition("#")[0] for proof in checked.proofs}
    assert signers == {sd_jwt.holder, ldp.holder}
    store.close()
