"""Every credential configuration of a source, also as SD-JWT VC (``dc+sd-jwt``).

A source declares its ``ldp_vc`` configurations; :func:`sd_jwt_vc_twin` gives
each a twin with the same register data. The twin's credential type is its
``vct``, an https URL under the source (``<issuer>/vct/<CredentialType>``)
where the type metadata document is served (display names, claim labels, and
which claims are always disclosed); the credential carries its integrity
(``vct#integrity``).

The claims are the source's claims without the JSON-LD ``type`` members (the
``vct`` names the type). Every claim, and every member of an object claim, is
selectively disclosable, except the claims the configuration always discloses
and the objects that hold them: those stay in plain view, as the mandatory
pointers do for ``ecdsa-sd-2023``.

>>> from vc_issuer.sources.belastingdienst import INKOMENSVERKLARING
>>> twin = sd_jwt_vc_twin(INKOMENSVERKLARING)
>>> twin.id, twin.format, twin.twin_of
('InkomensverklaringCredential_dc_sd_jwt', 'dc+sd-jwt', 'InkomensverklaringCredential_ldp_vc')
>>> vct_for("https://issuer.example.nl/belastingdienst", twin)
'https://issuer.example.nl/belastingdienst/vct/InkomensverklaringCredential'
>>> claims = sd_jwt_claims({"type": "Belastingplichtige", "belastingjaar": 2024,
...     "inkomenstoets": {"type": "InkomenToets", "regel": "r", "onderSocialeHuurgrens": True}})
>>> claims
{'belastingjaar': 2024, 'inkomenstoets': {'regel': 'r', 'onderSocialeHuurgrens': True}}
>>> disclosable_paths(claims, twin)
[['inkomenstoets', 'onderSocialeHuurgrens']]
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from vc_core.formats import SD_JWT_VC
from vc_core.types import JsonObject
from vc_issuer.display import credential_type_document
from vc_issuer.sources import CredentialConfiguration

__all__ = [
    "SD_JWT_SUFFIX",
    "VCT_PATH",
    "always_disclosed_paths",
    "disclosable_paths",
    "integrity",
    "sd_jwt_claims",
    "sd_jwt_vc_twin",
    "type_metadata",
    "type_metadata_text",
    "vct_for",
]

SD_JWT_SUFFIX = "_dc_sd_jwt"
"""What an SD-JWT VC configuration id ends with (after the credential type)."""
VCT_PATH = "vct"
"""The path segment under a source where its credential types live."""
_SUBJECT = "credentialSubject"


def sd_jwt_vc_twin(configuration: CredentialConfiguration) -> CredentialConfiguration:
    """The SD-JWT VC configuration that carries the same register data as ``configuration``."""
    return replace(
        configuration,
        id=configuration.credential_type + SD_JWT_SUFFIX,
        format=SD_JWT_VC,
        twin_of=configuration.id,
    )


def vct_for(issuer: str, configuration: CredentialConfiguration) -> str:
    """The ``vct`` of a configuration of the source with identifier ``issuer``."""
    return f"{issuer}/{VCT_PATH}/{configuration.credential_type}"


def sd_jwt_claims(claims: Mapping[str, Any]) -> JsonObject:
    """The subject's claims as plain JSON: every JSON-LD ``type`` member left out."""

    def plain(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {name: plain(item) for name, item in value.items() if name != "type"}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    result: JsonObject = plain(claims)
    return result


def always_disclosed_paths(configuration: CredentialConfiguration) -> frozenset[tuple[str, ...]]:
    """The claim paths never selectively disclosable: the always-disclosed claims and every
    object on their way (hiding an object would hide what it holds)."""
    found: set[tuple[str, ...]] = set()
    for pointer in configuration.always_disclosed:
        steps = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
        if len(steps) < 2 or steps[0] != _SUBJECT or steps[-1] == "type":
            continue
        path = tuple(steps[1:])
        found.update(path[:end] for end in range(1, len(path) + 1))
    return frozenset(found)


def disclosable_paths(
    claims: Mapping[str, Any], configuration: CredentialConfiguration
) -> list[list[str | int | None]]:
    """Every claim path to make selectively disclosable in ``claims`` (outer paths first).

    Each object member and array element is disclosable on its own, nested ones
    inside their (also disclosable) parent, except the paths of
    :func:`always_disclosed_paths`.
    """
    plain = always_disclosed_paths(configuration)
    paths: list[list[str | int | None]] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, Mapping):
            for name, item in value.items():
                inner = (*path, name)
                if inner not in plain:
                    paths.append(list(inner))
                walk(item, inner)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                paths.append([*path, index])
                walk(item, (*path, index))

    walk(claims, ())
    return paths


def type_metadata(configuration: CredentialConfiguration, vct: str, issuer: str) -> JsonObject:
    """The SD-JWT VC type metadata of a configuration, served at its ``vct``.

    Built from the same display texts as everything else that shows the
    credential (:func:`vc_issuer.display.credential_type_document`: names,
    descriptions and claim labels in Dutch and English), with the claim paths
    rooted at the payload and ``sd`` ``never`` for the claims always disclosed
    and the objects that hold them.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-type-metadata-format
    """
    document = credential_type_document(configuration, issuer)
    plain = always_disclosed_paths(configuration)
    claims: list[JsonObject] = []
    for claim in document["claims"]:
        path = claim["path"][1:] if claim["path"][:1] == [_SUBJECT] else claim["path"]
        claims.append({**claim, "path": path, "sd": "never" if tuple(path) in plain else "always"})
    return {"vct": vct, **document, "claims": claims}


def type_metadata_text(configuration: CredentialConfiguration, vct: str, issuer: str) -> bytes:
    """The exact bytes served at ``vct`` (their hash is the credential's ``vct#integrity``)."""
    document = type_metadata(configuration, vct, issuer)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def integrity(document: bytes) -> str:
    """W3C Subresource Integrity metadata of ``document``: ``sha256-`` and base64 of the hash.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-integrity-of-referenced-doc
    """
    return "sha256-" + base64.b64encode(hashlib.sha256(document).digest()).decode("ascii")
