"""Settings of the issuer service (environment, ``.env``, or keyword arguments).

Every setting is read from ``BLAUWE_KNOP_ISSUER_<NAME>`` (e.g.
``BLAUWE_KNOP_ISSUER_DATABASE_URL``) or a ``.env`` file. In ``production`` mode
the service refuses development secrets, demo keys, demo data and the demo
login; :meth:`IssuerSettings.demo` gives the notebook set-up (in-memory
SQLite, fixed demo keys, seeded registers).

>>> settings = IssuerSettings.demo()
>>> settings.issuer_identifier("belastingdienst")
'https://issuer.example.nl/belastingdienst'
>>> settings.issuer_dids()["rdw"]
'did:web:issuer.example.nl:rdw'
"""

from __future__ import annotations

import itertools
import math
import secrets
import string
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from vc_core.did import check_did_web_host
from vc_core.errors import DidResolutionError
from vc_core.limits import Rate

__all__ = [
    "DEVELOPMENT_ADMIN_TOKEN",
    "DEVELOPMENT_PASSPHRASE",
    "MIN_SECRET_BITS",
    "SOURCE_NAMES",
    "IssuerSettings",
    "did_web_for",
    "estimated_entropy_bits",
    "settings_problem",
]

DEVELOPMENT_PASSPHRASE = "development-only-passphrase"
"""The key passphrase a development set-up uses; refused in production."""
DEVELOPMENT_ADMIN_TOKEN = "development-only-admin-token"
"""The admin bearer token a development set-up uses; refused in production."""
SOURCE_NAMES: tuple[str, ...] = ("brp", "belastingdienst", "duo", "rdw")
"""The four sources, in the order they are listed."""

_MIN_PASSPHRASE = 16
_MIN_ADMIN_TOKEN = 32
MIN_SECRET_BITS = 80
"""The least estimated entropy (:func:`estimated_entropy_bits`) of a production secret."""
_CLASSES = (
    (string.ascii_lowercase, 26),
    (string.ascii_uppercase, 26),
    (string.digits, 10),
    (string.punctuation + " ", 33),
)
_NON_ASCII_POOL = 100


def estimated_entropy_bits(secret: str) -> float:
    """A cautious estimate of how many bits of entropy ``secret`` has.

    Each character counts the bits of one draw from the character classes the
    secret uses (lower case 26, upper case 26, digits 10, other ASCII 33,
    anything else 100), except a character that repeats the one before it or
    steps one code point from it (``aa``, ``ab``, ``43``), which counts 1 bit.
    The sum is capped by the length times the secret's own per-character
    Shannon entropy, so a repeated pattern (``abcabc…``) or few distinct
    characters gain little. Dictionary words are not recognised: it refuses
    the obviously weak, it does not prove strength.

    >>> round(estimated_entropy_bits("a" * 20))
    0
    >>> estimated_entropy_bits("k3P!x9Qz@7mW#2vL$8nR") > MIN_SECRET_BITS
    True
    """
    if not secret:
        return 0.0
    pool = sum(size for chars, size in _CLASSES if any(c in chars for c in secret))
    if any(not c.isascii() for c in secret):
        pool += _NON_ASCII_POOL
    per_draw = math.log2(pool)
    bits = per_draw
    for previous, current in itertools.pairwise(secret):
        bits += 1.0 if abs(ord(current) - ord(previous)) <= 1 else per_draw
    counts = Counter(secret)
    shannon = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return min(bits, shannon * len(secret))


def _check_secret(name: str, value: str, *, development: str, min_length: int) -> None:
    """Refuse a production secret that is the development one, short, or guessable."""
    if value == development:
        raise ValueError(f"production needs its own {name}, not the development one")
    bits = max(0.0, estimated_entropy_bits(value))
    if len(value) < min_length or bits < MIN_SECRET_BITS:
        raise ValueError(
            f"production needs {name} to have at least {min_length} characters and "
            f"{MIN_SECRET_BITS} bits of estimated entropy (this one: {len(value)} characters, "
            f"about {bits:.0f} bits). Repeated characters, runs such as 'abc' or '123' and "
            "a short repeated pattern count for little; use about 24 random characters "
            "(for example: openssl rand -base64 24) or seven random words"
        )


def _rate(value: object) -> object:
    return Rate.parse(value) if isinstance(value, str) else value


RateSetting = Annotated[Rate, NoDecode, BeforeValidator(_rate)]
"""A rate written ``"<count>/<second|minute|hour|day>"`` (in the environment as such)."""


def did_web_for(base_url: str, source: str) -> str:
    """Return the path-form did:web DID of ``source`` under ``base_url``.

    The host is lower-cased, a port becomes ``%3A<port>`` and every path segment
    (the base URL's, then the source) a ``:``-separated part.

    >>> did_web_for("https://localhost:8443", "duo")
    'did:web:localhost%3A8443:duo'
    """
    parts = urlsplit(base_url)
    if parts.hostname is None:
        raise ValueError(f"base URL {base_url!r} has no host")
    host = parts.hostname.lower()
    if parts.port is not None:
        host += f"%3A{parts.port}"
    segments = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments, source])


def settings_problem(error: ValueError) -> str:
    """What is wrong with refused settings, one ``field: reason`` per problem, on one line."""
    if not isinstance(error, ValidationError):
        return str(error)
    return "; ".join(
        f"{'.'.join(map(str, problem['loc'])) or 'settings'}: "
        + str(problem["msg"]).removeprefix("Value error, ")
        for problem in error.errors()
    )


class IssuerSettings(BaseSettings):
    """The issuer service's configuration; see the module docstring for sources and rules."""

    model_config = SettingsConfigDict(
        env_prefix="BLAUWE_KNOP_ISSUER_", env_file=".env", extra="ignore", frozen=True
    )

    base_url: str = Field(
        default="https://issuer.example.nl",
        description="Public https URL of the service; each source lives at <base_url>/<source>.",
    )
    data_dir: Path = Field(
        default=Path("issuer-data"), description="Folder for SQLite and QR files."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file issuer.db in data_dir."
    )
    key_passphrase: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_PASSPHRASE),
        description="Encrypts the issuer keys at rest (scrypt -> AES-256-GCM).",
    )
    mode: Literal["development", "production"] = "development"
    admin_token: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_ADMIN_TOKEN),
        description="Bearer token of the admin endpoints.",
    )
    sources: tuple[str, ...] = Field(
        default=SOURCE_NAMES, description="The sources this service runs."
    )
    demo_data: bool = Field(
        default=False, description="Load the synthetic demo registers at start."
    )
    demo_people: int = Field(default=2000, ge=1, le=200_000)
    demo_keys: bool = Field(default=False, description="Use the fixed, public demo issuer keys.")
    demo_login: bool | None = Field(
        default=None, description="Offer the local demo login; default: on in development only."
    )
    offer_ttl_seconds: int = Field(default=600, ge=60, le=3600)
    token_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    nonce_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    tx_code_max_attempts: int = Field(default=5, ge=1, le=10)
    batch_size: int = Field(default=10, ge=2, le=100)
    status_list_ttl_seconds: int = Field(default=300, ge=0, le=86_400)
    status_list_validity_hours: int = Field(default=24, ge=1, le=24 * 30)
    deferred_interval_seconds: int = Field(default=5, ge=1, le=3600)
    api_docs: bool | None = Field(
        default=None,
        description="Serve /docs and /openapi.json; default: on in development, off in production.",
    )
    rate_limits: bool = Field(
        default=True, description="Apply the rate limits below (429 with Retry-After)."
    )
    client_rate: RateSetting = Field(
        default=Rate(600, 60.0),
        description="Requests with a body (POST, PUT, PATCH, DELETE) per client address.",
    )
    citizen_offer_rate: RateSetting = Field(
        default=Rate(30, 3600.0),
        description="Wallet offers a logged-in citizen creates (portal and Basis API).",
    )
    plus_anonymous_rate: RateSetting = Field(
        default=Rate(30, 60.0),
        description="Refused Plus fetches per client before it authenticates; then 429.",
    )
    extra_contexts_dir: Path | None = Field(
        default=None,
        description=(
            "Folder of extra JSON-LD contexts the VC API accepts, listed in its manifest.json "
            "as {url, file, sha256} (the bundled manifest's format); never fetched."
        ),
    )

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("base_url must be an https URL with a host")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not have a query or fragment")
        try:
            check_did_web_host(parts.hostname)
        except DidResolutionError as exc:
            raise ValueError(f"the sources' did:web DIDs are made from it: {exc.detail}") from None
        return value.rstrip("/")

    @field_validator("sources")
    @classmethod
    def _check_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sources must be a non-empty list without repeats")
        return value

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Self:
        if self.mode != "production":
            return self
        _check_secret(
            "key_passphrase",
            self.key_passphrase.get_secret_value(),
            development=DEVELOPMENT_PASSPHRASE,
            min_length=_MIN_PASSPHRASE,
        )
        _check_secret(
            "admin_token",
            self.admin_token.get_secret_value(),
            development=DEVELOPMENT_ADMIN_TOKEN,
            min_length=_MIN_ADMIN_TOKEN,
        )
        if self.demo_keys or self.demo_data or self.demo_login:
            raise ValueError("demo keys, demo data and the demo login are for development only")
        return self

    @classmethod
    def demo(cls, **overrides: object) -> IssuerSettings:
        """Settings for notebooks and tests: in-memory SQLite, fixed demo keys, seeded registers.

        Each call gets its own in-memory database (shared by everything built from
        the returned settings in this process).
        """
        values: dict[str, object] = {
            "mode": "development",
            "data_dir": Path(tempfile.gettempdir()) / "blauwe-knop-demo",
            "database_url": f"sqlite:///file:bk-demo-{secrets.token_hex(8)}?mode=memory&uri=true",
            "key_passphrase": SecretStr(DEVELOPMENT_PASSPHRASE),
            "admin_token": SecretStr(DEVELOPMENT_ADMIN_TOKEN),
            "demo_data": True,
            "demo_people": 200,
            "demo_keys": True,
        }
        values.update(overrides)
        return cls.model_validate(values)

    @property
    def resolved_database_url(self) -> str:
        """The database URL: ``database_url`` or ``sqlite:///<data_dir>/issuer.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'issuer.db').resolve()}"

    @property
    def api_docs_enabled(self) -> bool:
        """Whether ``/docs``, ``/redoc`` and ``/openapi.json`` are served."""
        return self.mode == "development" if self.api_docs is None else self.api_docs

    @property
    def demo_login_enabled(self) -> bool:
        """Whether the local demo login is served."""
        return self.mode == "development" if self.demo_login is None else self.demo_login

    def issuer_identifier(self, source: str) -> str:
        """The Credential Issuer Identifier of ``source``: ``<base_url>/<source>``."""
        return f"{self.base_url}/{source}"

    def issuer_did(self, source: str) -> str:
        """The did:web DID of ``source`` (path form, one host for all sources)."""
        return did_web_for(self.base_url, source)

    def issuer_dids(self) -> dict[str, str]:
        """Every configured source with its did:web DID (a wallet's trusted issuers)."""
        return {source: self.issuer_did(source) for source in self.sources}
