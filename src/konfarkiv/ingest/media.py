"""Local video and audio files as ffprobe sees them: duration, title, chapters; captions.

One module for every local media file, whether added by hand (`konfarkiv add`) or
linked from a saved film page. ffprobe is asked once (-show_format -show_chapters
-show_streams). Still images and
other things ffprobe can open but nobody would call a recording (png_pipe, tty) are
not media here: a recording has an audio or video stream and a duration.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.model import mmss

PROBE_TIMEOUT = 60
DURATION_TIMEOUT = 30
CAPTION_SUFFIXES = (".vtt", ".srt")
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
    has_video: bool
    has_audio: bool
    format_name: str
    probe: dict[str, Any] = field(repr=False, default_factory=dict)


def ffprobe_version() -> str:
    """"ffprobe 5.1.9…" for the record of which tool read the file."""
    try:
        out = subprocess.run(["ffprobe", "-version"], capture_output=True, text=True,
                             timeout=PROBE_TIMEOUT, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "ffprobe"
    words = out.split()
    return f"ffprobe {words[2]}" if len(words) > 2 else "ffprobe"


def as_float(value: Any) -> float | None:
    """A number from a tool's JSON (ffprobe, yt-dlp), or None when there is none."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def probe_duration(path: Path) -> float | None:
    """The media file's duration in seconds by ffprobe, or None without it."""
    if not path.is_file() or shutil.which("ffprobe") is None:
        return None
    try:
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json",
             str(path)], capture_output=True, text=True, timeout=DURATION_TIMEOUT, check=False,
        )
        return as_float(json.loads(out.stdout or "{}").get("format", {}).get("duration"))
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError):
        return None


def probe_media(path: Path) -> MediaInfo | None:
    """What ffprobe says about path, or None when it is not a video or audio file."""
    if shutil.which("ffprobe") is None:
        raise ArchivistError("ffprobe is not installed; it reads video and audio files",
                             "install ffmpeg (apt-get install ffmpeg, brew install ffmpeg)")
    try:
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_format", "-show_chapters", "-show_streams",
             "-of", "json", str(path)],
            capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ArchivistError(f"{path}: ffprobe took longer than {PROBE_TIMEOUT} s") from exc
    except OSError as exc:
        raise ArchivistError(f"{path}: cannot run ffprobe: {exc}") from exc
    if out.returncode != 0:
        return None
    try:
        data = json.loads(out.stdout or "{}")
    except json.JSONDecodeError:
        return None
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    kinds = {s.get("codec_type") for s in streams
             if not (s.get("disposition") or {}).get("attached_pic")}
    duration = as_float(fmt.get("duration"))
    name = str(fmt.get("format_name") or "")
    if not kinds & {"video", "audio"} or not duration or name.endswith("_pipe") or name == "tty":
        return None
    tags = {str(k).lower(): v for k, v in (fmt.get("tags") or {}).items()}
    chapters = tuple(
        Chapter(as_float(c.get("start_time")) or 0.0, as_float(c.get("end_time")) or 0.0,
                str((c.get("tags") or {}).get("title") or f"Kapitel {i}"))
        for i, c in enumerate(data.get("chapters") or [], 1))
    return MediaInfo(duration=duration, title=(str(tags["title"]).strip() or None)
                     if tags.get("title") else None,
                     chapters=chapters, has_video="video" in kinds, has_audio="audio" in kinds,
                     format_name=name, probe=data)


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
