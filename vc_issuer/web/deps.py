"""Typed dependencies: the issuer objects on ``app.state``, admin and citizen authentication.

Implementation note: the dependencies that only read ``app.state`` or a header are
``async def``: FastAPI runs a plain ``def`` dependency in the threadpool, a thread
hop per dependency per request for a dictionary look-up.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, HTTPBearer

from vc_core.limits import RateLimiter
from vc_issuer.auth import DEMO_SESSION_COOKIE, CitizenAuthenticator
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
    "check_admin_token",
    "limit_citizen_offers",
]


def _issuer(request: Request) -> Issuer:
    issuer: Issuer = request.app.state.issuer
    return issuer


async def get_issuer(request: Request) -> Issuer:
    return _issuer(request)


async def get_service(request: Request) -> CredentialIssuerService:
    service: CredentialIssuerService = request.app.state.service
    return service


async def get_vc_api(request: Request) -> VcApi:
    vc_api: VcApi = request.app.state.vc_api
    return vc_api


# Implementation note: OpenAPI ignores an "Authorization" header parameter; the schemes below
# document who may call what. Each dependency still reads the raw header itself (the
# OpenID4VCI endpoints answer a malformed one with their own OAuth error).
_access_token = HTTPBearer(
    scheme_name="accessToken",
    description="The OpenID4VCI access token from the source's token endpoint.",
    auto_error=False,
)
_admin_token = HTTPBearer(
    scheme_name="adminToken",
    description="The operator's admin token (setting admin_token).",
    auto_error=False,
)
_citizen_session = APIKeyCookie(
    name=DEMO_SESSION_COOKIE,
    scheme_name="citizenSession",
    description="The citizen's login session (the demo login's cookie in development).",
    auto_error=False,
)


async def access_token(
    request: Request, _scheme: Annotated[object, Security(_access_token)]
) -> str | None:
    """The raw ``Authorization`` header of an OpenID4VCI request, if any."""
    return request.headers.get("authorization")


AuthorizationHeader = Annotated[str | None, Depends(access_token)]


def check_admin_token(issuer: Issuer, authorization: str | None) -> None:
    """``Unauthorized`` unless ``authorization`` is the settings' admin bearer token
    (compared in constant time)."""
    expected = issuer.settings.admin_token.get_secret_value()
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("the admin bearer token is missing or wrong")


async def require_admin(
    request: Request, _scheme: Annotated[object, Security(_admin_token)]
) -> None:
    """The admin bearer token from the settings (:func:`check_admin_token`)."""
    check_admin_token(_issuer(request), request.headers.get("authorization"))


def citizen(request: Request, _scheme: Annotated[object, Security(_citizen_session)]) -> str:
    """The BSN of the authenticated citizen (401 when nobody is logged in)."""
    authenticator: CitizenAuthenticator | None = request.app.state.authenticator
    bsn = (
        None
        if authenticator is None
        else authenticator.authenticate(
            authorization=request.headers.get("authorization"), cookies=request.cookies
        )
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
    wait = limiter.take(_issuer(request).subject_ref(bsn))
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
