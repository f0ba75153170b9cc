"""Tiny real films for tests: an mp4 made by ffmpeg, WebVTT captions and an HTML5 film page."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

LANG_LABELS = {"sv": "Svenska", "en": "English"}


def make_video(path: str | Path, seconds: int = 3) -> Path:
    """Write a tiny H.264/AAC mp4 (64x48, 1 fps, quiet sine) of `seconds` to `path`.

    Real bytes let ffprobe and yt-dlp see a real file; at this size it stays well under 30 kB.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is not installed (apt-get install -y ffmpeg)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=1:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=8000:duration={seconds}",
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "veryslow", "-crf", "40", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "8k", "-ac", "1",
        "-af", "volume=0.1", "-map_metadata", "-1", "-movflags", "+faststart",
        "-shortest", str(path),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
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
