"""A self-signed TLS certificate for running a service in development under its own host name.

``blauwe-knop issuer serve --dev-tls`` and ``blauwe-knop verifier serve
--dev-tls`` serve https with the certificate :func:`development_certificate`
keeps in ``<data-dir>/tls/``: ``cert.pem`` and ``key.pem`` (mode 0600), made
once and reused while they name the same host and are valid for another day.
A client trusts it by taking ``cert.pem`` as its trust anchor (``curl
--cacert``, ``SSL_CERT_FILE`` for Python and httpx, ``NODE_EXTRA_CA_CERTS`` for
Node.js, "install a CA certificate" on a phone).

The certificate is its own CA (``CA:TRUE``, path length 0, key usages
``digitalSignature`` and ``keyCertSign``) and names the host in its subject
alternative names; phones install only CA certificates as trust anchors, and
TLS libraries accept such a certificate as the server's own. For ``localhost``
it also names ``127.0.0.1`` and ``::1``. IP addresses are not accepted as the
host: did:web, which the services' identifiers use, refuses them.

>>> import tempfile
>>> from pathlib import Path
>>> made = development_certificate(Path(tempfile.mkdtemp()) / "tls", "localhost")
>>> made.status, made.host, oct(made.key_path.stat().st_mode & 0o777)
('created', 'localhost', '0o600')
>>> development_certificate(made.cert_path.parent, "localhost").status
'reused'
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vc_core.did import check_did_web_host
from vc_core.errors import DidResolutionError

__all__ = [
    "CERT_FILE",
    "KEY_FILE",
    "DevelopmentCertificate",
    "development_certificate",
    "is_loopback",
    "serving_problem",
]

CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"
_VALIDITY = timedelta(days=365)
_RENEW_BEFORE = timedelta(days=1)
_BACKDATE = timedelta(hours=1)
_LOOPBACK = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))


@dataclass(frozen=True, slots=True)
class DevelopmentCertificate:
    """Where the certificate and key are, the host they serve, and what was done.

    ``status`` is ``created`` (there was none), ``reused``, or ``replaced`` (the
    old one named another host, expired within a day, or could not be read).
    """

    cert_path: Path
    key_path: Path
    host: str
    not_after: datetime
    status: Literal["created", "reused", "replaced"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_host(host: str) -> str:
    name = host.strip().lower().rstrip(".")
    try:
        check_did_web_host(name)
    except DidResolutionError as exc:
        raise ValueError(exc.detail) from None
    return name


def _usable(folder: Path, host: str, now: datetime) -> datetime | None:
    """The expiry of a certificate in ``folder`` that still serves ``host``, else ``None``."""
    try:
        certificate = x509.load_pem_x509_certificate((folder / CERT_FILE).read_bytes())
        key = serialization.load_pem_private_key((folder / KEY_FILE).read_bytes(), None)
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (OSError, ValueError, TypeError, x509.ExtensionNotFound):
        return None
    matches = host in names.value.get_values_for_type(x509.DNSName)
    same_key = key.public_key() == certificate.public_key()
    not_after = certificate.not_valid_after_utc
    if not (matches and same_key and now + _RENEW_BEFORE < not_after):
        return None
    return not_after


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600) through a temporary file, so no half file stays."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def development_certificate(
    folder: Path, host: str, *, clock: Callable[[], datetime] = _utc_now
) -> DevelopmentCertificate:
    """Return the development certificate for ``host`` in ``folder``, making it if needed.

    ``ValueError`` when ``host`` is an IP address or not a host name; ``OSError``
    when the folder cannot be written.
    """
    name = _check_host(host)
    now = clock()
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    existed = cert_path.exists() or key_path.exists()
    not_after = _usable(folder, name, now)
    if not_after is not None:
        return DevelopmentCertificate(cert_path, key_path, name, not_after, "reused")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "blauwe-knop development"),
        ]
    )
    addresses = [x509.IPAddress(ip) for ip in _LOOPBACK] if name == "localhost" else []
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    not_after = now + _VALIDITY
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name), *addresses]), critical=False
        )
        .add_extension(identifier, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(identifier),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    cert_path.chmod(0o644)
    return DevelopmentCertificate(
        cert_path, key_path, name, not_after, "replaced" if existed else "created"
    )


def is_loopback(host: str) -> bool:
    """Whether a listening address is this computer only (``localhost``, ``127.0.0.1``, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serving_problem(
    *, host: str, dev_tls: bool, certfile: Path | None, keyfile: Path | None
) -> str | None:
    """Why a service cannot listen with these options, or ``None``.

    ``--dev-tls`` brings its own certificate; plain http is served on a
    loopback address only.
    """
    if dev_tls and (certfile is not None or keyfile is not None):
        return "--dev-tls makes its own certificate; leave out --ssl-certfile and --ssl-keyfile"
    tls = dev_tls or (certfile is not None and keyfile is not None)
    if not tls and not is_loopback(host):
        return (
            "plain http is only served on a loopback address; "
            "give --dev-tls or --ssl-certfile/--ssl-keyfile"
        )
    return None
