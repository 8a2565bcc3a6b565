"""The public recipes sign/derive/verify/canonicalize, used only through ``from vc_core import``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.core.samples import income_credential
from vc_core import (
    CryptosuiteName,
    Curve,
    DocumentLoader,
    DocumentLoadError,
    InvalidChallengeError,
    KeyPair,
    ProofGenerationError,
    ProofVerificationError,
    VerificationError,
    canonicalize,
    confirm,
    derive,
    did_key,
    document_loader,
    sign,
    verify,
)

Json = dict[str, Any]
Clock = Callable[[], datetime]

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
CITIZENSHIP_V4RC1 = "https://w3id.org/citizenship/v4rc1"
MANDATORY = ("/issuer", "/validFrom", "/credentialSubject/id", "/credentialSubject/belastingjaar")
SUITES: list[tuple[Curve, CryptosuiteName]] = [
    ("P-256", "ecdsa-rdfc-2019"),
    ("P-384", "ecdsa-rdfc-2019"),
    ("Ed25519", "eddsa-rdfc-2022"),
    ("P-256", "ecdsa-sd-2023"),
]
SUITE_IDS = ["p256-ecdsa-rdfc-2019", "p384-ecdsa-rdfc-2019", "eddsa-rdfc-2022", "ecdsa-sd-2023"]


@pytest.fixture(scope="module")
def keys() -> dict[str, KeyPair]:
    curves: tuple[Curve, ...] = ("P-256", "P-384", "Ed25519")
    return {curve: KeyPair.generate(curve) for curve in curves}


@pytest.fixture
def credential(keys: dict[str, KeyPair]) -> Json:
    return income_credential(did_key(keys["P-256"]), "did:example:holder")


@pytest.fixture
def sd_base(keys: dict[str, KeyPair], credential: Json) -> Json:
    """The credential with an ecdsa-sd-2023 base proof over ``MANDATORY``."""
    return sign(
        credential, keys["P-256"], cryptosuite="ecdsa-sd-2023", mandatory_pointers=MANDATORY
    )


def secure(
    document: Json,
    key: KeyPair,
    suite: CryptosuiteName,
    *,
    mandatory: tuple[str, ...] = MANDATORY,
    selected: tuple[str, ...] = ("/credentialSubject/inkomensklasse",),
    **options: Any,
) -> Json:
    """Sign with ``suite``; for ecdsa-sd-2023 also derive a disclosure of ``selected``."""
    if suite != "ecdsa-sd-2023":
        return sign(document, key, cryptosuite=suite, **options)
    base = sign(document, key, cryptosuite=suite, mandatory_pointers=mandatory, **options)
    loader = options.get("document_loader")
    return derive(base, selective_pointers=selected, document_loader=loader)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize(("curve", "suite"), SUITES, ids=SUITE_IDS)
def test_round_trip(
    curve: Curve, suite: CryptosuiteName, keys: dict[str, KeyPair], credential: Json
) -> None:
    original = copy.deepcopy(credential)
    secured = secure(credential, keys[curve], suite)
    assert credential == original, "sign must not change its input"
    proof = secured["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == suite
    assert proof["proofPurpose"] == "assertionMethod"
    multibase = keys[curve].public.multibase
    assert proof["verificationMethod"] == f"did:key:{multibase}#{multibase}"
    expected_prefix = "u2V0B" if suite == "ecdsa-sd-2023" else "z"
    assert proof["proofValue"].startswith(expected_prefix)
    result = verify(secured)
    assert result.proofs == (proof,)


@pytest.mark.parametrize(
    ("curve", "expected"),
    [("P-256", "ecdsa-rdfc-2019"), ("P-384", "ecdsa-rdfc-2019"), ("Ed25519", "eddsa-rdfc-2022")],
)
def test_default_cryptosuite_follows_the_key_type(
    curve: Curve, expected: str, keys: dict[str, KeyPair], credential: Json
) -> None:
    signed = sign(credential, keys[curve])
    assert signed["proof"]["cryptosuite"] == expected
    verify(signed)


def test_verified_document_is_the_document_without_proof(
    keys: dict[str, KeyPair], credential: Json
) -> None:
    result = verify(sign(credential, keys["Ed25519"]))
    assert "proof" not in result.document
    assert result.document == credential


def test_derived_document_holds_only_mandatory_and_selected_claims(
    sd_base: Json, credential: Json
) -> None:
    shown = derive(sd_base, selective_pointers=["/credentialSubject/verzamelinkomen/value"])
    document = verify(shown).document
    assert "proof" not in document
    subject = document["credentialSubject"]
    assert subject == {
        "id": "did:example:holder",
        "type": "Belastingplichtige",
        "belastingjaar": 2024,
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00"},
    }
    assert "validUntil" not in document
    assert document["issuer"] == credential["issuer"]
    assert document["validFrom"] == credential["validFrom"]


def test_derive_without_selection_reveals_the_mandatory_claims(sd_base: Json) -> None:
    subject = verify(derive(sd_base, selective_pointers=[])).document["credentialSubject"]
    assert set(subject) == {"id", "type", "belastingjaar"}


def test_derive_refuses_a_pointer_that_matches_nothing(sd_base: Json) -> None:
    with pytest.raises(ProofGenerationError) as caught:
        derive(sd_base, selective_pointers=["/credentialSubject/geslachtsnaam"])
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_derive_refuses_a_document_without_a_base_proof(
    keys: dict[str, KeyPair], credential: Json
) -> None:
    with pytest.raises(ProofGenerationError) as caught:
        derive(sign(credential, keys["P-256"]), selective_pointers=["/issuer"])
    assert caught.value.code == "PROOF_GENERATION_ERROR"


# --- proof options ----------------------------------------------------------------------------


@pytest.mark.parametrize(("curve", "suite"), SUITES, ids=SUITE_IDS)
def test_challenge_and_domain_are_checked_when_the_verifier_passes_them(
    curve: Curve, suite: CryptosuiteName, keys: dict[str, KeyPair], credential: Json
) -> None:
    secured = secure(credential, keys[curve], suite, challenge="n-0S6_WzA2Mj", domain="rp.example")
    assert (secured["proof"]["challenge"], secured["proof"]["domain"]) == (
        "n-0S6_WzA2Mj",
        "rp.example",
    )
    verify(secured, challenge="n-0S6_WzA2Mj", domain="rp.example")
    verify(secured)  # a verifier that expects neither does not check them
    with pytest.raises(InvalidChallengeError) as caught:
        verify(secured, challenge="another-nonce", domain="rp.example")
    assert caught.value.code == "INVALID_CHALLENGE_ERROR"


def test_signing_twice_makes_a_proof_set(keys: dict[str, KeyPair], credential: Json) -> None:
    first = sign(credential, keys["P-256"])
    both = sign(first, keys["Ed25519"])
    assert [p["cryptosuite"] for p in both["proof"]] == ["ecdsa-rdfc-2019", "eddsa-rdfc-2022"]
    result = verify(both)
    assert len(result.proofs) == 2
    assert result.document == credential
    tampered = copy.deepcopy(both)
    tampered["proof"][1]["proofValue"] = first["proof"]["proofValue"]
    with pytest.raises(ProofVerificationError) as caught:
        verify(tampered)
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("PROOF_VERIFICATION_ERROR", "proof[1]")
    ]


def test_previous_proof_makes_a_chain(keys: dict[str, KeyPair], credential: Json) -> None:
    first = sign(credential, keys["P-256"], proof_id="urn:uuid:1d8d2f11")
    chained = sign(first, keys["P-384"], previous_proof="urn:uuid:1d8d2f11")
    assert chained["proof"][1]["previousProof"] == "urn:uuid:1d8d2f11"
    assert len(verify(chained).proofs) == 2
    # Without the proof it names, the chained proof no longer verifies.
    with pytest.raises(ProofVerificationError) as caught:
        verify({**chained, "proof": [chained["proof"][1]]})
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
    # A chain built on a proof set: previousProof may name several proofs.
    set_of_two = sign(first, keys["Ed25519"], proof_id="urn:uuid:2a7c")
    on_both = sign(set_of_two, keys["P-256"], previous_proof=["urn:uuid:1d8d2f11", "urn:uuid:2a7c"])
    assert len(verify(on_both).proofs) == 3


def test_previous_proof_must_name_an_existing_proof(
    keys: dict[str, KeyPair], credential: Json
) -> None:
    first = sign(credential, keys["P-256"], proof_id="urn:uuid:1d8d2f11")
    with pytest.raises(ProofGenerationError) as caught:
        sign(first, keys["P-256"], previous_proof="urn:uuid:unknown")
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_created_defaults_to_the_injected_clock(
    keys: dict[str, KeyPair], credential: Json, fixed_clock: Clock
) -> None:
    signed = sign(credential, keys["P-256"], clock=fixed_clock)
    assert signed["proof"]["created"] == "2026-01-01T12:00:00Z"
    assert "expires" not in signed["proof"]
    verify(signed, clock=fixed_clock)


def test_explicit_created_and_expires(
    keys: dict[str, KeyPair], credential: Json, fixed_clock: Clock
) -> None:
    amsterdam = timezone(timedelta(hours=1))
    signed = sign(
        credential,
        keys["Ed25519"],
        created=datetime(2025, 12, 31, 13, 30, 15, 999, tzinfo=amsterdam),
        expires="2026-02-01T00:00:00Z",
        clock=fixed_clock,
    )
    assert signed["proof"]["created"] == "2025-12-31T12:30:15Z"
    assert signed["proof"]["expires"] == "2026-02-01T00:00:00Z"
    verify(signed, clock=fixed_clock)


def test_naive_datetimes_and_malformed_dates_are_refused(
    keys: dict[str, KeyPair], credential: Json
) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sign(credential, keys["P-256"], created=datetime(2026, 1, 1))
    with pytest.raises(ProofGenerationError) as caught:
        sign(credential, keys["P-256"], expires="1 January 2026")
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_cryptosuites_limits_what_verify_accepts(
    keys: dict[str, KeyPair], credential: Json
) -> None:
    signed = sign(credential, keys["P-256"])
    verify(signed, cryptosuites={"ecdsa-rdfc-2019"})
    shown = secure(credential, keys["P-256"], "ecdsa-sd-2023")
    verify(shown, cryptosuites=["ecdsa-sd-2023"])
    with pytest.raises(ProofVerificationError) as caught:
        verify(shown, cryptosuites={"ecdsa-rdfc-2019", "eddsa-rdfc-2022"})
    assert "not accepted" in caught.value.problems[0].detail


def test_proof_purpose_is_signed_and_checked(keys: dict[str, KeyPair], credential: Json) -> None:
    signed = sign(credential, keys["P-256"], proof_purpose="authentication")
    verify(signed, expected_proof_purpose="authentication")
    with pytest.raises(ProofVerificationError):
        verify(signed, expected_proof_purpose="assertionMethod")


def test_sign_misuse_is_a_type_or_value_error(keys: dict[str, KeyPair], credential: Json) -> None:
    with pytest.raises(TypeError):
        sign([credential], keys["P-256"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sign(credential, keys["P-256"].public)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ecdsa-sd-2023"):
        sign(credential, keys["P-256"], mandatory_pointers=["/issuer"])


# --- P6: ecdsa-sd-2023 signs every input form, pointers as the document is written --------------


@pytest.mark.parametrize(
    ("path", "value"),
    [("type", ["VerifiableCredential"]), ("credentialSubject/type", ["Belastingplichtige"])],
    ids=["top-level-type", "subject-type"],
)
def test_sd_signs_one_element_arrays_compaction_would_unwrap(
    path: str, value: list[str], keys: dict[str, KeyPair], credential: Json
) -> None:
    *parents, name = path.split("/")
    target = credential
    for parent in parents:
        target = target[parent]
    target[name] = value
    base = sign(
        credential,
        keys["P-256"],
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", f"/{path}"],
    )
    shown = derive(base, selective_pointers=["/credentialSubject/inkomensklasse"])
    document = verify(shown).document
    assert document["credentialSubject"]["inkomensklasse"] == "midden"
    assert "belastingjaar" not in document["credentialSubject"]
    # The revealed document keeps the shape it was signed in.
    revealed = document
    for parent in parents:
        revealed = revealed[parent]
    assert revealed[name] == value


def test_sd_pointers_through_one_element_arrays(keys: dict[str, KeyPair], credential: Json) -> None:
    credential["credentialSubject"] = [credential["credentialSubject"]]
    base = sign(
        credential,
        keys["P-256"],
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", "/credentialSubject/0/belastingjaar"],
    )
    confirm(base)
    shown = derive(base, selective_pointers=["/credentialSubject/0/inkomensklasse"])
    (subject,) = verify(shown).document["credentialSubject"]
    assert subject["inkomensklasse"] == "midden"
    assert "verzamelinkomen" not in subject
    with pytest.raises(ProofGenerationError):
        derive(base, selective_pointers=["/credentialSubject/1/inkomensklasse"])


def test_sd_signing_needs_a_context(keys: dict[str, KeyPair], credential: Json) -> None:
    del credential["@context"]
    with pytest.raises(ProofGenerationError) as caught:
        sign(credential, keys["P-256"], cryptosuite="ecdsa-sd-2023", mandatory_pointers=["/issuer"])
    assert caught.value.code == "PROOF_GENERATION_ERROR"


# --- document loaders -------------------------------------------------------------------------

GARDEN_URL = "https://example.org/contexts/tuin/v1"
GARDEN_CONTEXT: Json = {
    "@context": {
        "@version": 1.1,
        "@protected": True,
        "TuinCredential": "https://example.org/ns/tuin#TuinCredential",
        "oppervlakte": {
            "@id": "https://example.org/ns/tuin#oppervlakte",
            "@type": "http://www.w3.org/2001/XMLSchema#integer",
        },
        "grondsoort": "https://example.org/ns/tuin#grondsoort",
    }
}


def garden_credential(issuer: KeyPair) -> Json:
    return {
        "@context": [CREDENTIALS_V2, GARDEN_URL],
        "type": ["VerifiableCredential", "TuinCredential"],
        "issuer": did_key(issuer),
        "credentialSubject": {"id": "did:example:holder", "oppervlakte": 120, "grondsoort": "klei"},
    }


@pytest.mark.parametrize(("curve", "suite"), SUITES, ids=SUITE_IDS)
def test_extra_contexts_serve_a_custom_vocabulary(
    curve: Curve, suite: CryptosuiteName, keys: dict[str, KeyPair]
) -> None:
    loader = document_loader(extra_contexts={GARDEN_URL: GARDEN_CONTEXT})
    credential = garden_credential(keys[curve])
    secured = secure(
        credential,
        keys[curve],
        suite,
        mandatory=("/issuer",),
        selected=("/credentialSubject/grondsoort",),
        document_loader=loader,
    )
    subject = verify(secured, document_loader=loader).document["credentialSubject"]
    assert subject["grondsoort"] == "klei"
    # The default loader does not know the context: verification fails, offline.
    with pytest.raises(VerificationError) as caught:
        verify(secured)
    assert type(caught.value) is VerificationError
    assert [p.code for p in caught.value.problems] == ["LOADING_DOCUMENT_FAILED"]


def test_signing_with_an_unknown_context_is_a_document_load_error(
    keys: dict[str, KeyPair],
) -> None:
    with pytest.raises(DocumentLoadError) as caught:
        sign(garden_credential(keys["P-256"]), keys["P-256"])
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_canonicalize_gives_sorted_canonical_nquads(credential: Json) -> None:
    nquads = canonicalize(credential)
    lines = nquads.splitlines(keepends=True)
    assert lines == sorted(lines)
    assert all(line.endswith(" .\n") for line in lines)
    assert '"41250.00"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nquads
    assert "_:c14n0" in nquads  # the income amount is a blank node


# --- W3C vectors through the public API -------------------------------------------------------


@pytest.fixture(scope="module")
def vector_loader(reference_contexts_dir: Path) -> DocumentLoader:
    """The offline loader plus the vector context we do not bundle (the examples one is)."""
    files = {CITIZENSHIP_V4RC1: "citizenship-v4rc1.json"}
    extra = {
        url: json.loads((reference_contexts_dir / name).read_text()) for url, name in files.items()
    }
    return document_loader(extra_contexts=extra)


SIGNED_VECTORS = {
    "sd-employ": "ecdsa-sd-2023/employ/derivedRevealDocument.json",
    "sd-prc": "ecdsa-sd-2023/prc/derivedRevealDocument.json",
    "sd-windsurf": "ecdsa-sd-2023/windsurf/derivedRevealDocument.json",
    "p256": "ecdsa-rdfc-2019-p256/signedECDSAP256.json",
    "p256-employ": "ecdsa-rdfc-2019-p256/employ/signedECDSAP256.json",
    "p384": "ecdsa-rdfc-2019-p384/signedECDSAP384.json",
    "p384-employ": "ecdsa-rdfc-2019-p384/employ/signedECDSAP384.json",
    "eddsa": "eddsa-rdfc-2022/signedDataInt.json",
    "eddsa-employ": "eddsa-rdfc-2022/employ/signedDataInt.json",
    "eddsa-proof-set": "eddsa-rdfc-2022-proof-set-chain/signedProofSet2.json",
    "eddsa-proof-chain": "eddsa-rdfc-2022-proof-set-chain/signedProofChain2.json",
}


@pytest.mark.vectors
@pytest.mark.parametrize("case", list(SIGNED_VECTORS), ids=list(SIGNED_VECTORS))
def test_signed_vectors_verify(case: str, vectors_dir: Path, vector_loader: DocumentLoader) -> None:
    document = json.loads((vectors_dir / SIGNED_VECTORS[case]).read_text())
    result = verify(document, document_loader=vector_loader)
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    assert list(result.proofs) == proofs
    assert result.document == {k: v for k, v in document.items() if k != "proof"}
    tampered = copy.deepcopy(document)
    tampered["issuer"] = "https://vc.example/issuers/someone-else"
    with pytest.raises(ProofVerificationError):
        verify(tampered, document_loader=vector_loader)


@pytest.mark.vectors
def test_expired_credential_still_verifies_because_verify_checks_proofs_only(
    vectors_dir: Path, vector_loader: DocumentLoader
) -> None:
    document = json.loads((vectors_dir / SIGNED_VECTORS["sd-prc"]).read_text())
    valid_until = datetime.fromisoformat(document["validUntil"])
    assert valid_until < datetime.now(UTC)
    # Credential rules (validity window, issuer = key controller) belong to the verifier.
    verify(document, document_loader=vector_loader)


@pytest.mark.vectors
@pytest.mark.parametrize(
    ("curve_dir", "hash_name"),
    [("ecdsa-rdfc-2019-p256", "sha256"), ("ecdsa-rdfc-2019-p384", "sha384")],
    ids=["sha256", "sha384"],
)
def test_canonicalize_matches_the_vectors(
    curve_dir: str, hash_name: Any, vectors_dir: Path, vector_loader: DocumentLoader
) -> None:
    folder = vectors_dir / curve_dir
    document = json.loads((folder / "employmentAuth.json").read_text())
    expected = next((folder / "employ").glob("canonDoc*.txt")).read_text()
    assert canonicalize(document, document_loader=vector_loader, hash_name=hash_name) == expected
