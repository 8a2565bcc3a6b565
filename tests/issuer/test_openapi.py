"""The issuer app keeps its OpenAPI contract: schemathesis, every check, against the app in-process.

Each documented operation gets generated requests (valid and invalid, derandomized,
a bounded number of examples), as the operator (admin token), as a logged-in
citizen and as nobody; every response must match what the document promises:
status codes, media types, bodies, headers, ``Allow`` on 405, and that valid
requests are accepted and invalid ones rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.contract import EXAMPLES, contract_config
from vc_issuer.auth import DEMO_SESSION_COOKIE
from vc_issuer.issuer import Issuer
from vc_issuer.settings import DEVELOPMENT_ADMIN_TOKEN, IssuerSettings
from vc_issuer.web import create_app
from vc_issuer.web.openapi import COMMON_RESPONSES

from .support import DEMO_BSN

# Operations whose acceptance depends on more than the shape JSON Schema can state: a code,
# token, signature or proof the service issued itself, or a register entry. A schema-valid
# request with made-up values of that kind is refused with 400 (an OAuth error or a problem),
# as the protocol requires; every other operation that refuses valid data with 400 still fails.
SEMANTIC_400 = (
    "POST /{source}/token",
    "POST /{source}/plus/credential",
    "POST /{source}/plus/grants",
    "POST /{source}/plus/grants/{grant_id}/revoke",
    "POST /{source}/plus/grants/{grant_id}/status",
    "POST /plus/grants",
    "POST /credentials/issue",
    "POST /credentials/verify",
    "POST /credentials/derive",
    "POST /presentations/verify",
    "POST /credentials/status",
    "POST /demo-login",
    "POST /admin/{source}/plus/recipients",
)


def _app() -> tuple[FastAPI, str]:
    # Implementation note: schemathesis sends thousands of requests from one client; with
    # the rate limits on, it would meet the (documented) 429 instead of each operation.
    issuer = Issuer.from_settings(IssuerSettings.demo(demo_people=20, rate_limits=False))
    app = create_app(issuer)
    with TestClient(app, base_url="https://issuer.example.nl") as client:
        login = client.post("/demo-login", data={"bsn": DEMO_BSN})
        assert login.status_code == 200, login.text
        session = client.cookies[DEMO_SESSION_COOKIE]
    return app, session


APP, SESSION = _app()
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    APP,
    config=contract_config(SEMANTIC_400, ["2xx", "400", "401", "403", "404", "409"]),
)


@schema.auth()
class _Credentials:
    """The operator's token and a citizen's session, each where the operation asks for it."""

    def get(self, case: Any, context: Any) -> dict[str, str]:
        return {"admin": DEVELOPMENT_ADMIN_TOKEN, "session": SESSION}

    def set(self, case: Any, data: dict[str, str], context: Any) -> None:
        security = {
            name for item in case.operation.definition.raw.get("security", []) for name in item
        }
        if "adminToken" in security:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data['admin']}"}
        if "citizenSession" in security:
            case.cookies = {**(case.cookies or {}), DEMO_SESSION_COOKIE: data["session"]}


@pytest.fixture(scope="module", autouse=True)
def _lifespan() -> Iterator[None]:
    with TestClient(APP):
        yield


@schema.parametrize()
@EXAMPLES
def test_the_issuer_keeps_its_openapi_contract(case: Any) -> None:
    case.call_and_validate()


def test_every_operation_documents_the_common_responses_and_never_422() -> None:
    document = APP.openapi()
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 40
    for path, method, operation in operations:
        responses = operation["responses"]
        assert "422" not in responses, (method, path)
        assert set(COMMON_RESPONSES) <= set(responses), (method, path)
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "source":
                assert parameter["schema"]["enum"] == ["belastingdienst", "brp", "duo", "rdw"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/plus/grants", "GET, POST"),
        ("PUT", "/demo-login", "GET, POST"),
        ("OPTIONS", "/admin/brp/plus/recipients", "GET, POST"),
        ("GET", "/brp/token", "POST"),
        ("DELETE", "/admin/plus/grants/urn:uuid:x/revoke", "POST"),
    ],
)
def test_405_names_every_method_of_the_path(method: str, path: str, allow: str) -> None:
    with TestClient(APP) as client:
        answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow
    assert answer.headers["content-type"] == "application/problem+json"


def test_an_unreadable_form_at_an_oauth_endpoint_is_an_oauth_error() -> None:
    with TestClient(APP) as client:
        answer = client.post(
            "/brp/token", content=b"x", headers={"Content-Type": "multipart/form-data"}
        )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert answer.headers["content-type"] == "application/json"
