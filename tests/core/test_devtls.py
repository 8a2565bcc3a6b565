"""The development TLS certificate: made once, reused, replaced when it no longer fits, trusted."""

from __future__ import annotations

import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from vc_core.devtls import development_certificate

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _handshake(cert: Path, key: Path, host: str, client: ssl.SSLContext) -> str:
    """A real TLS handshake over loopback; the negotiated version (or the client's error)."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def accept() -> None:
            connection, _ = listener.accept()
            try:
                with server.wrap_socket(connection, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=accept)
        thread.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
                client.wrap_socket(raw, server_hostname=host) as tls,
            ):
                return str(tls.version())
        except ssl.SSLCertVerificationError as exc:
            return f"refused: {exc.verify_message}"
        finally:
            thread.join(timeout=10)


def test_made_once_then_reused(tmp_path: Path) -> None:
    folder = tmp_path / "tls"
    made = development_certificate(folder, "localhost", clock=lambda: NOW)
    assert made.status == "created"
    assert (made.cert_path, made.key_path) == (folder / "cert.pem", folder / "key.pem")
    assert made.key_path.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert made.not_after == NOW + timedelta(days=365)
    first = made.cert_path.read_bytes()
    later = development_certificate(folder, "LocalHost", clock=lambda: NOW + timedelta(days=200))
    assert later.status == "reused"
    assert later.cert_path.read_bytes() == first


def test_what_the_certificate_says(tmp_path: Path) -> None:
    made = development_certificate(tmp_path, "localhost")
    certificate = x509.load_pem_x509_certificate(made.cert_path.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert (constraints.value.ca, constraints.value.path_length) == (True, 0)
    assert certificate.issuer == certificate.subject
    other = development_certificate(tmp_path / "lan", "laptop.local")
    lan = x509.load_pem_x509_certificate(other.cert_path.read_bytes())
    lan_names = lan.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert lan_names.get_values_for_type(x509.DNSName) == ["laptop.local"]
    assert lan_names.get_values_for_type(x509.IPAddress) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("host", "replaced"),
        ("expiry", "replaced"),
        ("garbage", "replaced"),
        ("other key", "replaced"),
    ],
)
def test_replaced_when_it_no_longer_fits(tmp_path: Path, change: str, expected: str) -> None:
    made = development_certificate(tmp_path, "localhost", clock=lambda: NOW)
    host, when = "localhost", NOW
    if change == "host":
        host = "laptop.local"
    elif change == "expiry":
        when = NOW + timedelta(days=364, hours=12)
    elif change == "garbage":
        made.cert_path.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n")
    else:
        other = development_certificate(tmp_path / "other", "localhost")
        made.key_path.write_bytes(other.key_path.read_bytes())
    again = development_certificate(tmp_path, host, clock=lambda: when)
    assert again.status == expected
    assert again.key_path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
    certificate = x509.load_pem_x509_certificate(again.cert_path.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [host]


@pytest.mark.parametrize("host", ["192.168.1.20", "::1", "[::1]", "10.0.0.1.", "127.1"])
def test_ip_addresses_are_refused_because_of_did_web(tmp_path: Path, host: str) -> None:
    with pytest.raises(ValueError, match="did:web cannot use an IP address"):
        development_certificate(tmp_path, host)
    assert not tmp_path.joinpath("cert.pem").exists()


@pytest.mark.parametrize("host", ["", "bad_host", "-x.example", "a..b"])
def test_other_bad_hosts_are_refused(tmp_path: Path, host: str) -> None:
    with pytest.raises(ValueError, match="not a valid domain name"):
        development_certificate(tmp_path, host)


def test_a_client_that_trusts_cert_pem_completes_the_handshake(tmp_path: Path) -> None:
    made = development_certificate(tmp_path, "localhost")
    trusting = ssl.create_default_context(cafile=made.cert_path)
    assert _handshake(made.cert_path, made.key_path, "localhost", trusting).startswith("TLS")
    stranger = ssl.create_default_context()
    refused = _handshake(made.cert_path, made.key_path, "localhost", stranger)
    assert refused.startswith("refused: self-signed certificate")
    wrong_name = _handshake(made.cert_path, made.key_path, "laptop.local", trusting)
    assert wrong_name.startswith("refused: Hostname mismatch")
