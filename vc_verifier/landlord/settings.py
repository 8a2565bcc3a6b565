"""Settings of the landlord's page: where it is reachable, whom it trusts, where it keeps data.

>>> settings = LandlordSettings()
>>> settings.did, settings.client_id
('did:web:verhuur.example.nl', 'decentralized_identifier:did:web:verhuur.example.nl')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from cryptography import x509

from vc_core.did import check_did_web_host
from vc_core.errors import DidResolutionError
from vc_core.limits import Rate
from vc_verifier.policy.housing import INCOME_VCT

__all__ = ["DEMO_TRUSTED_ISSUERS", "LandlordSettings"]

DEMO_TRUSTED_ISSUERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"did:web:issuer.example.nl:belastingdienst": ("InkomensverklaringCredential", INCOME_VCT)}
)
"""The demo tax office, trusted for income statements only (both formats)."""
_CHECKS_PER_DESK = Rate(30, 3600.0)
_CHECKS_PER_CLIENT = Rate(120, 3600.0)
_CLIENT_RATE = Rate(600, 60.0)


def _check_base(url: str, what: str, *, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"{what} must be a {'/'.join(schemes)} URL with a host, got {url!r}")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ValueError(f"{what} must be a bare origin (no path, query or fragment): {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True, slots=True)
class LandlordSettings:
    """How one landlord's page runs.

    ``public_url`` is the https origin wallets reach (its did:web DID is the
    client_id). ``data_dir`` keeps the key, the transactions and the checks
    (``None``: in memory). ``trusted_issuers`` maps issuer DIDs to the credential
    types they may issue. ``rule_year`` picks the shipped income-limit table
    (default: the latest). ``fetch_overrides`` maps a public origin to where it
    is really served, e.g. ``{"https://issuer.example.nl": "http://127.0.0.1:8080"}``
    (development: the demo issuer on loopback). ``trusted_seals`` maps an issuer
    DID to the PEM certificates its PDF seals must chain to (the "upload a
    PDF" path; without them an uploaded PDF is refused as untrusted).

    Abuse limits (``rate_limits`` switches the rates off): a desk (browser)
    starts at most ``checks_per_desk`` checks and a client address
    ``checks_per_client``; a client sends at most ``client_rate`` requests
    with a body; ``max_failed_responses`` answers that do not verify end a
    check's request (429 with ``Retry-After`` past a rate).
    """

    public_url: str = "https://verhuur.example.nl"
    name: str = "Verhuur (demo)"
    data_dir: Path | None = None
    trusted_issuers: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: DEMO_TRUSTED_ISSUERS
    )
    rule_year: int | None = None
    fetch_overrides: Mapping[str, str] = field(default_factory=dict)
    trusted_seals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rate_limits: bool = True
    checks_per_desk: Rate = _CHECKS_PER_DESK
    checks_per_client: Rate = _CHECKS_PER_CLIENT
    client_rate: Rate = _CLIENT_RATE
    max_failed_responses: int = 5

    def __post_init__(self) -> None:
        public_url = _check_base(self.public_url, "public_url", schemes=("https",))
        try:
            check_did_web_host(urlsplit(public_url).hostname or "")
        except DidResolutionError as exc:
            raise ValueError(f"public_url gives the landlord's did:web: {exc.detail}") from None
        object.__setattr__(self, "public_url", public_url)
        overrides = {
            _check_base(public, "an overridden origin", schemes=("https",)): _check_base(
                local, "an override target", schemes=("http", "https")
            )
            for public, local in self.fetch_overrides.items()
        }
        object.__setattr__(self, "fetch_overrides", MappingProxyType(overrides))
        seals = {str(did): tuple(pems) for did, pems in self.trusted_seals.items()}
        for pems in seals.values():
            for pem in pems:
                x509.load_pem_x509_certificate(pem.encode())  # ValueError when it is not one
        object.__setattr__(self, "trusted_seals", MappingProxyType(seals))

    def seal_certificates(self) -> dict[str, list[x509.Certificate]]:
        """The trusted seal certificates, parsed."""
        return {
            did: [x509.load_pem_x509_certificate(pem.encode()) for pem in pems]
            for did, pems in self.trusted_seals.items()
        }

    @property
    def did(self) -> str:
        """The landlord's did:web DID (its document is at ``/.well-known/did.json``)."""
        parts = urlsplit(self.public_url)
        host = (parts.hostname or "").lower()
        return f"did:web:{host}" + (f"%3A{parts.port}" if parts.port else "")

    @property
    def client_id(self) -> str:
        """The OpenID4VP Client Identifier: ``decentralized_identifier:<did>``."""
        return f"decentralized_identifier:{self.did}"
