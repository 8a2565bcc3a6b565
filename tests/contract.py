"""How the test suite runs schemathesis: every check, derandomized, a bounded number of examples."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

__all__ = ["EXAMPLES", "contract_config"]

MAX_EXAMPLES = 12

EXAMPLES = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
"""Hypothesis settings for a contract test: the same requests on every run, quickly."""


def contract_config(semantic_400: Sequence[str], accepted: Sequence[str]) -> SchemathesisConfig:
    """All checks on; ``semantic_400`` operations may refuse schema-valid data with ``accepted``.

    Those are operations whose acceptance depends on more than JSON Schema can
    state (a code, token, signature or register entry the service made itself):
    a made-up value of that kind is refused as the protocol requires.
    """
    return SchemathesisConfig.from_dict(
        {
            "seed": 13,
            "checks": {"enabled": True},
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "operations": [
                {
                    "include-name": list(semantic_400),
                    "checks": {"positive_data_acceptance": {"expected-statuses": list(accepted)}},
                }
            ],
        }
    )
