"""HTTP fetching: one session, timeouts, polite retries, streaming with a cap.

Retries cover transient trouble only (connection errors, 429, 5xx), with
backoff and Retry-After honoured by urllib3's Retry. Every error names the URL.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from konfarkiv import USER_AGENT
from konfarkiv.archive.store import FileStore, SizeCapExceeded, StoredFile
from konfarkiv.ingest.policy import refusal

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
TEXT_MAX_BYTES = 5 * 1024 * 1024  # captions and film pages, read whole into memory
DEFAULT_DEADLINE = 300.0  # a whole download, however slowly the bytes come
PERMANENT_STATUSES = {401, 403, 404, 405, 410, 451}
MAX_RETRY_AFTER = 30.0  # seconds a run waits when a server asks (429/503 Retry-After)


class RedirectRefused(requests.RequestException):
    """A redirect led where a link may not (file:, a private address): not followed."""


class FetchError(Exception):
    """A URL could not be fetched; `permanent` says whether retrying can help."""

    def __init__(self, url: str, reason: str, *, permanent: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    not_modified: bool
    stored: StoredFile | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    seconds: float


class CappedRetry(Retry):
    """urllib3's Retry, but a Retry-After over MAX_RETRY_AFTER is not waited for: the
    request is not retried and its 429/503 becomes the item's failure (see waits_too_long),
    so no server can hold a run, and the writer lock, for as long as it likes."""

    def increment(self, method: str | None = None, url: str | None = None,
                  response: Any = None, error: Exception | None = None,
                  _pool: Any = None, _stacktrace: Any = None) -> CappedRetry:
        if response is not None and waits_too_long(response.headers) is not None:
            raise urllib3.exceptions.MaxRetryError(
                _pool, url or "", urllib3.exceptions.ResponseError("Retry-After"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


def waits_too_long(headers: Any) -> float | None:
    """The Retry-After a response asks for when it is over MAX_RETRY_AFTER, else None."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = Retry().parse_retry_after(value)
    except Exception:  # noqa: BLE001 - an unparseable value is simply not honoured
        return None
    return seconds if seconds > MAX_RETRY_AFTER else None


def make_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    session = requests.Session()
    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        backoff_max=30,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.max_redirects = 10
    return session


def _reason(exc: requests.RequestException,
            timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)) -> tuple[str, bool]:
    """A short human reason, and whether the failure is permanent."""
    connect, read = timeout
    if isinstance(exc, RedirectRefused):
        return str(exc), True
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects (a redirect loop?)", True
    if isinstance(exc, requests.ConnectTimeout):
        return f"connection timed out after {connect:g} s", False
    if isinstance(exc, requests.ReadTimeout):
        return f"no answer within {read:g} s", False
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "Connection refused" in text:
            return "connection refused", False
        if "Max retries exceeded" in text and "Name or service not known" in text:
            return "host name not found", False
        if "Read timed out" in text:
            return f"no answer within {read:g} s", False
        if "IncompleteRead" in text or "Connection broken" in text:
            return "the connection broke off during the download", False
        return f"connection failed ({type(exc).__name__})", False
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return "not a valid URL", True
    return f"{type(exc).__name__}: {exc}", False


def _status_reason(resp: requests.Response) -> str:
    """"HTTP 503 Service Unavailable", and the Retry-After a run would not wait for."""
    text = f"HTTP {resp.status_code} {resp.reason or ''}".strip()
    wait = waits_too_long(resp.headers)
    if wait is not None:
        text += (f" (the server asks to wait {wait:g} s (Retry-After), more than the "
                 f"{MAX_RETRY_AFTER:g} s a run waits)")
    return text


def _read_chunks(resp: requests.Response, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """The body as it arrives: read1 returns whatever one recv gave, so a server that
    drips a byte at a time cannot keep a read blocked past the deadline check
    (iter_content waits for a whole chunk_size)."""
    raw = resp.raw
    while True:
        try:
            chunk = raw.read1(chunk_size, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.ReadTimeout(exc) from exc
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError,
                OSError) as exc:
            raise requests.ConnectionError(f"Connection broken: {exc!r}") from exc
        if not chunk:
            return
        yield chunk


def read_capped(resp: requests.Response, url: str, max_bytes: int,
                deadline: float) -> Iterator[bytes]:
    """The body's chunks, ending in a FetchError naming url past max_bytes or the deadline."""
    started, size = time.monotonic(), 0
    for chunk in _read_chunks(resp):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"larger than the size cap of {max_bytes} bytes",
                             permanent=True)
        if time.monotonic() - started > deadline:
            raise FetchError(url, f"download took longer than {deadline:g} s")
        yield chunk


class Fetcher:
    """Downloads into the file store; one requests.Session for the whole run."""

    def __init__(self, store: FileStore, *, session: requests.Session | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, deadline: float = DEFAULT_DEADLINE,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)) -> None:
        self.store = store
        self.session = session or make_session()
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.timeout = timeout
        self.http_answers = 0  # HTTP answers received (redirects, 304s, errors), for the run record
        self._counting = threading.Lock()
        if self._check_redirect not in self.session.hooks["response"]:
            self.session.hooks["response"].append(self._check_redirect)
        self.session.hooks["response"].append(self._count)

    def _count(self, resp: requests.Response, *args: Any, **kwargs: Any) -> None:
        with self._counting:
            self.http_answers += 1

    def _check_redirect(self, resp: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Refuse a redirect before it is followed, by the same rule as a link on a page:
        no redirect may lead a fetch to a local file or a private address."""
        if not resp.is_redirect:
            return
        target = urljoin(resp.url, resp.headers.get("Location", ""))
        why = refusal(target, resp.url)
        if why:
            resp.close()
            raise RedirectRefused(f"redirect to {target} {why}")

    def _fail(self, url: str, exc: requests.RequestException) -> FetchError:
        reason, permanent = _reason(exc, self.timeout)
        return FetchError(url, reason, permanent=permanent)

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Fetched:
        """GET url into the store; a 304 answer returns not_modified and no file."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        try:
            resp = self.session.get(url, headers=headers, stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            raise self._fail(url, exc) from exc
        with resp:
            if resp.status_code == 304:
                return Fetched(resp.url, 304, True, None, None, etag, last_modified,
                               time.monotonic() - started)
            if resp.status_code >= 400:
                permanent = resp.status_code in PERMANENT_STATUSES
                raise FetchError(url, _status_reason(resp), permanent=permanent)
            if resp.status_code >= 300:
                raise FetchError(url, f"HTTP {resp.status_code} redirect without a target",
                                 permanent=True)
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(url, f"{int(declared)} bytes is over the size cap of "
                                 f"{self.max_bytes} bytes", permanent=True)
            try:
                stored = self.store.put_chunks(self._body(resp, url, started),
                                               max_bytes=self.max_bytes)
            except SizeCapExceeded as exc:
                raise FetchError(url, str(exc), permanent=True) from exc
            except requests.RequestException as exc:
                raise self._fail(url, exc) from exc
            return Fetched(
                url=resp.url,
                status=resp.status_code,
                not_modified=False,
                stored=stored,
                content_type=(resp.headers.get("Content-Type") or "").split(";")[0].strip()
                or None,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
                seconds=time.monotonic() - started,
            )

    def _body(self, resp: requests.Response, url: str, started: float) -> Iterator[bytes]:
        for chunk in _read_chunks(resp):
            if time.monotonic() - started > self.deadline:
                raise FetchError(url, f"download took longer than {self.deadline:g} s")
            yield chunk

    def get_text(self, url: str, *, max_bytes: int = TEXT_MAX_BYTES) -> str:
        """A small UTF-8 text resource without storing it."""
        return self.get_small(url, max_bytes=max_bytes).decode("utf-8", errors="replace")

    def get_small(self, url: str, *, max_bytes: int = TEXT_MAX_BYTES) -> bytes:
        """A small resource's bytes (captions, whose encoding their reader tells) unstored."""
        try:
            resp = self.session.get(url, timeout=self.timeout, stream=True)
        except requests.RequestException as exc:
            raise self._fail(url, exc) from exc
        with resp:
            if resp.status_code >= 400:
                raise FetchError(url, _status_reason(resp),
                                 permanent=resp.status_code in PERMANENT_STATUSES)
            data = bytearray()
            try:
                for chunk in read_capped(resp, url, max_bytes, self.deadline):
                    data += chunk
            except requests.RequestException as exc:
                raise self._fail(url, exc) from exc
            return bytes(data)

    def get_local(self, path: Path) -> Fetched:
        """A file the user named: stored exactly as a download would be, under the same size
        cap; only a regular file (a FIFO or device would block or never end)."""
        started = time.monotonic()
        try:
            with self.open_local(path) as fh:
                stored = self.store.put_chunks(iter(lambda: fh.read(1 << 20), b""),
                                               max_bytes=self.max_bytes)
        except SizeCapExceeded as exc:
            raise FetchError(str(path), str(exc), permanent=True) from exc
        except OSError as exc:
            raise FetchError(str(path), exc.strerror or str(exc), permanent=True) from exc
        ctype = "application/pdf" if path.suffix.lower() == ".pdf" else (
            "text/html" if path.suffix.lower() in {".html", ".htm"} else None)
        return Fetched(path.as_uri(), 200, False, stored, ctype, None, None,
                       time.monotonic() - started)

    def open_local(self, path: Path, max_bytes: int | None = None) -> BinaryIO:
        """Open a local file for reading if it is a regular file within the size cap
        (checked on the open file, so a swap after the policy check changes nothing)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise FetchError(str(path), "not a regular file", permanent=True)
        if info.st_size > limit:
            os.close(fd)
            raise FetchError(str(path), f"{info.st_size} bytes is over the size cap of "
                             f"{limit} bytes", permanent=True)
        return os.fdopen(fd, "rb")
