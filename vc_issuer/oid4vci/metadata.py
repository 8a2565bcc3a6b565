"""Credential Issuer metadata and OAuth authorization-server metadata, one set per source.

Protocol messages are plain JSON, never JSON-LD-processed (docs/protocols.md, P30).
Each source is its own Credential Issuer and its own authorization server
(pre-authorized code only), so ``authorization_servers`` is omitted.
"""

from __future__ import annotations

from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.types import JsonObject
from vc_issuer.display import LOCALES, claim_display_entries, display_entries
from vc_issuer.offers import PRE_AUTHORIZED_GRANT
from vc_issuer.oid4vci.proofs import PROOF_ALGORITHMS
from vc_issuer.settings import IssuerSettings
from vc_issuer.sources import CredentialConfiguration, Source

__all__ = [
    "LOCALE",
    "authorization_server_metadata",
    "credential_configuration_metadata",
    "credential_issuer_metadata",
]

LOCALE = LOCALES["nl"]
"""The language of the sources' own names (proper names: one locale)."""


def credential_configuration_metadata(configuration: CredentialConfiguration) -> JsonObject:
    """One entry of ``credential_configurations_supported`` (format ``ldp_vc``).

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    """
    claims: list[JsonObject] = []
    for claim in configuration.claims:
        entry: JsonObject = {"path": list(claim.path)}
        if claim.mandatory:
            entry["mandatory"] = True
        entry["display"] = claim_display_entries(claim.path)
        claims.append(entry)
    return {
        "format": "ldp_vc",
        "scope": configuration.scope,
        "cryptographic_binding_methods_supported": ["did:key"],
        "credential_signing_alg_values_supported": ["ecdsa-sd-2023"],
        "proof_types_supported": {
            "jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGORITHMS)}
        },
        "credential_definition": {
            "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
            "type": ["VerifiableCredential", configuration.credential_type],
        },
        "credential_metadata": {
            "display": display_entries(
                configuration.name,
                configuration.description,
                background_color=configuration.background_color,
                text_color=configuration.text_color,
            ),
            "claims": claims,
        },
    }


def credential_issuer_metadata(settings: IssuerSettings, source: Source) -> JsonObject:
    """The Credential Issuer metadata of ``source``.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    """
    identifier = settings.issuer_identifier(source.name)
    return {
        "credential_issuer": identifier,
        "credential_endpoint": f"{identifier}/credential",
        "nonce_endpoint": f"{identifier}/nonce",
        "deferred_credential_endpoint": f"{identifier}/deferred_credential",
        "notification_endpoint": f"{identifier}/notification",
        "batch_credential_issuance": {"batch_size": settings.batch_size},
        "display": [{"name": source.display_name, "locale": LOCALE}],
        "credential_configurations_supported": {
            configuration.id: credential_configuration_metadata(configuration)
            for configuration in source.configurations.values()
        },
    }


def authorization_server_metadata(settings: IssuerSettings, source: Source) -> JsonObject:
    """The OAuth authorization-server metadata of ``source`` (pre-authorized code only).

    Spec: rfc8414#section-2
    """
    identifier = settings.issuer_identifier(source.name)
    return {
        "issuer": identifier,
        "token_endpoint": f"{identifier}/token",
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "token_endpoint_auth_methods_supported": ["none"],
    }
