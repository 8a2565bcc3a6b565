"""Generic Data Integrity: proof sets and chains (W3C vectors) and every MUST-raise check."""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from vc_core._multibase import decode_base58btc, encode_base58btc
from vc_core.did import VerificationMethod, dereference_verification_method
from vc_core.errors import (
    InvalidChallengeError,
    InvalidDomainError,
    ParsingError,
    ProofExpiredError,
    ProofGenerationError,
    ProofVerificationError,
    UnsupportedCryptosuiteError,
    VcError,
)
from vc_core.hazmat import data_integrity
from vc_core.hazmat.data_integrity import add_proof
from vc_core.hazmat.ecdsa_rdfc_2019 import EcdsaRdfc2019
from vc_core.hazmat.eddsa_rdfc_2022 import EddsaRdfc2022
from vc_core.hazmat.registry import get_cryptosuite
from vc_core.keys import KeyPair
from vc_core.types import JsonObject

# The generic algorithms with every cryptosuite we implement.
verify_proof = functools.partial(data_integrity.verify_proof, suite_for=get_cryptosuite)
verify_proof_sets_and_chains = functools.partial(
    data_integrity.verify_proof_sets_and_chains, suite_for=get_cryptosuite
)

pytestmark = pytest.mark.vectors

Loader = Callable[..., dict[str, object]]

# The code each error must carry, spelled out rather than read from the classes.
CODES: dict[type[VcError], str] = {
    InvalidChallengeError: "INVALID_CHALLENGE_ERROR",
    InvalidDomainError: "INVALID_DOMAIN_ERROR",
    ParsingError: "PARSING_ERROR",
    ProofExpiredError: "PROOF_EXPIRED_ERROR",
    ProofGenerationError: "PROOF_GENERATION_ERROR",
    ProofVerificationError: "PROOF_VERIFICATION_ERROR",
    UnsupportedCryptosuiteError: "UNSUPPORTED_CRYPTOSUITE_ERROR",
}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain_dir(vectors_dir: Path) -> Path:
    return vectors_dir / "eddsa-rdfc-2022-proof-set-chain"


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def chain_keys(chain_dir: Path) -> dict[str, KeyPair]:
    pairs = _json(chain_dir / "multiKeyPairs.json")
    return {name: KeyPair.from_multikey(value) for name, value in pairs.items()}


@pytest.fixture
def chain(chain_dir: Path) -> JsonObject:
    """The vector credential with the whole chain of four proofs (a fresh copy)."""
    document: JsonObject = _json(chain_dir / "signedProofChain2.json")
    return document


@pytest.fixture
def signed(vectors_dir: Path) -> JsonObject:
    """The eddsa-rdfc-2022 vector credential with its single proof."""
    document: JsonObject = _json(vectors_dir / "eddsa-rdfc-2022" / "signedDataInt.json")
    return document


@pytest.fixture(scope="module")
def unsigned(vectors_dir: Path) -> JsonObject:
    document: JsonObject = _json(vectors_dir / "eddsa-rdfc-2022" / "unsigned.json")
    return document


@pytest.fixture(scope="module")
def ed_key(vectors_dir: Path) -> KeyPair:
    return KeyPair.from_multikey(_json(vectors_dir / "eddsa-rdfc-2022" / "keyPair.json"))


def _vm(key: KeyPair) -> str:
    public = key.public.multibase
    return f"did:key:{public}#{public}"


@pytest.fixture(scope="module")
def secure(unsigned: JsonObject, ed_key: KeyPair, reference_loader: Loader) -> Callable[..., Any]:
    """Sign the vector credential with eddsa-rdfc-2022 under the given proof options."""

    def sign(**options: Any) -> JsonObject:
        return add_proof(
            unsigned,
            suite=EddsaRdfc2022(),
            key=ed_key,
            options={"verificationMethod": _vm(ed_key), **options},
            document_loader=reference_loader,
        )

    return sign


def _at(moment: str) -> Callable[[], datetime]:
    when = datetime.fromisoformat(moment)
    return lambda: when


def _expect(error: type[VcError], call: Callable[[], object]) -> VcError:
    """Run ``call``; it must raise exactly ``error``, carrying that error's code."""
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert caught.value.code == CODES[error]
    return caught.value


class RecordingSuite(EddsaRdfc2022):
    """eddsa-rdfc-2022, remembering the documents it was asked to sign."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[JsonObject] = []

    def create_proof(
        self, unsecured_document: JsonObject, options: JsonObject, **kw: Any
    ) -> JsonObject:
        self.inputs.append(copy.deepcopy(unsecured_document))
        return super().create_proof(unsecured_document, options, **kw)


# --- proof sets and chains (vectors) ----------------------------------------------------------

STEPS = {
    # output: (input, proof options, key, document the new proof signs, signed proof)
    "signedProofSet1": (
        "unsigned",
        "proofSetConfig1",
        "keyPair1",
        "unsigned",
        "proofSetConfigSigned1",
    ),
    "signedProofSet2": (
        "signedProofSet1",
        "proofSetConfig2",
        "keyPair2",
        "unsigned",
        "proofSetConfigSigned2",
    ),
    "signedProofChain1": (
        "signedProofSet2",
        "proofChainConfig1",
        "keyPair3",
        "proofChainTempDoc1",
        "proofChainConfigSigned1",
    ),
    "signedProofChain2": (
        "signedProofChain1",
        "proofChainConfig2",
        "keyPair4",
        "proofChainTempDoc2",
        "proofChainConfigSigned2",
    ),
}


@pytest.mark.parametrize("output", list(STEPS), ids=list(STEPS))
def test_add_proof_reproduces_set_and_chain(
    output: str, chain_dir: Path, chain_keys: dict[str, KeyPair], reference_loader: Loader
) -> None:
    source, options, key, signs_over, signed_proof = STEPS[output]
    recording = RecordingSuite()
    secured = add_proof(
        _json(chain_dir / f"{source}.json"),
        suite=recording,
        key=chain_keys[key],
        options=_json(chain_dir / f"{options}.json"),
        document_loader=reference_loader,
    )
    assert json.dumps(secured, indent=2) == (chain_dir / f"{output}.json").read_text()
    new_proof = secured["proof"] if isinstance(secured["proof"], dict) else secured["proof"][-1]
    assert json.dumps(new_proof, indent=2) == (chain_dir / f"{signed_proof}.json").read_text()
    (signed_document,) = recording.inputs
    if signs_over == "unsigned":
        assert signed_document == _json(chain_dir / "unsigned.json")
    else:
        assert (
            json.dumps(signed_document, indent=2) == (chain_dir / f"{signs_over}.json").read_text()
        )


@pytest.mark.parametrize("name", list(STEPS), ids=list(STEPS))
def test_every_proof_of_set_and_chain_verifies(
    name: str, chain_dir: Path, reference_loader: Loader
) -> None:
    secured = _json(chain_dir / f"{name}.json")
    result = verify_proof_sets_and_chains(
        secured, document_loader=reference_loader, expected_proof_purpose="assertionMethod"
    )
    assert result.verified, result.problems
    proofs = secured["proof"] if isinstance(secured["proof"], list) else [secured["proof"]]
    assert len(result.results) == len(proofs)
    assert all(r.verified for r in result.results)
    assert result.document == _json(chain_dir / "unsigned.json")


def test_tampered_chain_fails_the_proofs_that_cover_it(
    chain: JsonObject, reference_loader: Loader
) -> None:
    # Proof 0 is signed itself and embedded in proof 2's signed document.
    chain["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    result = verify_proof_sets_and_chains(chain, document_loader=reference_loader)
    assert not result.verified
    assert result.document is None
    assert [r.verified for r in result.results] == [False, True, False, True]
    assert [(p.code, p.path) for p in result.problems] == [
        ("PROOF_VERIFICATION_ERROR", "proof[0]"),
        ("PROOF_VERIFICATION_ERROR", "proof[2]"),
    ]


def test_tampered_chain_document_fails_every_proof(
    chain: JsonObject, reference_loader: Loader
) -> None:
    chain["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    result = verify_proof_sets_and_chains(chain, document_loader=reference_loader)
    assert not result.verified
    assert [r.verified for r in result.results] == [False] * 4


def test_previous_proof_referencing_missing_proof(
    chain: JsonObject, reference_loader: Loader
) -> None:
    del chain["proof"][2]  # the proof that proof 3 names in previousProof
    result = verify_proof_sets_and_chains(chain, document_loader=reference_loader)
    assert not result.verified
    assert [r.verified for r in result.results] == [True, True, False]
    (problem,) = result.problems
    assert (problem.code, problem.path) == ("PROOF_VERIFICATION_ERROR", "proof[2]")
    assert "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23" in problem.detail


def test_add_proof_with_unknown_previous_proof(
    chain_dir: Path, chain_keys: dict[str, KeyPair], reference_loader: Loader
) -> None:
    options = _json(chain_dir / "proofChainConfig2.json")
    _expect(
        ProofGenerationError,
        lambda: add_proof(
            _json(chain_dir / "signedProofSet2.json"),
            suite=EddsaRdfc2022(),
            key=chain_keys["keyPair4"],
            options=options,
            document_loader=reference_loader,
        ),
    )


def test_verify_proof_refuses_a_proof_list(chain_dir: Path, reference_loader: Loader) -> None:
    secured = _json(chain_dir / "signedProofSet2.json")
    _expect(ParsingError, lambda: verify_proof(secured, document_loader=reference_loader))


def test_non_object_proof_in_a_set(signed: JsonObject, reference_loader: Loader) -> None:
    signed["proof"] = [signed["proof"], 42]
    result = verify_proof_sets_and_chains(signed, document_loader=reference_loader)
    assert [r.verified for r in result.results] == [True, False]
    assert [(p.code, p.path) for p in result.problems] == [("PARSING_ERROR", "proof[1]")]


# --- verify proof: the generic checks ---------------------------------------------------------


def test_signed_vector_verifies_without_proof_in_result(
    signed: JsonObject, unsigned: JsonObject, reference_loader: Loader
) -> None:
    result = verify_proof(signed, document_loader=reference_loader)
    assert result.verified
    assert result.document == unsigned
    assert result.results[0].proof == signed["proof"]
    assert result.problems == ()


def test_unknown_cryptosuite_cannot_be_instantiated() -> None:
    _expect(UnsupportedCryptosuiteError, lambda: get_cryptosuite("eddsa-jcs-2022"))


@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019", "eddsa-rdfc-2022", "ecdsa-sd-2023"])
def test_get_cryptosuite_builds_each_suite(name: str) -> None:
    assert get_cryptosuite(name).name == name


DELETE = object()


def _edit(document: JsonObject, path: str, change: object) -> None:
    """Change the member at the dotted ``path``: delete it (``DELETE``) or set ``change``.

    A callable ``change`` gets the old value and returns the new one.
    """
    *parents, name = path.split(".")
    for parent in parents:
        document = document[parent]
    if change is DELETE:
        del document[name]
    else:
        document[name] = change(document[name]) if callable(change) else change


# id: (dotted path of the member of the signed vector credential, its change)
REFUSED_EDITS: dict[str, tuple[str, object]] = {
    "tampered-value": ("credentialSubject.alumniOf", "The School of Forgeries"),
    "added-statement": ("validUntil", "2030-01-01T00:00:00Z"),
    "removed-statement": ("name", DELETE),
    "wrong-cryptosuite-name": ("proof.cryptosuite", "eddsa-rdfc-2099"),
    "ed25519-key-with-ecdsa-suite": ("proof.cryptosuite", "ecdsa-rdfc-2019"),
    "proof-type-other-than-data-integrity": ("proof.type", "Ed25519Signature2020"),
    **{
        f"missing-{field}": (f"proof.{field}", DELETE)
        for field in ("type", "verificationMethod", "proofPurpose", "cryptosuite")
    },
    "unresolvable-verification-method": ("proof.verificationMethod", "did:key:zNotAKey#zNotAKey"),
    "truncated-signature": (
        "proof.proofValue",
        lambda value: encode_base58btc(decode_base58btc(value)[:-1]),
    ),
    "no-z-prefix": ("proof.proofValue", lambda value: "u" + value[1:]),
    "not-base58": ("proof.proofValue", lambda value: value[:10] + "0OIl" + value[14:]),
    "proof-value-not-a-string": ("proof.proofValue", None),
    **{
        f"malformed-created-{value}": ("proof.created", value)
        for value in ("2023-02-24", "2023-02-24T23:36:38", "2023-02-30T00:00:00Z", 7)
    },
    "proof-context-not-starting-the-document-context": (
        "proof.@context",
        ["https://www.w3.org/ns/credentials/examples/v2"],
    ),
}


@pytest.mark.parametrize(("path", "change"), list(REFUSED_EDITS.values()), ids=list(REFUSED_EDITS))
def test_edited_credential_is_refused(
    path: str, change: object, signed: JsonObject, reference_loader: Loader
) -> None:
    _edit(signed, path, change)
    _expect(ProofVerificationError, lambda: verify_proof(signed, document_loader=reference_loader))


def test_proof_context_equal_to_the_document_context_verifies(
    signed: JsonObject, reference_loader: Loader
) -> None:
    signed["proof"]["@context"] = list(signed["@context"])
    assert verify_proof(signed, document_loader=reference_loader).verified


def test_document_context_must_be_urls_or_objects(
    signed: JsonObject, reference_loader: Loader
) -> None:
    signed["@context"] = [*signed["@context"], 7]
    _expect(ParsingError, lambda: verify_proof(signed, document_loader=reference_loader))


# id: the secured document, made from the signed vector credential
UNPARSEABLE: dict[str, Callable[[JsonObject], object]] = {
    "document-is-a-list": lambda signed: [signed],
    "document-is-a-string": lambda signed: "credential",
    "document-is-null": lambda signed: None,
    "proof-is-a-string": lambda signed: {
        **signed,
        "proof": "zeuuS9pi2ZR8Q41bFFJKS9weSWkwa7pRcxHTHzxjDEHtVSZp3D9",
    },
}


@pytest.mark.parametrize("verifier", [verify_proof, verify_proof_sets_and_chains])
@pytest.mark.parametrize("make", list(UNPARSEABLE.values()), ids=list(UNPARSEABLE))
def test_unparseable_secured_document(
    make: Callable[[JsonObject], object],
    verifier: Callable[..., object],
    signed: JsonObject,
    reference_loader: Loader,
) -> None:
    document = make(signed)
    _expect(ParsingError, lambda: verifier(document, document_loader=reference_loader))


def test_ed25519_key_cannot_sign_with_ecdsa_suite(
    unsigned: JsonObject, ed_key: KeyPair, reference_loader: Loader
) -> None:
    _expect(
        ProofGenerationError,
        lambda: add_proof(
            unsigned,
            suite=EcdsaRdfc2019(),
            key=ed_key,
            options={"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"},
            document_loader=reference_loader,
        ),
    )


# --- challenge, domain, dates and the verification method -------------------------------------

CHALLENGE = "n-0S6_WzA2Mj"
DOMAIN = "decentralized_identifier:did:web:verhuur.example.nl"


@pytest.fixture(scope="module")
def bound(secure: Callable[..., JsonObject]) -> JsonObject:
    """The vector credential signed for authentication with a challenge and a domain."""
    return secure(
        proofPurpose="authentication",
        created="2025-06-01T09:00:00Z",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )


@pytest.fixture(scope="module")
def expiring(secure: Callable[..., JsonObject]) -> JsonObject:
    return secure(
        proofPurpose="assertionMethod",
        created="2024-01-01T00:00:00Z",
        expires="2025-01-01T00:00:00Z",
    )


def test_expected_challenge_and_domain_verify(bound: JsonObject, reference_loader: Loader) -> None:
    result = verify_proof(
        bound,
        document_loader=reference_loader,
        expected_proof_purpose="authentication",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )
    assert result.verified


def test_expiring_proof_verifies_in_time(expiring: JsonObject, reference_loader: Loader) -> None:
    in_time = _at("2024-06-01T00:00:00+00:00")
    assert verify_proof(expiring, document_loader=reference_loader, clock=in_time).verified


def _authentication_only(vm_id: str) -> VerificationMethod:
    method = dereference_verification_method(vm_id)
    return dataclasses.replace(method, relationships=frozenset({"authentication"}))


# id: (the secured document's fixture, verifier options, the error they must raise)
REFUSED_OPTIONS: dict[str, tuple[str, dict[str, Any], type[VcError]]] = {
    "wrong-proof-purpose": (
        "signed",
        {"expected_proof_purpose": "authentication"},
        ProofVerificationError,
    ),
    "vm-not-under-the-purpose-relationship": (
        "signed",
        {"resolve_verification_method": _authentication_only},
        ProofVerificationError,
    ),
    "wrong-challenge": ("bound", {"challenge": CHALLENGE + "x"}, InvalidChallengeError),
    "missing-challenge": ("signed", {"challenge": CHALLENGE}, InvalidChallengeError),
    "wrong-domain": ("bound", {"domain": "did:web:verhuur.example.nl"}, InvalidDomainError),
    "missing-domain": ("signed", {"domain": DOMAIN}, InvalidDomainError),
    "expired": ("expiring", {"clock": _at("2026-01-01T12:00:00+00:00")}, ProofExpiredError),
    "created-in-the-future": (
        "expiring",
        {"clock": _at("2023-12-31T23:00:00+00:00")},
        ProofExpiredError,
    ),
}


@pytest.mark.parametrize(
    ("fixture", "options", "error"), list(REFUSED_OPTIONS.values()), ids=list(REFUSED_OPTIONS)
)
def test_refused_under_verifier_options(
    fixture: str,
    options: dict[str, Any],
    error: type[VcError],
    request: pytest.FixtureRequest,
    reference_loader: Loader,
) -> None:
    secured = request.getfixturevalue(fixture)
    _expect(error, lambda: verify_proof(secured, document_loader=reference_loader, **options))


def test_domain_list_compares_as_a_set(
    secure: Callable[..., JsonObject], reference_loader: Loader
) -> None:
    secured = secure(
        proofPurpose="authentication", domain=["https://a.example", "https://b.example"]
    )
    expected = ["https://b.example", "https://a.example"]
    assert verify_proof(secured, document_loader=reference_loader, domain=expected).verified
    _expect(
        InvalidDomainError,
        lambda: verify_proof(secured, document_loader=reference_loader, domain="https://a.example"),
    )


# --- add proof: options ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"expires": "next year"}, {"cryptosuite": "ecdsa-rdfc-2019"}],
    ids=["malformed-expires", "options-of-another-suite"],
)
def test_add_proof_refuses_options(
    options: dict[str, Any], secure: Callable[..., JsonObject]
) -> None:
    _expect(ProofGenerationError, lambda: secure(proofPurpose="assertionMethod", **options))


def test_add_proof_fills_type_suite_and_created_from_the_clock(
    unsigned: JsonObject,
    ed_key: KeyPair,
    reference_loader: Loader,
    fixed_clock: Callable[[], datetime],
) -> None:
    options = {"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"}
    secured = add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options=options,
        document_loader=reference_loader,
        clock=fixed_clock,
    )
    proof = secured["proof"]
    assert list(proof) == [
        "type",
        "cryptosuite",
        "verificationMethod",
        "proofPurpose",
        "created",
        "proofValue",
    ]
    assert proof["created"] == "2026-01-01T12:00:00Z"
    assert verify_proof(secured, document_loader=reference_loader, clock=fixed_clock).verified
    assert options == {"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"}


def test_add_proof_leaves_out_created_none(
    secure: Callable[..., JsonObject], reference_loader: Loader
) -> None:
    secured = secure(proofPurpose="assertionMethod", created=None)
    assert "created" not in secured["proof"]
    assert verify_proof(secured, document_loader=reference_loader).verified
