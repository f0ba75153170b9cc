"""Run the web app with waitress: a threaded, pure-Python WSGI server, so several people
(and a browser's parallel thumbnail requests) are served at once without a C build."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
THREADS = 8


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
                           ident="konfarkiv", clear_untrusted_proxy_headers=True)
    try:
        ready(url_for(host, int(server.effective_port)))
        server.run()
    finally:
        server.close()
