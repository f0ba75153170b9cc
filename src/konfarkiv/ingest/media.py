"""Local video and audio files read in pure Python: duration, title, chapters; captions.

One module for every local media file, whether added by hand (`konfarkiv add`) or
linked from a saved film page. mutagen reads MP4/M4A/MOV, MP3, Ogg (Vorbis, Opus,
FLAC), FLAC, WAV, AIFF and ASF (WMA/WMV); it has no Matroska reader, so WebM/MKV go to
enzyme, which reads the header elements (Info, Tracks, Chapters) through the SeekHead
without walking the clusters. No external program is needed (ffprobe was, once).
Anything neither reads, or that has no duration, is not a recording here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from konfarkiv.archive.model import mmss

CAPTION_SUFFIXES = (".vtt", ".srt")
MATROSKA_MAGIC = b"\x1a\x45\xdf\xa3"
READABLE = "MP4, M4A, MOV, WebM, MKV, MP3, Ogg, Opus, FLAC, WAV, AIFF, WMA/WMV"
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float
    title: str


@dataclass(frozen=True)
class MediaInfo:
    duration: float | None
    title: str | None
    chapters: tuple[Chapter, ...]
    format_name: str
    tool: str  # which reader, with its version, for the record
    probe: dict[str, Any] = field(repr=False, default_factory=dict)


def as_float(value: Any) -> float | None:
    """A number from a tool's JSON (yt-dlp), or None when there is none."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def probe_duration(path: Path) -> float | None:
    """The media file's duration in seconds, or None when it cannot be read."""
    info = probe_media(path) if path.is_file() else None
    return info.duration if info else None


def probe_media(path: Path) -> MediaInfo | None:
    """What the file says about itself, or None when it is not a video or audio file."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        return None
    info = _read_matroska(path) if magic == MATROSKA_MAGIC else _read_mutagen(path)
    return info if info is not None and info.duration else None


def _read_mutagen(path: Path) -> MediaInfo | None:
    import mutagen

    try:
        audio = mutagen.File(path, easy=True)  # None when no reader knows the file
    except (mutagen.MutagenError, OSError, ValueError, EOFError):
        return None
    if audio is None or audio.info is None:
        return None
    length = as_float(getattr(audio.info, "length", None))
    titles = (audio.tags or {}).get("title") if hasattr(audio.tags or {}, "get") else None
    title = str(titles[0]).strip() if titles else None
    marks = list(getattr(audio, "chapters", None) or [])  # MP4's Nero chapters
    chapters = tuple(
        Chapter(float(c.start), float(marks[i + 1].start) if i + 1 < len(marks)
                else float(length or c.start), str(c.title or f"Kapitel {i + 1}"))
        for i, c in enumerate(marks))
    name = type(audio).__name__.removeprefix("Easy").lower()  # "mp4", "mp3", "oggopus"
    return MediaInfo(duration=length, title=title or None, chapters=chapters,
                     format_name=name, tool=f"mutagen {version('mutagen')}",
                     probe={"format": name, "duration": length, "title": title,
                            "chapters": [[c.start, c.end, c.title] for c in chapters]})


def _seconds(value: Any) -> float:
    """enzyme gives timedeltas, but a chapter's end as raw nanoseconds."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value or 0) / 1e9


def _read_matroska(path: Path) -> MediaInfo | None:
    import enzyme
    from enzyme.exceptions import Error as EnzymeError

    try:
        with open(path, "rb") as fh:
            mkv = enzyme.MKV(fh)
    except (EnzymeError, OSError, ValueError, KeyError, IndexError, EOFError):
        return None
    if mkv.info is None or not (mkv.video_tracks or mkv.audio_tracks):
        return None
    length = _seconds(mkv.info.duration) if mkv.info.duration else None
    chapters = tuple(
        Chapter(_seconds(c.start), _seconds(c.end) if c.end else float(length or 0),
                str(c.string or f"Kapitel {i}"))
        for i, c in enumerate(mkv.chapters or [], 1) if not c.hidden and c.enabled)
    title = (mkv.info.title or "").strip() or None
    name = "webm" if path.suffix.lower() == ".webm" else "matroska"
    return MediaInfo(duration=length, title=title, chapters=chapters, format_name=name,
                     tool=f"enzyme {version('enzyme')}",
                     probe={"format": name, "duration": length, "title": title,
                            "video_tracks": len(mkv.video_tracks),
                            "audio_tracks": len(mkv.audio_tracks),
                            "chapters": [[c.start, c.end, c.title] for c in chapters]})


def sidecar_captions(media: Path) -> Path | None:
    """Captions saved next to the file: film.sv.vtt, film.vtt, film.srt, film.<lang>.srt.

    Swedish first, as everywhere in konfarkiv; then one with no language; then any.
    """
    candidates: list[tuple[int, str, Path]] = []
    for p in media.parent.glob(f"{glob_escape(media.stem)}.*"):
        if p == media or p.suffix.lower() not in CAPTION_SUFFIXES or not p.is_file():
            continue
        lang = caption_lang(p, media) or ""
        rank = 0 if lang.split("-")[0] in {"sv", "swe"} else 1 if not lang else 2
        candidates.append((rank, p.name, p))
    return min(candidates)[2] if candidates else None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def caption_lang(captions: Path, media: Path | None = None) -> str | None:
    """The language infix of film.sv.vtt ("sv"), or None when the name gives none."""
    stem = captions.stem  # "film.sv"
    if media is not None and stem == media.stem:
        return None
    _, dot, tail = stem.rpartition(".")
    return tail if dot and _LANG.match(tail) else None


def chapters_text(chapters: tuple[Chapter, ...]) -> str:
    """Chapters as searchable lines: "00:00 Inledning"."""
    return "\n".join(f"{mmss(c.start)} {c.title}" for c in chapters)
