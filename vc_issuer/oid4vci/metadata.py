"""Credential Issuer metadata and OAuth authorization-server metadata, one set per source.

Protocol messages are plain JSON, never JSON-LD-processed (docs/protocols.md, P30).
Each source is its own Credential Issuer and its own authorization server
(pre-authorized code only), so ``authorization_servers`` is omitted.
"""

from __future__ import annotations

from collections.abc import Mapping

from vc_core.formats import FORMATS, SD_JWT_VC
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.types import JsonObject
from vc_issuer.display import LOCALES, claim_display_entries, display_entries
from vc_issuer.offers import PRE_AUTHORIZED_GRANT
from vc_issuer.oid4vci.proofs import PROOF_ALGORITHMS
from vc_issuer.sd_jwt_vc import vct_for
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
_SUBJECT = "credentialSubject"


def credential_configuration_metadata(
    configuration: CredentialConfiguration, *, issuer: str
) -> JsonObject:
    """One entry of ``credential_configurations_supported`` (``ldp_vc`` or ``dc+sd-jwt``).

    ``issuer`` is the Credential Issuer Identifier (an SD-JWT VC's ``vct`` lives
    under it). Claim paths point into the credential as issued: under
    ``credentialSubject`` for ``ldp_vc``, at the payload's root for SD-JWT VC.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    Spec: openid-4-verifiable-credential-issuance-1_0#name-ietf-sd-jwt-vc
    """
    entry = FORMATS[configuration.format]
    claims: list[JsonObject] = []
    for claim in configuration.claims:
        path = entry.claim_path(claim.path[1:] if claim.path[:1] == (_SUBJECT,) else claim.path)
        item: JsonObject = {"path": list(path)}
        if claim.mandatory:
            item["mandatory"] = True
        item["display"] = claim_display_entries(claim.path)
        claims.append(item)
    metadata: JsonObject = {"format": configuration.format, "scope": configuration.scope}
    if configuration.format == SD_JWT_VC:
        metadata.update(
            vct=vct_for(issuer, configuration),
            cryptographic_binding_methods_supported=["jwk"],
            credential_signing_alg_values_supported=["ES256"],
        )
    else:
        metadata.update(
            cryptographic_binding_methods_supported=["did:key"],
            credential_signing_alg_values_supported=["ecdsa-sd-2023"],
            credential_definition={
                "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
                "type": ["VerifiableCredential", configuration.credential_type],
            },
        )
    metadata["proof_types_supported"] = {
        "jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGORITHMS)}
    }
    metadata["credential_metadata"] = {
        "display": display_entries(
            configuration.name,
            configuration.description,
            background_color=configuration.background_color,
            text_color=configuration.text_color,
        ),
        "claims": claims,
    }
    return metadata


def credential_issuer_metadata(
    settings: IssuerSettings,
    source: Source,
    configurations: Mapping[str, CredentialConfiguration] | None = None,
) -> JsonObject:
    """The Credential Issuer metadata of ``source``.

    ``configurations`` defaults to the source's own; the issuer passes them
    with their SD-JWT VC twins.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    """
    identifier = settings.issuer_identifier(source.name)
    chosen = source.configurations if configurations is None else configurations
    return {
        "credential_issuer": identifier,
        "credential_endpoint": f"{identifier}/credential",
        "nonce_endpoint": f"{identifier}/nonce",
        "deferred_credential_endpoint": f"{identifier}/deferred_credential",
        "notification_endpoint": f"{identifier}/notification",
        "batch_credential_issuance": {"batch_size": settings.batch_size},
        "display": [{"name": source.display_name, "locale": LOCALE}],
        "credential_configurations_supported": {
            configuration.id: credential_configuration_metadata(configuration, issuer=identifier)
            for configuration in chosen.values()
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
