"""The public surface of vc_core is a promise: accidental growth or loss must fail here."""

from __future__ import annotations

import vc_core

EXPECTED = {
    "verify_sd_jwt_vc",
    "present_sd_jwt_vc",
    "issue_sd_jwt_vc",
    "check_token_status",
    "VerifiedSdJwtVc",
    "TokenStatusResult",
    "SdJwtError",
    "KeyBindingError",
    "IssuerKeyError",
    "CanonicalizationLimitError",
    "Clock",
    "CredentialPolicyError",
    "CryptosuiteName",
    "Curve",
    "DataLossError",
    "DidResolutionError",
    "DocumentLoadError",
    "DocumentLoader",
    "Fetch",
    "FetchError",
    "InvalidChallengeError",
    "InvalidDomainError",
    "JsonObject",
    "JwsError",
    "KeyPair",
    "ParsingError",
    "Problem",
    "ProofExpiredError",
    "ProofGenerationError",
    "ProofTransformationError",
    "ProofVerificationError",
    "PublicKey",
    "StatusList",
    "StatusListCache",
    "StatusListError",
    "StatusResult",
    "UnsupportedCryptosuiteError",
    "VcError",
    "VerificationError",
    "VerificationMethod",
    "VerifiedDocument",
    "canonicalize",
    "check_status",
    "confirm",
    "derive",
    "did_key",
    "document_loader",
    "resolve_did",
    "sign",
    "verify",
}


def test_exports_are_pinned() -> None:
    assert set(vc_core.__all__) == EXPECTED
    for name in vc_core.__all__:
        assert getattr(vc_core, name) is not None


def test_hazmat_is_not_exported() -> None:
    assert not any(name.startswith(("hazmat", "_")) for name in vc_core.__all__)


def test_every_error_is_a_coded_vc_error() -> None:
    errors = [
        getattr(vc_core, n) for n in vc_core.__all__ if n.endswith("Error") and n != "VcError"
    ]
    for error in errors:
        assert issubclass(error, vc_core.VcError)
        assert error("x").code, error
