"""The examples of RFC 9901, SD-JWT VC (draft 18) and Token Status List (draft 20).

Disclosures, digests, payloads, ``sd_hash`` values and compressed status lists
are reproduced byte for byte; the examples' signatures (made with random
ECDSA nonces) must verify with the keys the documents give.
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.core.ietf_examples import (
    RFC9901_ISSUER_JWK,
    SD_JWT,
    SD_JWT_VC,
    STATUS_LIST,
    ExampleDisclosure,
    compact_after,
    disclosures_between,
    json_after,
    path_of,
    status_vector,
)
from vc_core.hazmat.sd_jwt import (
    compute_sd_hash,
    create_disclosure,
    create_sd_jwt_payload,
    hash_disclosure,
    jwt_vc_issuer_metadata_url,
    parse_disclosure,
    parse_sd_jwt,
    process_sd_jwt_payload,
    verify_key_binding_jwt,
)
from vc_core.keys import PublicKey
from vc_core.sd_jwt import IssuerMetadataKeys, StaticIssuerKeys, verify_sd_jwt_vc
from vc_core.status import (
    TokenStatusList,
    TokenStatusReference,
    decode_token_status_list,
    encode_token_status_list,
    get_token_status,
    parse_status_claim,
    verify_status_list_token,
)

pytestmark = pytest.mark.vectors

ISSUER_KEY = PublicKey.from_jwk(RFC9901_ISSUER_JWK)
KB_IAT = datetime.fromtimestamp(1748537243, UTC)

# (document, first marker, end marker) of every list of example Disclosures.
DISCLOSURE_LISTS = {
    "rfc9901-5.1": (SD_JWT, "5.1.  Issuance", "The payload is then signed"),
    "rfc9901-6.1": (SD_JWT, "6.1.  Example: Flat SD-JWT", "6.2.  Example: Structured"),
    "rfc9901-6.2": (SD_JWT, "6.2.  Example: Structured", "The Issuer may also make one"),
    "rfc9901-6.3": (SD_JWT, "6.3.  Example: SD-JWT with Recursive", "7.  Verification and"),
    "rfc9901-A.1": (SD_JWT, "A.1.  Simple Structured SD-JWT", "The following decoy digests"),
    "rfc9901-A.2": (SD_JWT, "A.2.  Complex Structured SD-JWT", "A.3.  SD-JWT-based"),
    "rfc9901-A.3": (SD_JWT, "A.3.  SD-JWT-based Verifiable", "The following is an example of an"),
    "sd-jwt-vc-2.3.1": (SD_JWT_VC, "2.3.1.  Issuance", "The SD-JWT and the Disclosures would"),
}


def _all_disclosures() -> list[tuple[str, ExampleDisclosure]]:
    return [
        (f"{name}:{d.claim}", d)
        for name, (doc, start, end) in DISCLOSURE_LISTS.items()
        for d in disclosures_between(doc, start, end)
    ]


def test_every_example_list_was_read() -> None:
    counts = {name: len(disclosures_between(*where)) for name, where in DISCLOSURE_LISTS.items()}
    assert counts["rfc9901-5.1"] == 10
    assert counts["rfc9901-A.3"] == 27
    assert all(counts.values()), counts


@pytest.mark.parametrize(("case", "example"), _all_disclosures(), ids=lambda v: str(v)[:40])
def test_example_disclosure_digest_and_contents(case: str, example: ExampleDisclosure) -> None:
    parsed = parse_disclosure(example.disclosure)
    assert parsed.digest == example.digest
    assert hash_disclosure(example.disclosure) == example.digest
    contents = json.loads(example.contents)
    assert [parsed.salt, *([parsed.name] if parsed.name is not None else []), parsed.value] == (
        contents
    )


@pytest.mark.parametrize(("case", "example"), _all_disclosures(), ids=lambda v: str(v)[:40])
def test_example_disclosure_is_reproduced_from_its_salt(
    case: str, example: ExampleDisclosure
) -> None:
    contents = json.loads(example.contents)
    name = contents[1] if len(contents) == 3 else None
    made = create_disclosure(contents[0], contents[-1], name=name)
    assert made.encoded == example.disclosure
    assert made.digest == example.digest


def test_section_4_2_disclosure_examples() -> None:
    moebius = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0"
    assert hash_disclosure(moebius) == "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"
    assert parse_disclosure(moebius).value == "Möbius"
    # The three other spellings encode the same claim but are other Disclosures.
    for variant in (
        "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
        "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
        "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
    ):
        parsed = parse_disclosure(variant)
        assert (parsed.name, parsed.value) == ("family_name", "Möbius")
        assert parsed.digest != hash_disclosure(moebius)
    array_element = parse_disclosure("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0")
    assert (array_element.name, array_element.value) == (None, "FR")
    assert array_element.digest == "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs"


def _salts(examples: list[ExampleDisclosure]) -> Any:
    return iter([json.loads(d.contents)[0] for d in examples]).__next__


def test_rfc9901_issuance_payload_is_reproduced() -> None:
    user_claims = json_after(SD_JWT, "used by the Issuer:")
    expected = json_after(SD_JWT, "The following payload is used for the SD-JWT:")
    disclosures = disclosures_between(*DISCLOSURE_LISTS["rfc9901-5.1"])
    paths = [[name] for name in user_claims if name not in ("sub", "nationalities")]
    made = create_sd_jwt_payload(
        user_claims, [*paths, ["nationalities", None]], salt=_salts(disclosures)
    )
    assert [d.encoded for d in made.disclosures] == [d.disclosure for d in disclosures]
    unsigned = {k: v for k, v in expected.items() if k not in ("iss", "iat", "exp", "cnf")}
    assert made.payload == unsigned


def test_rfc9901_recursive_payload_is_reproduced() -> None:
    claims = json_after(SD_JWT, "this section:")
    disclosures = disclosures_between(*DISCLOSURE_LISTS["rfc9901-6.3"])
    # None selects array elements; address is an object, so the path names nothing.
    with pytest.raises(ValueError, match="name no claim"):
        create_sd_jwt_payload(claims, [["address"], ["address", None]])
    made = create_sd_jwt_payload(
        claims,
        [["address"], *[["address", name] for name in claims["address"]]],
        salt=_salts(disclosures),
    )
    assert [d.encoded for d in made.disclosures] == [d.disclosure for d in disclosures]
    assert made.payload == {
        "_sd": ["HvrKX6fPV0v9K_yCVFBiLFHsMaxcD_114Em6VT8x1lg"],
        "sub": "6c5c0a49-b589-431d-bae7-219122a9ec2c",
        "_sd_alg": "sha-256",
    }


def test_rfc9901_example_verifies_and_processes() -> None:
    issued = parse_sd_jwt(compact_after(SD_JWT, "Adding the Disclosures produces the SD-JWT:"))
    assert ISSUER_KEY.verify(issued.jws.signature, issued.jws.signing_input)
    everything = process_sd_jwt_payload(issued.jws.payload, issued.disclosures)
    assert everything["address"]["locality"] == "Anytown"
    assert everything["nationalities"] == ["US", "DE"]

    presented = parse_sd_jwt(compact_after(SD_JWT, "and the Key Binding JWT as the last element."))
    assert presented.issuer_jwt == issued.issuer_jwt
    expected_kb = json_after(SD_JWT, "presentation by the Holder:")
    assert compute_sd_hash(presented.sd_jwt) == expected_kb["sd_hash"]
    holder = PublicKey.from_jwk(issued.jws.payload["cnf"]["jwk"])
    binding = verify_key_binding_jwt(
        presented.key_binding_jwt or "",
        presented.sd_jwt,
        holder_key=holder,
        audience="https://verifier.example.org",
        nonce="1234567890",
        now=KB_IAT,
        max_age=timedelta(minutes=5),
        skew=timedelta(0),
    )
    assert binding.issued_at == KB_IAT
    processed = process_sd_jwt_payload(presented.jws.payload, presented.disclosures)
    assert processed == json_after(SD_JWT, "JWT Payload available for further handling:")


def test_rfc9901_decoy_example_processes() -> None:
    presented = parse_sd_jwt(compact_after(SD_JWT, "region and country of the address property:"))
    assert ISSUER_KEY.verify(presented.jws.signature, presented.jws.signing_input)
    processed = process_sd_jwt_payload(presented.jws.payload, presented.disclosures)
    assert processed == json_after(
        SD_JWT, "JWT Payload available for further handling:", occurrence=2
    )
    assert len(presented.jws.payload["address"]["_sd"]) == 8  # 4 claims, 4 decoys


def test_rfc9901_sd_jwt_vc_example_verifies_with_the_recipe() -> None:
    presented = compact_after(SD_JWT, "nationality and the fact that the person is over 18")
    keys = StaticIssuerKeys({"https://pid-issuer.bund.de.example": [ISSUER_KEY]})
    verified = verify_sd_jwt_vc(
        presented,
        key_resolver=keys,
        audience="https://verifier.example.org",
        nonce="1234567890",
        clock=lambda: KB_IAT,
    )
    expected = json_after(SD_JWT, "JWT Payload available for further handling:", occurrence=3)
    assert verified.payload == expected
    assert verified.claims == {"age_equal_or_over": {"18": True}, "nationalities": ["DE"]}
    assert verified.vct == "urn:eudi:pid:de:1"
    assert verified.holder_key == PublicKey.from_jwk(expected["cnf"]["jwk"])


SD_JWT_VC_KB_IAT = datetime.fromtimestamp(1785785053, UTC)


def _draft18_metadata_keys() -> StaticIssuerKeys:
    jwks = json_after(SD_JWT_VC, "including jwks:")["jwks"]
    return StaticIssuerKeys({"https://example.com/issuer": jwks})


def test_sd_jwt_vc_issuance_example_verifies_for_the_holder() -> None:
    issued = compact_after(SD_JWT_VC, "into the format shown in Figure 7")
    verified = verify_sd_jwt_vc(
        issued, key_resolver=_draft18_metadata_keys(), clock=lambda: SD_JWT_VC_KB_IAT
    )
    assert verified.claims["address"]["street_address"] == "123 Main St"
    assert verified.key_binding is None


def test_sd_jwt_vc_presentation_example_verifies() -> None:
    presented = compact_after(SD_JWT_VC, "Other claims are not disclosed to the Verifier.")
    verified = verify_sd_jwt_vc(
        presented,
        key_resolver=_draft18_metadata_keys(),
        audience="https://example.com/verifier",
        nonce="1234567890",
        clock=lambda: SD_JWT_VC_KB_IAT,
    )
    assert verified.payload == json_after(SD_JWT_VC, "available for further handling.")
    assert verified.key_binding is not None
    assert verified.key_binding.audience == "https://example.com/verifier"


def test_sd_jwt_vc_presentation_without_key_binding_example() -> None:
    presented = compact_after(SD_JWT_VC, "different) SD-JWT without a KB-JWT.")
    keys = StaticIssuerKeys({"https://example.com/issuer": [ISSUER_KEY]})
    verified = verify_sd_jwt_vc(presented, key_resolver=keys, clock=lambda: SD_JWT_VC_KB_IAT)
    assert verified.payload == json_after(SD_JWT_VC, "in Figure 11 after validation.")


def test_jwt_vc_issuer_metadata_request_examples() -> None:
    assert jwt_vc_issuer_metadata_url("https://example.com") == (
        "https://example.com/.well-known/jwt-vc-issuer"
    )
    assert jwt_vc_issuer_metadata_url("https://example.com/tenant/1234") == (
        "https://example.com/.well-known/jwt-vc-issuer/tenant/1234"
    )
    assert jwt_vc_issuer_metadata_url("https://example.com/tenant/1234/") == (
        "https://example.com/.well-known/jwt-vc-issuer/tenant/1234"
    )


def test_sd_jwt_vc_example_verifies_through_issuer_metadata() -> None:
    jwks = json_after(SD_JWT_VC, "including jwks:")["jwks"]
    served = {
        "https://example.com/.well-known/jwt-vc-issuer/issuer": json.dumps(
            {"issuer": "https://example.com/issuer", "jwks": jwks}
        ).encode()
    }
    asked: list[str] = []

    def fetch(url: str, *, accept: str) -> bytes:
        asked.append(url)
        return served[url]

    keys = IssuerMetadataKeys(fetch, issuers=["https://example.com/issuer"])
    presented = compact_after(SD_JWT_VC, "Other claims are not disclosed to the Verifier.")
    verified = verify_sd_jwt_vc(
        presented,
        key_resolver=keys,
        audience="https://example.com/verifier",
        nonce="1234567890",
        clock=lambda: SD_JWT_VC_KB_IAT,
    )
    assert verified.issuer_key == ISSUER_KEY
    assert asked == ["https://example.com/.well-known/jwt-vc-issuer/issuer"]


# --- Token Status List ---------------------------------------------------------------------------


def test_status_list_byte_array_examples() -> None:
    one_bit = bytes([0xB9, 0xA3])
    assert zlib.compress(one_bit, level=9).hex() == "78dadbb918000217015d"
    assert TokenStatusList(one_bit, 1).to_json() == {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}
    assert [get_token_status(one_bit, i) for i in range(16)] == [
        1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1,
    ]  # fmt: skip
    two_bits = bytes([0xC9, 0x44, 0xF9])
    assert zlib.compress(two_bits, level=9).hex() == "78da3be9f2130003df0207"
    assert encode_token_status_list(two_bits) == "eNo76fITAAPfAgc"
    assert [get_token_status(two_bits, i, bits=2) for i in range(12)] == [
        1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3,
    ]  # fmt: skip


@pytest.mark.parametrize("heading", ["C.1.  1-bit", "C.2.  2-bit", "C.3.  4-bit", "C.4.  8-bit"])
def test_status_list_test_vectors(heading: str) -> None:
    bits, statuses, lst = status_vector(STATUS_LIST, heading)
    byte_array = decode_token_status_list(lst)
    status_list = TokenStatusList(byte_array, bits)
    assert status_list.entries == 2**20
    for index, value in statuses.items():
        assert status_list.get(index) == value
    nonzero = sum(1 for i in range(status_list.entries) if status_list.get(i))
    assert nonzero == sum(1 for value in statuses.values() if value)
    # Building the list from the statuses reproduces the compressed value byte for byte.
    built = TokenStatusList.new(2**20, bits=bits)
    for index, value in statuses.items():
        built = built.with_status(index, value)
    assert built.to_json() == {"bits": bits, "lst": lst}


def test_status_list_token_example_verifies() -> None:
    token = compact_after(STATUS_LIST, "Content-Type: application/statuslist+jwt")
    example_key = PublicKey.from_jwk(
        json.loads(path_of("status-list-example-key.json").read_text())
    )
    verified = verify_status_list_token(
        token,
        uri="https://example.com/statuslists/1",
        issuer="https://example.com",
        key_resolver=lambda issuer, header: example_key,
        now=datetime.fromtimestamp(1686920170, UTC),
    )
    assert verified.ttl == timedelta(seconds=43200)
    assert verified.status_list.to_json() == {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}
    assert verified.expires_at == datetime.fromtimestamp(2291720170, UTC)


def test_referenced_token_example() -> None:
    text = compact_after(STATUS_LIST, "JWT serialized form as received from an Issuer:")
    referenced = parse_sd_jwt(text)
    assert ISSUER_KEY.verify(referenced.jws.signature, referenced.jws.signing_input)
    processed = process_sd_jwt_payload(referenced.jws.payload, referenced.disclosures)
    assert parse_status_claim(processed["status"]) == TokenStatusReference(
        "https://example.com/statuslists/1", 0
    )
    assert referenced.jws.payload == json_after(STATUS_LIST, "resulting payload of the example")
