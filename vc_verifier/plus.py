"""Blauwe Knop Plus for the recipient: fetch a consent grant's data from each source.

A citizen who consented gives the landlord a grant (the JSON the wallet or
the portal shows: General JWS JSON Serialization, one signature per source in
scope). :class:`PlusClient` asks every source in the grant for its fresh
credential, authenticating with the landlord's own key (an RFC 7523
``private_key_jwt`` client assertion: ``iss`` = ``sub`` = the landlord's DID,
``aud`` = the source, a fresh ``jti``, two minutes to live) and presenting
the grant JWT that source signed. What comes back is unverified;
:meth:`vc_verifier.Verifier.verify_plus_credentials` checks it (the grant's
signatures, every credential's proof, status, trust, the holder binding to
the grant, and that each copy is addressed to this landlord) and returns a
``VerifiedPresentation`` the housing rule evaluates like a wallet's.

>>> try:
...     parse_grant({"payload": "e30", "signatures": []})
... except ParsingError as exc:
...     print(exc.code, exc.detail)
PARSING_ERROR the grant has no signatures
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from vc_core.did import VerificationMethod, did_key_verification_method_id, did_web_to_url
from vc_core.errors import DidResolutionError, JwsError, ParsingError, Problem, VcError
from vc_core.jws import parse_jws, sign_jws, verify_jws
from vc_core.keys import KeyPair
from vc_core.types import Clock, JsonObject
from vc_verifier.errors import PLUS_GRANT_ERROR, PlusFetchError
from vc_verifier.http import HttpClient, http_post_form

__all__ = [
    "CLIENT_ASSERTION_TYP",
    "CLIENT_ASSERTION_TYPE",
    "GRANT_TYP",
    "PlusClient",
    "PlusFetch",
    "UnverifiedGrant",
    "check_grant",
    "parse_grant",
]

GRANT_TYP = "consent-grant+jwt"
CLIENT_ASSERTION_TYP = "client-authentication+jwt"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_DECENTRALIZED_IDENTIFIER = "decentralized_identifier:"
_MAX_GRANT_BYTES = 256 * 1024


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class UnverifiedGrant:
    """A consent grant as presented, NOT yet checked (see :func:`check_grant`).

    ``signatures`` maps each source URL (the signature's ``iss`` header) to
    that source's compact grant JWT; ``claims`` is the shared JWT claims set.
    """

    document: JsonObject
    claims: JsonObject
    signatures: Mapping[str, str]

    @property
    def id(self) -> str:
        """The grant id (``jti``)."""
        return str(self.claims.get("jti"))

    @property
    def holder(self) -> str:
        """The DID (or pseudonym) the served credentials are bound to (``sub``)."""
        return str(self.claims.get("sub"))

    @property
    def signer_dids(self) -> frozenset[str]:
        """The DIDs of the signing keys as claimed (``kid``); :func:`check_grant` checks them."""
        kids = (parse_jws(compact).header.get("kid") for compact in self.signatures.values())
        return frozenset(kid.partition("#")[0] for kid in kids if isinstance(kid, str))

    @property
    def locations(self) -> tuple[str, ...]:
        """The URLs of the sources in scope, in grant order."""
        details = self.claims.get("authorization_details")
        return tuple(
            str(entry["locations"][0])
            for entry in (details if isinstance(details, list) else [])
            if isinstance(entry, Mapping)
            and isinstance(entry.get("locations"), list)
            and entry["locations"]
        )


def _b64(part: object) -> bytes:
    if not isinstance(part, str):
        raise ParsingError("a grant part is not a string")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ParsingError("a grant part is not base64url") from exc


def parse_grant(document: object) -> UnverifiedGrant:
    """Read a grant (the JSON document, or its text); ``ParsingError`` when malformed."""
    if isinstance(document, str):
        if len(document) > _MAX_GRANT_BYTES:
            raise ParsingError("the grant is too large")
        try:
            document = json.loads(document)
        except (ValueError, RecursionError) as exc:
            raise ParsingError("the grant is not JSON") from exc
    if not isinstance(document, dict):
        raise ParsingError("the grant must be a JSON object")
    payload, signatures = document.get("payload"), document.get("signatures")
    if not isinstance(signatures, list) or not signatures:
        raise ParsingError("the grant has no signatures")
    try:
        claims = json.loads(_b64(payload))
    except (ValueError, RecursionError) as exc:
        raise ParsingError("the grant payload is not JSON") from exc
    if not isinstance(claims, dict) or not isinstance(claims.get("jti"), str):
        raise ParsingError("the grant payload is not a grant")
    by_source: dict[str, str] = {}
    for signature in signatures:
        if not isinstance(signature, dict):
            raise ParsingError("a grant signature is not an object")
        compact = f"{signature.get('protected')}.{payload}.{signature.get('signature')}"
        try:
            location = parse_jws(compact).header.get("iss")
        except JwsError as exc:
            raise ParsingError(f"a grant signature: {exc.detail}") from exc
        if not isinstance(location, str) or location in by_source:
            raise ParsingError("every grant signature names one source (iss) once")
        by_source[location] = compact
    return UnverifiedGrant(document, claims, MappingProxyType(by_source))


def check_grant(
    grant: UnverifiedGrant,
    *,
    recipient: str,
    resolve: Callable[[str], VerificationMethod],
) -> tuple[Problem, ...]:
    """The problems of a grant for ``recipient``: each source in scope must have signed it
    with a key of its own did:web DID (an assertion key), and it must name ``recipient``."""
    problems: list[Problem] = []
    if grant.claims.get("aud") != recipient:
        problems.append(Problem(PLUS_GRANT_ERROR, "the grant names another recipient", "grant"))
    if not grant.locations or set(grant.locations) != set(grant.signatures):
        problems.append(
            Problem(PLUS_GRANT_ERROR, "the grant is not signed by exactly its sources", "grant")
        )
    for location, compact in grant.signatures.items():

        def key_of(kid: str, location: str = location) -> VerificationMethod:
            did = kid.partition("#")[0]
            if not did.startswith("did:web:") or did_web_to_url(did) != f"{location}/did.json":
                raise DidResolutionError(f"{kid} is not a key of {location}")
            method = resolve(kid)
            if "assertionMethod" not in method.relationships:
                raise DidResolutionError(f"{kid} is not an assertion key")
            return method

        try:
            verify_jws(compact, expected_typ=GRANT_TYP, resolve_kid=lambda k: key_of(k).public_key)
        except VcError as exc:
            problems.append(
                Problem(
                    PLUS_GRANT_ERROR, f"{location}: {exc.detail}", f"grant.signatures[{location}]"
                )
            )
    return tuple(problems)


@dataclass(frozen=True, slots=True)
class PlusFetch:
    """What the sources served for a grant: unverified credentials by source URL.

    Each is a W3C credential (a JSON object) or an SD-JWT VC (a string).
    """

    grant: UnverifiedGrant
    unverified_credentials: Mapping[str, JsonObject | str]


class PlusClient:
    """Fetch a grant's data from its sources as the recipient ``client_id`` (a DID).

    ``signing_key`` is the recipient's key registered with the sources;
    ``signing_kid`` its DID URL (default: the key's ``id``, or its did:key
    method). ``http`` is the injected client (no redirects followed). ``token``
    makes the assertion ids.
    """

    def __init__(
        self,
        *,
        client_id: str,
        signing_key: KeyPair,
        http: HttpClient,
        signing_kid: str | None = None,
        clock: Clock = _utc_now,
        token: Callable[[int], str] = secrets.token_urlsafe,
        assertion_lifetime: timedelta = timedelta(minutes=2),
    ) -> None:
        if not isinstance(signing_key, KeyPair):
            raise TypeError("signing_key must be a KeyPair")
        self.client_id = client_id.removeprefix(_DECENTRALIZED_IDENTIFIER)
        if not self.client_id.startswith("did:"):
            raise ValueError("a Plus recipient is identified by its DID")
        self.signing_kid = (
            signing_kid or signing_key.id or did_key_verification_method_id(signing_key)
        )
        if not self.signing_kid.startswith(self.client_id + "#"):
            raise ValueError(f"signing_kid {self.signing_kid!r} is not a key of {self.client_id}")
        self._key = signing_key
        self._http = http
        self._clock = clock
        self._token = token
        self._lifetime = assertion_lifetime

    def client_assertion(self, audience: str) -> str:
        """A fresh ``private_key_jwt`` client assertion for the source at ``audience``.

        Spec: rfc7523#section-3
        """
        now = self._clock()
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "jti": self._token(24),
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
        }
        return sign_jws(claims, self._key, typ=CLIENT_ASSERTION_TYP, kid=self.signing_kid)

    def fetch_from(
        self,
        grant: UnverifiedGrant,
        location: str,
        *,
        claims: Sequence[Sequence[str]] = (),
        format: str | None = None,
    ) -> JsonObject | str:
        """One source's fresh credential under ``grant`` (optionally fewer ``claims`` paths).

        ``format`` asks for ``dc+sd-jwt`` (an SD-JWT VC with every Disclosure)
        instead of the granted W3C credential. Raises ``PlusFetchError`` with the
        source's OAuth error when it refuses, and ``FetchError`` for the network.
        """
        compact = grant.signatures.get(location)
        if compact is None:
            raise PlusFetchError(f"the grant has no signature of {location}", source=location)
        form = {
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": self.client_assertion(location),
            "grant": compact,
        }
        if claims:
            form["claims"] = json.dumps([{"path": list(path)} for path in claims])
        if format is not None:
            form["format"] = format
        answer = http_post_form(self._http, f"{location}/plus/credential", form)
        try:
            body = json.loads(answer.body) if answer.media_type == "application/json" else None
        except (ValueError, RecursionError):
            body = None
        if answer.status != 200:
            error = body.get("error") if isinstance(body, dict) else None
            described = body.get("error_description", "") if isinstance(body, dict) else ""
            raise PlusFetchError(
                f"{location} refused: {answer.status} {error or ''} {described}".strip(),
                error=error if isinstance(error, str) else None,
                error_description=described if isinstance(described, str) else "",
                status=answer.status,
                source=location,
            )
        credential = body.get("credential") if isinstance(body, dict) else None
        if not isinstance(credential, dict | str):
            raise PlusFetchError(f"{location} sent no credential", source=location)
        return credential

    def fetch(self, grant: object, *, format: str | None = None) -> PlusFetch:
        """Fetch from every source in the grant's scope, in grant order (the composition).

        ``grant`` is the document (or its JSON text); ``format`` as in
        :meth:`fetch_from`. Raises ``ParsingError`` for a malformed grant and
        ``PlusFetchError`` when a source refuses.
        """
        parsed = grant if isinstance(grant, UnverifiedGrant) else parse_grant(grant)
        credentials = {
            location: self.fetch_from(parsed, location, format=format)
            for location in parsed.locations
        }
        return PlusFetch(parsed, MappingProxyType(credentials))
