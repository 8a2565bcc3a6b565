"""vc_verifier's public surface is pinned, and its docstring examples run."""

from __future__ import annotations

import doctest
import importlib

import pytest

import vc_verifier

EXPECTED = {
    "HousingIncomeRule",
    "MemoryTransactions",
    "PlusClient",
    "PlusFetch",
    "PlusFetchError",
    "PolicyResult",
    "PresentationOutcome",
    "PresentationReport",
    "SqliteTransactions",
    "Transaction",
    "TransactionReplayError",
    "TransactionStatus",
    "TransactionStore",
    "TrustedIssuers",
    "UnknownTransactionError",
    "VerifiedCredential",
    "VerifiedPresentation",
    "VerifiedRecord",
    "Verifier",
    "WalletResponseError",
    "http_fetch",
    "verify_record",
}
MODULES = [
    "vc_verifier.verifier",
    "vc_verifier.trust",
    "vc_verifier.transactions",
    "vc_verifier.results",
    "vc_verifier.policy.housing",
    "vc_verifier.plus",
]


def test_exports_are_pinned() -> None:
    assert set(vc_verifier.__all__) == EXPECTED
    assert all(getattr(vc_verifier, name) is not None for name in vc_verifier.__all__)


def test_errors_are_coded_verification_errors() -> None:
    from vc_core.errors import VerificationError

    for name in ("UnknownTransactionError", "TransactionReplayError", "WalletResponseError"):
        error = getattr(vc_verifier, name)("x")
        assert isinstance(error, VerificationError)
        assert error.code


def test_importing_the_library_pulls_in_no_web_framework() -> None:
    import subprocess
    import sys

    code = "import sys, vc_verifier; print('fastapi' in sys.modules or 'starlette' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0
    assert failures == 0
