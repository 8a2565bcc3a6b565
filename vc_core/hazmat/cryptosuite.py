"""The contract between the generic Data Integrity algorithms and one cryptosuite.

Spec: vc-data-integrity#cryptographic-suites

``data_integrity.add_proof`` builds the proof options and calls
``create_proof``; ``data_integrity.verify_proof`` runs the generic checks
(type, purpose, challenge, domain, dates, verification method) and then calls
``verify_proof`` with the public key it dereferenced.
"""

from __future__ import annotations

from typing import Protocol

from vc_core.keys import KeyPair, PublicKey
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["Cryptosuite"]


class Cryptosuite(Protocol):
    """One Data Integrity cryptosuite instance (``name`` is the ``cryptosuite`` value).

    Suites that need extra inputs (mandatory pointers, an HMAC key, an
    ephemeral proof key) take them in their constructor, so both methods keep
    the spec's ``createProof(unsecuredDocument, options)`` and
    ``verifyProof(securedDocument)`` shape.
    """

    @property
    def name(self) -> str: ...

    def create_proof(
        self,
        unsecured_document: JsonObject,
        options: JsonObject,
        *,
        key: KeyPair,
        document_loader: DocumentLoader,
    ) -> JsonObject:
        """Return the proof (with ``proofValue``) for the document under ``options``.

        ``options`` holds the proof options (``type``, ``cryptosuite``,
        ``verificationMethod``, ``proofPurpose``, optional ``created`` ...) and
        never a ``proofValue``.  Raises ``ProofGenerationError``.
        """
        ...

    def verify_proof(
        self,
        unsecured_document: JsonObject,
        proof: JsonObject,
        *,
        public_key: PublicKey,
        document_loader: DocumentLoader,
    ) -> None:
        """Check ``proof`` over ``unsecured_document`` (the document without this proof).

        Returns ``None`` when valid; raises a ``VerificationError`` subclass
        with its code otherwise.
        """
        ...
