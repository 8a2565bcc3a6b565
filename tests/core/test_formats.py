"""The format registry: identifiers and aliases, wire types, and each format's presenter."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from vc_core import KeyPair, ParsingError, did_key, sign, verify
from vc_core.did import did_key_verification_method_id
from vc_core.formats import (
    FORMATS,
    LDP_VC,
    SD_JWT_VC,
    claim_pointer,
    credential_format,
)
from vc_core.sd_jwt import (
    LEGACY_SD_JWT_VC_TYP,
    SD_JWT_VC_FORMAT,
    StaticIssuerKeys,
    issue_sd_jwt_vc,
    verify_sd_jwt_vc,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUER = "https://issuer.example.nl/belastingdienst"
AUDIENCE = "decentralized_identifier:did:web:verhuur.example.nl"


def holder() -> KeyPair:
    key = KeyPair.generate("P-256")
    return KeyPair(key.public, key.private_key, did_key_verification_method_id(key), did_key(key))


def test_the_identifiers_are_the_engines() -> None:
    assert SD_JWT_VC == SD_JWT_VC_FORMAT
    assert credential_format(LEGACY_SD_JWT_VC_TYP) is FORMATS[SD_JWT_VC]


def test_every_format_is_found_by_its_identifier_and_aliases() -> None:
    assert set(FORMATS) == {LDP_VC, SD_JWT_VC}
    for entry in FORMATS.values():
        for name in (entry.identifier, *entry.aliases):
            assert credential_format(name) is entry
    assert credential_format("vc+sd-jwt") is FORMATS[SD_JWT_VC]
    for unknown in ("mso_mdoc", "jwt_vc_json", "", None, 1, ["ldp_vc"]):
        assert credential_format(unknown) is None


def test_claims_sit_under_the_subject_or_at_the_root() -> None:
    assert FORMATS[LDP_VC].claim_path(["inkomenstoets", None]) == (
        "credentialSubject",
        "inkomenstoets",
        None,
    )
    assert FORMATS[SD_JWT_VC].claim_path(["inkomenstoets"]) == ("inkomenstoets",)
    assert FORMATS[LDP_VC].types_member == "type_values"
    assert FORMATS[SD_JWT_VC].types_member == "vct_values"


@pytest.mark.parametrize(
    ("identifier", "good", "bad"),
    [(LDP_VC, {"type": ["VerifiableCredential"]}, "eyJ~"), (SD_JWT_VC, "eyJ~", {"a": 1})],
)
def test_wire_types_are_checked(identifier: str, good: object, bad: object) -> None:
    entry = FORMATS[identifier]
    assert entry.unverified(good) is good
    for wrong in (bad, None, 3, ["x"]):
        with pytest.raises(ParsingError, match=re.escape(identifier)):
            entry.unverified(wrong)


def test_claim_pointers_escape_names() -> None:
    assert claim_pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"
    assert claim_pointer([]) == ""


def test_ldp_vc_presenter_discloses_the_paths_in_a_signed_presentation() -> None:
    issuer, key = KeyPair.generate("P-256"), holder()
    credential = sign(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://issuer.example.nl/contexts/nl-vc/v1",
            ],
            "type": ["VerifiableCredential", "InkomensverklaringCredential"],
            "issuer": did_key(issuer),
            "credentialSubject": {
                "id": key.controller,
                "belastingjaar": 2024,
                "inkomensklasse": "midden",
            },
        },
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", "/credentialSubject/id"],
    )
    presented = FORMATS[LDP_VC].present(
        credential,
        [("credentialSubject", "belastingjaar")],
        holder_key=key,
        audience=AUDIENCE,
        nonce="n-1",
        created=NOW,
    )
    assert isinstance(presented.value, dict)
    assert presented.value["holder"] == key.controller
    assert presented.disclosed["credentialSubject"] == {"id": key.controller, "belastingjaar": 2024}
    verify(presented.value, challenge="n-1", domain=AUDIENCE)
    with pytest.raises(TypeError):
        FORMATS[LDP_VC].present(
            "eyJ~", [], holder_key=key, audience=AUDIENCE, nonce="n", created=NOW
        )


def test_sd_jwt_vc_presenter_discloses_the_paths_with_key_binding() -> None:
    issuer, key = KeyPair.generate("P-256"), holder()
    issued = issue_sd_jwt_vc(
        {"belastingjaar": 2024, "inkomensklasse": "midden"},
        issuer,
        issuer=ISSUER,
        vct=f"{ISSUER}/vct/inkomen",
        disclosable=[["belastingjaar"], ["inkomensklasse"]],
        holder_key=key.public,
        issued_at=NOW,
    )
    presented = FORMATS[SD_JWT_VC].present(
        issued, [("belastingjaar",)], holder_key=key, audience=AUDIENCE, nonce="n-1", created=NOW
    )
    assert isinstance(presented.value, str)
    assert presented.disclosed["belastingjaar"] == 2024
    assert "inkomensklasse" not in presented.disclosed
    assert "_sd" not in presented.disclosed
    verified = verify_sd_jwt_vc(
        presented.value,
        key_resolver=StaticIssuerKeys({ISSUER: [issuer.public]}),
        audience=AUDIENCE,
        nonce="n-1",
        clock=lambda: NOW,
    )
    assert verified.claims == {"belastingjaar": 2024}
    with pytest.raises(TypeError):
        FORMATS[SD_JWT_VC].present(
            {}, [], holder_key=key, audience=AUDIENCE, nonce="n", created=NOW
        )
