"""Blauwe Knop Plus from the wallet: consent to a source sharing data with an organisation.

The citizen asks a source (an issuer URL the wallet trusts) to let a
recipient fetch data straight from the sources. The request is a
``consent-request+jwt`` signed by the holder key of a credential that source
issued, with the terms, the source's nonce and a presentation of that
credential (mandatory claims only; challenge = the nonce, domain = the
source's URL): that proves who the citizen is, with no login. The source
answers with the grant, signed by every source in scope (General JWS JSON
Serialization); the wallet checks every signature against the trusted
issuers' did:web keys and that the grant says exactly what was asked, and
keeps it in the activity log. Revoking, and reading a grant's status and
access log (signed by a source), are ``consent-control+jwt`` requests signed
by the grant's holder key.

>>> scope = claim_scope("https://issuer.example.nl/belastingdienst",
...                     "InkomensverklaringCredential_ldp_vc", ["belastingjaar", "inkomenstoets"])
>>> [claim["path"][-1] for claim in scope["claims"]]
['belastingjaar', 'inkomenstoets']
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from vc_core.did import dereference_verification_method
from vc_core.errors import JwsError, VcError
from vc_core.formats import presentation_envelope
from vc_core.jws import parse_jws, sign_jws, verify_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.proofs import derive, sign
from vc_core.types import JsonObject
from wallet_sdk.errors import IssuerResponseError
from wallet_sdk.http import WalletHttp
from wallet_sdk.keys import holder_cryptosuite
from wallet_sdk.oid4vci_client import _oauth_error
from wallet_sdk.records import StoredCredential

__all__ = [
    "ConsentGrant",
    "ConsentStatus",
    "claim_scope",
    "grant_from_document",
    "read_consent_status",
    "request_consent",
    "send_control",
]

GRANT_TYP = "consent-grant+jwt"
CONSENT_REQUEST_TYP = "consent-request+jwt"
CONSENT_CONTROL_TYP = "consent-control+jwt"
ACCESS_LOG_TYP = "consent-access-log+jwt"
_JSON = "application/json"
_CONTROL_LIFETIME = timedelta(minutes=2)


def claim_scope(location: str, configuration_id: str, claims: Iterable[str]) -> JsonObject:
    """One source's part of a grant (``authorization_details`` entry, ``openid_credential``).

    ``claims`` are names under ``credentialSubject``; ``/`` goes deeper
    (``adres/woonplaats``).
    """
    return {
        "type": "openid_credential",
        "locations": [location],
        "credential_configuration_id": configuration_id,
        "claims": [{"path": ["credentialSubject", *claim.split("/")]} for claim in claims],
    }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ConsentGrant:
    """A grant the citizen gave, as the wallet keeps it (``document`` is the signed grant).

    ``sources`` are the URLs of the sources in scope; ``status`` is what the
    wallet knows locally (``active`` or ``revoked``).
    """

    id: str
    recipient: str
    recipient_name: str | None
    purpose: str
    holder: str
    sources: tuple[str, ...]
    scope: tuple[JsonObject, ...]
    valid_until: str
    max_uses: int | None
    document: JsonObject
    status: str = "active"

    def claims(self) -> list[str]:
        """The granted claims as JSON Pointers, per source URL (``url#/credentialSubject/…``)."""
        return [
            f"{entry['locations'][0]}#/" + "/".join(claim["path"])
            for entry in self.scope
            for claim in entry["claims"]
        ]

    def to_json(self) -> JsonObject:
        """The grant as JSON (for the CLI and apps)."""
        return {
            "id": self.id,
            "status": self.status,
            "recipient": self.recipient,
            "recipient_name": self.recipient_name,
            "purpose": self.purpose,
            "holder": self.holder,
            "sources": list(self.sources),
            "authorization_details": list(self.scope),
            "valid_until": self.valid_until,
            "max_uses": self.max_uses,
        }


@dataclass(frozen=True, slots=True)
class ConsentStatus:
    """What a source says about a grant now: status, uses, and the signed access log."""

    grant_id: str
    status: str
    uses: Mapping[str, int]
    entries: tuple[JsonObject, ...]
    chain_valid: bool


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _compacts(document: object) -> list[str]:
    """The compact JWS of every signature of a General JSON grant document."""
    if not isinstance(document, Mapping):
        raise IssuerResponseError("the grant is not a JSON object")
    payload, signatures = document.get("payload"), document.get("signatures")
    if not isinstance(payload, str) or not isinstance(signatures, list) or not signatures:
        raise IssuerResponseError("the grant is not a General JWS JSON document")
    compacts = []
    for signature in signatures:
        if not isinstance(signature, Mapping):
            raise IssuerResponseError("a grant signature is not an object")
        compacts.append(f"{signature.get('protected')}.{payload}.{signature.get('signature')}")
    return compacts


def grant_from_document(document: JsonObject, *, status: str = "active") -> ConsentGrant:
    """Read a stored grant document (checked when it was received) into a :class:`ConsentGrant`."""
    try:
        claims = json.loads(_b64(str(document["payload"])))
        details = claims["authorization_details"]
        return ConsentGrant(
            id=str(claims["jti"]),
            recipient=str(claims["aud"]),
            recipient_name=claims.get("recipient_name"),
            purpose=str(claims["purpose"]),
            holder=str(claims["sub"]),
            sources=tuple(str(entry["locations"][0]) for entry in details),
            scope=tuple(details),
            valid_until=_stamp(datetime.fromtimestamp(claims["exp"], UTC)),
            max_uses=claims.get("max_uses"),
            document=document,
            status=status,
        )
    except (KeyError, TypeError, ValueError, RecursionError, binascii.Error) as exc:
        raise IssuerResponseError(f"the grant document is malformed: {exc}") from exc


def verify_grant(document: object, *, http: WalletHttp, trusted: Mapping[str, str]) -> JsonObject:
    """Check every signature of a grant against its source's did:web key; return the claims.

    Each signature's ``iss`` header is a source URL in ``trusted`` and its
    ``kid`` a key of that source's DID; every source in scope has signed.
    Raises ``IssuerResponseError``.
    """
    signed_by: set[str] = set()
    claims: JsonObject = {}
    for compact in _compacts(document):
        try:
            header = parse_jws(compact).header
            location = header.get("iss")
            did = trusted.get(location) if isinstance(location, str) else None
            kid = header.get("kid")
            if did is None or not isinstance(kid, str) or not kid.startswith(did + "#"):
                raise IssuerResponseError(f"the grant carries a signature of {location!r}")

            def key_of(vm_id: str) -> PublicKey:
                return dereference_verification_method(vm_id, fetch=http.fetch).public_key

            claims = verify_jws(compact, expected_typ=GRANT_TYP, resolve_kid=key_of).payload
        except JwsError as exc:
            raise IssuerResponseError(f"a grant signature does not verify: {exc.detail}") from exc
        signed_by.add(str(location))
    details = claims.get("authorization_details")
    scope = {
        entry["locations"][0]
        for entry in (details if isinstance(details, list) else [])
        if isinstance(entry, Mapping) and isinstance(entry.get("locations"), list)
    }
    if not scope or scope != signed_by:
        raise IssuerResponseError("the grant is not signed by exactly the sources in its scope")
    return claims


def _answer(response: Any, what: str, expected: int) -> JsonObject:
    if response.status != expected:
        raise _oauth_error(response, what)
    body = response.json(what=what)
    if not isinstance(body, dict):
        raise IssuerResponseError(f"{what} is not a JSON object")
    return body


def request_consent(
    http: WalletHttp,
    *,
    source: str,
    identity: StoredCredential,
    key: KeyPair,
    recipient: str,
    purpose: str,
    scope: Sequence[JsonObject],
    valid_until: datetime | None,
    max_uses: int | None,
    trusted: Mapping[str, str],
    now: datetime,
) -> ConsentGrant:
    """Ask ``source`` for a grant, proving who we are with ``identity`` (see the module docstring).

    Raises ``IssuerResponseError`` for a refusal (with the OAuth ``error``) or
    a grant that is not what was asked, and ``FetchError`` for the network.
    """
    nonce_answer = _answer(
        http.request("POST", f"{source}/plus/nonce", accept=_JSON), "the consent nonce", 200
    )
    nonce = nonce_answer.get("c_nonce")
    if not isinstance(nonce, str):
        raise IssuerResponseError("the source sent no nonce")
    disclosed = derive(identity.credential, selective_pointers=[])
    presentation = sign(
        presentation_envelope(identity.holder, [disclosed]),
        key,
        cryptosuite=holder_cryptosuite(key),
        proof_purpose="authentication",
        challenge=nonce,
        domain=source,
        created=now,
    )
    terms: JsonObject = {
        "aud": source,
        "iat": int(now.timestamp()),
        "nonce": nonce,
        "recipient": recipient,
        "purpose": purpose,
        "authorization_details": list(scope),
        "vp": presentation,
    }
    if valid_until is not None:
        terms["valid_until"] = _stamp(valid_until)
    if max_uses is not None:
        terms["max_uses"] = max_uses
    token = sign_jws(terms, key, typ=CONSENT_REQUEST_TYP, kid=key.id)
    body = _answer(
        http.request("POST", f"{source}/plus/grants", accept=_JSON, json_body={"request": token}),
        "the consent request",
        201,
    )
    document = body.get("grant")
    claims = verify_grant(document, http=http, trusted=trusted)
    asked = {
        "sub": identity.holder,
        "aud": recipient,
        "purpose": purpose,
        "authorization_details": list(scope),
        "max_uses": max_uses,
    }
    if {name: claims.get(name) for name in asked} != asked:
        raise IssuerResponseError("the grant does not say what the citizen consented to")
    if valid_until is not None and claims.get("exp") != int(valid_until.timestamp()):
        raise IssuerResponseError("the grant ends at another time than asked")
    if not isinstance(document, dict):
        raise IssuerResponseError("the grant is not a JSON object")
    return grant_from_document(document)


def send_control(
    http: WalletHttp,
    grant: ConsentGrant,
    *,
    key: KeyPair,
    action: str,
    now: datetime,
    token: Callable[[int], str] = secrets.token_urlsafe,
) -> JsonObject:
    """Send a ``consent-control+jwt`` (``revoke`` or ``status``) to the grant's first source."""
    source = grant.sources[0]
    claims = {
        "aud": source,
        "iat": int(now.timestamp()),
        "exp": int((now + _CONTROL_LIFETIME).timestamp()),
        "jti": token(16),
        "action": action,
        "grant": grant.id,
    }
    request = sign_jws(claims, key, typ=CONSENT_CONTROL_TYP, kid=key.id)
    return _answer(
        http.request(
            "POST",
            f"{source}/plus/grants/{grant.id}/{action}",
            accept=_JSON,
            json_body={"request": request},
        ),
        f"the {action} request",
        200,
    )


def read_consent_status(
    answer: JsonObject, grant: ConsentGrant, *, http: WalletHttp, trusted: Mapping[str, str]
) -> ConsentStatus:
    """Check a ``status`` answer: the access log must be signed by a source of the grant."""
    view = answer.get("grant")
    signed = answer.get("access_log")
    if not isinstance(view, Mapping) or not isinstance(signed, str):
        raise IssuerResponseError("the status answer lacks the grant or its access log")
    dids = {trusted.get(source) for source in grant.sources} - {None}
    try:
        header = parse_jws(signed).header
        kid = header.get("kid")
        if not isinstance(kid, str) or kid.partition("#")[0] not in dids:
            raise IssuerResponseError("the access log is not signed by a source of the grant")
        log = verify_jws(
            signed,
            expected_typ=ACCESS_LOG_TYP,
            resolve_kid=lambda vm_id: (
                dereference_verification_method(vm_id, fetch=http.fetch).public_key
            ),
        ).payload
    except (JwsError, VcError) as exc:
        if isinstance(exc, IssuerResponseError):
            raise
        raise IssuerResponseError(f"the access log does not verify: {exc}") from exc
    entries = log.get("entries")
    if log.get("grant") != grant.id or not isinstance(entries, list):
        raise IssuerResponseError("the access log is not this grant's")
    uses = view.get("uses")
    return ConsentStatus(
        grant_id=grant.id,
        status=str(view.get("status")),
        uses=dict(uses) if isinstance(uses, Mapping) else {},
        entries=tuple(entry for entry in entries if isinstance(entry, dict)),
        chain_valid=log.get("chain_valid") is True,
    )
