"""Shared fixtures: a real HTTP server per test and one generated video per session."""

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
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Bytes of one tiny 3-second mp4, made once per session (ffmpeg is slowish to start)."""
    from support.media import make_video

    return make_video(tmp_path_factory.mktemp("media") / "tiny.mp4", seconds=3).read_bytes()
