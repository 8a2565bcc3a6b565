"""X.509 adapter: an ``x5c`` certificate chain validated to a configured trust anchor.

cryptography's RFC 5280 path validation (``cryptography.x509.verification``)
builds and checks the chain: signatures, validity at the given time, CA
constraints. The CA certificates follow the Web PKI profile; the end-entity
certificate may carry any extended key usage (an issuer's signing
certificate is not a TLS server certificate). The caller checks that the leaf
names the issuer (:func:`leaf_names`).

Every function raises ``ValueError`` on bad input; callers translate it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509 import verification

__all__ = ["Certificate", "ValidatedChain", "leaf_names", "load_certificate", "verify_chain"]

Certificate = x509.Certificate

# Implementation note: issuer chains are short; refuse long ones unread.
_MAX_CHAIN = 5
_MAX_CERT_CHARS = 16 * 1024
_CURVES: dict[str, Literal["P-256", "P-384"]] = {"secp256r1": "P-256", "secp384r1": "P-384"}


def load_certificate(data: bytes | str) -> x509.Certificate:
    """Load a trusted certificate from PEM text or DER bytes (a configured anchor)."""
    raw = data.encode() if isinstance(data, str) else data
    if raw.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(raw)
    return x509.load_der_x509_certificate(raw)


def _certificate_from_x5c(value: object) -> x509.Certificate:
    """One ``x5c`` member: standard base64 (not base64url) of DER."""
    if not isinstance(value, str) or not value or len(value) > _MAX_CERT_CHARS:
        raise ValueError("an x5c member is a non-empty base64 string")
    try:
        return x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"an x5c member is not a base64 DER certificate: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ValidatedChain:
    """A chain that validated: its leaf, the leaf's key, and when the first certificate expires."""

    leaf: x509.Certificate
    curve: Literal["P-256", "P-384", "Ed25519"]
    key: bytes
    not_after: datetime


def verify_chain(
    x5c: object, anchors: Sequence[x509.Certificate], *, now: datetime
) -> ValidatedChain:
    """Validate an untrusted ``x5c`` (leaf first) to one of ``anchors`` at time ``now``.

    Returns the leaf with its public key (SEC1 compressed point or raw Ed25519
    bytes; only P-256, P-384 and Ed25519 leaf keys are accepted) and the
    earliest expiry in the validated chain.

    Spec: rfc7515#section-4.1.6
    """
    if not isinstance(x5c, list) or not 1 <= len(x5c) <= _MAX_CHAIN:
        raise ValueError(f"x5c is an array of 1 to {_MAX_CHAIN} certificates")
    if not anchors:
        raise ValueError("no trust anchors are configured")
    leaf, *intermediates = [_certificate_from_x5c(item) for item in x5c]
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(list(anchors)))
        .time(now)
        .max_chain_depth(_MAX_CHAIN)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
        .build_client_verifier()
    )
    try:
        chain = verifier.verify(leaf, intermediates).chain
    except verification.VerificationError as exc:
        raise ValueError(f"the x5c chain does not validate: {exc}") from exc
    not_after = min(certificate.not_valid_after_utc for certificate in chain)
    key = leaf.public_key()
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ValidatedChain(leaf, "Ed25519", key.public_bytes_raw(), not_after)
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in _CURVES:
        point = key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return ValidatedChain(leaf, _CURVES[key.curve.name], point, not_after)
    raise ValueError("the x5c leaf key is not P-256, P-384 or Ed25519")


def leaf_names(leaf: x509.Certificate) -> tuple[frozenset[str], frozenset[str]]:
    """The leaf's subjectAltName DNS names (lower case) and URIs."""
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return frozenset(), frozenset()
    dns = frozenset(name.lower() for name in names.get_values_for_type(x509.DNSName))
    uris = frozenset(names.get_values_for_type(x509.UniformResourceIdentifier))
    return dns, uris
