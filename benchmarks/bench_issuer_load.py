"""Load benchmark of the issuer: concurrent wallets run the whole pre-authorized flow.

Starts ``blauwe-knop issuer serve --demo`` on a free loopback port (uvicorn,
``--workers`` processes) over SQLite in a temporary folder, or over PostgreSQL:
a throwaway cluster with ``--postgres``, or ``--database-url``. Then runs
``--wallets`` wallet tasks in one asyncio event loop (uvloop if installed) on
keep-alive HTTP/1.1 connections (``loopback_http``: the client that costs the
least CPU, so the figures measure the server and not the load generator on the
same cores). Each flow opens a connection of its own, as each citizen's phone
does: with several workers on one listening socket, a new connection goes to a
worker that is waiting for one, so the workers share the load as they do in
the field (16 connections kept for the whole run were split unevenly between
two workers, and the busier one set the pace). Each wallet loops: the operator creates an offer
(admin API), the wallet fetches it by reference, reads both metadata
documents, redeems the code with the tx_code, gets a ``c_nonce``, and requests
``--copies`` ecdsa-sd-2023 credentials with one proof JWT each (a P-256 device
key per credential, made before the measured run: :class:`DeviceKeys`). Prints
credentials/s, p50/p99 latency of the credential request and of the whole flow,
the wallets' CPU (cores, and milliseconds per flow) and the server's, and the
error count. Not a test.

    python benchmarks/bench_issuer_load.py --wallets 16 --seconds 20 --workers 2 --postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from loopback_http import HttpError, LoopbackClient, event_loop_name, run_event_loop

from vc_core.did import did_key_verification_method_id
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.postgres import throwaway_postgres

BASE_URL = "https://issuer.example.nl"
HOST = urlsplit(BASE_URL).netloc
ADMIN = {"Authorization": "Bearer development-only-admin-token"}
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
SOURCES = ("belastingdienst", "brp", "duo", "rdw")
DEMO_BSN = "999993653"


@dataclass
class Results:
    credential_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    credentials: int = 0
    errors: int = 0


class DeviceKeys:
    """The wallets' device keys (P-256, with their did:key ``kid``), each for one credential.

    A phone has its device key before it asks for a credential, so the keys are
    made before the measured run: making one (and its did:key) costs about 0.1 ms of
    CPU, on the cores the server is measured on. Each key is used once, as a new
    key per credential is (so the server never meets a key it has resolved before).
    When the keys made beforehand run out, a flow makes its own and they are counted.
    """

    def __init__(self, count: int = 0) -> None:
        self._keys = [self._make() for _ in range(count)]
        self.made_in_flows = 0

    @staticmethod
    def _make() -> tuple[KeyPair, str]:
        key = KeyPair.generate("P-256")
        return key, did_key_verification_method_id(key)

    @classmethod
    def for_run(cls, *, seconds: float, copies: int) -> DeviceKeys:
        """Enough keys for ``seconds`` of flows at well over the issue-17 targets
        (150 credentials/s single, 500/s in batches): 300/s, or 80 per copy per second."""
        return cls(int(seconds * max(300, 80 * copies)))

    def take(self) -> tuple[KeyPair, str]:
        if self._keys:
            return self._keys.pop()
        self.made_in_flows += 1
        return self._make()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def one_flow(
    http: LoopbackClient, source: str, copies: int, keys: DeviceKeys
) -> tuple[float, int]:
    """Run one offer → credentials flow; return (credential request ms, credentials)."""
    made = (
        await http.request(
            "POST", f"/admin/{source}/offers", json_body={"bsn": DEMO_BSN}, headers=ADMIN
        )
    ).json()
    offer_uri, tx_code = made["offer_uri"], made["tx_code"]
    by_reference = parse_qs(urlsplit(offer_uri).query)["credential_offer_uri"][0]
    offer = (await http.request("GET", by_reference)).json()
    issuer = offer["credential_issuer"]
    path = urlsplit(issuer).path
    metadata = (await http.request("GET", f"/.well-known/openid-credential-issuer{path}")).json()
    server = (await http.request("GET", f"/.well-known/oauth-authorization-server{path}")).json()
    code = offer["grants"][GRANT]["pre-authorized_code"]
    token = (
        await http.request(
            "POST",
            server["token_endpoint"],
            form={"grant_type": GRANT, "pre-authorized_code": code, "tx_code": tx_code},
        )
    ).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    nonce = (await http.request("POST", metadata["nonce_endpoint"])).json()["c_nonce"]
    proofs = []
    for _ in range(copies):
        key, kid = keys.take()
        claims = {"aud": issuer, "iat": int(time.time()), "nonce": nonce}
        proofs.append(sign_jws(claims, key, typ="openid4vci-proof+jwt", kid=kid))
    configuration = offer["credential_configuration_ids"][0]
    started = time.perf_counter()
    response = await http.request(
        "POST",
        metadata["credential_endpoint"],
        json_body={"credential_configuration_id": configuration, "proofs": {"jwt": proofs}},
        headers=auth,
    )
    elapsed = 1000 * (time.perf_counter() - started)
    issued = len(response.json()["credentials"])
    if issued != copies:
        raise HttpError(f"{issued} credentials for {copies} proofs")
    return elapsed, issued


async def wallet(
    port: int, copies: int, stop_at: float, results: Results, number: int, keys: DeviceKeys
) -> None:
    """Run flows one after the other, each on a connection of its own (a citizen's phone)."""
    turn = number
    while time.perf_counter() < stop_at:
        source = SOURCES[turn % len(SOURCES)]
        turn += 1
        started = time.perf_counter()
        http = LoopbackClient(port, host=HOST)
        try:
            credential_ms, count = await one_flow(http, source, copies, keys)
        except (HttpError, KeyError, IndexError, TypeError, ValueError) as exc:
            results.errors += 1
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        finally:
            http.close()
        results.credential_ms.append(credential_ms)
        results.flow_ms.append(1000 * (time.perf_counter() - started))
        results.credentials += count


def start_server(args: argparse.Namespace, folder: Path, port: int) -> subprocess.Popen[bytes]:
    command = shutil.which("blauwe-knop", path=str(Path(sys.executable).parent)) or "blauwe-knop"
    # The load comes from one address, far past the per-client rate limit: off here.
    environment = dict(
        os.environ, BLAUWE_KNOP_ISSUER_DEMO_PEOPLE="200", BLAUWE_KNOP_ISSUER_RATE_LIMITS="false"
    )
    if args.database_url:
        environment["BLAUWE_KNOP_ISSUER_DATABASE_URL"] = args.database_url
    process = subprocess.Popen(
        [
            command,
            "issuer",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(folder),
            "--demo",
            "--workers",
            str(args.workers),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "server.log").open("wb"),
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(folder / 'server.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/rdw/did.json", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def server_timings(log: Path) -> dict[str, list[float]]:
    """Server-side milliseconds per route, from the service's JSON access log."""
    routes: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "request":
            routes.setdefault(f"{entry['method']} {entry['route']}", []).append(entry["ms"])
    return routes


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def add_load_options(parser: argparse.ArgumentParser, *, seconds_help: str) -> None:
    """The options of the load itself: wallets, seconds, warm-up, workers and instances."""
    parser.add_argument(
        "--wallets", type=int, default=16, help="concurrent wallets (asyncio tasks)"
    )
    parser.add_argument("--seconds", type=float, default=20, help=seconds_help)
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured warm-up seconds")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per instance")
    parser.add_argument(
        "--instances", type=int, default=1, help="servers over one database (needs PostgreSQL)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_load_options(parser, seconds_help="measured duration")
    parser.add_argument("--copies", type=int, default=1, help="credentials per request (batch)")
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://… (default SQLite)")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    if args.instances > 1 and not (args.postgres or args.database_url):
        parser.error("several instances share one PostgreSQL database: add --postgres")
    with ExitStack() as stack:
        if args.postgres:
            args.database_url = stack.enter_context(throwaway_postgres())
        run(args)


def drive(
    ports: list[int],
    *,
    wallets: int,
    copies: int,
    seconds: float,
    keys: DeviceKeys | None = None,
) -> tuple[Results, float]:
    """Run ``wallets`` wallet tasks (wallet n on ``ports[n % len(ports)]``) for ``seconds``,
    with device keys from ``keys`` (default: made in the flows)."""
    results = Results()
    keys = keys or DeviceKeys()

    async def all_wallets() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                wallet(ports[n % len(ports)], copies, stop_at, results, n, keys)
                for n in range(wallets)
            )
        )

    started = time.perf_counter()
    run_event_loop(all_wallets())
    return results, time.perf_counter() - started


@contextmanager
def servers(args: argparse.Namespace, folder: Path) -> Iterator[list[int]]:
    """``args.instances`` servers over one database (each its own data folder); their ports."""
    ports = [free_port() for _ in range(args.instances)]
    with ExitStack() as stack:
        for number, port in enumerate(ports):
            instance = folder / f"instance-{number}"
            instance.mkdir(parents=True)
            process = start_server(args, instance, port)
            stack.callback(process.wait, timeout=30)
            stack.callback(process.terminate)
        yield ports


def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bk-bench-"))
    try:
        with servers(args, folder) as ports:
            drive(ports, wallets=args.wallets, copies=args.copies, seconds=args.warmup)
            keys = DeviceKeys.for_run(seconds=args.seconds, copies=args.copies)
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            results, elapsed = drive(
                ports, wallets=args.wallets, copies=args.copies, seconds=args.seconds, keys=keys
            )
            client_end = resource.getrusage(resource.RUSAGE_SELF)
        routes: dict[str, list[float]] = {}
        for log in folder.glob("instance-*/server.log"):
            for route, values in server_timings(log).items():
                routes.setdefault(route, []).extend(values)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    server = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_seconds = (client_end.ru_utime + client_end.ru_stime) - (
        client_cpu.ru_utime + client_cpu.ru_stime
    )
    print(
        f"wallets={args.wallets} copies={args.copies} instances={args.instances} "
        f"workers={args.workers} "
        f"database={'postgresql' if args.database_url else 'sqlite'} seconds={elapsed:.1f}"
    )
    print(f"credentials: {results.credentials} ({results.credentials / elapsed:.1f}/s)")
    print(f"flows:       {len(results.flow_ms)} ({len(results.flow_ms) / elapsed:.1f}/s)")
    print(
        f"credential request latency ms: p50 {percentile(results.credential_ms, 0.5):.0f}  "
        f"p99 {percentile(results.credential_ms, 0.99):.0f}  "
        f"mean {statistics.fmean(results.credential_ms or [float('nan')]):.0f}"
    )
    print(
        f"whole flow latency ms:         p50 {percentile(results.flow_ms, 0.5):.0f}  "
        f"p99 {percentile(results.flow_ms, 0.99):.0f}"
    )
    flows = len(results.flow_ms) + results.errors
    print(
        f"cpu: wallets {client_seconds / elapsed:.2f} cores, "
        f"{1000 * client_seconds / max(flows, 1):.2f} ms per flow ({event_loop_name()}); server "
        f"{(server.ru_utime + server.ru_stime) / (elapsed + args.warmup):.2f} cores"
        " (start-up included)"
    )
    print(f"errors: {results.errors}; device keys made during the run: {keys.made_in_flows}")
    print("server-side ms per route (warm-up included): count p50 p99")
    for route, values in sorted(routes.items()):
        print(
            f"  {route:50s} {len(values):6d} {percentile(values, 0.5):7.1f} "
            f"{percentile(values, 0.99):7.1f}"
        )


if __name__ == "__main__":
    main()
