"""The negative checklist of issue 2: each attack through the public API, its class and its code.

Every test asserts the exact exception class and the problem code(s). ``verify``
raises the subclass of a code when all problems share it (``ProofExpiredError``
for an expired proof) and plain ``VerificationError`` for failures that stop
verification itself (an unknown context, the canonicalization limit).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.core.samples import income_credential
from vc_core import (
    CanonicalizationLimitError,
    CryptosuiteName,
    DataLossError,
    DocumentLoadError,
    InvalidChallengeError,
    InvalidDomainError,
    KeyPair,
    ParsingError,
    ProofExpiredError,
    ProofVerificationError,
    VerificationError,
    canonicalize,
    derive,
    did_key,
    sign,
    verify,
)

Json = dict[str, Any]
Clock = Callable[[], datetime]

MANDATORY = ("/issuer", "/validFrom", "/credentialSubject/id", "/credentialSubject/belastingjaar")
SUITES: list[CryptosuiteName] = ["ecdsa-rdfc-2019", "eddsa-rdfc-2022", "ecdsa-sd-2023"]
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module")
def p256() -> KeyPair:
    return KeyPair.generate("P-256")


@pytest.fixture(scope="module")
def ed25519() -> KeyPair:
    return KeyPair.generate("Ed25519")


@pytest.fixture
def credential(p256: KeyPair) -> Json:
    return income_credential(did_key(p256), "did:example:holder")


@pytest.fixture
def signed(credential: Json, p256: KeyPair) -> Json:
    """An ecdsa-rdfc-2019 credential signed with the P-256 key."""
    return sign(credential, p256)


@pytest.fixture(scope="module")
def sd_base(p256: KeyPair) -> Json:
    credential = income_credential(did_key(p256), "did:example:holder")
    return sign(credential, p256, cryptosuite="ecdsa-sd-2023", mandatory_pointers=MANDATORY)


@pytest.fixture
def derived(sd_base: Json) -> Json:
    """A disclosure of the income class; the amount and validUntil stay hidden."""
    return derive(sd_base, selective_pointers=["/credentialSubject/inkomensklasse"])


@pytest.fixture(params=SUITES)
def secured(
    request: pytest.FixtureRequest, credential: Json, p256: KeyPair, ed25519: KeyPair
) -> Json:
    """A verifying document of each suite (for ecdsa-sd-2023: a derived disclosure)."""
    suite: CryptosuiteName = request.param
    if suite == "ecdsa-sd-2023":
        disclosure: Json = request.getfixturevalue("derived")
        return disclosure
    return sign(credential, ed25519 if suite == "eddsa-rdfc-2022" else p256, cryptosuite=suite)


def refused(
    document: object, error: type[VerificationError], *codes: str, **options: Any
) -> VerificationError:
    """Verify ``document``; require exactly ``error`` with problems of exactly ``codes``."""
    with pytest.raises(VerificationError) as caught:
        verify(document, **options)
    assert type(caught.value) is error, caught.value
    assert [problem.code for problem in caught.value.problems] == list(codes)
    assert caught.value.code == codes[0]
    return caught.value


# --- content changes --------------------------------------------------------------------------


def test_tampered_value(secured: Json) -> None:
    secured["credentialSubject"]["inkomensklasse"] = "laag"
    refused(secured, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_added_statement(secured: Json) -> None:
    secured["credentialSubject"]["geslachtsnaam"] = "Jansen"
    refused(secured, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_hidden_claim_added_back_with_its_true_value(derived: Json, sd_base: Json) -> None:
    true_value = sd_base["credentialSubject"]["verzamelinkomen"]
    derived["credentialSubject"]["verzamelinkomen"] = true_value
    refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_removed_statement(secured: Json) -> None:
    del secured["credentialSubject"]["inkomensklasse"]
    refused(secured, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_removed_mandatory_statement(derived: Json) -> None:
    del derived["validFrom"]
    refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_base_proof_presented_as_derived(sd_base: Json) -> None:
    error = refused(sd_base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "base proof" in error.problems[0].detail


# --- cryptosuites and keys --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["eddsa-rdfc-2022", "ecdsa-sd-2023", "ecdsa-rdfc-2099"])
def test_wrong_cryptosuite_name_in_the_proof(signed: Json, name: str) -> None:
    signed["proof"]["cryptosuite"] = name
    refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_cryptosuite_not_accepted_by_the_verifier(signed: Json) -> None:
    error = refused(
        signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR", cryptosuites={"eddsa-rdfc-2022"}
    )
    assert "not accepted" in error.problems[0].detail


def test_wrong_key_type_renamed_cryptosuite(credential: Json, ed25519: KeyPair) -> None:
    signed = sign(credential, ed25519, cryptosuite="eddsa-rdfc-2022")
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    error = refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "Ed25519" in error.problems[0].detail


def test_wrong_key_type_in_the_verification_method(
    credential: Json, p256: KeyPair, ed25519: KeyPair
) -> None:
    ed_vm = f"{did_key(ed25519)}#{ed25519.public.multibase}"
    signed = sign(credential, p256, cryptosuite="ecdsa-rdfc-2019", verification_method=ed_vm)
    error = refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "Ed25519" in error.problems[0].detail


# --- proof options ----------------------------------------------------------------------------


def test_wrong_challenge(credential: Json, p256: KeyPair) -> None:
    signed = sign(credential, p256, challenge="nonce-1")
    refused(signed, InvalidChallengeError, "INVALID_CHALLENGE_ERROR", challenge="nonce-2")


def test_missing_challenge(signed: Json) -> None:
    refused(signed, InvalidChallengeError, "INVALID_CHALLENGE_ERROR", challenge="nonce-1")


def test_wrong_domain(credential: Json, p256: KeyPair) -> None:
    signed = sign(credential, p256, domain="https://verhuurder.example")
    refused(signed, InvalidDomainError, "INVALID_DOMAIN_ERROR", domain="https://evil.example")


def test_missing_domain(signed: Json) -> None:
    refused(signed, InvalidDomainError, "INVALID_DOMAIN_ERROR", domain="https://verhuurder.example")


def test_wrong_proof_purpose(signed: Json) -> None:
    refused(
        signed,
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        expected_proof_purpose="authentication",
    )


def test_expired_proof(credential: Json, p256: KeyPair, fixed_clock: Clock) -> None:
    now = fixed_clock()
    signed = sign(
        credential, p256, created=now - timedelta(days=30), expires=now - timedelta(hours=1)
    )
    refused(signed, ProofExpiredError, "PROOF_EXPIRED_ERROR", clock=fixed_clock)
    verify(signed, clock=lambda: now - timedelta(days=1))


def test_created_in_the_future(credential: Json, p256: KeyPair, fixed_clock: Clock) -> None:
    signed = sign(credential, p256, created=fixed_clock() + timedelta(hours=1))
    refused(signed, ProofExpiredError, "PROOF_EXPIRED_ERROR", clock=fixed_clock)


# --- JSON-LD ----------------------------------------------------------------------------------


@pytest.fixture
def sockets(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every socket open fail, and record the attempts."""
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> socket.socket:
        attempts.append(args)
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    return attempts


@pytest.mark.parametrize(
    "url", ["https://example.org/contexts/unknown/v1", "http://example.org/ctx", "ftp://x/y"]
)
def test_unknown_context_url(signed: Json, p256: KeyPair, url: str, sockets: list[object]) -> None:
    signed["@context"].append(url)
    error = refused(signed, VerificationError, "LOADING_DOCUMENT_FAILED")
    assert url in error.detail
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    with pytest.raises(DocumentLoadError) as caught:
        sign(unsigned, p256)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"
    assert sockets == []


@pytest.mark.parametrize("suite", SUITES)
def test_undefined_term_on_sign(
    credential: Json, p256: KeyPair, ed25519: KeyPair, suite: CryptosuiteName
) -> None:
    credential["credentialSubject"]["annualIncome"] = 41250
    key = ed25519 if suite == "eddsa-rdfc-2022" else p256
    with pytest.raises(DataLossError) as caught:
        sign(credential, key, cryptosuite=suite)
    assert caught.value.code == "DATA_LOSS_DETECTION_ERROR"
    assert "annualIncome" in caught.value.detail


def test_undefined_term_on_verify(secured: Json) -> None:
    secured["credentialSubject"]["annualIncome"] = 41250
    error = refused(secured, DataLossError, "DATA_LOSS_DETECTION_ERROR")
    assert "annualIncome" in error.detail


def test_relative_type(signed: Json, credential: Json, p256: KeyPair) -> None:
    signed["type"].append("IncomeCredential")
    refused(signed, DataLossError, "DATA_LOSS_DETECTION_ERROR")
    credential["type"].append("IncomeCredential")
    with pytest.raises(DataLossError) as caught:
        sign(credential, p256)
    assert caught.value.code == "DATA_LOSS_DETECTION_ERROR"


def test_poison_graph(signed: Json) -> None:
    nodes = 12
    context = [CREDENTIALS_V2, {"link": {"@id": "https://example.org/ns#link", "@type": "@id"}}]
    poison: Json = {
        "@context": context,
        "@graph": [
            {"id": f"_:b{i}", "link": [f"_:b{j}" for j in range(nodes) if j != i]}
            for i in range(nodes)
        ],
    }
    started = time.monotonic()
    with pytest.raises(CanonicalizationLimitError) as caught:
        canonicalize(poison)
    assert caught.value.code == "CANONICALIZATION_LIMIT_ERROR"
    refused({**poison, "proof": signed["proof"]}, VerificationError, "CANONICALIZATION_LIMIT_ERROR")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "character", ["\u0000", "\u0008", "\u000b", "\u000c", "\u001f", "\u007f", "\ufffe", "\uffff"]
)
def test_characters_rdf_libraries_serialize_differently_are_refused(
    character: str, credential: Json, signed: Json, p256: KeyPair
) -> None:
    """docs/protocols.md, P2: refused at issuance, at verification and by canonicalize."""
    document = {
        "@context": {"note": "https://example.org/ns#note"},
        "@id": "https://example.org/s",
        "note": f"bell{character}",
    }
    with pytest.raises(ParsingError, match=f"U\\+{ord(character):04X}") as caught:
        canonicalize(document)
    assert caught.value.code == "PARSING_ERROR"
    credential["credentialSubject"]["inkomensklasse"] = f"midden{character}"
    with pytest.raises(ParsingError) as caught:
        sign(credential, p256)
    assert caught.value.code == "PARSING_ERROR"
    signed["credentialSubject"]["inkomensklasse"] = f"midden{character}"
    refused(signed, ParsingError, "PARSING_ERROR")


def test_tab_newline_and_carriage_return_are_portable() -> None:
    document = {
        "@context": {"note": "https://example.org/ns#note"},
        "@id": "https://example.org/s",
        "note": "a\tb\nc\rd \u00a0\u2028",
    }
    assert canonicalize(document) == (
        '<https://example.org/s> <https://example.org/ns#note> "a\\tb\\nc\\rd \u00a0\u2028" .\n'
    )


# --- malformed input --------------------------------------------------------------------------


@pytest.mark.parametrize("document", [[], ["x"], "credential", None, 42], ids=repr)
def test_non_object_input(document: object) -> None:
    refused(document, ParsingError, "PARSING_ERROR")
    with pytest.raises(ParsingError) as caught:
        derive(document, selective_pointers=["/issuer"])  # type: ignore[arg-type]
    assert caught.value.code == "PARSING_ERROR"


@pytest.mark.parametrize("proof", ["z3Fx", 42, None, [], {}, ["z3Fx"]], ids=repr)
def test_proof_not_an_object(signed: Json, proof: object) -> None:
    signed["proof"] = proof
    error = refused(signed, ParsingError, "PARSING_ERROR")
    assert error.problems[0].path.startswith("proof")


def test_proof_without_required_members(signed: Json) -> None:
    del signed["proof"]["verificationMethod"]
    refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


@pytest.mark.parametrize(
    "proof_value",
    ["3yMsQ7vJk", "z0OIl", "zzzzz!", "", "u2V0B", "mAAAA"],
    ids=["no-prefix", "bad-base58", "bad-char", "empty", "base64url-not-base58", "other-base"],
)
def test_malformed_multibase_proof_value(signed: Json, proof_value: str) -> None:
    signed["proof"]["proofValue"] = proof_value
    error = refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "base58btc" in error.problems[0].detail


@pytest.mark.parametrize(
    ("proof_value", "reason"),
    [("z3Fx", "prefix 'u'"), ("u2V0B!!!", "base64url"), ("uAAAA", "header")],
    ids=["base58", "bad-base64url", "no-header"],
)
def test_malformed_multibase_sd_proof_value(derived: Json, proof_value: str, reason: str) -> None:
    derived["proof"]["proofValue"] = proof_value
    error = refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert reason in error.problems[0].detail


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ("", "truncated"),
        ("____", "indefinite length or reserved"),
        ("hQ", "truncated"),
        ("2V0B", "tag"),
        ("hfY", "simple values"),
        ("AAAA", "trailing"),
        ("oA", "array of five"),
        ("gA", "array of five"),
    ],
    ids=["nothing", "ff-bytes", "truncated-array", "tag", "float", "trailing", "map", "empty"],
)
def test_malformed_cbor(derived: Json, garbage: str, reason: str) -> None:
    derived["proof"]["proofValue"] = "u2V0B" + garbage
    error = refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert reason in error.problems[0].detail


def test_garbage_after_a_valid_cbor_proof_value(derived: Json) -> None:
    derived["proof"]["proofValue"] += "AAAA"
    refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


@pytest.mark.parametrize("keep", [0.5, 0.9], ids=["half", "most"])
def test_truncated_signature(signed: Json, keep: float) -> None:
    proof_value = signed["proof"]["proofValue"]
    signed["proof"]["proofValue"] = proof_value[: int(len(proof_value) * keep)]
    error = refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "expected 64" in error.problems[0].detail
