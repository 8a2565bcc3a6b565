"""The portal in-process: https cookies, session expiry, other logins, language, markup rules."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.issuer.support import DEMO_BSN
from vc_core import KeyPair
from vc_core.certified_copy import credential_bytes
from vc_issuer.auth import DemoLogin
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_issuer.web.portal import install_portal
from vc_issuer.web.portal.sessions import PortalSessions
from vc_verifier.pdf_seals import open_sealed_pdf

LOCAL = "http://127.0.0.1:8080"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    built = Issuer.from_settings(IssuerSettings.demo(demo_people=20))
    yield built
    built.db.dispose()


def _token(text: str) -> str:
    found = _CSRF.search(text)
    assert found is not None, text
    return found.group(1)


def _login(client: TestClient, bsn: str = DEMO_BSN, **headers: str) -> TestClient:
    page = client.get("/portaal/inloggen")
    done = client.post(
        "/portaal/inloggen",
        data={"bsn": bsn, "csrf_token": _token(page.text)},
        headers=headers,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


class Markup(HTMLParser):
    """Collects what the accessibility and CSP checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.fields: list[str] = []
        self.labels: set[str] = set()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        inline_script = tag == "script" and not found.get("src")
        if inline_script or "style" in found or any(name.startswith("on") for name in found):
            self.inline.append(tag)
        if tag == "label" and found.get("for"):
            self.labels.add(str(found["for"]))
        if tag in ("input", "select", "textarea") and found.get("type") not in ("hidden",):
            self.fields.append(str(found.get("id")))


def _check_markup(html: str, lang: str) -> None:
    parsed = Markup()
    parsed.feed(html)
    assert parsed.lang == lang
    assert parsed.inline == [], "inline scripts, styles or handlers break the CSP"
    assert set(parsed.fields) <= parsed.labels, "every field has a label"


def test_every_page_is_labelled_and_free_of_inline_code(issuer: Issuer) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL) as client:
        _check_markup(client.get("/portaal/inloggen").text, "nl")
        overview = _login(client).get("/portaal/overzicht")
        _check_markup(overview.text, "nl")
        form = {"csrf_token": _token(overview.text), "configuration": "DiplomaCredential_ldp_vc"}
        wallet = client.post("/portaal/duo/wallet", data=form)
        _check_markup(wallet.text, "nl")
        assert 'role="img"' in wallet.text
        _check_markup(client.get("/portaal/overzicht?lang=en").text, "en")
        _check_markup(client.get("/portaal/alles?lang=nl").text, "nl")


def test_download_all_gives_the_pdf_the_bundle_or_both_of_the_same_credentials(
    issuer: Issuer,
) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL) as client:
        page = _login(client).get("/portaal/alles")
        assert page.status_code == 200
        assert page.text.count('name="bron"') == 4
        assert page.text.count(" checked") == 5  # every source, and "both"
        token = _token(page.text)
        both = client.post(
            "/portaal/alles", data={"csrf_token": token, "bron": ["rdw", "brp"], "formaat": "both"}
        )
        assert both.status_code == 200
        assert both.headers["content-type"] == "application/zip"
        assert 'filename="gewaarmerkt-overzicht.zip"' in both.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(both.content)) as archive:
            assert archive.namelist() == ["gewaarmerkt-overzicht.pdf", "gewaarmerkt-overzicht.json"]
            bundle = json.loads(archive.read("gewaarmerkt-overzicht.json"))
            pdf = archive.read("gewaarmerkt-overzicht.pdf")
        assert [c["issuer"].rsplit(":", 1)[1] for c in bundle["verifiableCredential"]] == [
            "brp",
            "rdw",
        ]
        embedded = open_sealed_pdf(pdf).attachments()
        for credential in bundle["verifiableCredential"]:
            source = credential["issuer"].rsplit(":", 1)[1]
            assert embedded[f"{source}-credential.json"] == credential_bytes(credential)
        only_pdf = client.post(
            "/portaal/alles", data={"csrf_token": token, "bron": ["duo"], "formaat": "pdf"}
        )
        assert only_pdf.headers["content-type"] == "application/pdf"
        assert only_pdf.content.startswith(b"%PDF-")
        only_bundle = client.post(
            "/portaal/alles", data={"csrf_token": token, "bron": ["duo"], "formaat": "bundle"}
        )
        assert only_bundle.json()["type"] == ["VerifiablePresentation"]


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"bron": ["brp"]}, 403),  # no CSRF token
        ({"bron": []}, 400),
        ({"bron": ["brp", "kadaster"]}, 400),
    ],
)
def test_download_all_refuses_a_bad_form(
    issuer: Issuer, form: dict[str, object], status: int
) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL) as client:
        token = _token(_login(client).get("/portaal/alles").text)
        data = {**form, **({"csrf_token": token} if status != 403 else {})}
        answer = client.post("/portaal/alles", data=data)
        assert answer.status_code == status
        if status == 400:
            assert 'role="alert"' in answer.text
            _check_markup(answer.text, "nl")
        assert client.get("/portaal/alles").status_code == 200
    with TestClient(create_app(issuer), base_url=LOCAL, follow_redirects=False) as client:
        assert client.get("/portaal/alles").headers["location"] == "/portaal/inloggen"


def test_over_https_the_cookie_is_secure_and_host_bound(issuer: Issuer) -> None:
    with TestClient(create_app(issuer), base_url="https://issuer.example.nl") as client:
        page = client.get("/portaal/inloggen")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        done = client.post(
            "/portaal/inloggen",
            data={"bsn": DEMO_BSN, "csrf_token": _token(page.text)},
            follow_redirects=False,
        )
        cookie = done.headers["set-cookie"]
        assert cookie.startswith("__Host-bk_portaal=")
        assert "Secure" in cookie
        assert "Path=/;" in cookie
        assert "HttpOnly" in cookie
        assert client.get("/portaal/overzicht").status_code == 200


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_session_ends_after_15_idle_minutes_and_after_2_hours(issuer: Issuer) -> None:
    clock = Clock()
    app = FastAPI()
    install_portal(app, issuer, DemoLogin(PortalSessions(issuer.db, keys=issuer.keys)), clock=clock)
    with TestClient(app, base_url=LOCAL, follow_redirects=False) as client:
        _login(client)
        clock.now += timedelta(minutes=14)
        assert client.get("/portaal/overzicht").status_code == 200
        clock.now += timedelta(minutes=14)  # idle time restarted at the last page
        assert client.get("/portaal/overzicht").status_code == 200
        clock.now += timedelta(minutes=16)
        assert client.get("/portaal/overzicht").status_code == 303

        _login(client)
        for _ in range(11):
            clock.now += timedelta(minutes=10)
            assert client.get("/portaal/overzicht").status_code == 200
        clock.now += timedelta(minutes=11)  # past two hours, however busy
        assert client.get("/portaal/overzicht").headers["location"] == "/portaal/inloggen"


class Gateway:
    """An identity-provider adapter: a trusted gateway in front says who logged in."""

    def authenticate(self, *, authorization: str | None, cookies: object) -> str | None:
        return DEMO_BSN if authorization == "Bearer from-the-gateway" else None


def test_another_login_replaces_the_demo(issuer: Issuer) -> None:
    app = create_app(issuer, authenticator=Gateway())
    with TestClient(app, base_url=LOCAL, follow_redirects=False) as client:
        page = client.get("/portaal/inloggen")
        assert "DEMO" not in page.text
        assert 'name="bsn"' not in page.text
        token = _token(page.text)
        refused = client.post("/portaal/inloggen", data={"csrf_token": token})
        assert refused.status_code == 401
        assert "niet herkend" in refused.text
        done = client.post(
            "/portaal/inloggen",
            data={"csrf_token": token, "bsn": "999990019"},
            headers={"Authorization": "Bearer from-the-gateway"},
        )
        assert done.status_code == 303
        assert "Anna Maria" in client.get("/portaal/overzicht").text


def test_without_any_login_the_portal_says_so(issuer: Issuer) -> None:
    settings = issuer.settings.model_copy(update={"demo_login": False})
    other = Issuer(settings, issuer.db, issuer.keys, issuer.sources)
    with TestClient(create_app(other), base_url=LOCAL) as client:
        page = client.get("/portaal/inloggen")
        assert "niet ingesteld" in page.text
        assert "<form" not in page.text
        assert client.post("/portaal/inloggen", data={"bsn": DEMO_BSN}).status_code == 403


@pytest.mark.parametrize("bsn", ["123456782", "99999365", "999993654", "abc"])
def test_the_demo_login_takes_test_numbers_only(issuer: Issuer, bsn: str) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL) as client:
        page = client.get("/portaal/inloggen")
        refused = client.post(
            "/portaal/inloggen", data={"bsn": bsn, "csrf_token": _token(page.text)}
        )
        assert refused.status_code == 400
        assert 'aria-invalid="true"' in refused.text
        assert 'role="alert"' in refused.text


def test_language_by_browser_query_and_cookie(issuer: Issuer) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL) as client:
        english = client.get("/portaal/inloggen", headers={"Accept-Language": "en-GB,en"})
        assert '<html lang="en">' in english.text
        assert "Log in" in english.text
        chosen = client.get("/portaal/inloggen?lang=nl", headers={"Accept-Language": "en"})
        assert '<html lang="nl">' in chosen.text
        assert client.cookies["bk_taal"] == "nl"
        again = client.get("/portaal/inloggen", headers={"Accept-Language": "en"})
        assert '<html lang="nl">' in again.text


def test_unknown_sources_and_the_front_door(issuer: Issuer) -> None:
    with TestClient(create_app(issuer), base_url=LOCAL, follow_redirects=False) as client:
        assert client.get("/").headers["location"] == "/portaal/"
        assert client.get("/portaal/").headers["location"] == "/portaal/inloggen"
        token = _token(_login(client).get("/portaal/overzicht").text)
        assert client.get("/portaal/").headers["location"] == "/portaal/overzicht"
        for source, configuration in (("kadaster", "X"), ("brp", "DiplomaCredential_ldp_vc")):
            missing = client.post(
                f"/portaal/{source}/wallet",
                data={"csrf_token": token, "configuration": configuration},
            )
            assert missing.status_code == 404
            assert missing.headers["content-type"].startswith("text/html")
        stylesheet = client.get("/portaal/static/portal.css")
        assert stylesheet.headers["content-type"].startswith("text/css")
        assert stylesheet.headers["cache-control"].startswith("public")


def test_the_consent_form_explains_what_is_wrong(issuer: Issuer) -> None:
    app = create_app(issuer)
    recipient = "did:web:corporatie.example.nl"
    app.state.plus.register_recipient(
        "brp",
        did=recipient,
        name="Corporatie",
        purposes=["woningtoewijzing"],
        scopes=[
            {
                "credential_configuration_id": "PersoonsgegevensCredential_ldp_vc",
                "claims": [{"path": ["credentialSubject", "adres", "woonplaats"]}],
            }
        ],
        keys=[
            {"id": f"{recipient}#key-1", "publicKeyMultibase": KeyPair.generate().public.multibase}
        ],
    )
    choice = f"{recipient} woningtoewijzing"
    with TestClient(app, base_url=LOCAL, follow_redirects=False) as client:
        token = _token(_login(client).get("/portaal/overzicht").text)
        step = client.get("/portaal/toestemmingen/nieuw", params={"keuze": choice})
        _check_markup(step.text, "nl")
        assert "Adres · Woonplaats" in step.text
        claim = "brp PersoonsgegevensCredential_ldp_vc adres/woonplaats"
        form = {"csrf_token": token, "keuze": choice, "geldig_tot": "2999-01-01"}
        for extra, message in (
            ({}, "Kies ten minste één gegeven."),
            ({"claim": "brp PersoonsgegevensCredential_ldp_vc geslachtsnaam"}, "ten minste"),
            ({"claim": claim}, "Vul een datum in"),
        ):
            refused = client.post("/portaal/toestemmingen", data={**form, **extra})
            assert refused.status_code == 400
            assert message in refused.text
        unknown = client.get("/portaal/toestemmingen/nieuw", params={"keuze": "did:web:x doel"})
        assert unknown.status_code == 404
        assert client.get("/portaal/toestemmingen/urn:uuid:nope").status_code == 404


def test_without_plus_the_consent_page_says_so(issuer: Issuer) -> None:
    app = FastAPI()
    install_portal(app, issuer, DemoLogin(PortalSessions(issuer.db, keys=issuer.keys)))
    with TestClient(app, base_url=LOCAL) as client:
        page = _login(client).get("/portaal/toestemmingen")
        assert page.status_code == 503
        assert "niet beschikbaar" in page.text
