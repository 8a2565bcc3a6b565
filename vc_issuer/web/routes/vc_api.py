"""VC API endpoints for interoperability test suites (docs/protocols.md, "VC API")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response
from fastapi.responses import JSONResponse

from vc_issuer.vc_api import ApiResponse
from vc_issuer.web.deps import AdminDep, VcApiDep
from vc_issuer.web.errors import PROBLEM_JSON
from vc_issuer.web.openapi import ADMIN, PROBLEM_SCHEMA, Responses, json_body, json_request, problem

router = APIRouter(tags=["VC API"])

JsonBody = Annotated[Any, Body()]
_MALFORMED: Responses = {
    400: problem("The request or a document in it is malformed, or cannot be signed.")
}
_RESULT_SCHEMA = {
    "type": "object",
    "required": ["verified", "problemDetails", "checks"],
    "properties": {
        "verified": {"type": "boolean"},
        "problemDetails": {"type": "array", "items": {"type": "object"}},
        "checks": {"type": "array", "items": {"type": "string"}},
    },
}
_NOT_VERIFIED: Responses = {
    400: {
        "description": "Not verified (the result lists the problems), or a malformed request.",
        "content": {
            "application/json": {"schema": _RESULT_SCHEMA},
            PROBLEM_JSON: {"schema": PROBLEM_SCHEMA},
        },
    }
}


def _object_with(name: str, *, required: bool = True) -> dict[str, Any]:
    """``openapi_extra``: a JSON object body with the object member ``name`` (and ``options``)."""
    return json_request(
        {
            "type": "object",
            "required": [name] if required else [],
            "properties": {name: {"type": "object"}, "options": {"type": "object"}},
        }
    )


def _respond(result: ApiResponse) -> JSONResponse:
    media_type = PROBLEM_JSON if result.problem else "application/json"
    return JSONResponse(result.body, status_code=result.status, media_type=media_type)


@router.post(
    "/credentials/issue",
    status_code=201,
    responses={201: json_body("The signed credential."), **_MALFORMED, **ADMIN},
    openapi_extra=_object_with("credential"),
)
def issue(body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Issue as the VC API issuer of ``options.cryptosuite`` (admin token): 201."""
    return _respond(vc_api.issue(body))


@router.post(
    "/issuers/{name}/credentials/issue",
    status_code=201,
    responses={
        201: json_body("The signed credential."),
        **_MALFORMED,
        **ADMIN,
        404: problem("No VC API issuer has this name."),
    },
    openapi_extra=_object_with("credential"),
)
def issue_as(name: str, body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Issue as the VC API issuer ``name`` (admin token): 201 ``{"verifiableCredential"}``."""
    return _respond(vc_api.issue(body, issuer_name=name))


@router.get(
    "/issuers/{name}/status/{purpose}/{number}",
    response_class=Response,
    responses={
        200: {
            "description": "The status list credential.",
            "content": {
                "application/vc": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
        404: problem("No such VC API issuer, purpose or list."),
    },
)
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


@router.post(
    "/credentials/verify",
    responses={200: json_body("Verified.", _RESULT_SCHEMA), **_NOT_VERIFIED},
    openapi_extra=_object_with("verifiableCredential"),
)
def verify_credential(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Verify a credential: 200 when verified, 400 with ``problemDetails`` when not."""
    return _respond(vc_api.verify_credential(body))


@router.post(
    "/credentials/derive",
    status_code=201,
    responses={201: json_body("The derived credential."), **_MALFORMED},
    openapi_extra=_object_with("verifiableCredential"),
)
def derive(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Derive an ecdsa-sd-2023 disclosure: 201 with the derived credential."""
    return _respond(vc_api.derive(body))


@router.post(
    "/presentations/verify",
    responses={
        200: json_body("The result (verified true or false).", _RESULT_SCHEMA),
        **_MALFORMED,
    },
    openapi_extra=_object_with("verifiablePresentation"),
)
def verify_presentation(body: JsonBody, vc_api: VcApiDep) -> JSONResponse:
    """Verify a presentation and its credentials: 200 with ``verified`` true or false."""
    return _respond(vc_api.verify_presentation(body))


@router.post(
    "/challenges",
    responses={
        200: json_body(
            "A fresh challenge.",
            {
                "type": "object",
                "required": ["challenge"],
                "properties": {"challenge": {"type": "string"}},
            },
        )
    },
)
def challenge(vc_api: VcApiDep) -> JSONResponse:
    """A fresh challenge for a presentation."""
    return _respond(vc_api.challenge())


@router.post(
    "/credentials/status",
    responses={
        200: json_body("The status is set."),
        **_MALFORMED,
        **ADMIN,
        404: problem("No credential with this id has status entries here."),
    },
    openapi_extra=json_request(
        {
            "type": "object",
            "required": ["credentialId", "credentialStatus", "status"],
            "properties": {
                "credentialId": {"type": "string"},
                "credentialStatus": {
                    "type": "object",
                    "required": ["statusPurpose"],
                    "properties": {"statusPurpose": {"enum": ["revocation", "suspension"]}},
                },
                "status": {"type": "boolean"},
            },
        }
    ),
)
def set_status(body: JsonBody, vc_api: VcApiDep, _admin: AdminDep) -> JSONResponse:
    """Set a credential's revocation or suspension bit (admin token)."""
    return _respond(vc_api.set_status(body))
