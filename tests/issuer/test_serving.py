"""The issuer's HTTP protocol writes each response in one write (OneWritePerResponse).

uvicorn's protocol is driven here directly, on a transport that records what is
written to it, so that the writes themselves can be counted (a TCP client sees
only the byte stream). The real server over loopback is exercised in
``test_server.py`` and ``tests/security/test_slow_client_guards.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.server import ServerState

from vc_core.limits import Receive, Scope, Send
from vc_issuer.serving import GuardedHttpToolsProtocol


class _RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[bytes | str] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.events.append(bytes(data))

    def is_closing(self) -> bool:
        return "close" in self.events

    def close(self) -> None:
        self.events.append("close")

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/small``: one body; ``/stream``: two body chunks with a pause between them."""
    await receive()
    headers = [(b"content-type", b"text/plain")]
    if scope["path"] == "/small":
        headers.append((b"content-length", b"6"))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    if scope["path"] == "/stream":
        await send({"type": "http.response.body", "body": b"first,", "more_body": True})
        await asyncio.sleep(0.01)
    await send({"type": "http.response.body", "body": scope["path"].encode()})


def _exchange(request: bytes) -> list[bytes | str]:
    async def main() -> list[bytes | str]:
        config = uvicorn.Config(_app, lifespan="off", log_level="error")
        protocol = GuardedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
        transport = _RecordingTransport()
        protocol.connection_made(transport)
        protocol.data_received(request)
        for _ in range(200):
            await asyncio.sleep(0.005)
            if protocol.cycle.response_complete and not protocol.pipeline:
                break
        await asyncio.sleep(0.005)
        events = list(transport.events)
        protocol.connection_lost(None)
        return events

    return asyncio.run(main())


def test_a_small_response_is_one_write() -> None:
    (answer,) = _exchange(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
    assert isinstance(answer, bytes)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.endswith(b"\r\n\r\n/small")
    assert b"content-length: 6\r\n" in answer


def test_the_answer_is_written_before_the_connection_closes() -> None:
    events = _exchange(b"GET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert len(events) == 2
    assert isinstance(events[0], bytes)
    assert events[0].endswith(b"/small")
    assert events[1] == "close"


def test_what_is_written_later_follows_in_order() -> None:
    """A body sent in parts over several steps: each step's writes are one write, in order;
    pipelined requests are answered in turn."""
    streamed = _exchange(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(streamed) == 2
    head_and_first, rest = streamed
    assert isinstance(head_and_first, bytes)
    assert head_and_first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert head_and_first.endswith(b"\r\n\r\n6\r\nfirst,\r\n")
    assert rest == b"7\r\n/stream\r\n0\r\n\r\n"
    pipelined = _exchange(
        b"GET /small HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    joined = b"".join(part for part in pipelined if isinstance(part, bytes))
    assert joined.index(b"/small") < joined.index(b"first,") < joined.index(b"7\r\n/stream")
