"""The landlord's page: start an income check, show the request QR, see the decision.

A small FastAPI app around :class:`~vc_verifier.Verifier` and the OpenID4VP
router of :mod:`vc_verifier.web`:

- ``GET /``: a form for the household size (and whether to ask for the tax
  office's outcome or the amount);
- ``POST /controles``: starts a check and redirects to its page;
- ``GET /controles/{id}``: the request's QR code and link while it waits,
  then the decision. The page never refreshes itself (WCAG 2.2.1): a link
  checks again, and where JavaScript runs, ``/static/landlord.js`` polls
  ``/controles/{id}/status.json`` and announces in a live region that the
  answer is in, with the link to show it;
- ``GET /controles/{id}/verslag.json``: the signed verification record;
- ``POST /pdf-controles``: "upload a PDF" instead of the QR request: a
  Basis or Basis 2.0 PDF (at most :data:`MAX_UPLOAD_BYTES`) is checked
  (:meth:`~vc_verifier.Verifier.check_certified_pdf`), the income rule
  applied to its verified income statement and a record signed, the same as
  for a wallet's answer; ``GET /pdf-controles/{id}`` shows the decision or
  why the PDF was refused, ``…/verslag.json`` the record;
- ``GET /.well-known/did.json``: the landlord's did:web document (the key
  that signs requests and records); ``/oid4vp/…``: the wallet's endpoints.

Checks belong to the browser (the desk) that started them: a signed cookie
binds them (the check page, its record and the wallet router's status poll),
and the start form carries a CSRF token derived from it. The pages never
show income amounts; the decision, the rule and the names of the claims
shared are shown, and the record keeps only the tax office's yes/no facts.

Every request passes :class:`~vc_core.limits.RequestGuard` (a rate per client,
bodies capped: 64 KiB, the wallet's answer 8 MiB); a desk and a client
address may start only so many checks (``LandlordSettings``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.datastructures import FormData
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from vc_core.errors import ParsingError, Problem
from vc_core.files import private_directory
from vc_core.keys import KeyPair
from vc_core.limits import (
    GUARD_RESPONSES,
    BodyLimit,
    ClientLimit,
    RateLimiter,
    RequestGuard,
    client_address,
    parse_int,
    retry_after,
)
from vc_core.types import Clock, Fetch, JsonObject
from vc_verifier.http import DEFAULT_TIMEOUT, HttpClient, routed_fetch
from vc_verifier.landlord.checks import Ask, Check, Checks, PdfCheck
from vc_verifier.landlord.i18n import (
    LANGUAGES,
    Language,
    explain,
    money,
    pick_language,
    translate,
)
from vc_verifier.landlord.settings import LandlordSettings
from vc_verifier.policy.housing import HousingIncomeRule
from vc_verifier.results import PresentationOutcome
from vc_verifier.transactions import MemoryTransactions, SqliteTransactions, TransactionStore
from vc_verifier.verifier import Verifier
from vc_verifier.web import MAX_BODY_BYTES, create_router

__all__ = ["MAX_HOUSEHOLD", "MAX_UPLOAD_BYTES", "create_landlord_app", "landlord_state"]

MAX_HOUSEHOLD = 12
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
"""The largest upload ``POST /pdf-controles`` reads (an aggregated PDF is about 200 KiB)."""
_DESK_COOKIE = "bk_balie"
_LANGUAGE_COOKIE = "bk_taal"
_STATE_FILE = "landlord.json"
_DATABASE_FILE = "landlord.db"
_QR_PIXELS_PER_MODULE = 6
_SVG_OPENING = re.compile(r'^.*?<svg width="[^"]*" height="[^"]*"', re.DOTALL)
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_TIME_ZONE = ZoneInfo("Europe/Amsterdam")
# Unanswered requests and their checks are deleted this long after they expired
# or started (no request lives that long); the purge runs at start and then
# every ten minutes.
_KEEP_UNANSWERED = timedelta(hours=1)
_PURGE_EVERY_SECONDS = 600.0
_DEFAULT_BODY_LIMIT = 64 * 1024
# Implementation note: the upload route refuses more than MAX_UPLOAD_BYTES with its own
# page; the guard's cap above it stops anything larger before the route reads it.
_BODY_LIMITS = (
    BodyLimit("/oid4vp/response", MAX_BODY_BYTES),
    BodyLimit("/pdf-controles", MAX_UPLOAD_BYTES + 1024 * 1024),
)
_log = logging.getLogger(__name__)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def landlord_state(settings: LandlordSettings) -> tuple[KeyPair, bytes]:
    """The landlord's signing key (under its did:web) and cookie secret; made once, then kept.

    With a ``data_dir`` they live in ``landlord.json`` there (mode 0600);
    without one they are fresh for this process.
    """
    key: KeyPair | None = None
    secret = b""
    path = None if settings.data_dir is None else settings.data_dir / _STATE_FILE
    if path is not None and path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        key, secret = KeyPair.from_multikey(stored["key"]), bytes.fromhex(stored["secret"])
    if key is None:
        key, secret = KeyPair.generate("P-256"), secrets.token_bytes(32)
        if path is not None:
            private_directory(path.parent)
            state = {"key": key.to_multikey(include_secret=True), "secret": secret.hex()}
            path.touch(mode=0o600, exist_ok=False)
            path.write_text(json.dumps(state), encoding="utf-8")
    did = settings.did
    return replace(key, id=f"{did}#key-1", controller=did), secret


def _inline_qr(svg: str, label: str) -> Markup:
    """A QR SVG sized in whole pixels per module, labelled for screen readers."""
    box = _VIEWBOX.search(svg)
    side = int(box.group(1)) * _QR_PIXELS_PER_MODULE if box else 300
    opening = (
        f'<svg width="{side}" height="{side}" role="img" aria-label="{html.escape(label)}" '
        'shape-rendering="crispEdges" class="qr"'
    )
    return Markup(_SVG_OPENING.sub(opening, svg, count=1))


@dataclass
class _Desk:
    """The pages' shared parts: verifier, rule, checks, cookie secret, templates."""

    settings: LandlordSettings
    verifier: Verifier
    rule: HousingIncomeRule
    checks: Checks
    secret: bytes
    clock: Clock
    desk_limiter: RateLimiter | None = None
    client_limiter: RateLimiter | None = None
    templates: Environment = field(
        default_factory=lambda: Environment(
            loader=PackageLoader("vc_verifier.landlord", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )

    def mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def desk_of(self, request: Request) -> str | None:
        """The desk id in the request's signed cookie, or ``None``."""
        token, _, mac = request.cookies.get(_DESK_COOKIE, "").rpartition(".")
        if not token or not hmac.compare_digest(mac, self.mac("desk", token)):
            return None
        return token

    def language(self, request: Request) -> Language:
        return pick_language(
            request.query_params.get("lang"),
            request.cookies.get(_LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
        )

    def render(
        self, request: Request, template: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """Render a page; set the desk cookie if missing and remember a ``?lang=`` choice."""
        language = self.language(request)
        desk = self.desk_of(request)
        new_desk = desk is None
        desk = desk or secrets.token_urlsafe(32)
        body = self.templates.get_template(template).render(
            lang=language,
            other_lang="en" if language == "nl" else "nl",
            t=lambda key, **values: translate(language, key, **values),
            name=self.settings.name,
            path=request.url.path if request.method == "GET" else "/",
            csrf_token=self.mac("csrf", desk),
            **context,
        )
        response = HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
        https = request.url.scheme == "https"
        if new_desk:
            response.set_cookie(
                _DESK_COOKIE,
                f"{desk}.{self.mac('desk', desk)}",
                httponly=True,
                secure=https,
                samesite="strict",
            )
        chosen = request.query_params.get("lang")
        if chosen in LANGUAGES:
            response.set_cookie(
                _LANGUAGE_COOKIE,
                chosen,
                max_age=365 * 24 * 3600,
                httponly=True,
                secure=https,
                samesite="lax",
            )
        return response

    def message(self, request: Request, status: int, title: str, text: str) -> HTMLResponse:
        language = self.language(request)
        return self.render(
            request,
            "message.html",
            status=status,
            title=translate(language, title),
            text=translate(language, text),
        )

    @staticmethod
    def household_size(value: object) -> int:
        """The household size of a form field (ASCII digits only), 0 when it is none."""
        try:
            return parse_int(str(value).strip(), max_digits=2, name="household_size")
        except ParsingError:
            return 0

    def too_many_checks(self, request: Request, desk: str) -> HTMLResponse | None:
        """The 429 page when this desk or its client may not start a check now, else ``None``."""
        wait = self.wait_before_check(request, desk)
        if wait <= 0:
            return None
        language = self.language(request)
        page = self.render(
            request,
            "message.html",
            status=429,
            title=translate(language, "too_many_title"),
            text=translate(language, "too_many_checks", minutes=max(1, round(wait / 60))),
        )
        page.headers["Retry-After"] = retry_after(wait)
        return page

    def wait_before_check(self, request: Request, desk: str) -> float:
        """Seconds before this desk (and its client address) may start another check; 0: now.

        Takes one from both limits when allowed.
        """
        limits = [
            (self.desk_limiter, self.mac("id", desk)),
            (self.client_limiter, client_address(request.scope)),
        ]
        waits = [limiter.wait(key) for limiter, key in limits if limiter is not None]
        if any(waits):
            return max(waits)
        for limiter, key in limits:
            if limiter is not None:
                limiter.take(key)
        return 0.0

    def own_check(self, request: Request, transaction_id: str) -> Check | None:
        """The check, if this desk started it."""
        desk = self.desk_of(request)
        check = self.checks.get(transaction_id)
        if desk is None or check is None:
            return None
        return check if hmac.compare_digest(check.desk, self.mac("id", desk)) else None

    def decide(self, outcome: PresentationOutcome) -> JsonObject | None:
        """Apply the income rule to an answered transaction; sign a record when it verified."""
        check = self.checks.get(outcome.transaction_id)
        if check is None:
            return None
        result = self.rule.evaluate(outcome, household_size=check.household_size)
        if outcome.verified:
            record = self.verifier.sign_record(outcome, result)
            self.checks.keep_record(check.transaction_id, record)
        return result.to_json()

    def own_pdf_check(self, request: Request, check_id: str) -> PdfCheck | None:
        """The check of an uploaded PDF, if this desk made it."""
        desk = self.desk_of(request)
        check = self.checks.get_pdf_check(check_id)
        if desk is None or check is None:
            return None
        return check if hmac.compare_digest(check.desk, self.mac("id", desk)) else None

    def check_pdf(self, desk: str, household_size: int, data: bytes) -> PdfCheck:
        """Check an uploaded certified PDF and decide on its income statement, like a wallet's.

        Refused (with every reason) when the document is not whole, or a
        section of an issuer this landlord trusts does not check out (its seal,
        its credential's proof and status, its printed data); otherwise the
        rule decides on the verified credentials and a record is signed.
        """
        report = self.verifier.check_certified_pdf(data)
        check_id = secrets.token_urlsafe(16)
        sources = [
            {
                "name": source.name,
                "seal": source.seal.present
                and source.seal.intact
                and source.seal.later_changes != "other",
                "credential": source.credential.verified,
                "status": source.credential.status,
                "printed": source.printed.matches,
                "trusted": source.issuer in self.verifier.trusted_issuers,
            }
            for source in report.sources
        ]
        problems = list(report.problems_for(self.verifier.trusted_issuers.issuers))
        if not problems and report.presentation is None:
            problems.append(
                Problem(
                    "NO_TRUSTED_CREDENTIAL",
                    "the PDF holds no credential of an issuer this landlord trusts",
                )
            )
        outcome: JsonObject = {"sources": sources}
        record = None
        if problems or report.presentation is None:
            outcome["refused"] = [
                {"code": p.code, "detail": p.detail, "path": p.path} for p in problems
            ]
        else:
            result = self.rule.evaluate(report.presentation, household_size=household_size)
            outcome["decision"] = result.to_json()
            record = self.verifier.sign_record(
                report.presentation, result, transaction_id=f"pdf:{report.sha256}"
            )
        check = PdfCheck(
            check_id,
            self.mac("id", desk),
            household_size,
            self.clock(),
            report.sha256,
            outcome,
            record,
        )
        self.checks.add_pdf_check(check)
        return check

    def start(self, desk: str, household_size: int, ask: Ask) -> str:
        """Create the OpenID4VP request of a new check; return its transaction id."""
        transaction = self.verifier.create_request(
            self.rule.dcql_query(prefer_facts=ask == "facts"),
            response_uri=f"{self.settings.public_url}/oid4vp/response",
            purpose=(
                f"Inkomenstoets sociale huur {self.rule.year} "
                f"voor een huishouden van {household_size}"
            ),
        )
        self.checks.add(
            Check(transaction.id, self.mac("id", desk), household_size, ask, self.clock())
        )
        return transaction.id

    def start_page(
        self, request: Request, *, error: str | None = None, household_size: str = ""
    ) -> HTMLResponse:
        """The start page: the QR request form, the PDF upload form, the limits table."""
        return self.render(
            request,
            "start.html",
            status=200 if error is None else 400,
            rule=self.rule,
            limits=self.limits(self.language(request)),
            max=MAX_HOUSEHOLD,
            max_upload_mb=MAX_UPLOAD_BYTES // 2**20,
            error=error,
            household_size=household_size,
        )

    def limits(self, language: Language) -> list[tuple[str, str]]:
        largest = max(self.rule.limits)
        return [
            (
                translate(language, "persons", count=size) if size == largest else str(size),
                money(language, amount),
            )
            for size, amount in self.rule.limits.items()
        ]


def _check_context(desk: _Desk, language: Language, check: Check) -> dict[str, Any]:
    """What a check's page shows: the request while it waits, the decision when answered."""
    status = desk.verifier.transaction_status(check.transaction_id)
    transaction = desk.verifier.transactions.get(check.transaction_id)
    state = "expired" if status is None or transaction is None else status.status
    context: dict[str, Any] = {"check": check, "state": state, "answer": status}
    if state == "pending" and transaction is not None:
        context["qr"] = _inline_qr(transaction.qr_svg(), translate(language, "qr_label"))
        context["uri"] = transaction.uri
        local = transaction.expires_at.astimezone(_TIME_ZONE)
        context["valid_until"] = f"{local:%H:%M}"
    context.update(
        _decision_context(language, status.result if status is not None else None, check.record)
    )
    context["waiting"] = state in ("pending", "processing")
    context["failed_attempts"] = status.failed_attempts if status is not None else 0
    return context


def _decision_context(
    language: Language, decision: JsonObject | None, record: JsonObject | None
) -> dict[str, Any]:
    """What the decision part of a page shows: the decision, its limit, the issuers."""
    context: dict[str, Any] = {"decision": decision}
    if decision is not None:
        context["limit"] = money(language, Decimal(str(decision.get("limit", "0"))))
    if record is not None:
        context["issuers"] = sorted(
            {str(item["issuer"]) for item in record["record"].get("credentials", ())}
        )
    return context


def create_landlord_app(
    settings: LandlordSettings | None = None,
    *,
    fetch: Fetch | None = None,
    transactions: TransactionStore | None = None,
    clock: Clock = _utc_now,
) -> FastAPI:
    """Build the landlord's app. ``fetch`` replaces the HTTPS fetcher (status lists, did:web)."""
    settings = settings or LandlordSettings()
    key, secret = landlord_state(settings)
    if settings.data_dir is not None:
        private_directory(settings.data_dir)
    database = ":memory:" if settings.data_dir is None else settings.data_dir / _DATABASE_FILE
    client: HttpClient | None = None
    if fetch is None:
        client = HttpClient(timeout=DEFAULT_TIMEOUT, follow_redirects=False)
        fetch = routed_fetch(client, settings.fetch_overrides)
    if transactions is None:
        transactions = (
            MemoryTransactions() if settings.data_dir is None else SqliteTransactions(database)
        )
    verifier = Verifier(
        client_id=settings.client_id,
        signing_key=key,
        trusted_issuers={did: list(types) for did, types in settings.trusted_issuers.items()},
        transactions=transactions,
        fetch=fetch,
        clock=clock,
        trusted_seals=settings.seal_certificates(),
        max_failed_responses=settings.max_failed_responses,
    )
    limits = settings.rate_limits
    desk = _Desk(
        settings=settings,
        verifier=verifier,
        rule=HousingIncomeRule.load(year=settings.rule_year),
        checks=Checks(database),
        secret=secret,
        clock=clock,
        desk_limiter=RateLimiter(settings.checks_per_desk) if limits else None,
        client_limiter=RateLimiter(settings.checks_per_client) if limits else None,
    )

    async def purge() -> None:
        cutoff = clock() - _KEEP_UNANSWERED
        try:
            await run_in_threadpool(transactions.purge, before=cutoff)
            await run_in_threadpool(desk.checks.purge_undecided, before=cutoff)
        except Exception as exc:  # the next round tries again
            _log.error("purge_failed", extra={"error": type(exc).__name__})

    async def purge_forever() -> None:
        while True:
            await asyncio.sleep(_PURGE_EVERY_SECONDS)
            await purge()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await purge()
        task = asyncio.create_task(purge_forever())
        try:
            yield
        finally:
            task.cancel()
            desk.checks.close()
            if client is not None:
                client.close()

    app = FastAPI(
        title=f"{settings.name}: inkomenstoets",
        lifespan=lifespan,
        responses=GUARD_RESPONSES,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.desk = desk
    app.include_router(
        create_router(
            verifier,
            on_outcome=desk.decide,
            status_access=lambda request, tid: desk.own_check(request, tid) is not None,
        )
    )
    _add_pages(app, desk)
    app.add_middleware(
        RequestGuard,
        default_max_bytes=_DEFAULT_BODY_LIMIT,
        body_limits=_BODY_LIMITS,
        client_limits=[ClientLimit(".*", RateLimiter(settings.client_rate))] if limits else [],
    )
    return app


def _page(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


_NOT_YOURS: dict[int | str, dict[str, Any]] = {
    404: _page("No such check, or another desk started it.")
}


def _record_download(record: JsonObject, check_id: str) -> Response:
    name = f"verificatieverslag-{check_id[:12]}.json"
    return Response(
        json.dumps(record, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


_RECORD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The signed verification record, as a download.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    404: _page("No such decided check of this desk."),
}


def _static_file(name: str, media_type: str) -> Callable[[], Response]:
    """A route answering with one of the page's static files (cached for an hour)."""
    content = resources.files("vc_verifier.landlord").joinpath("static", name).read_bytes()

    def static_file() -> Response:
        return Response(
            content, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
        )

    static_file.__name__ = name.replace(".", "_")
    return static_file


async def _bounded_form(request: Request, limit: int) -> FormData | None:
    """The multipart form of ``request`` if its body is at most ``limit`` bytes, else ``None``.

    Implementation note: the body is read with a running count before it is
    parsed, so an oversized upload is refused without being stored; a declared
    ``Content-Length`` over the limit is refused before reading.
    """
    declared = request.headers.get("content-length")
    try:
        if declared is not None and parse_int(declared, name="Content-Length") > limit:
            return None
    except ParsingError:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=1, max_fields=8)
    except Exception:  # a malformed multipart body is simply no form
        return FormData()


def _add_pages(app: FastAPI, desk: _Desk) -> None:
    """The HTML pages, the stylesheet and the DID document."""

    @app.get("/", response_class=HTMLResponse, responses={200: _page("The start form.")})
    def start_page(request: Request) -> HTMLResponse:
        return desk.start_page(request)

    @app.post(
        "/controles",
        status_code=303,
        responses={
            303: {"description": "Started; the check's page is at Location."},
            400: _page("The household size is not 1 to 12: the form again, with the error."),
            403: _page("The form's CSRF token does not belong to this desk."),
        },
    )
    def start_check(
        request: Request,
        csrf_token: Annotated[str, Form()] = "",
        household_size: Annotated[str, Form()] = "",
        ask: Annotated[str, Form()] = "facts",
    ) -> Response:
        token = desk.desk_of(request)
        if token is None or not hmac.compare_digest(csrf_token, desk.mac("csrf", token)):
            return desk.message(request, 403, "forbidden_title", "csrf_refused")
        size = desk.household_size(household_size)
        if not 1 <= size <= MAX_HOUSEHOLD:
            return desk.start_page(request, error="bad_household", household_size=household_size)
        refused = desk.too_many_checks(request, token)
        if refused is not None:
            return refused
        transaction_id = desk.start(token, size, "amount" if ask == "amount" else "facts")
        return RedirectResponse(f"/controles/{transaction_id}", status_code=303)

    @app.get(
        "/controles/{transaction_id}",
        response_class=HTMLResponse,
        responses={
            200: _page("The request's QR code while it waits, then the decision."),
            **_NOT_YOURS,
        },
    )
    def check_page(transaction_id: str, request: Request) -> HTMLResponse:
        check = desk.own_check(request, transaction_id)
        if check is None:
            return desk.message(request, 404, "not_found_title", "not_found")
        context = _check_context(desk, desk.language(request), check)
        return desk.render(request, "check.html", **context)

    @app.get(
        "/controles/{transaction_id}/verslag.json",
        responses=_RECORD_RESPONSES,
    )
    def record(transaction_id: str, request: Request) -> Response:
        check = desk.own_check(request, transaction_id)
        if check is None or check.record is None:
            return desk.message(request, 404, "not_found_title", "not_found")
        return _record_download(check.record, transaction_id)

    @app.get(
        "/controles/{transaction_id}/status.json",
        responses={
            200: {
                "description": "Where the check stands.",
                "content": {
                    "application/json": {"schema": {"type": "object", "required": ["state"]}}
                },
            },
            404: {
                "description": "No such check of this desk.",
                "content": {
                    "application/json": {"schema": {"type": "object", "required": ["state"]}}
                },
            },
        },
    )
    def check_state(transaction_id: str, request: Request) -> Response:
        """Where this desk's check stands, for the page's script: ``{"state": ...}``."""
        check = desk.own_check(request, transaction_id)
        if check is None:
            return JSONResponse({"state": "unknown"}, status_code=404, headers=SECURITY_HEADERS)
        status = desk.verifier.transaction_status(check.transaction_id)
        state = "expired" if status is None else status.status
        return JSONResponse({"state": state}, headers=SECURITY_HEADERS)

    @app.post(
        "/pdf-controles",
        status_code=303,
        responses={
            303: {"description": "Checked; the outcome's page is at Location."},
            400: _page("The household size is not 1 to 12, or the file is not a PDF."),
            403: _page("The form's CSRF token does not belong to this desk."),
            413: _page("The upload is larger than the page takes."),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["csrf_token", "household_size", "pdf"],
                            "properties": {
                                "csrf_token": {"type": "string"},
                                "household_size": {"type": "string"},
                                "pdf": {"type": "string", "format": "binary"},
                            },
                        }
                    }
                },
            }
        },
    )
    async def upload_pdf(request: Request) -> Response:
        """Check an uploaded certified PDF (multipart: csrf_token, household_size, pdf)."""
        form = await _bounded_form(request, MAX_UPLOAD_BYTES)
        if form is None:
            return desk.message(request, 413, "too_large_title", "too_large")
        token = desk.desk_of(request)
        csrf = form.get("csrf_token")
        if (
            token is None
            or not isinstance(csrf, str)
            or not hmac.compare_digest(csrf, desk.mac("csrf", token))
        ):
            return desk.message(request, 403, "forbidden_title", "csrf_refused")
        household = form.get("household_size")
        size = desk.household_size(household) if isinstance(household, str) else 0
        upload = form.get("pdf")
        # Implementation note: Starlette's parser gives its own UploadFile (not FastAPI's).
        data = b"" if upload is None or isinstance(upload, str) else await upload.read()
        error = (
            "bad_household"
            if not 1 <= size <= MAX_HOUSEHOLD
            else None
            if data.startswith(b"%PDF-")
            else "no_pdf"
        )
        if error is not None:
            shown = household if isinstance(household, str) else ""
            return desk.start_page(request, error=error, household_size=shown)
        refused = desk.too_many_checks(request, token)
        if refused is not None:
            return refused
        check = await run_in_threadpool(desk.check_pdf, token, size, data)
        return RedirectResponse(f"/pdf-controles/{check.id}", status_code=303)

    @app.get(
        "/pdf-controles/{check_id}",
        response_class=HTMLResponse,
        responses={200: _page("The PDF check's outcome."), **_NOT_YOURS},
    )
    def pdf_check_page(check_id: str, request: Request) -> HTMLResponse:
        check = desk.own_pdf_check(request, check_id)
        if check is None:
            return desk.message(request, 404, "not_found_title", "not_found")
        language = desk.language(request)
        return desk.render(
            request,
            "pdf_check.html",
            check=check,
            explain=lambda code: explain(language, code),
            **_decision_context(language, check.outcome.get("decision"), check.record),
        )

    @app.get(
        "/pdf-controles/{check_id}/verslag.json",
        response_class=Response,
        responses=_RECORD_RESPONSES,
    )
    def pdf_record(check_id: str, request: Request) -> Response:
        check = desk.own_pdf_check(request, check_id)
        if check is None or check.record is None:
            return desk.message(request, 404, "not_found_title", "not_found")
        return _record_download(check.record, check_id)

    for name, media_type, description in (
        ("landlord.js", "text/javascript", "The page's script."),
        ("landlord.css", "text/css", "The stylesheet."),
    ):
        app.add_api_route(
            f"/static/{name}",
            _static_file(name, media_type),
            methods=["GET"],
            response_class=Response,
            responses={
                200: {
                    "description": description,
                    "content": {media_type: {"schema": {"type": "string"}}},
                }
            },
        )

    @app.get(
        "/.well-known/did.json",
        response_class=Response,
        responses={
            200: {
                "description": "The landlord's DID document.",
                "content": {"application/did+json": {"schema": {"type": "object"}}},
            }
        },
    )
    def did_document() -> JSONResponse:
        method = desk.verifier.signing_key.to_multikey()
        did = desk.settings.did
        return JSONResponse(
            {
                "@context": [
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/multikey/v1",
                ],
                "id": did,
                "verificationMethod": [method],
                "authentication": [method["id"]],
                "assertionMethod": [method["id"]],
            },
            media_type="application/did+json",
        )
