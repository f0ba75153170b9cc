"""A real HTTP server on 127.0.0.1 for integration tests.

Tests talk to this over real sockets so that requests, pypdf and yt-dlp run unmocked.
Files get sha256 ETags and Last-Modified headers and answer conditional requests with 304,
so re-ingest logic can be tested; custom routes cover misbehaving servers (hangs, slow
bodies, redirect loops, Retry-After).
"""

from __future__ import annotations

import hashlib
import mimetypes
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import quote, unquote, urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]
"""A custom route: gets the request handler and writes the whole response itself."""


@dataclass
class LoggedRequest:
    """One request as the server saw it; status and bytes fill in as the response is sent."""

    method: str
    path: str
    query: str
    headers: Message
    status: int | None = None
    body_bytes: int = 0


@dataclass
class _File:
    body: bytes
    content_type: str
    status: int
    headers: dict[str, str | None]
    etag: str = ""
    last_modified: int = 0


@dataclass
class _State:
    files: dict[str, _File] = field(default_factory=dict)
    routes: dict[str, Handler] = field(default_factory=dict)
    log: list[LoggedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


def _key(path: str) -> str:
    """Normalise a request or registration path: no query, percent-decoded, leading slash."""
    path = unquote(urlsplit(path).path)
    return path if path.startswith("/") else "/" + path


_TYPES = {".vtt": "text/vtt", ".mp4": "video/mp4", ".pdf": "application/pdf"}


def _guess_type(path: str) -> str | None:
    """Content type from the extension; fixed for the types tests rely on, whatever the OS."""
    suffix = PurePosixPath(_key(path)).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(_key(path))[0]


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class _CountingWriter:
    """Wraps the socket writer so bytes after the headers count, live, as body bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.written = 0
        self.body_start: int | None = None
        self.entry: LoggedRequest | None = None

    def write(self, data: bytes) -> int:
        n = self.raw.write(data)
        self.written += len(data)
        if self.entry is not None and self.body_start is not None:
            self.entry.body_bytes = self.written - self.body_start
        return n if n is not None else len(data)

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections must not pin threads forever
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.counter = _CountingWriter(self.wfile)  # type: ignore[arg-type]
        self.wfile = self.counter  # type: ignore[assignment]
        self._entry: LoggedRequest | None = None
        self._in_route = self._connection_sent = False

    def log_message(self, format: str, *args: Any) -> None:
        """Silence stderr; the request log is the record."""

    # -- bookkeeping -------------------------------------------------------------------
    def send_response(self, code: int, message: str | None = None) -> None:
        if self._entry is not None:
            self._entry.status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "connection":
            self._connection_sent = True
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        if self._in_route and not self._connection_sent:
            self.send_header("Connection", "close")  # tell the client not to reuse it
        super().end_headers()
        self.counter.body_start = self.counter.written

    # -- dispatch ----------------------------------------------------------------------
    def _handle(self) -> None:
        state = self.server.state
        split = urlsplit(self.path)
        key = _key(self.path)
        self._entry = LoggedRequest(self.command, key, split.query, self.headers)
        self.counter.entry, self.counter.body_start = self._entry, None
        self._in_route = self._connection_sent = False
        with state.lock:
            state.log.append(self._entry)
            route = state.routes.get(key)
            file = state.files.get(key)
        try:
            if route is not None:
                # Custom handlers need not frame their bodies: close after each one.
                self.close_connection = self._in_route = True
                route(self)
            elif file is not None:
                self._send_file(file)
            else:
                self.send_error(404, "Not Found")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _not_modified(self, file: _File) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or file.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                return file.last_modified <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send_file(self, file: _File) -> None:
        conditional = file.status == 200 and self.command in ("GET", "HEAD")
        auto = {"ETag": file.etag, "Last-Modified": formatdate(file.last_modified, usegmt=True)}
        headers = {**auto, **file.headers}
        if conditional and self._not_modified(file):
            self.send_response(304)
            for name, value in headers.items():
                if value is not None and name in auto:
                    self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(file.status)
        self.send_header("Content-Type", file.content_type)
        self.send_header("Content-Length", str(len(file.body)))
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(file.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, closed keep-alive sockets) are normal here."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class TestServer:
    """A started-on-demand HTTP server on 127.0.0.1 with an ephemeral port."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.state = _State()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> TestServer:
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.state = self.state
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; custom routes waiting on `stopping` are released."""
        self.state.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def stopping(self) -> threading.Event:
        """Set on shutdown: hanging handlers should `wait()` on this instead of sleeping."""
        return self.state.stopping

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL for `path` (non-ASCII is percent-encoded, a query string is kept)."""
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + quote(path, safe="/?&=%:#;,+@!$'()*~")

    # -- content -----------------------------------------------------------------------
    def add_file(
        self,
        path: str,
        body: bytes | str,
        content_type: str | None = None,
        status: int = 200,
        headers: dict[str, str | None] | None = None,
    ) -> str:
        """Serve `body` at `path` and return its URL.

        `content_type` defaults to a guess from the extension (str bodies get charset=utf-8).
        `headers` are added to the response; a None value suppresses an automatic header
        (e.g. ``{"ETag": None}`` for a server without ETags).
        """
        if isinstance(body, str):
            body = body.encode("utf-8")
            content_type = content_type or _guess_type(path) or "text/html"
            if "charset" not in content_type:
                content_type += "; charset=utf-8"
        content_type = content_type or _guess_type(path)
        file = _File(body, content_type or "application/octet-stream", status, dict(headers or {}))
        file.etag = _etag(body)
        file.last_modified = int(time.time())
        with self.state.lock:
            self.state.routes.pop(_key(path), None)
            self.state.files[_key(path)] = file
        return self.url(path)

    def add_tree(self, prefix: str, root: str | Path) -> str:
        """Serve every file under directory `root` at `prefix`/relative/path; returns its URL.

        Bytes are read now, so later changes on disk need `replace_file`.
        """
        root = Path(root)
        prefix = "/" + prefix.strip("/")
        for file in sorted(root.rglob("*")):
            if file.is_file():
                rel = file.relative_to(root).as_posix()
                self.add_file(f"{prefix.rstrip('/')}/{rel}", file.read_bytes())
        return self.url(prefix.rstrip("/") + "/")

    def replace_file(self, path: str, body: bytes | str) -> None:
        """Change a file's body: new ETag, and a Last-Modified strictly later than before."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self.state.lock:
            file = self.state.files[_key(path)]
            file.body = body
            file.etag = _etag(body)
            file.last_modified = max(int(time.time()), file.last_modified + 1)

    def add_route(self, path: str, handler: Handler) -> str:
        """Serve `path` with a custom handler (all methods); returns its URL."""
        with self.state.lock:
            self.state.files.pop(_key(path), None)
            self.state.routes[_key(path)] = handler
        return self.url(path)

    def remove(self, path: str) -> None:
        """Make `path` answer 404 from now on."""
        with self.state.lock:
            self.state.files.pop(_key(path), None)
            self.state.routes.pop(_key(path), None)

    # -- the request log ---------------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        with self.state.lock:
            return list(self.state.log)

    def requests_for(self, path: str, method: str | None = None) -> list[LoggedRequest]:
        key = _key(path)
        return [r for r in self.requests if r.path == key and method in (None, r.method)]

    def count(self, path: str, method: str | None = None) -> int:
        """How many requests reached `path` (any query string), optionally of one method."""
        return len(self.requests_for(path, method))

    def bytes_sent(self, path: str) -> int:
        """Body bytes sent for `path` over all requests (headers not counted)."""
        return sum(r.body_bytes for r in self.requests_for(path))

    def clear_log(self) -> None:
        with self.state.lock:
            self.state.log.clear()
