"""Draft-13 credential requests, translated at the edge into the OpenID4VCI 1.0 shape.

Wallets built on OpenID4VCI draft 13 (the NL Wallet, and clients such as
``@sphereon/oid4vci-client``) still ask for a credential with

- ``format`` plus ``vct`` (SD-JWT VC, format ``vc+sd-jwt`` or ``dc+sd-jwt``)
  or ``credential_definition`` (``ldp_vc``) instead of
  ``credential_configuration_id``;
- one ``proof`` object (``{"proof_type": "jwt", "jwt": "…"}``) instead of
  ``proofs``;

and read one ``credential`` from the answer instead of ``credentials``.
:func:`translate_credential_request` turns such a request into the 1.0 body,
which then passes exactly the same checks as any other (docs/protocols.md,
"Draft-13 compatibility"); :func:`translate_credential_response` gives a
draft-13 request its answer shape. There is no second issuance path.

>>> from vc_issuer.sources.rdw import VOERTUIGREGISTRATIE
>>> from vc_issuer.sd_jwt_vc import sd_jwt_vc_twin
>>> twin = sd_jwt_vc_twin(VOERTUIGREGISTRATIE)
>>> body, draft13 = translate_credential_request(
...     {"format": "vc+sd-jwt", "vct": "https://issuer.example.nl/rdw/vct/VoertuigregistratieCredential",
...      "proof": {"proof_type": "jwt", "jwt": "eyJ.e30.sig"}},
...     configurations={twin.id: twin}, issuer="https://issuer.example.nl/rdw")
>>> body, draft13
({'credential_configuration_id': 'VoertuigregistratieCredential_dc_sd_jwt', \
'proofs': {'jwt': ['eyJ.e30.sig']}}, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vc_core.formats import LDP_VC, SD_JWT_VC, credential_format
from vc_core.types import JsonObject
from vc_issuer.errors import (
    InvalidCredentialRequest,
    InvalidProof,
    UnsupportedCredentialFormat,
    UnsupportedCredentialType,
)
from vc_issuer.sd_jwt_vc import vct_for
from vc_issuer.sources import CredentialConfiguration

__all__ = ["translate_credential_request", "translate_credential_response"]

_DRAFT13_MEMBERS = ("format", "vct", "credential_definition", "proof")


def _configuration_id(
    body: Mapping[str, Any], configurations: Mapping[str, CredentialConfiguration], issuer: str
) -> str:
    """The configuration a draft-13 ``format`` + ``vct``/``credential_definition`` names."""
    entry = credential_format(body["format"])
    if entry is None:
        raise UnsupportedCredentialFormat(f"format {body['format']!r} is not issued here")
    if entry.identifier == SD_JWT_VC:
        vct = body.get("vct")
        if not isinstance(vct, str):
            raise InvalidCredentialRequest(f"format {body['format']} needs a vct")
        found = [
            c
            for c in configurations.values()
            if c.format == SD_JWT_VC and vct_for(issuer, c) == vct
        ]
    elif entry.identifier == LDP_VC:
        definition = body.get("credential_definition")
        types = definition.get("type") if isinstance(definition, Mapping) else None
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise InvalidCredentialRequest("ldp_vc needs credential_definition.type")
        found = [
            c
            for c in configurations.values()
            if c.format == LDP_VC and {"VerifiableCredential", c.credential_type} == set(types)
        ]
    else:  # Implementation note: a format of the registry this issuer has no configuration for.
        found = []
    if len(found) != 1:
        raise UnsupportedCredentialType(f"no {entry.identifier} credential of that type here")
    return found[0].id


def translate_credential_request(
    body: object, *, configurations: Mapping[str, CredentialConfiguration], issuer: str
) -> tuple[object, bool]:
    """Return a draft-13 credential request as a 1.0 one, and whether it was draft 13.

    A 1.0 request comes back unchanged. A request may not mix the two ways
    of naming the credential, or of carrying proofs (``invalid_credential_request``).
    ``issuer`` is the Credential Issuer Identifier (the ``vct`` values live under it).

    Spec: openid-4-verifiable-credential-issuance-1_0-13#name-credential-request
    """
    if not isinstance(body, Mapping) or not any(name in body for name in _DRAFT13_MEMBERS):
        return body, False
    translated: JsonObject = {k: v for k, v in body.items() if k not in _DRAFT13_MEMBERS}
    # Step 1: format with vct or credential_definition names the configuration.
    if "format" in body:
        if "credential_configuration_id" in body:
            raise InvalidCredentialRequest("send format or credential_configuration_id, not both")
        translated["credential_configuration_id"] = _configuration_id(body, configurations, issuer)
    # Step 2: one proof object becomes a proofs array of one.
    if "proof" in body:
        if "proofs" in body:
            raise InvalidCredentialRequest("send proof or proofs, not both")
        proof = body["proof"]
        if not isinstance(proof, Mapping) or proof.get("proof_type") != "jwt":
            raise InvalidProof("proof must be an object with proof_type jwt")
        jwt = proof.get("jwt")
        if not isinstance(jwt, str):
            raise InvalidProof("proof.jwt must be a JWT")
        translated["proofs"] = {"jwt": [jwt]}
    return translated, True


def translate_credential_response(body: JsonObject) -> JsonObject:
    """A 1.0 credential response in the draft-13 shape: one ``credential``.

    A deferred answer (``transaction_id``) keeps its shape.
    """
    credentials = body.get("credentials")
    if not isinstance(credentials, list) or len(credentials) != 1:
        return body
    answer = {k: v for k, v in body.items() if k != "credentials"}
    answer["credential"] = credentials[0]["credential"]
    return answer
