"""The compact SD-JWT and SD-JWT+KB serializations: parts joined by ``~``.

``<Issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~<optional KB-JWT>``

Spec: rfc9901#name-sd-jwt-and-sd-jwtkb-data-fo
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vc_core.errors import JwsError, SdJwtError
from vc_core.hazmat.sd_jwt.disclosures import (
    DEFAULT_SD_ALG,
    SD_ALG_CLAIM,
    SD_ALGS,
    Disclosure,
    parse_disclosure,
)
from vc_core.jws import UnverifiedJws, parse_jws

__all__ = ["MAX_SD_JWT_CHARS", "UnverifiedSdJwt", "parse_sd_jwt", "serialize_sd_jwt"]

MAX_SD_JWT_CHARS = 1024 * 1024
"""Default cap on an untrusted SD-JWT's length (1 MiB); longer ones are refused unread."""

_SEPARATOR = "~"


@dataclass(frozen=True, slots=True)
class UnverifiedSdJwt:
    """A parsed SD-JWT or SD-JWT+KB whose signatures and digests have NOT been checked.

    ``issuer_jwt`` is the Issuer-signed JWT as sent and ``jws`` its parsed
    parts; ``disclosures`` are in the order sent; ``key_binding_jwt`` is the
    KB-JWT text, or ``None`` for a plain SD-JWT (ending in ``~``).
    """

    issuer_jwt: str
    jws: UnverifiedJws
    disclosures: tuple[Disclosure, ...]
    key_binding_jwt: str | None
    sd_alg: str

    @property
    def sd_jwt(self) -> str:
        """The SD-JWT without its KB-JWT, ending in ``~`` (what ``sd_hash`` covers)."""
        return serialize_sd_jwt(self.issuer_jwt, [d.encoded for d in self.disclosures])


def serialize_sd_jwt(issuer_jwt: str, disclosures: Sequence[str], key_binding_jwt: str = "") -> str:
    """Join an Issuer-signed JWT, Disclosures and an optional KB-JWT with ``~``.

    Without a KB-JWT the result ends in ``~`` (an SD-JWT); with one it is an
    SD-JWT+KB.

    Spec: rfc9901#name-sd-jwt-and-sd-jwtkb-data-fo
    """
    # Implementation note: the Issuer-signed JWT, then each Disclosure followed by ~.
    return _SEPARATOR.join((issuer_jwt, *disclosures, key_binding_jwt))


def parse_sd_jwt(text: object, *, max_chars: int = MAX_SD_JWT_CHARS) -> UnverifiedSdJwt:
    """Split an untrusted SD-JWT or SD-JWT+KB and parse its parts (no signature checks).

    Raises ``SdJwtError``: ``INVALID_SD_JWT`` for a malformed serialization,
    Issuer-signed JWT or ``_sd_alg`` we do not support; ``INVALID_DISCLOSURE``
    for a malformed Disclosure.

    Spec: rfc9901#name-verification-of-the-sd-jwt
    """
    if not isinstance(text, str):
        raise SdJwtError(f"an SD-JWT is a string, got {type(text).__name__}")
    if len(text) > max_chars:
        raise SdJwtError(f"the SD-JWT is longer than {max_chars} characters")
    if _SEPARATOR not in text:
        raise SdJwtError("an SD-JWT has at least one '~' after the Issuer-signed JWT")
    # Step 1: separate the Issuer-signed JWT, the Disclosures and the optional KB-JWT.
    issuer_jwt, *disclosure_texts, key_binding_jwt = text.split(_SEPARATOR)
    if any(not part for part in disclosure_texts):
        raise SdJwtError("an SD-JWT has an empty Disclosure ('~~')")
    try:
        jws = parse_jws(issuer_jwt, allow_x5c=True, max_chars=max_chars)
    except JwsError as exc:
        raise SdJwtError(f"the Issuer-signed JWT is malformed: {exc.detail}") from exc
    # Implementation note: _sd_alg chooses the digest; only ones we know are accepted.
    sd_alg = jws.payload.get(SD_ALG_CLAIM, DEFAULT_SD_ALG)
    if not isinstance(sd_alg, str) or sd_alg not in SD_ALGS:
        raise SdJwtError(f"_sd_alg {sd_alg!r} is not a supported hash algorithm")
    disclosures = tuple(parse_disclosure(part, sd_alg) for part in disclosure_texts)
    return UnverifiedSdJwt(issuer_jwt, jws, disclosures, key_binding_jwt or None, sd_alg)
