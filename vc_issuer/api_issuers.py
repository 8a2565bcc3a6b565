"""The VC API's issuer identities: one per cryptosuite and curve, each with its own key series.

Each identity is the did:key of the newest key of its series in the issuer's
sealed key ring (fixed demo keys in demo mode). ``ecdsa-rdfc-2019`` and
``ecdsa-sd-2023`` share the P-256 series. The issuer creates the keys at start
and publishes each identity's status lists under :attr:`ApiIssuer.base_path`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vc_core.keys import Curve
from vc_core.types import CryptosuiteName

__all__ = ["API_ISSUERS", "ApiIssuer"]


@dataclass(frozen=True, slots=True)
class ApiIssuer:
    """One issuer identity of the VC API: its cryptosuite, its curve and its key series."""

    name: str
    cryptosuite: CryptosuiteName
    curve: Curve
    key_name: str

    @property
    def base_path(self) -> str:
        """``/issuers/<name>``: the prefix of its endpoint and status lists."""
        return f"/issuers/{self.name}"

    @property
    def endpoint(self) -> str:
        """The path of its ``/credentials/issue`` endpoint."""
        return f"{self.base_path}/credentials/issue"


API_ISSUERS: tuple[ApiIssuer, ...] = (
    ApiIssuer("ecdsa-rdfc-2019", "ecdsa-rdfc-2019", "P-256", "vc-api"),
    ApiIssuer("ecdsa-rdfc-2019-p384", "ecdsa-rdfc-2019", "P-384", "vc-api-p384"),
    ApiIssuer("ecdsa-sd-2023", "ecdsa-sd-2023", "P-256", "vc-api"),
    ApiIssuer("eddsa-rdfc-2022", "eddsa-rdfc-2022", "Ed25519", "vc-api-ed25519"),
)
"""The VC API's issuers; ``/credentials/issue`` picks one by ``options.cryptosuite``."""
