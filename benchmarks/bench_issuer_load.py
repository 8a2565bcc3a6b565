"""Load benchmark of the issuer: concurrent wallets run the whole pre-authorized flow.

Starts ``blauwe-knop issuer serve --demo`` on a free loopback port (uvicorn,
``--workers`` processes, SQLite in a temporary folder unless
``--database-url`` is given), then runs ``--wallets`` threads. Each wallet
loops: the operator creates an offer (admin API), the wallet fetches it by
reference, reads both metadata documents, redeems the code with the tx_code,
gets a ``c_nonce``, and requests ``--copies`` ecdsa-sd-2023 credentials with
one proof JWT (own P-256 key) each. Prints credentials/s, p50/p99 latency of
the credential request and of the whole flow, and the error count. Not a test.

    python benchmarks/bench_issuer_load.py --wallets 16 --seconds 20 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from vc_core.did import did_key_verification_method_id
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair

BASE_URL = "https://issuer.example.nl"
ADMIN = {"Authorization": "Bearer development-only-admin-token"}
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
SOURCES = ("belastingdienst", "brp", "duo", "rdw")
DEMO_BSN = "999993653"


class Loopback(httpx.BaseTransport):
    """Sends the issuer's public https URLs to the local plain-http server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)


@dataclass
class Results:
    credential_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    credentials: int = 0
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def one_flow(http: httpx.Client, source: str, copies: int) -> tuple[float, int]:
    """Run one offer → credentials flow; return (credential request ms, credentials)."""
    made = http.post(f"/admin/{source}/offers", json={"bsn": DEMO_BSN}, headers=ADMIN)
    made.raise_for_status()
    offer_uri, tx_code = made.json()["offer_uri"], made.json()["tx_code"]
    offer = http.get(parse_qs(urlsplit(offer_uri).query)["credential_offer_uri"][0])
    offer.raise_for_status()
    issuer = offer.json()["credential_issuer"]
    path = urlsplit(issuer).path
    metadata = http.get(f"/.well-known/openid-credential-issuer{path}").json()
    server = http.get(f"/.well-known/oauth-authorization-server{path}").json()
    code = offer.json()["grants"][GRANT]["pre-authorized_code"]
    token = http.post(
        server["token_endpoint"],
        data={"grant_type": GRANT, "pre-authorized_code": code, "tx_code": tx_code},
    )
    token.raise_for_status()
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    nonce = http.post(metadata["nonce_endpoint"]).json()["c_nonce"]
    proofs = []
    for _ in range(copies):
        key = KeyPair.generate("P-256")
        claims = {"aud": issuer, "iat": int(time.time()), "nonce": nonce}
        proofs.append(
            sign_jws(
                claims, key, typ="openid4vci-proof+jwt", kid=did_key_verification_method_id(key)
            )
        )
    configuration = offer.json()["credential_configuration_ids"][0]
    started = time.perf_counter()
    response = http.post(
        metadata["credential_endpoint"],
        json={"credential_configuration_id": configuration, "proofs": {"jwt": proofs}},
        headers=auth,
    )
    elapsed = 1000 * (time.perf_counter() - started)
    response.raise_for_status()
    return elapsed, len(response.json()["credentials"])


def wallet(port: int, copies: int, stop_at: float, results: Results, number: int) -> None:
    with httpx.Client(transport=Loopback(port), base_url=BASE_URL, timeout=60) as http:
        turn = number
        while time.perf_counter() < stop_at:
            source = SOURCES[turn % len(SOURCES)]
            turn += 1
            started = time.perf_counter()
            try:
                credential_ms, count = one_flow(http, source, copies)
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                with results.lock:
                    results.errors += 1
                print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            with results.lock:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wallets", type=int, default=16, help="concurrent wallets (threads)")
    parser.add_argument("--copies", type=int, default=1, help="credentials per request (batch)")
    parser.add_argument("--seconds", type=float, default=20, help="measured duration")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured warm-up seconds")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://… (default SQLite)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bk-bench-"))
    port = free_port()
    process = start_server(args, folder, port)
    try:
        warmup = Results()
        threads = [
            threading.Thread(
                target=wallet,
                args=(port, args.copies, time.perf_counter() + args.warmup, warmup, n),
            )
            for n in range(args.wallets)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results = Results()
        client_cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=wallet, args=(port, args.copies, started + args.seconds, results, n)
            )
            for n in range(args.wallets)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        client_end = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        process.terminate()
        process.wait(timeout=30)
        routes = server_timings(folder / "server.log")
        shutil.rmtree(folder, ignore_errors=True)
    server = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_seconds = (client_end.ru_utime + client_end.ru_stime) - (
        client_cpu.ru_utime + client_cpu.ru_stime
    )
    print(
        f"wallets={args.wallets} copies={args.copies} workers={args.workers} "
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
    print(
        f"cpu: wallets {client_seconds / elapsed:.2f} cores; server "
        f"{(server.ru_utime + server.ru_stime) / (elapsed + args.warmup):.2f} cores"
        " (start-up included)"
    )
    print(f"errors: {results.errors}")
    print("server-side ms per route (warm-up included): count p50 p99")
    for route, values in sorted(routes.items()):
        print(
            f"  {route:50s} {len(values):6d} {percentile(values, 0.5):7.1f} "
            f"{percentile(values, 0.99):7.1f}"
        )


if __name__ == "__main__":
    main()
