"""The housing income rule: does a household's income stay within the social-housing limit?

A versioned rule table (one JSON file per year, shipped in
``vc_verifier/policy/data`` and replaceable) gives the limit per household
size. :meth:`HousingIncomeRule.dcql_query` asks the wallet for the tax
office's precomputed fact first (``inkomenstoets``: rule, rule year, household
size, ``onderSocialeHuurgrens``) and only then for the exact amount
(``verzamelinkomen``), in either format (a W3C credential or an SD-JWT VC;
``credential_sets`` lets the wallet choose). :meth:`HousingIncomeRule.evaluate`
answers from verified presentations, one per adult of the household, each
from that adult's own wallet, whichever format it arrived in:

- amounts of all adults: their sum against the limit;
- one adult with a matching fact: that fact;
- several adults: an adult whose fact (or amount) already exceeds the limit
  decides "no"; otherwise individual facts cannot be added up, so the answer
  is undetermined (ask for the amounts);
- anything missing, stale or ambiguous: ``meets=None`` with the reason, never a guess.

>>> rule = HousingIncomeRule.load(year=2026)
>>> rule.name, rule.year, str(rule.limit_for(3))
('sociale-huurgrens', 2026, '54650.00')
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from vc_core.formats import FORMATS, LDP_VC, SD_JWT_VC
from vc_core.types import JsonObject
from vc_verifier.results import (
    Presentations,
    VerifiedCredential,
    VerifiedPresentation,
    verified_presentations,
)

__all__ = [
    "INCOME_CREDENTIAL_TYPE",
    "INCOME_CREDENTIAL_TYPES",
    "INCOME_VCT",
    "Basis",
    "HousingIncomeRule",
    "PolicyResult",
]

INCOME_CREDENTIAL_TYPE = "https://issuer.example.nl/ns/nl-vc#InkomensverklaringCredential"
"""The income statement's W3C credential type (expanded IRI)."""
INCOME_VCT = "https://issuer.example.nl/belastingdienst/vct/InkomensverklaringCredential"
"""The income statement's SD-JWT VC type (``vct``)."""
INCOME_CREDENTIAL_TYPES: tuple[str, ...] = (INCOME_CREDENTIAL_TYPE, INCOME_VCT)
"""The income statement in both formats: what a verifier trusts the tax office for."""
_VC_TYPE = "https://www.w3.org/2018/credentials#VerifiableCredential"
_QUERY_SUFFIX: Mapping[str, str] = {LDP_VC: "_ldp_vc", SD_JWT_VC: "_sd_jwt"}
_TYPE_VALUES: Mapping[str, list[Any]] = {
    LDP_VC: [[_VC_TYPE, INCOME_CREDENTIAL_TYPE]],
    SD_JWT_VC: [INCOME_VCT],
}
_DATA = "data"
_FILE = "limits-{year}.json"

Basis = Literal["facts", "amount", "mixed"]


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """The decision of the housing income rule for one household.

    ``meets`` is ``True`` (within the limit), ``False`` (above it) or
    ``None`` (undetermined: ``reason`` says what is missing). ``basis`` says
    whether precomputed facts, disclosed amounts or both decided;
    ``claims_seen`` names the disclosed income claims (names only, no values).
    """

    meets: bool | None
    reason: str
    rule_name: str
    rule_year: int
    household_size: int
    limit: Decimal
    basis: Basis | None
    adults: int
    claims_seen: tuple[str, ...]

    def to_json(self) -> JsonObject:
        """The decision as JSON (no income amounts; the limit is the rule's public figure)."""
        return {
            "meets": self.meets,
            "reason": self.reason,
            "rule": self.rule_name,
            "ruleYear": self.rule_year,
            "householdSize": self.household_size,
            "limit": str(self.limit),
            "basis": self.basis,
            "adults": self.adults,
            "claimsSeen": list(self.claims_seen),
        }


@dataclass(frozen=True, slots=True)
class _AdultIncome:
    """What one adult's presentation tells: an amount, a fact, or why neither is usable."""

    amount: Decimal | None = None
    below: bool | None = None
    unusable: str | None = None
    claims: tuple[str, ...] = ()


def _leaf_names(value: Any, prefix: str = "") -> list[str]:
    """Dotted names of the disclosed leaves under ``value`` (``id`` and ``type`` left out)."""
    if isinstance(value, Mapping):
        names: list[str] = []
        for key, item in value.items():
            if key not in ("id", "type"):
                names.extend(_leaf_names(item, f"{prefix}.{key}" if prefix else key))
        return names
    return [prefix] if prefix else []


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class HousingIncomeRule:
    """One year's social-housing income limits, by household size.

    Build it with :meth:`load`. ``limits`` maps household size to the limit;
    the largest size listed also covers larger households. ``tax_years`` are
    the tax years (``belastingjaar``) whose amounts the rule accepts.
    ``demo`` marks a table whose figures are not the published ones.
    """

    name: str
    year: int
    currency: str
    limits: Mapping[int, Decimal] = field(repr=False)
    tax_years: tuple[int, ...]
    source: str = field(repr=False)
    demo: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HousingIncomeRule:
        """Build a rule from a parsed table; ``ValueError`` when the table is malformed."""
        try:
            limits = {int(size): Decimal(amount) for size, amount in data["limits"].items()}
            rule = cls(
                name=str(data["rule"]),
                year=int(data["year"]),
                currency=str(data["currency"]),
                limits=MappingProxyType(dict(sorted(limits.items()))),
                tax_years=tuple(int(year) for year in data["taxYears"]),
                source=str(data.get("source", "")),
                demo=bool(data.get("demo", False)),
            )
        except (KeyError, TypeError, AttributeError, InvalidOperation) as exc:
            raise ValueError(f"malformed income-limit table: {exc!r}") from exc
        if (
            not limits
            or min(limits) != 1
            or not all(v.is_finite() and v > 0 for v in limits.values())
        ):
            raise ValueError("an income-limit table needs positive limits from household size 1")
        return rule

    @classmethod
    def load(
        cls, path: str | PathLike[str] | None = None, *, year: int | None = None
    ) -> HousingIncomeRule:
        """Load a rule table: a file, or the table shipped with the package.

        With no ``path`` the shipped table of ``year`` (default: the latest
        shipped) is used. A bare file name that does not exist in the working
        directory (``"limits-2026.json"``) is looked up among the shipped tables.
        """
        shipped = resources.files("vc_verifier.policy").joinpath(_DATA)
        if path is None:
            if year is None:
                year = max(cls.shipped_years())
            text = shipped.joinpath(_FILE.format(year=year)).read_text(encoding="utf-8")
        else:
            file = Path(path)
            if (
                not file.exists()
                and file.name == str(path)
                and shipped.joinpath(file.name).is_file()
            ):
                text = shipped.joinpath(file.name).read_text(encoding="utf-8")
            else:
                text = file.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"income-limit table is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("an income-limit table is a JSON object")
        rule = cls.from_json(data)
        if year is not None and rule.year != year:
            raise ValueError(f"the table is for {rule.year}, not {year}")
        return rule

    @staticmethod
    def shipped_years() -> tuple[int, ...]:
        """The years whose tables ship with the package."""
        folder = resources.files("vc_verifier.policy").joinpath(_DATA)
        names = (item.name for item in folder.iterdir())
        return tuple(
            sorted(int(n[7:11]) for n in names if n.startswith("limits-") and n.endswith(".json"))
        )

    def limit_for(self, household_size: int) -> Decimal:
        """The limit for a household of ``household_size`` persons (1 or more)."""
        if not _is_int(household_size) or household_size < 1:
            raise ValueError("household_size must be a positive integer")
        return self.limits[min(household_size, max(self.limits))]

    def dcql_query(
        self,
        *,
        prefer_facts: bool = True,
        query_id: str = "inkomen",
        formats: Sequence[str] = (LDP_VC, SD_JWT_VC),
    ) -> JsonObject:
        """The DCQL query for this rule: one income statement, facts or amount.

        Claim sets, the wallet sending the first it can satisfy: the year with
        the precomputed fact (``inkomenstoets``), else the year with the
        amount (``verzamelinkomen``); ``prefer_facts=False`` swaps them. One
        credential query per format, the first with id ``query_id`` and the
        others suffixed (``inkomen_sd_jwt``), and with more than one a
        ``credential_sets`` choice among them, in the order of ``formats``.
        """
        if not formats or len(set(formats)) != len(formats):
            raise ValueError("formats names the credential formats to ask for, once each")
        facts, amount = ["jaar", "toets"], ["jaar", "bedrag"]
        queries: list[JsonObject] = []
        for index, name in enumerate(formats):
            entry = FORMATS[name]
            queries.append(
                {
                    "id": query_id if index == 0 else query_id + _QUERY_SUFFIX[name],
                    "format": name,
                    "meta": {entry.types_member: _TYPE_VALUES[name]},
                    "claims": [
                        {"id": "jaar", "path": list(entry.claim_path(["belastingjaar"]))},
                        {"id": "toets", "path": list(entry.claim_path(["inkomenstoets"]))},
                        {"id": "bedrag", "path": list(entry.claim_path(["verzamelinkomen"]))},
                    ],
                    "claim_sets": [facts, amount] if prefer_facts else [amount, facts],
                }
            )
        query: JsonObject = {"credentials": queries}
        if len(queries) > 1:
            query["credential_sets"] = [{"options": [[q["id"]] for q in queries]}]
        return query

    def _amount(self, credential: VerifiedCredential) -> Decimal | str:
        """The disclosed verzamelinkomen as a Decimal, or why it cannot be used."""
        money = credential.claim("verzamelinkomen")
        year = credential.claim("belastingjaar")
        if not isinstance(money, Mapping) or not isinstance(money.get("value"), str):
            return "the disclosed verzamelinkomen has no decimal value"
        if money.get("currency") != self.currency:
            return f"verzamelinkomen is not in {self.currency}"
        if not _is_int(year) or year not in self.tax_years:
            return (
                f"tax year {year!r} is not one of {list(self.tax_years)} for the {self.year} rule"
            )
        try:
            value = Decimal(money["value"])
        except InvalidOperation:
            return "the disclosed verzamelinkomen is not a decimal"
        if not value.is_finite() or value < 0:
            return "the disclosed verzamelinkomen is not a non-negative amount"
        return value

    def _fact(self, credential: VerifiedCredential, household_size: int) -> bool | str:
        """The precomputed fact for this rule and household, or why it cannot be used."""
        fact = credential.claim("inkomenstoets")
        if not isinstance(fact, Mapping):
            return "no inkomenstoets was disclosed"
        if fact.get("regel") != self.name or fact.get("regelJaar") != self.year:
            return (
                f"the tax office's fact is for {fact.get('regel')!r} {fact.get('regelJaar')!r}, "
                f"not {self.name!r} {self.year}"
            )
        size = fact.get("huishoudgrootte")
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            return f"the fact names no valid household size ({size!r})"
        if self.limit_for(size) != self.limit_for(household_size):
            return f"the fact was computed for household size {size!r}, not {household_size}"
        below = fact.get("onderSocialeHuurgrens")
        if not isinstance(below, bool):
            return "the fact has no yes/no onderSocialeHuurgrens"
        return below

    def _adult(self, presentation: VerifiedPresentation, household_size: int) -> _AdultIncome:
        """Read one adult's income evidence from their verified presentation."""
        statements = presentation.credentials_of_type(*INCOME_CREDENTIAL_TYPES)
        if len(statements) != 1:
            return _AdultIncome(
                unusable=f"expected one income statement per adult, got {len(statements)}"
            )
        credential = statements[0]
        claims = tuple(_leaf_names(credential.claims))
        amount = self._amount(credential) if "verzamelinkomen" in credential.claims else None
        if isinstance(amount, Decimal):
            return _AdultIncome(amount=amount, claims=claims)
        fact = self._fact(credential, household_size)
        if isinstance(fact, bool):
            return _AdultIncome(below=fact, claims=claims)
        return _AdultIncome(unusable=amount or fact, claims=claims)

    def evaluate(
        self,
        presentations: Presentations,
        *,
        household_size: int,
    ) -> PolicyResult:
        """Decide whether the household stays within this year's limit.

        ``presentations`` holds one verified presentation per adult (or the
        outcomes of their OpenID4VP transactions). The result is a value, never
        an exception: undetermined cases give ``meets=None`` with a reason.
        """
        limit = self.limit_for(household_size)
        adults = verified_presentations(presentations)
        evidence = [self._adult(adult, household_size) for adult in adults]
        claims = tuple(sorted({name for income in evidence for name in income.claims}))

        def result(meets: bool | None, reason: str, basis: Basis | None = None) -> PolicyResult:
            return PolicyResult(
                meets=meets,
                reason=reason,
                rule_name=self.name,
                rule_year=self.year,
                household_size=household_size,
                limit=limit,
                basis=basis,
                adults=len(adults),
                claims_seen=claims,
            )

        if not adults:
            return result(None, "no verified presentation was given")
        if len({adult.holder for adult in adults}) != len(adults):
            return result(None, "the same holder presented more than once")
        amounts = [income.amount for income in evidence if income.amount is not None]
        facts = [income.below for income in evidence if income.below is not None]
        basis: Basis = "mixed" if amounts and facts else "facts" if facts else "amount"
        if False in facts:
            return result(False, "an adult's income alone is above the limit", basis)
        if amounts and sum(amounts, Decimal(0)) > limit:
            return result(False, "the disclosed incomes together are above the limit", basis)
        unusable = [income.unusable for income in evidence if income.unusable is not None]
        if unusable:
            return result(None, "; ".join(unusable))
        if not facts:
            return result(True, "the household income is within the limit", "amount")
        if len(adults) == 1:
            return result(True, "the tax office found the income within the limit", "facts")
        return result(
            None,
            "facts about individual adults cannot be added up; ask each adult for the amount",
        )
