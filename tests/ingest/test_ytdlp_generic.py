"""What yt-dlp's generic extractor makes of a film page on our real test server.

These pin the behaviour konfarkiv's film ingester relies on (yt-dlp 2026.x): an HTML5
<video> with a WebVTT <track> is extracted by the "html5" extractor, captions appear under
``info["subtitles"][srclang]`` as ``[{"url": absolute_vtt_url, "ext": "vtt"}]``, there is no
duration, nothing but the page is fetched, and failures surface as ``DownloadError`` whose
``exc_info[1]`` tells permanent from transient causes.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import yt_dlp
from support.media import film_page, webvtt
from support.server import TestServer
from yt_dlp.networking.exceptions import HTTPError, RequestError, TransportError
from yt_dlp.utils import DownloadError, UnsupportedError, YoutubeDLError

CUES = [
    (0.0, 4.0, "Välkomna till filmen."),
    (252.0, 259.5, "Vi pratar om hållbar stadsutveckling."),
]


class _Log:
    """Collects yt-dlp's messages; without a logger it prints ERROR lines even when quiet."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def debug(self, msg: str) -> None:
        pass

    def info(self, msg: str) -> None:
        pass

    def warning(self, msg: str) -> None:
        self.messages.append(msg)

    def error(self, msg: str) -> None:
        self.messages.append(msg)


def ydl_options(**extra: Any) -> dict[str, Any]:
    """The options konfarkiv needs: no download, no console noise, bounded waits."""
    return {
        "quiet": True,
        "no_warnings": True,
        "skip_download": True,
        "noplaylist": True,
        "socket_timeout": 1,
        "logger": _Log(),
        "http_headers": {"User-Agent": "konfarkiv-tests/0"},
        **extra,
    }


@pytest.fixture(scope="module")
def ydl() -> Iterator[yt_dlp.YoutubeDL]:
    """One YoutubeDL for the module, as the ingester keeps one per run (setup costs ~1 s)."""
    with yt_dlp.YoutubeDL(ydl_options()) as y:
        yield y


@pytest.fixture
def film(server: TestServer, tiny_video: bytes) -> str:
    server.add_file("/film/video.mp4", tiny_video)
    server.add_file("/film/hallbar.vtt", webvtt(CUES), content_type="text/vtt")
    page = film_page("Hållbar stadsutveckling", "video.mp4", "hallbar.vtt")
    return server.add_file("/film/hallbar.html", page)


def test_generic_extracts_film_page(ydl: yt_dlp.YoutubeDL, server: TestServer, film: str) -> None:
    info = ydl.sanitize_info(ydl.extract_info(film, download=False))
    assert info["_type"] == "video"
    assert info["extractor"] == "html5" and info["extractor_key"] == "HTML5MediaEmbed"
    assert info["title"] == "Hållbar stadsutveckling (1)"  # <title> (or og:title) + " (n)"
    assert info["id"] == "hallbar-1"
    assert info["webpage_url"] == film
    assert info["url"] == server.url("/film/video.mp4") and info["ext"] == "mp4"
    assert info["subtitles"] == {"sv": [{"url": server.url("/film/hallbar.vtt"), "ext": "vtt"}]}
    assert not info.get("automatic_captions")
    assert info.get("duration") is None  # nothing probes the media: use ffprobe if needed
    assert isinstance(info["timestamp"], int)  # taken from the page's Last-Modified header
    # Only the page was fetched, with our User-Agent; the video and captions were not.
    assert server.count("/film/hallbar.html") == 1
    assert server.count("/film/video.mp4") == 0 and server.count("/film/hallbar.vtt") == 0
    assert server.requests_for("/film/hallbar.html")[0].headers["User-Agent"] == "konfarkiv-tests/0"

    vtt = ydl.urlopen(info["subtitles"]["sv"][0]["url"]).read().decode("utf-8")
    assert "00:04:12.000 --> 00:04:19.500\nVi pratar om hållbar stadsutveckling." in vtt


def test_track_without_srclang_is_keyed_by_label(
    ydl: yt_dlp.YoutubeDL, server: TestServer, tiny_video: bytes
) -> None:
    server.add_file("/v.mp4", tiny_video)
    server.add_file("/a.vtt", webvtt(CUES), content_type="text/vtt")
    html = (
        '<title>T</title><video src="v.mp4">'
        '<track kind="captions" src="a.vtt" label="Svenska"></video>'
    )
    info = ydl.extract_info(server.add_file("/p.html", html), download=False)
    assert list(info["subtitles"]) == ["Svenska"]


def test_two_videos_make_a_playlist(
    ydl: yt_dlp.YoutubeDL, server: TestServer, tiny_video: bytes
) -> None:
    server.add_file("/v.mp4", tiny_video)
    html = '<title>Två</title><video src="v.mp4"></video><video src="v.mp4"></video>'
    info = ydl.extract_info(server.add_file("/two.html", html), download=False, process=False)
    assert info["_type"] == "playlist" and info["extractor"] == "generic"
    assert [e["title"] for e in info["entries"]] == ["Två (1)", "Två (2)"]


def test_404_is_download_error_with_http_status(ydl: yt_dlp.YoutubeDL, server: TestServer) -> None:
    with pytest.raises(DownloadError) as err:
        ydl.extract_info(server.url("/borta.html"), download=False)
    assert "Unable to download webpage: HTTP Error 404: Not Found" in err.value.msg
    cause = err.value.exc_info[1]
    assert isinstance(cause, HTTPError) and cause.status == 404


def test_page_without_video_is_unsupported(ydl: yt_dlp.YoutubeDL, server: TestServer) -> None:
    url = server.add_file(
        "/text.html", "<title>Ingen film</title><h1>Ingen film</h1><p>Bara text.</p>"
    )
    with pytest.raises(DownloadError) as err:
        ydl.extract_info(url, download=False)
    assert err.value.msg == f"ERROR: Unsupported URL: {url}"
    assert isinstance(err.value.exc_info[1], UnsupportedError)


def test_5xx_is_not_retried(server: TestServer) -> None:
    """Neither retries nor extractor_retries apply to the generic page fetch: retry yourself."""
    server.add_file("/busy.html", "<h1>fel</h1>", status=503, headers={"Retry-After": "1"})
    with yt_dlp.YoutubeDL(ydl_options(retries=3, extractor_retries=3)) as y:
        with pytest.raises(DownloadError) as err:
            y.extract_info(server.url("/busy.html"), download=False)
    cause = err.value.exc_info[1]
    assert isinstance(cause, HTTPError) and cause.status == 503
    assert server.count("/busy.html") == 1


def test_timeout_is_transport_error(server: TestServer) -> None:
    def hang(req: BaseHTTPRequestHandler) -> None:
        server.stopping.wait(10)

    url = server.add_route("/hang.html", hang)
    with warnings.catch_warnings():
        # yt-dlp's requests handler leaves the timed-out socket to the GC: collect it here.
        warnings.simplefilter("ignore", ResourceWarning)
        with yt_dlp.YoutubeDL(ydl_options()) as y, pytest.raises(DownloadError) as err:
            y.extract_info(url, download=False)
        message, cause = err.value.msg, err.value.exc_info[1]
        del err
        gc.collect()
    assert "Read timed out" in message
    assert isinstance(cause, TransportError)


def test_file_urls_raise_request_error_not_download_error(ydl: yt_dlp.YoutubeDL) -> None:
    """Local pages are refused outside DownloadError: catch YoutubeDLError, or don't pass them."""
    with pytest.raises(RequestError, match="file:// URLs are disabled") as err:
        ydl.extract_info("file:///nonexistent/film.html", download=False)
    assert not isinstance(err.value, DownloadError) and isinstance(err.value, YoutubeDLError)


def test_text_plain_is_taken_as_a_direct_video(ydl: yt_dlp.YoutubeDL, server: TestServer) -> None:
    """A surprise: a non-HTML response is not an error but a "direct" link of unknown type."""
    info = ydl.extract_info(server.add_file("/note.txt", "bara text"), download=False)
    assert info["extractor"] == "generic" and info["direct"] is True
    assert info["ext"] == "unknown_video"
