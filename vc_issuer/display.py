"""How the sources' credentials and their claims are shown to people, in Dutch and English.

The one place for display texts: each credential configuration carries its
name and description as :class:`Text`, and :data:`TERM_LABELS` labels every
term of our vocabulary (``contexts/nl-vc-v1.json``; kept in
:mod:`vc_core.vocabulary`, because the certified copy's printed claims, which
the verifier checks too, use the same labels). Everything that shows a
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

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from vc_core.types import JsonObject
from vc_core.vocabulary import LANGUAGES, TERM_LABELS, Language, Text, claim_label

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

LOCALES: Mapping[Language, str] = MappingProxyType({"nl": "nl-NL", "en": "en-US"})
"""The BCP 47 language tag each language is published under in metadata."""


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
