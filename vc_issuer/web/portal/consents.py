"""The consent pages (Blauwe Knop Plus): give, list and withdraw consents, read their access logs.

Built on :class:`vc_issuer.plus.PlusService` (``app.state.plus``), always for the
citizen of the portal session: the service refuses any grant id that is not
theirs (``NotFound``), so a guessed id shows nothing. Giving consent takes two
steps without JavaScript: choose the organisation and purpose (a GET form),
then the data, the end date and whether it is once only (a POST form with the
CSRF token).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from vc_issuer.errors import IssuerError, NotFound
from vc_issuer.plus import PlusService, scope_item
from vc_issuer.plus.service import GrantView
from vc_issuer.web.portal.i18n import Language, claim_label, format_moment, translate
from vc_issuer.web.portal.sessions import CitizenSession
from vc_issuer.web.portal.views import (
    CitizenDep,
    Portal,
    PortalDep,
    csrf_refused,
    language_of,
    not_found,
    see_other,
)

__all__ = ["router"]

router = APIRouter(prefix="/portaal/toestemmingen", include_in_schema=False)
_TIME_ZONE = ZoneInfo("Europe/Amsterdam")
_MAX_DAYS = 365
_DEFAULT_DAYS = 30
_SUBJECT = "credentialSubject"


@dataclass(frozen=True, slots=True)
class _Claim:
    """One claim a recipient may receive: its form value and its label."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class _SourceScope:
    """What a recipient may receive from one source for one credential configuration."""

    source: str
    source_name: str
    location: str
    configuration_id: str
    configuration_name: str
    claims: tuple[_Claim, ...]


@dataclass(frozen=True, slots=True)
class _Choice:
    """A registered recipient with one of its purposes, and its scope at every source."""

    key: str
    did: str
    name: str
    purpose: str
    scopes: tuple[_SourceScope, ...]


def _plus(request: Request) -> PlusService | None:
    plus: PlusService | None = getattr(request.app.state, "plus", None)
    return plus


def _path_label(language: Language, path: Sequence[str]) -> str:
    names = [name for name in path if name != _SUBJECT]
    return " · ".join(claim_label(language, name) for name in names)


def _choices(portal: Portal, plus: PlusService, language: Language) -> list[_Choice]:
    """Every (recipient, purpose) registered at some source, with what it may receive."""
    grouped: dict[tuple[str, str], list[_SourceScope]] = {}
    names: dict[str, str] = {}
    for record in plus.recipients():
        if not record.active or record.source not in portal.issuer.sources:
            continue
        names[record.did] = record.name
        source = portal.issuer.source(record.source)
        location = portal.issuer.settings.issuer_identifier(record.source)
        for configuration_id, paths in record.scopes.items():
            configuration = source.configurations[configuration_id]
            claims = tuple(
                _Claim(
                    f"{record.source} {configuration_id} {'/'.join(path[1:])}",
                    _path_label(language, path),
                )
                for path in paths
            )
            scope = _SourceScope(
                record.source,
                source.display_name,
                location,
                configuration_id,
                configuration.name(language),
                claims,
            )
            for purpose in record.purposes:
                grouped.setdefault((record.did, purpose), []).append(scope)
    return [
        _Choice(f"{did} {purpose}", did, names[did], purpose, tuple(scopes))
        for (did, purpose), scopes in sorted(grouped.items())
    ]


def _status(language: Language, view: GrantView) -> str:
    return translate(language, f"consent_status_{view.status}")


def _granted_claims(language: Language, portal: Portal, view: GrantView) -> list[str]:
    """``Belastingdienst (demo): Inkomenstoets`` per granted claim."""
    locations = {
        portal.issuer.settings.issuer_identifier(name): source.display_name
        for name, source in portal.issuer.sources.items()
    }
    shown: list[str] = []
    for item in view.record.details:
        where = locations.get(str((item.get("locations") or [""])[0]), "?")
        for claim in item.get("claims", ()):
            shown.append(f"{where}: {_path_label(language, claim.get('path', ()))}")
    return shown


def _summary(language: Language, portal: Portal, view: GrantView) -> dict[str, Any]:
    record = view.record
    display = {name: source.display_name for name, source in portal.issuer.sources.items()}
    return {
        "id": view.id,
        "name": record.recipient_name,
        "recipient": record.recipient,
        "purpose": record.purpose,
        "status": view.status,
        "status_text": _status(language, view),
        "claims": _granted_claims(language, portal, view),
        "valid_from": format_moment(language, record.valid_from),
        "valid_until": format_moment(language, record.valid_until),
        "once": record.max_uses == 1,
        "max_uses": record.max_uses,
        "uses": [(display.get(source, source), count) for source, count in view.uses.items()],
    }


def _unavailable(request: Request, portal: Portal, session: CitizenSession) -> HTMLResponse:
    return portal.message(request, 503, "consents_title", "consents_unavailable", session=session)


@router.get("")
def consents(request: Request, portal: PortalDep, session: CitizenDep) -> HTMLResponse:
    """The citizen's consents and the choice of organisation for a new one."""
    plus = _plus(request)
    if plus is None:
        return _unavailable(request, portal, session)
    language = language_of(request, portal.sessions)
    views = plus.grants_for_citizen(session.subject)
    return portal.render(
        request,
        "consents.html",
        session=session,
        grants=[_summary(language, portal, view) for view in reversed(views)],
        choices=_choices(portal, plus, language),
    )


def _new_page(
    request: Request,
    portal: Portal,
    session: CitizenSession,
    choice: _Choice,
    *,
    status: int = 200,
    error: str | None = None,
    detail: str | None = None,
    chosen: Sequence[str] | None = None,
    until: str | None = None,
    once: bool = False,
) -> HTMLResponse:
    today = datetime.now(_TIME_ZONE).date()
    return portal.render(
        request,
        "consent_new.html",
        status=status,
        session=session,
        choice=choice,
        chosen=None if chosen is None else set(chosen),
        until=until or (today + timedelta(days=_DEFAULT_DAYS)).isoformat(),
        earliest=(today + timedelta(days=1)).isoformat(),
        latest=(today + timedelta(days=_MAX_DAYS)).isoformat(),
        once=once,
        error=error,
        detail=detail,
        switch_path="/portaal/toestemmingen",
    )


def _find_choice(portal: Portal, plus: PlusService, language: Language, key: str) -> _Choice | None:
    return next((c for c in _choices(portal, plus, language) if c.key == key), None)


@router.get("/nieuw")
def new_consent(
    request: Request, portal: PortalDep, session: CitizenDep, keuze: str = ""
) -> HTMLResponse:
    """Step 2 of giving consent: which data, until when, once or not."""
    plus = _plus(request)
    if plus is None:
        return _unavailable(request, portal, session)
    choice = _find_choice(portal, plus, language_of(request, portal.sessions), keuze)
    if choice is None:
        return not_found(request, portal, session)
    return _new_page(request, portal, session, choice)


def _end_of(day: str) -> datetime | None:
    """The last second of ``day`` (YYYY-MM-DD) in Dutch time, if it is tomorrow to a year ahead."""
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return None
    today = datetime.now(_TIME_ZONE).date()
    if not today < chosen <= today + timedelta(days=_MAX_DAYS):
        return None
    return datetime.combine(chosen, time(23, 59, 59), tzinfo=_TIME_ZONE)


def _terms(
    choice: _Choice, claims: Sequence[str], valid_until: datetime, once: bool
) -> dict[str, Any]:
    """The grant terms for PlusService: the chosen claims grouped per source."""
    picked: dict[tuple[str, str], list[str]] = {}
    for value in claims:
        source, _, rest = value.partition(" ")
        configuration_id, _, path = rest.partition(" ")
        picked.setdefault((source, configuration_id), []).append(path)
    details = [
        scope_item(scope.location, scope.configuration_id, picked[key])
        for scope in choice.scopes
        if (key := (scope.source, scope.configuration_id)) in picked
    ]
    terms: dict[str, Any] = {
        "recipient": choice.did,
        "purpose": choice.purpose,
        "authorization_details": details,
        "valid_until": valid_until.isoformat(),
    }
    if once:
        terms["max_uses"] = 1
    return terms


@router.post("")
def give_consent(
    request: Request,
    portal: PortalDep,
    session: CitizenDep,
    csrf_token: Annotated[str, Form()] = "",
    keuze: Annotated[str, Form()] = "",
    claim: Annotated[list[str] | None, Form()] = None,
    geldig_tot: Annotated[str, Form()] = "",
    eenmalig: Annotated[str, Form()] = "",
) -> Response:
    """Give consent: PlusService signs the grant; then its page opens."""
    if not portal.sessions.csrf_ok(session, csrf_token):
        return csrf_refused(request, portal, session)
    plus = _plus(request)
    if plus is None:
        return _unavailable(request, portal, session)
    choice = _find_choice(portal, plus, language_of(request, portal.sessions), keuze)
    if choice is None:
        return not_found(request, portal, session)
    offered = {c.value for scope in choice.scopes for c in scope.claims}
    chosen = [value for value in claim or () if value in offered]
    once = eenmalig == "1"

    def refused(error: str, detail: str | None = None) -> HTMLResponse:
        return _new_page(
            request,
            portal,
            session,
            choice,
            status=400,
            error=error,
            detail=detail,
            chosen=chosen,
            until=geldig_tot,
            once=once,
        )

    if not chosen:
        return refused("consent_pick_claims")
    valid_until = _end_of(geldig_tot)
    if valid_until is None:
        return refused("consent_bad_date")
    try:
        view = plus.grant_for_citizen(session.subject, _terms(choice, chosen, valid_until, once))
    except IssuerError as exc:
        return refused("consent_refused", exc.detail)
    return see_other(f"/portaal/toestemmingen/{view.id}")


def _own_grant(
    request: Request, portal: Portal, session: CitizenSession, grant_id: str
) -> tuple[PlusService, GrantView] | Response:
    """The citizen's grant, or the page that says it is not there (for anyone else's too)."""
    plus = _plus(request)
    if plus is None:
        return _unavailable(request, portal, session)
    try:
        return plus, plus.grant_of_citizen(session.subject, grant_id)
    except NotFound:
        return not_found(request, portal, session)


@router.get("/{grant_id}")
def consent(grant_id: str, request: Request, portal: PortalDep, session: CitizenDep) -> Response:
    """One consent: its terms, the file to hand over, and who fetched what when."""
    found = _own_grant(request, portal, session, grant_id)
    if isinstance(found, Response):
        return found
    plus, view = found
    language = language_of(request, portal.sessions)
    log = plus.access_log_for_citizen(session.subject, grant_id)
    display = {name: source.display_name for name, source in portal.issuer.sources.items()}
    entries = [
        {
            "when": format_moment(language, entry.at),
            "event": translate(language, f"log_event_{entry.event}"),
            "event_code": entry.event,
            "source": display.get(entry.source or "", ""),
            "who": (
                view.record.recipient_name
                if entry.actor == view.record.recipient
                else translate(language, "log_you")
                if entry.actor == "citizen"
                else entry.actor or ""
            ),
            "claims": [
                _path_label(language, claim.strip("/").split("/"))
                for claim in entry.detail.get("claims", ())
            ],
            "error": entry.error,
        }
        for entry in log.entries
    ]
    return portal.render(
        request,
        "consent.html",
        session=session,
        grant=_summary(language, portal, view),
        entries=entries,
        chain_valid=log.check.valid,
    )


@router.post("/{grant_id}/intrekken")
def withdraw(
    grant_id: str,
    request: Request,
    portal: PortalDep,
    session: CitizenDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Withdraw a consent at once: the next fetch is refused, served copies are revoked."""
    if not portal.sessions.csrf_ok(session, csrf_token):
        return csrf_refused(request, portal, session)
    found = _own_grant(request, portal, session, grant_id)
    if isinstance(found, Response):
        return found
    plus, view = found
    if view.status != "revoked":
        plus.revoke_for_citizen(session.subject, grant_id)
    return see_other(f"/portaal/toestemmingen/{grant_id}")


def _attachment(body: str, name: str) -> Response:
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/{grant_id}/toestemming.json")
def grant_document(
    grant_id: str, request: Request, portal: PortalDep, session: CitizenDep
) -> Response:
    """The signed grant, to hand to the organisation."""
    found = _own_grant(request, portal, session, grant_id)
    if isinstance(found, Response):
        return found
    _plus_service, view = found
    return _attachment(json.dumps(view.document, indent=2), "toestemming.json")


@router.get("/{grant_id}/logboek.json")
def access_log(grant_id: str, request: Request, portal: PortalDep, session: CitizenDep) -> Response:
    """The access log, signed by the source, to keep."""
    found = _own_grant(request, portal, session, grant_id)
    if isinstance(found, Response):
        return found
    plus, _view = found
    return _attachment(plus.export_access_log(grant_id), "logboek.json")
