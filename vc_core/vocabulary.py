"""Our vocabulary's terms as people read them, in Dutch and English.

The terms are those of our JSON-LD context (``contexts/nl-vc-v1.json``). The
issuer's metadata, type documents and portal (``vc_issuer.display``) and the
printed claims of a certified copy (:mod:`vc_core.certified_copy`, made by the
issuer and checked by the verifier) all label claims from here.

>>> claim_label("en", "datumBehaald"), claim_label("nl", "datumBehaald")
('Date obtained', 'Datum behaald')
>>> claim_label("nl", "nieuweTermZonderLabel")
'Nieuwe term zonder label'
>>> from datetime import date
>>> format_date("nl", date(2026, 12, 7)), format_date("en", date(2026, 12, 7))
('7 december 2026', '7 December 2026')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

__all__ = ["LANGUAGES", "TERM_LABELS", "Language", "Text", "claim_label", "format_date"]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
"""Dutch first: the default for people who state no preference."""


@dataclass(frozen=True, slots=True)
class Text:
    """A text people read, in Dutch and in English."""

    nl: str
    en: str

    def __call__(self, language: Language) -> str:
        """The text in ``language``."""
        return self.en if language == "en" else self.nl


TERM_LABELS: Mapping[str, Text] = MappingProxyType(
    {
        "id": Text("Kenmerk", "Identifier"),
        "value": Text("Bedrag", "Amount"),
        "currency": Text("Valuta", "Currency"),
        "voornamen": Text("Voornamen", "First names"),
        "voorvoegsel": Text("Voorvoegsel", "Surname prefix"),
        "geslachtsnaam": Text("Achternaam", "Surname"),
        "geboortedatum": Text("Geboortedatum", "Date of birth"),
        "geboorteplaats": Text("Geboorteplaats", "Place of birth"),
        "nationaliteit": Text("Nationaliteit", "Nationality"),
        "adres": Text("Adres", "Address"),
        "straat": Text("Straat", "Street"),
        "huisnummer": Text("Huisnummer", "House number"),
        "huisnummertoevoeging": Text("Toevoeging", "House number suffix"),
        "postcode": Text("Postcode", "Postcode"),
        "woonplaats": Text("Woonplaats", "Town"),
        "gemeente": Text("Gemeente", "Municipality"),
        "land": Text("Land", "Country"),
        "belastingjaar": Text("Belastingjaar", "Tax year"),
        "verzamelinkomen": Text("Verzamelinkomen", "Aggregate income"),
        "inkomensklasse": Text("Inkomensklasse", "Income band"),
        "inkomenstoets": Text("Inkomenstoets", "Income test"),
        "regel": Text("Regel", "Rule"),
        "regelJaar": Text("Jaar van de regel", "Year of the rule"),
        "huishoudgrootte": Text("Huishoudgrootte", "Household size"),
        "onderSocialeHuurgrens": Text("Onder de sociale huurgrens", "Below the social rent limit"),
        "diploma": Text("Diploma", "Diploma"),
        "opleiding": Text("Opleiding", "Programme"),
        "niveau": Text("Niveau", "Level"),
        "onderwijsinstelling": Text("Onderwijsinstelling", "Institution"),
        "datumBehaald": Text("Datum behaald", "Date obtained"),
        "crohoCode": Text("CROHO-code", "CROHO code"),
        "voertuig": Text("Voertuig", "Vehicle"),
        "kenteken": Text("Kenteken", "Registration number"),
        "merk": Text("Merk", "Make"),
        "handelsbenaming": Text("Handelsbenaming", "Model"),
        "datumEersteToelating": Text("Datum eerste toelating", "Date first registered"),
        "brandstof": Text("Brandstof", "Fuel"),
        "tenaamstellingsdatum": Text("Datum tenaamstelling", "Date registered to you"),
    }
)
"""A label per vocabulary term; a term without one is shown split at its capitals."""

_CAPITAL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def claim_label(language: Language, term: str) -> str:
    """The label of a vocabulary term: ``datumBehaald`` -> ``Datum behaald`` / ``Date obtained``."""
    if term in TERM_LABELS:
        return TERM_LABELS[term](language)
    words = _CAPITAL.sub(" ", term).lower()
    return words[:1].upper() + words[1:]


_MONTHS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "nl": (
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ),
        "en": (
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
    }
)  # fmt: skip


def format_date(language: Language, value: date) -> str:
    """A date as people write it: ``7 december 2026`` (Dutch), ``7 December 2026`` (English)."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"
