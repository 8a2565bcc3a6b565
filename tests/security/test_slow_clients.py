"""Finding 9: slow clients. Headers that trickle in and bodies that stall are cut off.

The ``serve`` commands close a connection whose request headers are not in
after 10 s (uvicorn has no such timeout: 800 trickling sockets stayed open);
the request guard answers 408 to a body that stalls (15 s between chunks, 60 s
in all). ``test_slow_client_guards`` checks both with short timeouts on a server
in a thread, a kept-alive connection included.
"""

from __future__ import annotations

import select
import socket
import threading
import time

from .conftest import Service

SOCKETS = 40
PATIENCE = 30.0


def _trickle_headers(port: int, count: int, patience: float) -> int:
    """Open ``count`` connections that send a request line and then one header byte a second;
    return how many the server closed within ``patience`` seconds."""
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for connection in connections:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        connection.setblocking(False)
    open_ones = set(connections)
    deadline = time.monotonic() + patience
    while open_ones and time.monotonic() < deadline:
        readable, _, _ = select.select(list(open_ones), [], [], 1.0)
        for connection in readable:
            try:
                ended = connection.recv(1024) == b""
            except ConnectionResetError:
                ended = True
            if ended:
                open_ones.discard(connection)
        for connection in list(open_ones):
            try:
                connection.send(b"a")
            except OSError:
                open_ones.discard(connection)
    for connection in connections:
        connection.close()
    return count - len(open_ones)


def test_the_serve_commands_cut_off_trickling_headers(issuer: Service, landlord: Service) -> None:
    closed: dict[str, int] = {}

    def trickle(name: str, port: int) -> None:
        closed[name] = _trickle_headers(port, SOCKETS, PATIENCE)

    threads = [
        threading.Thread(target=trickle, args=(name, service.port))
        for name, service in (("issuer", issuer), ("landlord", landlord))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert closed == {"issuer": SOCKETS, "landlord": SOCKETS}
