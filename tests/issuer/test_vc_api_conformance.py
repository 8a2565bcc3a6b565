"""What the W3C test suites check of our VC API, with inputs of our own (CI cannot run them).

One section per suite: Data Integrity ECDSA and EdDSA (issuers, verifiers, the
ecdsa-sd-2023 holder), VC Data Model 2.0 (issuing and verifying presentations)
and Bitstring Status List. ``make conformance`` runs the suites themselves.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import cbor2
import httpx
import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair, did_key, sign
from vc_core.loader import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    DATA_INTEGRITY_V2_URL,
    EXAMPLES_V2_URL,
)
from vc_core.types import JsonObject
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app

from .support import ADMIN, BASE_URL

V2 = CREDENTIALS_V2_URL
VC_2_0: JsonObject = {
    "@context": [V2],
    "id": "urn:uuid:5b0fd7a8-7f43-4b0a-8d4e-32b4f7a2c1d9",
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:alice", "name": "Alice"},
}
VC_1_1: JsonObject = {
    "@context": [
        CREDENTIALS_V1_URL,
        {"name": "https://schema.org/name", "description": "https://schema.org/description"},
    ],
    "id": "urn:uuid:5b0fd7a8-7f43-4b0a-8d4e-32b4f7a2c1d9",
    "type": ["VerifiableCredential"],
    "issuanceDate": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:alice", "name": "Alice"},
}
# The published digests of the base context (VC Data Model 2.0 gives the SHA-256 one), and
# well-formed ones of something else.
BASE_CONTEXT_SRI = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"
BASE_CONTEXT_MULTIBASE = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"
# base64url letters: not an SRI hash
WRONG_SRI = "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"
WRONG_MULTIBASE = "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"
RDFC_ISSUERS = ["ecdsa-rdfc-2019", "ecdsa-rdfc-2019-p384", "eddsa-rdfc-2022"]
ALL_ISSUERS = [*RDFC_ISSUERS, "ecdsa-sd-2023"]
# Multikey prefixes and raw proof sizes per curve.
KEY_PREFIXES = {"P-256": "zDna", "P-384": "z82L", "Ed25519": "z6Mk"}
SIGNATURE_SIZES = {"P-256": 64, "P-384": 96, "Ed25519": 64}


@pytest.fixture(scope="module")
def api(settings_for: Callable[..., IssuerSettings]) -> Iterator[TestClient]:
    """The issuer app over SQLite (the status tests below also run on PostgreSQL)."""
    issuer = Issuer.from_settings(settings_for("sqlite"))
    with TestClient(create_app(issuer), base_url=BASE_URL) as test_client:
        yield test_client
    issuer.db.dispose()


def identities(client: TestClient) -> dict[str, JsonObject]:
    found: dict[str, JsonObject] = client.app.state.vc_api.identities()  # type: ignore[attr-defined]
    return found


def issue(client: TestClient, name: str, credential: JsonObject, **options: Any) -> httpx.Response:
    """Issue as the suites do: the issuer's id fills in a missing issuer (or issuer id)."""
    identity = identities(client)[name]
    credential = copy.deepcopy(credential)
    if "issuer" not in credential:
        credential["issuer"] = identity["id"]
    elif isinstance(credential["issuer"], dict) and "id" not in credential["issuer"]:
        credential["issuer"]["id"] = identity["id"]
    body = {"credential": credential, "options": options}
    return client.post(str(identity["endpoint"]), json=body, headers=ADMIN)


def issued(client: TestClient, name: str, credential: JsonObject, **options: Any) -> JsonObject:
    response = issue(client, name, credential, **options)
    assert response.status_code == 201, response.text
    secured: JsonObject = response.json()["verifiableCredential"]
    return secured


def derive(client: TestClient, base: JsonObject, selective_pointers: list[str]) -> JsonObject:
    """The holder endpoint: 201 with the derived credential."""
    body = {"verifiableCredential": base, "options": {"selectivePointers": selective_pointers}}
    response = client.post("/credentials/derive", json=body)
    assert response.status_code == 201, response.text
    derived: JsonObject = response.json()
    return derived


def verify(client: TestClient, credential: object, **options: Any) -> httpx.Response:
    return client.post(
        "/credentials/verify", json={"verifiableCredential": credential, "options": options}
    )


def refused(response: httpx.Response, code: str | None = None) -> None:
    """The suites accept 400 or 422 for a refusal, never 200 or 500."""
    assert response.status_code in (400, 422), response.text
    if code is not None:
        titles = [response.json().get("title")] + [
            problem["title"] for problem in response.json().get("problemDetails", [])
        ]
        assert code in titles, response.text


def _decode_base_proof(proof_value: str) -> tuple[bytes, list[Any]]:
    raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    components = cbor2.loads(raw[3:])
    return raw[:3], components


# --- issuer identities --------------------------------------------------------------------------


def test_one_did_key_per_cryptosuite_and_curve(api: TestClient) -> None:
    found = identities(api)
    assert set(found) == set(ALL_ISSUERS)
    for name, identity in found.items():
        assert str(identity["id"]).startswith("did:key:" + KEY_PREFIXES[str(identity["curve"])])
        assert identity["endpoint"] == f"/issuers/{name}/credentials/issue"
    assert found["ecdsa-rdfc-2019-p384"]["curve"] == "P-384"
    # ecdsa-rdfc-2019 and ecdsa-sd-2023 share the P-256 identity.
    assert found["ecdsa-rdfc-2019"]["id"] == found["ecdsa-sd-2023"]["id"]


def test_issuing_needs_the_admin_token_and_a_known_issuer(api: TestClient) -> None:
    body = {"credential": VC_2_0}
    assert api.post("/issuers/eddsa-rdfc-2022/credentials/issue", json=body).status_code == 401
    response = api.post("/issuers/bbs-2023/credentials/issue", json=body, headers=ADMIN)
    assert response.status_code == 404
    other = {**VC_2_0, "issuer": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
    response = api.post(
        "/issuers/eddsa-rdfc-2022/credentials/issue", json={"credential": other}, headers=ADMIN
    )
    refused(response, "PARSING_ERROR")
    wrong_suite = {"credential": VC_2_0, "options": {"cryptosuite": "ecdsa-sd-2023"}}
    refused(api.post("/issuers/eddsa-rdfc-2022/credentials/issue", json=wrong_suite, headers=ADMIN))


# --- Data Integrity ECDSA and EdDSA: issuers -----------------------------------------------------


@pytest.mark.parametrize("name", ALL_ISSUERS)
@pytest.mark.parametrize("credential", [VC_2_0, VC_1_1], ids=["vc2.0", "vc1.1"])
def test_issued_proof_is_a_well_formed_data_integrity_proof(
    api: TestClient, name: str, credential: JsonObject
) -> None:
    identity = identities(api)[name]
    secured = issued(api, name, credential)
    proof = secured["proof"]
    assert isinstance(proof, dict)
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == identity["cryptosuite"]
    assert proof["proofPurpose"] == "assertionMethod"
    multibase = str(identity["id"]).removeprefix("did:key:")
    assert proof["verificationMethod"] == f"{identity['id']}#{multibase}"
    datetime.fromisoformat(proof["created"])
    assert proof["created"].endswith("Z")
    if name == "ecdsa-sd-2023":
        assert proof["proofValue"].startswith("u")
    else:
        assert proof["proofValue"].startswith("z")
        size = len(_base58_decode(proof["proofValue"][1:]))
        assert size == SIGNATURE_SIZES[str(identity["curve"])]
    # The context order is kept; VC 1.1 gets the Data Integrity context appended.
    expected_context = credential["@context"]
    if credential is VC_1_1:
        expected_context = [*expected_context, DATA_INTEGRITY_V2_URL]
    assert secured["@context"] == expected_context
    assert secured["credentialSubject"] == credential["credentialSubject"]
    if name != "ecdsa-sd-2023":  # a base proof is for the holder only
        assert verify(api, secured).status_code == 200


def _base58_decode(text: str) -> bytes:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for char in text:
        number = number * 58 + alphabet.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


@pytest.mark.parametrize(
    "mutation",
    [
        lambda c: c["credentialSubject"].update(invalidTerm="x"),
        lambda c: c.update(type=["VerifiableCredential", "InvalidType"]),
        lambda c: c.pop("credentialSubject"),
        lambda c: c.update(statusEntry={"statusPurpose": "revocation"}),
    ],
    ids=["undefined-term", "undefined-type", "no-subject", "undefined-top-level-term"],
)
@pytest.mark.parametrize("name", ALL_ISSUERS)
def test_issuers_refuse_what_json_ld_would_drop(
    api: TestClient, name: str, mutation: Callable[[JsonObject], object]
) -> None:
    credential = copy.deepcopy(VC_2_0)
    mutation(credential)
    refused(issue(api, name, credential))


def test_sd_base_proof_value_is_an_untagged_cbor_array_of_five(api: TestClient) -> None:
    secured = issued(api, "ecdsa-sd-2023", VC_2_0, mandatoryPointers=["/credentialSubject/name"])
    header, components = _decode_base_proof(secured["proof"]["proofValue"])
    assert header == bytes([0xD9, 0x5D, 0x00])
    base_signature, public_key, hmac_key, signatures, pointers = components
    assert (len(base_signature), len(public_key), len(hmac_key)) == (64, 35, 32)
    assert public_key[:2] == bytes([0x80, 0x24])
    assert all(len(signature) == 64 for signature in signatures)
    assert pointers == ["/credentialSubject/name"]


def test_sd_issuer_has_default_mandatory_pointers(api: TestClient) -> None:
    secured = issued(api, "ecdsa-sd-2023", VC_1_1)
    _, components = _decode_base_proof(secured["proof"]["proofValue"])
    # /issuer, /type and the subject's id: the id-only subject's pointer is kept as
    # the pointer other implementations select with (its compact form).
    assert components[4][:2] == ["/issuer", "/credentialSubject/id"] or "/issuer" in components[4]


def test_sd_issuer_refuses_a_pointer_that_matches_nothing(api: TestClient) -> None:
    response = issue(
        api, "ecdsa-sd-2023", VC_2_0, mandatoryPointers=["/credentialSubject/invalidPointer"]
    )
    refused(response, "PROOF_GENERATION_ERROR")


def test_sd_issuer_signs_the_common_shape_with_one_element_arrays(api: TestClient) -> None:
    credential = {**VC_2_0, "credentialSubject": [VC_2_0["credentialSubject"]]}
    secured = issued(api, "ecdsa-sd-2023", credential, mandatoryPointers=["/issuer"])
    assert secured["type"] == ["VerifiableCredential"]
    assert secured["credentialSubject"] == [VC_2_0["credentialSubject"]]


# --- Data Integrity ECDSA and EdDSA: verifiers ---------------------------------------------------


@pytest.fixture(scope="module")
def secured(api: TestClient) -> dict[str, JsonObject]:
    """One credential per issuer (VC 2.0), and an ecdsa-sd-2023 disclosure of it."""
    made = {name: issued(api, name, VC_2_0) for name in RDFC_ISSUERS}
    base = issued(api, "ecdsa-sd-2023", VC_2_0, mandatoryPointers=["/issuer"])
    made["ecdsa-sd-2023"] = derive(api, base, ["/credentialSubject/name"])
    made["base"] = base
    return made


@pytest.mark.parametrize("name", ALL_ISSUERS)
def test_verifier_answers_200_without_errors(
    api: TestClient, secured: dict[str, JsonObject], name: str
) -> None:
    response = verify(api, secured[name])
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    assert response.json()["errors"] == []


def _without(name: str) -> Callable[[JsonObject], object]:
    return lambda c: c["proof"].pop(name)


PROOF_BREAKAGES: dict[str, Callable[[JsonObject], object]] = {
    "proof-null": lambda c: c.update(proof=None),
    "no-proof": lambda c: c.pop("proof"),
    "no-type": _without("type"),
    "no-verification-method": _without("verificationMethod"),
    "no-proof-purpose": _without("proofPurpose"),
    "no-proof-value": _without("proofValue"),
    "unknown-type": lambda c: c["proof"].update(type="UnknownProofType"),
    "unknown-cryptosuite": lambda c: c["proof"].update(cryptosuite="UnknownCryptosuite"),
    "cryptosuite-not-a-string": lambda c: c["proof"].update(cryptosuite=7),
    "wrong-purpose": lambda c: c["proof"].update(proofPurpose="authentication"),
    "truncated-proof-value": lambda c: c["proof"].update(proofValue=c["proof"]["proofValue"][:-2]),
    "undefined-term-added": lambda c: c["credentialSubject"].update(undefinedTerm="x"),
    "undefined-type-added": lambda c: c.update(type=[*c["type"], "UndefinedType"]),
    "claim-changed": lambda c: c["credentialSubject"].update(name="Mallory"),
    "created-not-a-date": lambda c: c["proof"].update(created="yesterday"),
}


@pytest.mark.parametrize("breakage", PROOF_BREAKAGES, ids=list(PROOF_BREAKAGES))
@pytest.mark.parametrize("name", ALL_ISSUERS)
def test_verifier_refuses_broken_proofs(
    api: TestClient, secured: dict[str, JsonObject], name: str, breakage: str
) -> None:
    credential = copy.deepcopy(secured[name])
    PROOF_BREAKAGES[breakage](credential)
    refused(verify(api, credential))


@pytest.mark.parametrize(
    "body",
    [{}, {"options": {}}, {"verifiableCredential": "eyJhbGciOi"}, {"verifiableCredential": []}],
    ids=["empty", "options-only", "string", "array"],
)
def test_verifier_refuses_what_is_not_a_credential(api: TestClient, body: JsonObject) -> None:
    refused(api.post("/credentials/verify", json=body))


def test_verifier_never_resolves_relative_iris_against_a_base(api: TestClient) -> None:
    # The base URL is null: a relative IRI is data loss, with or without an inline @base.
    key = KeyPair.generate("Ed25519")
    homepage = {"@id": "https://schema.org/url", "@type": "@id"}
    credential = {
        **VC_2_0,
        "@context": [V2, {"homepage": homepage}],
        "issuer": did_key(key),
        "credentialSubject": {"id": "did:example:alice", "homepage": "https://example.org/alice"},
    }
    secured = sign(credential, key)
    assert verify(api, secured).status_code == 200
    relative = copy.deepcopy(secured)
    relative["credentialSubject"]["homepage"] = "alice"
    refused(verify(api, relative), "DATA_LOSS_DETECTION_ERROR")
    relative["@context"] = [V2, {"@base": "https://example.org/", "homepage": homepage}]
    refused(verify(api, relative), "DATA_LOSS_DETECTION_ERROR")


def test_verifier_does_not_require_the_issuer_to_control_the_key(api: TestClient) -> None:
    # Relying-party policy (issuer = key controller) lives in vc_verifier, not here.
    key = KeyPair.generate("Ed25519")
    foreign = sign({**VC_2_0, "issuer": "https://vc.example/issuers/5678"}, key)
    assert verify(api, foreign).status_code == 200


def test_verifier_accepts_the_spec_windsurf_disclosure(vectors_dir: Path) -> None:
    from vc_issuer.vc_api import VcApi

    vc_api = VcApi(Issuer.from_settings(IssuerSettings.demo(demo_people=5)))
    document = json.loads(
        (vectors_dir / "ecdsa-sd-2023/windsurf/derivedRevealDocument.json").read_text()
    )
    answer = vc_api.verify_credential({"verifiableCredential": document, "options": {}})
    assert answer.status == 200, answer.body


def test_verifier_checks_the_validity_window(api: TestClient) -> None:
    for window, code in (
        ({"validUntil": "2020-01-01T00:00:00Z"}, "CREDENTIAL_EXPIRED"),
        ({"validFrom": "2999-01-01T00:00:00Z"}, "CREDENTIAL_NOT_YET_VALID"),
    ):
        secured = issued(api, "ecdsa-rdfc-2019", {**VC_2_0, **window})
        refused(verify(api, secured), code)
    window = {"issuanceDate": "2019-01-01T00:00:00Z", "expirationDate": "2020-01-01T00:00:00Z"}
    expired_1_1 = issued(api, "ecdsa-rdfc-2019", {**VC_1_1, **window})
    refused(verify(api, expired_1_1), "CREDENTIAL_EXPIRED")


def test_verifier_checks_proof_sets_and_chains(api: TestClient) -> None:
    first, second = KeyPair.generate("Ed25519"), KeyPair.generate("P-256")
    credential = {**VC_2_0, "issuer": did_key(first)}
    one = sign(credential, first, proof_id="urn:uuid:8f3b1d2e-0c4a-4e1f-9b7d-6a5c4e3d2b1a")
    chain = sign(one, second, previous_proof="urn:uuid:8f3b1d2e-0c4a-4e1f-9b7d-6a5c4e3d2b1a")
    assert verify(api, chain).status_code == 200
    proof_set = sign(one, second)
    assert verify(api, proof_set).status_code == 200
    dangling = copy.deepcopy(chain)
    dangling["proof"][1]["previousProof"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    refused(verify(api, dangling))
    not_a_string = copy.deepcopy(chain)
    not_a_string["proof"][1]["previousProof"] = 456321
    refused(verify(api, not_a_string))
    one_broken = copy.deepcopy(proof_set)
    one_broken["proof"][0]["proofValue"] = proof_set["proof"][1]["proofValue"]
    refused(verify(api, one_broken))


def _derived_value(proof_value: str, change: Callable[[bytes, list[Any]], bytes]) -> str:
    raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    changed = change(raw[:3], cbor2.loads(raw[3:]))
    return "u" + base64.urlsafe_b64encode(changed).decode().rstrip("=")


@pytest.mark.parametrize(
    "change",
    [
        lambda proof_value: "z" + proof_value[1:],
        lambda proof_value: _derived_value(
            proof_value, lambda h, c: b"\xd9\x5d\x02" + cbor2.dumps(c)
        ),
        lambda proof_value: _derived_value(
            proof_value, lambda h, c: h + cbor2.dumps([c[0], c[1], [*c[2], c[0]], c[3], c[4]])
        ),
        lambda proof_value: _derived_value(proof_value, lambda h, c: h + cbor2.dumps(c[:4])),
    ],
    ids=["no-u-prefix", "wrong-header", "extra-signature", "four-components"],
)
def test_verifier_refuses_malformed_derived_proofs(
    api: TestClient, secured: dict[str, JsonObject], change: Callable[[str], str]
) -> None:
    credential = copy.deepcopy(secured["ecdsa-sd-2023"])
    credential["proof"]["proofValue"] = change(credential["proof"]["proofValue"])
    refused(verify(api, credential), "PROOF_VERIFICATION_ERROR")


def test_verifier_refuses_a_base_proof(api: TestClient, secured: dict[str, JsonObject]) -> None:
    refused(verify(api, secured["base"]), "PROOF_VERIFICATION_ERROR")


def test_holder_derives_with_selective_pointers(
    api: TestClient, secured: dict[str, JsonObject]
) -> None:
    derived = derive(api, secured["base"], ["/credentialSubject/id"])
    assert derived["proof"]["proofValue"].startswith("u2V0B")
    assert "name" not in derived["credentialSubject"]
    assert verify(api, derived).status_code == 200


def test_p384_proof_uses_sha384_inside_rdfc(api: TestClient, vectors_dir: Path) -> None:
    signed = json.loads((vectors_dir / "ecdsa-rdfc-2019-p384/signedECDSAP384.json").read_text())
    # The vector's issuer is not its key's controller: the VC API verifies it all the same.
    assert verify(api, signed).status_code == 200


# --- VC Data Model 2.0: issuing ------------------------------------------------------------------

GOOD_CREDENTIALS: dict[str, JsonObject] = {
    "two-context-urls": {**VC_2_0, "@context": [V2, EXAMPLES_V2_URL]},
    "context-object": {**VC_2_0, "@context": [V2, {"ex": "https://example.org/ns#"}]},
    "issuer-object": {**VC_2_0, "issuer": {"name": "Example Issuer"}},
    "type-url": {**VC_2_0, "type": ["VerifiableCredential", "https://example.org/ns#Type"]},
    "extra-type": {
        **VC_2_0,
        "@context": [V2, EXAMPLES_V2_URL],
        "type": ["VerifiableCredential", "ExampleCredential"],
    },
    "multiple-subjects": {**VC_2_0, "credentialSubject": [{"id": "did:example:a"}, {"name": "B"}]},
    "subject-id-only": {**VC_2_0, "credentialSubject": {"id": "did:example:alice"}},
    "name-string": {**VC_2_0, "name": "A credential", "description": "About Alice"},
    "name-languages": {
        **VC_2_0,
        "name": [
            {"@value": "Hond", "@language": "nl"},
            {"@value": "Dog", "@language": "en", "@direction": "ltr"},
        ],
    },
    "validity-ms-and-offsets": {
        **VC_2_0,
        "validFrom": "2026-02-26T01:02:58.447Z",
        "validUntil": "2036-02-25T19:21:29-06:00",
    },
    "valid-far-future": {**VC_2_0, "validFrom": "4023-02-26T01:02:58.447Z"},
    "status-without-id": {
        **VC_2_0,
        "@context": [V2, EXAMPLES_V2_URL],
        "credentialStatus": {"type": "ExampleStatus"},
    },
    "schemas": {
        **VC_2_0,
        "credentialSchema": [
            {"id": "https://example.org/schemas/1", "type": "JsonSchema"},
            {"id": "https://example.org/schemas/2", "type": "JsonSchema"},
        ],
    },
    "related-resource-sri": {
        **VC_2_0,
        "relatedResource": {
            "id": V2,
            "digestSRI": BASE_CONTEXT_SRI,
        },
    },
    "related-resource-multibase": {
        **VC_2_0,
        "relatedResource": [
            {
                "id": V2,
                "mediaType": "application/ld+json",
                "digestMultibase": BASE_CONTEXT_MULTIBASE,
            },
            {
                "id": "https://example.org/unknown",
                "digestMultibase": "uEiBJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k",
            },
        ],
    },
    "terms-evidence-refresh": {
        **VC_2_0,
        "@context": [V2, EXAMPLES_V2_URL],
        "termsOfUse": {"id": "https://example.org/policies/1", "type": "ExamplePolicy"},
        "evidence": [
            {"type": "ExampleEvidence"},
            {"id": "https://example.org/e/2", "type": "ExampleEvidence"},
        ],
        "refreshService": {"id": "https://example.org/refresh", "type": "ExampleRefresh"},
    },
}


@pytest.mark.parametrize("credential", GOOD_CREDENTIALS.values(), ids=list(GOOD_CREDENTIALS))
def test_data_model_accepts(api: TestClient, credential: JsonObject) -> None:
    secured = issued(api, "eddsa-rdfc-2022", credential)
    assert secured["@context"] == credential["@context"]
    answer = verify(api, secured, checks=["proof"])
    if credential.get("validFrom", "").startswith("4023"):
        refused(answer, "CREDENTIAL_NOT_YET_VALID")
    else:
        assert answer.status_code == 200, answer.text


BAD_CREDENTIALS: dict[str, JsonObject] = {
    "no-context": {key: value for key, value in VC_2_0.items() if key != "@context"},
    "base-context-missing": {**VC_2_0, "@context": [EXAMPLES_V2_URL]},
    "base-context-second": {**VC_2_0, "@context": [EXAMPLES_V2_URL, V2]},
    "context-not-a-url": {**VC_2_0, "@context": [V2, "https ://not-a-url/contexts/v1"]},
    "context-number": {**VC_2_0, "@context": [V2, 123192875]},
    "context-unknown-url": {**VC_2_0, "@context": [V2, "https://example.com"]},
    "vocab-reset-then-undefined-type": {
        **VC_2_0,
        "@context": [V2, EXAMPLES_V2_URL, {"@vocab": None}],
        "type": ["VerifiableCredential", "ExampleCredential"],
    },
    "redefines-protected-term": {
        **VC_2_0,
        "@context": [V2, {"VerifiableCredential": "https://example.org/VC"}],
    },
    "id-list": {**VC_2_0, "id": ["https://example.org/1", "https://example.net/1"]},
    "id-null": {**VC_2_0, "id": None},
    "id-not-a-url": {**VC_2_0, "id": "https ://not-a-url/1"},
    "subject-id-list": {**VC_2_0, "credentialSubject": {"id": ["did:example:a", "did:example:b"]}},
    "no-type": {key: value for key, value in VC_2_0.items() if key != "type"},
    "type-without-vc": {**VC_2_0, "@context": [V2, EXAMPLES_V2_URL], "type": ["ExampleCredential"]},
    "type-unmapped": {**VC_2_0, "type": ["VerifiableCredential", "UnmappedType"]},
    "name-extra-member": {**VC_2_0, "name": {"@value": "A", "@language": "en", "url": "x"}},
    "issuer-description-extra-member": {
        **VC_2_0,
        "issuer": {"description": {"@value": "A", "@language": "en", "url": "x"}},
    },
    "issuer-null": {**VC_2_0, "issuer": None},
    "issuer-not-a-url": {**VC_2_0, "issuer": "not a url"},
    "issuer-object-id-not-a-url": {**VC_2_0, "issuer": {"id": "not a url"}},
    "no-subject": {key: value for key, value in VC_2_0.items() if key != "credentialSubject"},
    "empty-subject": {**VC_2_0, "credentialSubject": {}},
    "one-empty-subject": {**VC_2_0, "credentialSubject": [{"id": "did:example:a"}, {}]},
    "valid-from-not-a-date": {**VC_2_0, "validFrom": "Sat 25 Feb 2023 07:16:31 PM CST"},
    "valid-until-not-a-date": {**VC_2_0, "validUntil": "Sun, 26 Feb 2023 01:22:14 +0000"},
    "valid-until-before-from": {
        **VC_2_0,
        "validFrom": "2026-02-01T00:00:00Z",
        "validUntil": "2026-01-01T00:00:00Z",
    },
    "status-without-type": {**VC_2_0, "credentialStatus": {"id": "https://example.org/status/1"}},
    "status-id-not-a-url": {
        **VC_2_0,
        "credentialStatus": {"id": "not a url", "type": "BitstringStatusListEntry"},
    },
    "schema-without-type": {**VC_2_0, "credentialSchema": {"id": "https://example.org/schemas/1"}},
    "schema-without-id": {**VC_2_0, "credentialSchema": {"type": "JsonSchema"}},
    "schema-id-not-a-url": {**VC_2_0, "credentialSchema": {"id": "schema-1", "type": "JsonSchema"}},
    "terms-of-use-without-type": {**VC_2_0, "termsOfUse": {"id": "https://example.org/policies/1"}},
    "evidence-without-type": {**VC_2_0, "evidence": {"id": "https://example.org/e/1"}},
    "refresh-without-type": {**VC_2_0, "refreshService": {"id": "https://example.org/refresh"}},
    "related-resource-strings": {**VC_2_0, "relatedResource": [V2]},
    "related-resource-without-id": {
        **VC_2_0,
        "relatedResource": [{"digestSRI": BASE_CONTEXT_SRI}],
    },
    "related-resource-twice": {
        **VC_2_0,
        "relatedResource": [
            {
                "id": V2,
                "digestSRI": BASE_CONTEXT_SRI,
            },
            {"id": V2, "digestMultibase": BASE_CONTEXT_MULTIBASE},
        ],
    },
    "related-resource-without-digest": {**VC_2_0, "relatedResource": [{"id": V2}]},
    "related-resource-wrong-multibase": {
        **VC_2_0,
        "relatedResource": [{"id": V2, "digestMultibase": WRONG_MULTIBASE}],
    },
    "related-resource-wrong-sri": {
        **VC_2_0,
        "relatedResource": [
            {
                "id": V2,
                "digestSRI": WRONG_SRI,
            }
        ],
    },
}


@pytest.mark.parametrize("credential", BAD_CREDENTIALS.values(), ids=list(BAD_CREDENTIALS))
def test_data_model_refuses(api: TestClient, credential: JsonObject) -> None:
    refused(issue(api, "eddsa-rdfc-2022", credential))


# --- VC Data Model 2.0: verifying presentations --------------------------------------------------


def _presentation(client: TestClient, signer: KeyPair, **members: Any) -> JsonObject:
    challenge = "u" + base64.urlsafe_b64encode(b"0123456789abcdef").decode().rstrip("=")
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"], **members}
    return sign(
        presentation,
        signer,
        proof_purpose="authentication",
        challenge=challenge,
        domain="example.org",
    )


def verify_presentation(client: TestClient, presentation: object, **options: Any) -> httpx.Response:
    options = {"challenge": "uMDEyMzQ1Njc4OWFiY2RlZg", "domain": "example.org", **options}
    return client.post(
        "/presentations/verify", json={"verifiablePresentation": presentation, "options": options}
    )


def test_presentations_verify_with_holder_as_url_or_object(api: TestClient) -> None:
    holder = KeyPair.generate("Ed25519")
    credentials = [sign({**VC_2_0, "issuer": "did:example:issuer"}, holder) for _ in range(2)]
    for members in (
        {},
        {"id": "urn:uuid:a8d0a7f4-3f6b-4bb2-8d1a-f0d6e4b1c2a3"},
        {"holder": did_key(holder)},
        {"holder": {"id": did_key(holder), "name": "Alice"}},
        {"verifiableCredential": credentials},
    ):
        response = verify_presentation(api, _presentation(api, holder, **members))
        assert response.status_code == 200, response.text
        assert response.json()["errors"] == []


def test_failed_presentations_answer_400_not_200(api: TestClient) -> None:
    holder = KeyPair.generate("Ed25519")
    good = _presentation(api, holder)
    refused(verify_presentation(api, good, challenge="another"), "INVALID_CHALLENGE_ERROR")
    refused(verify_presentation(api, good, domain="other.example"), "INVALID_DOMAIN_ERROR")
    for breakage in (
        lambda p: p.pop("@context"),
        lambda p: p.update({"@context": [EXAMPLES_V2_URL, V2]}),
        lambda p: p.update({"@context": [V2, "https://example.com"]}),
        lambda p: p.update({"@context": [V2, 123192875]}),
        lambda p: p.update(type=["NonconformingDocument"]),
        lambda p: p.update(verifiableCredential="eyJhbGciOiJFUzI1NiJ9.e30.sig"),
        lambda p: p.pop("proof"),
        lambda p: p["proof"].update(proofPurpose="assertionMethod"),
    ):
        broken = copy.deepcopy(good)
        breakage(broken)
        refused(verify_presentation(api, broken))
    refused(verify_presentation(api, {"type": ["NonconformingDocument"]}))
    refused(api.post("/presentations/verify", json={"verifiablePresentation": "x"}))
    # A presentation signed with another context order is refused too.
    reordered = _presentation(api, holder)
    reordered["@context"] = [{"Manager": "https://example.org/ns#Manager"}, V2]
    refused(verify_presentation(api, reordered))


def test_presentation_with_a_failing_credential_answers_400(api: TestClient) -> None:
    holder = KeyPair.generate("Ed25519")
    credential = sign({**VC_2_0, "issuer": did_key(holder)}, holder)
    credential["credentialSubject"]["name"] = "Mallory"
    response = verify_presentation(
        api, _presentation(api, holder, verifiableCredential=[credential])
    )
    refused(response, "PROOF_VERIFICATION_ERROR")
    assert response.json()["problemDetails"][0]["instance"].startswith("verifiableCredential[0]")


# --- Bitstring Status List -----------------------------------------------------------------------


def _list_bits(encoded: str) -> bytes:
    assert encoded.startswith("u")
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))


def test_issuer_attaches_a_status_entry_on_request(client: TestClient) -> None:
    credential = {**VC_2_0, "id": "urn:uuid:7d2f6a4c-1e8b-4c3d-9a0f-5b6e7c8d9e0f"}
    secured = issued(
        client, "eddsa-rdfc-2022", credential, credentialStatus={"type": "BitstringStatusListEntry"}
    )
    entry = secured["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert str(int(entry["statusListIndex"])) == entry["statusListIndex"]
    url = entry["statusListCredential"]
    assert url.startswith(f"{BASE_URL}/issuers/eddsa-rdfc-2022/status/revocation/")
    assert entry["id"] != url
    # The claims are kept exactly as sent.
    assert secured["credentialSubject"] == credential["credentialSubject"]
    # The list, as the suites fetch it: JSON, a VC 2.0 BitstringStatusListCredential.
    response = client.get(url, headers={"Accept": "application/ld+json, application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    listed = response.json()
    assert listed["@context"][0] == V2
    assert listed["id"] == url
    assert "BitstringStatusListCredential" in listed["type"]
    assert listed["issuer"] == identities(client)["eddsa-rdfc-2022"]["id"]
    assert listed["credentialSubject"]["type"] == "BitstringStatusList"
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert len(_list_bits(listed["credentialSubject"]["encodedList"])) >= 16 * 1024
    assert verify(client, listed).status_code == 200
    vc = client.get(url, headers={"Accept": "application/vc"})
    assert vc.headers["content-type"] == "application/vc"


def test_status_is_checked_revoked_and_suspended(client: TestClient, issuer: Issuer) -> None:
    credential = {**VC_2_0, "id": "urn:uuid:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}
    secured = issued(
        client,
        "ecdsa-rdfc-2019",
        credential,
        credentialStatus={"type": "BitstringStatusListEntry"},
        statusPurpose=["revocation", "suspension"],
    )
    assert [entry["statusPurpose"] for entry in secured["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    checks = {"checks": ["proof", "credentialStatus"]}
    assert verify(client, secured, **checks).status_code == 200
    body = {
        "credentialId": credential["id"],
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
        "status": True,
    }
    assert client.post("/credentials/status", json=body, headers=ADMIN).status_code == 200
    refused(verify(client, secured, **checks), "CREDENTIAL_SUSPENDED")
    lifted = {**body, "status": False}
    assert client.post("/credentials/status", json=lifted, headers=ADMIN).status_code == 200
    assert verify(client, secured, **checks).status_code == 200
    # The operator's tools (an Issuer without the web app, as the CLI has) revoke it too.
    operator = Issuer(issuer.settings, issuer.db, issuer.keys, issuer.sources)
    operator.revoke(credential["id"])
    assert operator.status_of(credential["id"]) == {"revocation": 1, "suspension": 0}
    refused(verify(client, secured, **checks), "CREDENTIAL_REVOKED")


def test_unknown_status_purpose_is_refused_and_claims_nothing(
    client: TestClient, issuer: Issuer
) -> None:
    credential_id = "urn:uuid:9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
    for options in (
        {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "refresh"}},
        {"credentialStatus": {"type": "StatusList2021Entry"}},
    ):
        refused(issue(client, "eddsa-rdfc-2022", {**VC_2_0, "id": credential_id}, **options))
    # A credential that cannot be signed leaves no claimed status index behind.
    unsignable = {**VC_2_0, "id": credential_id, "credentialSubject": {"undefinedTerm": 1}}
    status = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    refused(issue(client, "eddsa-rdfc-2022", unsignable, **status))
    with issuer.db.read() as unit:
        assert unit.status_entries(credential_id) == []


def test_status_lists_of_the_vc_api_are_served_only_for_its_issuers(api: TestClient) -> None:
    assert api.get("/issuers/unknown/status/revocation/1").status_code == 404
    assert api.get("/issuers/eddsa-rdfc-2022/status/message/1").status_code == 404
    assert api.get("/issuers/eddsa-rdfc-2022/status/revocation/x").status_code == 404
    assert api.get("/issuers/eddsa-rdfc-2022/status/revocation/999999").status_code == 404


def test_status_list_and_entry_fetch_is_in_process(api: TestClient) -> None:
    # The verifier reads this deployment's lists in-process; another host's list is a
    # retrieval error, never a network fetch.
    key = KeyPair.generate("Ed25519")
    foreign = {
        **VC_2_0,
        "issuer": did_key(key),
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": "https://status.example.org/lists/1",
        },
    }
    refused(verify(api, sign(foreign, key)), "STATUS_RETRIEVAL_ERROR")


# --- contexts: the bundled examples context and an operator's own --------------------------------


def test_operator_contexts_folder(
    settings_for: Callable[..., IssuerSettings], tmp_path: Path, api: TestClient
) -> None:
    import hashlib

    url = "https://contexts.example.org/garden/v1"
    data = b'{"@context": {"@vocab": "https://contexts.example.org/garden#"}}'
    folder = tmp_path / "contexts"
    folder.mkdir()
    (folder / "garden.json").write_bytes(data)
    entry = {"url": url, "file": "garden.json", "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "manifest.json").write_text(json.dumps([entry]))
    credential = {**VC_2_0, "@context": [V2, url], "type": ["VerifiableCredential", "Plant"]}
    # Unknown to a service without the folder: refused, never fetched.
    refused(issue(api, "eddsa-rdfc-2022", credential), "LOADING_DOCUMENT_FAILED")
    issuer = Issuer.from_settings(settings_for("sqlite", extra_contexts_dir=folder))
    with TestClient(create_app(issuer), base_url=BASE_URL) as client:
        secured = issued(client, "eddsa-rdfc-2022", credential)
        assert verify(client, secured).status_code == 200
    issuer.db.dispose()
    # A changed file stops the service from starting with it.
    (folder / "garden.json").write_bytes(data.replace(b"garden#", b"weeds#"))
    changed = Issuer.from_settings(settings_for("sqlite", extra_contexts_dir=folder))
    with pytest.raises(Exception, match="does not match its pinned sha256"):
        create_app(changed)
    changed.db.dispose()


def test_examples_context_is_bundled(api: TestClient) -> None:
    credential = {
        **VC_2_0,
        "@context": [V2, EXAMPLES_V2_URL],
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "credentialSubject": {
            "id": "did:example:alice",
            "degree": {"type": "ExampleBachelorDegree"},
        },
    }
    assert verify(api, issued(api, "ecdsa-rdfc-2019", credential)).status_code == 200
