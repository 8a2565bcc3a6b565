"""The wallet's allow-list of credential issuers: issuer URL → the DID its credentials carry.

A credential offer names a Credential Issuer by https URL; the credential it
yields names its issuer by DID. The wallet accepts an offer only from a
listed URL (before it sends a transaction code, docs/protocols.md, P28) and stores
a credential only when its issuer is the DID listed for that URL.

>>> trusted_issuer_map(["did:web:issuer.example.nl:belastingdienst"])
{'https://issuer.example.nl/belastingdienst': 'did:web:issuer.example.nl:belastingdienst'}
>>> trusted_issuer_map(["https://issuer.example.nl/duo"])
{'https://issuer.example.nl/duo': 'did:web:issuer.example.nl:duo'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from vc_core.did import did_web_base_url
from vc_core.errors import DidResolutionError
from wallet_sdk.http import https_origin, is_https_url

__all__ = [
    "TrustedIssuers",
    "did_web_for_issuer_url",
    "issuer_url_for_did_web",
    "trusted_issuer_map",
    "trusted_origins",
]

TrustedIssuers = Mapping[str, str] | Iterable[str]
"""``{issuer URL: issuer DID}``, ``{label: did:web DID}``, or a list of did:web DIDs / URLs."""


issuer_url_for_did_web = did_web_base_url
"""The https base URL a did:web DID stands for (its did.json URL without the file)."""


def did_web_for_issuer_url(url: str) -> str:
    """The did:web DID of an https issuer URL (``:`` between path segments, ``%3A`` port)."""
    if not is_https_url(url):
        raise ValueError(f"an issuer identifier must be an https URL, got {url!r}")
    parts = urlsplit(url)
    if parts.query:
        raise ValueError(f"an issuer identifier has no query: {url!r}")
    authority = parts.netloc.replace(":", "%3A")
    segments = [segment for segment in parts.path.split("/") if segment]
    did = ":".join(["did:web", authority, *segments])
    try:
        if issuer_url_for_did_web(did) != url.rstrip("/"):
            raise ValueError(f"{url!r} has no did:web equivalent")
    except DidResolutionError as exc:
        raise ValueError(f"{url!r} has no did:web equivalent: {exc.detail}") from exc
    return did


def trusted_issuer_map(trusted: TrustedIssuers) -> dict[str, str]:
    """Normalise an allow-list to ``{issuer URL: issuer DID}``.

    In a list, a ``did:web`` DID gives its URL and an https URL its did:web
    DID. A mapping's entries keyed by an https URL are taken as they are; in
    entries keyed by anything else (a label such as ``{"duo": "did:web:…"}``)
    the DID alone counts, as in a list. Anything else is a ``ValueError``.

    >>> trusted_issuer_map({"duo": "did:web:issuer.example.nl:duo"})
    {'https://issuer.example.nl/duo': 'did:web:issuer.example.nl:duo'}
    """
    if isinstance(trusted, str):
        raise TypeError("trusted_issuers must be a collection, not one string")
    result: dict[str, str] = {}
    items: Iterable[object] = trusted
    if isinstance(trusted, Mapping):
        labelled = [did for key, did in trusted.items() if not is_https_url(key)]
        result = {str(url): str(did) for url, did in trusted.items() if is_https_url(url)}
        items = labelled
    for item in items:
        if isinstance(item, str) and item.startswith("did:web:"):
            try:
                result[issuer_url_for_did_web(item)] = item
            except DidResolutionError as exc:
                raise ValueError(f"trusted issuer {item!r}: {exc.detail}") from exc
        elif isinstance(item, str) and is_https_url(item):
            try:
                result[item.rstrip("/")] = did_web_for_issuer_url(item)
            except ValueError as exc:
                raise ValueError(f"trusted issuer {item!r}: {exc}") from exc
        else:
            raise ValueError(f"trusted issuer {item!r} is neither a did:web DID nor an https URL")
    return result


def trusted_origins(parties: Iterable[str]) -> set[str]:
    """The https origins of parties the citizen trusts: did:web DIDs or https URLs.

    The wallet reaches these origins at any address (a development verifier
    on ``localhost``); other origins only at public addresses.

    >>> sorted(trusted_origins(["did:web:localhost%3A8443", "https://Verhuur.example.nl/x"]))
    ['https://localhost:8443', 'https://verhuur.example.nl']
    """
    if isinstance(parties, str):
        raise TypeError("trusted parties must be a collection, not one string")
    found: set[str] = set()
    for party in parties:
        url = party
        if isinstance(party, str) and party.startswith("did:web:"):
            try:
                url = issuer_url_for_did_web(party)
            except DidResolutionError as exc:
                raise ValueError(f"trusted party {party!r}: {exc.detail}") from exc
        if not is_https_url(url):
            raise ValueError(f"trusted party {party!r} is neither a did:web DID nor an https URL")
        found.add(https_origin(url))
    return found
