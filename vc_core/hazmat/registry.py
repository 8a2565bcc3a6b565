"""The cryptosuites we implement, by name.

Spec: vc-di-ecdsa#instantiate-cryptosuite

The registry imports the suites, and the suites import the generic algorithms
of ``data_integrity``; nothing imports back, so the arrows run one way.
"""

from __future__ import annotations

from typing import Any

from vc_core.errors import UnsupportedCryptosuiteError
from vc_core.hazmat.cryptosuite import Cryptosuite
from vc_core.hazmat.ecdsa_rdfc_2019 import EcdsaRdfc2019
from vc_core.hazmat.ecdsa_sd_2023 import EcdsaSd2023
from vc_core.hazmat.eddsa_rdfc_2022 import EddsaRdfc2022

__all__ = ["CRYPTOSUITES", "get_cryptosuite"]

CRYPTOSUITES: dict[str, type[Cryptosuite]] = {
    "ecdsa-rdfc-2019": EcdsaRdfc2019,
    "ecdsa-sd-2023": EcdsaSd2023,
    "eddsa-rdfc-2022": EddsaRdfc2022,
}
"""Each ``cryptosuite`` value we implement, with the class that implements it."""


def get_cryptosuite(name: str, **options: Any) -> Cryptosuite:
    """Instantiate the cryptosuite called ``name`` with its constructor ``options``.

    Spec: vc-di-ecdsa#instantiate-cryptosuite

    Raises ``UnsupportedCryptosuiteError`` for a name we do not implement.
    """
    suite_class = CRYPTOSUITES.get(name)
    if suite_class is None:
        raise UnsupportedCryptosuiteError(f"unsupported cryptosuite {name!r}")
    return suite_class(**options)
