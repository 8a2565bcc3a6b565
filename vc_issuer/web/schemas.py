"""Request bodies of the admin and citizen endpoints (protocol bodies are parsed by hand)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CreateOfferRequest", "OfferResponse"]


class CreateOfferRequest(BaseModel):
    """An operator's request for a credential offer for a citizen."""

    model_config = ConfigDict(extra="allow")

    bsn: str = Field(pattern=r"^[0-9]{9}$", description="The citizen's BSN (test range only).")
    credential_configuration_id: str | None = None
    tx_code: str | None = Field(None, pattern=r"^[0-9]{6}$")


class OfferResponse(BaseModel):
    """A new offer: the QR text, where the wallet fetches it, and the second-channel code."""

    offer_uri: str
    credential_offer_uri: str
    tx_code: str | None
    expires_at: str
    qr_svg: str | None
