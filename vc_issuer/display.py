"""How the sources' credentials and their claims are shown to people, in Dutch and English.

The one place for display texts: each credential configuration carries its
name and description as :class:`Text`, and :data:`TERM_LABELS` labels every
term of our vocabulary (``contexts/nl-vc-v1.json``). Everything that shows a
credential is built from here: the OpenID4VCI metadata
(:func:`display_entries`, :func:`claim_display_entries`), the type document a
wallet fetches at ``/<source>/types/<type>`` (:func:`credential_type_document`),
the citizen portal and the sealed PDF (:func:`claim_label`). Type metadata for
other credential formats (an SD-JWT VC ``vct`` document) is meant to be built
from the same :func:`credential_type_document` fields.

>>> claim_label("en", "datumBehaald"), claim_label("nl", "datumBehaald")
('Date obtained', 'Datum behaald')
>>> claim_label("nl", "nieuweTermZonderLabel")
'Nieuwe term zonder label'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from vc_core.types import JsonObject

if TYPE_CHECKING:
    from vc_issuer.sources.base import CredentialConfiguration

__all__ = [
    "LANGUAGES",
    "LOCALES",
    "TERM_LABELS",
    "Language",
    "Text",
    "claim_display_entries",
    "claim_label",
    "credential_type_document",
    "display_entries",
]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
"""Dutch first: the default for people who state no preference."""
LOCALES: Mapping[Language, str] = MappingProxyType({"nl": "nl-NL", "en": "en-US"})
"""The BCP 47 language tag each language is published under in metadata."""


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


def display_entries(
    name: Text, description: Text, *, background_color: str, text_color: str
) -> list[JsonObject]:
    """A credential's ``display`` array: one entry per language, Dutch first.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-p
    """
    return [
        {
            "name": name(language),
            "locale": LOCALES[language],
            "description": description(language),
            "background_color": background_color,
            "text_color": text_color,
        }
        for language in LANGUAGES
    ]


def claim_display_entries(path: Sequence[str]) -> list[JsonObject]:
    """A claim's ``display`` array (its last path element's label), one entry per language.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-claims-description
    """
    return [
        {"name": claim_label(language, path[-1]), "locale": LOCALES[language]}
        for language in LANGUAGES
    ]


def credential_type_document(configuration: CredentialConfiguration, issuer: str) -> JsonObject:
    """What a wallet needs to show a credential of this configuration, issued by ``issuer``.

    The credential's name, description and colours per language, and per claim
    its path, label per language, whether the issuer always includes it
    (``mandatory``) and whether the holder may leave it out of a presentation
    (``sd``: ``never`` for the claims always disclosed, else ``always``). The
    fields follow SD-JWT VC type metadata, plus the credential ``type`` and the
    ``credential_configuration_id``; a ``vct`` document adds its ``vct``.

    Spec: draft-ietf-oauth-sd-jwt-vc#type-metadata-format
    """
    always_disclosed = set(configuration.always_disclosed)
    claims: list[JsonObject] = []
    for claim in configuration.claims:
        entry: JsonObject = {
            "path": list(claim.path),
            "display": [
                {"locale": LOCALES[language], "label": claim_label(language, claim.path[-1])}
                for language in LANGUAGES
            ],
        }
        if claim.mandatory:
            entry["mandatory"] = True
        entry["sd"] = "never" if "/" + "/".join(claim.path) in always_disclosed else "always"
        claims.append(entry)
    colours = {
        "background_color": configuration.background_color,
        "text_color": configuration.text_color,
    }
    return {
        "type": configuration.credential_type,
        "credential_configuration_id": configuration.id,
        "issuer": issuer,
        "name": configuration.name("nl"),
        "description": configuration.description("nl"),
        "display": [
            {
                "locale": LOCALES[language],
                "name": configuration.name(language),
                "description": configuration.description(language),
                "rendering": {"simple": colours},
            }
            for language in LANGUAGES
        ],
        "claims": claims,
    }
