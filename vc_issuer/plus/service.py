"""The Plus service of one issuer deployment: recipients, grants, fetches, revocation, logs.

Framework-free like :class:`~vc_issuer.oid4vci.CredentialIssuerService`: the
web routes (``vc_issuer.web.routes.plus``), the CLI and the citizen portal
call these methods with parsed input and get values back, or an
``OAuthError``/``IssuerError`` to answer with. See the package docstring
for the design.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vc_core.errors import (
    JwsError,
    ParsingError,
)
from vc_core.formats import credential_format
from vc_core.jws import parse_jws, sign_jws, verify_jws
from vc_core.keys import PublicKey
from vc_core.limits import RateLimiter
from vc_core.types import Clock, CryptosuiteName, JsonObject
from vc_issuer.db import (
    AccessRecord,
    GrantRecord,
    PlusUnit,
    RecipientRecord,
    Unit,
)
from vc_issuer.errors import (
    ClientAuthenticationFailed,
    CredentialRequestDenied,
    InsufficientScope,
    InvalidGrant,
    InvalidNonce,
    InvalidRequest,
    InvalidScope,
    NotFound,
    OAuthError,
    TooManyRequests,
)
from vc_issuer.issuer import IssuedCredential, Issuer
from vc_issuer.oid4vci.nonces import NonceService
from vc_issuer.plus.chain import ChainCheck, entry_json, seal_entry, verify_access_log
from vc_issuer.plus.holders import HolderLinker, Holders
from vc_issuer.plus.scope import (
    ClaimPath,
    ScopeItem,
    covers,
    parse_authorization_details,
    parse_claim_paths,
    select_claims,
)
from vc_issuer.plus.tokens import (
    ACCESS_LOG_TYP,
    ALGORITHMS,
    CONSENT_CONTROL_TYP,
    CONSENT_REQUEST_TYP,
    GRANT_TYP,
    ClientAssertion,
    check_client_assertion,
    numeric_date,
    payload_hash,
    sign_grant,
)

__all__ = [
    "DEFAULT_GRANT_PERIOD",
    "MAX_GRANT_PERIOD",
    "AccessLog",
    "FetchResult",
    "GrantTerms",
    "GrantView",
    "PlusService",
    "recipient_json",
]

DEFAULT_GRANT_PERIOD = timedelta(days=30)
"""How long a grant lasts when the citizen names no end."""
MAX_GRANT_PERIOD = timedelta(days=366)
"""The longest a grant may last."""
_MAX_USES = 100
_REQUEST_AGE = timedelta(minutes=5)
_CLOCK_SKEW = timedelta(seconds=60)
_PURGE_EVERY_SECONDS = 600.0
_PLUS_CRYPTOSUITE: CryptosuiteName = "ecdsa-rdfc-2019"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _new_grant_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _grant_label(grant_id: str) -> str:
    return f"plus-grant:{grant_id}"


def _text(value: object, name: str, *, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidRequest(f"{name} must be a non-empty string of at most {limit} characters")
    return value


def _did(value: object, name: str) -> str:
    text = _text(value, name, limit=255)
    if not text.startswith(("did:key:", "did:web:")) or "#" in text:
        raise InvalidRequest(f"{name} must be a did:key or did:web DID")
    return text


def recipient_json(record: RecipientRecord) -> JsonObject:
    """A registration as the admin API shows it."""
    return {
        "source": record.source,
        "did": record.did,
        "name": record.name,
        "purposes": list(record.purposes),
        "scopes": [
            {
                "credential_configuration_id": configuration_id,
                "claims": [{"path": path} for path in paths],
            }
            for configuration_id, paths in record.scopes.items()
        ],
        "keys": [{"id": kid, "publicKeyMultibase": key} for kid, key in record.keys.items()],
        "active": record.active,
        "registered_at": _stamp(record.registered_at),
    }


@dataclass(frozen=True, slots=True)
class GrantTerms:
    """What the citizen consents to: recipient, purpose, scope, until when, how often, to whom.

    ``holder`` is the DID the credentials will be bound to (``None``: a fresh
    pseudonym for this grant).
    """

    recipient: str
    purpose: str
    items: tuple[ScopeItem, ...]
    valid_until: datetime
    max_uses: int | None
    holder: str | None = None


@dataclass(frozen=True, slots=True)
class GrantView:
    """A grant as the citizen and the admin see it (never the BSN)."""

    record: GrantRecord
    status: str
    uses: Mapping[str, int]

    @property
    def id(self) -> str:
        """The grant id (``urn:uuid:…``), also the JWT ``jti``."""
        return self.record.id

    @property
    def document(self) -> JsonObject:
        """The signed grant: General JWS JSON Serialization."""
        document: JsonObject = json.loads(self.record.document)
        return document

    def to_json(self) -> JsonObject:
        """The view as JSON (``grant`` is the signed document the citizen keeps)."""
        record = self.record
        return {
            "id": record.id,
            "status": self.status,
            "recipient": {"id": record.recipient, "name": record.recipient_name},
            "holder": record.holder,
            "purpose": record.purpose,
            "sources": list(record.sources),
            "authorization_details": record.details,
            "valid_from": _stamp(record.valid_from),
            "valid_until": _stamp(record.valid_until),
            "max_uses": record.max_uses,
            "uses": dict(self.uses),
            "granted_via": record.granted_via,
            "granted_at": _stamp(record.created_at),
            "revoked_at": _stamp(record.revoked_at),
            "revoked_by": record.revoked_by,
            "grant": self.document,
        }


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a recipient's fetch served: the credential and its access-log entry."""

    credential: IssuedCredential
    grant_id: str
    entry: AccessRecord

    def to_json(self) -> JsonObject:
        """The response body of the recipient API."""
        return {
            "credential": self.credential,
            "grant": self.grant_id,
            "access": {"seq": self.entry.seq, "at": entry_json(self.entry)["at"]},
        }


@dataclass(frozen=True, slots=True)
class AccessLog:
    """A grant's access log, oldest first, with the result of checking its hash chain."""

    grant_id: str
    entries: tuple[AccessRecord, ...]
    check: ChainCheck

    def to_json(self) -> JsonObject:
        """The log as JSON: every entry (with hashes) and whether the chain is intact."""
        return {
            "grant": self.grant_id,
            "chain_valid": self.check.valid,
            "problems": list(self.check.problems),
            "entries": [entry_json(entry) for entry in self.entries],
        }


@dataclass(slots=True)
class _Attempt:
    """Who is fetching: ``recipient`` once its client assertion verified (else anonymous)."""

    chain: str
    recipient: str | None = None


class _AlreadyEndedError(Exception):
    """Rolls a revocation back when the grant was no longer active under the lock."""


class PlusService:
    """Blauwe Knop Plus for every source of one :class:`Issuer` (see the package docstring).

    Building it registers the issuance hook that links wallet holder keys to
    citizens, so build it once per process before credentials are issued
    (``create_app`` does). ``clock`` is the default clock of every method;
    ``new_id`` makes grant ids. ``anonymous_limiter`` rate-limits, per client,
    the fetches refused before the recipient authenticated (``None``: no limit).
    """

    def __init__(
        self,
        issuer: Issuer,
        *,
        clock: Clock = _utc_now,
        new_id: Callable[[], str] = _new_grant_id,
        anonymous_limiter: RateLimiter | None = None,
    ) -> None:
        self.issuer = issuer
        self.clock = clock
        self._new_id = new_id
        self._anonymous = anonymous_limiter
        self._anonymous_lock = threading.Lock()
        self.anonymous_refusals = 0
        """Fetches refused before authentication since start (counted, never logged)."""
        settings = issuer.settings
        self._locations = {settings.issuer_identifier(name): name for name in issuer.sources}
        self.holders = Holders(issuer)
        self.nonces = NonceService(
            issuer.keys.derived_secret("plus-nonce"),
            ttl=timedelta(seconds=settings.nonce_ttl_seconds),
        )
        self._purged_at = time.monotonic()
        self._purge_lock = threading.Lock()
        linker = HolderLinker(issuer)
        if linker not in issuer.issued_hooks:
            issuer.issued_hooks.append(linker)

    # Recipients --------------------------------------------------------------------------------

    def register_recipient(
        self,
        source: str,
        *,
        did: object,
        name: object,
        purposes: object,
        scopes: object,
        keys: object = None,
        active: bool = True,
    ) -> RecipientRecord:
        """Register (or update) an organisation that may receive data from ``source``.

        ``scopes`` is a list of ``{"credential_configuration_id", "claims": [{"path"}]}``:
        the most this recipient may ever get for its purposes. ``keys`` lists
        ``{"id", "publicKeyMultibase"}`` of the keys its client assertions are
        signed with; a did:key recipient may leave it out. Raises ``InvalidRequest``
        or ``InvalidScope`` for bad input and ``NotFound`` for an unknown source.
        """
        adapter = self.issuer.source(source)
        recipient = _did(did, "did")
        if not isinstance(purposes, list) or not purposes:
            raise InvalidRequest("purposes must be a non-empty list of strings")
        purpose_names = tuple(_text(p, "every purpose") for p in purposes)
        if not isinstance(scopes, list) or not scopes:
            raise InvalidScope("scopes must be a non-empty list")
        allowed: dict[str, list[list[str]]] = {}
        for scope in scopes:
            configuration_id = (
                scope.get("credential_configuration_id") if isinstance(scope, dict) else None
            )
            if configuration_id not in adapter.configurations:
                raise InvalidScope(f"{source} has no credential configuration {configuration_id!r}")
            paths = parse_claim_paths(scope.get("claims"))
            allowed[str(configuration_id)] = [list(path) for path in paths]
        record = RecipientRecord(
            source=source,
            did=recipient,
            name=_text(name, "name"),
            purposes=purpose_names,
            scopes=allowed,
            keys=self._recipient_keys(recipient, keys),
            active=active,
            registered_at=self.clock(),
        )
        with self.issuer.db.write() as unit:
            PlusUnit(unit).save_recipient(record)
        return record

    @staticmethod
    def _recipient_keys(did: str, keys: object) -> dict[str, str]:
        if keys is None and did.startswith("did:key:"):
            try:
                key = PublicKey.from_multibase(did.removeprefix("did:key:"))
            except ParsingError as exc:
                raise InvalidRequest(f"{did} is not a did:key of a supported key") from exc
            return {f"{did}#{key.multibase}": key.multibase}
        if not isinstance(keys, list) or not keys:
            raise InvalidRequest("keys must list the recipient's {id, publicKeyMultibase}")
        found: dict[str, str] = {}
        for key in keys:
            kid = key.get("id") if isinstance(key, dict) else None
            multibase = key.get("publicKeyMultibase") if isinstance(key, dict) else None
            if not isinstance(kid, str) or not kid.startswith(did + "#"):
                raise InvalidRequest(f"every key id is a DID URL of {did}")
            try:
                PublicKey.from_multibase(str(multibase))
            except ParsingError as exc:
                raise InvalidRequest(f"key {kid} has no valid publicKeyMultibase") from exc
            found[kid] = str(multibase)
        return found

    def recipients(self, source: str | None = None) -> list[RecipientRecord]:
        """Registered recipients, of one source or of all."""
        if source is not None:
            self.issuer.source(source)
        with self.issuer.db.read() as unit:
            return PlusUnit(unit).recipients(source)

    def _active_recipient(self, source: str, did: str) -> RecipientRecord | None:
        with self.issuer.db.read() as unit:
            record = PlusUnit(unit).recipient(source, did)
        return record if record is not None and record.active else None

    # Terms and grants ------------------------------------------------------------------------

    def parse_terms(self, value: object, *, now: datetime) -> GrantTerms:
        """Read grant terms (``recipient``, ``purpose``, ``authorization_details``,
        optional ``valid_until`` (RFC 3339), ``max_uses``, ``holder``) and check
        them against the recipient's registrations; ``InvalidRequest``/``InvalidScope``."""
        if not isinstance(value, Mapping):
            raise InvalidRequest("the grant terms must be a JSON object")
        recipient = _did(value.get("recipient"), "recipient")
        purpose = _text(value.get("purpose"), "purpose")
        items = parse_authorization_details(
            value.get("authorization_details"),
            locations=self._locations,
            configurations={n: list(s.configurations) for n, s in self.issuer.sources.items()},
        )
        valid_until = now + DEFAULT_GRANT_PERIOD
        if value.get("valid_until") is not None:
            try:
                valid_until = datetime.fromisoformat(_text(value["valid_until"], "valid_until"))
            except ValueError as exc:
                raise InvalidRequest("valid_until must be an RFC 3339 date-time") from exc
            if valid_until.tzinfo is None:
                raise InvalidRequest("valid_until needs a time zone")
        if not now < valid_until <= now + MAX_GRANT_PERIOD:
            raise InvalidRequest(f"valid_until must lie within {MAX_GRANT_PERIOD.days} days ahead")
        max_uses = value.get("max_uses")
        if max_uses is not None and (
            not isinstance(max_uses, int)
            or isinstance(max_uses, bool)
            or not 1 <= max_uses <= _MAX_USES
        ):
            raise InvalidRequest(f"max_uses must be a whole number from 1 to {_MAX_USES}")
        holder = value.get("holder")
        if holder is not None:
            holder = _text(holder, "holder", limit=255)
            if ":" not in holder or "#" in holder or any(c.isspace() for c in holder):
                raise InvalidRequest("holder must be a DID or URI without a fragment")
        terms = GrantTerms(recipient, purpose, items, valid_until, max_uses, holder)
        with self.issuer.db.read() as unit:
            self._recipient_name(PlusUnit(unit), terms)
        return terms

    @staticmethod
    def _recipient_name(plus: PlusUnit, terms: GrantTerms) -> str:
        """Check the terms against the recipient's registration at every source in scope."""
        names = []
        for item in terms.items:
            registered = plus.recipient(item.source, terms.recipient)
            if registered is None or not registered.active:
                raise InvalidRequest(f"{terms.recipient} is not a recipient of {item.source}")
            if terms.purpose not in registered.purposes:
                raise InvalidScope(
                    f"{registered.name} is registered at {item.source} for "
                    f"{list(registered.purposes)}, not for {terms.purpose!r}"
                )
            allowed = registered.scopes.get(item.configuration_id, [])
            beyond = [p for p in item.pointers() if not covers(allowed, p.split("/")[1:])]
            if beyond:
                raise InvalidScope(f"{registered.name} may not receive {beyond} from {item.source}")
            names.append(registered.name)
        return names[0]

    def _create_grant(
        self,
        *,
        bsn: str,
        terms: GrantTerms,
        holder: str,
        via: str,
        actor: str,
        clock: Clock,
    ) -> GrantView:
        now = clock().replace(microsecond=0)
        grant_id = self._new_id()
        with self.issuer.db.read() as unit:
            recipient_name = self._recipient_name(PlusUnit(unit), terms)
        payload: JsonObject = {
            "jti": grant_id,
            "sub": holder,
            "aud": terms.recipient,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int(terms.valid_until.timestamp()),
            "recipient_name": recipient_name,
            "purpose": terms.purpose,
            "authorization_details": [item.to_json() for item in terms.items],
            "granted_via": via,
        }
        if terms.max_uses is not None:
            payload["max_uses"] = terms.max_uses
        signed = sign_grant(
            payload,
            [(self.issuer.keys.signing_key(item.source), item.location) for item in terms.items],
        )
        record = GrantRecord(
            id=grant_id,
            recipient=terms.recipient,
            recipient_name=recipient_name,
            subject_ref=self.issuer.subject_ref(bsn),
            sealed_bsn=self.issuer.keys.seal(bsn.encode(), label=_grant_label(grant_id)),
            holder=holder,
            purpose=terms.purpose,
            details=payload["authorization_details"],
            sources=tuple(item.source for item in terms.items),
            valid_from=now,
            valid_until=datetime.fromtimestamp(payload["exp"], UTC),
            max_uses=terms.max_uses,
            state="active",
            granted_via=via,
            created_at=now,
            revoked_at=None,
            revoked_by=None,
            payload_hash=signed.payload_hash,
            document=json.dumps(signed.document, separators=(",", ":")),
        )
        with self.issuer.db.write() as unit:
            plus = PlusUnit(unit)
            plus.add_grant(record)
            plus.start_chain(grant_id)
            self._append(
                plus,
                grant_id,
                event="granted",
                source=None,
                actor=actor,
                detail={"via": via, "sources": list(record.sources)},
                clock=clock,
            )
        return self._view(record, clock=clock)

    @staticmethod
    def _append(
        plus: PlusUnit,
        chain: str,
        *,
        event: str,
        source: str | None,
        actor: str | None,
        detail: JsonObject,
        clock: Clock,
        error: str | None = None,
    ) -> AccessRecord:
        """Add an entry to a chain (taking its lock first) inside ``plus``'s transaction."""
        slot = plus.reserve_entry(chain)
        entry = seal_entry(
            AccessRecord(
                chain, slot.seq, clock(), event, source, actor, error, detail, slot.prev_hash
            )
        )
        plus.write_entry(entry)
        return entry

    def _view(self, record: GrantRecord, *, clock: Clock | None = None) -> GrantView:
        now = (clock or self.clock)()
        with self.issuer.db.read() as unit:
            served = PlusUnit(unit).served_entries(record.id)
        uses = {source: sum(1 for e in served if e.source == source) for source in record.sources}
        if record.state == "revoked":
            status = "revoked"
        elif now >= record.valid_until:
            status = "expired"
        elif record.max_uses is not None and all(n >= record.max_uses for n in uses.values()):
            status = "used"
        else:
            status = "active"
        return GrantView(record, status, uses)

    def _grant(self, grant_id: str) -> GrantRecord | None:
        with self.issuer.db.read() as unit:
            return PlusUnit(unit).grant(grant_id)

    # The citizen, logged in at the source ----------------------------------------------------

    def grant_for_citizen(
        self, bsn: str, terms: object, *, clock: Clock | None = None
    ) -> GrantView:
        """A grant the citizen gives through the source's own login (``bsn`` is authenticated)."""
        clock = clock or self.clock
        parsed = self.parse_terms(terms, now=clock())
        holder = parsed.holder or f"urn:uuid:{uuid.uuid4()}"
        return self._create_grant(
            bsn=bsn, terms=parsed, holder=holder, via="login", actor="citizen", clock=clock
        )

    def grants_for_citizen(self, bsn: str) -> list[GrantView]:
        """Every grant the citizen gave, oldest first."""
        with self.issuer.db.read() as unit:
            records = PlusUnit(unit).grants_of(subject_ref=self.issuer.subject_ref(bsn))
        return [self._view(record) for record in records]

    def _citizens_grant(self, bsn: str, grant_id: str) -> GrantRecord:
        record = self._grant(grant_id)
        if record is None or record.subject_ref != self.issuer.subject_ref(bsn):
            raise NotFound("you have no grant with this id")
        return record

    def grant_of_citizen(self, bsn: str, grant_id: str) -> GrantView:
        """One of the citizen's grants; ``NotFound`` for any other grant."""
        return self._view(self._citizens_grant(bsn, grant_id))

    def revoke_for_citizen(
        self, bsn: str, grant_id: str, *, clock: Clock | None = None
    ) -> GrantView:
        """Revoke one of the citizen's grants at once; ``NotFound`` for any other grant."""
        return self._revoke(self._citizens_grant(bsn, grant_id), by="citizen", clock=clock)

    def access_log_for_citizen(self, bsn: str, grant_id: str) -> AccessLog:
        """Every access to one of the citizen's grants: who, when, what, and refusals."""
        return self.access_log(self._citizens_grant(bsn, grant_id).id)

    # The citizen's wallet --------------------------------------------------------------------

    def nonce(self, source: str, *, clock: Clock | None = None) -> str:
        """A fresh nonce for a wallet's consent request to ``source``."""
        self.issuer.source(source)
        return self.nonces.issue(source=source, clock=clock or self.clock)

    def _holder_request(
        self, source: str, body: object, *, typ: str, clock: Clock
    ) -> tuple[str, JsonObject]:
        """Verify a holder-signed request (did:key, aud = ``source``, recent); (holder, claims)."""
        self.issuer.source(source)
        token = body.get("request") if isinstance(body, Mapping) else None
        if not isinstance(token, str):
            raise InvalidRequest("send {request: <JWT signed with your holder key>}")
        try:
            verified = verify_jws(token, expected_typ=typ, algorithms=ALGORITHMS)
        except JwsError as exc:
            raise InvalidRequest(f"the request JWT: {exc.detail}") from exc
        kid = verified.header.get("kid")
        if not isinstance(kid, str) or not kid.startswith("did:key:"):
            raise InvalidRequest("the request JWT kid must be the holder's did:key key")
        claims = verified.payload
        if claims.get("aud") != self.issuer.settings.issuer_identifier(source):
            raise InvalidRequest(f"the request JWT aud must be {self._location(source)}")
        now = clock()
        issued_at = numeric_date(claims, "iat", InvalidRequest)
        if not now - _REQUEST_AGE <= issued_at <= now + _CLOCK_SKEW:
            raise InvalidRequest("the request JWT iat is outside the accepted window")
        return kid.partition("#")[0], claims

    def _location(self, source: str) -> str:
        return self.issuer.settings.issuer_identifier(source)

    def grant_from_wallet(
        self, source: str, body: object, *, clock: Clock | None = None
    ) -> GrantView:
        """A grant the citizen gives from the wallet, at ``source`` (no login needed).

        ``body`` is ``{"request": JWT}``: a ``consent-request+jwt`` signed by the
        holder key, with the grant terms, the source's ``nonce`` and a ``vp``
        (a presentation of a credential this service issued to that key, with
        the nonce as challenge and the source's URL as domain).
        """
        clock = clock or self.clock
        holder, claims = self._holder_request(source, body, typ=CONSENT_REQUEST_TYP, clock=clock)
        nonce = claims.get("nonce")
        if not isinstance(nonce, str):
            raise InvalidRequest("the consent request has no nonce; get one from /plus/nonce")
        checked = self.nonces.check(nonce, source=source, clock=clock)
        terms = self.parse_terms(claims, now=clock())
        if terms.holder not in (None, holder):
            raise InvalidRequest("a wallet grant binds the data to the key that signs it")
        link = self.holders.identify(
            claims.get("vp"), holder=holder, nonce=nonce, domain=self._location(source), clock=clock
        )
        with self.issuer.db.write() as unit:
            if not unit.consume_nonce(checked.nonce_hash, checked.expires_at):
                raise InvalidNonce("the nonce was used before; get a new one")
        bsn = self.holders.bsn(link)
        return self._create_grant(
            bsn=bsn, terms=terms, holder=holder, via="wallet", actor=holder, clock=clock
        )

    def control_from_wallet(
        self, source: str, grant_id: str, body: object, *, action: str, clock: Clock | None = None
    ) -> JsonObject:
        """Revoke a grant (``action="revoke"``) or read its status and signed access log
        (``"status"``) with a ``consent-control+jwt`` signed by the grant's holder key.

        The JWT carries ``aud`` (the source's URL), ``iat``, ``exp`` (at most five
        minutes ahead), a ``jti`` used once, ``action`` and ``grant`` (the id).
        """
        clock = clock or self.clock
        holder, claims = self._holder_request(source, body, typ=CONSENT_CONTROL_TYP, clock=clock)
        if claims.get("action") != action or claims.get("grant") != grant_id:
            raise InvalidRequest(f"the control JWT must say action={action} for this grant")
        expires_at = numeric_date(claims, "exp", InvalidRequest)
        if not clock() < expires_at <= clock() + _REQUEST_AGE + _CLOCK_SKEW:
            raise InvalidRequest("the control JWT exp must lie within five minutes")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not 8 <= len(jti) <= 256:
            raise InvalidRequest("the control JWT needs a unique jti")
        record = self._grant(grant_id)
        if record is None or record.holder != holder:
            raise NotFound("this key holds no grant with this id")
        with self.issuer.db.write() as unit:
            if not PlusUnit(unit).consume_jti(_jti_hash(holder, jti), expires_at):
                raise InvalidRequest("the control JWT was used before")
        if action == "revoke":
            return self._revoke(record, by="holder", clock=clock).to_json()
        return {
            "grant": self._view(record, clock=clock).to_json(),
            "access_log": self.export_access_log(grant_id, clock=clock),
        }

    # Revocation and the access log -----------------------------------------------------------

    def _revoke(self, record: GrantRecord, *, by: str, clock: Clock | None = None) -> GrantView:
        """Revoke a grant: from its commit on, every fetch is refused.

        Credentials already served under the grant are revoked too (status list).
        """
        clock = clock or self.clock
        try:
            with self.issuer.db.write() as unit:
                plus = PlusUnit(unit)
                # The chain lock first: a fetch holding it finishes (and is logged) before us.
                slot = plus.reserve_entry(record.id)
                moment = clock()
                if not plus.revoke_grant(record.id, at=moment, by=by):
                    raise _AlreadyEndedError
                plus.forget_bsn(record.id)
                plus.write_entry(
                    seal_entry(
                        AccessRecord(
                            record.id,
                            slot.seq,
                            moment,
                            "revoked",
                            None,
                            by,
                            None,
                            {},
                            slot.prev_hash,
                        )
                    )
                )
        except _AlreadyEndedError:
            pass
        with self.issuer.db.read() as unit:
            plus = PlusUnit(unit)
            served = plus.served_entries(record.id)
            current = plus.grant(record.id) or record
        for entry in served:
            credential_id = entry.detail.get("credential")
            if isinstance(credential_id, str):
                self.issuer.revoke(credential_id, clock=clock)
        return self._view(current, clock=clock)

    def revoke(self, grant_id: str, *, by: str = "admin", clock: Clock | None = None) -> GrantView:
        """Revoke any grant (operator use; citizens use :meth:`revoke_for_citizen`)."""
        record = self._grant(grant_id)
        if record is None:
            raise NotFound("no grant with this id")
        return self._revoke(record, by=by, clock=clock)

    def grant(self, grant_id: str) -> GrantView:
        """Any grant by id (operator use); ``NotFound`` if unknown."""
        record = self._grant(grant_id)
        if record is None:
            raise NotFound("no grant with this id")
        return self._view(record)

    def access_log(self, chain: str) -> AccessLog:
        """The entries of a grant's chain (or ``source:<name>``), checked against its head."""
        with self.issuer.db.read() as unit:
            plus = PlusUnit(unit)
            entries = plus.entries(chain)
            head = plus.chain_head(chain)
        if head is None:
            raise NotFound("no access log with this id")
        check = verify_access_log([entry_json(e) for e in entries], head=head)
        return AccessLog(chain, tuple(entries), check)

    def export_access_log(self, grant_id: str, *, clock: Clock | None = None) -> str:
        """A grant's access log signed by its first source (``consent-access-log+jwt``)."""
        record = self._grant(grant_id)
        if record is None:
            raise NotFound("no grant with this id")
        log = self.access_log(grant_id)
        payload = {
            "grant": grant_id,
            "iss": self._location(record.sources[0]),
            "iat": int((clock or self.clock)().timestamp()),
            "head": list(log.check.head) if log.check.head else None,
            **log.to_json(),
        }
        key = self.issuer.keys.signing_key(record.sources[0])
        return sign_jws(payload, key, typ=ACCESS_LOG_TYP, kid=key.id)

    # The recipient API ------------------------------------------------------------------------

    def fetch(
        self,
        source: str,
        form: Mapping[str, str],
        *,
        client: str = "unknown",
        clock: Clock | None = None,
    ) -> FetchResult:
        """Serve a recipient a fresh credential under a grant, or refuse.

        ``form`` holds ``client_assertion_type`` and ``client_assertion`` (RFC
        7523), ``grant`` (the grant JWT of this source) and optionally
        ``claims`` (a JSON list of ``{"path"}``, to take less than granted) and
        ``format`` (``ldp_vc``, the default, or ``dc+sd-jwt``: the same data as
        an SD-JWT VC with every Disclosure).
        Refusals raise ``ClientAuthenticationFailed`` (401), ``InvalidRequest``
        or ``InvalidGrant`` (400), ``InsufficientScope`` (403).

        Only what an authenticated recipient did is written to an access log:
        a refusal after its client assertion verified goes to the grant's chain
        (or the source's own). A refusal before that is anonymous: it is
        counted against ``client`` (an address) in memory, never stored, and a
        client past ``anonymous_limiter`` gets ``TooManyRequests`` (429).
        """
        clock = clock or self.clock
        self.issuer.source(source)
        self.check_anonymous_limit(client)
        token = form.get("grant")
        attempt = _Attempt(chain=self._chain_of(source, token))
        try:
            return self._serve(source, form, token, attempt, clock)
        except OAuthError as exc:
            if attempt.recipient is None:
                self.count_anonymous_refusal(client)
            else:
                self._record_refusal(source, exc, attempt=attempt, clock=clock)
            raise

    def check_anonymous_limit(self, client: str) -> None:
        """``TooManyRequests`` when ``client`` used up its anonymous refusals."""
        wait = 0.0 if self._anonymous is None else self._anonymous.wait(client)
        if wait > 0:
            raise TooManyRequests(
                "too many refused requests from this client; authenticate with a valid "
                "client assertion",
                retry_after=wait,
            )

    def count_anonymous_refusal(self, client: str) -> None:
        """Count a fetch refused before authentication (in memory; nothing is stored)."""
        with self._anonymous_lock:
            self.anonymous_refusals += 1
        if self._anonymous is not None:
            self._anonymous.charge(client)

    def _record_refusal(
        self, source: str, error: OAuthError, *, attempt: _Attempt, clock: Clock
    ) -> None:
        """Log an authenticated recipient's refused fetch in its chain (grant or source)."""
        with self.issuer.db.write() as unit:
            plus = PlusUnit(unit)
            plus.start_chain(attempt.chain)
            self._append(
                plus,
                attempt.chain,
                event="refused",
                source=source,
                actor=attempt.recipient,
                detail={"description": error.description},
                error=error.error,
                clock=clock,
            )

    def _chain_of(self, source: str, token: object) -> str:
        """The chain an attempt is logged in: its grant's, else the source's own."""
        try:
            jti = parse_jws(token).payload.get("jti")
        except JwsError:
            jti = None
        if isinstance(jti, str) and self._grant(jti) is not None:
            return jti
        return f"source:{source}"

    def _serve(
        self,
        source: str,
        form: Mapping[str, str],
        token: object,
        attempt: _Attempt,
        clock: Clock,
    ) -> FetchResult:
        # Step 1: the recipient authenticates with its own key (private_key_jwt).
        location = self._location(source)
        assertion = check_client_assertion(
            form.get("client_assertion_type"),
            form.get("client_assertion"),
            find_recipient=lambda did: self._active_recipient(source, did),
            audiences={location, f"{location}/plus/credential"},
            clock=clock,
        )
        recipient = assertion.recipient.did
        self._consume_assertion(assertion, clock=clock)
        # From here on the recipient is authenticated: its refusals are logged.
        attempt.recipient = recipient
        # Step 2: the grant is one this source signed and stored, unaltered.
        grant = self._presented_grant(source, token)
        self._check_live(grant, recipient, source, served=0, now=clock())
        # Step 3: what to serve: the grant's claims for this source, or fewer, in the format
        # the recipient asks for (the configuration's own, or its SD-JWT VC twin).
        item = next(i for i in self._items(grant) if i.source == source)
        paths = self._requested_paths(form, item)
        configuration_id = self._served_configuration(source, item.configuration_id, form)
        bsn = self.issuer.keys.unseal(grant.sealed_bsn, label=_grant_label(grant.id)).decode()
        found = self.issuer.claims(source, bsn, item.configuration_id)
        if found is None:
            raise CredentialRequestDenied(f"{source} holds no such data about this citizen")
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        served: list[AccessRecord] = []

        def reserve(unit: Unit) -> None:
            # Step 4: under the grant's lock, the grant is still live; the serving is logged
            # in the same transaction as the credential's record and status entries.
            plus = PlusUnit(unit)
            slot = plus.reserve_entry(grant.id)
            current = plus.grant(grant.id)
            if current is None:
                raise InvalidGrant("the grant is gone")
            self._check_live(
                current, recipient, source, served=plus.served_count(grant.id, source), now=clock()
            )
            detail = {
                "credential": credential_id,
                "configuration": configuration_id,
                "claims": ["/" + "/".join(path) for path in paths],
            }
            entry = seal_entry(
                AccessRecord(
                    grant.id,
                    slot.seq,
                    clock(),
                    "served",
                    source,
                    recipient,
                    None,
                    detail,
                    slot.prev_hash,
                )
            )
            plus.write_entry(entry)
            served.append(entry)

        # Step 5: a fresh credential with only those claims, bound to the grant's holder and
        # addressed to the recipient, with status entries.
        (credential,) = self.issuer.issue_with_claims(
            source,
            configuration_id=configuration_id,
            claims=select_claims(found.claims, paths),
            bsn=bsn,
            holder_dids=[grant.holder],
            cryptosuite=_PLUS_CRYPTOSUITE,
            reserve=reserve,
            properties={"ontvanger": recipient, "toestemming": grant.id, "doel": grant.purpose},
            clock=clock,
            new_id=lambda: credential_id,
        )
        return FetchResult(credential, grant.id, served[0])

    def _served_configuration(self, source: str, granted: str, form: Mapping[str, str]) -> str:
        """The configuration to serve: the granted one, or its twin in the asked ``format``."""
        asked = form.get("format")
        if asked is None:
            return granted
        entry = credential_format(asked)
        twins = [
            configuration.id
            for configuration in self.issuer.configurations(source).values()
            if entry is not None
            and configuration.format == entry.identifier
            and configuration.register_id == granted
        ]
        if not twins:
            raise InvalidRequest(f"format {asked!r} is not served for {granted}")
        return twins[0]

    def _consume_assertion(self, assertion: ClientAssertion, *, clock: Clock) -> None:
        """Refuse a replayed client assertion; now and then purge what has expired."""
        now = clock()
        with self.issuer.db.write() as unit:
            plus = PlusUnit(unit)
            key = _jti_hash(assertion.recipient.did, assertion.jti)
            if not plus.consume_jti(key, assertion.expires_at):
                raise ClientAuthenticationFailed("this client assertion was used before (jti)")
            with self._purge_lock:
                due = time.monotonic() - self._purged_at > _PURGE_EVERY_SECONDS
                if due:
                    self._purged_at = time.monotonic()
            if due:
                plus.purge_expired(now)

    def purge_expired(self, *, clock: Clock | None = None) -> int:
        """Delete used jtis and holder links that expired, wipe the BSN of ended grants."""
        with self.issuer.db.write() as unit:
            return PlusUnit(unit).purge_expired((clock or self.clock)())

    def _presented_grant(self, source: str, token: object) -> GrantRecord:
        """The stored grant behind a presented grant JWT that ``source`` signed."""
        if not isinstance(token, str) or not token:
            raise InvalidRequest("grant is missing: send the grant JWT this source signed")
        did = self.issuer.settings.issuer_did(source)

        def key_of(kid: str) -> PublicKey:
            if not kid.startswith(did + "#"):
                raise JwsError(f"the grant signature here must be {source}'s, not {kid}")
            method = self.holders.source_method(kid)
            if "assertionMethod" not in method.relationships:
                raise JwsError(f"{kid} is not an assertion key")
            return method.public_key

        try:
            verified = verify_jws(token, expected_typ=GRANT_TYP, resolve_kid=key_of)
        except JwsError as exc:
            raise InvalidGrant(f"the grant is not one {source} signed: {exc.detail}") from exc
        grant_id = verified.payload.get("jti")
        record = self._grant(grant_id) if isinstance(grant_id, str) else None
        if record is None:
            raise InvalidGrant("the grant is unknown to this source")
        if payload_hash(token) != record.payload_hash:
            raise InvalidGrant("the grant differs from the one the citizen gave")
        return record

    @staticmethod
    def _check_live(
        grant: GrantRecord, recipient: str, source: str, *, served: int, now: datetime
    ) -> None:
        """Refuse unless the grant lets ``recipient`` fetch from ``source`` now."""
        if grant.recipient != recipient:
            raise InvalidGrant("the grant was given to another recipient")
        if source not in grant.sources:
            raise InsufficientScope(f"the grant does not cover data of {source}")
        if grant.state == "revoked":
            raise InvalidGrant("the citizen revoked this grant")
        if now < grant.valid_from:
            raise InvalidGrant("the grant is not valid yet")
        if now >= grant.valid_until:
            raise InvalidGrant(f"the grant expired at {_stamp(grant.valid_until)}")
        if not grant.sealed_bsn:
            raise InvalidGrant("the grant has ended")
        if grant.max_uses is not None and served >= grant.max_uses:
            raise InvalidGrant(
                f"the grant allowed {grant.max_uses} fetch(es) from {source}; none are left"
            )

    def _items(self, grant: GrantRecord) -> list[ScopeItem]:
        """The scope of a stored grant (written by this service, so well-formed)."""
        return [
            ScopeItem(
                self._locations[entry["locations"][0]],
                entry["locations"][0],
                entry["credential_configuration_id"],
                tuple(tuple(claim["path"]) for claim in entry["claims"]),
            )
            for entry in grant.details
        ]

    @staticmethod
    def _requested_paths(form: Mapping[str, str], item: ScopeItem) -> tuple[ClaimPath, ...]:
        configuration_id = form.get("credential_configuration_id")
        if configuration_id is not None and configuration_id != item.configuration_id:
            raise InsufficientScope(f"the grant covers {item.configuration_id} only")
        requested = form.get("claims")
        if requested is None:
            return item.claims
        try:
            value = json.loads(requested)
        except (ValueError, RecursionError) as exc:
            raise InvalidRequest("claims must be a JSON list of {path}") from exc
        try:
            paths = parse_claim_paths(value)
        except InvalidScope as exc:
            raise InvalidRequest(exc.detail) from exc
        beyond = [path for path in paths if not covers(item.claims, path)]
        if beyond:
            raise InsufficientScope(f"the grant does not cover {[list(p) for p in beyond]}")
        return paths


def _jti_hash(issuer: str, jti: str) -> str:
    return hashlib.sha256(f"{issuer}\n{jti}".encode()).hexdigest()
