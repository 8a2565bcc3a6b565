"""Throughput of the landlord's verifier on one-credential income presentations.

Run with ``make bench`` or ``python benchmarks/bench_verifier.py [--seconds N]
[--rounds K] [--tenants T]``. The process is pinned to one core where the OS
allows it. Each of the ``T`` tenants sends what the wallet sends for the
housing income check: a derived ecdsa-sd-2023 income statement (did:web
issuer, revocation and suspension entries) disclosing the tax office's fact,
in a presentation signed by their own holder key with ecdsa-rdfc-2019 and
their own nonce; the verifier takes them in turn. The status lists and the
issuer's did.json are served by an in-memory fetch; after the warm-up they
come from the verifier's caches, so the figures are the verification work
itself. The best of ``K`` rounds counts (on a shared machine the slower
rounds are those in which other processes had the core). The target is 500
presentations per second on one core.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from bench_proofs import pin_to_one_core, rate, timing_arguments

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


def setup(count: int) -> tuple[Verifier, list[tuple[JsonObject, str]]]:
    """A verifier with a warm status cache, and ``count`` presentations with their nonces.

    Every presentation is another tenant's: its own holder key, credential id,
    status index, income and nonce, so nothing but the status lists and the
    issuer's did.json is the same from one verification to the next.
    """
    issuer = replace(KeyPair.generate("P-256"), id=f"{ISSUER}#key-1", controller=ISSUER)
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
    presentations = [_presentation(issuer, number) for number in range(count)]

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
    verifier.verify_presentation(
        presentations[0][0], challenge=presentations[0][1], domain=CLIENT_ID
    )
    return verifier, presentations


def _presentation(issuer: KeyPair, number: int) -> tuple[JsonObject, str]:
    """Tenant ``number``'s income presentation disclosing the tax office's fact, and its nonce."""
    holder = KeyPair.generate("P-256")
    index = str(1_000 + 37 * number)
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://issuer.example.nl/contexts/nl-vc/v1",
        ],
        "id": f"urn:uuid:3978344f-8596-4c3a-a978-{number:012x}",
        "type": ["VerifiableCredential", "InkomensverklaringCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2026-06-01T00:00:00Z",
        "credentialStatus": [
            {
                "id": f"{url}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": index,
                "statusListCredential": url,
            }
            for purpose, url in LISTS.items()
        ],
        "credentialSubject": {
            "id": did_key(holder),
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {
                "type": "MonetaryAmount",
                "value": f"{30_000 + 97 * number}.00",
                "currency": "EUR",
            },
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
    nonce = f"nonce-{number}"
    presentation = sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key(holder),
            "verifiableCredential": [disclosed],
        },
        holder,
        proof_purpose="authentication",
        challenge=nonce,
        domain=CLIENT_ID,
        created=CREATED,
    )
    return presentation, nonce


def _cycle(
    operation: Callable[[JsonObject, str], object], pool: list[tuple[JsonObject, str]]
) -> Callable[[], object]:
    """``operation`` on the next presentation of the pool at each call."""
    turn = itertools.cycle(pool)

    def call() -> object:
        presentation, nonce = next(turn)
        return operation(presentation, nonce)

    return call


def main() -> None:
    parser = timing_arguments(__doc__, seconds=5.0, rounds=10)
    parser.add_argument("--tenants", type=int, default=200, help="distinct presentations")
    args = parser.parse_args()
    pin_to_one_core()
    verifier, pool = setup(args.tenants)
    rule = HousingIncomeRule.load(year=2026)

    def verify_presentation(presentation: JsonObject, nonce: str) -> object:
        return verifier.verify_presentation(presentation, challenge=nonce, domain=CLIENT_ID)

    def verify_and_decide(presentation: JsonObject, nonce: str) -> object:
        verified = verifier.verify_presentation(presentation, challenge=nonce, domain=CLIENT_ID)
        return rule.evaluate(verified, household_size=2)

    def presentation_proof(presentation: JsonObject, nonce: str) -> object:
        return verify(
            presentation,
            challenge=nonce,
            domain=CLIENT_ID,
            expected_proof_purpose="authentication",
        )

    def credential_proof(presentation: JsonObject, nonce: str) -> object:
        return verify(
            presentation["verifiableCredential"][0],
            expected_proof_purpose="assertionMethod",
            resolve_verification_method=verifier._issuer_method,
        )

    rows = [
        ("verify_presentation (warm status cache)", verify_presentation),
        ("  + HousingIncomeRule.evaluate", verify_and_decide),
        ("  of which: presentation proof (ecdsa-rdfc-2019)", presentation_proof),
        ("  of which: credential proof (ecdsa-sd-2023 derived)", credential_proof),
    ]
    rounds = max(1, args.rounds)
    print(f"{args.tenants} tenants, best of {rounds} rounds of {args.seconds / rounds:.1f} s")
    print(f"{'operation':<52} {'ops/s':>8} {'ms/op':>7}")
    results = []
    for name, operation in rows:
        ops = rate(_cycle(operation, pool), args.seconds, rounds)
        results.append(ops)
        print(f"{name:<52} {ops:>8.0f} {1000 / ops:>7.2f}")
    verdict = "met" if results[0] >= TARGET else "NOT met"
    print(f"target >= {TARGET:.0f} presentations/s on one core: {verdict}")


if __name__ == "__main__":
    main()
