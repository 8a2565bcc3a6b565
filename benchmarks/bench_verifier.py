"""Throughput of the landlord's verifier on a one-credential income presentation.

Run with ``python benchmarks/bench_verifier.py [--seconds N]``. The process is
pinned to one core where the OS allows it. The presentation is what the
wallet sends for the housing income check: a derived ecdsa-sd-2023 income
statement (did:web issuer, revocation and suspension entries) disclosing the
tax office's fact, in a presentation signed by the holder with
ecdsa-rdfc-2019. The status lists and the issuer's did.json are served by an
in-memory fetch; after the warm-up they come from the verifier's caches, so
the figures are the verification work itself. The target is 500
presentations per second on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from vc_core import KeyPair, StatusList, derive, did_key, sign, verify
from vc_core.types import JsonObject
from vc_verifier import HousingIncomeRule, Verifier

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CREATED = "2025-12-31T09:00:00Z"
ISSUER = "did:web:issuer.example.nl:belastingdienst"
CLIENT_ID = "decentralized_identifier:did:web:verhuur.example.nl"
LISTS = {
    "revocation": "https://issuer.example.nl/belastingdienst/status/revocation/1",
    "suspension": "https://issuer.example.nl/belastingdienst/status/suspension/1",
}
TARGET = 500.0


def _status_list(key: KeyPair, purpose: str, url: str) -> JsonObject:
    return sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": ISSUER,
            "validFrom": "2025-12-31T00:00:00Z",
            "validUntil": "2026-01-02T00:00:00Z",
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": StatusList.new().encode(),
                "ttl": 86_400_000,
            },
        },
        key,
        created=CREATED,
    )


def setup() -> tuple[Verifier, JsonObject, str]:
    """A verifier with warm caches, and a presentation for nonce ``n``."""
    issuer = replace(KeyPair.generate("P-256"), id=f"{ISSUER}#key-1", controller=ISSUER)
    holder = KeyPair.generate("P-256")
    documents: dict[str, bytes] = {
        "https://issuer.example.nl/belastingdienst/did.json": json.dumps(
            {
                "@context": [
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/multikey/v1",
                ],
                "id": ISSUER,
                "verificationMethod": [issuer.to_multikey()],
                "assertionMethod": [issuer.id],
            }
        ).encode(),
        **{
            url: json.dumps(_status_list(issuer, purpose, url)).encode()
            for purpose, url in LISTS.items()
        },
    }
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://issuer.example.nl/contexts/nl-vc/v1",
        ],
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", "InkomensverklaringCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2026-06-01T00:00:00Z",
        "credentialStatus": [
            {
                "id": f"{url}#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": "94567",
                "statusListCredential": url,
            }
            for purpose, url in LISTS.items()
        ],
        "credentialSubject": {
            "id": did_key(holder),
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
            "inkomenstoets": {
                "type": "InkomenToets",
                "regel": "sociale-huurgrens",
                "regelJaar": 2026,
                "huishoudgrootte": 2,
                "onderSocialeHuurgrens": True,
            },
        },
    }
    base = sign(
        credential,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=[
            "/issuer",
            "/validFrom",
            "/validUntil",
            "/credentialStatus",
            "/credentialSubject/id",
            "/credentialSubject/belastingjaar",
        ],
        created=CREATED,
    )
    disclosed = derive(base, selective_pointers=["/credentialSubject/inkomenstoets"])
    presentation = sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key(holder),
            "verifiableCredential": [disclosed],
        },
        holder,
        proof_purpose="authentication",
        challenge="n",
        domain=CLIENT_ID,
        created=CREATED,
    )

    def fetch(url: str, *, accept: str) -> bytes:
        return documents[url]

    verifier = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        signing_kid="did:web:verhuur.example.nl#key-1",
        trusted_issuers={ISSUER: ["InkomensverklaringCredential"]},
        fetch=fetch,
        clock=lambda: NOW,
    )
    verifier.verify_presentation(presentation, challenge="n", domain=CLIENT_ID)  # warm caches
    return verifier, presentation, disclosed["proof"]["cryptosuite"]


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second of ``operation`` over about ``seconds`` after a warm-up."""
    for _ in range(5):
        operation()
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        operation()
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per operation")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    verifier, presentation, _ = setup()
    credential = presentation["verifiableCredential"][0]
    rule = HousingIncomeRule.load(year=2026)

    def verify_and_decide() -> object:
        verified = verifier.verify_presentation(presentation, challenge="n", domain=CLIENT_ID)
        return rule.evaluate(verified, household_size=2)

    rows = [
        (
            "verify_presentation (warm status cache)",
            rate(
                lambda: verifier.verify_presentation(presentation, challenge="n", domain=CLIENT_ID),
                args.seconds,
            ),
        ),
        ("  + HousingIncomeRule.evaluate", rate(verify_and_decide, args.seconds)),
        (
            "  of which: presentation proof (ecdsa-rdfc-2019)",
            rate(
                lambda: verify(
                    presentation,
                    challenge="n",
                    domain=CLIENT_ID,
                    expected_proof_purpose="authentication",
                ),
                args.seconds,
            ),
        ),
        (
            "  of which: credential proof (ecdsa-sd-2023 derived)",
            rate(
                lambda: verify(
                    credential,
                    expected_proof_purpose="assertionMethod",
                    resolve_verification_method=verifier._issuer_method,
                ),
                args.seconds,
            ),
        ),
    ]
    print(f"{'operation':<52} {'ops/s':>8} {'ms/op':>7}")
    for name, ops in rows:
        print(f"{name:<52} {ops:>8.0f} {1000 / ops:>7.2f}")
    presentations_per_second = rows[0][1]
    verdict = "met" if presentations_per_second >= TARGET else "NOT met"
    print(f"target >= {TARGET:.0f} presentations/s on one core: {verdict}")


if __name__ == "__main__":
    main()
