"""Credential formats: one registry from a format identifier to its engine.

The roles (issuer, wallet, verifier) are format-agnostic. A format shows up
only where a protocol names it (an OpenID4VCI credential configuration, a
DCQL credential query, a ``vp_token`` entry), and there the role looks the
identifier up here. Each :class:`CredentialFormat` says how such a credential
travels (a JSON object or a compact string), where the subject's claims sit in
a claims path, which DCQL ``meta`` member lists the accepted types, and how a
holder presents one (only the requested claims, bound to the verifier's
``audience`` and ``nonce``). Adding a format (mdoc, say) is one engine module
and one entry in :data:`FORMATS`.

>>> credential_format("vc+sd-jwt").identifier, credential_format("ldp_vc").claims_root
('dc+sd-jwt', ('credentialSubject',))
>>> credential_format("mso_mdoc") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Protocol

from vc_core.errors import ParsingError
from vc_core.hazmat.sd_jwt import parse_sd_jwt, process_sd_jwt_payload
from vc_core.keys import KeyPair
from vc_core.loader import CREDENTIALS_V2_URL
from vc_core.types import JsonObject

# Implementation note: the engines (vc_core.proofs with pyld, vc_core.sd_jwt) are imported
# where a credential is presented, so that reading what a format is costs no JSON-LD
# processor (the wallet's store and command line look formats up).

__all__ = [
    "FORMATS",
    "LDP_VC",
    "LEGACY_SD_JWT_VC_FORMAT",
    "SD_JWT_VC",
    "ClaimPath",
    "CredentialFormat",
    "Embedder",
    "Presented",
    "Presenter",
    "claim_pointer",
    "credential_format",
    "presentation_envelope",
]

LDP_VC = "ldp_vc"
"""W3C Verifiable Credentials secured with Data Integrity proofs (``ecdsa-sd-2023``)."""
SD_JWT_VC = "dc+sd-jwt"
"""SD-JWT VC (``vc_core.sd_jwt.SD_JWT_VC_FORMAT``)."""
LEGACY_SD_JWT_VC_FORMAT = "vc+sd-jwt"
"""The name OpenID4VCI draft 13 and the NL Wallet give SD-JWT VC (``vc+sd-jwt``)."""

ClaimPath = tuple[str | int, ...]
"""A concrete claims path: object member names and array indexes (no ``null``)."""


@dataclass(frozen=True, slots=True)
class Presented:
    """A holder's answer for one credential: the ``vp_token`` entry, and what it reveals.

    ``disclosed`` is the credential as the verifier will see it (without
    proofs or digests), for the holder's own record of what left the wallet.
    """

    value: JsonObject | str
    disclosed: JsonObject


class Embedder(Protocol):
    """The credential with every claim disclosed, as one ``verifiableCredential`` entry of a
    VCDM 2.0 presentation (a holder's export)."""

    def __call__(self, credential: JsonObject | str) -> JsonObject: ...


class Presenter(Protocol):
    """Present a stored credential with only ``claim_paths`` (plus what is always shown)."""

    def __call__(
        self,
        credential: JsonObject | str,
        claim_paths: Sequence[ClaimPath],
        *,
        holder_key: KeyPair,
        audience: str,
        nonce: str,
        created: datetime,
    ) -> Presented: ...


def claim_pointer(path: Sequence[str | int]) -> str:
    """The JSON Pointer of a concrete claims path (``~`` and ``/`` escaped).

    >>> claim_pointer(["credentialSubject", "adres", "postcode"])
    '/credentialSubject/adres/postcode'
    """
    return "".join(
        "/" + (str(step) if isinstance(step, int) else step.replace("~", "~0").replace("/", "~1"))
        for step in path
    )


def presentation_envelope(holder: str | None, credentials: Sequence[JsonObject]) -> JsonObject:
    """An unsigned VCDM 2.0 presentation of ``credentials`` (``holder`` when there is one)."""
    envelope: JsonObject = {"@context": [CREDENTIALS_V2_URL], "type": ["VerifiablePresentation"]}
    if holder is not None:
        envelope["holder"] = holder
    envelope["verifiableCredential"] = list(credentials)
    return envelope


def _present_ldp_vc(
    credential: JsonObject | str,
    claim_paths: Sequence[ClaimPath],
    *,
    holder_key: KeyPair,
    audience: str,
    nonce: str,
    created: datetime,
) -> Presented:
    """An ecdsa-sd-2023 disclosure in a presentation the holder's did:key signs.

    The presentation's proof has purpose ``authentication``, ``challenge`` the
    verifier's nonce and ``domain`` its full client identifier (docs/protocols.md,
    "Response").
    """
    from vc_core.proofs import derive, sign

    if not isinstance(credential, dict):
        raise TypeError("an ldp_vc credential is a JSON object")
    derived = derive(credential, selective_pointers=[claim_pointer(p) for p in claim_paths])
    signed = sign(
        presentation_envelope(holder_key.controller, [derived]),
        holder_key,
        proof_purpose="authentication",
        challenge=nonce,
        domain=audience,
        created=created,
    )
    return Presented(signed, {name: value for name, value in derived.items() if name != "proof"})


def _present_sd_jwt_vc(
    credential: JsonObject | str,
    claim_paths: Sequence[ClaimPath],
    *,
    holder_key: KeyPair,
    audience: str,
    nonce: str,
    created: datetime,
) -> Presented:
    """The SD-JWT with only the Disclosures the paths need, and a Key Binding JWT."""
    from vc_core.sd_jwt import present_sd_jwt_vc

    if not isinstance(credential, str):
        raise TypeError("an SD-JWT VC is a compact string")
    presented = present_sd_jwt_vc(
        credential,
        claim_paths,
        holder_key=holder_key,
        audience=audience,
        nonce=nonce,
        clock=lambda: created,
    )
    parsed = parse_sd_jwt(presented)
    return Presented(presented, process_sd_jwt_payload(parsed.jws.payload, parsed.disclosures))


def _embed_ldp_vc(credential: JsonObject | str) -> JsonObject:
    """A disclosure of every property (never the base proof itself, docs/protocols.md, P15)."""
    from vc_core.proofs import derive

    if not isinstance(credential, dict):
        raise TypeError("an ldp_vc credential is a JSON object")
    pointers = [claim_pointer([name]) for name in credential if name not in ("@context", "proof")]
    return derive(credential, selective_pointers=pointers)


def _embed_sd_jwt_vc(credential: JsonObject | str) -> JsonObject:
    """The SD-JWT VC with all its Disclosures, enveloped in a ``data:`` URL (VCDM 2.0).

    Its characters (base64url, ``.`` and ``~``) need no percent-encoding.

    Spec: vc-data-model-2.0#enveloped-verifiable-credentials
    """
    if not isinstance(credential, str):
        raise TypeError("an SD-JWT VC is a compact string")
    return {
        "@context": [CREDENTIALS_V2_URL],
        "id": f"data:application/{SD_JWT_VC},{credential}",
        "type": "EnvelopedVerifiableCredential",
    }


@dataclass(frozen=True, slots=True)
class CredentialFormat:
    """One credential format as the protocols see it, and its engine.

    ``identifier`` is the OpenID4VCI/OpenID4VP format identifier; ``aliases``
    are older names accepted where a wallet may still send them.
    ``claims_root`` is where the subject's claims sit in a claims path
    (``credentialSubject`` for W3C credentials, the payload itself for
    SD-JWT VC). ``types_member`` names the DCQL ``meta`` member that lists the
    accepted types (``type_values``: sets of type IRIs; ``vct_values``).
    ``compact`` says a credential travels as a string rather than a JSON
    object. ``present`` makes a holder's ``vp_token`` entry, ``embed`` its
    entry in a presentation that discloses everything (an export).
    """

    identifier: str
    aliases: tuple[str, ...]
    claims_root: tuple[str, ...]
    types_member: str
    compact: bool
    present: Presenter
    embed: Embedder

    def claim_path(self, subject_path: Sequence[str | int | None]) -> tuple[str | int | None, ...]:
        """A claims path into this format's credentials for a path among the subject's claims.

        >>> credential_format("dc+sd-jwt").claim_path(["adres", "postcode"])
        ('adres', 'postcode')
        """
        return (*self.claims_root, *subject_path)

    def unverified(self, value: object, *, what: str = "credential") -> JsonObject | str:
        """Check that an untrusted ``value`` has this format's JSON type; return it.

        Raises ``ParsingError`` (``PARSING_ERROR``) otherwise: a JSON object for
        ``ldp_vc``, a string for ``dc+sd-jwt``.
        """
        if self.compact and isinstance(value, str):
            return value
        if not self.compact and isinstance(value, dict):
            return value
        kind = "a string" if self.compact else "a JSON object"
        raise ParsingError(f"a {self.identifier} {what} must be {kind}")


FORMATS: Mapping[str, CredentialFormat] = MappingProxyType(
    {
        LDP_VC: CredentialFormat(
            identifier=LDP_VC,
            aliases=(),
            claims_root=("credentialSubject",),
            types_member="type_values",
            compact=False,
            present=_present_ldp_vc,
            embed=_embed_ldp_vc,
        ),
        SD_JWT_VC: CredentialFormat(
            identifier=SD_JWT_VC,
            aliases=(LEGACY_SD_JWT_VC_FORMAT,),
            claims_root=(),
            types_member="vct_values",
            compact=True,
            present=_present_sd_jwt_vc,
            embed=_embed_sd_jwt_vc,
        ),
    }
)
"""Every format the roles speak, by identifier."""

_BY_NAME: Mapping[str, CredentialFormat] = MappingProxyType(
    {name: entry for entry in FORMATS.values() for name in (entry.identifier, *entry.aliases)}
)


def credential_format(identifier: object) -> CredentialFormat | None:
    """The format an (untrusted) identifier or alias names, or ``None`` for an unknown one."""
    return _BY_NAME.get(identifier) if isinstance(identifier, str) else None
