"""The engine demo behind ``blauwe-knop demo``: issue, disclose selectively, verify, tamper.

Runs offline with a fresh issuer key; every artefact lands in the output folder.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

from vc_core.did import did_key
from vc_core.errors import VerificationError
from vc_core.keys import KeyPair
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.proofs import canonicalize, derive, sign, verify
from vc_core.types import JsonObject

MANDATORY_POINTERS = (
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialSubject/id",
    "/credentialSubject/belastingjaar",
)


def income_credential(issuer_did: str, holder_did: str) -> JsonObject:
    """The tax office's income statement for the demo citizen (synthetic data)."""
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


def _save(folder: Path, name: str, value: object) -> Path:
    path = folder / name
    text = value if isinstance(value, str) else json.dumps(value, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def run(out: Path) -> int:
    """Run the demo, print each step, write the files to ``out``; return the exit code."""
    out.mkdir(parents=True, exist_ok=True)
    issuer, holder = KeyPair.generate("P-256"), KeyPair.generate("P-256")
    credential = income_credential(did_key(issuer), did_key(holder))
    _save(out, "credential.json", credential)

    started = time.perf_counter()
    signed = sign(
        credential,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=MANDATORY_POINTERS,
    )
    _save(out, "signed-base.json", signed)
    print(
        f"1. Tax office signed the income statement (ecdsa-sd-2023, base proof) "
        f"in {1000 * (time.perf_counter() - started):.1f} ms"
    )

    shown = derive(signed, selective_pointers=["/credentialSubject/inkomensklasse"])
    _save(out, "disclosure.json", shown)
    hidden = sorted(set(credential["credentialSubject"]) - set(shown["credentialSubject"]))
    print(
        f"2. Citizen derived a disclosure revealing the income class; hidden: {', '.join(hidden)}"
    )

    result = verify(shown)
    subject = result.document["credentialSubject"]
    print(
        f"3. Landlord verified it: tax year {subject['belastingjaar']}, "
        f"income class {subject['inkomensklasse']!r}"
    )
    _save(out, "disclosure.nq", canonicalize(shown))

    tampered = copy.deepcopy(shown)
    tampered["credentialSubject"]["inkomensklasse"] = "laag"
    _save(out, "tampered.json", tampered)
    try:
        verify(tampered)
    except VerificationError as exc:
        print(f"4. A tampered copy was refused: {exc.problems[0].code}")
    else:
        print("4. FAILED: a tampered copy verified")
        return 1
    print(f"Files: {out.resolve()}")
    return 0
