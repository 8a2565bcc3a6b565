"""vc_issuer: the sources (BRP, Belastingdienst, DUO, RDW) as Verifiable Credential issuers.

:class:`Issuer` is the framework-free recipe (register record → credential →
status entries → ecdsa-sd-2023 base proof) with offers, status changes, key
rotation and certified copies; :class:`IssuerSettings` configures it.
The HTTP service is ``vc_issuer.web.create_app``, the OpenID4VCI endpoints
``vc_issuer.oid4vci``, consented sharing with organisations (Blauwe Knop Plus)
:class:`PlusService`, the command line ``blauwe-knop issuer``.

>>> from vc_issuer import Issuer, IssuerSettings
>>> settings = IssuerSettings.demo(demo_people=10)
>>> offer = Issuer.from_settings(settings).create_offer("rdw", "999993653")
>>> offer.offer_uri.startswith("openid-credential-offer://?credential_offer_uri=")
True
"""

from typing import TYPE_CHECKING

from vc_core._imports import lazy_exports

if TYPE_CHECKING:
    from vc_issuer.issuer import Issuer
    from vc_issuer.offers import CreatedOffer
    from vc_issuer.plus import PlusService
    from vc_issuer.settings import IssuerSettings

__all__ = ["CreatedOffer", "Issuer", "IssuerSettings", "PlusService"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "vc_issuer.issuer": ("Issuer",),
        "vc_issuer.offers": ("CreatedOffer",),
        "vc_issuer.plus": ("PlusService",),
        "vc_issuer.settings": ("IssuerSettings",),
    },
)
