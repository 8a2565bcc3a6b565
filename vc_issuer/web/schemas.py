"""Request bodies of the admin and citizen endpoints (protocol bodies are parsed by hand)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from vc_core.errors import ParsingError
from vc_issuer.web.errors import validation_detail

__all__ = ["CreateOfferRequest", "OfferResponse", "query_flag"]


class CreateOfferRequest(BaseModel):
    """An operator's request for a credential offer for a citizen."""

    model_config = ConfigDict(extra="allow")

    bsn: str = Field(pattern=r"^[0-9]{9}$", description="The citizen's BSN (test range only).")
    credential_configuration_id: str | None = None
    tx_code: str | None = Field(None, pattern=r"^[0-9]{6}$")

    @classmethod
    def parse(cls, unverified: object) -> CreateOfferRequest:
        """The request from a parsed JSON body; ``ParsingError`` (``body.bsn: …``) if invalid."""
        try:
            return cls.model_validate(unverified)
        except ValidationError as exc:
            raise ParsingError(validation_detail(exc.errors(), location=("body",))) from None


class OfferResponse(BaseModel):
    """A new offer: the QR text, where the wallet fetches it, and the second-channel code."""

    offer_uri: str
    credential_offer_uri: str
    tx_code: str | None
    expires_at: str
    qr_svg: str | None


_FLAG = TypeAdapter(bool)


def query_flag(query: dict[str, str], name: str) -> bool:
    """A boolean query parameter as FastAPI reads one (``true``/``1``/``yes``/``on``…),
    ``False`` when absent; ``ParsingError`` (``query.<name>: …``) otherwise."""
    try:
        return _FLAG.validate_python(query.get(name, False))
    except ValidationError as exc:
        raise ParsingError(validation_detail(exc.errors(), location=("query", name))) from None
