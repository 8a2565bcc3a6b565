"""SD-JWT VC recipes: issue, present and verify, with safe defaults.

These put the spec algorithms of ``vc_core.hazmat.sd_jwt`` together:
salts of 128 bits, sorted ``_sd`` arrays with optional decoys, ``_sd_alg``
sha-256, explicit typing (``dc+sd-jwt``; ``vc+sd-jwt`` still accepted), a
Key Binding JWT on every presentation, and issuer keys only from a resolver
the caller chose per issuer (JWT VC Issuer Metadata through an injected
Fetch, an ``x5c`` chain to a configured anchor, or keys given directly).

>>> from vc_core.keys import KeyPair
>>> issuer_key, holder_key = KeyPair.generate("P-256"), KeyPair.generate("P-256")
>>> issued = issue_sd_jwt_vc(
...     {"inkomensklasse": "midden", "belastingjaar": 2024},
...     issuer_key,
...     issuer="https://issuer.example.nl/belastingdienst",
...     vct="https://issuer.example.nl/belastingdienst/inkomen",
...     disclosable=[["inkomensklasse"], ["belastingjaar"]],
...     holder_key=holder_key.public,
... )
>>> shown = present_sd_jwt_vc(issued, [["inkomensklasse"]], holder_key=holder_key,
...                           audience="x509_san_dns:verhuur.example.nl", nonce="n-0S6")
>>> keys = StaticIssuerKeys({"https://issuer.example.nl/belastingdienst": [issuer_key.public]})
>>> verify_sd_jwt_vc(shown, key_resolver=keys, audience="x509_san_dns:verhuur.example.nl",
...                  nonce="n-0S6").claims
{'inkomensklasse': 'midden'}
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from vc_core import _x509
from vc_core.did import (
    VerificationMethod,
    dereference_verification_method,
    did_web_base_url,
    resolve_did,
)
from vc_core.errors import (
    CredentialPolicyError,
    DidResolutionError,
    FetchError,
    IssuerKeyError,
    KeyBindingError,
    ParsingError,
    ProofVerificationError,
    SdJwtError,
)
from vc_core.hazmat.sd_jwt import (
    ClaimPath,
    IssuerKey,
    IssuerKeyResolver,
    KeyBinding,
    UnverifiedSdJwt,
    create_key_binding_jwt,
    create_sd_jwt_payload,
    generate_salt,
    jwt_vc_issuer_metadata_url,
    key_id,
    numeric_date,
    parse_jwk_set,
    parse_sd_jwt,
    process_sd_jwt_payload,
    select_disclosures,
    select_issuer_key,
    serialize_sd_jwt,
    to_numeric_date,
    validate_jwt_vc_issuer_metadata,
    verify_key_binding_jwt,
    x5c_issuer_key,
)
from vc_core.hazmat.sd_jwt.issuer_keys import check_https_issuer, create_jwt_vc_issuer_metadata
from vc_core.jws import ALLOWED_ALGS, loads_strict_json, sign_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.status.token_status_list import TokenStatusReference, parse_status_claim
from vc_core.types import Clock, Fetch, JsonObject

__all__ = [
    "ACCEPTED_TYPS",
    "LEGACY_SD_JWT_VC_TYP",
    "NOT_DISCLOSABLE",
    "SD_JWT_VC_FORMAT",
    "SD_JWT_VC_TYP",
    "ClaimPath",
    "DidWebKeys",
    "IssuerKeyResolver",
    "IssuerMetadataKeys",
    "KeyBinding",
    "StaticIssuerKeys",
    "UnverifiedSdJwt",
    "VerifiedSdJwtVc",
    "X5cKeys",
    "create_jwt_vc_issuer_metadata",
    "issue_sd_jwt_vc",
    "jwt_vc_issuer_metadata_url",
    "key_id",
    "parse_sd_jwt",
    "present_sd_jwt_vc",
    "verify_sd_jwt_vc",
]

SD_JWT_VC_FORMAT = "dc+sd-jwt"
"""The OpenID4VCI / OpenID4VP format identifier of SD-JWT VC."""
SD_JWT_VC_TYP = "dc+sd-jwt"
"""The ``typ`` we issue with (SD-JWT VC, media type ``application/dc+sd-jwt``)."""
LEGACY_SD_JWT_VC_TYP = "vc+sd-jwt"
"""The ``typ`` of SD-JWT VC drafts before November 2024 (draft 08, the NL Wallet profile)."""
ACCEPTED_TYPS: tuple[str, ...] = (SD_JWT_VC_TYP, LEGACY_SD_JWT_VC_TYP)
"""The ``typ`` values verification accepts by default (the draft's transition rule)."""

NOT_DISCLOSABLE = frozenset(
    {"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "aka_vcts", "status"}
)
"""Claims an SD-JWT VC must carry in plain view (never in a Disclosure)."""
_STRUCTURAL = NOT_DISCLOSABLE | {"iat", "jti", "_sd", "_sd_alg"}
"""Claims the recipes set themselves; they are not among ``claims``."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _configured_issuer(issuer: object) -> str:
    """An issuer identifier the caller configured: an https URL, else ``ValueError`` (misuse)."""
    try:
        return check_https_issuer(issuer)
    except IssuerKeyError as exc:
        raise ValueError(exc.detail) from exc


def _claim_at(value: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        if isinstance(step, str):
            if not isinstance(value, Mapping) or step not in value:
                return None
            value = value[step]
        elif isinstance(value, list) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return copy.deepcopy(value)


@dataclass(frozen=True, slots=True)
class VerifiedSdJwtVc:
    """An SD-JWT VC whose issuer signature, Disclosures, validity and key binding verified.

    ``claims`` are the disclosed claims about the subject as a plain mapping
    (everything but ``iss``, ``iat``, ``nbf``, ``exp``, ``vct``, ``aka_vcts``,
    ``cnf``, ``status``, ``jti``), ``payload`` the whole processed payload. ``types``
    is ``vct`` followed by any ``aka_vcts``. ``holder_key`` is the ``cnf``
    key, ``status`` the Token Status List entry (not yet checked: see
    :func:`vc_core.status.check_token_status`), ``key_binding`` what the
    KB-JWT said (``None`` when none was asked for), ``id`` the ``jti`` (the
    issuer's identifier of this credential, if it gave one).
    """

    issuer: str
    vct: str
    types: tuple[str, ...]
    claims: JsonObject = field(repr=False)
    holder_key: PublicKey | None
    issued_at: datetime | None
    valid_from: datetime | None
    valid_until: datetime | None
    status: TokenStatusReference | None
    key_binding: KeyBinding | None
    issuer_key: PublicKey = field(repr=False)
    payload: JsonObject = field(repr=False)
    id: str | None = None

    def claim(self, *path: str | int) -> Any:
        """Return a copy of the disclosed claim at ``path``, or ``None``.

        >>> vc = VerifiedSdJwtVc("https://i.example", "https://i.example/t", (),
        ...     {"inkomen": {"klasse": "midden"}}, None, None, None, None, None, None,
        ...     PublicKey.from_jwk(KeyPair.generate().public.to_jwk()), {})
        >>> vc.claim("inkomen", "klasse"), vc.claim("leeftijd")
        ('midden', None)
        """
        return _claim_at(self.claims, path)


def _check_claims(claims: Mapping[str, Any]) -> None:
    if not isinstance(claims, Mapping):
        raise TypeError("claims must be a JSON object (Mapping)")
    clash = sorted(_STRUCTURAL & claims.keys())
    if clash:
        raise ValueError(f"claims must not set {clash}; use the keyword arguments")


def issue_sd_jwt_vc(
    claims: Mapping[str, Any],
    issuer_key: KeyPair,
    *,
    issuer: str,
    vct: str,
    disclosable: Collection[Sequence[str | int | None]] = (),
    holder_key: PublicKey | None = None,
    status: TokenStatusReference | None = None,
    aka_vcts: Sequence[str] = (),
    vct_integrity: str | None = None,
    jti: str | None = None,
    issued_at: datetime | None = None,
    expires_at: datetime | None = None,
    not_before: datetime | None = None,
    clock: Clock = _utc_now,
    kid: str | None = None,
    x5c: Sequence[str] | None = None,
    typ: str = SD_JWT_VC_TYP,
    decoys: int = 0,
    salt: Callable[[], str] = generate_salt,
    decoy_digest: Callable[[], str] | None = None,
) -> str:
    """Issue an SD-JWT VC: the Issuer-signed JWT and all its Disclosures, ending in ``~``.

    ``claims`` are the subject's claims; ``disclosable`` the claim paths to
    make selectively disclosable (a path and one below it give a recursive
    Disclosure; ``None`` in a path means every array element). ``iss``,
    ``vct``, ``iat``, ``exp``, ``nbf``, ``cnf`` (``holder_key``) and
    ``status`` are set in plain view. ``kid`` names the issuer key
    (default: its RFC 7638 thumbprint, as in :func:`create_jwt_vc_issuer_metadata`)
    or ``x5c`` carries its certificate chain instead. ``vct_integrity`` is the
    integrity metadata of the type metadata document at ``vct``
    (``sha256-…``, W3C Subresource Integrity), in plain view; ``jti`` the
    issuer's identifier of this credential, in a Disclosure of its own (like a
    W3C credential's ``id``, shown only when asked for). Each object and array
    with Disclosures gets up to ``decoys`` decoy digests. ``salt`` and
    ``decoy_digest`` are for tests that reproduce fixed output.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-verifiable-digital-credenti
    """
    if not isinstance(issuer_key, KeyPair):
        raise TypeError("issuer_key must be a KeyPair")
    _check_claims(claims)
    _configured_issuer(issuer)
    if not isinstance(vct, str) or not vct:
        raise ValueError("vct is a non-empty string")
    if typ not in ACCEPTED_TYPS:
        raise ValueError(f"typ must be one of {ACCEPTED_TYPS}")
    # The registered claims first, in plain view (SD-JWT VC: never in Disclosures).
    payload: JsonObject = {
        "iss": issuer,
        "iat": to_numeric_date(issued_at if issued_at is not None else clock()),
    }
    if not_before is not None:
        payload["nbf"] = to_numeric_date(not_before)
    if expires_at is not None:
        payload["exp"] = to_numeric_date(expires_at)
    payload["vct"] = vct
    if vct_integrity is not None:
        if not isinstance(vct_integrity, str) or not vct_integrity.startswith("sha"):
            raise ValueError("vct_integrity is an integrity metadata string (sha256-...)")
        payload["vct#integrity"] = vct_integrity
    if aka_vcts:
        if vct in aka_vcts or not all(isinstance(v, str) and v for v in aka_vcts):
            raise ValueError("aka_vcts are strings other than vct")
        payload["aka_vcts"] = list(aka_vcts)
    if status is not None:
        payload["status"] = status.to_json()
    if holder_key is not None:
        payload["cnf"] = {"jwk": holder_key.to_jwk()}
    # Then the subject's claims with their digests, and _sd_alg.
    if jti is not None:
        if not isinstance(jti, str) or not jti:
            raise ValueError("jti is a non-empty string")
        # Implementation note: like a W3C credential's id, the identifier is shown
        # only when asked for (a Disclosure), since it is unique to this copy.
        claims = {"jti": jti, **claims}
        disclosable = [["jti"], *disclosable]
    embedded = create_sd_jwt_payload(
        claims, disclosable, salt=salt, decoys=decoys, decoy_digest=decoy_digest
    )
    payload.update(embedded.payload)
    headers = {} if x5c is None else {"x5c": list(x5c)}
    if x5c is None and kid is None:
        kid = key_id(issuer_key.public)
    issuer_jwt = sign_jws(payload, issuer_key, typ=typ, kid=kid, headers=headers)
    return serialize_sd_jwt(issuer_jwt, [d.encoded for d in embedded.disclosures])


def present_sd_jwt_vc(
    issued: str,
    claim_paths: Collection[Sequence[str | int | None]],
    *,
    holder_key: KeyPair,
    audience: str,
    nonce: str,
    clock: Clock = _utc_now,
) -> str:
    """Present an issued SD-JWT VC with only the Disclosures ``claim_paths`` need, plus a KB-JWT.

    ``claim_paths`` come from the verifier's request (DCQL ``claims`` paths);
    a path names a claim as if everything were disclosed, and a path to an
    object or array reveals all of it. Claims in plain view need no
    Disclosure. Raises ``SdJwtError`` (``CLAIM_NOT_FOUND``) for a path that
    names nothing, ``INVALID_SD_JWT`` for a malformed path or credential;
    ``ValueError`` when ``holder_key`` is not the credential's ``cnf`` key.

    Spec: rfc9901#name-processing-by-the-holder
    """
    if not isinstance(holder_key, KeyPair):
        raise TypeError("holder_key must be a KeyPair")
    # Step 1 (of verification, the holder's own copy): parse; an SD-JWT+KB is not issued.
    parsed = parse_sd_jwt(issued)
    if parsed.key_binding_jwt is not None:
        raise SdJwtError("an issued SD-JWT has no Key Binding JWT")
    payload = parsed.jws.payload
    if _holder_key(payload) != holder_key.public:
        raise ValueError("holder_key is not the key this credential is bound to (cnf.jwk)")
    # Steps 1-2: choose the Disclosures; each is reachable from the payload.
    chosen = select_disclosures(payload, parsed.disclosures, claim_paths)
    # Step 3: assemble the SD-JWT; Step 5: bind it with a KB-JWT.
    sd_jwt = serialize_sd_jwt(parsed.issuer_jwt, [d.encoded for d in chosen])
    key_binding_jwt = create_key_binding_jwt(
        sd_jwt,
        holder_key,
        audience=audience,
        nonce=nonce,
        issued_at=clock(),
        sd_alg=parsed.sd_alg,
    )
    return sd_jwt + key_binding_jwt


def _issuer_key(
    parsed: UnverifiedSdJwt, key_resolver: IssuerKeyResolver, algorithms: Collection[str]
) -> tuple[str, PublicKey]:
    """Steps 2.1-2.3 of verification: an accepted alg, a trusted key, a valid signature."""
    header, payload = parsed.jws.header, parsed.jws.payload
    alg = header["alg"]
    if alg not in algorithms:
        raise ProofVerificationError(f"Issuer-signed JWT alg {alg!r} is not accepted")
    issuer = payload.get("iss")
    if not isinstance(issuer, str):
        raise SdJwtError("the Issuer-signed JWT has no iss")
    key = key_resolver(issuer, header)
    if not key.fits_alg(alg):
        raise ProofVerificationError(f"Issuer-signed JWT alg {alg!r} does not fit the issuer key")
    if not key.verify(parsed.jws.signature, parsed.jws.signing_input):
        raise ProofVerificationError("the Issuer-signed JWT signature is not valid")
    return issuer, key


def _vc_claims(raw: Mapping[str, Any], processed: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """SD-JWT VC rules for the processed payload: vct, aka_vcts, plain-view claims."""
    disclosed_registered = sorted(
        name for name in NOT_DISCLOSABLE if name in processed and name not in raw
    )
    if disclosed_registered:
        raise SdJwtError(
            f"claims {disclosed_registered} must not be selectively disclosable",
            code="INVALID_DISCLOSURE",
        )
    vct = processed.get("vct")
    if not isinstance(vct, str) or not vct:
        raise SdJwtError("an SD-JWT VC needs a vct string")
    aka = processed.get("aka_vcts", [])
    if not isinstance(aka, list) or not all(isinstance(v, str) and v != vct for v in aka):
        raise SdJwtError("aka_vcts must be an array of strings other than vct")
    if "aka_vcts" in processed and not aka:
        raise SdJwtError("aka_vcts must not be empty")
    return vct, (vct, *aka)


def _validity(
    processed: Mapping[str, Any], *, now: datetime, skew: timedelta
) -> tuple[datetime | None, datetime | None, datetime | None]:
    """Step 6 of verification: iat, nbf and exp in the processed payload, with skew."""
    try:
        issued_at = numeric_date(processed, "iat")
        not_before = numeric_date(processed, "nbf")
        expires = numeric_date(processed, "exp")
    except ValueError as exc:
        raise SdJwtError(str(exc)) from exc
    for name, moment in (("nbf", not_before), ("iat", issued_at)):
        if moment is not None and now + skew < moment:
            raise CredentialPolicyError(
                f"the credential's {name} is {moment.isoformat()}, in the future",
                code="CREDENTIAL_NOT_YET_VALID",
                path=name,
            )
    if expires is not None and now - skew >= expires:
        raise CredentialPolicyError(
            f"the credential expired at {expires.isoformat()}",
            code="CREDENTIAL_EXPIRED",
            path="exp",
        )
    return issued_at, not_before, expires


def _holder_key(processed: Mapping[str, Any]) -> PublicKey | None:
    if "cnf" not in processed:
        return None
    cnf = processed["cnf"]
    if not isinstance(cnf, Mapping) or "jwk" not in cnf:
        raise SdJwtError("cnf must be an object with a jwk (the only method supported)")
    try:
        return PublicKey.from_jwk(cnf["jwk"])
    except ParsingError as exc:
        raise SdJwtError(f"cnf.jwk: {exc.detail}") from exc


def verify_sd_jwt_vc(
    unverified: object,
    *,
    key_resolver: IssuerKeyResolver,
    audience: str | None = None,
    nonce: str | None = None,
    clock: Clock = _utc_now,
    skew: timedelta = timedelta(seconds=60),
    key_binding_max_age: timedelta = timedelta(minutes=5),
    accepted_typs: Collection[str] = ACCEPTED_TYPS,
    algorithms: Collection[str] = ALLOWED_ALGS,
) -> VerifiedSdJwtVc:
    """Verify an untrusted SD-JWT VC; return the disclosed claims only through the result.

    A verifier passes ``audience`` (its client id) and ``nonce`` (its
    request's): a Key Binding JWT is then required and checked. A holder
    checking an issued credential passes neither: a KB-JWT is then refused.
    The issuer key comes from ``key_resolver`` (the verifier's trust choice
    for that issuer). Raises a ``VerificationError``: ``SdJwtError``,
    ``ProofVerificationError`` (issuer signature), ``IssuerKeyError``,
    ``CredentialPolicyError`` (``CREDENTIAL_EXPIRED``,
    ``CREDENTIAL_NOT_YET_VALID``), ``KeyBindingError``,
    ``InvalidChallengeError`` (nonce), ``InvalidDomainError`` (aud),
    ``ProofExpiredError`` (stale KB-JWT) or ``StatusListError`` (a malformed
    ``status`` claim). The status itself is checked by
    :func:`vc_core.status.check_token_status`.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-verification-and-processing
    """
    if (audience is None) != (nonce is None):
        raise ValueError("pass both audience and nonce (key binding) or neither")
    accepted = frozenset(algorithms)
    if not accepted <= ALLOWED_ALGS:
        raise ValueError(f"algorithms must be a subset of {sorted(ALLOWED_ALGS)}")
    now = clock()
    # RFC 9901 7.3 steps 1-3: key binding is decided by policy, not by what was sent.
    parsed = parse_sd_jwt(unverified)
    if audience is None and parsed.key_binding_jwt is not None:
        raise KeyBindingError("a Key Binding JWT was sent, but none is expected here")
    if audience is not None and parsed.key_binding_jwt is None:
        raise KeyBindingError("a Key Binding JWT is required, but the SD-JWT has none")
    # 7.1 step 2: the Issuer-signed JWT (typ per SD-JWT VC, alg, key of this issuer, signature).
    if parsed.jws.header.get("typ") not in accepted_typs:
        raise SdJwtError(f"Issuer-signed JWT typ {parsed.jws.header.get('typ')!r} is not accepted")
    issuer, issuer_key = _issuer_key(parsed, key_resolver, accepted)
    # 7.1 steps 3-5: Disclosures and digests.
    payload = parsed.jws.payload
    try:
        processed = process_sd_jwt_payload(payload, parsed.disclosures)
    except RecursionError as exc:
        raise SdJwtError("the SD-JWT nests too deeply") from exc
    vct, types = _vc_claims(payload, processed)
    # 7.1 step 6: validity claims of the processed payload.
    issued_at, valid_from, valid_until = _validity(processed, now=now, skew=skew)
    holder_key = _holder_key(processed)
    status = parse_status_claim(processed["status"]) if "status" in processed else None
    # 7.3 step 5: the KB-JWT, with the cnf key.
    key_binding = None
    if audience is not None and nonce is not None and parsed.key_binding_jwt is not None:
        if holder_key is None:
            raise KeyBindingError("key binding is required, but the SD-JWT has no cnf key")
        key_binding = verify_key_binding_jwt(
            parsed.key_binding_jwt,
            parsed.sd_jwt,
            holder_key=holder_key,
            audience=audience,
            nonce=nonce,
            now=now,
            max_age=key_binding_max_age,
            skew=skew,
            sd_alg=parsed.sd_alg,
            algorithms=accepted,
        )
    claims = {name: value for name, value in processed.items() if name not in _STRUCTURAL}
    jti = processed.get("jti")
    return VerifiedSdJwtVc(
        issuer=issuer,
        vct=vct,
        types=types,
        claims=claims,
        holder_key=holder_key,
        issued_at=issued_at,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        key_binding=key_binding,
        issuer_key=issuer_key,
        payload=processed,
        id=jti if isinstance(jti, str) else None,
    )


# --- issuer key resolvers ---------------------------------------------------------------------


def _untrusted(issuer: str) -> IssuerKeyError:
    return IssuerKeyError(f"issuer {issuer!r} is not trusted here", code="UNTRUSTED_ISSUER")


class StaticIssuerKeys:
    """Issuer keys given directly: ``{iss: [PublicKey, ...]}`` (or ``{iss: jwks}``).

    A key is found by the header ``kid`` (a JWK's own ``kid``, or the key's
    RFC 7638 thumbprint for a :class:`~vc_core.keys.PublicKey`), or is the
    issuer's only key. Other issuers raise ``IssuerKeyError`` (``UNTRUSTED_ISSUER``).
    """

    def __init__(self, keys: Mapping[str, Sequence[PublicKey] | Mapping[str, Any]]) -> None:
        self._keys: dict[str, tuple[IssuerKey, ...]] = {}
        for issuer, value in keys.items():
            _configured_issuer(issuer)
            if isinstance(value, Mapping):
                self._keys[issuer] = parse_jwk_set(value)
            else:
                self._keys[issuer] = tuple(IssuerKey(key_id(k), None, k) for k in value)

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey:
        keys = self._keys.get(issuer)
        if keys is None:
            raise _untrusted(issuer)
        return select_issuer_key(keys, header)


@dataclass(frozen=True, slots=True)
class _CachedKeys:
    keys: tuple[IssuerKey, ...]
    expires: datetime
    fetched: datetime | None = None


_METADATA_ACCEPT = "application/json"
_MAX_CACHED_CHAINS = 64
_MIN_REFRESH = timedelta(seconds=30)
_JWKS_ACCEPT = "application/jwk-set+json, application/json"


class IssuerMetadataKeys:
    """Issuer keys from JWT VC Issuer Metadata (``/.well-known/jwt-vc-issuer/…``).

    Only the ``issuers`` listed are served (others raise ``IssuerKeyError``
    with ``UNTRUSTED_ISSUER`` before anything is fetched). Metadata and a
    ``jwks_uri`` key set are fetched through the injected ``fetch`` and kept
    for ``ttl``; an unknown ``kid`` triggers a fresh fetch (key rotation), at
    most one per 30 seconds per issuer. Thread-safe.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-jwt-vc-issuer-metadata
    """

    def __init__(
        self,
        fetch: Fetch,
        *,
        issuers: Collection[str],
        clock: Clock = _utc_now,
        ttl: timedelta = timedelta(minutes=10),
    ) -> None:
        if isinstance(issuers, str):
            raise TypeError("issuers is a collection of issuer identifiers, not one string")
        self._fetch = fetch
        self._issuers = frozenset(_configured_issuer(issuer) for issuer in issuers)
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[str, _CachedKeys] = {}

    def _get_json(self, url: str, accept: str) -> Any:
        try:
            return loads_strict_json(self._fetch(url, accept=accept))
        except FetchError as exc:
            raise IssuerKeyError(f"{url} could not be fetched: {exc}") from exc
        except ValueError as exc:
            raise IssuerKeyError(f"{url} is not JSON: {exc}") from exc

    def _load(self, issuer: str) -> tuple[IssuerKey, ...]:
        # Step 1: GET the metadata at the well-known location formed from iss.
        metadata = validate_jwt_vc_issuer_metadata(
            self._get_json(jwt_vc_issuer_metadata_url(issuer), _METADATA_ACCEPT), issuer
        )
        # Step 2: the keys by value (jwks) or by reference (jwks_uri).
        jwks = metadata.get("jwks")
        if jwks is None:
            jwks = self._get_json(metadata["jwks_uri"], _JWKS_ACCEPT)
        keys = parse_jwk_set(jwks)
        now = self._clock()
        with self._lock:
            self._cache[issuer] = _CachedKeys(keys, now + self._ttl, now)
        return keys

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey:
        if issuer not in self._issuers:
            raise _untrusted(issuer)
        with self._lock:
            cached = self._cache.get(issuer)
        now = self._clock()
        if cached is None or now >= cached.expires:
            return select_issuer_key(self._load(issuer), header)
        try:
            return select_issuer_key(cached.keys, header)
        except IssuerKeyError:
            # Implementation note: the issuer may have rotated its keys since we cached
            # them; fetch again, but not more often than _MIN_REFRESH (an unknown kid in a
            # forged token must not make us hammer the issuer).
            if cached.fetched is not None and now - cached.fetched < _MIN_REFRESH:
                raise
            return select_issuer_key(self._load(issuer), header)


class DidWebKeys:
    """Issuer keys from the issuer's did:web DID document, for an ``iss`` that is its https URL.

    A relying party that trusts issuers by DID (as it does for Data Integrity
    credentials) takes the same keys for their SD-JWT VCs: the DID
    ``did:web:issuer.example.nl:duo`` stands for the issuer
    ``https://issuer.example.nl/duo``. The header ``kid`` must be a DID URL of
    that DID, naming a method its DID document lists under ``assertionMethod``.
    Only the ``dids`` listed are served (others raise ``IssuerKeyError`` with
    ``UNTRUSTED_ISSUER`` before anything is fetched). Methods come from
    ``resolve_verification_method`` when given (a verifier's own cached
    resolver), else from the DID documents fetched through ``fetch`` and kept
    for ``ttl`` (an unknown ``kid`` fetches again, at most once per 30 seconds
    per DID). Thread-safe.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-issuer-verification-key-dis
    """

    def __init__(
        self,
        dids: Collection[str],
        *,
        fetch: Fetch | None = None,
        resolve_verification_method: Callable[[str], VerificationMethod] | None = None,
        base_urls: Mapping[str, str] | None = None,
        clock: Clock = _utc_now,
        ttl: timedelta = timedelta(minutes=10),
    ) -> None:
        if isinstance(dids, str):
            raise TypeError("dids is a collection of did:web DIDs, not one string")
        if (fetch is None) == (resolve_verification_method is None):
            raise ValueError("give fetch or resolve_verification_method (one of them)")
        self._issuers: dict[str, str] = {}
        for did in dids:
            try:
                self._issuers[did_web_base_url(did)] = did
            except DidResolutionError as exc:
                raise ValueError(f"{did!r} is not a usable did:web DID: {exc.detail}") from exc
        self._fetch = fetch
        self._resolve = resolve_verification_method
        self._base_urls = dict(base_urls or {})
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._documents: dict[str, tuple[JsonObject, datetime, datetime]] = {}

    def _document(self, did: str, *, refresh: bool) -> JsonObject:
        """The DID document of ``did``, from the cache unless expired or ``refresh``."""
        now = self._clock()
        with self._lock:
            cached = self._documents.get(did)
        fresh = cached is not None and now < cached[1]
        if cached is not None and fresh and (not refresh or now - cached[2] < _MIN_REFRESH):
            return cached[0]
        document = resolve_did(did, fetch=self._fetch, base_urls=self._base_urls)
        with self._lock:
            self._documents[did] = (document, now + self._ttl, now)
        return document

    def _method(self, kid: str, did: str) -> VerificationMethod:
        if self._resolve is not None:
            return self._resolve(kid)
        try:
            return dereference_verification_method(
                kid, resolver=lambda _: self._document(did, refresh=False)
            )
        except DidResolutionError:
            # Implementation note: the issuer may have added a key since we cached its
            # document; fetch it again, but not more often than _MIN_REFRESH.
            return dereference_verification_method(
                kid, resolver=lambda _: self._document(did, refresh=True)
            )

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey:
        did = self._issuers.get(issuer)
        if did is None:
            raise _untrusted(issuer)
        # Step 1: the kid names a key of the issuer's own DID.
        kid = header.get("kid")
        if not isinstance(kid, str) or kid.partition("#")[0] != did or "#" not in kid:
            raise IssuerKeyError(f"the JWS kid {kid!r} is not a DID URL of {did}")
        # Step 2: the DID document lists it for assertions.
        try:
            method = self._method(kid, did)
        except DidResolutionError as exc:
            raise IssuerKeyError(f"{kid}: {exc.detail}") from exc
        if "assertionMethod" not in method.relationships or method.controller != did:
            raise IssuerKeyError(f"{kid} is not an assertion key of {did}")
        return method.public_key


class X5cKeys:
    """Issuer keys from an ``x5c`` header chain that validates to a configured trust anchor.

    The leaf certificate must name the issuer (subjectAltName URI equal to
    ``iss``, or DNS name equal to its host). Only the ``issuers`` listed are
    served (others raise ``IssuerKeyError`` with ``UNTRUSTED_ISSUER``).
    ``trust_anchors`` are PEM text, DER bytes or loaded certificates. A chain
    that validated is trusted again for ``ttl``, never past the first expiry in
    it. Thread-safe.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-issuer-verification-key-dis
    """

    def __init__(
        self,
        trust_anchors: Sequence[bytes | str | _x509.Certificate],
        *,
        issuers: Collection[str],
        clock: Clock = _utc_now,
        ttl: timedelta = timedelta(minutes=10),
    ) -> None:
        if isinstance(issuers, str):
            raise TypeError("issuers is a collection of issuer identifiers, not one string")
        self._anchors = [
            anchor if isinstance(anchor, _x509.Certificate) else _x509.load_certificate(anchor)
            for anchor in trust_anchors
        ]
        if not self._anchors:
            raise ValueError("at least one trust anchor is needed")
        self._issuers = frozenset(_configured_issuer(issuer) for issuer in issuers)
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, tuple[str, ...]], _CachedKeys] = OrderedDict()

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey:
        if issuer not in self._issuers:
            raise _untrusted(issuer)
        now = self._clock()
        x5c = header.get("x5c")
        # Implementation note: validating a chain costs about ten verifications of an
        # SD-JWT; a chain seen before is trusted again until its ttl or first expiry.
        cache_key = None
        if isinstance(x5c, list) and all(isinstance(item, str) for item in x5c):
            cache_key = (issuer, tuple(x5c))
        with self._lock:
            cached = self._cache.get(cache_key) if cache_key is not None else None
        if cached is not None and now < cached.expires:
            return cached.keys[0].key
        found = x5c_issuer_key(issuer, header, trust_anchors=self._anchors, now=now)
        if cache_key is not None:
            with self._lock:
                self._cache[cache_key] = _CachedKeys(
                    (IssuerKey(None, None, found.key),), min(now + self._ttl, found.not_after)
                )
                while len(self._cache) > _MAX_CACHED_CHAINS:
                    self._cache.popitem(last=False)
        return found.key
