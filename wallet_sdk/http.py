"""The wallet's only door to the network: an injected ``httpx.Client``, used defensively.

Every request goes to an ``https`` URL, with a timeout per network step and
a deadline for the whole answer, never following a redirect (any 3xx is an
error, docs/protocols.md, P26), and reading at most ``max_response_bytes``.
Transport failures raise ``vc_core.errors.FetchError`` (``FETCH_ERROR``); HTTP
error statuses come back as a :class:`HttpResponse` for the protocol code to
read (OAuth error bodies). :meth:`WalletHttp.fetch` is the
``vc_core.types.Fetch`` for did:web documents and status lists.

**Server-side request forgery.** A QR code names URLs (``credential_offer_uri``,
``request_uri``, and then a verifier's did:web document and ``response_uri``);
a hostile one could make the phone reach into the network it is on (a router's
admin page, a service on the phone itself). A request to an origin the citizen
did not trust explicitly (their trusted issuers and trusted verifiers) goes
only to public addresses: the host name is resolved once, every address it
resolves to must be public (not private, loopback, link-local, shared, reserved
or multicast; :func:`is_public_address`), and the connection goes to the
address that was checked (the name stays in the ``Host`` header and in TLS:
SNI and certificate check), so a name that resolves differently a moment later
(DNS rebinding) cannot redirect it. A trusted origin is reached as it is (a
development issuer on ``localhost`` keeps working).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from vc_core.errors import FetchError
from wallet_sdk import _json

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "HttpClient",
    "HttpResponse",
    "Resolver",
    "WalletHttp",
    "default_client",
    "https_origin",
    "is_https_url",
    "is_json_media_type",
    "is_public_address",
    "system_resolver",
]

HttpClient = httpx.Client
"""The client type the wallet accepts (``fastapi.testclient.TestClient`` is one)."""

DEFAULT_MAX_RESPONSE_BYTES = 2 * 2**20
DEFAULT_TIMEOUT = 10.0
"""Seconds for each network step: resolve, connect, each read and write."""
DEFAULT_DEADLINE = 30.0
"""Seconds for a whole answer, however slowly it trickles in."""

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""``resolve(host, port)``: the IP addresses (text) a host name stands for; ``OSError`` if none."""


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


def https_origin(url: str) -> str:
    """The origin of an https URL: ``https://host[:port]`` (lower case, default port left out)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"https://{host}" + ("" if port in (None, 443) else f":{port}")


def is_public_address(address: IpAddress) -> bool:
    """Whether an address is on the public internet (an IPv4-mapped one as its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver finds for ``host`` (``OSError`` when none)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def _resolve(resolve: Resolver, host: str, port: int, timeout: float) -> list[IpAddress]:
    """Resolve within ``timeout`` seconds; ``FetchError`` when it fails or takes longer."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wallet-resolve")
    try:
        names = pool.submit(resolve, host, port).result(timeout=timeout)
        return [ipaddress.ip_address(name.partition("%")[0]) for name in names]
    except FutureTimeout:
        raise FetchError(f"resolving {host} took longer than {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    finally:
        pool.shutdown(wait=False)


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
    """Defensive requests over the injected client (see the module docstring).

    ``trusted_origins`` (``https://host[:port]``) are reached as they are; any
    other origin only at a public address, checked and pinned as described
    above. ``resolve`` and ``is_allowed_address`` replace the system resolver
    and :func:`is_public_address` (tests).
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float = DEFAULT_DEADLINE,
        trusted_origins: Collection[str] = (),
        resolve: Resolver = system_resolver,
        is_allowed_address: Callable[[IpAddress], bool] = is_public_address,
    ) -> None:
        if not isinstance(client, httpx.Client):
            raise TypeError("the wallet needs an httpx.Client (or a TestClient)")
        self._client = client
        self._timeout = timeout
        self._max_bytes = max_response_bytes
        self._deadline = deadline
        self._trusted = frozenset(https_origin(origin) for origin in trusted_origins)
        self._resolve = resolve
        self._allowed = is_allowed_address

    def _destination(self, url: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        """Where to send a request for ``url``: URL, extra headers and request extensions.

        A trusted origin as it is; otherwise the checked public address, with
        the name in ``Host`` and as the TLS server name.
        """
        if https_origin(url) in self._trusted:
            return url, {}, {}
        target = httpx.URL(url)
        host = target.host
        try:
            addresses: list[IpAddress] = [ipaddress.ip_address(host)]
            literal = True
        except ValueError:
            addresses = _resolve(self._resolve, host, target.port or 443, self._timeout)
            literal = False
        refused = [str(address) for address in addresses if not self._allowed(address)]
        if not addresses or refused:
            raise FetchError(
                f"refusing {https_origin(url)}: {host} is at a private, loopback or link-local "
                f"address ({', '.join(refused) or 'none'}) and is not a trusted issuer or verifier"
            )
        if literal:
            return url, {}, {}
        pinned = str(target.copy_with(host=str(addresses[0])))
        return pinned, {"Host": target.netloc.decode("ascii")}, {"sni_hostname": host}

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

        Refused: a URL that is not https, an untrusted origin at a non-public
        address, a 3xx answer, a body over the size cap, a network error or
        timeout, an answer that takes longer than the deadline.
        """
        if not is_https_url(url):
            raise FetchError(f"refusing a request to {url!r}: only https URLs are allowed")
        started = time.monotonic()
        destination, pinned_headers, extensions = self._destination(url)
        headers = {"Accept": accept, **pinned_headers}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        content: bytes | None = None
        if json_body is not None:
            content = _json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            with self._client.stream(
                method,
                destination,
                headers=headers,
                data=dict(form) if form is not None else None,
                content=content,
                follow_redirects=False,
                timeout=self._timeout,
                extensions=extensions,
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
                    if time.monotonic() - started > self._deadline:
                        raise FetchError(
                            f"the response from {url} took longer than {self._deadline:g} s"
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
