"""The landlord's page: a small web app on :class:`~vc_verifier.Verifier` (extra ``verifier-web``).

Run it with ``blauwe-knop verifier serve`` or build it with
:func:`create_landlord_app` (e.g. ``uvicorn --factory vc_verifier.landlord:create_landlord_app``).
"""

from vc_verifier.landlord.app import create_landlord_app, landlord_state
from vc_verifier.landlord.settings import DEMO_TRUSTED_ISSUERS, LandlordSettings

__all__ = ["DEMO_TRUSTED_ISSUERS", "LandlordSettings", "create_landlord_app", "landlord_state"]
