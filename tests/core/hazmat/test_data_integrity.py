"""Generic Data Integrity: proof sets and chains (W3C vectors) and every MUST-raise check."""

from __future__ import annotations

import copy
import dataclasses
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
from vc_core.hazmat.data_integrity import (
    add_proof,
    get_cryptosuite,
    verify_proof,
    verify_proof_sets_and_chains,
)
from vc_core.hazmat.ecdsa_rdfc_2019 import EcdsaRdfc2019
from vc_core.hazmat.eddsa_rdfc_2022 import EddsaRdfc2022
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import JsonObject

pytestmark = pytest.mark.vectors

Loader = Callable[..., dict[str, object]]


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


def _at(moment: str) -> Callable[[], datetime]:
    when = datetime.fromisoformat(moment)
    return lambda: when


def _expect(error: type[VcError], code: str, call: Callable[[], object]) -> VcError:
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert caught.value.code == code
    return caught.value


class RecordingSuite:
    """eddsa-rdfc-2022, remembering the documents it was asked to sign."""

    def __init__(self) -> None:
        self.inner = EddsaRdfc2022()
        self.inputs: list[JsonObject] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def create_proof(
        self, unsecured_document: JsonObject, options: JsonObject, *, key: KeyPair, **kw: Any
    ) -> JsonObject:
        self.inputs.append(copy.deepcopy(unsecured_document))
        return self.inner.create_proof(unsecured_document, options, key=key, **kw)

    def verify_proof(
        self, unsecured_document: JsonObject, proof: JsonObject, *, public_key: PublicKey, **kw: Any
    ) -> None:
        self.inner.verify_proof(unsecured_document, proof, public_key=public_key, **kw)


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
    output: str, chain_dir: Path, chain_keys: dict[str, KeyPair], shared_loader: Loader
) -> None:
    source, options, key, signs_over, signed_proof = STEPS[output]
    recording = RecordingSuite()
    secured = add_proof(
        _json(chain_dir / f"{source}.json"),
        suite=recording,
        key=chain_keys[key],
        options=_json(chain_dir / f"{options}.json"),
        document_loader=shared_loader,
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
    name: str, chain_dir: Path, shared_loader: Loader
) -> None:
    secured = _json(chain_dir / f"{name}.json")
    result = verify_proof_sets_and_chains(
        secured, document_loader=shared_loader, expected_proof_purpose="assertionMethod"
    )
    assert result.verified, result.problems
    proofs = secured["proof"] if isinstance(secured["proof"], list) else [secured["proof"]]
    assert len(result.results) == len(proofs)
    assert all(r.verified for r in result.results)
    assert result.document == _json(chain_dir / "unsigned.json")


def test_tampered_chain_fails_the_proofs_that_cover_it(
    chain_dir: Path, shared_loader: Loader
) -> None:
    secured = _json(chain_dir / "signedProofChain2.json")
    # Proof 0 is signed itself and embedded in proof 2's signed document.
    secured["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    result = verify_proof_sets_and_chains(secured, document_loader=shared_loader)
    assert not result.verified
    assert result.document is None
    assert [r.verified for r in result.results] == [False, True, False, True]
    assert [(p.code, p.path) for p in result.problems] == [
        ("PROOF_VERIFICATION_ERROR", "proof[0]"),
        ("PROOF_VERIFICATION_ERROR", "proof[2]"),
    ]


def test_tampered_chain_document_fails_every_proof(chain_dir: Path, shared_loader: Loader) -> None:
    secured = _json(chain_dir / "signedProofChain2.json")
    secured["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    result = verify_proof_sets_and_chains(secured, document_loader=shared_loader)
    assert not result.verified
    assert [r.verified for r in result.results] == [False] * 4


def test_previous_proof_referencing_missing_proof(chain_dir: Path, shared_loader: Loader) -> None:
    secured = _json(chain_dir / "signedProofChain2.json")
    del secured["proof"][2]  # the proof that proof 3 names in previousProof
    result = verify_proof_sets_and_chains(secured, document_loader=shared_loader)
    assert not result.verified
    assert [r.verified for r in result.results] == [True, True, False]
    (problem,) = result.problems
    assert (problem.code, problem.path) == ("PROOF_VERIFICATION_ERROR", "proof[2]")
    assert "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23" in problem.detail


def test_add_proof_with_unknown_previous_proof(
    chain_dir: Path, chain_keys: dict[str, KeyPair], shared_loader: Loader
) -> None:
    options = _json(chain_dir / "proofChainConfig2.json")
    _expect(
        ProofGenerationError,
        "PROOF_GENERATION_ERROR",
        lambda: add_proof(
            _json(chain_dir / "signedProofSet2.json"),
            suite=EddsaRdfc2022(),
            key=chain_keys["keyPair4"],
            options=options,
            document_loader=shared_loader,
        ),
    )


def test_verify_proof_refuses_a_proof_list(chain_dir: Path, shared_loader: Loader) -> None:
    secured = _json(chain_dir / "signedProofSet2.json")
    _expect(
        ParsingError, "PARSING_ERROR", lambda: verify_proof(secured, document_loader=shared_loader)
    )


def test_non_object_proof_in_a_set(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"] = [signed["proof"], 42]
    result = verify_proof_sets_and_chains(signed, document_loader=shared_loader)
    assert [r.verified for r in result.results] == [True, False]
    assert [(p.code, p.path) for p in result.problems] == [("PARSING_ERROR", "proof[1]")]


# --- verify proof: the generic checks ---------------------------------------------------------


def test_signed_vector_verifies_without_proof_in_result(
    signed: JsonObject, unsigned: JsonObject, shared_loader: Loader
) -> None:
    result = verify_proof(signed, document_loader=shared_loader)
    assert result.verified
    assert result.document == unsigned
    assert result.results[0].proof == signed["proof"]
    assert result.problems == ()


def test_tampered_value(signed: JsonObject, shared_loader: Loader) -> None:
    signed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_added_statement(signed: JsonObject, shared_loader: Loader) -> None:
    signed["validUntil"] = "2030-01-01T00:00:00Z"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_removed_statement(signed: JsonObject, shared_loader: Loader) -> None:
    del signed["name"]
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_wrong_cryptosuite_name(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"]["cryptosuite"] = "eddsa-rdfc-2099"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_unknown_cryptosuite_cannot_be_instantiated() -> None:
    _expect(
        UnsupportedCryptosuiteError,
        "UNSUPPORTED_CRYPTOSUITE_ERROR",
        lambda: get_cryptosuite("eddsa-jcs-2022"),
    )


@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019", "eddsa-rdfc-2022", "ecdsa-sd-2023"])
def test_get_cryptosuite_builds_each_suite(name: str) -> None:
    assert get_cryptosuite(name).name == name


def test_ed25519_key_with_ecdsa_suite(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_ed25519_key_cannot_sign_with_ecdsa_suite(
    unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader
) -> None:
    _expect(
        ProofGenerationError,
        "PROOF_GENERATION_ERROR",
        lambda: add_proof(
            unsigned,
            suite=EcdsaRdfc2019(),
            key=ed_key,
            options={"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"},
            document_loader=shared_loader,
        ),
    )


def test_proof_type_other_than_data_integrity(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"]["type"] = "Ed25519Signature2020"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


@pytest.mark.parametrize("field", ["type", "verificationMethod", "proofPurpose", "cryptosuite"])
def test_missing_proof_field(field: str, signed: JsonObject, shared_loader: Loader) -> None:
    del signed["proof"][field]
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_wrong_proof_purpose(signed: JsonObject, shared_loader: Loader) -> None:
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(
            signed, document_loader=shared_loader, expected_proof_purpose="authentication"
        ),
    )


def test_vm_not_under_the_purpose_relationship(signed: JsonObject, shared_loader: Loader) -> None:
    def authentication_only(vm_id: str) -> VerificationMethod:
        method = dereference_verification_method(vm_id)
        return dataclasses.replace(method, relationships=frozenset({"authentication"}))

    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(
            signed, document_loader=shared_loader, resolve_verification_method=authentication_only
        ),
    )


def test_unresolvable_verification_method(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"]["verificationMethod"] = "did:key:zNotAKey#zNotAKey"
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_truncated_signature(signed: JsonObject, shared_loader: Loader) -> None:
    signature = decode_base58btc(signed["proof"]["proofValue"])
    signed["proof"]["proofValue"] = encode_base58btc(signature[:-1])
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


@pytest.mark.parametrize(
    "mangle",
    [lambda v: "u" + v[1:], lambda v: v[:10] + "0OIl" + v[14:], lambda v: None],
    ids=["no-z-prefix", "not-base58", "not-a-string"],
)
def test_malformed_multibase_proof_value(
    mangle: Callable[[str], object], signed: JsonObject, shared_loader: Loader
) -> None:
    signed["proof"]["proofValue"] = mangle(signed["proof"]["proofValue"])
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_non_object_proof(signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"] = "zeuuS9pi2ZR8Q41bFFJKS9weSWkwa7pRcxHTHzxjDEHtVSZp3D9"
    _expect(
        ParsingError, "PARSING_ERROR", lambda: verify_proof(signed, document_loader=shared_loader)
    )
    _expect(
        ParsingError,
        "PARSING_ERROR",
        lambda: verify_proof_sets_and_chains(signed, document_loader=shared_loader),
    )


def test_document_not_an_object(signed: JsonObject, shared_loader: Loader) -> None:
    for document in ([signed], "credential", None):
        _expect(
            ParsingError,
            "PARSING_ERROR",
            lambda document=document: verify_proof(document, document_loader=shared_loader),
        )
        _expect(
            ParsingError,
            "PARSING_ERROR",
            lambda document=document: verify_proof_sets_and_chains(
                document, document_loader=shared_loader
            ),
        )


def test_proof_context_must_start_the_document_context(
    signed: JsonObject, shared_loader: Loader
) -> None:
    signed["proof"]["@context"] = list(signed["@context"])
    assert verify_proof(copy.deepcopy(signed), document_loader=shared_loader).verified
    signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/examples/v2"]
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_document_context_must_be_urls_or_objects(
    signed: JsonObject, shared_loader: Loader
) -> None:
    signed["@context"] = [*signed["@context"], 7]
    _expect(
        ParsingError, "PARSING_ERROR", lambda: verify_proof(signed, document_loader=shared_loader)
    )


# --- challenge, domain and dates --------------------------------------------------------------

CHALLENGE = "n-0S6_WzA2Mj"
DOMAIN = "decentralized_identifier:did:web:verhuur.example.nl"


@pytest.fixture(scope="module")
def bound(unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader) -> JsonObject:
    """The vector credential signed for authentication with a challenge and a domain."""
    return add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options={
            "verificationMethod": _vm(ed_key),
            "proofPurpose": "authentication",
            "created": "2025-06-01T09:00:00Z",
            "challenge": CHALLENGE,
            "domain": DOMAIN,
        },
        document_loader=shared_loader,
    )


def test_expected_challenge_and_domain_verify(bound: JsonObject, shared_loader: Loader) -> None:
    result = verify_proof(
        bound,
        document_loader=shared_loader,
        expected_proof_purpose="authentication",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )
    assert result.verified


def test_wrong_challenge(bound: JsonObject, shared_loader: Loader) -> None:
    _expect(
        InvalidChallengeError,
        "INVALID_CHALLENGE_ERROR",
        lambda: verify_proof(bound, document_loader=shared_loader, challenge=CHALLENGE + "x"),
    )


def test_missing_challenge_when_expected(signed: JsonObject, shared_loader: Loader) -> None:
    _expect(
        InvalidChallengeError,
        "INVALID_CHALLENGE_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader, challenge=CHALLENGE),
    )


def test_wrong_domain(bound: JsonObject, shared_loader: Loader) -> None:
    _expect(
        InvalidDomainError,
        "INVALID_DOMAIN_ERROR",
        lambda: verify_proof(
            bound, document_loader=shared_loader, domain="did:web:verhuur.example.nl"
        ),
    )


def test_missing_domain_when_expected(signed: JsonObject, shared_loader: Loader) -> None:
    _expect(
        InvalidDomainError,
        "INVALID_DOMAIN_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader, domain=DOMAIN),
    )


def test_domain_list_compares_as_a_set(
    unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader
) -> None:
    secured = add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options={
            "verificationMethod": _vm(ed_key),
            "proofPurpose": "authentication",
            "domain": ["https://a.example", "https://b.example"],
        },
        document_loader=shared_loader,
    )
    expected = ["https://b.example", "https://a.example"]
    assert verify_proof(secured, document_loader=shared_loader, domain=expected).verified
    _expect(
        InvalidDomainError,
        "INVALID_DOMAIN_ERROR",
        lambda: verify_proof(secured, document_loader=shared_loader, domain="https://a.example"),
    )


@pytest.fixture(scope="module")
def expiring(unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader) -> JsonObject:
    return add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options={
            "verificationMethod": _vm(ed_key),
            "proofPurpose": "assertionMethod",
            "created": "2024-01-01T00:00:00Z",
            "expires": "2025-01-01T00:00:00Z",
        },
        document_loader=shared_loader,
    )


def test_expired_proof(
    expiring: JsonObject, shared_loader: Loader, fixed_clock: Callable[[], datetime]
) -> None:
    in_time = _at("2024-06-01T00:00:00+00:00")
    assert verify_proof(expiring, document_loader=shared_loader, clock=in_time).verified
    _expect(
        ProofExpiredError,
        "PROOF_EXPIRED_ERROR",
        lambda: verify_proof(expiring, document_loader=shared_loader, clock=fixed_clock),
    )


def test_proof_created_in_the_future(expiring: JsonObject, shared_loader: Loader) -> None:
    _expect(
        ProofExpiredError,
        "PROOF_EXPIRED_ERROR",
        lambda: verify_proof(
            expiring, document_loader=shared_loader, clock=_at("2023-12-31T23:00:00+00:00")
        ),
    )


@pytest.mark.parametrize("value", ["2023-02-24", "2023-02-24T23:36:38", "2023-02-30T00:00:00Z", 7])
def test_malformed_created(value: object, signed: JsonObject, shared_loader: Loader) -> None:
    signed["proof"]["created"] = value
    _expect(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        lambda: verify_proof(signed, document_loader=shared_loader),
    )


def test_add_proof_refuses_malformed_expires(
    unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader
) -> None:
    options = {
        "verificationMethod": _vm(ed_key),
        "proofPurpose": "assertionMethod",
        "expires": "next year",
    }
    _expect(
        ProofGenerationError,
        "PROOF_GENERATION_ERROR",
        lambda: add_proof(
            unsigned,
            suite=EddsaRdfc2022(),
            key=ed_key,
            options=options,
            document_loader=shared_loader,
        ),
    )


def test_add_proof_fills_type_suite_and_created_from_the_clock(
    unsigned: JsonObject,
    ed_key: KeyPair,
    shared_loader: Loader,
    fixed_clock: Callable[[], datetime],
) -> None:
    options = {"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"}
    secured = add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options=options,
        document_loader=shared_loader,
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
    assert verify_proof(secured, document_loader=shared_loader, clock=fixed_clock).verified
    assert options == {"verificationMethod": _vm(ed_key), "proofPurpose": "assertionMethod"}


def test_add_proof_leaves_out_created_none(
    unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader
) -> None:
    secured = add_proof(
        unsigned,
        suite=EddsaRdfc2022(),
        key=ed_key,
        options={
            "verificationMethod": _vm(ed_key),
            "proofPurpose": "assertionMethod",
            "created": None,
        },
        document_loader=shared_loader,
    )
    assert "created" not in secured["proof"]
    assert verify_proof(secured, document_loader=shared_loader).verified


def test_add_proof_refuses_options_of_another_suite(
    unsigned: JsonObject, ed_key: KeyPair, shared_loader: Loader
) -> None:
    options = {
        "cryptosuite": "ecdsa-rdfc-2019",
        "verificationMethod": _vm(ed_key),
        "proofPurpose": "assertionMethod",
    }
    _expect(
        ProofGenerationError,
        "PROOF_GENERATION_ERROR",
        lambda: add_proof(
            unsigned,
            suite=EddsaRdfc2022(),
            key=ed_key,
            options=options,
            document_loader=shared_loader,
        ),
    )
