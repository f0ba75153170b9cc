"""Tiny real films for tests: committed media fixtures, WebVTT captions, an HTML5 film page.

The fixtures are files in tests/media, made once; no test needs ffmpeg.
"""

from __future__ import annotations

import html
from pathlib import Path

LANG_LABELS = {"sv": "Svenska", "en": "English"}
MEDIA = Path(__file__).resolve().parents[1] / "media"


def media_file(name: str) -> Path:
    """A committed media fixture from tests/media (see its README for how each was made)."""
    path = MEDIA / name
    if not path.is_file():
        raise FileNotFoundError(f"no media fixture {name!r} in {MEDIA}")
    return path


def _timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def webvtt(cues: list[tuple[float, float, str]]) -> str:
    """A WebVTT document from (start, end, text) cues, times in seconds."""
    parts = ["WEBVTT", ""]
    for n, (start, end, text) in enumerate(cues, 1):
        parts += [str(n), f"{_timestamp(start)} --> {_timestamp(end)}", text.strip(), ""]
    return "\n".join(parts)


def film_page(title: str, video_src: str, track_src: str, lang: str = "sv") -> str:
    """An HTML page with one HTML5 <video> and a captions <track>, as a film host might serve."""
    t = html.escape(title)
    label = LANG_LABELS.get(lang, lang)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<title>{t}</title>
</head>
<body>
<h1>{t}</h1>
<video controls width="640" preload="metadata">
  <source src="{html.escape(video_src)}" type="video/mp4">
  <track kind="captions" src="{html.escape(track_src)}" srclang="{html.escape(lang)}" \
label="{html.escape(label)}" default>
</video>
</body>
</html>
"""
