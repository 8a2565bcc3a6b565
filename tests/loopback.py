"""Real ``blauwe-knop`` servers on 127.0.0.1 for the tests, a transport that reaches them,
and throw-away TLS certificates for test servers."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from blauwe_knop.servers import ServerError, run_until_ready

__all__ = ["Hosts", "blauwe_knop", "cli_server", "tls_files"]


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


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def tls_files(
    folder: Path, names: Sequence[str] = ("localhost",), addresses: Sequence[str] = ()
) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate it signed for ``names`` and ``addresses``:
    (ca.pem, cert.pem, key.pem) in ``folder``."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=7)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("test CA"))
        .issuer_name(_name("test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    alternative: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alternative += [x509.IPAddress(ipaddress.ip_address(address)) for address in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths
