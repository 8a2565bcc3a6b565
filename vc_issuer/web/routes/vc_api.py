"""VC API endpoints for interoperability test suites (docs/protocols.md, "VC API")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
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
    """Issue with the interop did:key (admin token): 201 ``{"verifiableCredential"}``."""
    return _respond(vc_api.issue(body))


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
