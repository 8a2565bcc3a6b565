"""Check a Basis 2.0 bundle: a presentation the sources sign together, their credentials inside.

Use it through :meth:`vc_verifier.Verifier.check_bundle`. A bundle (made by
``vc_issuer.bundle``) is valid when

- it is a VCDM 2.0 presentation whose proof set verifies: each proof an
  ``ecdsa-rdfc-2019`` or ``eddsa-rdfc-2022`` proof with purpose
  ``assertionMethod`` and domain ``blauwe-knop:basis-2.0``, by a trusted
  issuer's key;
- the proofs are made by exactly the issuers of the credentials inside, one
  each: every source vouches for the set it is part of, and nobody else signs;
- every credential passes the verifier's checks (proof, validity, trusted
  issuer, status; not bound to a holder).

Offline the issuers' keys come from DID documents pinned in the verifier
(``did_documents=``) and the status is reported as unknown.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from vc_core.certified_copy import BUNDLE_DOMAIN
from vc_core.errors import ParsingError, Problem, VerificationError
from vc_core.proofs import verify
from vc_core.vcdm import check_presentation_shape
from vc_verifier.certified_pdf import PDF_CRYPTOSUITES
from vc_verifier.results import PresentationReport, VerifiedCredential, VerifiedPresentation

if TYPE_CHECKING:
    from vc_verifier.verifier import Verifier

__all__ = ["check_bundle"]


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def check_bundle(
    unverified_bundle: object, *, verifier: Verifier, offline: bool
) -> PresentationReport:
    """Run every check of a bundle; report every problem instead of raising."""
    try:
        check_presentation_shape(unverified_bundle)
        if not isinstance(unverified_bundle, dict):
            raise ParsingError("a bundle is a JSON object")
        digest = hashlib.sha256(
            json.dumps(unverified_bundle, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
    except (VerificationError, TypeError, ValueError, RecursionError) as exc:
        found = (
            exc.problems
            if isinstance(exc, VerificationError)
            else (Problem("PARSING_ERROR", f"the bundle is not JSON: {exc}"),)
        )
        return PresentationReport(False, tuple(found))
    problems: list[Problem] = []
    signers: list[str] = []
    try:
        verified = verify(
            unverified_bundle,
            domain=BUNDLE_DOMAIN,
            expected_proof_purpose="assertionMethod",
            cryptosuites=PDF_CRYPTOSUITES,
            resolve_verification_method=verifier._issuer_method,
            clock=verifier._clock,
        )
        signers = [str(p["verificationMethod"]).partition("#")[0] for p in verified.proofs]
    except VerificationError as exc:
        problems.extend(exc.problems)
    credentials: list[VerifiedCredential] = []
    issuers: list[str] = []
    value = unverified_bundle.get("verifiableCredential", [])
    for index, unverified_vc in enumerate(_as_list(value)):
        if isinstance(unverified_vc, dict):
            issuer = unverified_vc.get("issuer")
            issuers.append(str(issuer.get("id") if isinstance(issuer, dict) else issuer))
        checked = verifier._check_credential(
            unverified_vc,
            None,
            cryptosuites=PDF_CRYPTOSUITES,
            holder_bound=False,
            status_offline=offline,
        )
        problems.extend(
            Problem(
                p.code,
                p.detail,
                f"verifiableCredential[{index}]" + (f".{p.path}" if p.path else ""),
            )
            for p in checked.problems
        )
        if checked.credential is not None:
            credentials.append(checked.credential)
    if signers and sorted(signers) != sorted(issuers):
        problems.append(
            Problem(
                "PROOF_VERIFICATION_ERROR",
                f"the bundle is signed by {sorted(signers)}, not by exactly the issuers of its "
                f"credentials {sorted(issuers)}, once each",
                "proof",
            )
        )
    if not credentials and not problems:
        problems.append(
            Problem("PARSING_ERROR", "the bundle holds no credential", "verifiableCredential")
        )
    if problems:
        return PresentationReport(False, tuple(problems))
    presentation = VerifiedPresentation(
        f"urn:sha256:{digest}", tuple(credentials), verifier._clock()
    )
    return PresentationReport(True, (), presentation)
