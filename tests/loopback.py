"""Real ``blauwe-knop`` servers on 127.0.0.1 for the tests, and a transport that reaches them."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from blauwe_knop.servers import ServerError, run_until_ready

__all__ = ["Hosts", "blauwe_knop", "cli_server"]


def blauwe_knop() -> str:
    """The ``blauwe-knop`` console script of this interpreter's environment."""
    found = shutil.which("blauwe-knop", path=str(Path(sys.executable).parent))
    assert found is not None, "install the package (make setup) for the blauwe-knop command"
    return found


@contextmanager
def cli_server(
    args: Sequence[str], *, port: int, ready: str, env: Mapping[str, str], log: Path
) -> Iterator[str]:
    """Run ``blauwe-knop <args> --port <port>`` (output to ``log``) until the block ends.

    Yields the server's local URL once ``<url><ready>`` answers 200; fails the
    test when the process exits first or does not answer in time.
    """
    url = f"http://127.0.0.1:{port}"
    command = [blauwe_knop(), *args, "--port", str(port)]
    try:
        server = run_until_ready(command, dict(env), log, url + ready)
        with server:
            yield url
    except ServerError as exc:
        pytest.fail(f"{' '.join(args[:2])}: {exc}\n{log.read_text()}")


class Hosts(httpx.BaseTransport):
    """Sends requests for the public https hosts to their loopback servers (plain http)."""

    def __init__(self, ports: Mapping[str, int]) -> None:
        self._ports = dict(ports)
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        port = self._ports.get(request.url.host)
        if port is None:
            raise httpx.ConnectError(f"{request.url.host} is not served in this test")
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
