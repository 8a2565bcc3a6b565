"""Throughput of sign / derive / verify per cryptosuite on realistic credentials.

Run with ``make bench`` (or ``python benchmarks/bench_proofs.py [--seconds N]``).
The process is pinned to one core where the OS allows it; each operation runs
for about ``--seconds`` after a warm-up, and the table prints operations per
second and milliseconds per operation. Use the figures, not timed tests:
shared machines make timing assertions flaky.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial

from vc_core import KeyPair, derive, did_key, sign, verify
from vc_core.types import CryptosuiteName, JsonObject

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://issuer.example.nl/contexts/nl-vc/v1"]
STATUS = {
    "id": "https://issuer.example.nl/belastingdienst/status/revocation/1#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://issuer.example.nl/belastingdienst/status/revocation/1",
}
MANDATORY = ["/issuer", "/validFrom", "/validUntil", "/credentialStatus", "/credentialSubject/id"]


def _credential(kind: str, issuer: str, holder: str, subject: JsonObject) -> JsonObject:
    return {
        "@context": CONTEXT,
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", kind],
        "issuer": issuer,
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2026-06-01T00:00:00Z",
        "credentialStatus": STATUS,
        "credentialSubject": {"id": holder, **subject},
    }


def credentials(issuer: str, holder: str) -> dict[str, tuple[JsonObject, list[str], list[str]]]:
    """name -> (credential, extra mandatory pointers, selective pointers)."""
    income = _credential(
        "InkomensverklaringCredential",
        issuer,
        holder,
        {
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
            "inkomensklasse": "midden",
            "inkomenstoets": {
                "type": "InkomenToets",
                "regel": "sociale-huurgrens",
                "regelJaar": 2026,
                "huishoudgrootte": 2,
                "onderSocialeHuurgrens": True,
            },
        },
    )
    diploma = _credential(
        "DiplomaCredential",
        issuer,
        holder,
        {
            "type": "Diplomahouder",
            "diploma": {
                "type": "Diploma",
                "opleiding": "Bachelor Technische Informatica",
                "niveau": "WO bachelor",
                "onderwijsinstelling": "Technische Universiteit Delft",
                "datumBehaald": "2019-07-05",
                "crohoCode": "56964",
            },
        },
    )
    vehicle = _credential(
        "VoertuigregistratieCredential",
        issuer,
        holder,
        {
            "type": "Kentekenhouder",
            "voertuig": {
                "type": "Voertuig",
                "kenteken": "GZ-123-B",
                "merk": "Volkswagen",
                "handelsbenaming": "Golf",
                "datumEersteToelating": "2019-03-14",
                "brandstof": "Benzine",
                "tenaamstellingsdatum": "2021-09-01",
            },
        },
    )
    return {
        "income": (
            income,
            ["/credentialSubject/belastingjaar"],
            ["/credentialSubject/inkomenstoets/onderSocialeHuurgrens"],
        ),
        "diploma": (
            diploma,
            [],
            ["/credentialSubject/diploma/opleiding", "/credentialSubject/diploma/niveau"],
        ),
        "vehicle": (vehicle, [], ["/credentialSubject/voertuig/kenteken"]),
    }


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second of ``operation`` over about ``seconds`` after a warm-up."""
    for _ in range(3):
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
    parser.add_argument("--seconds", type=float, default=2.0, help="time per operation")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    p256, ed25519 = KeyPair.generate("P-256"), KeyPair.generate("Ed25519")
    holder = did_key(KeyPair.generate("P-256"))
    rows: list[tuple[str, str, str, float]] = []

    def measure(suite: str, name: str, operation: str, call: Callable[[], object]) -> None:
        rows.append((suite, name, operation, rate(call, args.seconds)))

    for name, (credential, mandatory, selective) in credentials(did_key(p256), holder).items():
        sd_sign = partial(
            sign,
            credential,
            p256,
            cryptosuite="ecdsa-sd-2023",
            mandatory_pointers=MANDATORY + mandatory,
        )
        base = sd_sign()
        sd_derive = partial(derive, base, selective_pointers=selective)
        measure("ecdsa-sd-2023", name, "sign (base)", sd_sign)
        measure("ecdsa-sd-2023", name, "derive", sd_derive)
        measure("ecdsa-sd-2023", name, "verify (derived)", partial(verify, sd_derive()))
        suites: tuple[tuple[CryptosuiteName, KeyPair], ...] = (
            ("ecdsa-rdfc-2019", p256),
            ("eddsa-rdfc-2022", ed25519),
        )
        for suite, key in suites:
            plain_sign = partial(
                sign, dict(credential, issuer=did_key(key)), key, cryptosuite=suite
            )
            measure(suite, name, "sign", plain_sign)
            measure(suite, name, "verify", partial(verify, plain_sign()))
    print(f"{'cryptosuite':<16} {'credential':<10} {'operation':<18} {'ops/s':>8} {'ms/op':>7}")
    for suite, name, operation, ops in rows:
        print(f"{suite:<16} {name:<10} {operation:<18} {ops:>8.0f} {1000 / ops:>7.2f}")


if __name__ == "__main__":
    main()
