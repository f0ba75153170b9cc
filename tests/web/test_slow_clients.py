"""Issue 26 item 1: idle and slow-loris connections to `konfarkiv serve` do not lock others
out. Attacks are bounded (a few hundred sockets, under a minute) and on loopback only."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from support.cli import example_archive
from support.web import Served, start_serve

from konfarkiv.web.server import CONNECTION_LIMIT, REQUEST_SECONDS

ANSWER = 5.0  # seconds a browser's request may wait before the test calls it locked out


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    srv = start_serve(example_archive(tmp_path / "home"))
    try:
        yield srv
    finally:
        srv.stop()


def open_sockets(url: str, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    parts = urlsplit(url)
    socks = []
    for _ in range(count):
        s = socket.create_connection((parts.hostname, parts.port), timeout=5)
        if first_bytes:
            s.sendall(first_bytes)
        socks.append(s)
    return socks


def close_all(socks: list[socket.socket]) -> None:
    for s in socks:
        s.close()


def front_page_answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=ANSWER).status_code == 200
    except requests.RequestException:
        return False


def test_more_idle_connections_than_waitress_default_do_not_block(served: Served) -> None:
    idle = open_sockets(served.url, 150)  # waitress's default limit is 100
    try:
        assert front_page_answers(served.url)
    finally:
        close_all(idle)


def test_slow_loris_over_the_connection_limit_is_cut_off(served: Served) -> None:
    """More connections than the limit, each dripping a header byte every second: the ones
    waiting longest make room, so the front page answers at once, and each of them must
    finish its request within REQUEST_SECONDS anyway."""
    loris = open_sockets(served.url, CONNECTION_LIMIT + 20, b"GET / HTTP/1.1\r\nHost: x\r\n")
    try:
        for s in loris:
            try:
                s.send(b"X")
            except OSError:
                pass  # cut off: what should happen
        assert front_page_answers(served.url)
        time.sleep(REQUEST_SECONDS + 2)
        cut = 0
        for s in loris:
            try:
                s.send(b"X")
                s.settimeout(0.05)
                cut += s.recv(1) == b""
            except OSError:
                cut += 1
        assert cut == len(loris)  # every one was closed by the server
    finally:
        close_all(loris)
    assert not served.proc.poll()
