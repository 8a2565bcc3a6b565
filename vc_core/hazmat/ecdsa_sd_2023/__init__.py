"""The ecdsa-sd-2023 cryptosuite: selective disclosure with ECDSA P-256.

Spec: vc-di-ecdsa#ecdsa-sd-2023

The issuer creates a base proof (:class:`EcdsaSd2023` ``create_proof``), the
holder checks it (:func:`confirm_base_proof`) and derives a proof that
discloses only some statements (:func:`add_derived_proof`), and the verifier
checks the derived proof (``verify_proof``). A base proof is never accepted by
``verify_proof`` (P15).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from vc_core.hazmat.data_integrity import BoundCryptosuite
from vc_core.hazmat.ecdsa_sd_2023.base import CRYPTOSUITE, create_base_proof
from vc_core.hazmat.ecdsa_sd_2023.derived import add_derived_proof
from vc_core.hazmat.ecdsa_sd_2023.proof_value import HMAC_KEY_SIZE
from vc_core.hazmat.ecdsa_sd_2023.verify import confirm_base_proof, verify_derived_proof
from vc_core.keys import KeyPair

__all__ = ["EcdsaSd2023", "add_derived_proof", "confirm_base_proof"]


class EcdsaSd2023(BoundCryptosuite):
    """The ecdsa-sd-2023 suite as a :class:`~vc_core.hazmat.cryptosuite.Cryptosuite`.

    ``create_proof`` makes a base proof (``u2V0A…``) over ``mandatory_pointers``
    and raises ``ProofGenerationError`` on failure; ``verify_proof`` checks a
    derived proof only and refuses a base proof with ``ProofVerificationError``.
    ``hmac_key`` and ``proof_key`` are fresh random values per proof unless
    given (tests reproduce the W3C vectors with fixed ones).
    """

    __slots__ = ()

    def __init__(
        self,
        *,
        mandatory_pointers: Sequence[str] = (),
        hmac_key: bytes | None = None,
        proof_key: KeyPair | None = None,
    ) -> None:
        if isinstance(mandatory_pointers, str):
            raise TypeError("mandatory_pointers is a sequence of JSON Pointers, not one string")
        if hmac_key is not None and (
            not isinstance(hmac_key, bytes) or len(hmac_key) != HMAC_KEY_SIZE
        ):
            raise ValueError(f"hmac_key must be {HMAC_KEY_SIZE} bytes")
        if proof_key is not None and proof_key.curve != "P-256":
            raise ValueError("proof_key must be a P-256 key pair")
        create = partial(
            create_base_proof,
            mandatory_pointers=tuple(mandatory_pointers),
            hmac_key=hmac_key,
            proof_key=proof_key,
        )
        super().__init__(CRYPTOSUITE, create, verify_derived_proof)
