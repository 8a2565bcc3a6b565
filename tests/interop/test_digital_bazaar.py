"""Digital Bazaar's Data Integrity stack and ours, both ways.

Their libraries (``@digitalbazaar/vc``, ``data-integrity``, the three
cryptosuites, ``did-method-key``; pinned in ``tests/interop/package.json`` and
its lockfile) run in Node through ``digital_bazaar.mjs``; ``make test``
installs them with ``npm ci``. Without Node or the installed packages these
tests fail and say what is missing: they are never skipped.

Shown here: a base proof we make derives and verifies in their stack (also for
the common ``"@context": [one URL]`` / ``"type": ["VerifiableCredential"]``
shape, VC 1.1 and our own vocabulary), their base proof derives and verifies
here, their ecdsa-rdfc-2019 (P-256, P-384) and eddsa-rdfc-2022 signatures
verify here and ours there, and their exported key files load with
``KeyPair.from_multikey``.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.node import node_for
from vc_core import KeyPair, confirm, derive, did_key, sign, verify
from vc_core.hazmat.sd_primitives.canonicalize import create_hmac_id_label_map_function
from vc_core.hazmat.sd_primitives.group_template import canonicalize_and_group_from_template
from vc_core.keys import Curve
from vc_core.loader import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    DATA_INTEGRITY_V2_URL,
    EXAMPLES_V2_URL,
    NL_VC_V1_URL,
    bundled_contexts,
    document_loader,
)
from vc_core.types import JsonObject

INTEROP = Path(__file__).resolve().parent
SCRIPT = INTEROP / "digital_bazaar.mjs"


def digital_bazaar(operation: str, **request: Any) -> Any:
    """Run one operation of ``digital_bazaar.mjs``; its error fails the test."""
    completed = subprocess.run(
        [node_for(INTEROP, "@digitalbazaar/vc"), str(SCRIPT)],
        input=json.dumps({"operation": operation, **request}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=INTEROP,
        check=False,
    )
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        pytest.fail(f"digital_bazaar.mjs gave no JSON: {completed.stdout!r} {completed.stderr!r}")
    if "error" in answer:
        pytest.fail(f"Digital Bazaar's {operation} failed: {answer['error']}")
    return answer["result"]


def their_verdict(credential: JsonObject, **request: Any) -> JsonObject:
    verdict: JsonObject = digital_bazaar("verify", credential=credential, **request)
    return verdict


# --- documents ---------------------------------------------------------------------------------

COMMON_SHAPE: JsonObject = {
    "@context": [CREDENTIALS_V2_URL],
    "id": "urn:uuid:36245ee9-9074-4b05-a777-febff2e69757",
    "type": ["VerifiableCredential"],
    "credentialSubject": {
        "id": "urn:uuid:1a0e4ef5-091f-4060-842e-18e519ab9440",
        "name": "Alice",
        "description": "A credential about Alice.",
    },
}
VC_1_1: JsonObject = {
    "@context": [
        CREDENTIALS_V1_URL,
        {"name": "https://schema.org/name", "description": "https://schema.org/description"},
        DATA_INTEGRITY_V2_URL,
    ],
    "id": "urn:uuid:36245ee9-9074-4b05-a777-febff2e69757",
    "type": ["VerifiableCredential"],
    "issuanceDate": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:alice", "name": "Alice", "description": "Hi"},
}
OUR_VOCABULARY: JsonObject = {
    "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
    "type": ["VerifiableCredential", "InkomensverklaringCredential"],
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {
        "type": "Belastingplichtige",
        "belastingjaar": 2024,
        "inkomensklasse": "midden",
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
    },
}
# One subject in a one-element array, identified only by its id elsewhere: compaction
# changes both, so pointers must be read for the form each step works on.
ONE_ELEMENT_ARRAYS: JsonObject = {
    "@context": [CREDENTIALS_V2_URL, EXAMPLES_V2_URL],
    "type": ["VerifiableCredential", "ExampleCredential"],
    "credentialSubject": [{"id": "did:example:alice", "name": "Alice", "age": 42}],
}
# The contexts we bundle that their stack does not.
EXTRA_CONTEXTS = {url: dict(bundled_contexts()[url]) for url in (NL_VC_V1_URL, EXAMPLES_V2_URL)}


def _issued_by(document: JsonObject, key: KeyPair | str) -> JsonObject:
    issued = copy.deepcopy(document)
    issued["issuer"] = key if isinstance(key, str) else did_key(key)
    return issued


# --- their key files ---------------------------------------------------------------------------


@pytest.mark.parametrize("curve", ["P-256", "P-384", "Ed25519"])
def test_their_exported_key_files_load_with_from_multikey(curve: Curve) -> None:
    exported = digital_bazaar("keygen", curve=curve)
    key = KeyPair.from_multikey(exported)
    assert key.curve == curve
    assert key.public.multibase == exported["publicKeyMultibase"]
    assert key.id == exported["id"]
    assert key.controller == exported["controller"]
    # What we sign with their key, their stack verifies.
    signed = sign(_issued_by(COMMON_SHAPE, key), key)
    assert their_verdict(signed) == {"verified": True, "error": None}


# --- ecdsa-sd-2023: our base proofs, their derivation --------------------------------------------


@pytest.mark.parametrize(
    ("document", "mandatory", "selective", "revealed"),
    [
        (COMMON_SHAPE, ["/issuer"], ["/credentialSubject/name"], "name"),
        (VC_1_1, ["/issuer", "/issuanceDate"], ["/credentialSubject/name"], "name"),
        (
            OUR_VOCABULARY,
            ["/issuer", "/credentialSubject/belastingjaar"],
            ["/credentialSubject/inkomensklasse"],
            "inkomensklasse",
        ),
    ],
    ids=["common-shape", "vc-1.1", "our-vocabulary"],
)
def test_our_base_proof_derives_and_verifies_in_their_stack(
    document: JsonObject, mandatory: list[str], selective: list[str], revealed: str
) -> None:
    issuer = KeyPair.generate("P-256")
    base = sign(
        _issued_by(document, issuer),
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=mandatory,
    )
    derived = digital_bazaar(
        "derive", credential=base, selectivePointers=selective, contexts=EXTRA_CONTEXTS
    )
    assert derived["proof"]["proofValue"].startswith("u2V0B")
    assert their_verdict(derived, contexts=EXTRA_CONTEXTS) == {"verified": True, "error": None}
    shown = verify(derived).document["credentialSubject"]
    assert revealed in shown
    assert set(shown) < set(document["credentialSubject"]) | {"id", "type"}
    # Their verifier is not a yes-machine: a changed claim fails there.
    tampered = copy.deepcopy(derived)
    tampered["credentialSubject"][revealed] = "something else"
    assert their_verdict(tampered, contexts=EXTRA_CONTEXTS)["verified"] is False


def test_base_proofs_from_a_shapes_template_derive_and_verify_in_their_stack() -> None:
    # An issuer's credentials of one shape after the first are grouped from the shape's
    # template (vc_core.hazmat.sd_primitives.group_template): theirs must not tell.
    issuer = KeyPair.generate("P-256")
    mandatory = ["/issuer", "/credentialSubject/belastingjaar"]
    for year, income in ((2022, "laag"), (2023, "midden"), (2024, "hoog")):
        document = _issued_by(OUR_VOCABULARY, issuer)
        document["credentialSubject"].update(belastingjaar=year, inkomensklasse=income)
        base = sign(document, issuer, cryptosuite="ecdsa-sd-2023", mandatory_pointers=mandatory)
    templated = canonicalize_and_group_from_template(
        document,
        create_hmac_id_label_map_function(bytes(32)),
        {"mandatory": mandatory},
        document_loader=document_loader(),
    )
    assert templated is not None
    derived = digital_bazaar(
        "derive",
        credential=base,
        selectivePointers=["/credentialSubject/inkomensklasse"],
        contexts=EXTRA_CONTEXTS,
    )
    assert their_verdict(derived, contexts=EXTRA_CONTEXTS) == {"verified": True, "error": None}
    assert verify(derived).document["credentialSubject"]["inkomensklasse"] == "hoog"


def test_our_derived_proof_of_the_common_shape_verifies_in_their_stack() -> None:
    issuer = KeyPair.generate("P-256")
    base = sign(
        _issued_by(COMMON_SHAPE, issuer),
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer"],
    )
    derived = derive(base, selective_pointers=["/credentialSubject/description"])
    assert their_verdict(derived) == {"verified": True, "error": None}
    assert "name" not in derived["credentialSubject"]


def test_pointers_through_one_element_arrays_mean_the_same_in_both_stacks() -> None:
    issuer = KeyPair.generate("P-256")
    base = sign(
        _issued_by(ONE_ELEMENT_ARRAYS, issuer),
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", "/credentialSubject/0/id"],
    )
    # Ours discloses by the document's own pointer; theirs verifies it.
    ours = derive(base, selective_pointers=["/credentialSubject/0/age"])
    assert their_verdict(ours, contexts=EXTRA_CONTEXTS) == {"verified": True, "error": None}
    assert ours["credentialSubject"] == [{"id": "did:example:alice", "age": 42}]


# --- ecdsa-sd-2023: their base proofs, our derivation --------------------------------------------


def test_their_base_proof_derives_and_verifies_here() -> None:
    exported = digital_bazaar("keygen", curve="P-256")
    base = digital_bazaar(
        "issue",
        credential=_issued_by(COMMON_SHAPE, exported["controller"]),
        key=exported,
        cryptosuite="ecdsa-sd-2023",
        mandatoryPointers=["/issuer"],
    )
    assert base["proof"]["proofValue"].startswith("u2V0A")
    confirmed = confirm(base).document
    assert confirmed["credentialSubject"]["description"] == "A credential about Alice."
    derived = derive(base, selective_pointers=["/credentialSubject/name"])
    assert verify(derived).document["credentialSubject"] == {
        "id": COMMON_SHAPE["credentialSubject"]["id"],
        "name": "Alice",
    }
    assert their_verdict(derived) == {"verified": True, "error": None}
    # And what they derive from their own base proof verifies here.
    theirs = digital_bazaar(
        "derive", credential=base, selectivePointers=["/credentialSubject/description"]
    )
    assert "description" in verify(theirs).document["credentialSubject"]


# --- ecdsa-rdfc-2019 and eddsa-rdfc-2022, both ways ----------------------------------------------

SUITES = [
    ("P-256", "ecdsa-rdfc-2019"),
    ("P-384", "ecdsa-rdfc-2019"),
    ("Ed25519", "eddsa-rdfc-2022"),
]


@pytest.mark.parametrize(("curve", "cryptosuite"), SUITES)
def test_their_signatures_verify_here(curve: Curve, cryptosuite: str) -> None:
    exported = digital_bazaar("keygen", curve=curve)
    for document in (COMMON_SHAPE, VC_1_1):
        signed = digital_bazaar(
            "issue",
            credential=_issued_by(document, exported["controller"]),
            key=exported,
            cryptosuite=cryptosuite,
        )
        assert signed["proof"]["cryptosuite"] == cryptosuite
        assert verify(signed).proofs[0]["verificationMethod"] == exported["id"]
        tampered = copy.deepcopy(signed)
        tampered["credentialSubject"]["name"] = "Mallory"
        with pytest.raises(Exception, match="PROOF_VERIFICATION_ERROR"):
            verify(tampered)


@pytest.mark.parametrize(("curve", "cryptosuite"), SUITES)
def test_our_signatures_verify_in_their_stack(curve: Curve, cryptosuite: str) -> None:
    key = KeyPair.generate(curve)
    for document in (COMMON_SHAPE, VC_1_1, OUR_VOCABULARY):
        signed = sign(_issued_by(document, key), key)
        assert signed["proof"]["cryptosuite"] == cryptosuite
        assert their_verdict(signed, contexts=EXTRA_CONTEXTS) == {"verified": True, "error": None}


def test_default_pointers_on_a_subject_with_only_an_id_derive_in_their_stack() -> None:
    # A subject with only an id compacts to that IRI; the VC API's default mandatory
    # pointer /credentialSubject/id is stored as the pointer their stack can follow.
    issuer = KeyPair.generate("P-256")
    document = _issued_by(VC_1_1, issuer)
    document["credentialSubject"] = {"id": "did:example:alice"}
    base = sign(
        document,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", "/credentialSubject/id"],
    )
    derived = digital_bazaar("derive", credential=base, selectivePointers=["/issuanceDate"])
    assert their_verdict(derived) == {"verified": True, "error": None}
    assert verify(derived).document["credentialSubject"] == {"id": "did:example:alice"}
