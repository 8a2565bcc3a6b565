"""Relying-party policies that decide on verified claims (housing income rule)."""

from vc_verifier.policy.housing import INCOME_CREDENTIAL_TYPE, HousingIncomeRule, PolicyResult

__all__ = ["INCOME_CREDENTIAL_TYPE", "HousingIncomeRule", "PolicyResult"]
