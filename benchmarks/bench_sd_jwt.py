"""Throughput of SD-JWT VC issuance, presentation and verification on one core.

Run with ``make bench`` (or ``python benchmarks/bench_sd_jwt.py [--seconds N --rounds R]``);
``--profile verify`` profiles one operation with cProfile instead; ``--cpu-time``
reports operations per CPU-second of this process (for a host other work keeps busy).

Verification is what a landlord's server does per presentation: the Issuer-
signed JWT's signature (issuer key from JWT VC Issuer Metadata, cached), the
Disclosures, the validity window, the Key Binding JWT, and the status from the
issuer's Token Status List (cached). 200 tenants, each with their own holder
key, credential, status index and nonce, are verified in turn. The last rows
compare the compact JWS verification of ``vc_core.jws`` with joserfc's on the
same Issuer-signed JWT (why the hand-written one stays on the hot path) and show
the floor: one P-256 signature verification, of which a presentation needs two.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import cycle

from bench_proofs import pin_to_one_core, profile, rate, timing_arguments
from joserfc import jws as joserfc_jws
from joserfc.jwk import ECKey

from vc_core import KeyPair, check_token_status, issue_sd_jwt_vc, present_sd_jwt_vc
from vc_core.jws import verify_jws
from vc_core.sd_jwt import (
    IssuerMetadataKeys,
    create_jwt_vc_issuer_metadata,
    parse_sd_jwt,
    verify_sd_jwt_vc,
)
from vc_core.status import (
    StatusListCache,
    TokenStatusList,
    TokenStatusReference,
    create_status_list_token,
)

ISSUER = "https://issuer.example.nl/belastingdienst"
VCT = "https://issuer.example.nl/belastingdienst/inkomensverklaring"
STATUS_URI = "https://issuer.example.nl/belastingdienst/status/1"
AUDIENCE = "x509_san_dns:verhuur.example.nl"
TENANTS = 200
CLAIMS = {
    "belastingjaar": 2024,
    "verzamelinkomen": {"value": "41250.00", "currency": "EUR"},
    "inkomensklasse": "midden",
    "inkomenstoets": {
        "regel": "sociale-huurgrens",
        "regelJaar": 2026,
        "huishoudgrootte": 2,
        "onderSocialeHuurgrens": True,
    },
}
DISCLOSABLE = [
    ["verzamelinkomen"],
    ["inkomensklasse"],
    ["inkomenstoets", "regel"],
    ["inkomenstoets", "regelJaar"],
    ["inkomenstoets", "huishoudgrootte"],
    ["inkomenstoets", "onderSocialeHuurgrens"],
]
REQUESTED = [["inkomenstoets", "onderSocialeHuurgrens"], ["inkomenstoets", "regelJaar"]]


def _issue(issuer_key: KeyPair, holder: KeyPair, index: int) -> str:
    return issue_sd_jwt_vc(
        CLAIMS,
        issuer_key,
        issuer=ISSUER,
        vct=VCT,
        disclosable=DISCLOSABLE,
        holder_key=holder.public,
        status=TokenStatusReference(STATUS_URI, index),
        expires_at=datetime.now(UTC) + timedelta(days=365),
        decoys=2,
    )


def operations() -> list[tuple[str, Callable[[], object]]]:
    """(operation, call) for every row of the table."""
    issuer_key = KeyPair.generate("P-256")
    holders = [KeyPair.generate("P-256") for _ in range(TENANTS)]
    issued = [_issue(issuer_key, holder, 1000 + n) for n, holder in enumerate(holders)]
    presented = [
        (
            present_sd_jwt_vc(
                credential, REQUESTED, holder_key=holder, audience=AUDIENCE, nonce=f"nonce-{n}"
            ),
            f"nonce-{n}",
        )
        for n, (credential, holder) in enumerate(zip(issued, holders, strict=True))
    ]
    metadata_url = "https://issuer.example.nl/.well-known/jwt-vc-issuer/belastingdienst"
    served = {
        metadata_url: json.dumps(create_jwt_vc_issuer_metadata(ISSUER, [issuer_key.public])),
        STATUS_URI: create_status_list_token(
            TokenStatusList.new(2**17, bits=2),
            issuer_key,
            uri=STATUS_URI,
            issued_at=datetime.now(UTC),
            expires_at=datetime.now(UTC) + timedelta(days=1),
            ttl=timedelta(hours=1),
        ),
    }

    def fetch(url: str, *, accept: str) -> bytes:
        return served[url].encode()

    keys = IssuerMetadataKeys(fetch, issuers=[ISSUER])
    cache = StatusListCache()
    turns = cycle(presented)

    def verify_presentation() -> object:
        text, nonce = next(turns)
        verified = verify_sd_jwt_vc(text, key_resolver=keys, audience=AUDIENCE, nonce=nonce)
        assert verified.status is not None
        status = check_token_status(
            verified.status, issuer=verified.issuer, key_resolver=keys, fetch=fetch, cache=cache
        )
        assert status.valid
        return status

    holder_turns = cycle(zip(issued, holders, strict=True))

    def present() -> object:
        credential, holder = next(holder_turns)
        return present_sd_jwt_vc(
            credential, REQUESTED, holder_key=holder, audience=AUDIENCE, nonce="n"
        )

    issuer_jwt = parse_sd_jwt(issued[0]).issuer_jwt
    joserfc_key = ECKey.import_key(issuer_key.public.to_jwk())
    signed = issuer_jwt.rpartition(".")[0].encode()
    signature = issuer_key.sign(signed)
    return [
        ("issue (income, 6 Disclosures, decoys)", partial(_issue, issuer_key, holders[0], 7)),
        ("present (2 claims + KB-JWT)", present),
        ("verify (signature, Disclosures, KB-JWT, status cached)", verify_presentation),
        (
            "  of which: Issuer-signed JWT, vc_core.jws",
            partial(verify_jws, issuer_jwt, expected_typ="dc+sd-jwt", key=issuer_key.public),
        ),
        (
            "  the same with joserfc",
            partial(joserfc_jws.deserialize_compact, issuer_jwt, joserfc_key, ["ES256"]),
        ),
        (
            "  one P-256 ECDSA verification (cryptography; two per presentation)",
            partial(issuer_key.public.verify, signature, signed),
        ),
    ]


def main() -> None:
    parser = timing_arguments(__doc__, seconds=5.0, rounds=10)
    parser.add_argument("--profile", choices=["issue", "present", "verify"], default=None)
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="count this process's CPU time, not wall time (ops per CPU-second on a busy host)",
    )
    args = parser.parse_args()
    pin_to_one_core()
    rows = operations()
    if args.profile is not None:
        chosen = {"issue": 0, "present": 1, "verify": 2}[args.profile]
        profile(rows[chosen][1], args.seconds, 25)
        return
    print(f"{'SD-JWT VC operation':68s} {'ops/s':>9s} {'ms each':>8s}")
    for name, operation in rows:
        timer = time.process_time if args.cpu_time else time.perf_counter
        per_second = rate(operation, args.seconds, args.rounds, timer=timer)
        print(f"{name:68s} {per_second:9,.0f} {1000 / per_second:8.3f}")


if __name__ == "__main__":
    main()
