"""Politeness: at most a few requests in flight per host, a small pause after downloads.

Downloads from different hosts run side by side; requests to one host queue up
behind a per-host semaphore (default 2), and after a request that downloaded a
body the host gets `delay` seconds of rest before the next one starts. A
conditional request answered 304 carries no body and costs the server next to
nothing, so it is limited by the semaphore alone: that keeps a nightly re-run of an
unchanged archive cheap without hammering anyone. A robots.txt Crawl-delay spaces
every request to its host. Retry-After on 429/503 is honoured inside the request by
urllib3's Retry (fetch.make_session), while the slot is held.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest.fetch import Fetched, Fetcher

DEFAULT_PER_HOST = 2
DEFAULT_DELAY = 0.1  # seconds of rest for a host after a download from it


def host_of(url: str) -> str:
    """The scheme-less host:port a request goes to, lower-cased."""
    return urlsplit(url).netloc.lower()


@dataclass
class Ticket:
    """A held slot; set `downloaded` when a body came, so the host gets its rest."""

    downloaded: bool = False


@dataclass
class HostGate:
    """Per-host concurrency limit and spacing; shared by every worker of a run."""

    per_host: int = DEFAULT_PER_HOST
    delay: float = DEFAULT_DELAY
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _slots: dict[str, threading.BoundedSemaphore] = field(default_factory=dict, repr=False)
    _next_start: dict[str, float] = field(default_factory=dict, repr=False)
    _delays: dict[str, float] = field(default_factory=dict, repr=False)
    in_flight: dict[str, int] = field(default_factory=dict, repr=False)
    max_in_flight: dict[str, int] = field(default_factory=dict, repr=False)

    def set_delay(self, host: str, seconds: float) -> None:
        """robots.txt's Crawl-delay: every request to host spaced by at least this."""
        with self._lock:
            self._delays[host] = seconds

    @contextmanager
    def slot(self, key: str) -> Iterator[Ticket]:
        """Hold one of key's slots, once the host has had its rest."""
        with self._lock:
            sem = self._slots.setdefault(key, threading.BoundedSemaphore(max(1, self.per_host)))
        sem.acquire()
        ticket = Ticket()
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(key, now))
                if key in self._delays:  # Crawl-delay: between every two starts
                    self._next_start[key] = start + self._delays[key]
                self.in_flight[key] = self.in_flight.get(key, 0) + 1
                self.max_in_flight[key] = max(self.max_in_flight.get(key, 0),
                                              self.in_flight[key])
            if start > now:
                time.sleep(start - now)
            try:
                yield ticket
            finally:
                with self._lock:
                    self.in_flight[key] -= 1
                    if ticket.downloaded and self.delay > 0:
                        rest = time.monotonic() + self.delay
                        self._next_start[key] = max(self._next_start.get(key, rest), rest)
        finally:
            sem.release()


class PoliteFetcher(Fetcher):
    """A Fetcher whose network requests pass through a HostGate (local files do not)."""

    def __init__(self, store: FileStore, gate: HostGate | None = None, **kwargs) -> None:
        super().__init__(store, **kwargs)
        self.gate = gate or HostGate()
        self.requests = 0
        self.body_bytes = 0
        self._count_lock = threading.Lock()

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Fetched:
        with self.gate.slot(host_of(url)) as ticket:
            fetched = super().get(url, etag=etag, last_modified=last_modified)
            ticket.downloaded = fetched.stored is not None
        with self._count_lock:
            self.requests += 1
            self.body_bytes += fetched.stored.size if fetched.stored else 0
        return fetched

    def get_small(self, url: str, *, max_bytes: int = 5 * 1024 * 1024) -> bytes:
        """Also what get_text reads through: one gated, counted request either way."""
        with self.gate.slot(host_of(url)) as ticket:
            ticket.downloaded = True
            data = super().get_small(url, max_bytes=max_bytes)
        with self._count_lock:
            self.requests += 1
            self.body_bytes += len(data)
        return data


def polite_fetcher(store: FileStore, *, per_host: int = DEFAULT_PER_HOST,
                   delay: float = DEFAULT_DELAY) -> PoliteFetcher:
    return PoliteFetcher(store, HostGate(per_host=per_host, delay=delay))
