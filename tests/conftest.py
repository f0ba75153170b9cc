"""Shared fixtures: a real HTTP server per test and the committed tiny video."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.server import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A started HTTP server on 127.0.0.1 (fresh per test, so logs and files never leak)."""
    srv = TestServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def tiny_video() -> bytes:
    """Bytes of one tiny 3-second H.264/AAC mp4 (tests/media/tiny.mp4, committed)."""
    from support.media import media_file

    return media_file("tiny.mp4").read_bytes()
