"""DIDs: did:key (pure, in-process) and did:web (via an injected Fetch), and VM retrieval.

Everything that comes from a DID string or a fetched document is untrusted:
every failure is a :class:`~vc_core.errors.DidResolutionError` with a
detail that says what was wrong. Nothing here touches the network; did:web
documents arrive through the caller's :class:`~vc_core.types.Fetch`.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vc_core.errors import DidResolutionError, FetchError, ParsingError
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import Fetch, JsonObject

__all__ = [
    "DID_CONTEXT",
    "MULTIKEY_CONTEXT",
    "RELATIONSHIPS",
    "VerificationMethod",
    "check_did_web_host",
    "dereference_verification_method",
    "did_key",
    "did_key_verification_method_id",
    "did_web_base_url",
    "did_web_to_url",
    "resolve_did",
    "resolve_did_key",
]

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
RELATIONSHIPS = (
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
)
"""The verification relationships a controller document can list a method under."""

_DID_KEY_PREFIX = "did:key:"
_DID_WEB_PREFIX = "did:web:"
_DID_KEY_VERSION = "1"
_DID_WEB_ACCEPT = "application/did+json, application/json"
_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_PORT = re.compile(r"[0-9]{1,5}")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
_MAX_HOST_LENGTH = 253


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    """A verification method taken from its controller document.

    ``relationships`` names every verification relationship of that document
    that lists the method, by reference or embedded (e.g. ``assertionMethod``).
    """

    id: str
    controller: str
    type: str
    public_key: PublicKey
    relationships: frozenset[str]


def did_key(key: PublicKey | KeyPair) -> str:
    """Return the did:key DID of a public key: ``did:key:`` + its ``publicKeyMultibase``."""
    public = key.public if isinstance(key, KeyPair) else key
    return _DID_KEY_PREFIX + public.multibase


def did_key_verification_method_id(key: PublicKey | KeyPair) -> str:
    """Return the did:key verification method id: the DID, ``#``, the multibase again."""
    public = key.public if isinstance(key, KeyPair) else key
    return f"{_DID_KEY_PREFIX}{public.multibase}#{public.multibase}"


def _did_part(did_url: object) -> str:
    """Return the DID of a DID URL (fragment dropped); reject paths and queries."""
    if not isinstance(did_url, str):
        raise DidResolutionError(f"a DID must be a string, got {type(did_url).__name__}")
    did = did_url.partition("#")[0]
    if "?" in did or "/" in did:
        raise DidResolutionError(f"DID URL paths and queries are not supported: {did_url!r}")
    return did


def resolve_did_key(did: str) -> JsonObject:
    """Expand a did:key DID (or DID URL) into its DID document, Multikey form.

    Spec: did-key#document-creation-algorithm
    """
    identifier = _did_part(did)
    # Step 1: document starts empty (built at the end).
    # Step 2: split into scheme, method, optional version and multibaseValue.
    parts = identifier.split(":")
    if len(parts) == 3:
        parts.insert(2, _DID_KEY_VERSION)
    # Step 3: scheme "did", method "key", version 1, multibaseValue starting with "z".
    if len(parts) != 4 or parts[:2] != ["did", "key"]:
        raise DidResolutionError(f"not a did:key DID: {identifier!r}")
    _scheme, _method, version, multibase_value = parts
    if version != _DID_KEY_VERSION:
        raise DidResolutionError(f"unsupported did:key version {version!r}")
    if not multibase_value.startswith("z"):
        raise DidResolutionError("a did:key multibase value starts with 'z' (base58btc)")
    # Step 4: signatureVerificationMethod from the decoded key (codec, length, point).
    try:
        PublicKey.from_multibase(multibase_value)
    except ParsingError as exc:
        raise DidResolutionError(f"did:key {identifier!r}: {exc.detail}") from exc
    # Implementation note: the decoders refuse every second spelling of a key (base58btc
    # and the minimal multicodec varint both round-trip), so ``multibase_value`` is
    # already the key's canonical ``multibase``; re-encoding it cost ~15 µs per fresh key.
    vm_id = f"{identifier}#{multibase_value}"
    signature_method = {
        "id": vm_id,
        "type": "Multikey",
        "controller": identifier,
        "publicKeyMultibase": multibase_value,
    }
    # Step 5: document.id = identifier.
    # Step 6: verificationMethod = [signatureVerificationMethod].
    # Step 7: the four signing relationships reference it.
    # Step 8: Implementation note: no encryption key derivation (keyAgreement) is offered.
    # Step 9: @context: DID v1 plus Multikey (docs/protocols.md, "did:key").
    # Step 10: return the document.
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": identifier,
        "verificationMethod": [signature_method],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }


def check_did_web_host(host: str) -> None:
    """Raise ``DidResolutionError`` unless ``host`` can be the host of a did:web DID.

    A did:web host is a domain name (``localhost`` included), never an IP
    address: a service that wants did:web identifiers must be served under a
    host name.

    >>> check_did_web_host("localhost")
    >>> check_did_web_host("192.168.1.20")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vc_core.errors.DidResolutionError: DID_RESOLUTION_ERROR: did:web cannot use an IP address ...

    Spec: did-web#read-resolve
    """
    labels = host.split(".")
    # Implementation note: URL parsers read "127.1" or "0x7f.1" as IPv4 too, so
    # a numeric last label is refused along with real IP literals.
    if _is_ip_address(host.strip("[]")) or _NUMERIC_LABEL.fullmatch(labels[-1]):
        raise DidResolutionError(
            f"did:web cannot use an IP address ({host!r}); use a host name (localhost on "
            "this computer, or a name other devices resolve, such as <computer>.local)"
        )
    if len(host) > _MAX_HOST_LENGTH or not all(_HOST_LABEL.fullmatch(x) for x in labels):
        raise DidResolutionError(f"did:web host {host!r} is not a valid domain name")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def did_web_to_url(did: str) -> str:
    """Map a did:web DID to the https URL of its DID document.

    Only a ``%3A`` port separator may be percent-encoded; path segments are
    unreserved characters (never ``.`` or ``..``); IP addresses are refused.

    Spec: did-web#read-resolve
    """
    if not isinstance(did, str) or not did.startswith(_DID_WEB_PREFIX):
        raise DidResolutionError(f"not a did:web DID: {did!r}")
    # Step 1: ":" separates the domain and the optional path segments.
    domain, *path = did[len(_DID_WEB_PREFIX) :].split(":")
    # Step 2: percent-decode the colon before a port.
    host, _, port = domain.replace("%3a", "%3A").partition("%3A")
    check_did_web_host(host)
    if port and (not _PORT.fullmatch(port) or not 0 < int(port) < 2**16):
        raise DidResolutionError(f"did:web port {port!r} is not a valid port")
    for segment in path:
        if not _PATH_SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise DidResolutionError(f"did:web path segment {segment!r} is not supported")
    authority = f"{host}:{port}" if port else host
    # Step 3: prepend https://.
    url = "https://" + "/".join([authority, *path])
    # Step 4: no path given -> /.well-known.
    if not path:
        url += "/.well-known"
    # Step 5: append /did.json.
    return url + "/did.json"


def did_web_base_url(did: str) -> str:
    """The https URL a did:web DID stands for: its document URL without ``/did.json``.

    ``did:web:issuer.example.nl:duo`` is ``https://issuer.example.nl/duo``; a DID
    without a path is its bare host. An SD-JWT VC issuer identifier (``iss``) and
    an OpenID4VCI Credential Issuer Identifier name the same party this way.

    >>> did_web_base_url("did:web:issuer.example.nl:duo")
    'https://issuer.example.nl/duo'
    """
    url = did_web_to_url(did).removesuffix("/did.json")
    return url.removesuffix("/.well-known")


def _override_base(did: str, url: str, base_urls: Mapping[str, str]) -> str:
    """Swap the scheme and authority of ``url`` for a configured base URL, if any.

    A key may be the full DID or its host-only form (``did:web:<host>``).
    """
    host_did = did.split(":", 3)[:3]
    base = base_urls.get(did, base_urls.get(":".join(host_did)))
    if base is None:
        return url
    if not base.startswith(("https://", "http://")):
        raise ValueError(f"base URL override for {did} must be an http(s) URL: {base!r}")
    path = url[len("https://") :].partition("/")[2]
    return f"{base.rstrip('/')}/{path}"


def _resolve_did_web(did: str, fetch: Fetch | None, base_urls: Mapping[str, str] | None) -> Any:
    """Fetch and parse a did:web document; ``id`` checked.

    Spec: did-web#read-resolve
    """
    # Steps 1-5: the document URL (plus an optional test override).
    url = did_web_to_url(did)
    if base_urls:
        url = _override_base(did, url, base_urls)
    # Step 6: HTTPS GET, through the caller's Fetch only.
    if fetch is None:
        raise DidResolutionError(f"resolving {did} needs a fetch function; none was given")
    try:
        body = fetch(url, accept=_DID_WEB_ACCEPT)
    except FetchError as exc:
        raise DidResolutionError(f"could not fetch the DID document of {did}: {exc}") from exc
    # Step 7: DNS hardening (RFC 8484) is the injected Fetch's business.
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DidResolutionError(f"the DID document of {did} is not JSON: {exc}") from exc
    # Step 8: the document id must equal the DID being resolved.
    _check_document_id(document, did)
    return document


def _check_document_id(document: object, did: str) -> None:
    if not isinstance(document, dict):
        raise DidResolutionError(f"the DID document of {did} is not a JSON object")
    if document.get("id") != did:
        raise DidResolutionError(
            f"DID document id {document.get('id')!r} does not match the DID {did!r}"
        )


def resolve_did(
    did: str,
    *,
    fetch: Fetch | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> JsonObject:
    """Resolve a DID (or DID URL; the fragment is ignored) to its DID document.

    did:key resolves in-process; did:web fetches ``did.json`` through ``fetch``
    (with ``Accept: application/did+json, application/json``). ``base_urls``
    maps a did:web DID, or its host-only ``did:web:<host>`` form, to a base URL
    that replaces ``https://<host>`` (tests point it at an in-process app).
    """
    identifier = _did_part(did)
    if identifier.startswith(_DID_KEY_PREFIX):
        return resolve_did_key(identifier)
    if identifier.startswith(_DID_WEB_PREFIX):
        document: JsonObject = _resolve_did_web(identifier, fetch, base_urls)
        return document
    raise DidResolutionError(f"unsupported DID method: {identifier!r}")


def _absolute(reference: object, did: str) -> object:
    """Resolve a relative ``#fragment`` reference against the DID; others stay as they are."""
    if isinstance(reference, str) and reference.startswith("#"):
        return did + reference
    return reference


def _entries(document: JsonObject, name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise DidResolutionError(f"the DID document's {name!r} must be an array")
    return value


def _parse_public_key(method: Mapping[str, Any]) -> PublicKey:
    """Read the key of a Multikey or JsonWebKey method; exactly one key property allowed."""
    has_multibase = "publicKeyMultibase" in method
    has_jwk = "publicKeyJwk" in method
    if has_multibase and has_jwk:
        raise DidResolutionError("a verification method must carry one key, not two")
    try:
        if method.get("type") == "Multikey" and has_multibase:
            return PublicKey.from_multibase(method["publicKeyMultibase"])
        if method.get("type") in ("JsonWebKey", "JsonWebKey2020") and has_jwk:
            return PublicKey.from_jwk(method["publicKeyJwk"])
    except ParsingError as exc:
        raise DidResolutionError(f"verification method key: {exc.detail}") from exc
    raise DidResolutionError(
        f"unsupported verification method type {method.get('type')!r} or missing key "
        "(expected Multikey/publicKeyMultibase or JsonWebKey/publicKeyJwk)"
    )


def dereference_verification_method(
    vm_id: str,
    *,
    fetch: Fetch | None = None,
    base_urls: Mapping[str, str] | None = None,
    resolver: Callable[[str], JsonObject] | None = None,
) -> VerificationMethod:
    """Retrieve a verification method from its controller document by its DID URL.

    The relationships that list the method are returned, not checked: the
    caller checks the one its proof purpose needs (step 11).

    Spec: cid#retrieve-verification-method
    """
    # Implementation note: a did:key method is a pure function of its id, and
    # verifiers meet the same issuer keys again and again, so it is memoized.
    if resolver is None and type(vm_id) is str and vm_id.startswith(_DID_KEY_PREFIX):
        return _did_key_verification_method(vm_id)
    # Step 1: vmIdentifier must be a DID URL with a fragment.
    if not isinstance(vm_id, str) or not vm_id.startswith("did:"):
        raise DidResolutionError(f"verification method id is not a DID URL: {vm_id!r}")
    # Step 2: controllerDocumentUrl = the DID (no fragment).
    did = _did_part(vm_id)
    # Step 3: vmFragment.
    fragment = vm_id.partition("#")[2]
    if not fragment:
        raise DidResolutionError(f"verification method id has no fragment: {vm_id!r}")
    # Step 4: dereference the controller document.
    document = (
        resolver(did)
        if resolver is not None
        else resolve_did(did, fetch=fetch, base_urls=base_urls)
    )
    # Step 5: its id must equal controllerDocumentUrl.
    _check_document_id(document, did)
    # Step 6: a conforming document: method lists are arrays.
    listed = _entries(document, "verificationMethod")
    by_relationship = {name: _entries(document, name) for name in RELATIONSHIPS}
    # Step 7: dereference the fragment: embedded definitions and references by id.
    definitions: list[Mapping[str, Any]] = []
    relationships: set[str] = set()
    for entry in listed:
        if isinstance(entry, Mapping) and _absolute(entry.get("id"), did) == vm_id:
            definitions.append(entry)
    for name, entries in by_relationship.items():
        for entry in entries:
            if isinstance(entry, Mapping) and _absolute(entry.get("id"), did) == vm_id:
                definitions.append(entry)
                relationships.add(name)
            elif _absolute(entry, did) == vm_id:
                relationships.add(name)
    if not definitions:
        raise DidResolutionError(f"verification method {vm_id} is not in the DID document")
    method = definitions[0]
    if any(other != method for other in definitions[1:]):
        raise DidResolutionError(f"verification method {vm_id} is defined more than once")
    # Step 8: a conforming verification method: a supported type with one valid key.
    public_key = _parse_public_key(method)
    # Step 9: its absolute id equals vmIdentifier (guaranteed by the search above).
    # Step 10: its controller equals controllerDocumentUrl.
    controller = method.get("controller")
    if controller != did:
        raise DidResolutionError(
            f"verification method controller {controller!r} is not the DID {did!r}"
        )
    # Step 11: Implementation note: relationships are reported for the caller to check.
    # Step 12: return the verification method.
    return VerificationMethod(
        id=vm_id,
        controller=did,
        type=str(method["type"]),
        public_key=public_key,
        relationships=frozenset(relationships),
    )


@functools.lru_cache(maxsize=1024)
def _did_key_verification_method(vm_id: str) -> VerificationMethod:
    """A did:key verification method, retrieved once per id (failures are not cached)."""
    return dereference_verification_method(vm_id, resolver=resolve_did_key)
