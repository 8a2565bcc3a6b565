"""VC API endpoints for interoperability test suites (docs/protocols.md, "VC API")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response
from fastapi.responses import JSONResponse

from vc_issuer.vc_api import ApiResponse
from vc_issuer.web.deps import AdminDep, VcApiDep
from vc_issuer.web.errors import PROBLEM_JSON

router = APIRouter(tags=["VC API"])

JsonBody = Annotated[Any, Body()]


def _respond(result: ApiResponse) -> JSONResponse:
    media_type = PROBLEM_JSON if result.problem else "application/json"
    return JSONResponse(result.body, status_code=result.status, media_type=media_type)


@router.post("/credentials/issue", status_code=201)
def issue(body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Issue as the VC API issuer of ``options.cryptosuite`` (admin token): 201."""
    return _respond(vc_api.issue(body))


@router.post("/issuers/{name}/credentials/issue", status_code=201)
def issue_as(name: str, body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Issue as the VC API issuer ``name`` (admin token): 201 ``{"verifiableCredential"}``."""
    return _respond(vc_api.issue(body, issuer_name=name))


@router.get("/issuers/{name}/status/{purpose}/{number}")
def status_list(
    name: str,
    purpose: str,
    number: str,
    vc_api: VcApiDep,
    accept: Annotated[str, Header()] = "",
) -> Response:
    """A VC API issuer's signed Bitstring Status List credential.

    ``application/vc`` when the client asks for it, else ``application/json`` (what
    generic JSON-LD document loaders, such as the W3C suites', understand).
    """
    text = vc_api.status_list(name, purpose, number)
    media_type = "application/vc" if "application/vc" in accept else "application/json"
    return Response(text, media_type=media_type, headers={"Cache-Control": "no-cache"})


@router.post("/credentials/verify")
def verify_credential(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Verify a credential: 200 when verified, 400 with ``problemDetails`` when not."""
    return _respond(vc_api.verify_credential(body))


@router.post("/credentials/derive", status_code=201)
def derive(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Derive an ecdsa-sd-2023 disclosure: 201 with the derived credential."""
    return _respond(vc_api.derive(body))


@router.post("/presentations/verify")
def verify_presentation(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Verify a presentation and its credentials: 200 with ``verified`` true or false."""
    return _respond(vc_api.verify_presentation(body))


@router.post("/challenges")
def challenge(vc_api: VcApiDep) -> JSONResponse:
    """A fresh challenge for a presentation."""
    return _respond(vc_api.challenge())


@router.post("/credentials/status")
def set_status(body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Set a credential's revocation or suspension bit (admin token)."""
    return _respond(vc_api.set_status(body))
