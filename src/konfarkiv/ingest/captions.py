"""WebVTT and SRT caption parsing into cues (start, end, text).

A cue whose timing is impossible (minutes or seconds past 59, an hour of hundreds
of digits, which overflows a float) is dropped and counted, never fatal: one bad
cue must not cost the film's other cues or stop a run.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

Cue = tuple[float, float, str]
MAX_HOURS = 999  # longer than any recording; more digits are damage, not a film

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAGS = re.compile(r"<[^>]+>")


class CaptionError(ValueError):
    """The text is not a caption file we can read."""


@dataclass(frozen=True)
class Captions:
    cues: list[Cue]
    dropped: int = 0  # cues with an impossible timing
    example: str = ""  # the first dropped timing, for the message

    def problem(self) -> str | None:
        """The one-line reason recorded with the film when cues were dropped."""
        if not self.dropped:
            return None
        return (f"{self.dropped} bad caption cue{'s' if self.dropped != 1 else ''} dropped "
                f"(e.g. {self.example[:60]!r})")


def _seconds(h: str | None, m: str, s: str, frac: str) -> float | None:
    """Seconds of a cue time, or None when impossible (checked before any arithmetic)."""
    if (h is not None and len(h) > len(str(MAX_HOURS))) or int(m) > 59 or int(s) > 59:
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _cue_text(lines: list[str]) -> str:
    text = " ".join(line.strip() for line in lines if line.strip())
    return html.unescape(_TAGS.sub("", text)).strip()


def _parse_blocks(text: str) -> Captions:
    cues: list[Cue] = []
    dropped, example = 0, ""
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            m = _TIMING.match(line)
            if m:
                start = _seconds(*m.group(1, 2, 3, 4))
                end = _seconds(*m.group(5, 6, 7, 8))
                body = _cue_text(lines[i + 1:])
                if start is None or end is None:
                    dropped += 1
                    example = example or line.strip()
                elif body:
                    cues.append((start, max(end, start), body))
                break
    return Captions(cues, dropped, example)


def read_captions(text: str, hint: str = "") -> Captions:
    """WebVTT or SRT, by header or by the file name/format hint; bad cues counted."""
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("WEBVTT") or hint.endswith("vtt"):
        if not stripped.startswith("WEBVTT"):
            raise CaptionError("not WebVTT (no WEBVTT header)")
        return _parse_blocks(stripped.split("\n", 1)[1] if "\n" in stripped else "")
    if hint.endswith("srt"):
        read = _parse_blocks(stripped)
        if not read.cues and not read.dropped and text.strip():
            raise CaptionError("not SRT (no cue timings)")
        return read
    raise CaptionError("not a WebVTT or SRT caption file")


def parse_webvtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file; NOTE/STYLE/REGION blocks and tags are skipped."""
    text = text.lstrip("\ufeff")
    if not text.startswith("WEBVTT"):
        raise CaptionError("not WebVTT (no WEBVTT header)")
    return read_captions(text, "vtt").cues


def parse_srt(text: str) -> list[Cue]:
    return read_captions(text, "srt").cues


def parse_captions(text: str, hint: str = "") -> list[Cue]:
    """The good cues of WebVTT or SRT (see read_captions for the count of bad ones)."""
    return read_captions(text, hint).cues
