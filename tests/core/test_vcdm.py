"""VCDM 2.0 checks: shapes, issuer, validity window, issuer = verification-method controller."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vc_core.errors import CredentialPolicyError, ParsingError, ProofVerificationError
from vc_core.vcdm import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    check_credential_shape,
    check_issuer_is_controller,
    check_presentation_shape,
    check_validity_period,
    credential_issuer,
    data_model_version,
    subject_ids,
)

ISSUER = "did:web:issuer.example.nl:belastingdienst"
HOLDER = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
CREDENTIAL: dict[str, Any] = {
    "@context": [CREDENTIALS_V2_URL, "https://issuer.example.nl/contexts/nl-vc/v1"],
    "id": "urn:uuid:0a4b3c1e-7f0e-4d5e-9b8a-1c2d3e4f5a6b",
    "type": ["VerifiableCredential", "InkomensverklaringCredential"],
    "issuer": ISSUER,
    "validFrom": "2026-01-01T00:00:00Z",
    "validUntil": "2027-01-01T00:00:00Z",
    "credentialSubject": {"id": HOLDER, "belastingjaar": 2024},
    "credentialStatus": {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://issuer.example.nl/belastingdienst/status/revocation/1",
    },
}
PRESENTATION: dict[str, Any] = {
    "@context": [CREDENTIALS_V2_URL],
    "type": ["VerifiablePresentation"],
    "holder": HOLDER,
    "verifiableCredential": [CREDENTIAL],
}


def _with(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Copy ``document`` with members replaced (``_context`` is ``@context``) or removed."""
    changed = copy.deepcopy(document)
    for key, value in changes.items():
        name = "@context" if key == "_context" else key
        if value is _MISSING:
            del changed[name]
        else:
            changed[name] = value
    return changed


_MISSING = object()


def _parsing_error(call: Any, *args: Any) -> ParsingError:
    with pytest.raises(ParsingError) as caught:
        call(*args)
    assert caught.value.code == "PARSING_ERROR"
    return caught.value


def _clock(year: int, month: int = 1, day: int = 1, second: int = 0) -> Any:
    return lambda: datetime(year, month, day, tzinfo=UTC) + timedelta(seconds=second)


# --- credential_issuer ---------------------------------------------------------------------------


def test_issuer_string_or_object() -> None:
    assert credential_issuer(CREDENTIAL) == ISSUER
    assert credential_issuer(_with(CREDENTIAL, issuer={"id": ISSUER, "name": "BD"})) == ISSUER


@pytest.mark.parametrize(
    "issuer",
    [_MISSING, None, "", "not a url", 42, {"name": "BD"}, {"id": 5}, ["did:web:x"], "did: x"],
)
def test_issuer_malformed(issuer: object) -> None:
    assert _parsing_error(credential_issuer, _with(CREDENTIAL, issuer=issuer)).path == "issuer"


def test_issuer_of_a_non_object() -> None:
    _parsing_error(credential_issuer, ["issuer"])


# --- check_credential_shape ----------------------------------------------------------------------


def test_good_credential_shapes() -> None:
    check_credential_shape(CREDENTIAL)
    check_credential_shape(_with(CREDENTIAL, _context=CREDENTIALS_V2_URL))
    check_credential_shape(_with(CREDENTIAL, type="VerifiableCredential"))
    check_credential_shape(_with(CREDENTIAL, credentialSubject=[{"id": HOLDER}, {"a": 1}]))
    check_credential_shape(_with(CREDENTIAL, credentialStatus=[CREDENTIAL["credentialStatus"]] * 2))
    check_credential_shape(
        _with(CREDENTIAL, validFrom="2026-01-01T01:00:00.5+01:00", validUntil=_MISSING)
    )
    check_credential_shape(
        _with(CREDENTIAL, id=_MISSING, credentialStatus=_MISSING, validFrom=_MISSING)
    )


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"_context": _MISSING}, "@context"),
        ({"_context": []}, "@context"),
        ({"_context": [CREDENTIALS_V2_URL, 5]}, "@context"),
        ({"_context": [CREDENTIALS_V2_URL, "https ://not-a-url/v1"]}, "@context"),
        ({"_context": [CREDENTIALS_V2_URL, CREDENTIALS_V2_URL]}, "@context"),
        ({"_context": ["https://www.w3.org/2018/credentials/v1"]}, "issuanceDate"),
        (
            {"_context": ["https://issuer.example.nl/contexts/nl-vc/v1", CREDENTIALS_V2_URL]},
            "@context",
        ),
        ({"type": _MISSING}, "type"),
        ({"type": ["InkomensverklaringCredential"]}, "type"),
        ({"type": "VerifiablePresentation"}, "type"),
        ({"type": ["VerifiableCredential", 7]}, "type"),
        ({"id": "no url"}, "id"),
        ({"id": 5}, "id"),
        ({"issuer": _MISSING}, "issuer"),
        ({"credentialSubject": _MISSING}, "credentialSubject"),
        ({"credentialSubject": HOLDER}, "credentialSubject"),
        ({"credentialSubject": []}, "credentialSubject"),
        ({"credentialSubject": [{"id": HOLDER}, "x"]}, "credentialSubject"),
        ({"validFrom": "2026-01-01"}, "validFrom"),
        ({"validFrom": "2026-01-01T00:00:00"}, "validFrom"),  # no time zone
        ({"validFrom": 1767225600}, "validFrom"),
        ({"validUntil": "2026-13-01T00:00:00Z"}, "validUntil"),
        ({"validUntil": "2025-12-31T23:59:59Z"}, "validUntil"),  # before validFrom
        ({"credentialStatus": "revoked"}, "credentialStatus"),
        ({"credentialStatus": []}, "credentialStatus"),
        ({"credentialStatus": {"statusPurpose": "revocation"}}, "credentialStatus"),
    ],
)
def test_bad_credential_shapes(changes: dict[str, Any], path: str) -> None:
    assert _parsing_error(check_credential_shape, _with(CREDENTIAL, **changes)).path == path


@pytest.mark.parametrize("document", [None, [], "credential", 42])
def test_credential_not_an_object(document: object) -> None:
    _parsing_error(check_credential_shape, document)


# --- check_presentation_shape --------------------------------------------------------------------


def test_good_presentation_shapes() -> None:
    check_presentation_shape(PRESENTATION)
    check_presentation_shape(_with(PRESENTATION, holder={"id": HOLDER, "name": "Alice"}))
    check_presentation_shape(_with(PRESENTATION, _context=CREDENTIALS_V2_URL))
    check_presentation_shape(_with(PRESENTATION, _context=[CREDENTIALS_V1_URL]))
    check_presentation_shape(_with(PRESENTATION, holder=_MISSING, verifiableCredential=_MISSING))
    check_presentation_shape(_with(PRESENTATION, verifiableCredential=CREDENTIAL))


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"_context": ["https://issuer.example.nl/contexts/nl-vc/v1"]}, "@context"),
        ({"_context": 5}, "@context"),
        ({"type": "VerifiableCredential"}, "type"),
        ({"type": _MISSING}, "type"),
        ({"verifiableCredential": "eyJhbGciOi..."}, "verifiableCredential"),
        ({"verifiableCredential": []}, "verifiableCredential"),
        ({"verifiableCredential": [CREDENTIAL, None]}, "verifiableCredential"),
        ({"holder": {"name": "no id"}}, "holder"),
        ({"holder": {"id": "not a url"}}, "holder"),
        ({"holder": "holder"}, "holder"),
        ({"id": ["urn:x"]}, "id"),
    ],
)
def test_bad_presentation_shapes(changes: dict[str, Any], path: str) -> None:
    assert _parsing_error(check_presentation_shape, _with(PRESENTATION, **changes)).path == path


def test_presentation_not_an_object() -> None:
    _parsing_error(check_presentation_shape, [PRESENTATION])


# --- check_validity_period -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 1, 1, tzinfo=UTC),  # validFrom itself
        datetime(2026, 6, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),  # validUntil itself
    ],
)
def test_inside_the_window(now: datetime) -> None:
    check_validity_period(CREDENTIAL, clock=lambda: now)


def test_not_yet_valid() -> None:
    with pytest.raises(CredentialPolicyError) as caught:
        check_validity_period(CREDENTIAL, clock=lambda: datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    assert caught.value.code == "CREDENTIAL_NOT_YET_VALID"
    assert caught.value.path == "validFrom"


def test_expired() -> None:
    with pytest.raises(CredentialPolicyError) as caught:
        check_validity_period(CREDENTIAL, clock=_clock(2027, second=1))
    assert caught.value.code == "CREDENTIAL_EXPIRED"
    assert caught.value.path == "validUntil"


def test_skew_widens_both_ends() -> None:
    skew = timedelta(minutes=5)
    check_validity_period(CREDENTIAL, clock=_clock(2027, second=299), skew=skew)
    early = datetime(2026, 1, 1, tzinfo=UTC) - timedelta(seconds=299)
    check_validity_period(CREDENTIAL, clock=lambda: early, skew=skew)
    with pytest.raises(CredentialPolicyError) as caught:
        check_validity_period(CREDENTIAL, clock=_clock(2027, second=301), skew=skew)
    assert caught.value.code == "CREDENTIAL_EXPIRED"


def test_time_zones_are_compared_as_instants() -> None:
    credential = _with(CREDENTIAL, validUntil="2027-01-01T01:00:00+01:00")
    check_validity_period(credential, clock=_clock(2027))
    with pytest.raises(CredentialPolicyError):
        check_validity_period(credential, clock=_clock(2027, second=1))


def test_no_window_is_always_valid() -> None:
    credential = _with(CREDENTIAL, validFrom=_MISSING, validUntil=_MISSING)
    check_validity_period(credential, clock=_clock(1970))
    check_validity_period(credential, clock=_clock(9999))


def test_malformed_dates_are_parsing_errors() -> None:
    credential = _with(CREDENTIAL, validUntil="tomorrow")
    with pytest.raises(ParsingError) as caught:
        check_validity_period(credential, clock=_clock(2026, 6))
    assert caught.value.code == "PARSING_ERROR"


# --- check_issuer_is_controller ------------------------------------------------------------------


def test_issuer_is_controller() -> None:
    check_issuer_is_controller(CREDENTIAL, {"verificationMethod": f"{ISSUER}#key-1"})
    did_key = f"{HOLDER}#{HOLDER.removeprefix('did:key:')}"
    check_issuer_is_controller(
        _with(CREDENTIAL, issuer={"id": HOLDER}), {"verificationMethod": did_key}
    )


@pytest.mark.parametrize(
    "method",
    [
        "did:web:issuer.example.nl:duo#key-1",  # another source of the same issuer
        "did:web:issuer.example.nl#key-1",
        f"{ISSUER}:extra#key-1",
        f"{HOLDER}#key-1",
        "#key-1",
        None,
        5,
    ],
)
def test_issuer_is_not_controller(method: object) -> None:
    with pytest.raises(ProofVerificationError) as caught:
        check_issuer_is_controller(CREDENTIAL, {"verificationMethod": method})
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_controller_check_with_malformed_issuer() -> None:
    proof = {"verificationMethod": f"{ISSUER}#key-1"}
    _parsing_error(check_issuer_is_controller, _with(CREDENTIAL, issuer=5), proof)


def test_controller_check_with_malformed_proof() -> None:
    with pytest.raises(ProofVerificationError) as caught:
        check_issuer_is_controller(CREDENTIAL, "proof")  # type: ignore[arg-type]
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


# --- subject_ids ---------------------------------------------------------------------------------


def test_subject_ids() -> None:
    assert subject_ids(CREDENTIAL) == (HOLDER,)
    many = _with(CREDENTIAL, credentialSubject=[{"id": HOLDER}, {"a": 1}, {"id": "urn:x:2"}])
    assert subject_ids(many) == (HOLDER, "urn:x:2")
    assert subject_ids(_with(CREDENTIAL, credentialSubject={"a": 1})) == ()


@pytest.mark.parametrize("subject", [_MISSING, "x", [], [{"id": HOLDER}, 3], {"id": 7}, {"id": ""}])
def test_subject_ids_malformed(subject: object) -> None:
    _parsing_error(subject_ids, _with(CREDENTIAL, credentialSubject=subject))


# --- VC Data Model 1.1 ----------------------------------------------------------------------------

VC_1_1: dict[str, Any] = {
    "@context": [CREDENTIALS_V1_URL, "https://w3id.org/security/data-integrity/v2"],
    "type": ["VerifiableCredential"],
    "issuer": ISSUER,
    "issuanceDate": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": HOLDER},
}


def test_vc_1_1_credentials() -> None:
    assert data_model_version(VC_1_1) == "1.1"
    assert data_model_version(CREDENTIAL) == "2.0"
    check_credential_shape(VC_1_1)
    check_credential_shape(_with(VC_1_1, issuanceDate="2026-01-01T00:00:00"))  # no time zone
    check_credential_shape(_with(VC_1_1, expirationDate="2027-01-01T00:00:00Z"))
    for changes, path in (
        ({"issuanceDate": _MISSING}, "issuanceDate"),
        ({"issuanceDate": "1 January 2026"}, "issuanceDate"),
        ({"expirationDate": "2025-01-01T00:00:00Z"}, "expirationDate"),
        ({"credentialStatus": {"type": "StatusList2021Entry"}}, "credentialStatus"),
        ({"refreshService": {"type": "ManualRefresh"}}, "refreshService"),
    ):
        assert _parsing_error(check_credential_shape, _with(VC_1_1, **changes)).path == path


def test_vc_1_1_validity_window_is_issuance_to_expiration() -> None:
    credential = _with(VC_1_1, expirationDate="2027-01-01T00:00:00Z")
    check_validity_period(credential, clock=_clock(2026, 6))
    with pytest.raises(CredentialPolicyError) as caught:
        check_validity_period(credential, clock=_clock(2027, second=1))
    assert (caught.value.code, caught.value.path) == ("CREDENTIAL_EXPIRED", "expirationDate")
    with pytest.raises(CredentialPolicyError) as caught:
        check_validity_period(credential, clock=_clock(2025))
    assert (caught.value.code, caught.value.path) == ("CREDENTIAL_NOT_YET_VALID", "issuanceDate")


# --- every MUST a processor can check ------------------------------------------------------------

SRI_OF_BASE_CONTEXT = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"
SHA256_OF_BASE_CONTEXT = bytes.fromhex(
    "24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9"
)


def _multibase(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "related",
    [
        {"id": CREDENTIALS_V2_URL, "digestSRI": SRI_OF_BASE_CONTEXT},
        {"id": CREDENTIALS_V2_URL, "digestMultibase": _multibase(SHA256_OF_BASE_CONTEXT)},
        # The same digest as a multihash (sha2-256, 32 bytes).
        {
            "id": CREDENTIALS_V2_URL,
            "digestMultibase": _multibase(b"\x12\x20" + SHA256_OF_BASE_CONTEXT),
        },
        {
            "id": CREDENTIALS_V2_URL,
            "mediaType": "application/ld+json",
            "digestSRI": SRI_OF_BASE_CONTEXT
            + " sha256-"
            + base64.b64encode(SHA256_OF_BASE_CONTEXT).decode(),
        },
        # A resource we cannot retrieve offline: only the form of its digest is checked.
        {"id": "https://example.org/logo.png", "digestMultibase": _multibase(bytes(48))},
    ],
)
def test_related_resources_accepted(related: dict[str, Any]) -> None:
    check_credential_shape(_with(CREDENTIAL, relatedResource=related))
    check_credential_shape(_with(CREDENTIAL, relatedResource=[related]))


@pytest.mark.parametrize(
    "related",
    [
        CREDENTIALS_V2_URL,
        [CREDENTIALS_V2_URL],
        [{"digestSRI": SRI_OF_BASE_CONTEXT}],
        [{"id": "not a url", "digestSRI": SRI_OF_BASE_CONTEXT}],
        [{"id": CREDENTIALS_V2_URL}],
        [
            {"id": CREDENTIALS_V2_URL, "digestSRI": SRI_OF_BASE_CONTEXT},
            {"id": CREDENTIALS_V2_URL, "digestSRI": SRI_OF_BASE_CONTEXT},
        ],
        [{"id": CREDENTIALS_V2_URL, "digestSRI": "sha384-" + "A" * 64}],  # another digest
        [
            {
                "id": CREDENTIALS_V2_URL,
                "digestSRI": "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4Jpn",
            }
        ],
        [{"id": CREDENTIALS_V2_URL, "digestSRI": "md5-1B2M2Y8AsgTpgAmY7PhCfg=="}],
        [{"id": CREDENTIALS_V2_URL, "digestMultibase": _multibase(bytes(32))}],
        [
            {
                "id": CREDENTIALS_V2_URL,
                "digestMultibase": "JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k",
            }
        ],
        [{"id": "https://example.org/x", "digestMultibase": _multibase(bytes(20))}],
    ],
)
def test_related_resources_refused(related: Any) -> None:
    error = _parsing_error(check_credential_shape, _with(CREDENTIAL, relatedResource=related))
    assert error.path == "relatedResource"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"credentialSubject": {}}, "credentialSubject"),
        ({"credentialSubject": [{"id": HOLDER}, {}]}, "credentialSubject"),
        ({"credentialSubject": {"id": [HOLDER, HOLDER]}}, "credentialSubject"),
        ({"id": [CREDENTIAL["id"]]}, "id"),
        ({"id": None}, "id"),
        ({"name": {"@value": "A", "@language": "en", "url": "x"}}, "name"),
        ({"name": {"@value": "A", "@direction": "up"}}, "name"),
        ({"description": {"@value": "A", "@language": "not a tag!"}}, "description"),
        ({"issuer": {"id": ISSUER, "name": {"@value": 5}}}, "issuer.name"),
        ({"credentialSchema": {"id": "https://example.org/s"}}, "credentialSchema"),
        ({"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema"),
        ({"credentialSchema": {"id": "s1", "type": "JsonSchema"}}, "credentialSchema"),
        ({"termsOfUse": {"id": "https://example.org/p"}}, "termsOfUse"),
        ({"evidence": [{"type": "Evidence"}, {"id": "https://example.org/e"}]}, "evidence[1]"),
        ({"refreshService": {"id": "https://example.org/r"}}, "refreshService"),
        ({"credentialStatus": {"id": "not a url", "type": "X"}}, "credentialStatus"),
        (
            {"credentialStatus": {"id": ["https://a.example", "https://b.example"], "type": "X"}},
            "credentialStatus",
        ),
    ],
)
def test_data_model_musts(changes: dict[str, Any], path: str) -> None:
    assert _parsing_error(check_credential_shape, _with(CREDENTIAL, **changes)).path == path


def test_data_model_allows() -> None:
    check_credential_shape(
        _with(
            CREDENTIAL,
            name=[
                {"@value": "Inkomen", "@language": "nl"},
                {"@value": "Income", "@language": "en-GB", "@direction": "ltr"},
            ],
            description="An income statement",
            issuer={
                "id": ISSUER,
                "name": "Belastingdienst",
                "description": {"@value": "Tax office"},
            },
            credentialSchema={"id": "https://example.org/schema", "type": "JsonSchema"},
            termsOfUse={"type": "IssuerPolicy"},
            evidence={"type": ["Evidence", "DocumentVerification"]},
            refreshService={"type": "ManualRefresh"},
        )
    )
