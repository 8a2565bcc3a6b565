"""The landlord's page and its OpenID4VP router keep their OpenAPI contract (schemathesis).

The page serves no ``/openapi.json`` (no documentation endpoints on a desk
app); the contract is the document FastAPI builds from its routes, as a host
app that mounts ``vc_verifier.web.create_router`` would publish it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient

from tests.contract import EXAMPLES, contract_config
from vc_core.errors import FetchError
from vc_verifier.landlord import LandlordSettings, create_landlord_app


def _no_fetch(url: str, *, accept: str) -> bytes:
    raise FetchError(f"nothing is fetched in this test ({url})")


APP = create_landlord_app(LandlordSettings(rule_year=2025), fetch=_no_fetch)
DOCUMENT = get_openapi(title=APP.title, version="1", routes=APP.routes)
# A response names a transaction by its state; one the router never made is refused with
# 400 invalid_request, as OpenID4VP requires.
schema = schemathesis.openapi.from_dict(
    DOCUMENT, config=contract_config(["POST /oid4vp/response"], ["2xx", "400", "404"])
)


async def _served(scope: Any, receive: Any, send: Any) -> None:
    """APP for schemathesis' per-call client; APP's own lifespan runs once, in the fixture."""
    if scope["type"] != "lifespan":
        await APP(scope, receive, send)
        return
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


schema.app = _served


@pytest.fixture(scope="module", autouse=True)
def _lifespan() -> Iterator[None]:
    with TestClient(APP):
        yield


@schema.parametrize()
@EXAMPLES
def test_the_landlord_page_keeps_its_openapi_contract(case: Any) -> None:
    case.call_and_validate()


def test_the_router_documents_its_operations() -> None:
    paths = DOCUMENT["paths"]
    assert set(paths["/oid4vp/response"]["post"]["responses"]) >= {"200", "400", "413", "500"}
    form = paths["/oid4vp/response"]["post"]["requestBody"]["content"]
    assert list(form) == ["application/x-www-form-urlencoded"]
    answer = paths["/oid4vp/request/{request_id}"]["get"]["responses"]["200"]["content"]
    assert list(answer) == ["application/oauth-authz-req+jwt"]
