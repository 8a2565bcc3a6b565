"""The load benchmark's wallets: its HTTP/1.1 client, then the whole flow against a real issuer.

The client is checked against a scripted loopback server that parses each request with h11 (an
HTTP/1.1 implementation we did not write) and answers with bytes the test chooses, split as the
test chooses: Content-Length and chunked bodies, keep-alive, a server that closes, broken answers.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import h11
import pytest
from bench_issuer_load import DeviceKeys, drive, servers
from loopback_http import HttpError, LoopbackClient, run_event_loop

from vc_core.did import did_key_verification_method_id

T = TypeVar("T")
HOST = "issuer.example.nl"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server writes for one request (each part on its own), then whether it closes."""

    parts: tuple[bytes, ...] = ()
    close: bool = False


def reply(body: bytes = b'{"ok":true}', status: int = 200, headers: str = "") -> bytes:
    head = f"HTTP/1.1 {status} Whatever\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
    return head.encode() + body


OK = Answer((reply(),))


@dataclass
class Server:
    """Answers request number n (from 1, over all connections) with ``answer(n)``."""

    answer: Callable[[int], Answer]
    received: list[tuple[h11.Request, bytes]] = field(default_factory=list)
    connections: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        parser, body, request = h11.Connection(h11.SERVER), b"", None
        while True:
            event = parser.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                if not data:
                    break
                parser.receive_data(data)
            elif isinstance(event, h11.Request):
                request, body = event, b""
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                assert request is not None
                self.received.append((request, body))
                answer = self.answer(len(self.received))
                for part in answer.parts:
                    writer.write(part)
                    await writer.drain()
                    await asyncio.sleep(0.01)  # the client gets each part on its own
                if answer.close:
                    break
                # h11 never saw our raw answer: a fresh parser for the next request.
                leftover, _ = parser.trailing_data
                parser = h11.Connection(h11.SERVER)
                if leftover:  # (receive_data(b"") would mean the end of the stream)
                    parser.receive_data(leftover)
            else:
                break
        writer.close()


def exchange(
    answer: Callable[[int], Answer],
    steps: Callable[[LoopbackClient], Awaitable[T]],
    *,
    timeout: float = 5,
) -> tuple[T, Server]:
    """Run ``steps`` with a client of a new scripted server; what they return and the server."""

    async def main() -> tuple[T, Server]:
        server = Server(answer)
        listener = await asyncio.start_server(server.serve, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        client = LoopbackClient(port, host=HOST, timeout=timeout)
        try:
            return await steps(client), server
        finally:
            client.close()
            listener.close()

    return run_event_loop(main())


def header(request: h11.Request, name: bytes) -> bytes | None:
    return next((value for key, value in request.headers if key == name), None)


def test_requests_are_framed_as_h11_reads_them() -> None:
    async def steps(client: LoopbackClient) -> None:
        await client.request(
            "POST", "/admin/rdw/offers", json_body={"bsn": "999993653"}, headers={"X-A": "b"}
        )
        await client.request("GET", "https://issuer.example.nl/rdw/offers/abc?x=1&y=%20")
        await client.request("POST", "https://issuer.example.nl/rdw/token", form={"a": "b c&d"})
        await client.request("POST", "/rdw/nonce")

    _, server = exchange(lambda n: OK, steps)
    (offer, offer_body), (get, get_body), (token, token_body), (nonce, nonce_body) = server.received
    assert (offer.method, offer.target, offer_body) == (
        b"POST",
        b"/admin/rdw/offers",
        b'{"bsn":"999993653"}',
    )
    assert header(offer, b"content-type") == b"application/json"
    assert header(offer, b"x-a") == b"b"
    assert (get.method, get.target, get_body) == (b"GET", b"/rdw/offers/abc?x=1&y=%20", b"")
    assert header(get, b"content-length") is None
    assert (token.target, token_body) == (b"/rdw/token", b"a=b+c%26d")
    assert header(token, b"content-type") == b"application/x-www-form-urlencoded"
    assert (nonce_body, header(nonce, b"content-length")) == (b"", b"0")
    assert {header(request, b"host") for request, _ in server.received} == {HOST.encode()}
    assert server.connections == 1


def test_content_length_and_chunked_bodies_arriving_in_pieces() -> None:
    sized = reply(b'{"document":"' + b"x" * 5000 + b'"}')
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"5\r\n[1, 2\r\n",
        b"3\r\n, 3\r\n1\r\n]\r\n0\r\n\r\n",
    )
    answers = {1: Answer((sized[:20], sized[20:2000], sized[2000:])), 2: Answer(chunked)}

    async def steps(client: LoopbackClient) -> list[object]:
        return [
            (await client.request("GET", "/a")).json(),
            (await client.request("GET", "/b")).json(),
        ]

    (first, second), server = exchange(answers.__getitem__, steps)
    assert first == {"document": "x" * 5000}
    assert second == [1, 2, 3]
    assert server.connections == 1


def test_a_connection_the_server_closes_is_opened_again() -> None:
    answers = {
        1: Answer((reply(headers="Connection: close\r\n"),)),  # the client must end it
        2: Answer((reply(b"[2]"),), close=True),  # no header: the server just goes away
        3: Answer((reply(b"[3]"),)),
    }

    async def steps(client: LoopbackClient) -> list[object]:
        bodies = [
            (await client.request("GET", "/1")).json(),
            (await client.request("GET", "/2")).json(),
        ]
        await asyncio.sleep(0.05)  # the close arrives while the connection is idle
        bodies.append((await client.request("GET", "/3")).json())
        return bodies

    bodies, server = exchange(answers.__getitem__, steps)
    assert bodies == [{"ok": True}, [2], [3]]
    assert server.connections == 3


def test_a_request_the_server_dropped_unanswered_on_a_reused_connection_is_sent_once_more() -> None:
    answers = {1: OK, 2: Answer(close=True), 3: Answer((reply(b"[3]"),))}

    async def steps(client: LoopbackClient) -> object:
        await client.request("GET", "/1")
        return (await client.request("POST", "/2", json_body=[2])).json()

    body, server = exchange(answers.__getitem__, steps)
    assert body == [3]
    assert [(request.target, sent) for request, sent in server.received[1:]] == [
        (b"/2", b"[2]"),
        (b"/2", b"[2]"),
    ]
    assert server.connections == 2


def test_a_request_answered_in_part_is_not_sent_again() -> None:
    answers = {1: OK, 2: Answer((reply()[:30],), close=True), 3: OK}

    async def steps(client: LoopbackClient) -> None:
        await client.request("GET", "/1")
        with pytest.raises(HttpError, match="connection closed"):
            await client.request("POST", "/2")

    _, server = exchange(answers.__getitem__, steps)
    assert [request.target for request, _ in server.received] == [b"/1", b"/2"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(Answer(close=True), "connection closed", id="dropped on a new connection"),
        pytest.param(
            Answer((reply()[:30],), close=True), "connection closed", id="closed mid-answer"
        ),
        pytest.param(
            Answer((b"HTTP/1.1 200 OK\r\n\r\n{}",), close=True),
            "connection closed",
            id="body until close (not supported)",
        ),
        pytest.param(Answer((b"HTTP/1.1 2x0 OK\r\n\r\n",)), "invalid HTTP", id="invalid status"),
        pytest.param(
            Answer((b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",)),
            "invalid HTTP",
            id="two lengths",
        ),
        pytest.param(Answer((reply(b"gone", 404),)), "status 404: b'gone'", id="error status"),
        pytest.param(Answer((reply(status=302),)), "status 302", id="redirect"),
    ],
)
def test_a_failed_request_raises_http_error_and_is_not_retried(
    answer: Answer, message: str
) -> None:
    answers = {1: answer, 2: Answer((reply(b"[2]"),))}

    async def steps(client: LoopbackClient) -> object:
        with pytest.raises(HttpError, match=message):
            await client.request("POST", "/1", json_body=[1])
        await asyncio.sleep(0.05)
        return (await client.request("GET", "/2")).json()  # the client carries on

    body, server = exchange(answers.__getitem__, steps)
    assert body == [2]
    assert [request.target for request, _ in server.received] == [b"/1", b"/2"]


def test_no_answer_in_time_raises_http_error() -> None:
    async def steps(client: LoopbackClient) -> None:
        with pytest.raises(HttpError, match=r"no response in 0\.2 s"):
            await client.request("GET", "/")

    exchange(lambda n: Answer(), steps, timeout=0.2)


def test_nobody_listening_raises_http_error() -> None:
    async def main() -> None:
        listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        listener.close()
        await listener.wait_closed()
        with pytest.raises(HttpError, match="cannot connect"):
            await LoopbackClient(port, host=HOST).request("GET", "/")

    run_event_loop(main())


def test_device_keys_are_each_used_once() -> None:
    """Made beforehand while they last, then in the flows (counted); never one twice."""
    keys = DeviceKeys(3)
    taken = [keys.take() for _ in range(5)]
    assert len({kid for _, kid in taken}) == 5
    assert all(kid == did_key_verification_method_id(key) for key, kid in taken)
    assert keys.made_in_flows == 2


def test_the_wallets_run_whole_flows_against_a_real_issuer(tmp_path: Path) -> None:
    settings = argparse.Namespace(instances=1, workers=1, database_url=None)
    keys = DeviceKeys(4)
    with servers(settings, tmp_path) as ports:
        results, elapsed = drive(ports, wallets=2, copies=2, seconds=1, keys=keys)
    assert keys.made_in_flows == max(0, results.credentials - 4)
    assert results.errors == 0
    assert len(results.flow_ms) > 0
    assert results.credentials == 2 * len(results.flow_ms)
    assert len(results.credential_ms) == len(results.flow_ms)
    assert all(
        0 < credential < flow
        for credential, flow in zip(results.credential_ms, results.flow_ms, strict=True)
    )
    assert elapsed >= 1
