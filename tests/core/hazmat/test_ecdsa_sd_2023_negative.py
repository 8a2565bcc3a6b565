"""ecdsa-sd-2023 negative checklist: each attack or malformed input, its exact class and code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vc_core import _cbor
from vc_core._multibase import decode_base64url, encode_base64url
from vc_core.errors import ParsingError, ProofGenerationError, ProofVerificationError, VcError
from vc_core.hazmat.ecdsa_sd_2023 import EcdsaSd2023, add_derived_proof, confirm_base_proof
from vc_core.hazmat.ecdsa_sd_2023.proof_value import DERIVED_PROOF_HEADER
from vc_core.keys import Curve, KeyPair

pytestmark = pytest.mark.vectors

Json = dict[str, Any]


@pytest.fixture
def employ(vectors_dir: Path) -> Callable[[str], Json]:
    """Read one file of the employ case (a fresh copy each call)."""
    folder = vectors_dir / "ecdsa-sd-2023" / "employ"
    return lambda name: json.loads((folder / name).read_text())


@pytest.fixture
def issuer_key(vectors_dir: Path) -> KeyPair:
    keys = json.loads((vectors_dir / "ecdsa-sd-2023" / "SDKeyMaterial.json").read_text())
    return KeyPair.from_multikey(keys["baseKeyPair"])


@pytest.fixture
def revealed(employ: Callable[[str], Json]) -> Json:
    """The employ derived document: issuer, validity dates, subject types and birthCountry."""
    return employ("derivedRevealDocument.json")


def verify(document: Json, key: KeyPair, loader: Any) -> None:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    EcdsaSd2023().verify_proof(
        unsecured, document["proof"], public_key=key.public, document_loader=loader
    )


def assert_fails(
    error: type[VcError], code: str, document: Json, key: KeyPair, loader: Any
) -> None:
    with pytest.raises(error) as caught:
        verify(document, key, loader)
    assert type(caught.value) is error
    assert caught.value.code == code


def with_components(document: Json, components: list[Any], *, raw: bytes | None = None) -> Json:
    """Replace the derived proof value by the given CBOR components (or raw CBOR bytes)."""
    body = _cbor.encode(components) if raw is None else raw
    proof = {**document["proof"], "proofValue": encode_base64url(DERIVED_PROOF_HEADER + body)}
    return {**document, "proof": proof}


def components_of(document: Json) -> list[Any]:
    decoded = _cbor.decode(decode_base64url(document["proof"]["proofValue"])[3:])
    assert isinstance(decoded, list)
    return decoded


def test_valid_derived_document_verifies(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    verify(revealed, issuer_key, reference_loader)


def test_modified_reveal_document_value(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    revealed["credentialSubject"]["birthCountry"] = "Nederland"
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_added_nquad(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    # A genuine claim of the base credential that the holder did not disclose.
    revealed["credentialSubject"]["gender"] = "Male"
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_dropped_mandatory_quad(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    revealed["issuer"] = revealed["issuer"]["id"]  # drops the mandatory issuer image
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_same_signature_count_different_data(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    # Swap one disclosed statement for another genuine one: the count still fits.
    del revealed["credentialSubject"]["birthCountry"]
    revealed["credentialSubject"]["gender"] = "Male"
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_base_proof_where_derived_expected(
    employ: Callable[[str], Json], issuer_key: KeyPair, reference_loader: Any
) -> None:
    base = employ("addSignedSDBase.json")
    assert base["proof"]["proofValue"].startswith("u2V0A")
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", base, issuer_key, reference_loader
    )


def test_proof_value_without_u_prefix(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    revealed["proof"]["proofValue"] = revealed["proof"]["proofValue"][1:]
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_cbor_with_a_tag(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    base_signature, *rest = components_of(revealed)
    # Tag 24 (embedded CBOR) around the base signature; only tag 64 is tolerated.
    raw = b"\x85\xd8\x18" + _cbor.encode(base_signature) + b"".join(map(_cbor.encode, rest))
    document = with_components(revealed, [], raw=raw)
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_cbor_tag_64_byte_string_is_accepted(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    base_signature, *rest = components_of(revealed)
    raw = b"\x85\xd8\x40" + _cbor.encode(base_signature) + b"".join(map(_cbor.encode, rest))
    verify(with_components(revealed, [], raw=raw), issuer_key, reference_loader)


def test_cbor_with_an_extra_item(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    document = with_components(revealed, [*components_of(revealed), []])
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_cbor_with_trailing_bytes(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    document = with_components(revealed, [], raw=_cbor.encode(components_of(revealed)) + b"\x00")
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_cbor_with_a_36_byte_public_key(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    components = components_of(revealed)
    components[1] = components[1] + b"\x00"
    document = with_components(revealed, components)
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_truncated_signature(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    components = components_of(revealed)
    components[2][0] = components[2][0][:63]
    document = with_components(revealed, components)
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_label_map_repeating_a_label(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    components = components_of(revealed)
    components[3] = {0: components[3][0], 1: components[3][0]}
    document = with_components(revealed, components)
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", document, issuer_key, reference_loader
    )


def test_wrong_cryptosuite_name(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    revealed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_mandatory_pointer_matching_nothing(
    employ: Callable[[str], Json], issuer_key: KeyPair, reference_loader: Any
) -> None:
    document = employ("addSignedSDBase.json")
    options = {k: v for k, v in document.pop("proof").items() if k != "proofValue"}
    suite = EcdsaSd2023(mandatory_pointers=["/issuer", "/credentialSubject/nationality"])
    with pytest.raises(ProofGenerationError) as caught:
        suite.create_proof(document, options, key=issuer_key, document_loader=reference_loader)
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_selective_pointer_matching_nothing(
    employ: Callable[[str], Json], reference_loader: Any
) -> None:
    with pytest.raises(ProofGenerationError) as caught:
        add_derived_proof(
            employ("addSignedSDBase.json"),
            selective_pointers=["/credentialSubject/nationality"],
            document_loader=reference_loader,
        )
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_nothing_to_disclose(
    employ: Callable[[str], Json], issuer_key: KeyPair, reference_loader: Any
) -> None:
    document = employ("addSignedSDBase.json")
    options = {k: v for k, v in document.pop("proof").items() if k != "proofValue"}
    proof = EcdsaSd2023().create_proof(
        document, options, key=issuer_key, document_loader=reference_loader
    )
    with pytest.raises(ProofGenerationError) as caught:
        add_derived_proof(
            {**document, "proof": proof}, selective_pointers=[], document_loader=reference_loader
        )
    assert caught.value.code == "PROOF_GENERATION_ERROR"


@pytest.mark.parametrize("curve", ["P-384", "Ed25519"])
def test_issuer_key_must_be_p256_to_sign(
    curve: Curve, employ: Callable[[str], Json], reference_loader: Any
) -> None:
    document = employ("addSignedSDBase.json")
    options = {k: v for k, v in document.pop("proof").items() if k != "proofValue"}
    with pytest.raises(ProofGenerationError) as caught:
        EcdsaSd2023(mandatory_pointers=["/issuer"]).create_proof(
            document, options, key=KeyPair.generate(curve), document_loader=reference_loader
        )
    assert caught.value.code == "PROOF_GENERATION_ERROR"


@pytest.mark.parametrize("curve", ["P-384", "Ed25519"])
def test_issuer_key_must_be_p256_to_verify(
    curve: Curve, revealed: Json, reference_loader: Any
) -> None:
    assert_fails(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        revealed,
        KeyPair.generate(curve),
        reference_loader,
    )


def test_other_issuer_key(revealed: Json, reference_loader: Any) -> None:
    assert_fails(
        ProofVerificationError,
        "PROOF_VERIFICATION_ERROR",
        revealed,
        KeyPair.generate("P-256"),
        reference_loader,
    )


def test_tampered_base_proof_is_not_confirmed(
    employ: Callable[[str], Json], issuer_key: KeyPair, reference_loader: Any
) -> None:
    base = employ("addSignedSDBase.json")
    base["credentialSubject"]["familyName"] = "SMIT"
    with pytest.raises(ProofVerificationError) as caught:
        confirm_base_proof(base, public_key=issuer_key.public, document_loader=reference_loader)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_derived_proof_is_not_a_base_proof(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    with pytest.raises(ProofVerificationError) as caught:
        add_derived_proof(
            revealed, selective_pointers=["/validFrom"], document_loader=reference_loader
        )
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
    with pytest.raises(ProofVerificationError):
        confirm_base_proof(revealed, public_key=issuer_key.public, document_loader=reference_loader)


def test_missing_proof_value(revealed: Json, issuer_key: KeyPair, reference_loader: Any) -> None:
    del revealed["proof"]["proofValue"]
    assert_fails(
        ProofVerificationError, "PROOF_VERIFICATION_ERROR", revealed, issuer_key, reference_loader
    )


def test_proof_that_is_not_an_object(
    revealed: Json, issuer_key: KeyPair, reference_loader: Any
) -> None:
    revealed["proof"] = [revealed["proof"]]
    assert_fails(ParsingError, "PARSING_ERROR", revealed, issuer_key, reference_loader)


def test_suite_options_are_checked() -> None:
    with pytest.raises(TypeError):
        EcdsaSd2023(mandatory_pointers="/issuer")
    with pytest.raises(ValueError, match="32 bytes"):
        EcdsaSd2023(hmac_key=b"short")
    with pytest.raises(ValueError, match="P-256"):
        EcdsaSd2023(proof_key=KeyPair.generate("P-384"))
