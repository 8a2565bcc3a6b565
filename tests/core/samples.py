"""Sample documents shared by the engine tests (synthetic data)."""

from __future__ import annotations

from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.types import JsonObject

MANDATORY_POINTERS = (
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialSubject/id",
    "/credentialSubject/belastingjaar",
)


def income_credential(issuer_did: str, holder_did: str) -> JsonObject:
    """The tax office's income statement for a test citizen (synthetic data)."""
    return {
        "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", "InkomensverklaringCredential"],
        "issuer": issuer_did,
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2027-06-01T00:00:00Z",
        "credentialSubject": {
            "id": holder_did,
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
            "inkomensklasse": "midden",
        },
    }
