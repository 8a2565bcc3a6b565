"""Growth benchmark of the issuer: the same load on an empty and on a grown PostgreSQL database.

1. Starts ``--instances`` servers (``--workers`` each) over a throwaway
   PostgreSQL cluster (or ``--database-url``, an empty database), runs the
   single-copy load of ``bench_issuer_load.py`` and measures a status-list
   fetch (the signed list as served, ``--fetches`` times from one client) and
   a revocation (admin API, the list re-signed at once).
2. Stops them and bulk-loads ``--credentials`` issued credentials through the
   service's own tables and records (a credential record, one status entry
   per purpose at a random unused index of full lists, the Plus holder link),
   ``--revocations`` of them revoked; then ``VACUUM ANALYZE``.
3. Restarts the servers and measures the same again; then re-signs every
   status list in-process (what a list costs once its signature is half way
   to expiry, or after a change) and reports the database size per credential.

    python benchmarks/bench_issuer_growth.py --credentials 1000000 --revocations 100000
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import secrets
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_issuer_load import (
    ADMIN,
    HOST,
    SOURCES,
    DeviceKeys,
    add_load_options,
    drive,
    percentile,
    servers,
)
from loopback_http import LoopbackClient, run_event_loop
from sqlalchemy import Connection, create_engine, func, insert, select, text

from vc_issuer.db import CredentialRecord, HolderLink
from vc_issuer.db.models import IssuedCredentialRow, StatusEntryRow, StatusListRow
from vc_issuer.db.plus import PlusHolderRow
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.status_lists import LIST_ENTRIES, PURPOSES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.postgres import throwaway_postgres

_CAPACITY = LIST_ENTRIES * 3 // 4  # lists close at 75 % full, as the service does
_BATCH = 20_000
CONFIGURATIONS = {
    "belastingdienst": "InkomensverklaringCredential_ldp_vc",
    "brp": "PersoonsgegevensCredential_ldp_vc",
    "duo": "DiplomaCredential_ldp_vc",
    "rdw": "VoertuigregistratieCredential_ldp_vc",
}


def measure(args: argparse.Namespace, folder: Path, label: str) -> dict[str, float]:
    """Throughput of the load, then status-list fetch and revocation latency."""
    figures: dict[str, float] = {}
    with servers(args, folder) as ports:
        drive(ports, wallets=args.wallets, copies=1, seconds=args.warmup)
        keys = DeviceKeys.for_run(seconds=args.seconds, copies=1)
        results, elapsed = drive(
            ports, wallets=args.wallets, copies=1, seconds=args.seconds, keys=keys
        )
        figures["credentials/s"] = results.credentials / elapsed
        figures["flow p99 ms"] = percentile(results.flow_ms, 0.99)
        figures["errors"] = results.errors
        fetches = [
            f"/{SOURCES[turn % len(SOURCES)]}/status/revocation/1" for turn in range(args.fetches)
        ]
        fetch_ms = run_event_loop(latencies(ports[0], "GET", fetches))
        figures["status fetch p50 ms"] = percentile(fetch_ms, 0.5)
        figures["status fetch p99 ms"] = percentile(fetch_ms, 0.99)
        revocations = [
            f"/admin/credentials/{credential_id}/revoke"
            for credential_id in unrevoked(args.database_url, args.revokes)
        ]
        revoke_ms = run_event_loop(latencies(ports[0], "POST", revocations, headers=ADMIN))
        figures["revocation p50 ms"] = percentile(revoke_ms, 0.5)
        figures["revocation p99 ms"] = percentile(revoke_ms, 0.99)
    print(f"{label}: " + "  ".join(f"{name} {value:.1f}" for name, value in figures.items()))
    return figures


async def latencies(
    port: int, method: str, paths: list[str], headers: dict[str, str] | None = None
) -> list[float]:
    """Milliseconds of each request, sent one after the other on one connection."""
    http = LoopbackClient(port, host=HOST)
    try:
        times = []
        for path in paths:
            started = time.perf_counter()
            await http.request(method, path, headers=headers)
            times.append(1000 * (time.perf_counter() - started))
        return times
    finally:
        http.close()


def unrevoked(url: str, count: int) -> list[str]:
    """The newest credentials that are not revoked (their lists are re-signed on revocation)."""
    entries = StatusEntryRow
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(IssuedCredentialRow.id)
                .join(entries, entries.credential_id == IssuedCredentialRow.id)
                .where(entries.purpose == "revocation", entries.status == 0)
                .order_by(IssuedCredentialRow.issued_at.desc())
                .limit(count)
            )
            return [str(row[0]) for row in rows]
    finally:
        engine.dispose()


def _rows(source: str, count: int, now: datetime) -> tuple[list[dict[str, Any]], ...]:
    """``count`` credential records of ``source`` and their Plus holder links, as rows."""
    credentials, links = [], []
    for _ in range(count):
        credential_id, holder = f"urn:uuid:{uuid.uuid4()}", f"did:key:z{secrets.token_urlsafe(34)}"
        subject_ref, valid_until = secrets.token_hex(32), now + timedelta(days=365)
        record = CredentialRecord(
            id=credential_id,
            source=source,
            configuration_id=CONFIGURATIONS[source],
            holder_did=holder,
            subject_ref=subject_ref,
            issued_at=now,
            valid_until=valid_until,
            notification_id=secrets.token_urlsafe(16),
            token_hash=secrets.token_hex(32),
        )
        link = HolderLink(
            holder_did=holder,
            credential_id=credential_id,
            source=source,
            subject_ref=subject_ref,
            sealed_bsn=secrets.token_bytes(37),
            expires_at=valid_until,
        )
        credentials.append(dataclasses.asdict(record))
        links.append(dataclasses.asdict(link))
    return credentials, links


def bulk_load(connection: Connection, credentials: int, revocations: int) -> None:
    """``credentials`` credentials spread over the sources, ``revocations`` revoked."""
    now = datetime.now(UTC).replace(microsecond=0)
    revoked = set(random.sample(range(credentials), revocations))
    per_source = credentials // len(SOURCES)
    for number, source in enumerate(SOURCES):
        records, links = _rows(source, per_source, now)
        for table, rows in ((IssuedCredentialRow, records), (PlusHolderRow, links)):
            for start in range(0, len(rows), _BATCH):
                connection.execute(insert(table), rows[start : start + _BATCH])
        ids = [record["id"] for record in records]
        for purpose in PURPOSES:
            load_entries(connection, source, purpose, ids, number * per_source, revoked)
        connection.commit()
        print(f"  loaded {source}: {per_source} credentials", flush=True)


def load_entries(
    connection: Connection,
    source: str,
    purpose: str,
    ids: list[str],
    first: int,
    revoked: set[int],
) -> None:
    """One entry per credential in new, full lists after the open one (random indexes)."""
    highest = connection.scalar(
        select(func.max(StatusListRow.number)).where(
            StatusListRow.source == source, StatusListRow.purpose == purpose
        )
    )
    number = int(highest or 0)
    entries: list[dict[str, Any]] = []
    for start in range(0, len(ids), _CAPACITY):
        number += 1
        chunk = ids[start : start + _CAPACITY]
        indexes = random.sample(range(LIST_ENTRIES), len(chunk))
        set_bits = 0
        for offset, (credential_id, index) in enumerate(zip(chunk, indexes, strict=True)):
            status = int(purpose == "revocation" and first + start + offset in revoked)
            set_bits += status
            entries.append(
                {
                    "source": source,
                    "purpose": purpose,
                    "list_number": number,
                    "index": index,
                    "credential_id": credential_id,
                    "status": status,
                }
            )
        connection.execute(
            insert(StatusListRow),
            [{"source": source, "purpose": purpose, "number": number, "version": set_bits}],
        )
    for start in range(0, len(entries), _BATCH):
        connection.execute(insert(StatusEntryRow), entries[start : start + _BATCH])


def sizes(connection: Connection) -> dict[str, int]:
    """Bytes of the database and of each table with its indexes."""
    tables = ("issued_credentials", "status_entries", "plus_holders", "status_lists")
    found = {
        name: int(connection.scalar(text(f"SELECT pg_total_relation_size('{name}')")) or 0)
        for name in tables
    }
    found["database"] = int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    return found


def resign_all(args: argparse.Namespace, folder: Path) -> None:
    """Re-sign every status list in-process; print the count, the cost per list and in all."""
    settings = IssuerSettings.model_validate(
        {
            "database_url": args.database_url,
            "data_dir": folder / "resign",
            "demo_keys": True,
            "demo_data": False,
        }
    )
    issuer = Issuer.from_settings(settings)
    try:
        with issuer.db.read() as unit:
            lists = unit.connection.execute(
                select(StatusListRow.source, StatusListRow.purpose, StatusListRow.number)
            ).all()
        later = datetime.now(UTC) + timedelta(hours=settings.status_list_validity_hours)
        times = []
        for source, purpose, number in lists:
            started = time.perf_counter()
            issuer.status_lists.publish(source, purpose, number, clock=lambda: later)
            times.append(1000 * (time.perf_counter() - started))
        print(
            f"re-signing {len(lists)} status lists: {sum(times) / 1000:.2f} s in all, per list "
            f"p50 {percentile(times, 0.5):.1f} ms, max {max(times):.1f} ms"
        )
    finally:
        issuer.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", type=int, default=1_000_000)
    parser.add_argument("--revocations", type=int, default=100_000)
    add_load_options(parser, seconds_help="measured load per phase")
    parser.add_argument("--fetches", type=int, default=2000, help="status-list fetches timed")
    parser.add_argument("--revokes", type=int, default=50, help="revocations timed")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: throwaway)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress as it goes
    if args.revocations > args.credentials:
        parser.error("--revocations must not exceed --credentials")
    with ExitStack() as stack:
        if not args.database_url:
            args.database_url = stack.enter_context(throwaway_postgres())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bk-growth-")))
        empty = measure(args, folder / "empty", "empty database")
        engine = create_engine(args.database_url)
        stack.callback(engine.dispose)
        with engine.connect() as connection:
            before = sizes(connection)
            started = time.perf_counter()
            bulk_load(connection, args.credentials, args.revocations)
            print(f"bulk load: {time.perf_counter() - started:.0f} s")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            after = sizes(connection)
        grown = measure(args, folder / "grown", f"{args.credentials} credentials")
        resign_all(args, folder)
    loaded = args.credentials
    print(
        f"database size per credential: {(after['database'] - before['database']) / loaded:.0f} B"
    )
    for name in ("issued_credentials", "status_entries", "plus_holders"):
        print(f"  {name:20s} {(after[name] - before[name]) / loaded:6.0f} B per credential")
    ratio = grown["credentials/s"] / empty["credentials/s"]
    print(f"issuance throughput grown/empty: {ratio:.2f}")


if __name__ == "__main__":
    main()
