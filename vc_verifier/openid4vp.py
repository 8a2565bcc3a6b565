"""OpenID4VP 1.0 with DCQL: requests, request objects and ``direct_post`` answers.

Credential queries name a format of the registry (``vc_core.formats``):
``ldp_vc`` with ``meta.type_values`` or ``dc+sd-jwt`` with ``meta.vct_values``;
each ``vp_token`` entry is checked against its query's format (a JSON object
presentation, or an SD-JWT VC string with a Key Binding JWT).

Framework-free pieces that :class:`~vc_verifier.verifier.Verifier` puts
together (docs/protocols.md, "OpenID4VP 1.0 and DCQL"):

- :func:`check_dcql_query` refuses a malformed DCQL query before it is sent;
- :func:`new_transaction` draws a fresh ``nonce``, ``state`` and ids and builds
  the link (signed request by reference, or every parameter by value for a
  ``redirect_uri:`` client);
- :func:`request_object_claims` is the payload of the signed request object;
- :func:`parse_direct_post` and :func:`split_vp_token` read the wallet's form
  answer as untrusted input;
- :func:`match_credential_query` and :func:`check_credential_sets` check that
  verified credentials really satisfy the query (the wallet's filtering is
  never trusted).

Protocol messages are plain JSON and are never JSON-LD-processed (P30).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from vc_core.errors import ParsingError, Problem
from vc_core.formats import FORMATS, LDP_VC, SD_JWT_VC, credential_format
from vc_core.jws import ALLOWED_ALGS
from vc_core.types import JsonObject
from vc_verifier.errors import (
    CLAIMS_NOT_SATISFIED,
    CREDENTIAL_SETS_NOT_SATISFIED,
    CREDENTIAL_TYPE_MISMATCH,
)
from vc_verifier.results import VerifiedCredential, select_path
from vc_verifier.transactions import Transaction

__all__ = [
    "DECENTRALIZED_IDENTIFIER_PREFIX",
    "MAX_VP_TOKEN_CHARS",
    "REDIRECT_URI_PREFIX",
    "REQUEST_OBJECT_TYP",
    "SELF_ISSUED_AUDIENCE",
    "DirectPostError",
    "DirectPostPresentations",
    "check_client_id",
    "check_credential_sets",
    "check_dcql_query",
    "match_credential_query",
    "new_transaction",
    "parse_direct_post",
    "random_token",
    "request_object_claims",
    "split_vp_token",
    "vp_formats_supported",
]

DECENTRALIZED_IDENTIFIER_PREFIX = "decentralized_identifier:"
REDIRECT_URI_PREFIX = "redirect_uri:"
REQUEST_OBJECT_TYP = "oauth-authz-req+jwt"
"""JWS ``typ`` of a signed request object (RFC 9101)."""
SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2"
"""``aud`` of a request object for any wallet (OpenID4VP, static discovery)."""
MAX_VP_TOKEN_CHARS = 2 * 2**20
"""Largest ``vp_token`` form value accepted (a one-credential presentation is ~5 KiB)."""
_MAX_FIELD_CHARS = 4096
_ID = re.compile(r"[A-Za-z0-9_-]+")
_ERROR_CODE = re.compile(r"[\x20-\x21\x23-\x5b\x5d-\x7e]{1,128}")
_SCHEME = "openid4vp://"


def random_token(*, nbytes: int = 16) -> str:
    """A fresh URL-safe random token (16 bytes = 128 bits; base64url, ``[A-Za-z0-9_-]``)."""
    if nbytes < 16:
        raise ValueError("tokens carry at least 128 bits")
    return secrets.token_urlsafe(nbytes)


def check_client_id(client_id: str) -> str:
    """Return the prefix of a supported Client Identifier; ``ValueError`` otherwise.

    ``decentralized_identifier:did:…`` (signed requests) and
    ``redirect_uri:<https URL>`` (unsigned, by value; local use) are supported.
    """
    if not isinstance(client_id, str):
        raise TypeError("client_id must be a string")
    if client_id.startswith(DECENTRALIZED_IDENTIFIER_PREFIX + "did:"):
        return DECENTRALIZED_IDENTIFIER_PREFIX
    if client_id.startswith(REDIRECT_URI_PREFIX) and urlsplit(
        client_id[len(REDIRECT_URI_PREFIX) :]
    ).scheme in ("https", "http"):
        return REDIRECT_URI_PREFIX
    raise ValueError(
        "client_id must be 'decentralized_identifier:did:…' or 'redirect_uri:<URL>', "
        f"got {client_id!r}"
    )


# --- DCQL queries (trusted: written by the landlord's developer) -------------------------------


def _check_claims(credential: Mapping[str, Any], where: str) -> None:
    claims = credential.get("claims")
    if claims is None:
        if "claim_sets" in credential:
            raise ValueError(f"{where}: claim_sets needs claims")
        return
    if not isinstance(claims, list) or not claims:
        raise ValueError(f"{where}: claims must be a non-empty list")
    ids: list[str] = []
    for claim in claims:
        path = claim.get("path") if isinstance(claim, Mapping) else None
        if not isinstance(path, list) or not path:
            raise ValueError(f"{where}: every claim needs a non-empty path")
        if not all(
            (isinstance(p, str | int) and not isinstance(p, bool)) or p is None for p in path
        ):
            raise ValueError(f"{where}: path elements are strings, integers or null")
        if "id" in claim:
            if not isinstance(claim["id"], str) or not _ID.fullmatch(claim["id"]):
                raise ValueError(f"{where}: claim id {claim['id']!r} is not [A-Za-z0-9_-]+")
            ids.append(claim["id"])
        if "values" in claim and (not isinstance(claim["values"], list) or not claim["values"]):
            raise ValueError(f"{where}: values must be a non-empty list")
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where}: claim ids must be unique")
    claim_sets = credential.get("claim_sets")
    if claim_sets is not None:
        if len(ids) != len(claims):
            raise ValueError(f"{where}: with claim_sets every claim needs an id")
        if not isinstance(claim_sets, list) or not claim_sets:
            raise ValueError(f"{where}: claim_sets must be a non-empty list")
        for option in claim_sets:
            if not isinstance(option, list) or not option or not set(option) <= set(ids):
                raise ValueError(f"{where}: a claim set must list known claim ids")


def check_dcql_query(query: Mapping[str, Any]) -> None:
    """Refuse a DCQL query this verifier cannot ask for or check; ``ValueError`` says why.

    Credential queries need a unique ``id`` and a format with its type
    member: ``ldp_vc`` with ``meta.type_values`` (lists of expanded type IRIs),
    ``dc+sd-jwt`` with ``meta.vct_values`` (``vct`` URIs); claims need paths;
    ``claim_sets`` and ``credential_sets`` may only name known ids.

    Spec: openid-4-verifiable-presentations-1_0#dcql_query
    """
    if not isinstance(query, Mapping):
        raise TypeError("a DCQL query must be a JSON object")
    credentials = query.get("credentials")
    if not isinstance(credentials, list) or not credentials:
        raise ValueError("dcql_query.credentials must be a non-empty list")
    ids: list[str] = []
    for credential in credentials:
        query_id = credential.get("id") if isinstance(credential, Mapping) else None
        if not isinstance(query_id, str) or not _ID.fullmatch(query_id):
            raise ValueError(f"credential query id {query_id!r} is not [A-Za-z0-9_-]+")
        ids.append(query_id)
        where = f"credential query {query_id!r}"
        entry = credential_format(credential.get("format"))
        if entry is None or entry.identifier != credential.get("format"):
            raise ValueError(f"{where}: the format must be one of {sorted(FORMATS)}")
        type_values = (credential.get("meta") or {}).get(entry.types_member)
        if not isinstance(type_values, list) or not type_values:
            raise ValueError(
                f"{where}: meta.{entry.types_member} is required for {entry.identifier}"
            )
        for option in type_values:
            items = [option] if entry.types_member == "vct_values" else option
            if not isinstance(items, list) or not items:
                raise ValueError(f"{where}: each type_values entry is a non-empty list of IRIs")
            if not all(isinstance(iri, str) and ":" in iri for iri in items):
                raise ValueError(
                    f"{where}: {entry.types_member} holds fully expanded, absolute URIs"
                )
        if credential.get("require_cryptographic_holder_binding", True) is not True:
            raise ValueError(f"{where}: this verifier always requires holder binding")
        if not isinstance(credential.get("multiple", False), bool):
            raise ValueError(f"{where}: multiple must be a boolean")
        _check_claims(credential, where)
    if len(set(ids)) != len(ids):
        raise ValueError("credential query ids must be unique")
    for credential_set in query.get("credential_sets") or ():
        options = credential_set.get("options") if isinstance(credential_set, Mapping) else None
        if not isinstance(options, list) or not options:
            raise ValueError("every credential set needs a non-empty options list")
        if not all(isinstance(o, list) and o and set(o) <= set(ids) for o in options):
            raise ValueError("credential set options must list known credential query ids")


# --- building a request ------------------------------------------------------------------------


def vp_formats_supported(cryptosuites: Collection[str]) -> JsonObject:
    """``client_metadata.vp_formats_supported``: ``ldp_vc`` with these cryptosuites, and
    ``dc+sd-jwt`` with the JWS algorithms we verify (issuer and Key Binding JWT).

    Spec: openid-4-verifiable-presentations-1_0#name-verifier-metadata-managemen
    """
    algorithms = sorted(ALLOWED_ALGS)
    return {
        LDP_VC: {
            "proof_type_values": ["DataIntegrityProof"],
            "cryptosuite_values": sorted(cryptosuites),
        },
        SD_JWT_VC: {"sd-jwt_alg_values": algorithms, "kb-jwt_alg_values": algorithms},
    }


def _request_parameters(transaction: Transaction, client_metadata: JsonObject) -> JsonObject:
    """The authorization request parameters of a transaction.

    See docs/protocols.md, "Request object".
    """
    parameters: JsonObject = {
        "client_id": transaction.client_id,
        "response_type": "vp_token",
        "response_mode": "direct_post",
        "response_uri": transaction.response_uri,
        "nonce": transaction.nonce,
        "state": transaction.state,
        "dcql_query": transaction.dcql_query,
        "client_metadata": client_metadata,
    }
    if transaction.purpose is not None:
        # Implementation note: an extension parameter; wallets ignore what they do not know.
        parameters["purpose"] = transaction.purpose
    return parameters


def new_transaction(
    dcql_query: Mapping[str, Any],
    *,
    client_id: str,
    response_uri: str,
    request_uri: str | None,
    purpose: str | None,
    client_metadata: JsonObject,
    now: datetime,
    ttl: timedelta,
) -> Transaction:
    """Build a fresh transaction: new id, request id, ``nonce`` and ``state`` (128 bits each).

    With a ``decentralized_identifier:`` client the link carries only
    ``client_id`` and ``request_uri`` (default: ``request/<request_id>``
    resolved against ``response_uri``); with ``redirect_uri:`` it carries every
    parameter by value and ``request_uri`` must be ``None``.
    """
    check_dcql_query(dcql_query)
    prefix = check_client_id(client_id)
    if urlsplit(response_uri).scheme not in ("https", "http"):
        raise ValueError(f"response_uri must be an http(s) URL, got {response_uri!r}")
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")
    request_id = random_token()
    by_reference = prefix == DECENTRALIZED_IDENTIFIER_PREFIX
    if by_reference:
        request_uri = request_uri or urljoin(response_uri, f"request/{request_id}")
    elif request_uri is not None:
        raise ValueError("a redirect_uri: client sends its request by value, not by request_uri")
    elif client_id != REDIRECT_URI_PREFIX + response_uri:
        raise ValueError("with a redirect_uri: client_id, response_uri must be that URI")
    transaction = Transaction(
        id=random_token(),
        request_id=request_id,
        state=random_token(),
        nonce=random_token(),
        client_id=client_id,
        response_uri=response_uri,
        request_uri=request_uri,
        uri="",
        dcql_query=json.loads(json.dumps(dcql_query)),
        purpose=purpose,
        created_at=now,
        expires_at=now + ttl,
    )
    if by_reference:
        query = urlencode({"client_id": client_id, "request_uri": request_uri})
    else:
        parameters = _request_parameters(transaction, client_metadata)
        query = urlencode(
            {
                name: value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
                for name, value in parameters.items()
            }
        )
    return replace(transaction, uri=f"{_SCHEME}?{query}")


def request_object_claims(
    transaction: Transaction, *, client_metadata: JsonObject, now: datetime
) -> JsonObject:
    """The claims of the signed request object for ``transaction``.

    See docs/protocols.md, "Request object".

    ``aud`` is ``https://self-issued.me/v2``; ``iat`` is ``now`` and ``exp`` the
    transaction's expiry (both NumericDate). No ``iss``: wallets ignore it.
    """
    return {
        **_request_parameters(transaction, client_metadata),
        "aud": SELF_ISSUED_AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int(transaction.expires_at.timestamp()),
    }


# --- reading the wallet's answer (untrusted) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class DirectPostError:
    """A wallet's error response: ``error`` (e.g. ``access_denied``) and its description."""

    error: str
    error_description: str | None


@dataclass(frozen=True, slots=True)
class DirectPostPresentations:
    """A wallet's ``vp_token``: credential query id → the (unverified) presentations."""

    vp_token: Mapping[str, tuple[object, ...]]


def _text_field(form_fields: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = form_fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParsingError(f"form field {name} must be a single string", path=name)
    if len(value) > limit:
        raise ParsingError(f"form field {name} is longer than {limit} characters", path=name)
    return value


def _unique_members(pairs: list[tuple[str, Any]]) -> JsonObject:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("duplicate member names")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_direct_post(
    form_fields: Mapping[str, Any], *, max_vp_token_chars: int = MAX_VP_TOKEN_CHARS
) -> DirectPostError | DirectPostPresentations:
    """Read a ``direct_post`` body (already form-decoded) other than its ``state``.

    An ``error`` field makes it an error response. Otherwise ``vp_token`` must
    be a JSON object (string-encoded) mapping query ids to non-empty arrays.
    Raises ``ParsingError`` (``PARSING_ERROR``) for anything else: missing,
    oversized, not JSON, duplicate members, wrong shapes.

    Spec: openid-4-verifiable-presentations-1_0#response_mode_post
    """
    if not isinstance(form_fields, Mapping):
        raise ParsingError("the response body must be form fields")
    error = _text_field(form_fields, "error", _MAX_FIELD_CHARS)
    if error is not None:
        if not _ERROR_CODE.fullmatch(error):
            raise ParsingError("the wallet's error code is not a valid OAuth error", path="error")
        description = _text_field(form_fields, "error_description", _MAX_FIELD_CHARS)
        return DirectPostError(error, description)
    text = _text_field(form_fields, "vp_token", max_vp_token_chars)
    if text is None:
        raise ParsingError("the response has neither vp_token nor error", path="vp_token")
    try:
        vp_token = json.loads(
            text, object_pairs_hook=_unique_members, parse_constant=_refuse_constant
        )
    except (ValueError, RecursionError) as exc:
        raise ParsingError(f"vp_token is not JSON: {exc}", path="vp_token") from exc
    if not isinstance(vp_token, dict):
        raise ParsingError("vp_token must be a JSON object keyed by query id", path="vp_token")
    presentations: dict[str, tuple[object, ...]] = {}
    for query_id, value in vp_token.items():
        if not isinstance(value, list) or not value:
            raise ParsingError(
                "each vp_token value must be a non-empty array", path=f"vp_token.{query_id}"
            )
        presentations[query_id] = tuple(value)
    return DirectPostPresentations(presentations)


def split_vp_token(
    vp_token: Mapping[str, Sequence[object]], dcql_query: Mapping[str, Any]
) -> dict[str, tuple[JsonObject | str, ...]]:
    """Check the ``vp_token`` envelope against the query; return presentations per query id.

    Keys must be query ids; each array holds exactly one presentation unless
    the query allows ``multiple``; each presentation has its query format's
    JSON type (``ldp_vc``: an object; ``dc+sd-jwt``: a string). Raises
    ``ParsingError``: a broken envelope rejects the whole response.

    Spec: openid-4-verifiable-presentations-1_0#response-parameters
    """
    queries = {query["id"]: query for query in dcql_query["credentials"]}
    checked: dict[str, tuple[JsonObject | str, ...]] = {}
    for query_id, presentations in vp_token.items():
        path = f"vp_token.{query_id}"
        if query_id not in queries:
            raise ParsingError(f"vp_token answers {query_id!r}, which was not asked", path=path)
        if len(presentations) > 1 and not queries[query_id].get("multiple", False):
            raise ParsingError(
                f"query {query_id!r} allows one presentation, got {len(presentations)}", path=path
            )
        entry = FORMATS[queries[query_id]["format"]]
        try:
            checked[query_id] = tuple(
                entry.unverified(vp, what="presentation") for vp in presentations
            )
        except ParsingError as exc:
            raise ParsingError(exc.detail, path=path) from exc
    return checked


# --- checking verified credentials against the query ------------------------------------------


def _claim_present(document: JsonObject, claim: Mapping[str, Any]) -> bool:
    selected = select_path(document, claim["path"])
    if "values" in claim:
        wanted = claim["values"]
        return any(
            value == option and type(value) is type(option)
            for value in selected
            for option in wanted
        )
    return bool(selected)


def match_credential_query(
    credential: VerifiedCredential, query: Mapping[str, Any]
) -> tuple[Problem, ...]:
    """Check a verified credential against one credential query; return the mismatches.

    The credential must be of the query's format, its expanded types must
    include every IRI of some ``type_values`` entry (or its ``vct`` be one of
    the ``vct_values``), and its disclosed document must hold every
    requested claim (or every claim of some claim set), with one of the
    ``values`` where the query lists them.

    Spec: openid-4-verifiable-presentations-1_0#dcql_query
    """
    problems: list[Problem] = []
    entry = FORMATS[query["format"]]
    type_values = query["meta"][entry.types_member]
    options = [{option} if isinstance(option, str) else set(option) for option in type_values]
    if credential.format != entry.identifier or not any(
        option <= credential.type_iris for option in options
    ):
        problems.append(
            Problem(
                CREDENTIAL_TYPE_MISMATCH,
                f"{credential.format} types {sorted(credential.type_iris)} match none of "
                f"{entry.identifier} {type_values}",
                "type",
            )
        )
    claims = query.get("claims")
    if claims:
        present = {
            claim.get("id", str(index))
            for index, claim in enumerate(claims)
            if _claim_present(credential.document, claim)
        }
        claim_sets = query.get("claim_sets") or [
            [claim.get("id", str(index)) for index, claim in enumerate(claims)]
        ]
        if not any(set(option) <= present for option in claim_sets):
            problems.append(
                Problem(
                    CLAIMS_NOT_SATISFIED,
                    f"disclosed claims {sorted(present)} satisfy none of {claim_sets}",
                    "credentialSubject",
                )
            )
    return tuple(problems)


def check_credential_sets(
    dcql_query: Mapping[str, Any], answered: Collection[str]
) -> tuple[Problem, ...]:
    """Check that the verified answers cover what the query requires.

    Without ``credential_sets`` every credential query is required; with them,
    each required set (``required`` defaults to true) needs one option whose
    query ids were all answered.

    Spec: openid-4-verifiable-presentations-1_0#dcql_query
    """
    answered_ids = set(answered)
    credential_sets = dcql_query.get("credential_sets")
    if not credential_sets:
        missing = [q["id"] for q in dcql_query["credentials"] if q["id"] not in answered_ids]
        if missing:
            return (
                Problem(
                    CREDENTIAL_SETS_NOT_SATISFIED,
                    f"no valid presentation for {missing}",
                    "vp_token",
                ),
            )
        return ()
    problems = [
        Problem(
            CREDENTIAL_SETS_NOT_SATISFIED,
            f"credential set {index} needs one of {credential_set['options']}",
            "vp_token",
        )
        for index, credential_set in enumerate(credential_sets)
        if credential_set.get("required", True)
        and not any(set(option) <= answered_ids for option in credential_set["options"])
    ]
    return tuple(problems)
