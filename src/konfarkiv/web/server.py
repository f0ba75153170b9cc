"""Run the web app with waitress: a threaded, pure-Python WSGI server, so several people
(and a browser's parallel thumbnail requests) are served at once without a C build."""

from __future__ import annotations

import ipaddress
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
THREADS = 16  # waiting searches and thumbnails (guard.py, thumbs.py) never take them all
# Slow clients (issue 26 item 1). Waitress's defaults (100 connections, 120 s idle) let 105
# idle sockets, or one header byte every 10 s per socket, lock everyone out. Connections are
# cheap for waitress (one socket, no thread), so many are allowed, and each must send a whole
# request within REQUEST_SECONDS of connecting or of its previous answer, dripped bytes or not.
CONNECTION_LIMIT = 500
REQUEST_SECONDS = 10.0
ROOM = 0.8  # share of CONNECTION_LIMIT past which the longest-waiting connections close
IDLE_SECONDS = 30  # waitress's own timeout, for a client that stops reading an answer


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(home: Path, host: str, port: int, *, ready: Callable[[str], None]) -> None:
    """Serve until interrupted; ready(url) is called once the socket listens (port 0 known)."""
    from waitress import create_server

    from konfarkiv.web.app import create_app

    server = create_server(create_app(home), host=host, port=port, threads=THREADS,
                           ident="konfarkiv", clear_untrusted_proxy_headers=True,
                           connection_limit=connection_limit(), channel_timeout=IDLE_SECONDS,
                           cleanup_interval=1)
    guard_slow_clients(server)
    try:
        ready(url_for(host, int(server.effective_port)))
        server.run()
    finally:
        server.close()


def connection_limit() -> int:
    """CONNECTION_LIMIT, less where the process may not open that many files."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return CONNECTION_LIMIT
    return max(16, min(CONNECTION_LIMIT, soft - 64))  # files, the catalog, the index


def guard_slow_clients(server: Any) -> None:
    """Close every connection that has not sent a whole request within REQUEST_SECONDS of
    connecting (or of its last answer); waitress's idle timeout alone is reset by each byte."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    from konfarkiv.web.guard import FILE_CSP

    class GuardedErrorTask(ErrorTask):  # type: ignore[misc]
        """waitress's own answers (a malformed request, headers too large) get the CSP
        and nosniff that every answer of the app gets."""

        def execute(self) -> None:
            self.response_headers.extend([("Content-Security-Policy", FILE_CSP),
                                          ("X-Content-Type-Options", "nosniff")])
            super().execute()

    class DeadlineChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = GuardedErrorTask

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.waiting_since = time.time()

        def service(self) -> None:
            try:
                super().service()
            finally:
                self.waiting_since = time.time()

    own_maintenance, own_readable = server.maintenance, server.readable

    def waiting() -> list[Any]:
        return [c for c in list(server.active_channels.values())
                if not c.requests and not c.total_outbufs_len and not c.will_close]

    def maintenance(now: float) -> None:
        own_maintenance(now)
        for channel in waiting():
            if now - getattr(channel, "waiting_since", now) > REQUEST_SECONDS:
                channel.will_close = True

    def readable() -> bool:
        # Near the limit, the connections waiting longest for a whole request make room,
        # on every turn of the loop, so a newcomer is let in at once even past the limit.
        over = len(server.active_channels) - int(server.adj.connection_limit * ROOM)
        if over > 0:
            now = time.time()
            open_ = [c for c in server.active_channels.values() if not c.will_close]
            over = len(open_) - int(server.adj.connection_limit * ROOM)
            longest = sorted(waiting(), key=lambda c: getattr(c, "waiting_since", now))
            for channel in longest[:over]:
                channel.will_close = True
        return bool(own_readable())

    server.channel_class = DeadlineChannel
    server.maintenance = maintenance
    server.readable = readable
