"""The lean HTTP/1.1 client against a raw socket server: framing, keep-alive, and honest errors."""

import asyncio

import pytest

from gateway.proxy.http1 import BadResponse, ConnectFailed, Disconnected, Http1Pool
from shared.testing import eventually
from shared.testing_servers import free_port


class RawServer:
    """Answers each request with the next canned reply (bytes, or None to hang up without answering)."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests: list[bytes] = []
        self.connections = 0
        self.server = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.connections += 1
        try:
            while self.replies:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length")), 0)
                self.requests.append(head + (await reader.readexactly(length) if length else b""))
                reply = self.replies.pop(0)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if b"connection: close" in reply.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def __aenter__(self):
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc):
        self.server.close()


OK = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok"


async def test_keep_alive_reuses_one_connection_and_sends_a_proper_request():
    async with RawServer([OK, OK]) as server:
        pool = Http1Pool(server.url + "/base")
        for _ in range(2):
            status, headers, body = await pool.request("POST", b"/things?x=1", [(b"x-a", b"1")], b'{"n":1}',
                                                       connect_timeout=1)
            assert (status, body) == (200, b"ok") and (b"content-type", b"text/plain") in headers
        assert server.connections == 1
        first = server.requests[0]
        assert first.startswith(b"POST /base/things?x=1 HTTP/1.1\r\nhost: 127.0.0.1:")
        assert b"\r\nx-a: 1\r\n" in first and b"content-length: 7\r\n\r\n{\"n\":1}" in first
        pool.close()


async def test_chunked_responses_are_decoded_and_connection_close_is_honoured():
    chunked = (b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
               b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n")
    async with RawServer([chunked]) as server:
        pool = Http1Pool(server.url)
        status, _, body = await pool.request("GET", b"/", [], None, connect_timeout=1)
        assert (status, body) == (200, b"abcdefg")
        assert pool._idle == []  # the server said close: not kept


async def test_head_responses_end_at_the_headers():
    head = b"HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n"
    async with RawServer([head]) as server:
        status, headers, body = await Http1Pool(server.url).request("HEAD", b"/", [], None, connect_timeout=1)
        assert status == 200 and body == b"" and (b"content-length", b"1234") in headers


async def test_errors_say_whether_the_request_can_have_reached_the_service():
    with pytest.raises(ConnectFailed):
        await Http1Pool(f"http://127.0.0.1:{free_port()}").request("GET", b"/", [], None, connect_timeout=1)
    async with RawServer([None]) as server:
        with pytest.raises(Disconnected):
            await Http1Pool(server.url).request("POST", b"/", [], b"x", connect_timeout=1)
    async with RawServer([b"NOT HTTP AT ALL\r\n\r\n"]) as server:
        with pytest.raises(BadResponse):
            await Http1Pool(server.url).request("GET", b"/", [], None, connect_timeout=1)


async def test_an_idle_connection_closed_by_the_server_is_not_reused():
    async with RawServer([OK]) as first:
        pool = Http1Pool(first.url)
        await pool.request("GET", b"/", [], None, connect_timeout=1)
        # The server's handler ran out of replies and closed the connection: the pool hears of it.
        await eventually(lambda: pool._idle and pool._idle[0].closed, timeout=2)
    async with RawServer([OK]) as second:
        pool.port = int(second.url.rsplit(":", 1)[1])
        status, _, _ = await pool.request("GET", b"/", [], None, connect_timeout=1)
        assert status == 200 and second.connections == 1
