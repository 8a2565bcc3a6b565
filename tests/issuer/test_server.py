"""Against a real server process on 127.0.0.1: the flow, concurrency, and the operator CLI."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vc_core.proofs import derive, verify
from vc_core.status import StatusList, check_status

from .conftest import RunningServer, blauwe_knop
from .issuer_wallet import TestWallet
from .support import DEMO_BSN, client_fetch, make_offer


def cli(server: RunningServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [blauwe_knop(), "issuer", *args],
        env=server.environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_full_flow_against_a_real_server(server: RunningServer) -> None:
    with server.client() as http:
        offer = make_offer(http, "belastingdienst")
        credentials = TestWallet(http).receive(offer["offer_uri"], offer["tx_code"], copies=2)
        assert len(credentials) == 2
        for credential in credentials:
            verify(derive(credential, selective_pointers=[]), fetch=client_fetch(http))


def test_concurrent_wallets_against_a_real_server(server: RunningServer) -> None:
    def one_wallet(source: str) -> list[str]:
        with server.client() as http:
            offer = make_offer(http, source)
            (credential,) = TestWallet(http).receive(offer["offer_uri"], offer["tx_code"])
            return [entry["id"] for entry in credential["credentialStatus"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        entries = [e for batch in pool.map(one_wallet, ["rdw", "brp"] * 8) for e in batch]
    assert len(entries) == 32
    assert len(set(entries)) == 32


def _socket_owners() -> dict[str, int]:
    """Socket inode -> the pid of a process that holds it (Linux /proc)."""
    owners: dict[str, int] = {}
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            target = os.readlink(fd)
        except OSError:  # gone, or not ours
            continue
        if target.startswith("socket:["):
            owners.setdefault(target[8:-1], int(fd.parts[2]))
    return owners


def _sockets_on(port: int, state: str) -> list[str]:
    """Inodes of this machine's TCP sockets whose local port is ``port``, in ``state``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                found.append(fields[9])
    return found


def test_two_workers_listen_each_on_a_socket_and_share_new_connections(
    server: RunningServer,
) -> None:
    """With ``--workers 2`` each worker accepts on a socket of its own (SO_REUSEPORT).

    On one shared socket, a worker that woke up took every waiting connection, and
    a load of short connections went mostly to one worker.
    """
    listen, established = "0A", "01"
    # The server answered once one worker was up; the other may still be starting.
    deadline = time.monotonic() + 60
    while len(_sockets_on(server.port, listen)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    owners = _socket_owners()
    workers = {owners[inode] for inode in _sockets_on(server.port, listen)}
    assert len(workers) == 2
    assert len(_sockets_on(server.port, listen)) == 2
    connections = []
    try:
        for _ in range(64):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            connection.sendall(b"GET /brp/did.json HTTP/1.1\r\nHost: issuer.example.nl\r\n\r\n")
            assert connection.recv(12) == b"HTTP/1.1 200"
            connections.append(connection)
        owners = _socket_owners()
        taken = [owners.get(inode) for inode in _sockets_on(server.port, established)]
        # A fair coin per connection: each worker takes at least a quarter (all but
        # certainly: fewer than 16 of 64 happens about once in 30,000 runs).
        assert {pid: taken.count(pid) >= 16 for pid in workers} == dict.fromkeys(workers, True)
    finally:
        for connection in connections:
            connection.close()


def test_kept_alive_requests_are_not_held_back_by_delayed_acks(server: RunningServer) -> None:
    """Two workers, one kept-alive connection: answers come at once.

    uvicorn writes a response's head and body as two writes; on a connection
    without ``TCP_NODELAY`` the second waited for the client's delayed ACK (Nagle),
    about 40 ms a request (the protocol now joins them, and uvloop sets
    ``TCP_NODELAY``). Without that stall a small answer takes a few milliseconds.
    """
    request = (
        b"GET /.well-known/openid-credential-issuer/rdw HTTP/1.1\r\nHost: issuer.example.nl\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.settimeout(30)
        answers = connection.makefile("rb")
        waits = []
        for _ in range(20):
            started = time.perf_counter()
            connection.sendall(request)
            assert answers.readline().startswith(b"HTTP/1.1 200 ")
            length = 0
            while (line := answers.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.partition(b":")[2])
            assert json.loads(answers.read(length))["credential_issuer"].endswith("/rdw")
            waits.append(time.perf_counter() - started)
    assert statistics.median(waits) < 0.020, waits


def test_operator_cli_against_the_server(server: RunningServer) -> None:
    made = cli(
        server,
        "offer",
        "--source",
        "rdw",
        "--bsn",
        DEMO_BSN,
        "--server",
        server.url,
        "--json",
        "--data-dir",
        str(server.data_dir),
    )
    assert made.returncode == 0, made.stderr
    printed = json.loads(made.stdout)
    assert set(printed) == {"offer_uri", "tx_code", "qr_png"}
    with server.client() as http:
        (credential,) = TestWallet(http).receive(printed["offer_uri"], printed["tx_code"])
        revoked = cli(server, "revoke", credential["id"], "--server", server.url)
        assert revoked.returncode == 0, revoked.stderr
        assert '"revocation": 1' in revoked.stdout
        entry = credential["credentialStatus"][0]
        listed = http.get(entry["statusListCredential"]).json()
        bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
        assert bits.get(int(entry["statusListIndex"])) == 1
        results = check_status(credential, fetch=client_fetch(http))
        assert not results[0].valid
    unknown = cli(server, "revoke", "urn:uuid:nope", "--server", server.url)
    assert unknown.returncode == 1
    assert "404" in unknown.stderr
