"""OpenID4VCI 1.0 for the sources, framework-free: metadata, token, nonce, credential endpoints.

The web layer (``vc_issuer.web``) maps HTTP onto :class:`CredentialIssuerService`.
"""

from vc_issuer.oid4vci.metadata import (
    authorization_server_metadata,
    credential_issuer_metadata,
)
from vc_issuer.oid4vci.nonces import NonceService
from vc_issuer.oid4vci.proofs import PROOF_ALGORITHMS, PROOF_TYP, KeyProof, verify_proof_jwt
from vc_issuer.oid4vci.server import NOTIFICATION_EVENTS, CredentialIssuerService, EndpointResponse

__all__ = [
    "NOTIFICATION_EVENTS",
    "PROOF_ALGORITHMS",
    "PROOF_TYP",
    "CredentialIssuerService",
    "EndpointResponse",
    "KeyProof",
    "NonceService",
    "authorization_server_metadata",
    "credential_issuer_metadata",
    "verify_proof_jwt",
]
