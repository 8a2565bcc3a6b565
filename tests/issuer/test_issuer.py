"""The issuer recipe without HTTP: credential shape, mandatory claims, offers, Basis copies."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from vc_core import KeyPair, did_key
from vc_core.errors import ProofGenerationError
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.proofs import derive, sign, verify
from vc_issuer.errors import NotFound, StartupRefused
from vc_issuer.issuer import DEMO_TX_CODE, Issuer
from vc_issuer.settings import IssuerSettings

from .support import CONFIGURATIONS, DEMO_BSN, NOBODY_BSN


@pytest.fixture(scope="module")
def demo() -> Issuer:
    """The notebook set-up: in-memory SQLite, fixed demo keys, seeded registers."""
    return Issuer.from_settings(IssuerSettings.demo(demo_people=20))


def test_credential_shape(demo: Issuer) -> None:
    holder = did_key(KeyPair.generate())
    credential = demo.issue_credential(
        "belastingdienst",
        bsn=DEMO_BSN,
        configuration_id=CONFIGURATIONS["belastingdienst"],
        holder_did=holder,
    )
    assert credential["@context"] == [CREDENTIALS_V2_URL, NL_VC_V1_URL]
    assert credential["id"].startswith("urn:uuid:")
    assert credential["type"] == ["VerifiableCredential", "InkomensverklaringCredential"]
    assert credential["issuer"] == "did:web:issuer.example.nl:belastingdienst"
    assert credential["validFrom"] < credential["validUntil"]
    assert credential["validFrom"].endswith("Z")
    assert credential["credentialSubject"]["id"] == holder
    first = credential["credentialStatus"][0]
    assert first["type"] == "BitstringStatusListEntry"
    assert first["statusListCredential"] == (
        "https://issuer.example.nl/belastingdienst/status/revocation/1"
    )
    assert first["id"] == f"{first['statusListCredential']}#{first['statusListIndex']}"
    assert isinstance(first["statusListIndex"], str)
    assert credential["proof"]["verificationMethod"] == (
        "did:web:issuer.example.nl:belastingdienst#key-1"
    )


def test_mandatory_claims_always_travel(demo: Issuer) -> None:
    """A holder disclosing nothing still shows issuer, validity, status, binding and type."""
    credential = demo.issue_credential(
        "belastingdienst",
        bsn=DEMO_BSN,
        configuration_id=CONFIGURATIONS["belastingdienst"],
        holder_did=did_key(KeyPair.generate()),
    )
    shown = derive(credential, selective_pointers=[])
    for name in ("issuer", "validFrom", "validUntil", "credentialStatus", "type"):
        assert shown[name] == credential[name]
    subject = shown["credentialSubject"]
    assert set(subject) == {"id", "type", "belastingjaar", "inkomenstoets"}
    assert set(subject["inkomenstoets"]) == {"type", "regel", "regelJaar", "huishoudgrootte"}
    fact = derive(
        credential,
        selective_pointers=["/credentialSubject/inkomenstoets/onderSocialeHuurgrens"],
    )
    assert fact["credentialSubject"]["inkomenstoets"]["onderSocialeHuurgrens"] is True
    assert "verzamelinkomen" not in fact["credentialSubject"]


def test_unknown_citizen_source_or_configuration(demo: Issuer) -> None:
    with pytest.raises(NotFound, match=r"no .* data"):
        demo.issue_credential(
            "rdw", bsn=NOBODY_BSN, configuration_id=CONFIGURATIONS["rdw"], holder_did=None
        )
    with pytest.raises(NotFound, match="no source"):
        demo.create_offer("kvk", DEMO_BSN)
    with pytest.raises(NotFound, match="configuration"):
        demo.create_offer("rdw", DEMO_BSN, "Nope_ldp_vc")


def test_offer_qr_codes_decode_to_the_offer_uri(demo: Issuer) -> None:
    offer = demo.create_offer("duo", DEMO_BSN)
    assert offer.tx_code is not None
    assert len(offer.tx_code) == 6
    assert offer.tx_code.isdigit()
    query = parse_qs(urlsplit(offer.offer_uri).query)
    assert query == {"credential_offer_uri": [offer.offer_url]}
    assert offer.tx_code not in offer.offer_uri
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(offer.qr_png())))
    assert decoded.text == offer.offer_uri
    assert offer.qr_svg().startswith("<svg")


def test_demo_offer_is_by_value_with_a_fixed_tx_code(demo: Issuer) -> None:
    text = demo.demo_offer("belastingdienst")
    offer = json.loads(parse_qs(urlsplit(text).query)["credential_offer"][0])
    assert offer["credential_issuer"] == "https://issuer.example.nl/belastingdienst"
    assert DEMO_TX_CODE == "000000"


def test_demo_offer_is_refused_outside_development(demo: Issuer) -> None:
    production = Issuer(
        demo.settings.model_copy(update={"mode": "production"}), demo.db, demo.keys, demo.sources
    )
    with pytest.raises(StartupRefused):
        production.demo_offer("rdw")


def test_basis_credential_is_verifiable_as_it_is(demo: Issuer) -> None:
    credential = demo.basis_credential("brp", DEMO_BSN)
    assert "id" not in credential["credentialSubject"]
    assert credential["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    document = demo.did_document("brp")
    verified = verify(credential, fetch=lambda url, *, accept: json.dumps(document).encode())
    assert verified.document["credentialSubject"]["geslachtsnaam"] == "Vries"
    assert demo.status_of(credential["id"]) == {"revocation": 0, "suspension": 0}


def test_the_engine_refuses_a_pointer_that_matches_nothing() -> None:
    """Why the issuer drops configured pointers a particular credential lacks (P10)."""
    key = KeyPair.generate()
    document = {
        "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
        "type": ["VerifiableCredential", "DiplomaCredential"],
        "issuer": did_key(key),
        "credentialSubject": {"type": "Diplomahouder"},
    }
    with pytest.raises(ProofGenerationError):
        sign(document, key, cryptosuite="ecdsa-sd-2023", mandatory_pointers=["/validFrom"])
