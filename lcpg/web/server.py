"""The HTTP server `lcpg serve` runs: waitress, with the limits of ``lcpg/web/limits.py`` that keep
slow clients (slowloris) from holding it.

Waitress's own ``channel_timeout`` counts only idle time, so a client sending one header byte
every few seconds held its connection for ever, and about a hundred such clients used up the
default ``connection_limit`` of 100: nobody else was served. Here a channel also notes when its
current request began, and the server's periodic maintenance answers 408 and closes a request
not complete within the deadline, and closes a client that stopped reading an answer a worker
is waiting to write; each client gets a limited number of connections; and the
connection limit is high (the open-file limit raised to fit, and ``poll()`` instead of
``select()``, which cannot watch descriptors above 1024).

This relies on waitress's documented ``Adjustments`` and on the small surface of its
``HTTPChannel`` and ``TcpWSGIServer`` that ``tests/e2e/test_security_slow_clients.py``
exercises: ``received``, ``maintenance``, ``handle_accept`` and ``del_channel``.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from lcpg.errors import LcpgError
from lcpg.web.limits import (
    MAX_REQUEST_BODY,
    ClientConnections,
    Network,
    ServeLimits,
    client_group,
    file_descriptors_needed,
    request_overdue,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger("waitress")

MAINTENANCE_INTERVAL = 1
"""Seconds between the server's checks for overdue requests and idle connections."""

REQUEST_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
)
TOO_MANY_CONNECTIONS_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\n"
    b"Content-Length: 0\r\n\r\n"
)


class DeadlineChannel(HTTPChannel):  # type: ignore[misc]  # waitress has no type hints
    """A waitress connection that notes when its current request's first byte came, and
    whose client (a ``client_group``, ``None`` when not counted) it is counted for."""

    request_started: float | None = None
    """``time.monotonic()`` at the first byte of the request being received, else ``None``."""
    client: str | None = None
    request: Any  # waitress's parser of the request being received, or None

    def received(self, data: bytes) -> bool:
        if data and self.request is None:
            self.request_started = time.monotonic()
        result: bool = super().received(data)
        if self.request is None:  # every byte so far belongs to complete requests
            self.request_started = None
        return result

    def time_out(self) -> None:
        """Answer 408 to the request under way and close the connection once it is sent
        (called from the server's loop, while no task of this channel runs)."""
        with self.requests_lock:
            if self.request is not None:
                self.request.close()
                self.request = None
            self.request_started = None
        with self.outbuf_lock:
            self.outbufs[-1].append(REQUEST_TIMEOUT_RESPONSE)
            self.current_outbuf_count += len(REQUEST_TIMEOUT_RESPONSE)
            self.total_outbufs_len += len(REQUEST_TIMEOUT_RESPONSE)
        self.close_when_flushed = True

    def del_channel(self, map: Any = None) -> None:
        super().del_channel(map)
        client, self.client = self.client, None  # closing twice releases once
        if client is not None:
            self.server.clients.release(client)


class LimitedServer(TcpWSGIServer):  # type: ignore[misc]  # waitress has no type hints
    """A waitress TCP server applying ``limits``: the request deadline in its maintenance,
    the per-client cap (``clients``, shared by the servers of one process) on accepting."""

    channel_class = DeadlineChannel

    def __init__(
        self,
        application: WSGIApplication,
        *,
        limits: ServeLimits,
        clients: ClientConnections,
        trusted: Iterable[Network],
        **kwargs: Any,
    ) -> None:
        self.limits = limits
        self.clients = clients
        self.trusted = tuple(trusted)
        self.clients_at_cap: set[str] = set()
        super().__init__(application, **kwargs)

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # waitress: close connections idle for idle_timeout
        # A client that stopped reading: waitress marks it to close, but closes only when its
        # socket can be written to, which is never; and it skips a connection whose answer is
        # still being produced, while that answer's worker, past the output buffer, waits for
        # the client to read. Closing here frees the worker too (ClientDisconnected).
        cutoff = now - self.adj.channel_timeout
        stalled = [
            channel
            for channel in self.active_channels.values()
            if channel.last_activity < cutoff
            and channel.total_outbufs_len
            > (self.adj.outbuf_high_watermark if channel.requests else 0)
        ]
        for channel in stalled:
            channel.handle_close()
        monotonic = time.monotonic()
        overdue = [
            channel
            for channel in self.active_channels.values()
            # A request waiting behind one being served is not the client's delay.
            if not channel.requests
            and not channel.close_when_flushed
            and request_overdue(channel.request_started, monotonic, self.limits.request_timeout)
        ]
        for channel in overdue:
            channel.time_out()
        if overdue:  # one line a second at most, however many clients are cut off
            log.info(
                "%d request(s) not complete within %d s: closed",
                len(overdue),
                self.limits.request_timeout,
            )

    def handle_accept(self) -> None:
        # As waitress's, with the per-client cap before a channel is made.
        try:
            accepted = self.accept()
            if accepted is None:
                return
            conn, addr = accepted
            self.set_socket_options(conn)
        except OSError:
            if self.adj.log_socket_errors:
                self.logger.warning("server accept() threw an exception", exc_info=True)
            return
        addr = self.fix_addr(addr)
        client = client_group(str(addr[0]), self.trusted) if isinstance(addr, tuple) else None
        if client is not None and not self.clients.take(client):
            self.refuse(conn, client)
            return
        try:
            channel = self.channel_class(self, conn, addr, self.adj, map=self._map)
        except BaseException:
            if client is not None:
                self.clients.release(client)
            raise
        channel.client = client
        self.clients_at_cap.discard(client or "")

    def refuse(self, conn: socket.socket, client: str) -> None:
        """Answer 503 (if the socket takes it at once) and close: ``client`` holds its cap."""
        if client not in self.clients_at_cap:  # once per episode, not per connection
            self.clients_at_cap.add(client)
            log.warning(
                "a client (%s) holds %d connections, the limit per client: refusing more",
                client,
                self.limits.connections_per_client,
            )
        try:
            conn.setblocking(False)
            conn.send(TOO_MANY_CONNECTIONS_RESPONSE)
        except OSError:
            pass
        finally:
            conn.close()


def raise_open_file_limit(connection_limit: int) -> None:
    """Raise this process's soft limit of open files to fit ``connection_limit`` connections.
    Raises ``LcpgError`` when the hard limit is too low (the user must lower the connection
    limit or raise the system's)."""
    try:
        import resource
    except ImportError:  # not on Windows, where no such limit applies
        return
    needed = file_descriptors_needed(connection_limit)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise LcpgError(
            f"a connection limit of {connection_limit} needs {needed} open files, and this "
            f"system allows {hard} (ulimit -Hn): lower --connection-limit (or "
            "LCPG_SERVE_CONNECTION_LIMIT) or raise the system's limit"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def create_server(
    application: WSGIApplication,
    *,
    host: str,
    port: int,
    threads: int,
    limits: ServeLimits,
    trusted: Iterable[Network] = (),
) -> MultiSocketServer:
    """A waitress server for ``application`` on ``host``:``port`` (every address the name
    resolves to) with ``threads`` workers and ``limits``; connections from ``trusted``
    addresses are not counted per client. ``run()`` serves until interrupted. Raises
    ``LcpgError`` when the open-file limit cannot fit the connection limit."""
    raise_open_file_limit(limits.connection_limit)
    adjustments = Adjustments(
        host=host,
        port=port,
        threads=threads,
        ident="lcpg",
        connection_limit=limits.connection_limit,
        channel_timeout=limits.idle_timeout,
        cleanup_interval=MAINTENANCE_INTERVAL,
        max_request_body_size=MAX_REQUEST_BODY,
        asyncore_use_poll=True,  # select() breaks on descriptors above 1024
    )
    socket_map: dict[int, Any] = {}
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adjustments.threads)
    clients = ClientConnections(limits.connections_per_client)
    servers = [
        LimitedServer(
            application,
            map=socket_map,
            dispatcher=dispatcher,
            adj=adjustments,
            sockinfo=sockinfo,
            limits=limits,
            clients=clients,
            trusted=trusted,
        )
        for sockinfo in adjustments.listen
    ]
    listening = [(server.effective_host, server.effective_port) for server in servers]
    return MultiSocketServer(socket_map, adjustments, listening, dispatcher, servers[0].log_info)
