"""Caption files (WebVTT, SRT) into clean cues: plain text, speaker, word times.

The format and the encoding are read from the bytes, never from the file name:
a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32); UTF-16 without one
shows as NUL bytes in every other place; otherwise valid UTF-8 (or UTF-8 with a few
damaged bytes among many good letters) is UTF-8 and anything else is Windows-1252
(a superset of Latin-1's letters, what Swedish SRT files from Windows tools are in).
A ``WEBVTT`` signature means WebVTT, read by ``konfarkiv.ingest.webvtt`` (the W3C
parser algorithm); lines like ``00:00:01,000 --> 00:00:04,000`` mean SRT.

Automatic captions (YouTube's among them) *roll*: each cue repeats the line
before it and adds one with inline word times, and 10 ms "transition" cues hold
the finished line alone. ``derolled`` turns that into a transcript: each line of
speech once, each cue starting when its first new word is spoken.

A cue whose timing is impossible (minutes or seconds past 59, an hour of hundreds
of digits) is dropped and counted, never fatal: one bad cue must not cost the
film's other cues or stop a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from konfarkiv.archive.cues import CaptionCue
from konfarkiv.ingest import webvtt
from konfarkiv.ingest.webvtt import CueText, cue_text

Cue = CaptionCue
#: Which reader made a film's cues (films.caption_reader): `reindex` re-reads the
#: archived caption files of films read by an older one. NULL is the first reader.
CAPTION_READER = 2
TRANSITION_SECONDS = 0.05  # rolling captions' in-between cues last 10 ms
MAX_REPEATED_LINES = 4  # a rolling display repeats a line or two; more is not rolling
GROWING_LINE_CHARS = 120  # a line painted on word by word becomes one cue up to this long

_SRT_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}")
_SRT_BLANK = re.compile(r"\n[ \t]*\n")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")  # {\an8} position marks some SRT files carry
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


class CaptionError(ValueError):
    """The text is not a caption file we can read."""


@dataclass(frozen=True)
class Captions:
    cues: list[CaptionCue]
    dropped: int = 0  # cues with an impossible timing
    example: str = ""  # the first dropped timing, for the message
    rolling: bool = False  # rolling automatic captions, made into a transcript

    def problem(self) -> str | None:
        """The one-line reason recorded with the film when cues were dropped."""
        if not self.dropped:
            return None
        return (f"{self.dropped} bad caption cue{'s' if self.dropped != 1 else ''} dropped "
                f"(e.g. {self.example[:60]!r})")


def decode(data: bytes) -> str:
    """The text of a caption file, its encoding told by its bytes (see the module doc)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    head = data[:400]
    if len(head) >= 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd * 3 >= len(head[1::2]) and not even:
            return data.decode("utf-16-le", errors="replace")
        if even * 3 >= len(head[0::2]) and not odd:
            return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf8 = data.decode("utf-8", errors="replace")
    damaged = utf8.count("\ufffd")
    if sum(1 for ch in utf8 if ch > "\x7f") > 2 * damaged:
        return utf8  # UTF-8 with a few damaged bytes: its letters are more than the damage
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1")


def caption_type(data: bytes) -> str:
    """The media type an archived caption file is recorded with."""
    return "text/vtt" if decode(data[:64]).lstrip("\ufeff").startswith("WEBVTT") \
        else "application/x-subrip"


@dataclass(frozen=True)
class _Raw:
    """A cue as the file gives it, its text read (tags gone, words timed)."""

    start: float
    end: float
    read: CueText

    def timed_words(self) -> list[tuple[float, str]]:
        return [(self.start if at is None else at, w) for at, w in self.read.words]

    @cached_property
    def lines(self) -> list[list[str]]:
        """The words of each non-empty line (rolling captions repeat whole lines)."""
        words = [w for _, w in self.read.words]
        out, i = [], 0
        for n in self.read.line_words:
            if n:
                out.append(words[i:i + n])
            i += n
        return out


def _seconds(h: str | None, m: str, s: str, frac: str) -> float | None:
    """Seconds of an SRT time, or None when impossible (checked before any arithmetic)."""
    if (h is not None and len(h.lstrip("0")) > len(str(webvtt.MAX_HOURS))) \
            or int(m) > 59 or int(s) > 59:
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _srt(text: str) -> tuple[list[_Raw], int, str]:
    raws: list[_Raw] = []
    dropped, example = 0, ""
    text = text.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    for block in _SRT_BLANK.split(text):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            m = _SRT_TIMING.match(line)
            if not m:
                continue
            start, end = _seconds(*m.group(1, 2, 3, 4)), _seconds(*m.group(5, 6, 7, 8))
            if start is None or end is None:
                dropped += 1
                example = example or line.strip()
            else:
                body = _ASS_TAG.sub("", "\n".join(lines[i + 1:]))
                raws.append(_Raw(start, max(end, start), cue_text(body)))
            break
    return raws, dropped, example


def _vtt(text: str) -> tuple[list[_Raw], int, str]:
    try:
        parsed = webvtt.parse(text)
    except webvtt.NotWebVTT as exc:
        raise CaptionError(str(exc)) from exc
    raws = [_Raw(c.start, max(c.end, c.start), cue_text(c.text)) for c in parsed.cues]
    return raws, parsed.dropped, parsed.example


def read_captions(data: bytes | str, hint: str = "") -> Captions:
    """WebVTT or SRT, told by the content; the hint (a file name or format) only shapes
    the message when it is neither. Bad cues are counted; rolling captions cleaned."""
    text = decode(data) if isinstance(data, bytes) else data
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("WEBVTT"):
        raws, dropped, example = _vtt(stripped)
    elif any(_SRT_TIMING.match(line) for line in stripped.splitlines()):
        raws, dropped, example = _srt(stripped)
    elif hint.lower().endswith("vtt"):
        raise CaptionError("not WebVTT (no WEBVTT header)")
    elif hint.lower().endswith("srt"):
        if stripped.strip():
            raise CaptionError("not SRT (no cue timings)")
        return Captions([])
    else:
        raise CaptionError("not a WebVTT or SRT caption file")
    raws = [r for r in raws if r.read.words]
    rolling = is_rolling(raws)
    cues = derolled(raws) if rolling else [_plain(r) for r in raws]
    return Captions(cues, dropped, example, rolling)


def _plain(r: _Raw) -> CaptionCue:
    timed = any(at is not None for at, _ in r.read.words)
    starts = tuple(at for at, _ in r.timed_words()) if timed else ()
    return CaptionCue(r.start, r.end, r.read.text, r.read.voice, starts)


def _repeat(before: list[list[str]], now: list[list[str]]) -> int:
    """How many leading words of ``now`` repeat what was on screen ``before``: whole
    lines repeating its last lines, or all of it where a line grows word by word."""
    best = 0
    for j in range(1, min(len(before), len(now), MAX_REPEATED_LINES) + 1):
        if now[:j] == before[-j:]:
            best = sum(len(line) for line in now[:j])
    shown = [w for line in before for w in line]
    if shown and [w for line in now for w in line][:len(shown)] == shown:
        best = max(best, len(shown))
    return best


def _same_line(now: list[list[str]], repeated: int) -> bool:
    """Whether the first new word continues the line the repeated words end on."""
    count = 0
    for line in now:
        count += len(line)
        if count >= repeated:
            return count > repeated
    return False


def _is_transition(r: _Raw, before: list[list[str]]) -> bool:
    """A few-ms cue that only holds what was already on screen."""
    shown = {tuple(line) for line in before}
    return r.end - r.start <= TRANSITION_SECONDS and all(
        tuple(line) in shown for line in r.lines)


def is_rolling(raws: list[_Raw]) -> bool:
    """Rolling captions: most cues start by repeating the previous cue's last line(s)."""
    before: list[list[str]] = []
    cues = repeats = transitions = 0
    for r in raws:
        if before and _is_transition(r, before):
            transitions += 1
            continue
        now = r.lines
        cues += 1
        if before and _repeat(before, now):
            repeats += 1
        before = now
    return repeats >= 2 and repeats * 2 >= cues - 1


def derolled(raws: list[_Raw]) -> list[CaptionCue]:
    """Rolling cues as a transcript: new words only, each cue from its first new word
    until the next one begins (no overlaps), word times kept."""
    pending: list[tuple[list[tuple[float, str]], str | None, float]] = []
    before: list[list[str]] = []
    for r in raws:
        if before and _is_transition(r, before):
            continue
        now = r.lines
        repeated = _repeat(before, now) if before else 0
        new = r.timed_words()[repeated:]
        before = now
        if not new:
            continue
        last = pending[-1] if pending else None
        if last and repeated and _same_line(now, repeated) \
                and sum(len(w) + 1 for _, w in last[0]) < GROWING_LINE_CHARS:
            pending[-1] = (last[0] + new, last[1], r.end)  # a line growing word by word
        else:
            pending.append((new, r.read.voice, r.end))
    cues: list[CaptionCue] = []
    for i, (words, voice, end) in enumerate(pending):
        start = words[0][0]
        following = pending[i + 1][0][0][0] if i + 1 < len(pending) else end
        starts = tuple(max(at, start) for at, _ in words)
        cues.append(CaptionCue(start, max(start, min(end, following)),
                               " ".join(w for _, w in words), voice, starts))
    return cues


def parse_webvtt(text: str) -> list[CaptionCue]:
    """Cues of a WebVTT file; NOTE/STYLE/REGION blocks and tags are skipped."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise CaptionError("not WebVTT (no WEBVTT header)")
    return read_captions(text, "vtt").cues


def parse_srt(text: str) -> list[CaptionCue]:
    return read_captions(text, "srt").cues


def parse_captions(data: bytes | str, hint: str = "") -> list[CaptionCue]:
    """The good cues of WebVTT or SRT (see read_captions for the count of bad ones)."""
    return read_captions(data, hint).cues
