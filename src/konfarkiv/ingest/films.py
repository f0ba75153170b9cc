"""Film metadata and captions: yt-dlp for web films, our own reader for saved pages.

yt-dlp is imported lazily (its import costs about a second, and `search`
must never pay it). One YoutubeDL serves a whole run; no media is downloaded.
Captions are fetched at ingest time because their URLs go stale.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlparse

from bs4 import BeautifulSoup

from konfarkiv.archive.model import Playable
from konfarkiv.ingest.captions import CaptionError, Cue, read_captions
from konfarkiv.ingest.fetch import TEXT_MAX_BYTES, Fetcher, FetchError
from konfarkiv.ingest.media import as_float, probe_duration
from konfarkiv.ingest.policy import refusal

CAPTION_LANGS = ("sv", "sv-SE", "swe", "en", "en-US", "en-GB", "eng")
CAPTION_FORMATS = ("vtt", "srt")
#: Files a browser's <video>/<audio> plays, by yt-dlp's "ext" (HLS and DASH need a script).
BROWSER_MEDIA = {"mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm",
                 "ogv": "video/ogg", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/ogg",
                 "mp3": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/wav"}
#: Platforms that allow only their own player, by yt-dlp's extractor key: its embed address.
PLATFORM_PLAYERS = {"youtube": "https://www.youtube-nocookie.com/embed/{id}",
                    "vimeo": "https://player.vimeo.com/video/{id}",
                    "dailymotion": "https://www.dailymotion.com/embed/video/{id}"}


class FilmError(Exception):
    def __init__(self, url: str, reason: str, *, permanent: bool) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class FilmInfo:
    url: str
    title: str | None
    description: str | None
    duration: float | None
    webpage_url: str | None
    extractor: str | None
    tool: str
    info: dict[str, Any]
    captions: tuple[Cue, ...]
    caption_lang: str | None
    caption_bytes: bytes | None  # the caption file exactly as fetched (it is archived)
    caption_error: str | None = None
    playable: Playable = Playable()
    media_file: Path | None = None  # a saved page's film file on disk, kept in the store


def playable(info: dict[str, Any], page_url: str) -> Playable:
    """What a browser can play of a film yt-dlp read, without downloading it.

    A platform that allows only its own player gets that player; a page that embeds
    another page's player (yt-dlp followed it: its webpage_url is not the film's page)
    gets that player too, so its own controls and start parameter apply; otherwise the
    best file a <video> element plays directly. Streams (HLS, DASH) alone give nothing."""
    key = str(info.get("extractor_key") or info.get("extractor") or "").lower()
    template = PLATFORM_PLAYERS.get(key)
    if template and info.get("id"):
        return Playable(embed_url=template.format(id=quote(str(info["id"]), safe="")))
    landed = str(info.get("webpage_url") or "")
    if (landed.startswith(("http://", "https://"))
            and landed.split("#")[0] != page_url.split("#")[0]):
        return Playable(embed_url=landed)
    formats = [f for f in info.get("formats") or [] if isinstance(f, dict)]
    for f in [info, *reversed(formats)]:  # yt-dlp lists formats worst first
        url, ext = str(f.get("url") or ""), str(f.get("ext") or "").lower()
        direct = str(f.get("protocol") or "https").startswith("http")
        if ext in BROWSER_MEDIA and direct and url.startswith(("http://", "https://")):
            if f.get("vcodec") == "none" and f.get("acodec") == "none":
                continue
            return Playable(media_url=url, media_type=BROWSER_MEDIA[ext])
    return Playable()


def ytdlp_version() -> str:
    from importlib.metadata import version

    return version("yt-dlp")


def classify_ytdlp_error(message: str) -> tuple[str, bool]:
    """A short reason from a yt-dlp error message, and whether it is permanent."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", message).replace("ERROR: ", "").strip()
    first = text.splitlines()[0] if text else "unknown error"
    lower = first.lower()
    refused = re.search(r"\S+ refused: .*|redirect to \S+ refused: .*", first)
    if refused:
        return refused.group(0).split(" (caused by")[0], True
    if "unsupported url" in lower:
        return "no video found on the page (yt-dlp: unsupported URL)", True
    m = re.search(r"HTTP Error (\d{3})", first)
    if m:
        code = int(m.group(1))
        return f"HTTP {code}", code in {401, 403, 404, 410, 451}
    if "no video" in lower or "no media" in lower or "no suitable" in lower:
        return "no video found on the page", True
    if "timed out" in lower or "timeout" in lower:
        return "timed out", False
    if "private" in lower or "sign in" in lower or "login" in lower:
        return first[:200], True
    return first[:200], False


def pick_captions(info: dict[str, Any]) -> tuple[str, str, str] | None:
    """(language, format, url): Swedish first, then English, then automatic captions."""
    for key in ("subtitles", "automatic_captions"):
        tracks: dict[str, list[dict[str, Any]]] = info.get(key) or {}
        ordered = [lang for lang in CAPTION_LANGS if lang in tracks]
        ordered += [lang for lang in tracks if lang.split("-")[0] in {"sv", "en"}
                    and lang not in ordered]
        if key == "subtitles":
            ordered += [lang for lang in tracks if lang not in ordered]
        for lang in ordered:
            for fmt in CAPTION_FORMATS:
                for track in tracks[lang]:
                    if track.get("ext") == fmt and track.get("url"):
                        return lang, fmt, track["url"]
    return None


class FilmExtractor:
    """Gets a film's metadata and captions; one per run."""

    def __init__(self, fetcher: Fetcher, *, socket_timeout: float = 20.0) -> None:
        self.fetcher = fetcher
        self.socket_timeout = socket_timeout
        self._ydl: Any = None
        self._film = threading.local()  # the film page each worker thread extracts

    def _refusal(self, url: str) -> str | None:
        """Everything yt-dlp fetches for a film is a link found on the film's page."""
        page = getattr(self._film, "url", None)
        return refusal(url, page) if page else "refused: not fetched for a film"

    def _youtube_dl(self) -> Any:
        if self._ydl is None:
            from konfarkiv.ingest.ytdlp_net import policed_youtube_dl

            self._ydl = policed_youtube_dl(self._refusal, {
                "quiet": True,
                "no_warnings": True,
                "noprogress": True,
                "skip_download": True,
                "noplaylist": True,
                "socket_timeout": self.socket_timeout,
                "retries": 2,
                "extractor_retries": 1,
                "logger": _QuietLogger(),
                "http_headers": {"User-Agent": self.fetcher.session.headers["User-Agent"]},
            })
        return self._ydl

    def extract(self, url: str) -> FilmInfo:
        if urlparse(url).scheme == "file":
            return self.extract_local_page(_local_path(url))
        import yt_dlp

        ydl = self._youtube_dl()
        self._film.url = url
        try:
            info = ydl.extract_info(url, download=False)
        except yt_dlp.utils.DownloadError as exc:
            reason, permanent = classify_ytdlp_error(str(exc))
            raise FilmError(url, reason, permanent=permanent) from exc
        if info is None:
            raise FilmError(url, "no film found on the page", permanent=True)
        if info.get("_type") == "playlist":
            entries = [e for e in info.get("entries") or [] if e]
            if not entries:
                raise FilmError(url, "no video found on the page", permanent=True)
            info = entries[0]
        info = ydl.sanitize_info(info)
        chosen = pick_captions(info)
        cues: tuple[Cue, ...] = ()
        lang = caption_error = None
        caption_bytes: bytes | None = None
        if chosen:
            lang, fmt, cap_url = chosen
            why = refusal(cap_url, url)  # the track is a link found on a remote page
            try:
                if why:
                    raise CaptionError(why)
                caption_bytes = self.fetcher.get_small(cap_url)
                read = read_captions(caption_bytes, fmt)
                cues, caption_error = tuple(read.cues), _bad_cues(cap_url, read.problem())
            except FetchError as exc:
                caption_error = f"captions {cap_url}: {exc.reason}"
                caption_bytes = None
            except CaptionError as exc:
                caption_error = f"captions {cap_url}: {exc}"
                caption_bytes = None
        return FilmInfo(
            url=url,
            title=info.get("title"),
            description=info.get("description"),
            duration=as_float(info.get("duration")),
            webpage_url=info.get("webpage_url") or url,
            extractor=info.get("extractor_key") or info.get("extractor"),
            tool=f"yt-dlp {ytdlp_version()}",
            info=info,
            captions=cues,
            caption_lang=lang,
            caption_bytes=caption_bytes,
            caption_error=caption_error,
            playable=playable(info, url),
        )

    def extract_local_page(self, page: Path) -> FilmInfo:
        """A saved film page: read its <video> and <track> ourselves (yt-dlp reads no files)."""
        try:
            with self.fetcher.open_local(page, TEXT_MAX_BYTES) as fh:
                soup = BeautifulSoup(fh.read(), "html.parser")
        except FetchError as exc:
            raise FilmError(str(page), exc.reason, permanent=True) from exc
        except OSError as exc:
            raise FilmError(str(page), exc.strerror or str(exc), permanent=True) from exc
        base = page.as_uri()
        video = soup.find(["video", "audio"])
        if video is None:
            raise FilmError(str(page), "no video found on the page", permanent=True)
        sources = [_attr(video, "src")] + [_attr(s, "src") for s in video.find_all("source")]
        media = next((urljoin(base, s) for s in sources if s), None)
        if media and refusal(media, base):
            media = None  # only files inside the film page's folder are looked at
        duration = probe_duration(_local_path(media)) if media else None
        tracks: list[tuple[str, str]] = []
        for t in video.find_all("track"):
            src = _attr(t, "src")
            kind = _attr(t, "kind") if t.has_attr("kind") else "subtitles"
            if src and kind in {"subtitles", "captions"}:
                tracks.append((_attr(t, "srclang") or "und", urljoin(base, src)))
        tracks.sort(key=lambda lt: _lang_rank(lt[0]))
        cues: tuple[Cue, ...] = ()
        lang = caption_error = None
        caption_bytes: bytes | None = None
        if tracks:
            lang, track_url = tracks[0]
            try:
                why = refusal(track_url, base)
                if why:
                    raise CaptionError(why)
                with self.fetcher.open_local(_local_path(track_url), TEXT_MAX_BYTES) as fh:
                    caption_bytes = fh.read()
                read = read_captions(caption_bytes, track_url)
                cues, caption_error = tuple(read.cues), _bad_cues(track_url, read.problem())
            except FetchError as exc:
                caption_error = f"captions {track_url}: {exc.reason}"
                caption_bytes = None
            except (OSError, CaptionError) as exc:
                caption_error = f"captions {track_url}: {exc}"
                caption_bytes = None
        title = soup.title.get_text(strip=True) if soup.title else None
        h1 = soup.find("h1")
        heading = title or (h1.get_text(strip=True) if h1 else None)
        info = {"title": heading, "media_url": media,
                "duration": duration, "tracks": tracks, "webpage_url": base,
                "extractor": "konfarkiv-html5"}
        return FilmInfo(
            url=base, title=heading, description=None, duration=duration,
            webpage_url=base, extractor="konfarkiv-html5",
            tool="konfarkiv html5 reader",
            info=info, captions=cues, caption_lang=lang, caption_bytes=caption_bytes,
            caption_error=caption_error,
            media_file=_local_path(media) if media and duration else None,
        )


def _bad_cues(url: str, problem: str | None) -> str | None:
    """The film is kept with its good cues; the dropped ones are its recorded reason."""
    return f"captions {url}: {problem}" if problem else None


def _local_path(url: str) -> Path:
    """The file a file: URL names; its path is percent-encoded (spaces, å ä ö)."""
    return Path(unquote(urlparse(url).path))


def _lang_rank(lang: str) -> int:
    base = lang.split("-")[0].lower()
    return {"sv": 0, "swe": 0, "en": 1, "eng": 1}.get(base, 2)


class _QuietLogger:
    """yt-dlp's chatter stays out of the user's way; errors arrive as exceptions."""

    def debug(self, msg: str) -> None: ...
    def info(self, msg: str) -> None: ...
    def warning(self, msg: str) -> None: ...
    def error(self, msg: str) -> None: ...


def _attr(tag: Any, name: str) -> str | None:
    """An HTML attribute's value as text (None when absent or a list, like class)."""
    value = tag.get(name)
    return value if isinstance(value, str) else None
