"""Credential Issuer and authorization-server metadata (OpenID4VCI 1.0), parsed and checked.

Pure functions over untrusted JSON; every problem raises
:class:`~wallet_sdk.errors.IssuerResponseError` with code
``INVALID_ISSUER_METADATA``. Metadata is plain JSON, never JSON-LD-processed
(docs/protocols.md, P30).

>>> well_known_urls("https://issuer.example.nl/duo", "openid-credential-issuer")
('https://issuer.example.nl/.well-known/openid-credential-issuer/duo', \
'https://issuer.example.nl/duo/.well-known/openid-credential-issuer')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from wallet_sdk.errors import IssuerResponseError
from wallet_sdk.http import is_https_url

__all__ = [
    "PREFERRED_LOCALES",
    "AuthorizationServerMetadata",
    "CredentialConfiguration",
    "IssuerMetadata",
    "display_name",
    "parse_authorization_server_metadata",
    "parse_issuer_metadata",
    "well_known_urls",
]

PREFERRED_LOCALES: tuple[str, ...] = ("nl-NL", "nl", "en-US", "en")
"""Locales tried in order when choosing a display name."""

_CODE = "INVALID_ISSUER_METADATA"


def _fail(detail: str) -> IssuerResponseError:
    return IssuerResponseError(detail, code=_CODE)


def well_known_urls(identifier: str, name: str) -> tuple[str, str]:
    """The two places of a well-known document: inserted after the host (1.0), then appended.

    Spec: rfc8414#section-3.1
    """
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    inserted = urlunsplit((parts.scheme, parts.netloc, f"/.well-known/{name}{path}", "", ""))
    appended = urlunsplit((parts.scheme, parts.netloc, f"{path}/.well-known/{name}", "", ""))
    return inserted, appended


def display_name(displays: object, locales: Sequence[str] = PREFERRED_LOCALES) -> str | None:
    """Pick a ``name`` from a ``display`` array: the first preferred locale, else the first name."""
    if not isinstance(displays, list):
        return None
    named = [d for d in displays if isinstance(d, Mapping) and isinstance(d.get("name"), str)]
    for locale in locales:
        for entry in named:
            if entry.get("locale") == locale:
                return str(entry["name"])
    return str(named[0]["name"]) if named else None


@dataclass(frozen=True, slots=True)
class CredentialConfiguration:
    """One entry of ``credential_configurations_supported`` that the wallet can use.

    ``types`` and ``contexts`` come from an ``ldp_vc`` ``credential_definition``;
    ``vct`` is an SD-JWT VC's type.
    """

    id: str
    format: str
    types: tuple[str, ...]
    contexts: tuple[str, ...]
    proof_signing_algs: frozenset[str]
    binding_methods: frozenset[str]
    name: str | None
    claims: tuple[Any, ...]
    vct: str | None = None


@dataclass(frozen=True, slots=True)
class IssuerMetadata:
    """Checked Credential Issuer metadata."""

    credential_issuer: str
    credential_endpoint: str
    nonce_endpoint: str | None
    deferred_credential_endpoint: str | None
    notification_endpoint: str | None
    authorization_servers: tuple[str, ...]
    batch_size: int | None
    name: str | None
    configurations: Mapping[str, CredentialConfiguration]


@dataclass(frozen=True, slots=True)
class AuthorizationServerMetadata:
    """The parts of OAuth authorization-server metadata the pre-authorized flow needs."""

    issuer: str
    token_endpoint: str
    anonymous_access: bool


def _url(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not is_https_url(value):
        raise _fail(f"{name} must be an https URL, got {value!r}")
    return value


def _optional_url(document: Mapping[str, Any], name: str) -> str | None:
    return None if document.get(name) is None else _url(document, name)


def _string_set(value: object, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(f"{what} must be an array of strings")
    return frozenset(value)


def _parse_configuration(config_id: str, value: object) -> CredentialConfiguration:
    if not isinstance(value, Mapping) or not isinstance(value.get("format"), str):
        raise _fail(f"credential configuration {config_id!r} needs a format")
    has_binding = "cryptographic_binding_methods_supported" in value
    if has_binding != ("proof_types_supported" in value):
        raise _fail(
            f"{config_id!r}: cryptographic_binding_methods_supported and "
            "proof_types_supported come together"
        )
    bindings = (
        _string_set(value["cryptographic_binding_methods_supported"], "binding methods")
        if has_binding
        else frozenset()
    )
    algs: frozenset[str] = frozenset()
    if has_binding:
        proof_types = value["proof_types_supported"]
        jwt = proof_types.get("jwt") if isinstance(proof_types, Mapping) else None
        if jwt is not None:
            if not isinstance(jwt, Mapping):
                raise _fail(f"{config_id!r}: proof_types_supported.jwt must be an object")
            algs = _string_set(
                jwt.get("proof_signing_alg_values_supported"), "proof_signing_alg_values_supported"
            )
    types: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    if value["format"] == "ldp_vc":
        definition = value.get("credential_definition")
        if not isinstance(definition, Mapping):
            raise _fail(f"{config_id!r}: ldp_vc needs a credential_definition")
        types = tuple(sorted(_string_set(definition.get("type"), "credential_definition.type")))
        contexts = tuple(_string_set(definition.get("@context"), "credential_definition.@context"))
    vct = value.get("vct")
    if vct is not None and not isinstance(vct, str):
        raise _fail(f"{config_id!r}: vct must be a string")
    metadata = value.get("credential_metadata", {})
    metadata = metadata if isinstance(metadata, Mapping) else {}
    claims = metadata.get("claims", ())
    return CredentialConfiguration(
        id=config_id,
        format=value["format"],
        types=types,
        contexts=contexts,
        proof_signing_algs=algs,
        binding_methods=bindings,
        name=display_name(metadata.get("display")),
        claims=tuple(claims) if isinstance(claims, list) else (),
        vct=vct,
    )


def parse_issuer_metadata(value: object, *, expected_issuer: str) -> IssuerMetadata:
    """Check Credential Issuer metadata fetched for ``expected_issuer``.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    """
    if not isinstance(value, Mapping):
        raise _fail("issuer metadata must be a JSON object")
    # Step 1: credential_issuer must equal the identifier the metadata was fetched for.
    if value.get("credential_issuer") != expected_issuer:
        raise _fail(
            f"metadata credential_issuer {value.get('credential_issuer')!r} is not "
            f"{expected_issuer!r}"
        )
    # Step 2: credential_endpoint required; every endpoint an https URL.
    credential_endpoint = _url(value, "credential_endpoint")
    servers = value.get("authorization_servers", [])
    if not isinstance(servers, list) or not all(is_https_url(s) for s in servers):
        raise _fail("authorization_servers must be an array of https URLs")
    # Step 3: batch_credential_issuance.batch_size >= 2 when present.
    batch = value.get("batch_credential_issuance")
    batch_size: int | None = None
    if batch is not None:
        size = batch.get("batch_size") if isinstance(batch, Mapping) else None
        if not isinstance(size, int) or isinstance(size, bool) or size < 2:
            raise _fail("batch_credential_issuance.batch_size must be an integer >= 2")
        batch_size = size
    # Step 4: credential_configurations_supported, a map of configurations.
    supported = value.get("credential_configurations_supported")
    if not isinstance(supported, Mapping) or not supported:
        raise _fail("credential_configurations_supported must be a non-empty object")
    configurations = {
        str(config_id): _parse_configuration(str(config_id), config)
        for config_id, config in supported.items()
    }
    return IssuerMetadata(
        credential_issuer=expected_issuer,
        credential_endpoint=credential_endpoint,
        nonce_endpoint=_optional_url(value, "nonce_endpoint"),
        deferred_credential_endpoint=_optional_url(value, "deferred_credential_endpoint"),
        notification_endpoint=_optional_url(value, "notification_endpoint"),
        authorization_servers=tuple(servers),
        batch_size=batch_size,
        name=display_name(value.get("display")),
        configurations=MappingProxyType(configurations),
    )


def parse_authorization_server_metadata(
    value: object, *, expected_issuer: str
) -> AuthorizationServerMetadata:
    """Check OAuth authorization-server metadata fetched for ``expected_issuer``.

    Spec: rfc8414#section-3.3
    """
    if not isinstance(value, Mapping):
        raise _fail("authorization server metadata must be a JSON object")
    # Step 1: the issuer value must be identical to the one the metadata was fetched for.
    if value.get("issuer") != expected_issuer:
        raise _fail(f"AS metadata issuer {value.get('issuer')!r} is not {expected_issuer!r}")
    # Step 2: Implementation note: the pre-authorized flow needs only the token endpoint.
    token_endpoint = _url(value, "token_endpoint")
    anonymous = value.get("pre-authorized_grant_anonymous_access_supported", False)
    if not isinstance(anonymous, bool):
        raise _fail("pre-authorized_grant_anonymous_access_supported must be a boolean")
    return AuthorizationServerMetadata(expected_issuer, token_endpoint, anonymous)
