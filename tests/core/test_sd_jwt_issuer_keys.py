"""Issuer keys for SD-JWT VC: JWT VC Issuer Metadata through a Fetch, x5c chains, key sets."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from vc_core import FetchError, IssuerKeyError, VerificationError, _x509
from vc_core.did import dereference_verification_method
from vc_core.hazmat.sd_jwt import (
    create_jwt_vc_issuer_metadata,
    jwt_vc_issuer_metadata_url,
    parse_jwk_set,
    serialize_sd_jwt,
    validate_jwt_vc_issuer_metadata,
)
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.sd_jwt import (
    DidWebKeys,
    IssuerMetadataKeys,
    StaticIssuerKeys,
    X5cKeys,
    issue_sd_jwt_vc,
    key_id,
    present_sd_jwt_vc,
    verify_sd_jwt_vc,
)

ISSUER = "https://issuer.example.nl/belastingdienst"
WELL_KNOWN = "https://issuer.example.nl/.well-known/jwt-vc-issuer/belastingdienst"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(1, 33)))
HOLDER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(2, 34)))


class Server:
    """A Fetch over a dict of URL -> body, recording every request."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.requests: list[tuple[str, str]] = []

    def __call__(self, url: str, *, accept: str) -> bytes:
        self.requests.append((url, accept))
        if url not in self.documents:
            raise FetchError(f"404 for {url}")
        body = self.documents[url]
        return body if isinstance(body, bytes) else json.dumps(body).encode()


def credential(key: KeyPair = ISSUER_KEY, **options: Any) -> str:
    issued = issue_sd_jwt_vc(
        {"inkomensklasse": "midden"},
        key,
        issuer=ISSUER,
        vct=f"{ISSUER}/inkomen",
        disclosable=[["inkomensklasse"]],
        holder_key=HOLDER_KEY.public,
        issued_at=NOW,
        **options,
    )
    return present_sd_jwt_vc(
        issued, [["inkomensklasse"]], holder_key=HOLDER_KEY, audience="aud", nonce="n",
        clock=lambda: NOW,
    )  # fmt: skip


def verify(presented: str, resolver: Any, *, at: datetime = NOW) -> Any:
    return verify_sd_jwt_vc(
        presented, key_resolver=resolver, audience="aud", nonce="n", clock=lambda: at
    )


# --- JWT VC Issuer Metadata -------------------------------------------------------------------


def test_metadata_the_issuer_publishes_is_what_verifiers_use() -> None:
    metadata = create_jwt_vc_issuer_metadata(ISSUER, [ISSUER_KEY.public])
    assert metadata["jwks"]["keys"][0]["kid"] == key_id(ISSUER_KEY.public)
    server = Server({WELL_KNOWN: metadata})
    keys = IssuerMetadataKeys(server, issuers=[ISSUER], clock=lambda: NOW)
    assert verify(credential(), keys).claims == {"inkomensklasse": "midden"}
    assert verify(credential(), keys).issuer_key == ISSUER_KEY.public
    assert server.requests == [(WELL_KNOWN, "application/json")]  # cached the second time


def test_metadata_is_fetched_again_after_its_ttl() -> None:
    server = Server({WELL_KNOWN: create_jwt_vc_issuer_metadata(ISSUER, [ISSUER_KEY.public])})
    now = [NOW]
    keys = IssuerMetadataKeys(server, issuers=[ISSUER], clock=lambda: now[0])
    verify(credential(), keys)
    now[0] = NOW + timedelta(minutes=11)
    verify(credential(), keys, at=now[0] - timedelta(minutes=11))
    assert len(server.requests) == 2


def test_a_rotated_key_is_picked_up_but_unknown_kids_do_not_hammer_the_issuer() -> None:
    new_key = KeyPair.generate("P-256")
    server = Server({WELL_KNOWN: create_jwt_vc_issuer_metadata(ISSUER, [ISSUER_KEY.public])})
    now = [NOW]
    keys = IssuerMetadataKeys(server, issuers=[ISSUER], clock=lambda: now[0])
    verify(credential(), keys)
    server.documents[WELL_KNOWN] = create_jwt_vc_issuer_metadata(
        ISSUER, [ISSUER_KEY.public, new_key.public]
    )
    with pytest.raises(IssuerKeyError, match="kid"):
        verify(credential(new_key), keys)  # within 30 s of the last fetch: no new fetch
    assert len(server.requests) == 1
    now[0] = NOW + timedelta(seconds=31)
    assert verify(credential(new_key), keys, at=NOW).issuer_key == new_key.public
    assert len(server.requests) == 2
    for _ in range(3):
        with pytest.raises(IssuerKeyError, match="kid"):
            verify(credential(kid="forged"), keys, at=NOW)
    assert len(server.requests) == 2


def test_keys_by_reference_through_jwks_uri() -> None:
    jwks = create_jwt_vc_issuer_metadata(ISSUER, [ISSUER_KEY.public])["jwks"]
    server = Server(
        {
            WELL_KNOWN: {"issuer": ISSUER, "jwks_uri": "https://keys.example.nl/jwks.json"},
            "https://keys.example.nl/jwks.json": jwks,
        }
    )
    keys = IssuerMetadataKeys(server, issuers=[ISSUER], clock=lambda: NOW)
    verify(credential(), keys)
    assert [url for url, _ in server.requests] == [WELL_KNOWN, "https://keys.example.nl/jwks.json"]


def test_untrusted_issuer_fetches_nothing() -> None:
    server = Server({})
    keys = IssuerMetadataKeys(server, issuers=["https://issuer.example.nl/duo"])
    with pytest.raises(IssuerKeyError) as caught:
        verify(credential(), keys)
    assert caught.value.code == "UNTRUSTED_ISSUER"
    assert server.requests == []


@pytest.mark.parametrize(
    "metadata",
    [
        {"issuer": "https://issuer.example.nl", "jwks": {"keys": []}},
        {"issuer": ISSUER},
        {"issuer": ISSUER, "jwks": {"keys": []}, "jwks_uri": "https://k.example.nl"},
        {"issuer": ISSUER, "jwks_uri": "http://k.example.nl"},
        {"issuer": ISSUER, "jwks": []},
        {"issuer": ISSUER, "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "AA"}]}},
        {"issuer": ISSUER, "jwks": {"keys": [{**HOLDER_KEY.public.to_jwk(), "d": "AAAA"}]}},
        {"issuer": ISSUER, "jwks": {"keys": [HOLDER_KEY.public.to_jwk()]}},
        [1, 2],
        b"not json",
        b'{"issuer": "a", "issuer": "b"}',
    ],
)
def test_bad_metadata_is_refused(metadata: Any) -> None:
    keys = IssuerMetadataKeys(Server({WELL_KNOWN: metadata}), issuers=[ISSUER])
    with pytest.raises(IssuerKeyError) as caught:
        verify(credential(), keys)
    assert caught.value.code == "ISSUER_KEY_ERROR"


def test_unreachable_metadata_is_an_issuer_key_error() -> None:
    keys = IssuerMetadataKeys(Server({}), issuers=[ISSUER])
    with pytest.raises(IssuerKeyError, match="could not be fetched"):
        verify(credential(), keys)


@pytest.mark.parametrize(
    "issuer",
    ["http://issuer.example.nl", "https://issuer.example.nl?x=1", "https://issuer.example.nl#f",
     "https://user@issuer.example.nl", "https://issuer.example.nl:99999", "issuer.example.nl", 42],
)  # fmt: skip
def test_issuer_identifiers_that_are_not_https_urls(issuer: Any) -> None:
    with pytest.raises(IssuerKeyError):
        jwt_vc_issuer_metadata_url(issuer)


def test_key_set_rules() -> None:
    ed = KeyPair.generate("Ed25519").public
    rsa = {"kty": "RSA", "n": base64.urlsafe_b64encode(b"\xc1" * 256).decode().rstrip("="),
           "e": "AQAB", "kid": "rsa"}  # fmt: skip
    keys = parse_jwk_set(
        {
            "keys": [
                {**ISSUER_KEY.public.to_jwk(), "kid": "a"},
                {**ed.to_jwk(), "kid": "b", "use": "enc"},
                {**ed.to_jwk(), "kid": "c", "key_ops": ["encrypt"]},
                rsa,
            ]
        }
    )
    assert [(k.kid, k.key) for k in keys] == [("a", ISSUER_KEY.public)]
    with pytest.raises(IssuerKeyError):
        validate_jwt_vc_issuer_metadata({"issuer": ISSUER}, ISSUER)


def test_static_keys_pick_by_kid_and_check_alg() -> None:
    other = KeyPair.generate("P-256")
    jwks = {"keys": [{**ISSUER_KEY.public.to_jwk(), "kid": "k1", "alg": "ES384"}]}
    with pytest.raises(IssuerKeyError, match="ES384"):
        verify(credential(kid="k1"), StaticIssuerKeys({ISSUER: jwks}))
    two = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public, other.public]})
    assert verify(credential(), two).issuer_key == ISSUER_KEY.public
    # Without a kid the issuer must have a single key.
    payload = {"iss": ISSUER, "vct": "v", "iat": int(NOW.timestamp())}
    no_kid = serialize_sd_jwt(sign_jws(payload, ISSUER_KEY, typ="dc+sd-jwt"), [])
    with pytest.raises(IssuerKeyError, match="cannot choose"):
        verify_sd_jwt_vc(no_kid, key_resolver=two, clock=lambda: NOW)
    one = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public]})
    assert verify_sd_jwt_vc(no_kid, key_resolver=one, clock=lambda: NOW).vct == "v"


# --- x5c ---------------------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str,
    public_key: Any,
    signer: ec.EllipticCurvePrivateKey,
    issuer: str,
    *,
    ca: bool,
    names: list[x509.GeneralName] | None = None,
    not_after: datetime = NOW + timedelta(days=365),
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signer, hashes.SHA256())


class Pki:
    """A root CA, an intermediate CA and a leaf for the issuer's signing key."""

    def __init__(self, names: list[x509.GeneralName], *, leaf_not_after: datetime | None = None):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = _certificate("Root", self.root_key.public_key(), self.root_key, "Root", ca=True)
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca = _certificate("CA", self.ca_key.public_key(), self.root_key, "Root", ca=True)
        self.leaf = _certificate(
            "Belastingdienst",
            ISSUER_KEY.private_key.public_key(),
            self.ca_key,
            "CA",
            ca=False,
            names=names,
            not_after=leaf_not_after or NOW + timedelta(days=365),
        )

    def x5c(self, *certificates: x509.Certificate) -> list[str]:
        chosen = certificates or (self.leaf, self.ca)
        return [base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in chosen]


def test_x5c_chain_to_a_trust_anchor() -> None:
    pki = Pki([x509.DNSName("issuer.example.nl")])
    anchors = [pki.root.public_bytes(Encoding.PEM)]
    keys = X5cKeys(anchors, issuers=[ISSUER], clock=lambda: NOW)
    verified = verify(credential(x5c=pki.x5c()), keys)
    assert verified.issuer_key == ISSUER_KEY.public


def test_a_validated_chain_is_reused_but_never_past_its_expiry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    validations: list[object] = []
    real = _x509.verify_chain

    def counting(x5c: object, anchors: Any, *, now: datetime) -> _x509.ValidatedChain:
        validations.append(x5c)
        return real(x5c, anchors, now=now)

    monkeypatch.setattr(_x509, "verify_chain", counting)
    pki = Pki([x509.DNSName("issuer.example.nl")], leaf_not_after=NOW + timedelta(minutes=5))
    now = [NOW]
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: now[0])
    presented = credential(x5c=pki.x5c())
    verify(presented, keys)
    verify(presented, keys)
    assert len(validations) == 1
    now[0] = NOW + timedelta(minutes=6)
    with pytest.raises(IssuerKeyError, match="does not validate"):
        verify(presented, keys, at=NOW)


def test_x5c_leaf_may_name_the_issuer_by_uri() -> None:
    pki = Pki([x509.UniformResourceIdentifier(ISSUER)])
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: NOW)
    verify(credential(x5c=pki.x5c()), keys)


@pytest.mark.parametrize(
    "names",
    [
        [x509.DNSName("other.example.nl")],
        [x509.UniformResourceIdentifier("https://issuer.example.nl/duo")],
        [],
    ],
)
def test_x5c_leaf_must_name_the_issuer(names: list[x509.GeneralName]) -> None:
    pki = Pki(names)
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="does not name"):
        verify(credential(x5c=pki.x5c()), keys)


def test_x5c_chain_to_another_root_is_refused() -> None:
    pki, stranger = Pki([x509.DNSName("issuer.example.nl")]), Pki([])
    keys = X5cKeys([stranger.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="does not validate"):
        verify(credential(x5c=pki.x5c()), keys)


def test_x5c_missing_intermediate_or_expired_leaf_is_refused() -> None:
    pki = Pki([x509.DNSName("issuer.example.nl")], leaf_not_after=NOW - timedelta(hours=1))
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="does not validate"):
        verify(credential(x5c=pki.x5c()), keys)
    fresh = Pki([x509.DNSName("issuer.example.nl")])
    keys = X5cKeys([fresh.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="does not validate"):
        verify(credential(x5c=fresh.x5c(fresh.leaf)), keys)


@pytest.mark.parametrize("x5c", ["MIIB", [], ["!!!"], ["AAAA"], [1], ["A" * 20000]])
def test_malformed_x5c(x5c: Any) -> None:
    pki = Pki([x509.DNSName("issuer.example.nl")])
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError):
        verify(credential(x5c=x5c), keys)


def test_x5c_resolver_refuses_a_header_without_x5c_and_other_issuers() -> None:
    pki = Pki([x509.DNSName("issuer.example.nl")])
    keys = X5cKeys([pki.root], issuers=[ISSUER], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="no x5c"):
        verify(credential(), keys)
    strangers = X5cKeys([pki.root], issuers=["https://issuer.example.nl/duo"], clock=lambda: NOW)
    with pytest.raises(IssuerKeyError) as caught:
        verify(credential(x5c=pki.x5c()), strangers)
    assert caught.value.code == "UNTRUSTED_ISSUER"


def test_public_key_equality_across_sources() -> None:
    assert PublicKey.from_jwk(ISSUER_KEY.public.to_jwk()) == ISSUER_KEY.public


# --- did:web key sets ---------------------------------------------------------------------------

DID = "did:web:issuer.example.nl:belastingdienst"
DID_URL = "https://issuer.example.nl/belastingdienst/did.json"


def did_document(*keys: KeyPair, relationship: str = "assertionMethod") -> dict[str, Any]:
    methods = [
        {
            "id": f"{DID}#key-{number}",
            "type": "Multikey",
            "controller": DID,
            "publicKeyMultibase": key.public.multibase,
        }
        for number, key in enumerate(keys, start=1)
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": DID,
        "verificationMethod": methods,
        relationship: [method["id"] for method in methods],
    }


def test_did_web_keys_take_the_assertion_key_the_kid_names() -> None:
    other = KeyPair.generate("P-256")
    server = Server({DID_URL: did_document(other, ISSUER_KEY)})
    keys = DidWebKeys([DID], fetch=server, clock=lambda: NOW)
    verified = verify(credential(kid=f"{DID}#key-2"), keys)
    assert verified.issuer == ISSUER
    assert verified.issuer_key == ISSUER_KEY.public
    # A second credential uses the cached document.
    verify(credential(kid=f"{DID}#key-2"), keys)
    assert [url for url, _ in server.requests] == [DID_URL]


@pytest.mark.parametrize(
    ("kid", "detail"),
    [
        (None, "is not a DID URL of"),
        ("did:web:issuer.example.nl:duo#key-1", "is not a DID URL of"),
        (DID, "is not a DID URL of"),
        (f"{DID}#key-9", "not in the DID document"),
        (f"{DID}#key-1", "signature"),
    ],
)
def test_did_web_keys_refuse_a_kid_that_is_not_the_signing_assertion_key(
    kid: str | None, detail: str
) -> None:
    keys = DidWebKeys(
        [DID], fetch=Server({DID_URL: did_document(KeyPair.generate("P-256"))}), clock=lambda: NOW
    )
    with pytest.raises(VerificationError) as raised:
        verify(credential(kid=kid) if kid else credential(x5c=[]), keys)
    assert detail in raised.value.detail


def test_did_web_keys_need_the_assertion_relationship() -> None:
    server = Server({DID_URL: did_document(ISSUER_KEY, relationship="authentication")})
    keys = DidWebKeys([DID], fetch=server, clock=lambda: NOW)
    with pytest.raises(IssuerKeyError, match="not an assertion key"):
        verify(credential(kid=f"{DID}#key-1"), keys)


def test_did_web_keys_fetch_nothing_for_other_issuers() -> None:
    server = Server({})
    keys = DidWebKeys(["did:web:issuer.example.nl:duo"], fetch=server, clock=lambda: NOW)
    with pytest.raises(IssuerKeyError) as raised:
        verify(credential(kid=f"{DID}#key-1"), keys)
    assert raised.value.code == "UNTRUSTED_ISSUER"
    assert server.requests == []


def test_did_web_keys_pick_up_a_rotated_key_but_do_not_hammer_the_issuer() -> None:
    now = [NOW]
    newest = KeyPair.generate("P-256")
    server = Server({DID_URL: did_document(ISSUER_KEY)})
    keys = DidWebKeys([DID], fetch=server, clock=lambda: now[0])
    verify(credential(kid=f"{DID}#key-1"), keys)
    server.documents[DID_URL] = did_document(ISSUER_KEY, newest)
    with pytest.raises(IssuerKeyError):  # within 30 s of the last fetch: no new fetch
        verify(credential(newest, kid=f"{DID}#key-2"), keys)
    now[0] = NOW + timedelta(seconds=31)
    assert verify(credential(newest, kid=f"{DID}#key-2"), keys, at=now[0]).issuer_key == (
        newest.public
    )
    assert len(server.requests) == 2


def test_did_web_keys_through_the_callers_resolver() -> None:
    resolved: list[str] = []

    def resolve(vm_id: str) -> Any:
        resolved.append(vm_id)
        return dereference_verification_method(vm_id, resolver=lambda _: did_document(ISSUER_KEY))

    keys = DidWebKeys([DID], resolve_verification_method=resolve)
    assert verify(credential(kid=f"{DID}#key-1"), keys).issuer_key == ISSUER_KEY.public
    assert resolved == [f"{DID}#key-1"]


def test_did_web_keys_configuration_is_checked() -> None:
    with pytest.raises(ValueError, match="one of them"):
        DidWebKeys([DID])
    with pytest.raises(ValueError, match="did:web"):
        DidWebKeys(["did:key:z6Mk"], fetch=Server({}))
    with pytest.raises(TypeError):
        DidWebKeys(DID, fetch=Server({}))


def test_metadata_with_named_keys() -> None:
    metadata = create_jwt_vc_issuer_metadata(ISSUER, {f"{DID}#key-1": ISSUER_KEY.public})
    assert [key["kid"] for key in metadata["jwks"]["keys"]] == [f"{DID}#key-1"]
    keys = IssuerMetadataKeys(Server({WELL_KNOWN: metadata}), issuers=[ISSUER], clock=lambda: NOW)
    assert verify(credential(kid=f"{DID}#key-1"), keys).issuer_key == ISSUER_KEY.public
