"""The verifier's only network edge: an injected ``httpx.Client`` adapted to a vc_core ``Fetch``.

The verifier fetches two things, and only through the client its caller
injects: Bitstring Status List credentials and did:web documents; the Plus
client (:mod:`vc_verifier.plus`) also posts form requests with
:func:`http_post_form`. The adapter never follows a redirect (a 3xx is an error,
docs/protocols.md, P26),
refuses plain ``http`` URLs unless told otherwise, caps the response size
and maps every failure to :class:`~vc_core.errors.FetchError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from vc_core.errors import FetchError, ParsingError
from vc_core.limits import parse_int
from vc_core.types import Fetch

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "HttpAnswer",
    "HttpClient",
    "http_fetch",
    "http_post_form",
    "routed_fetch",
]

HttpClient = httpx.Client
"""The client type the verifier accepts (``httpx.Client``; Starlette's TestClient is one)."""
DEFAULT_MAX_BYTES = 4 * 2**20
"""Largest response body accepted (a full-size status list credential is ~25 KiB)."""
DEFAULT_TIMEOUT = 10.0
"""Seconds for connect, read, write and pool waits, each."""


def http_fetch(
    client: httpx.Client,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    allow_http: bool = False,
) -> Fetch:
    """Return a ``Fetch`` that GETs through ``client`` without following redirects.

    Anything but a ``200`` answer, a body over ``max_bytes``, a transport
    error or timeout, or a non-https URL (unless ``allow_http``) raises
    ``FetchError``. The client keeps its own settings (TLS, proxies,
    transport); the request overrides only redirects and the timeout.
    """
    if not isinstance(client, httpx.Client):
        raise TypeError("client must be an httpx.Client")
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    schemes = ("https", "http") if allow_http else ("https",)

    def fetch(url: str, *, accept: str) -> bytes:
        if urlsplit(url).scheme not in schemes:
            raise FetchError(f"refusing to fetch {url!r}: only {'/'.join(schemes)} URLs")
        try:
            with client.stream(
                "GET",
                url,
                headers={"Accept": accept},
                follow_redirects=False,
                timeout=timeout,
            ) as response:
                if response.is_redirect or 300 <= response.status_code < 400:
                    raise FetchError(
                        f"{url} answered {response.status_code} (a redirect); redirects are "
                        "never followed"
                    )
                if response.status_code != httpx.codes.OK:
                    raise FetchError(f"{url} answered HTTP {response.status_code}")
                declared = response.headers.get("content-length")
                if declared is not None and _declared_length(declared) > max_bytes:
                    raise FetchError(f"{url} declares {declared} bytes, over {max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError(f"{url} sent more than {max_bytes} bytes")
                return bytes(body)
        except httpx.HTTPError as exc:
            raise FetchError(f"fetching {url} failed: {type(exc).__name__}: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url!r} is not a valid URL: {exc}") from exc

    return fetch


def _declared_length(value: str) -> int:
    """A ``Content-Length`` as a number (one that is not counts as too long)."""
    try:
        return parse_int(value, name="Content-Length")
    except ParsingError:
        return 2**63


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """A response read in full: status, media type (lower case, no parameters) and body."""

    status: int
    media_type: str
    body: bytes


def http_post_form(
    client: httpx.Client,
    url: str,
    form: Mapping[str, str],
    *,
    accept: str = "application/json",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> HttpAnswer:
    """POST ``form`` (``application/x-www-form-urlencoded``) to an https ``url``; read the answer.

    Any status comes back (the caller reads OAuth error bodies), except that a
    redirect, a body over ``max_bytes``, a transport error or a non-https URL
    raises ``FetchError``.
    """
    if urlsplit(url).scheme != "https":
        raise FetchError(f"refusing to post to {url!r}: only https URLs")
    try:
        with client.stream(
            "POST",
            url,
            data=dict(form),
            headers={"Accept": accept},
            follow_redirects=False,
            timeout=timeout,
        ) as response:
            if 300 <= response.status_code < 400:
                raise FetchError(f"{url} answered {response.status_code} (a redirect)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"{url} sent more than {max_bytes} bytes")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return HttpAnswer(response.status_code, media_type, bytes(body))
    except httpx.HTTPError as exc:
        raise FetchError(f"posting to {url} failed: {type(exc).__name__}: {exc}") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url!r} is not a valid URL: {exc}") from exc


def routed_fetch(client: httpx.Client, overrides: Mapping[str, str]) -> Fetch:
    """https fetches through ``client``; an overridden origin is fetched from its stand-in.

    ``overrides`` maps a public origin to where it is really served, e.g.
    ``{"https://issuer.example.nl": "http://127.0.0.1:8080"}`` (development:
    the demo issuer on loopback); only those stand-ins may be plain http.
    """
    public_only = http_fetch(client)
    stand_in = http_fetch(client, allow_http=True)

    def fetch(url: str, *, accept: str) -> bytes:
        for origin, local in overrides.items():
            if url == origin or url.startswith(origin + "/"):
                return stand_in(local + url[len(origin) :], accept=accept)
        return public_only(url, accept=accept)

    return fetch
