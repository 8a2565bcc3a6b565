"""The wallet's only door to the network: an injected ``httpx.Client``, used defensively.

Every request goes to an ``https`` URL, with a timeout, never following a
redirect (any 3xx is an error, docs/protocols.md, P26), and reading at most
``max_response_bytes``. Transport failures raise ``vc_core.errors.FetchError``
(``FETCH_ERROR``); HTTP error statuses come back as a :class:`HttpResponse`
for the protocol code to read (OAuth error bodies). :meth:`WalletHttp.fetch`
is the ``vc_core.types.Fetch`` for did:web documents and status lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from vc_core.errors import FetchError
from wallet_sdk import _json

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "HttpClient",
    "HttpResponse",
    "WalletHttp",
    "default_client",
    "is_https_url",
    "is_json_media_type",
]

HttpClient = httpx.Client
"""The client type the wallet accepts (``fastapi.testclient.TestClient`` is one)."""

DEFAULT_MAX_RESPONSE_BYTES = 2 * 2**20
DEFAULT_TIMEOUT = 10.0


def default_client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """A plain ``httpx.Client`` for production use (system trust store, no redirects)."""
    return httpx.Client(timeout=timeout, follow_redirects=False)


def is_https_url(value: object) -> bool:
    """Whether ``value`` is an absolute https URL with a host and no fragment."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not parts.fragment


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


_JSON_TYPES = frozenset({"application/json", "application/vc", "application/vp"})


def is_json_media_type(media_type: str) -> bool:
    """JSON: ``application/json``, the VCDM 2.0 ``application/vc``/``vp``, or any ``…+json``."""
    return media_type in _JSON_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A response read in full (within the size cap): status, media type, headers and body."""

    status: int
    media_type: str
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self, *, what: str) -> Any:
        """The body as strict JSON; ``FetchError`` if the media type or the text is not JSON."""
        if not is_json_media_type(self.media_type):
            raise FetchError(f"{what} at {self.url} is {self.media_type or 'untyped'}, not JSON")
        try:
            return _json.loads(self.body, max_bytes=len(self.body), what=what)
        except _json.JsonInputError as exc:
            raise FetchError(f"{exc} (from {self.url})") from exc


class WalletHttp:
    """Defensive requests over the injected client (see the module docstring)."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if not isinstance(client, httpx.Client):
            raise TypeError("the wallet needs an httpx.Client (or a TestClient)")
        self._client = client
        self._timeout = timeout
        self._max_bytes = max_response_bytes

    def request(
        self,
        method: str,
        url: str,
        *,
        accept: str,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
        bearer: str | None = None,
    ) -> HttpResponse:
        """Send one request and read the response; ``FetchError`` on transport problems.

        Refused: a URL that is not https, a 3xx answer, a body over the size cap,
        a network error or timeout.
        """
        if not is_https_url(url):
            raise FetchError(f"refusing a request to {url!r}: only https URLs are allowed")
        headers = {"Accept": accept}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        content: bytes | None = None
        if json_body is not None:
            content = _json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            with self._client.stream(
                method,
                url,
                headers=headers,
                data=dict(form) if form is not None else None,
                content=content,
                follow_redirects=False,
                timeout=self._timeout,
            ) as response:
                if 300 <= response.status_code < 400:
                    raise FetchError(
                        f"{url} answered with a redirect ({response.status_code}); "
                        "the wallet never follows redirects"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self._max_bytes:
                        raise FetchError(
                            f"the response from {url} is larger than {self._max_bytes} bytes"
                        )
                return HttpResponse(
                    status=response.status_code,
                    media_type=_media_type(response.headers),
                    headers=dict(response.headers),
                    body=bytes(body),
                    url=url,
                )
        except httpx.HTTPError as exc:
            raise FetchError(f"request to {url} failed: {exc}") from exc

    def fetch(self, url: str, *, accept: str) -> bytes:
        """GET a document (DID document, status list, issuer metadata); the ``vc_core`` ``Fetch``.

        Anything but a 200 with a JSON media type, or one of the media types
        ``accept`` names (a Status List Token's ``application/statuslist+jwt``),
        raises ``FetchError``.
        """
        response = self.request("GET", url, accept=accept)
        if response.status != 200:
            raise FetchError(f"GET {url} answered {response.status}")
        wanted = {item.partition(";")[0].strip().lower() for item in accept.split(",")}
        if not is_json_media_type(response.media_type) and response.media_type not in wanted:
            raise FetchError(
                f"GET {url} returned {response.media_type or 'untyped'}, not JSON or {accept}"
            )
        return response.body
