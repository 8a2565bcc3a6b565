"""``vc_core.confirm``: a holder checks an ecdsa-sd-2023 base proof on receipt, before storing.

Every refusal asserts the exact error class, its ``code`` and the codes of its
``problems``, as ``verify`` reports them.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cbor2
import pytest

from tests.core.samples import MANDATORY_POINTERS, income_credential
from vc_core import (
    DataLossError,
    DocumentLoader,
    KeyPair,
    ParsingError,
    ProofExpiredError,
    ProofVerificationError,
    VerificationError,
    VerificationMethod,
    confirm,
    derive,
    did_key,
    sign,
    verify,
)

Json = dict[str, Any]
Clock = Callable[[], datetime]

BASE_HEADER = b"\xd9\x5d\x00"
SD_VECTORS = ["employ", "prc", "windsurf"]


@pytest.fixture(scope="module")
def issuer() -> KeyPair:
    return KeyPair.generate("P-256")


@pytest.fixture(scope="module")
def signed_base(issuer: KeyPair) -> Json:
    credential = income_credential(did_key(issuer), "did:example:holder")
    return sign(
        credential, issuer, cryptosuite="ecdsa-sd-2023", mandatory_pointers=MANDATORY_POINTERS
    )


@pytest.fixture
def base(signed_base: Json) -> Json:
    """A fresh copy of the signed base credential, for a test to tamper with."""
    return copy.deepcopy(signed_base)


def refused(
    document: object, error: type[VerificationError], code: str, **options: Any
) -> VerificationError:
    """Confirm ``document``; require exactly ``error`` with a single problem of ``code``."""
    with pytest.raises(VerificationError) as caught:
        confirm(document, **options)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == code
    assert [problem.code for problem in caught.value.problems] == [code]
    return caught.value


def base_proof_value(*components: object, header: bytes = BASE_HEADER) -> str:
    """A ``u``-multibase base64url-no-pad proof value over CBOR ``components``."""
    raw = header + cbor2.dumps(list(components))
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# --- confirmed --------------------------------------------------------------------------------


@pytest.mark.vectors
@pytest.mark.parametrize("case", SD_VECTORS, ids=SD_VECTORS)
def test_w3c_base_proof_vectors_confirm(
    case: str, vectors_dir: Path, reference_loader: DocumentLoader
) -> None:
    signed = json.loads((vectors_dir / "ecdsa-sd-2023" / case / "addSignedSDBase.json").read_text())
    result = confirm(signed, document_loader=reference_loader)
    assert result.proofs == (signed["proof"],)
    assert result.document == {name: value for name, value in signed.items() if name != "proof"}
    signed["issuer"] = "https://vc.example/issuers/someone-else"
    refused(
        signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR", document_loader=reference_loader
    )


def test_a_base_credential_we_sign_confirms(base: Json) -> None:
    result = confirm(base)
    assert result.document == {name: value for name, value in base.items() if name != "proof"}
    assert result.proofs == (base["proof"],)
    assert base["proof"]["proofValue"].startswith("u2V0A")


def test_confirm_runs_the_date_checks_with_the_injected_clock(
    issuer: KeyPair, fixed_clock: Clock
) -> None:
    credential = income_credential(did_key(issuer), "did:example:holder")
    signed = sign(
        credential,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=MANDATORY_POINTERS,
        created=fixed_clock() + timedelta(hours=1),
    )
    refused(signed, ProofExpiredError, "PROOF_EXPIRED_ERROR", clock=fixed_clock)
    confirm(signed, clock=lambda: fixed_clock() + timedelta(hours=1))


# --- tampered content -------------------------------------------------------------------------


def test_tampered_claim(base: Json) -> None:
    base["credentialSubject"]["inkomensklasse"] = "hoog"
    refused(base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_tampered_mandatory_claim(base: Json) -> None:
    base["credentialSubject"]["belastingjaar"] = 2023
    refused(base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_added_claim(base: Json) -> None:
    base["description"] = "an extra statement the issuer never signed"
    refused(base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_undefined_term(base: Json) -> None:
    base["credentialSubject"]["annualIncome"] = 41250
    error = refused(base, DataLossError, "DATA_LOSS_DETECTION_ERROR")
    assert "annualIncome" in error.detail


def test_unknown_context_is_a_failed_confirmation(base: Json) -> None:
    base["@context"].append("https://example.org/contexts/unknown/v1")
    refused(base, VerificationError, "LOADING_DOCUMENT_FAILED")


# --- keys, methods and purposes ---------------------------------------------------------------


def test_signed_with_another_key_than_the_verification_method(issuer: KeyPair) -> None:
    other = KeyPair.generate("P-256")
    credential = income_credential(did_key(issuer), "did:example:holder")
    signed = sign(
        credential,
        other,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=MANDATORY_POINTERS,
        verification_method=f"{did_key(issuer)}#{issuer.public.multibase}",
    )
    refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_verification_method_not_authorized_for_assertion(issuer: KeyPair, base: Json) -> None:
    def authentication_only(vm_id: str) -> VerificationMethod:
        return VerificationMethod(
            vm_id, did_key(issuer), "Multikey", issuer.public, frozenset({"authentication"})
        )

    error = refused(
        base,
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        resolve_verification_method=authentication_only,
    )
    assert "not authorized for assertionMethod" in error.detail


def test_unresolvable_verification_method(base: Json) -> None:
    base["proof"]["verificationMethod"] = "did:web:issuer.example.nl#key-1"
    refused(base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")


def test_wrong_proof_purpose(issuer: KeyPair, base: Json) -> None:
    credential = income_credential(did_key(issuer), "did:example:holder")
    authentication = sign(
        credential,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=MANDATORY_POINTERS,
        proof_purpose="authentication",
    )
    error = refused(authentication, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "proofPurpose 'authentication'" in error.detail
    refused(
        base,
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        expected_proof_purpose="authentication",
    )


# --- not a base proof -------------------------------------------------------------------------


def test_derived_proof_is_refused_and_verify_refuses_the_base_proof(base: Json) -> None:
    derived = derive(base, selective_pointers=["/credentialSubject/inkomensklasse"])
    refused(derived, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    verify(derived)
    with pytest.raises(ProofVerificationError):
        verify(base)


def test_other_cryptosuite_is_refused(issuer: KeyPair) -> None:
    signed = sign(income_credential(did_key(issuer), "did:example:holder"), issuer)
    assert signed["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    error = refused(signed, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert "use verify" in error.detail


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda doc: doc.pop("proof"), id="missing-proof"),
        pytest.param(lambda doc: doc.update(proof="u2V0A"), id="proof-a-string"),
        pytest.param(lambda doc: doc.update(proof=[doc["proof"]]), id="proof-a-list"),
        pytest.param(lambda doc: doc.update(proof=None), id="proof-null"),
    ],
)
def test_proof_is_not_one_object(base: Json, change: Callable[[Json], object]) -> None:
    change(base)
    error = refused(base, ParsingError, "PARSING_ERROR")
    assert error.problems[0].path == "proof"


@pytest.mark.parametrize("document", [None, [], "credential", 7], ids=repr)
def test_document_is_not_an_object(document: object) -> None:
    refused(document, ParsingError, "PARSING_ERROR")


# --- hostile proof values ---------------------------------------------------------------------


def _components(base: Json) -> list[Any]:
    """The five decoded components of ``base``'s proof value."""
    raw = base64.urlsafe_b64decode(base["proof"]["proofValue"][1:] + "==")
    components: list[Any] = cbor2.loads(raw[len(BASE_HEADER) :])
    return components


HOSTILE_VALUES: dict[str, Callable[[list[Any]], object]] = {
    "missing": lambda _: None,
    "not-a-string": lambda _: 42,
    "no-multibase-prefix": lambda parts: base_proof_value(*parts)[1:],
    "base58-prefix": lambda parts: "z" + base_proof_value(*parts)[1:],
    "not-base64url": lambda _: "u2V0A!!!not*base64url",
    "empty": lambda _: "u",
    "derived-header": lambda parts: base_proof_value(*parts, header=b"\xd9\x5d\x01"),
    "bad-cbor": lambda _: "u" + base64.urlsafe_b64encode(BASE_HEADER + b"\x85\xff").decode(),
    "trailing-cbor": lambda parts: base_proof_value(*parts) + "AA",
    "cbor-map": lambda parts: (
        "u" + base64.urlsafe_b64encode(BASE_HEADER + cbor2.dumps({"a": 1})).decode().rstrip("=")
    ),
    "four-components": lambda parts: base_proof_value(*parts[:4]),
    "six-components": lambda parts: base_proof_value(*parts, []),
    "short-base-signature": lambda parts: base_proof_value(parts[0][:63], *parts[1:]),
    "long-public-key": lambda parts: base_proof_value(parts[0], parts[1] + b"\0", *parts[2:]),
    "short-hmac-key": lambda parts: base_proof_value(*parts[:2], parts[2][:31], *parts[3:]),
    "short-signature": lambda parts: base_proof_value(*parts[:3], [parts[3][0][:10]], parts[4]),
    "signature-a-string": lambda parts: base_proof_value(*parts[:3], ["x" * 64], parts[4]),
    "one-signature-missing": lambda parts: base_proof_value(*parts[:3], parts[3][1:], parts[4]),
    "pointer-not-a-string": lambda parts: base_proof_value(*parts[:4], [1]),
    "pointer-matches-nothing": lambda parts: base_proof_value(*parts[:4], ["/nothing"]),
    "pointer-not-a-pointer": lambda parts: base_proof_value(*parts[:4], ["issuer"]),
    "pointer-bad-escape": lambda parts: base_proof_value(*parts[:4], ["/a~2b"]),
    "pointer-index-into-object": lambda parts: base_proof_value(
        *parts[:4], ["/credentialSubject/0"]
    ),
    "no-pointers": lambda parts: base_proof_value(*parts[:4], []),
    "public-key-not-a-point": lambda parts: base_proof_value(
        parts[0], b"\x80\x24" + b"\x02" + b"\xff" * 32, *parts[2:]
    ),
}


@pytest.mark.parametrize("make", HOSTILE_VALUES.values(), ids=HOSTILE_VALUES.keys())
def test_hostile_proof_value(base: Json, make: Callable[[list[Any]], object]) -> None:
    parts = _components(base)
    assert base_proof_value(*parts) == base["proof"]["proofValue"]  # the builder is faithful
    base["proof"]["proofValue"] = make(parts)
    if base["proof"]["proofValue"] is None:
        del base["proof"]["proofValue"]
    error = refused(base, ProofVerificationError, "PROOF_VERIFICATION_ERROR")
    assert error.problems[0].path == "proof"
