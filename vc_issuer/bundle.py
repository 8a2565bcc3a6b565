"""The machine-readable Basis 2.0 set: several sources' credentials in one verifiable document.

The bundle is a VCDM 2.0 presentation that the sources sign together:

- ``verifiableCredential`` holds each source's Basis credential whole, with
  its own issuer proof (``ecdsa-rdfc-2019``), so each can be taken out and
  checked alone;
- ``proof`` is a proof set: one ``ecdsa-rdfc-2019`` proof per source, made
  with that source's own issuer key (``proofPurpose`` ``assertionMethod``,
  ``domain`` :data:`~vc_core.certified_copy.BUNDLE_DOMAIN`). Each proof seals
  the set as a whole, so a credential cannot be dropped or added unnoticed,
  and no party other than the sources themselves is involved. There is no
  ``holder``: a Basis copy is not bound to a key of the citizen.

Anyone checks it offline with the sources' DID documents (see
``docs/basis-2.0.md``)::

    vc_core.verify(bundle, domain=BUNDLE_DOMAIN, expected_proof_purpose="assertionMethod")

followed by a check of each embedded credential, as ``vc_verifier`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from vc_core.certified_copy import BUNDLE_DOMAIN
from vc_core.keys import KeyPair
from vc_core.loader import CREDENTIALS_V2_URL
from vc_core.proofs import sign
from vc_core.types import JsonObject

__all__ = ["aggregated_bundle"]


def aggregated_bundle(
    credentials: Sequence[JsonObject], *, signers: Sequence[KeyPair], created: datetime
) -> JsonObject:
    """Put ``credentials`` in one presentation and add one proof per key of ``signers``.

    Each signer is a source's issuer key (its ``id`` is the verification
    method); the credentials are trusted JSON from the same issuer service.
    """
    if not credentials or not signers:
        raise ValueError("a bundle needs at least one credential and one signer")
    document: JsonObject = {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": list(credentials),
    }
    for key in signers:
        document = sign(
            document,
            key,
            cryptosuite="ecdsa-rdfc-2019",
            proof_purpose="assertionMethod",
            domain=BUNDLE_DOMAIN,
            created=created,
        )
    return document
