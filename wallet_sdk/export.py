"""Aggregated export (Basis 2.0): several credentials in one holder-signed presentation.

The file is a VCDM 2.0 presentation. Each credential is a full disclosure
derived from its base proof (every claim, never the base proof itself,
docs/protocols.md, P15), or an SD-JWT VC with all its Disclosures as an
``EnvelopedVerifiableCredential`` (``data:application/dc+sd-jwt,…``, bound to
the holder key that signs it here), and the presentation is signed by every holder key
involved, one proof each (a proof set): ``proofPurpose`` ``authentication``,
``domain`` :data:`EXPORT_DOMAIN`, no challenge (there is no verifier to ask
for one). Anyone can check it offline with the issuers' DID documents::

    vc_core.verify(exported, domain=EXPORT_DOMAIN, expected_proof_purpose="authentication")

followed by a verify of each embedded credential. ``holder`` is set when one
key signs; with several it is left out (each proof names its own key).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from vc_core.formats import FORMATS, presentation_envelope
from vc_core.keys import KeyPair
from vc_core.proofs import sign
from vc_core.types import JsonObject
from wallet_sdk.keys import holder_cryptosuite
from wallet_sdk.records import StoredCredential

__all__ = ["EXPORT_DOMAIN", "export_presentation"]

EXPORT_DOMAIN = "blauwe-knop:export"
"""The ``domain`` of an export's proofs, so it cannot pass as an answer to a verifier's request."""


def export_presentation(
    credentials: Sequence[StoredCredential],
    *,
    holder_key: Callable[[str], KeyPair],
    created: datetime,
) -> JsonObject:
    """Build the signed export of ``credentials`` (see the module docstring)."""
    if not credentials:
        raise ValueError("choose at least one credential to export")
    disclosed = [FORMATS[stored.format].embed(stored.presentable) for stored in credentials]
    holders = list(dict.fromkeys(stored.holder for stored in credentials))
    document = presentation_envelope(holders[0] if len(holders) == 1 else None, disclosed)
    for holder in holders:
        key = holder_key(holder)
        document = sign(
            document,
            key,
            cryptosuite=holder_cryptosuite(key),
            proof_purpose="authentication",
            domain=EXPORT_DOMAIN,
            created=created,
        )
    return document
