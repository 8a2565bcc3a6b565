"""Real servers on loopback for the regression tests of the attacker's probe.

- ``issuer``: ``blauwe-knop issuer serve --demo`` in one worker process (so that the
  memory measured is the memory that served the requests), SQLite in a temporary
  folder, rate limits off unless a test module starts its own;
- ``landlord``: ``blauwe-knop verifier serve`` with the demo issuer routed to it.

:class:`Service` reads a server process's resident memory from ``/proc``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from blauwe_knop.servers import ServerError, blauwe_knop_command, run_until_ready
from tests.issuer.support import TEST_PEOPLE, free_port

ISSUER_HOST = "issuer.example.nl"
LANDLORD_HOST = "verhuur.example.nl"


@dataclass(frozen=True)
class Service:
    """A server process on 127.0.0.1."""

    url: str
    port: int
    pid: int
    data_dir: Path
    log: Path

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"{field} missing in /proc/{self.pid}/status")

    def peak_memory(self) -> int:
        """The largest resident memory the process ever had (``VmHWM``), in bytes."""
        return self._status("VmHWM")

    def memory(self) -> int:
        """The process's resident memory now (``VmRSS``), in bytes."""
        return self._status("VmRSS")


def serve(
    args: list[str], *, ready: str, data_dir: Path, env: Mapping[str, str]
) -> Iterator[Service]:
    """Run ``blauwe-knop <args> --port P --data-dir D`` until the block ends."""
    port = free_port()
    log = data_dir / "server.log"
    command = [*blauwe_knop_command(), *args, "--port", str(port), "--data-dir", str(data_dir)]
    url = f"http://127.0.0.1:{port}"
    try:
        with run_until_ready(command, dict(env), log, url + ready) as process:
            yield Service(url, port, process.pid, data_dir, log)
    except ServerError as exc:
        pytest.fail(f"{' '.join(args[:2])}: {exc}\n{log.read_text()}")


def issuer_process(
    tmp_path_factory: pytest.TempPathFactory, *, demo: bool = True, **settings: str
) -> Iterator[Service]:
    """``blauwe-knop issuer serve [--demo]`` in one worker process, SQLite in a fresh folder,
    with ``settings`` as ``BLAUWE_KNOP_ISSUER_*`` variables."""
    env = {**os.environ, "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": str(TEST_PEOPLE)}
    env.pop("BLAUWE_KNOP_ISSUER_DATABASE_URL", None)
    env |= {f"BLAUWE_KNOP_ISSUER_{name.upper()}": value for name, value in settings.items()}
    yield from serve(
        ["issuer", "serve", *(["--demo"] if demo else []), "--workers", "1"],
        ready="/brp/did.json",
        data_dir=tmp_path_factory.mktemp("issuer") / "data",
        env=env,
    )


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The demo issuer in one worker process, rate limits off."""
    yield from issuer_process(tmp_path_factory, rate_limits="false")


@pytest.fixture(scope="session")
def landlord(issuer: Service, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The landlord's page, fetching the demo issuer's documents from ``issuer``."""
    yield from serve(
        ["verifier", "serve", "--route", f"https://{ISSUER_HOST}={issuer.url}"],
        ready="/.well-known/did.json",
        data_dir=tmp_path_factory.mktemp("landlord") / "data",
        env=dict(os.environ),
    )
