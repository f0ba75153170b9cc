"""What every response of the web app gets, whatever made it (issue 26, minor list).

* A Content-Security-Policy on every response: pages get the page policy (app.py); JSON,
  files and error answers get FILE_CSP, so nothing served can run script or be framed.
* A Host header that is no host name (a label over 63 characters, characters no host has)
  is a 400 before Flask sees it: Flask could not build a single URL for it, and its error
  page failed too (a 500 with three logged tracebacks).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

#: Searches run side by side on at most this many of the server's threads; the others stay
#: free for pages, so costly searches (each bounded by search/cost.py) never starve `/`.
SEARCH_SLOTS = 2  # the machine has 2 cores; searches are CPU-bound
SEARCH_WAIT = 1.0  # seconds a search waits for a slot before it is told to come back
_SEARCHES = threading.BoundedSemaphore(SEARCH_SLOTS)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def on_search_thread(work: Callable[[], T]) -> T:
    """work() on one of SEARCH_SLOTS long-lived search threads (call it inside
    search_slot(), so one is always free). The library keeps a Whoosh searcher per thread
    and the web a catalog connection per thread: on the server's own threads (16, taken in
    turn) each paid a cold first search (20-60 ms more on 10k slides) and reopened the
    index after every change; two threads stay warm."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(SEARCH_SLOTS, thread_name_prefix="konfarkiv-search")
    return _pool.submit(work).result()


class SearchesBusy(Exception):
    """Every search slot is taken: the page says so (a 503), nothing waits long."""


@contextmanager
def search_slot() -> Iterator[None]:
    if not _SEARCHES.acquire(timeout=SEARCH_WAIT):
        raise SearchesBusy
    try:
        yield
    finally:
        _SEARCHES.release()


FILE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_IPV6 = re.compile(r"^\[[0-9A-Fa-f:.]{2,45}\]$")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def valid_host(host: str) -> bool:
    """A Host header value: a DNS name or an IP address, with an optional port."""
    if not host or len(host) > 260:
        return False
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name or (port and not port.isdigit()) or "]" in port:
        name = host
    if _IPV6.match(name):
        return True
    labels = name.rstrip(".").split(".")
    return len(name) <= 253 and all(_LABEL.match(label) for label in labels)


def host_guard(app: WSGIApp) -> WSGIApp:
    """app, but a request with a Host header that names no host is answered 400 here."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host is not None and not valid_host(host):
            body = "Felaktig förfrågan: Host-huvudet är inget värdnamn.\n".encode()
            start_response("400 Bad Request", [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Content-Security-Policy", FILE_CSP),
                ("X-Content-Type-Options", "nosniff")])
            return [body]
        return app(environ, start_response)

    return guarded
