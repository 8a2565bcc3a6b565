"""Typed dependencies: the issuer objects on ``app.state``, admin and citizen authentication."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from vc_core.limits import RateLimiter
from vc_issuer.auth import CitizenAuthenticator
from vc_issuer.errors import TooManyRequests, Unauthorized
from vc_issuer.issuer import Issuer
from vc_issuer.oid4vci import CredentialIssuerService
from vc_issuer.vc_api import VcApi

__all__ = [
    "AdminDep",
    "AuthorizationHeader",
    "CitizenDep",
    "IssuerDep",
    "ServiceDep",
    "VcApiDep",
    "limit_citizen_offers",
]


def get_issuer(request: Request) -> Issuer:
    issuer: Issuer = request.app.state.issuer
    return issuer


def get_service(request: Request) -> CredentialIssuerService:
    service: CredentialIssuerService = request.app.state.service
    return service


def get_vc_api(request: Request) -> VcApi:
    vc_api: VcApi = request.app.state.vc_api
    return vc_api


AuthorizationHeader = Annotated[str | None, Header(alias="Authorization")]


def require_admin(request: Request, authorization: AuthorizationHeader = None) -> None:
    """The admin bearer token from the settings, compared in constant time."""
    expected = get_issuer(request).settings.admin_token.get_secret_value()
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("the admin bearer token is missing or wrong")


def citizen(request: Request, authorization: AuthorizationHeader = None) -> str:
    """The BSN of the authenticated citizen (401 when nobody is logged in)."""
    authenticator: CitizenAuthenticator | None = request.app.state.authenticator
    bsn = (
        None
        if authenticator is None
        else authenticator.authenticate(authorization=authorization, cookies=request.cookies)
    )
    if bsn is None:
        raise Unauthorized("log in first (see /demo-login in development)")
    return bsn


def limit_citizen_offers(request: Request, bsn: str) -> None:
    """Count an offer the citizen ``bsn`` asks for; ``TooManyRequests`` past the limit.

    Keyed by the citizen (their keyed BSN hash), so new sessions do not reset it.
    """
    limiter: RateLimiter | None = getattr(request.app.state, "offer_limiter", None)
    if limiter is None:
        return
    wait = limiter.take(get_issuer(request).subject_ref(bsn))
    if wait > 0:
        raise TooManyRequests(
            f"at most {limiter.rate} wallet offers per citizen; try again later",
            retry_after=wait,
        )


IssuerDep = Annotated[Issuer, Depends(get_issuer)]
ServiceDep = Annotated[CredentialIssuerService, Depends(get_service)]
VcApiDep = Annotated[VcApi, Depends(get_vc_api)]
AdminDep = Annotated[None, Depends(require_admin)]
CitizenDep = Annotated[str, Depends(citizen)]
