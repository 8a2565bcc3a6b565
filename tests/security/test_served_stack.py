"""The ``serve`` commands' HTTP stack: httptools on uvloop, with the header cap of the h11 days.

Both services answer 431 (``HEADERS_TOO_LARGE``) to a request line with headers
over 16 KiB and close the connection, and serve one just under it; a WebSocket upgrade
is not taken (neither has a WebSocket route), so it meets the same cap;
``test_slow_client_guards`` checks the cap's cases on a server in a thread. Their
processes run uvloop's event loop (``/proc/PID/maps`` lists its extension).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from .conftest import Service

LIMIT = 16 * 1024


def _exchange(port: int, request: bytes) -> bytes:
    """Send ``request`` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(30)
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


def _get(path: bytes, padding: int, extra: bytes = b"") -> bytes:
    """``GET path`` (``Connection: close``, ``extra`` header lines) whose request line and headers
    take ``padding`` more bytes than without the ``X-Padding`` field."""
    head = b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra
    return head + b"X-Padding: " + b"p" * (padding - 13) + b"\r\n\r\n"


@pytest.mark.parametrize("name", ["issuer", "landlord"])
def test_headers_over_16_kib_get_431_and_the_connection_closes(
    name: str, issuer: Service, landlord: Service
) -> None:
    service, path = {
        "issuer": (issuer, b"/brp/did.json"),
        "landlord": (landlord, b"/.well-known/did.json"),
    }[name]
    served = _exchange(service.port, _get(path, LIMIT - 200))
    assert served.startswith(b"HTTP/1.1 200 ")
    refused = _exchange(service.port, _get(path, LIMIT))
    head, _, body = refused.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"connection: close" in head.lower()
    assert json.loads(body)["code"] == "HEADERS_TOO_LARGE"


def test_a_websocket_upgrade_is_answered_as_http_with_the_same_header_cap(issuer: Service) -> None:
    upgrade = (
        b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    )
    served = _exchange(issuer.port, _get(b"/brp/did.json", 100, upgrade))
    assert served.startswith(b"HTTP/1.1 200 ")
    refused = _exchange(issuer.port, _get(b"/brp/did.json", LIMIT, upgrade))
    assert refused.startswith(b"HTTP/1.1 431 ")


@pytest.mark.parametrize("name", ["issuer", "landlord"])
def test_the_services_run_on_uvloop(name: str, issuer: Service, landlord: Service) -> None:
    service = {"issuer": issuer, "landlord": landlord}[name]
    maps = Path(f"/proc/{service.pid}/maps").read_text().splitlines()
    assert any("/uvloop/loop." in line.rpartition(" ")[2] for line in maps)
