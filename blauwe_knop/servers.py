"""Real servers on loopback for the demo: the issuer as a process, the landlord in a thread.

The services keep their public https identifiers (``https://issuer.example.nl``,
``https://verhuur.example.nl``, hence their did:web DIDs) while they listen on
plain http on 127.0.0.1. :class:`LoopbackTransport` gives one ``httpx.Client``
that reaches each public host on its local port, so the wallet and the
verifier talk to them exactly as they would on the internet.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

__all__ = [
    "ISSUER_BASE_URL",
    "ISSUER_HOST",
    "IssuerProcess",
    "LoopbackTransport",
    "ServerError",
    "blauwe_knop_command",
    "free_port",
    "issuer_process",
    "landlord_page_process",
    "run_until_ready",
    "serve_in_thread",
]

ISSUER_HOST = "issuer.example.nl"
ISSUER_BASE_URL = f"https://{ISSUER_HOST}"
_START_TIMEOUT = 90.0


class ServerError(RuntimeError):
    """A demo server did not start (its log says why)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LoopbackTransport(httpx.BaseTransport):
    """Sends requests for the given public hosts to plain-http servers on 127.0.0.1.

    Any other host is refused: the demo never reaches the internet.
    """

    def __init__(self, ports: Mapping[str, int]) -> None:
        self.ports = dict(ports)
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        port = self.ports.get(request.url.host)
        if port is None:
            raise httpx.ConnectError(
                f"{request.url.host} is not served on loopback", request=request
            )
        # Implementation note: a copy, so that cookies stay bound to the public https URL.
        local = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host="127.0.0.1", port=port),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self._inner.handle_request(local)

    def close(self) -> None:
        self._inner.close()


def blauwe_knop_command() -> list[str]:
    """The ``blauwe-knop`` console script of this interpreter's environment."""
    found = shutil.which("blauwe-knop", path=str(Path(sys.executable).parent))
    if found is None:
        return [sys.executable, "-c", "from blauwe_knop.cli import main; main()"]
    return [found]


@dataclass(frozen=True, slots=True)
class IssuerProcess:
    """A running ``blauwe-knop issuer serve --demo`` process."""

    process: subprocess.Popen[bytes]
    port: int
    admin_token: str
    log_path: Path


@contextmanager
def issuer_process(
    *, data_dir: Path, log_path: Path, admin_token: str, people: int = 50
) -> Iterator[IssuerProcess]:
    """Start the issuer service (demo registers and keys, SQLite in ``data_dir``) and stop it after.

    The public base URL is :data:`ISSUER_BASE_URL`; the status lists are served
    with a time-to-live of 0 so that a verifier sees a revocation at once.
    Raises :class:`ServerError` when the server does not answer within 90 s.
    """
    port = free_port()
    environment = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_MODE": "development",
        "BLAUWE_KNOP_ISSUER_BASE_URL": ISSUER_BASE_URL,
        "BLAUWE_KNOP_ISSUER_ADMIN_TOKEN": admin_token,
        "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": str(people),
        "BLAUWE_KNOP_ISSUER_STATUS_LIST_TTL_SECONDS": "0",
    }
    command = [
        *blauwe_knop_command(),
        *("issuer", "serve", "--demo", "--port", str(port), "--data-dir", str(data_dir)),
    ]
    with run_until_ready(
        command, environment, log_path, f"http://127.0.0.1:{port}/brp/did.json"
    ) as process:
        yield IssuerProcess(process, port, admin_token, log_path)


@contextmanager
def landlord_page_process(*, data_dir: Path, log_path: Path, issuer_port: int) -> Iterator[str]:
    """Start the landlord's page (``blauwe-knop verifier serve``); yield its local URL.

    The page fetches the issuer's did:web documents and status lists from the
    issuer process on ``issuer_port``, and trusts the tax office's published
    sealing certificate for uploaded PDFs.
    """
    port = free_port()
    local_issuer = f"http://127.0.0.1:{issuer_port}"
    certificate = data_dir / "belastingdienst-seal.pem"
    data_dir.mkdir(parents=True, exist_ok=True)
    answer = httpx.get(f"{local_issuer}/belastingdienst/seal-certificate.pem", timeout=30)
    certificate.write_bytes(answer.raise_for_status().content)
    command = [
        *blauwe_knop_command(),
        *("verifier", "serve", "--port", str(port), "--data-dir", str(data_dir)),
        *("--route", f"{ISSUER_BASE_URL}={local_issuer}"),
        *("--seal-certificate", str(certificate)),
    ]
    url = f"http://127.0.0.1:{port}"
    with run_until_ready(command, dict(os.environ), log_path, url + "/"):
        yield url


@contextmanager
def run_until_ready(
    command: list[str],
    environment: dict[str, str],
    log_path: Path,
    ready_url: str,
    *,
    verify: bool | ssl.SSLContext = True,
    trust: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command``, output to ``log_path``; yield once ``ready_url`` answers 200; stop it after.

    ``verify`` is how an https ``ready_url``'s certificate is checked (a context
    trusting a self-signed one, for example); ``trust`` instead names a
    certificate file the server makes itself when it starts (``--dev-tls``).
    Raises ``ServerError`` when the process exits first or does not answer in time.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(process, ready_url, log_path, verify, trust)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(
    process: subprocess.Popen[bytes],
    url: str,
    log_path: Path,
    verify: bool | ssl.SSLContext,
    trust: Path | None,
) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise ServerError(f"the server exited with {process.returncode}; see {log_path}")
        try:
            if trust is not None:
                verify = ssl.create_default_context(cafile=trust)
            if httpx.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except (httpx.TransportError, FileNotFoundError):
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"{url} did not answer within {_START_TIMEOUT:.0f} s")
        time.sleep(0.2)


@contextmanager
def serve_in_thread(app: FastAPI, *, port: int) -> Iterator[str]:
    """Serve ``app`` with uvicorn on ``127.0.0.1:port`` in a thread; yield its local URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ServerError(f"the server on port {port} did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
