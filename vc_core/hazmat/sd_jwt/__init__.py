"""SD-JWT (RFC 9901) and SD-JWT VC: the spec algorithms.

Issuers embed digests (:func:`create_sd_jwt_payload`), holders select
Disclosures (:func:`select_disclosures`) and sign a Key Binding JWT
(:func:`create_key_binding_jwt`), verifiers rebuild the claims
(:func:`process_sd_jwt_payload`) and check the KB-JWT
(:func:`verify_key_binding_jwt`). Issuer keys come from JWT VC Issuer
Metadata or an ``x5c`` chain (:mod:`.issuer_keys`). The recipes in
:mod:`vc_core.sd_jwt` put these together with safe defaults.

Spec: rfc9901
"""

from vc_core.hazmat.sd_jwt.compact import (
    MAX_SD_JWT_CHARS,
    UnverifiedSdJwt,
    parse_sd_jwt,
    serialize_sd_jwt,
)
from vc_core.hazmat.sd_jwt.digests import (
    ClaimPath,
    SdJwtPayload,
    check_claim_path,
    create_sd_jwt_payload,
    process_sd_jwt_payload,
    select_disclosures,
)
from vc_core.hazmat.sd_jwt.disclosures import (
    DEFAULT_SD_ALG,
    Disclosure,
    create_decoy_digest,
    create_disclosure,
    generate_salt,
    hash_disclosure,
    parse_disclosure,
)
from vc_core.hazmat.sd_jwt.issuer_keys import (
    IssuerKey,
    IssuerKeyResolver,
    X5cIssuerKey,
    create_jwt_vc_issuer_metadata,
    jwt_vc_issuer_metadata_url,
    key_id,
    parse_jwk_set,
    select_issuer_key,
    validate_jwt_vc_issuer_metadata,
    x5c_issuer_key,
)
from vc_core.hazmat.sd_jwt.jwt_claims import numeric_date, to_numeric_date
from vc_core.hazmat.sd_jwt.key_binding import (
    KB_JWT_TYP,
    KeyBinding,
    compute_sd_hash,
    create_key_binding_jwt,
    verify_key_binding_jwt,
)

__all__ = [
    "DEFAULT_SD_ALG",
    "KB_JWT_TYP",
    "MAX_SD_JWT_CHARS",
    "ClaimPath",
    "Disclosure",
    "IssuerKey",
    "IssuerKeyResolver",
    "KeyBinding",
    "SdJwtPayload",
    "UnverifiedSdJwt",
    "X5cIssuerKey",
    "check_claim_path",
    "compute_sd_hash",
    "create_decoy_digest",
    "create_disclosure",
    "create_jwt_vc_issuer_metadata",
    "create_key_binding_jwt",
    "create_sd_jwt_payload",
    "generate_salt",
    "hash_disclosure",
    "jwt_vc_issuer_metadata_url",
    "key_id",
    "numeric_date",
    "parse_disclosure",
    "parse_jwk_set",
    "parse_sd_jwt",
    "process_sd_jwt_payload",
    "select_disclosures",
    "select_issuer_key",
    "serialize_sd_jwt",
    "to_numeric_date",
    "validate_jwt_vc_issuer_metadata",
    "verify_key_binding_jwt",
    "x5c_issuer_key",
]
