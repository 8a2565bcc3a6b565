"""The portal's pages: log in, my data per source, downloads, add to wallet, log out.

"Download all my data" (``/portaal/alles``) is Basis 2.0: one aggregated,
sealed PDF, the bundle of the same credentials, or both as a ZIP.

Every page is rendered on the server from the templates in ``templates/``;
no page needs JavaScript. The citizen is always the one of the session:
no URL or form field names a BSN after the login form, so one citizen cannot
reach another's data. State-changing requests (downloads issue a fresh
credential, offers, log-out) are POST forms with the session's CSRF token.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from vc_core.limits import retry_after
from vc_issuer.auth import CitizenAuthenticator, DemoLogin
from vc_issuer.errors import IssuerError, NotFound, TooManyRequests
from vc_issuer.issuer import Basis2Format, Issuer
from vc_issuer.sources import is_valid_bsn
from vc_issuer.web.deps import limit_citizen_offers
from vc_issuer.web.portal.i18n import (
    LANGUAGES,
    Language,
    claim_rows,
    format_moment,
    pick_language,
    translate,
)
from vc_issuer.web.portal.sessions import CitizenSession, PortalSessions

__all__ = [
    "CitizenDep",
    "LoginRequiredError",
    "Portal",
    "PortalDep",
    "csrf_refused",
    "language_of",
    "not_found",
    "root_router",
    "router",
    "see_other",
]

router = APIRouter(prefix="/portaal", include_in_schema=False)
root_router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
_SVG_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_QR_PIXELS_PER_MODULE = 6


class LoginRequiredError(Exception):
    """Raised by :func:`citizen` when the request has no live session."""


@dataclass
class Portal:
    """What the pages need: the issuer, the login, the sessions and the templates."""

    issuer: Issuer
    authenticator: CitizenAuthenticator | None
    sessions: PortalSessions
    templates: Environment = field(
        default_factory=lambda: Environment(
            loader=PackageLoader("vc_issuer.web.portal", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )

    @property
    def demo(self) -> bool:
        """Whether the login is the DEMO login (shown on every page)."""
        return isinstance(self.authenticator, DemoLogin)

    def render(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        session: CitizenSession | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """Render a page in the request's language; ``?lang=`` is remembered in a cookie."""
        chosen = request.query_params.get("lang")
        language = language_of(request, self.sessions)
        other: Language = "en" if language == "nl" else "nl"
        in_place = request.method in ("GET", "HEAD")
        context.setdefault("switch_path", request.url.path if in_place else "/portaal/")
        body = self.templates.get_template(template).render(
            lang=language,
            other_lang=other,
            t=lambda key, **values: translate(language, key, **values),
            demo=self.demo,
            session=session,
            path=request.url.path,
            **context,
        )
        response = HTMLResponse(body, status_code=status)
        if chosen in LANGUAGES:
            self.sessions.remember_language(request, response, chosen)
        return response

    def message(
        self, request: Request, status: int, title: str, text: str, **context: Any
    ) -> HTMLResponse:
        """A plain page with a heading and one paragraph (errors, logged out)."""
        language = language_of(request, self.sessions)
        return self.render(
            request,
            "message.html",
            status=status,
            title=translate(language, title),
            text=translate(language, text),
            **context,
        )


def language_of(request: Request, sessions: PortalSessions) -> Language:
    """The page language of ``request``."""
    return pick_language(
        request.query_params.get("lang"),
        sessions.language_cookie(request),
        request.headers.get("accept-language"),
    )


def get_portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


PortalDep = Annotated[Portal, Depends(get_portal)]


def citizen(request: Request, portal: PortalDep) -> CitizenSession:
    """The logged-in citizen; ``LoginRequiredError`` without a live session."""
    session = portal.sessions.current(request)
    if session is None:
        raise LoginRequiredError
    return session


CitizenDep = Annotated[CitizenSession, Depends(citizen)]


async def on_login_required(request: Request, exc: Exception) -> Response:
    """A page without a session sends the browser to the login; a form post is refused."""
    portal = get_portal(request)
    if request.method in ("GET", "HEAD"):
        return RedirectResponse("/portaal/inloggen", status_code=303)
    return portal.message(request, 401, "login_required_title", "login_required", login_link=True)


def csrf_refused(request: Request, portal: Portal, session: CitizenSession | None) -> HTMLResponse:
    return portal.message(request, 403, "forbidden_title", "csrf_refused", session=session)


def not_found(request: Request, portal: Portal, session: CitizenSession | None) -> HTMLResponse:
    return portal.message(request, 404, "not_found_title", "not_found", session=session)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# Static files and the start -----------------------------------------------------------------


@router.get("/static/portal.css")
def stylesheet() -> Response:
    """The portal's one stylesheet."""
    css = resources.files("vc_issuer.web.portal").joinpath("static", "portal.css").read_bytes()
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@root_router.get("/")
def root() -> RedirectResponse:
    """The service's front door is the citizen portal."""
    return see_other("/portaal/")


@router.get("/")
def start(request: Request, portal: PortalDep) -> RedirectResponse:
    """To my data when logged in, else to the login."""
    logged_in = portal.sessions.current(request) is not None
    return see_other("/portaal/overzicht" if logged_in else "/portaal/inloggen")


# Logging in and out -------------------------------------------------------------------------


def _login_page(
    request: Request,
    portal: PortalDep,
    *,
    status: int = 200,
    error: str | None = None,
    bsn: str = "",
) -> HTMLResponse:
    token, fresh_nonce = portal.sessions.login_token(request)
    response = portal.render(
        request,
        "login.html",
        status=status,
        login_csrf=token,
        error=error,
        bsn=bsn,
        available=portal.authenticator is not None,
    )
    if fresh_nonce is not None:
        portal.sessions.keep_login_nonce(request, response, fresh_nonce)
    return response


@router.get("/inloggen")
def login_page(request: Request, portal: PortalDep) -> Response:
    """The login: the DEMO form (test BSN) or a button for the configured identity provider."""
    if portal.sessions.current(request) is not None:
        return see_other("/portaal/overzicht")
    return _login_page(request, portal)


@router.post("/inloggen")
def login(
    request: Request, portal: PortalDep, csrf_token: FormText = "", bsn: FormText = ""
) -> Response:
    """Log in: the DEMO login takes a test BSN; another login asks the authenticator."""
    if not portal.sessions.login_token_ok(request, csrf_token):
        return csrf_refused(request, portal, None)
    if portal.authenticator is None:
        return _login_page(request, portal, status=503)
    if portal.demo:
        bsn = bsn.strip()
        if not (len(bsn) == 9 and bsn.startswith("999") and is_valid_bsn(bsn)):
            return _login_page(request, portal, status=400, error="login_bad_bsn", bsn=bsn)
        subject = bsn
    else:
        found = portal.authenticator.authenticate(
            authorization=request.headers.get("authorization"), cookies=request.cookies
        )
        if found is None:
            return _login_page(request, portal, status=401, error="login_refused")
        subject = found
    response = see_other("/portaal/overzicht")
    portal.sessions.start(request, response, subject)
    return response


@router.post("/uitloggen")
def logout(request: Request, portal: PortalDep, csrf_token: FormText = "") -> Response:
    """Log out: the session record is deleted, the cookie cleared."""
    session = portal.sessions.current(request)
    if session is not None and not portal.sessions.csrf_ok(session, csrf_token):
        return csrf_refused(request, portal, session)
    response = see_other("/portaal/uitgelogd")
    portal.sessions.end(request, response)
    return response


@router.get("/uitgelogd")
def logged_out(request: Request, portal: PortalDep) -> HTMLResponse:
    """Confirms the log-out."""
    return portal.message(request, 200, "logged_out_title", "logged_out_text", login_link=True)


# My data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Holding:
    """One credential configuration of a source and what its register holds for the citizen."""

    source: str
    source_name: str
    configuration_id: str
    name: str
    description: str
    rows: list[tuple[str, str]]
    needs_review: bool


def _holdings(portal: Portal, language: Language, subject: str) -> list[tuple[str, list[_Holding]]]:
    """Per source (display name), the citizen's data in each credential configuration."""
    found: list[tuple[str, list[_Holding]]] = []
    for name, source in portal.issuer.sources.items():
        held: list[_Holding] = []
        for configuration in source.configurations.values():
            claims = portal.issuer.claims(name, subject, configuration.id)
            if claims is None:
                continue
            held.append(
                _Holding(
                    source=name,
                    source_name=source.display_name,
                    configuration_id=configuration.id,
                    name=configuration.name(language),
                    description=configuration.description(language),
                    rows=claim_rows(language, claims.claims),
                    needs_review=claims.needs_review,
                )
            )
        found.append((source.display_name, held))
    return found


@router.get("/overzicht")
def overview(request: Request, portal: PortalDep, session: CitizenDep) -> HTMLResponse:
    """My data: one section per source, with download and wallet buttons."""
    language = language_of(request, portal.sessions)
    return portal.render(
        request,
        "overview.html",
        session=session,
        sources=_holdings(portal, language, session.subject),
    )


# Basis 2.0: everything at once ------------------------------------------------------------------


def _all_page(
    request: Request,
    portal: Portal,
    session: CitizenSession,
    *,
    status: int = 200,
    chosen: list[str] | None = None,
    format: str = "both",
    error: str | None = None,
) -> HTMLResponse:
    """The form: the sources that hold data (all chosen by default) and the file format."""
    issuer = portal.issuer
    holding = issuer.sources_holding(session.subject)
    sources = [
        (
            name,
            issuer.source(name).display_name,
            issuer.configuration(name, issuer.default_configuration(name)).name,
        )
        for name in holding
    ]
    return portal.render(
        request,
        "all.html",
        status=status,
        session=session,
        sources=sources,
        chosen=holding if chosen is None else chosen,
        format=format,
        error=error,
    )


@router.get("/alles")
def download_all_page(request: Request, portal: PortalDep, session: CitizenDep) -> HTMLResponse:
    """Basis 2.0: choose the sources and the file (PDF, bundle or both)."""
    return _all_page(request, portal, session)


@router.post("/alles")
def download_all(
    request: Request,
    portal: PortalDep,
    session: CitizenDep,
    csrf_token: FormText = "",
    bron: Annotated[list[str] | None, Form()] = None,
    formaat: FormText = "both",
) -> Response:
    """One aggregated, sealed PDF, the bundle of the same credentials, or both as a ZIP."""
    if not portal.sessions.csrf_ok(session, csrf_token):
        return csrf_refused(request, portal, session)
    what: Basis2Format = "pdf" if formaat == "pdf" else "bundle" if formaat == "bundle" else "both"
    holding = portal.issuer.sources_holding(session.subject)
    chosen = [name for name in holding if name in (bron or [])]
    if not chosen or len(chosen) != len(set(bron or [])):
        return _all_page(
            request, portal, session, status=400, chosen=chosen, format=what, error="all_no_source"
        )
    download = portal.issuer.aggregated_download(session.subject, chosen, what=what)
    disposition = f'attachment; filename="{download.filename}"'
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": disposition},
    )


@dataclass(frozen=True, slots=True)
class _CredentialForm:
    """A citizen's form post about one credential configuration of a source.

    ``refused`` is the page to answer with instead when the form lacks the
    session's CSRF token or names an unknown credential configuration.
    """

    request: Request
    portal: Portal
    session: CitizenSession
    source: str
    configuration: str
    refused: HTMLResponse | None

    def not_found(self) -> HTMLResponse:
        return not_found(self.request, self.portal, self.session)


def _credential_form(
    source: str,
    request: Request,
    portal: PortalDep,
    session: CitizenDep,
    csrf_token: FormText = "",
    configuration: FormText = "",
) -> _CredentialForm:
    """The posted form, checked: CSRF token first, then the credential configuration."""
    refused: HTMLResponse | None = None
    if not portal.sessions.csrf_ok(session, csrf_token):
        refused = csrf_refused(request, portal, session)
    else:
        try:
            portal.issuer.configuration(source, configuration)
        except NotFound:
            refused = not_found(request, portal, session)
    return _CredentialForm(request, portal, session, source, configuration, refused)


CredentialFormDep = Annotated[_CredentialForm, Depends(_credential_form)]


def _download(
    form: _CredentialForm,
    build: Callable[[str, str, str], bytes | str],
    *,
    media_type: str,
    name: str,
) -> Response:
    """``build(source, subject, configuration)`` as the download ``<source>-<name>``."""
    if form.refused is not None:
        return form.refused
    try:
        content = build(form.source, form.session.subject, form.configuration)
    except NotFound:
        return form.not_found()
    disposition = f'attachment; filename="{form.source}-{name}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.post("/{source}/afschrift.pdf")
def download_pdf(form: CredentialFormDep) -> Response:
    """A sealed PDF copy of the citizen's data at ``source`` (a fresh credential inside)."""
    return _download(
        form, form.portal.issuer.certified_pdf, media_type="application/pdf", name="afschrift.pdf"
    )


@router.post("/{source}/credential.json")
def download_credential(form: CredentialFormDep) -> Response:
    """The citizen's data as a signed credential (ecdsa-rdfc-2019, verifiable by anyone)."""

    def signed(source: str, subject: str, configuration: str) -> str:
        credential = form.portal.issuer.basis_credential(source, subject, configuration)
        return json.dumps(credential, indent=2, ensure_ascii=False)

    return _download(form, signed, media_type="application/vc", name="credential.json")


def _inline_qr(svg: str, label: str) -> Markup:
    """The offer's SVG QR code, sized in whole pixels per module, labelled for screen readers."""
    box = _VIEWBOX.search(svg)
    side = int(box.group(1)) * _QR_PIXELS_PER_MODULE if box else 300
    opening = (
        f'<svg width="{side}" height="{side}" role="img" aria-label="{html.escape(label)}" '
        'shape-rendering="crispEdges" class="qr"'
    )
    return Markup(_SVG_SIZE.sub(opening, svg, count=1))


@router.post("/{source}/wallet")
def add_to_wallet(form: CredentialFormDep) -> Response:
    """A fresh credential offer for the citizen's wallet: QR code, tx_code and expiry."""
    if form.refused is not None:
        return form.refused
    request, issuer, source = form.request, form.portal.issuer, form.source
    language = language_of(request, form.portal.sessions)
    try:
        limit_citizen_offers(request, form.session.subject)
    except TooManyRequests as exc:
        minutes = max(1, round(exc.retry_after / 60))
        page = form.portal.render(
            request,
            "message.html",
            status=429,
            session=form.session,
            title=translate(language, "too_many_title"),
            text=translate(language, "too_many_offers", minutes=minutes),
        )
        page.headers["Retry-After"] = retry_after(exc.retry_after)
        return page
    try:
        offer = issuer.create_offer(source, form.session.subject, form.configuration)
    except IssuerError:
        return form.not_found()
    name = issuer.configuration(source, form.configuration).name
    source_name = issuer.source(source).display_name
    label = translate(language, "wallet_qr_label", name=name, source=source_name)
    return form.portal.render(
        request,
        "wallet.html",
        session=form.session,
        name=name,
        source_name=source_name,
        qr=_inline_qr(offer.qr_svg(), label),
        png=base64.b64encode(offer.qr_png()).decode("ascii"),
        png_name=f"{source}-wallet-qr.png",
        offer_uri=offer.offer_uri,
        tx_code=offer.tx_code,
        expires=format_moment(language, offer.expires_at),
    )
