"""SD-JWT VC recipes: issue, present, verify, and every rule verification enforces."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vc_core import (
    CredentialPolicyError,
    InvalidChallengeError,
    InvalidDomainError,
    IssuerKeyError,
    KeyBindingError,
    ProofExpiredError,
    ProofVerificationError,
    SdJwtError,
    StatusListError,
)
from vc_core._multibase import encode_base64url_nopad
from vc_core.errors import VerificationError
from vc_core.hazmat.sd_jwt import (
    compute_sd_hash,
    create_disclosure,
    create_key_binding_jwt,
    create_sd_jwt_payload,
    parse_sd_jwt,
    serialize_sd_jwt,
)
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair
from vc_core.sd_jwt import (
    LEGACY_SD_JWT_VC_TYP,
    StaticIssuerKeys,
    VerifiedSdJwtVc,
    create_jwt_vc_issuer_metadata,
    issue_sd_jwt_vc,
    key_id,
    present_sd_jwt_vc,
    verify_sd_jwt_vc,
)
from vc_core.status import TokenStatusReference

ISSUER = "https://issuer.example.nl/belastingdienst"
VCT = "https://issuer.example.nl/belastingdienst/inkomensverklaring"
AUDIENCE = "x509_san_dns:verhuur.example.nl"
NONCE = "n-0S6_WzA2Mj"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(1, 33)))
HOLDER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(2, 34)))
OTHER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(3, 35)))
KEYS = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public]})

CLAIMS = {
    "belastingjaar": 2024,
    "inkomensklasse": "midden",
    "inkomenstoets": {"onderSocialeHuurgrens": True, "onderMiddenhuurgrens": True},
    "naam": {"voornamen": "Jan", "achternaam": "Jansen"},
    "nationaliteiten": ["NL", "BE"],
}
DISCLOSABLE = [
    ["inkomensklasse"],
    ["inkomenstoets"],
    ["inkomenstoets", "onderSocialeHuurgrens"],
    ["inkomenstoets", "onderMiddenhuurgrens"],
    ["naam", "voornamen"],
    ["naam", "achternaam"],
    ["nationaliteiten", None],
]


def clock() -> datetime:
    return NOW


def issue(**options: Any) -> str:
    kwargs: dict[str, Any] = {
        "issuer": ISSUER,
        "vct": VCT,
        "disclosable": DISCLOSABLE,
        "holder_key": HOLDER_KEY.public,
        "issued_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=365),
    }
    kwargs.update(options)
    claims = kwargs.pop("claims", CLAIMS)
    return issue_sd_jwt_vc(claims, kwargs.pop("key", ISSUER_KEY), **kwargs)


def present(issued: str, paths: Sequence[Sequence[str | int | None]], **options: Any) -> str:
    kwargs: dict[str, Any] = {
        "holder_key": HOLDER_KEY,
        "audience": AUDIENCE,
        "nonce": NONCE,
        "clock": clock,
    }
    kwargs.update(options)
    return present_sd_jwt_vc(issued, paths, **kwargs)


def verify(presented: str, **options: Any) -> VerifiedSdJwtVc:
    kwargs: dict[str, Any] = {
        "key_resolver": KEYS,
        "audience": AUDIENCE,
        "nonce": NONCE,
        "clock": clock,
    }
    kwargs.update(options)
    return verify_sd_jwt_vc(presented, **kwargs)


def resign(
    payload: Mapping[str, Any],
    disclosures: Sequence[str] = (),
    *,
    key: KeyPair = ISSUER_KEY,
    typ: str = "dc+sd-jwt",
    headers: Mapping[str, Any] | None = None,
) -> str:
    """An SD-JWT whose Issuer-signed JWT carries ``payload`` exactly (the issuer's signature)."""
    jwt = sign_jws(payload, key, typ=typ, kid=key_id(key.public), headers=headers)
    return serialize_sd_jwt(jwt, list(disclosures))


def bind(sd_jwt: str, *, key: KeyPair = HOLDER_KEY, **claims: Any) -> str:
    """Append a KB-JWT to ``sd_jwt`` (ending in ``~``)."""
    return sd_jwt + create_key_binding_jwt(
        sd_jwt, key, audience=AUDIENCE, nonce=NONCE, issued_at=NOW, **claims
    )


def base_payload(**extra: Any) -> dict[str, Any]:
    return {
        "iss": ISSUER,
        "iat": int((NOW - timedelta(days=1)).timestamp()),
        "vct": VCT,
        "cnf": {"jwk": HOLDER_KEY.public.to_jwk()},
        "_sd_alg": "sha-256",
        **extra,
    }


# --- the happy paths -------------------------------------------------------------------------


def test_issued_credential_hides_every_disclosable_claim() -> None:
    issued = issue()
    payload = parse_sd_jwt(issued).jws.payload
    assert set(payload) == {"iss", "iat", "exp", "vct", "cnf", "_sd", "_sd_alg", "belastingjaar",
                            "naam", "nationaliteiten"}  # fmt: skip
    assert payload["_sd"] == sorted(payload["_sd"])
    assert all("..." in element for element in payload["nationaliteiten"])
    assert "inkomensklasse" not in json.dumps(payload)


def test_holder_sees_everything_and_no_key_binding_is_asked() -> None:
    verified = verify_sd_jwt_vc(issue(), key_resolver=KEYS, clock=clock)
    assert verified.claims == CLAIMS
    assert verified.key_binding is None
    assert verified.issuer == ISSUER
    assert verified.types == (VCT,)
    assert verified.holder_key == HOLDER_KEY.public
    assert verified.valid_until == NOW + timedelta(days=365)


def test_presentation_reveals_only_what_was_asked() -> None:
    shown = present(issue(), [["inkomenstoets", "onderSocialeHuurgrens"]])
    verified = verify(shown)
    assert verified.claims == {
        "belastingjaar": 2024,
        "inkomenstoets": {"onderSocialeHuurgrens": True},
        "naam": {},
        "nationaliteiten": [],
    }
    assert verified.key_binding is not None
    assert (verified.key_binding.audience, verified.key_binding.nonce) == (AUDIENCE, NONCE)
    assert verified.claim("inkomenstoets", "onderSocialeHuurgrens") is True
    assert verified.claim("inkomenstoets", "onderMiddenhuurgrens") is None


def test_a_path_to_an_object_reveals_all_of_it() -> None:
    verified = verify(present(issue(), [["inkomenstoets"], ["naam"]]))
    assert verified.claims["inkomenstoets"] == CLAIMS["inkomenstoets"]
    assert verified.claims["naam"] == CLAIMS["naam"]


def test_array_elements_by_index_and_by_null() -> None:
    issued = issue()
    assert verify(present(issued, [["nationaliteiten", 1]])).claims["nationaliteiten"] == ["BE"]
    assert verify(present(issued, [["nationaliteiten", None]])).claims["nationaliteiten"] == [
        "NL",
        "BE",
    ]
    assert verify(present(issued, [["nationaliteiten"]])).claims["nationaliteiten"] == ["NL", "BE"]


def test_plain_claims_need_no_disclosure() -> None:
    shown = present(issue(), [["belastingjaar"]])
    assert shown.count("~") == 1  # the Issuer-signed JWT, no Disclosures, the KB-JWT
    assert verify(shown).claims["belastingjaar"] == 2024


def test_decoys_are_added_and_ignored() -> None:
    made = create_sd_jwt_payload(CLAIMS, DISCLOSABLE, decoys=5, randbelow=lambda n: n - 1)
    # Each object and array with Disclosures gets the most decoys randbelow allows.
    assert len(made.payload["_sd"]) == 2 + 5
    assert len(made.payload["naam"]["_sd"]) == 2 + 5
    assert len(made.payload["nationaliteiten"]) == 2 + 5
    issued = issue(decoys=5)
    assert verify_sd_jwt_vc(issued, key_resolver=KEYS, clock=clock).claims == CLAIMS
    shown = present(issued, [["nationaliteiten", 1], ["naam", "achternaam"]])
    assert verify(shown).claims["nationaliteiten"] == ["BE"]


def test_status_reference_and_legacy_typ() -> None:
    status = TokenStatusReference("https://issuer.example.nl/belastingdienst/status/1", 42)
    issued = issue(status=status, typ=LEGACY_SD_JWT_VC_TYP, aka_vcts=["urn:example:inkomen"])
    verified = verify(present(issued, [["inkomensklasse"]]))
    assert verified.status == status
    assert verified.types == (VCT, "urn:example:inkomen")
    with pytest.raises(SdJwtError) as caught:
        verify(present(issued, []), accepted_typs=("dc+sd-jwt",))
    assert caught.value.code == "INVALID_SD_JWT"


def test_jti_is_disclosed_only_when_asked_and_vct_integrity_is_plain() -> None:
    integrity = "sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8="
    issued = issue(jti="urn:uuid:0f1e", vct_integrity=integrity)
    holder_view = verify_sd_jwt_vc(issued, key_resolver=KEYS, clock=clock)
    assert holder_view.id == "urn:uuid:0f1e"
    assert "jti" not in holder_view.claims
    assert holder_view.payload["vct#integrity"] == integrity
    hidden = verify(present(issued, [["inkomensklasse"]]))
    assert hidden.id is None
    assert hidden.payload["vct#integrity"] == integrity
    assert verify(present(issued, [["jti"]])).id == "urn:uuid:0f1e"


@pytest.mark.parametrize("options", [{"jti": ""}, {"vct_integrity": "md5-x"}])
def test_jti_and_vct_integrity_misuse(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (two messages)
        issue(**options)
    with pytest.raises(ValueError, match="keyword"):
        issue(claims={"jti": "urn:uuid:1"})


def test_ed25519_and_p384_keys() -> None:
    for curve in ("Ed25519", "P-384"):
        issuer_key, holder_key = KeyPair.generate(curve), KeyPair.generate(curve)  # type: ignore[arg-type]
        issued = issue(key=issuer_key, holder_key=holder_key.public)
        shown = present(issued, [["inkomensklasse"]], holder_key=holder_key)
        keys = StaticIssuerKeys({ISSUER: [issuer_key.public]})
        assert verify(shown, key_resolver=keys).claims["inkomensklasse"] == "midden"


def test_issue_is_deterministic_with_fixed_salts_and_time() -> None:
    def salts() -> Callable[[], str]:
        return iter(f"salt-{n:02d}" for n in range(100)).__next__

    assert issue(salt=salts()) == issue(salt=salts())


# --- holder-side rules -------------------------------------------------------------------------


def test_holder_refuses_a_path_that_names_nothing() -> None:
    with pytest.raises(SdJwtError) as caught:
        present(issue(), [["adres"]])
    assert caught.value.code == "CLAIM_NOT_FOUND"
    with pytest.raises(SdJwtError) as caught:
        present(issue(), [["nationaliteiten", 5]])
    assert caught.value.code == "CLAIM_NOT_FOUND"


@pytest.mark.parametrize("path", [[], "naam", [-1], [True], [1.5]])
def test_holder_refuses_a_malformed_path(path: Any) -> None:
    with pytest.raises(SdJwtError) as caught:
        present(issue(), [path])
    assert caught.value.code == "INVALID_SD_JWT"


def test_holder_key_must_be_the_bound_key() -> None:
    with pytest.raises(ValueError, match="cnf"):
        present(issue(), [["inkomensklasse"]], holder_key=OTHER_KEY)


@pytest.mark.parametrize(
    ("claims", "disclosable"),
    [
        ({"iss": "x"}, []),
        ({"_sd": []}, []),
        ({"a": {"...": 1}}, []),
        ({"a": 1}, [["b"]]),
        ({"a": [1]}, [["a", 3]]),
        ({"a": 1}, [["a", "b"]]),
    ],
)
def test_issuer_misuse_is_a_value_error(claims: dict[str, Any], disclosable: Any) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (several messages)
        issue(claims=claims, disclosable=disclosable)


def test_configured_issuers_must_be_https_urls() -> None:
    with pytest.raises(ValueError, match="https"):
        issue(issuer="http://issuer.example.nl")
    with pytest.raises(ValueError, match="https"):
        StaticIssuerKeys({"issuer.example.nl": [ISSUER_KEY.public]})
    with pytest.raises(ValueError, match="https"):
        create_jwt_vc_issuer_metadata("did:web:issuer.example.nl", [ISSUER_KEY.public])


# --- verification rules, one test each --------------------------------------------------------


def expect(error: type[VerificationError], code: str, presented: object, **options: Any) -> None:
    with pytest.raises(error) as caught:
        verify(presented, **options)
    assert type(caught.value) is error
    assert caught.value.code == code
    assert caught.value.problems[0].code == code


@pytest.mark.parametrize(
    "presented",
    [None, 42, "", "no-tilde-at-all", "a.b.c~", "~", "x" * (1024 * 1024 + 1)],
)
def test_malformed_sd_jwt(presented: object) -> None:
    expect(SdJwtError, "INVALID_SD_JWT", presented)


def test_empty_disclosure_between_tildes() -> None:
    shown = present(issue(), [["inkomensklasse"]])
    expect(SdJwtError, "INVALID_SD_JWT", shown.replace("~", "~~", 1))


def test_alg_none_is_refused() -> None:
    header = encode_base64url_nopad(b'{"alg":"none","typ":"dc+sd-jwt"}')
    body = encode_base64url_nopad(json.dumps(base_payload()).encode())
    expect(SdJwtError, "INVALID_SD_JWT", f"{header}.{body}.AAAA~")


def test_alg_outside_the_accepted_set() -> None:
    expect(ProofVerificationError, "PROOF_VERIFICATION_ERROR", present(issue(), []),
           algorithms=["ES384"])  # fmt: skip


@pytest.mark.parametrize("typ", ["JWT", "kb+jwt", "example+sd-jwt", "application/dc+sd-jwt"])
def test_wrong_typ(typ: str) -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(), typ=typ)))


def test_tampered_payload_fails_the_signature() -> None:
    jwt, rest = present(issue(), []).split("~", 1)
    header, body, signature = jwt.split(".")
    payload = json.loads(__import__("base64").urlsafe_b64decode(body + "=="))
    payload["belastingjaar"] = 2025
    forged = ".".join([header, encode_base64url_nopad(json.dumps(payload).encode()), signature])
    expect(ProofVerificationError, "PROOF_VERIFICATION_ERROR", f"{forged}~{rest}")


def test_signed_by_a_key_the_issuer_does_not_have() -> None:
    keys = StaticIssuerKeys({ISSUER: [OTHER_KEY.public]})
    shown = present(issue(kid=key_id(OTHER_KEY.public)), [])
    expect(ProofVerificationError, "PROOF_VERIFICATION_ERROR", shown, key_resolver=keys)


def test_untrusted_issuer() -> None:
    keys = StaticIssuerKeys({"https://issuer.example.nl/duo": [ISSUER_KEY.public]})
    expect(IssuerKeyError, "UNTRUSTED_ISSUER", present(issue(), []), key_resolver=keys)


def test_unknown_kid() -> None:
    expect(IssuerKeyError, "ISSUER_KEY_ERROR", present(issue(kid="key-2"), []))


def test_missing_iss() -> None:
    payload = base_payload()
    del payload["iss"]
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(payload)))


def test_unsupported_sd_alg() -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(_sd_alg="md5"))))


def test_missing_vct() -> None:
    payload = base_payload()
    del payload["vct"]
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(payload)))


@pytest.mark.parametrize("aka", [[], "urn:x", [VCT], [1]])
def test_malformed_aka_vcts(aka: Any) -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(aka_vcts=aka))))


def test_tampered_disclosure_is_unreferenced() -> None:
    disclosure = create_disclosure("salt-1", "midden", name="inkomensklasse")
    forged = create_disclosure("salt-2", "hoog", name="inkomensklasse")
    sd_jwt = resign(base_payload(_sd=[disclosure.digest]), [forged.encoded])
    expect(SdJwtError, "UNREFERENCED_DISCLOSURE", bind(sd_jwt))


def test_disclosure_sent_twice() -> None:
    disclosure = create_disclosure("salt-1", "midden", name="inkomensklasse")
    sd_jwt = resign(base_payload(_sd=[disclosure.digest]), [disclosure.encoded] * 2)
    expect(SdJwtError, "DUPLICATE_DISCLOSURE", bind(sd_jwt))


def test_digest_that_appears_twice_in_the_payload() -> None:
    disclosure = create_disclosure("salt-1", "midden", name="inkomensklasse")
    payload = base_payload(_sd=[disclosure.digest], naam={"_sd": [disclosure.digest]})
    expect(SdJwtError, "DUPLICATE_DISCLOSURE", bind(resign(payload, [disclosure.encoded])))


def test_digest_that_appears_twice_through_a_disclosure() -> None:
    inner = create_disclosure("salt-1", "Jan", name="voornamen")
    outer = create_disclosure("salt-2", {"_sd": [inner.digest]}, name="naam")
    payload = base_payload(_sd=[outer.digest, inner.digest])
    expect(
        SdJwtError, "DUPLICATE_DISCLOSURE", bind(resign(payload, [inner.encoded, outer.encoded]))
    )


def test_disclosed_name_that_clashes_with_a_plain_claim() -> None:
    disclosure = create_disclosure("salt-1", "hoog", name="inkomensklasse")
    payload = base_payload(inkomensklasse="midden", _sd=[disclosure.digest])
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(resign(payload, [disclosure.encoded])))


def test_two_disclosures_with_one_name() -> None:
    first = create_disclosure("salt-1", "midden", name="inkomensklasse")
    second = create_disclosure("salt-2", "hoog", name="inkomensklasse")
    payload = base_payload(_sd=sorted([first.digest, second.digest]))
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(resign(payload, [first.encoded, second.encoded])))


def _raw_disclosure(array: Any) -> str:
    return encode_base64url_nopad(json.dumps(array).encode())


@pytest.mark.parametrize("name", ["_sd", "..."])
def test_disclosure_with_a_reserved_claim_name(name: str) -> None:
    encoded = _raw_disclosure(["salt", name, "x"])
    sd_jwt = resign(base_payload(_sd=[]), [encoded])
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(sd_jwt))


def test_claim_named_ellipsis_in_the_payload() -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(naam={"...": "x"}))))


@pytest.mark.parametrize("value", ["abc", [1], {"a": "b"}, None])
def test_sd_that_is_not_an_array_of_strings(value: Any) -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(_sd=value))))


def test_array_element_with_extra_members() -> None:
    payload = base_payload(lijst=[{"...": "digest", "extra": 1}])
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(payload)))


def test_nested_sd_alg() -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(naam={"_sd_alg": "sha-256"}))))


def test_array_disclosure_referenced_from_an_object() -> None:
    element = create_disclosure("salt-1", "NL")
    expect(SdJwtError, "INVALID_DISCLOSURE",
           bind(resign(base_payload(_sd=[element.digest]), [element.encoded])))  # fmt: skip


def test_object_disclosure_referenced_from_an_array() -> None:
    member = create_disclosure("salt-1", "NL", name="land")
    payload = base_payload(landen=[{"...": member.digest}])
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(resign(payload, [member.encoded])))


@pytest.mark.parametrize(
    "encoded",
    [
        "not base64!",
        "WyJhIiwgImIiXQ==",  # padded
        encode_base64url_nopad(b"not json"),
        _raw_disclosure({"salt": "a"}),
        _raw_disclosure(["only-salt"]),
        _raw_disclosure(["s", "n", "v", "extra"]),
        _raw_disclosure([1, "n", "v"]),
        _raw_disclosure(["s", 1, "v"]),
        encode_base64url_nopad(b'["s", "n", {"a": 1, "a": 2}]'),
        encode_base64url_nopad(b'["s", "n", NaN]'),
        encode_base64url_nopad(b"\xff\xfe"),
    ],
)
def test_malformed_disclosure(encoded: str) -> None:
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(resign(base_payload(), [encoded])))


@pytest.mark.parametrize(
    ("name", "value"),
    [("exp", 2_000_000_000), ("status", {"status_list": {"idx": 1, "uri": "https://x.example/s"}}),
     ("cnf", {"jwk": OTHER_KEY.public.to_jwk()}), ("nbf", 1), ("aka_vcts", ["urn:x"])],
)  # fmt: skip
def test_registered_claim_in_a_disclosure(name: str, value: Any) -> None:
    disclosure = create_disclosure("salt-1", value, name=name)
    payload = base_payload(_sd=[disclosure.digest])
    if name == "cnf":
        del payload["cnf"]
    expect(SdJwtError, "INVALID_DISCLOSURE", bind(resign(payload, [disclosure.encoded])))


def test_expired_credential_and_skew() -> None:
    issued = issue(expires_at=NOW - timedelta(seconds=30))
    verify(present(issued, []))  # within the default 60 s of skew
    expect(CredentialPolicyError, "CREDENTIAL_EXPIRED", present(issued, []), skew=timedelta(0))


def test_not_yet_valid_credential() -> None:
    issued = issue(not_before=NOW + timedelta(hours=1))
    expect(CredentialPolicyError, "CREDENTIAL_NOT_YET_VALID", present(issued, []))


def test_credential_issued_in_the_future() -> None:
    issued = issue(issued_at=NOW + timedelta(hours=1))
    expect(CredentialPolicyError, "CREDENTIAL_NOT_YET_VALID", present(issued, []))


@pytest.mark.parametrize("value", ["2026-01-01", True, None, 1e300, -5, 10**13])
def test_malformed_numeric_date(value: Any) -> None:
    payload = {**base_payload(), "exp": value}
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(payload)))


@pytest.mark.parametrize(
    "status",
    [
        "x",
        {"status_list": {"idx": -1, "uri": "https://s.example"}},
        {"status_list": {"idx": 1, "uri": "http://s.example"}},
        {"status_list": {"idx": True, "uri": "https://s.example"}},
        {"other_mechanism": {}},
    ],
)
def test_malformed_status_claim(status: Any) -> None:
    expect(StatusListError, "STATUS_VERIFICATION_ERROR", bind(resign(base_payload(status=status))))


@pytest.mark.parametrize("cnf", ["x", {"kid": "k"}, {"jwk": {"kty": "EC"}}])
def test_malformed_cnf(cnf: Any) -> None:
    expect(SdJwtError, "INVALID_SD_JWT", bind(resign(base_payload(cnf=cnf))))


# --- key binding -------------------------------------------------------------------------------


def test_key_binding_required_but_missing() -> None:
    expect(KeyBindingError, "INVALID_KEY_BINDING", issue())


def test_key_binding_sent_where_none_is_expected() -> None:
    with pytest.raises(KeyBindingError):
        verify_sd_jwt_vc(present(issue(), []), key_resolver=KEYS, clock=clock)


def test_key_binding_without_cnf() -> None:
    payload = base_payload()
    del payload["cnf"]
    expect(KeyBindingError, "INVALID_KEY_BINDING", bind(resign(payload)))


def test_key_binding_signed_by_another_key() -> None:
    expect(KeyBindingError, "INVALID_KEY_BINDING", bind(resign(base_payload()), key=OTHER_KEY))


def test_key_binding_with_the_wrong_typ() -> None:
    sd_jwt = resign(base_payload())
    claims = {"iat": int(NOW.timestamp()), "aud": AUDIENCE, "nonce": NONCE,
              "sd_hash": compute_sd_hash(sd_jwt)}  # fmt: skip
    verify(sd_jwt + sign_jws(claims, HOLDER_KEY, typ="kb+jwt"))  # everything else is right
    kb = sign_jws(claims, HOLDER_KEY, typ="JWT")
    expect(KeyBindingError, "INVALID_KEY_BINDING", sd_jwt + kb)


def test_key_binding_for_another_audience() -> None:
    expect(InvalidDomainError, "INVALID_DOMAIN_ERROR", present(issue(), []),
           audience="x509_san_dns:elders.example.nl")  # fmt: skip


def test_key_binding_for_another_nonce() -> None:
    expect(InvalidChallengeError, "INVALID_CHALLENGE_ERROR", present(issue(), []), nonce="other")


def test_stale_and_future_key_binding() -> None:
    shown = present(issue(), [])
    expect(ProofExpiredError, "PROOF_EXPIRED_ERROR", shown, clock=lambda: NOW + timedelta(hours=1))
    expect(ProofExpiredError, "PROOF_EXPIRED_ERROR", shown, clock=lambda: NOW - timedelta(hours=1))


def test_key_binding_over_other_disclosures() -> None:
    shown = present(issue(), [["inkomensklasse"], ["naam", "voornamen"]])
    parts = shown.split("~")
    dropped = "~".join([parts[0], parts[2], parts[-1]])
    expect(KeyBindingError, "INVALID_KEY_BINDING", dropped)


def test_key_binding_with_alg_none() -> None:
    sd_jwt = resign(base_payload())
    header = encode_base64url_nopad(b'{"alg":"none","typ":"kb+jwt"}')
    expect(KeyBindingError, "INVALID_KEY_BINDING", f"{sd_jwt}{header}.e30.")


def test_verifier_must_pass_audience_and_nonce_together() -> None:
    with pytest.raises(ValueError, match="both"):
        verify_sd_jwt_vc(issue(), key_resolver=KEYS, audience=AUDIENCE)


@pytest.mark.parametrize("sd_alg", ["sha-384", "sha-512"])
def test_other_digest_algorithms_are_understood(sd_alg: str) -> None:
    made = create_sd_jwt_payload({"inkomensklasse": "midden"}, [["inkomensklasse"]], sd_alg=sd_alg)
    sd_jwt = resign({**base_payload(), **made.payload}, [d.encoded for d in made.disclosures])
    verified = verify(bind(sd_jwt, sd_alg=sd_alg))
    assert verified.claims == {"inkomensklasse": "midden"}
    # A KB-JWT whose sd_hash used another algorithm than _sd_alg is refused.
    expect(KeyBindingError, "INVALID_KEY_BINDING", bind(sd_jwt))
