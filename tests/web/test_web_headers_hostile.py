"""Issue 26, minor list (web): a CSP on every response (JSON, files, errors too), a Host
header that names no host is a 400 (not a 500 with tracebacks), and a 503 never shows the
archive's absolute path."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.cli import example_archive
from support.web import start_serve

from konfarkiv.web.app import create_app


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_archive(tmp_path_factory.mktemp("headers") / "home")


def test_every_response_has_a_csp(home: Path) -> None:
    client = create_app(home).test_client()
    for path in ("/", "/api/events", "/api/status", "/pdf/1", "/nope", "/api/nope",
                 "/api/search?q=", "/events/99999"):
        answer = client.get(path)
        csp = answer.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path


def test_a_host_that_is_no_host_name_is_a_400(home: Path) -> None:
    site = start_serve(home)
    try:
        parts = urlsplit(site.url)
        for host in ("a" * 64 + ".skr.se", "ex ample", "x" * 300):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            conn.putrequest("GET", "/", skip_host=True)
            conn.putheader("Host", host)
            conn.endheaders()
            answer = conn.getresponse()
            assert answer.status == 400, host[:20]
            assert answer.getheader("Content-Security-Policy")
            conn.close()
    finally:
        log = site.stop()
    assert "Traceback" not in log


def test_a_503_does_not_show_the_archive_path(tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    home.mkdir()
    (home / "catalog.sqlite").write_bytes(b"not a database, " * 512)
    answer = create_app(home).test_client().get("/")
    assert answer.status_code == 503
    assert str(tmp_path) not in answer.get_data(as_text=True)


def test_the_servers_own_error_answers_have_a_csp(home: Path) -> None:
    """A request waitress itself refuses (a malformed request line) never reaches Flask."""
    site = start_serve(home)
    try:
        parts = urlsplit(site.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
            head = s.recv(65536).decode("latin-1")
        assert head.startswith("HTTP/1.1 400")
        assert "Content-Security-Policy: default-src 'none'" in head
    finally:
        site.stop()
