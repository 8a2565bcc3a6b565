"""Basis and Basis 2.0 downloads for an authenticated citizen, and the DEMO login.

``/basis-2.0/gewaarmerkt-overzicht.pdf``, ``.json`` and ``.zip`` are the
aggregated PDF, the bundle and both (of the same credentials), of the sources
in ``?bronnen=a,b`` or every source holding data.

``/demo-login`` exists only when the demo login is enabled (development); a
production deployment passes its own ``CitizenAuthenticator`` to ``create_app``.
"""

from __future__ import annotations

import html
import json
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from vc_issuer.auth import DEMO_SESSION_COOKIE, DemoLogin
from vc_issuer.errors import NotFound
from vc_issuer.issuer import BASIS_2_BUNDLE, BASIS_2_PDF, BASIS_2_ZIP, Basis2Format
from vc_issuer.sources import DEMO_BSN, is_valid_bsn
from vc_issuer.web.deps import CitizenDep, IssuerDep, limit_citizen_offers
from vc_issuer.web.errors import NO_STORE, problem_response
from vc_issuer.web.openapi import CITIZEN, Responses, json_body, problem
from vc_issuer.web.routes.admin import offer_response
from vc_issuer.web.schemas import OfferResponse

router = APIRouter(tags=["Basis download"])
demo_router = APIRouter(tags=["DEMO login (not an identity check)"])

_DEMO_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>DEMO inloggen</title></head>
<body>
<p style="background:#b00;color:#fff;padding:1em"><strong>DEMO</strong> — dit is geen echte
inlog. Iedereen kan hier elk test-BSN kiezen. Alleen voor ontwikkeling.</p>
<form method="post" action="/demo-login">
<label>Test-BSN <input name="bsn" value="{bsn}" pattern="999[0-9]{{6}}"></label>
<button type="submit">Inloggen (demo)</button>
</form>
</body></html>
"""


def _demo_login(request: Request) -> DemoLogin:
    authenticator = request.app.state.authenticator
    if not isinstance(authenticator, DemoLogin):
        raise NotFound("the demo login is not enabled")
    return authenticator


_NO_DEMO: Responses = {404: problem("The demo login is not enabled.")}
_SESSION = json_body(
    "Logged in (or out); the session cookie is set (or cleared).",
    {"type": "object", "required": ["logged_in"], "properties": {"logged_in": {"type": "boolean"}}},
)
_NOTHING_HELD: Responses = {404: problem("No such source, or it holds no data about the citizen.")}


@demo_router.get(
    "/demo-login",
    response_class=HTMLResponse,
    responses={200: {"description": "The DEMO login form."}, **_NO_DEMO},
)
def demo_login_page(request: Request) -> HTMLResponse:
    """A form to log in as any test BSN (DEMO)."""
    _demo_login(request)
    return HTMLResponse(_DEMO_PAGE.format(bsn=html.escape(DEMO_BSN)))


@demo_router.post(
    "/demo-login",
    responses={
        200: _SESSION,
        400: problem("Not a test BSN (999xxxxxx, passing the 11-test)."),
        **_NO_DEMO,
    },
)
def demo_login(request: Request, bsn: Annotated[str, Form()]) -> Response:
    """Log in as ``bsn`` (DEMO): sets a short-lived session cookie."""
    login = _demo_login(request)
    if not (is_valid_bsn(bsn) and bsn.startswith("999")):
        return problem_response(400, "PARSING_ERROR", "use a test BSN (999xxxxxx, 11-test)")
    response = JSONResponse({"logged_in": True, "demo": True}, headers=NO_STORE)
    response.set_cookie(
        DEMO_SESSION_COOKIE, login.login(bsn), httponly=True, secure=True, samesite="strict"
    )
    return response


@demo_router.post("/logout", responses={200: _SESSION})
def logout(request: Request) -> Response:
    """End the demo session: on the server, and the cookie in the browser."""
    _demo_login(request).logout(request.cookies)
    response = JSONResponse({"logged_in": False}, headers=NO_STORE)
    response.delete_cookie(DEMO_SESSION_COOKIE, httponly=True, secure=True, samesite="strict")
    return response


@router.get(
    "/{source}/basis/credential.json",
    response_class=Response,
    responses={
        200: json_body(
            "The credential (ecdsa-rdfc-2019), as a download.", media_type="application/vc"
        ),
        **CITIZEN,
        **_NOTHING_HELD,
    },
)
def basis_credential(source: str, bsn: CitizenDep, issuer: IssuerDep) -> Response:
    """The citizen's data as a signed credential (ecdsa-rdfc-2019, verifiable by anyone)."""
    credential = issuer.basis_credential(source, bsn)
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{source}.json"'}
    return Response(json.dumps(credential, indent=2), media_type="application/vc", headers=headers)


@router.get(
    "/{source}/basis/afschrift.pdf",
    response_class=Response,
    responses={
        200: {
            "description": "The sealed PDF copy, as a download.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **CITIZEN,
        **_NOTHING_HELD,
    },
)
def basis_pdf(source: str, bsn: CitizenDep, issuer: IssuerDep) -> Response:
    """A sealed PDF copy: the data readable, the credential embedded and as a QR code."""
    pdf = issuer.certified_pdf(source, bsn)
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{source}-afschrift.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/{source}/basis/offer",
    status_code=201,
    responses={
        201: {"model": OfferResponse, "description": "The offer, with its QR code."},
        **CITIZEN,
        **_NOTHING_HELD,
    },
)
def basis_offer(source: str, request: Request, bsn: CitizenDep, issuer: IssuerDep) -> JSONResponse:
    """An offer of the citizen's credential for their wallet (QR plus tx_code on screen).

    A citizen makes at most ``citizen_offer_rate`` offers (429 with Retry-After).
    """
    issuer.source(source)
    limit_citizen_offers(request, bsn)
    offer = issuer.create_offer(source, bsn)
    return JSONResponse(
        offer_response(offer, with_qr=True).model_dump(), status_code=201, headers=NO_STORE
    )


_BASIS_2_FILES: dict[str, Basis2Format] = {
    BASIS_2_PDF: "pdf",
    BASIS_2_BUNDLE: "bundle",
    BASIS_2_ZIP: "both",
}


@router.get(
    "/basis-2.0/{name}",
    response_class=Response,
    responses={
        200: {
            "description": "The aggregated sealed PDF, the bundle (JSON) or both (ZIP).",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **CITIZEN,
        404: problem("No such file, no such source, or no source holds data about the citizen."),
    },
)
def basis_2(name: str, bsn: CitizenDep, issuer: IssuerDep, bronnen: str | None = None) -> Response:
    """Basis 2.0: the aggregated PDF, the bundle, or both as ZIP (the same credentials)."""
    what = _BASIS_2_FILES.get(name)
    if what is None:
        raise NotFound(f"no Basis 2.0 file {name!r}")
    sources = None if not bronnen else [part.strip() for part in bronnen.split(",")]
    download = issuer.aggregated_download(bsn, sources, what=what)
    disposition = f'attachment; filename="{download.filename}"'
    headers = {**NO_STORE, "Content-Disposition": disposition}
    return Response(download.content, media_type=download.media_type, headers=headers)
