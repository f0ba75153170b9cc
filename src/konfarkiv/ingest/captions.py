"""WebVTT and SRT caption parsing into cues (start, end, text)."""

from __future__ import annotations

import html
import re

Cue = tuple[float, float, str]

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAGS = re.compile(r"<[^>]+>")


class CaptionError(ValueError):
    """The text is not a caption file we can read."""


def _seconds(h: str | None, m: str, s: str, frac: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _cue_text(lines: list[str]) -> str:
    text = " ".join(line.strip() for line in lines if line.strip())
    return html.unescape(_TAGS.sub("", text)).strip()


def _parse_blocks(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            m = _TIMING.match(line)
            if m:
                start = _seconds(*m.group(1, 2, 3, 4))
                end = _seconds(*m.group(5, 6, 7, 8))
                body = _cue_text(lines[i + 1:])
                if body:
                    cues.append((start, max(end, start), body))
                break
    return cues


def parse_webvtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file; NOTE/STYLE/REGION blocks and tags are skipped."""
    text = text.lstrip("\ufeff")
    if not text.startswith("WEBVTT"):
        raise CaptionError("not WebVTT (no WEBVTT header)")
    body = text.split("\n", 1)[1] if "\n" in text else ""
    return _parse_blocks(body)


def parse_srt(text: str) -> list[Cue]:
    cues = _parse_blocks(text.lstrip("\ufeff"))
    if not cues and text.strip():
        raise CaptionError("not SRT (no cue timings)")
    return cues


def parse_captions(text: str, hint: str = "") -> list[Cue]:
    """WebVTT or SRT, by header or by the file name/format hint."""
    if text.lstrip("\ufeff").startswith("WEBVTT") or hint.endswith("vtt"):
        return parse_webvtt(text)
    if hint.endswith("srt"):
        return parse_srt(text)
    raise CaptionError("not a WebVTT or SRT caption file")
