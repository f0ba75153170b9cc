"""A WebVTT reader that follows the W3C WebVTT parser algorithm (file parsing).

Why our own: the packages on PyPI read WebVTT with regular expressions over
blank-line blocks, which accepts what the standard rejects (``00:00:00.00``)
and rejects what it accepts (a cue right after another without a blank line, an
identifier holding ``-->``). The steps below are those of the standard, in its
order: the signature, the header block, then blocks that are cues, STYLE or
REGION definitions (only before the first cue) or nothing (NOTE, garbage); a
block whose timing line is malformed is dropped on its own.

Cue text is read by the standard's cue-text tokenizer: tags (<c>, <i>, <b>,
<u>, <v>, <lang>, <ruby>/<rt>), timestamp tags and character references; what
comes out is plain text, the voice (speaker) and the time of each word.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

#: ASCII whitespace as the standard means it (no vertical tab).
_WS = "\t\n\f\r "
MAX_HOURS = 999  # longer than any recording; more digits are damage, not a film


@dataclass(frozen=True)
class CueSettings:
    """A cue's settings (the standard's defaults where none or an invalid one is given)."""

    vertical: str = ""
    line: float | str = "auto"
    snap_to_lines: bool = True
    line_align: str = "start"
    position: float | str = "auto"
    position_align: str = "auto"
    size: float = 100.0
    align: str = "center"
    region: str | None = None


@dataclass(frozen=True)
class Region:
    id: str
    width: float = 100.0
    lines: int = 3
    region_anchor: tuple[float, float] = (0.0, 100.0)
    viewport_anchor: tuple[float, float] = (0.0, 100.0)
    scroll: str = ""


@dataclass(frozen=True)
class VttCue:
    id: str
    start: float
    end: float
    text: str  # the cue text as written (tags and references still in it)
    settings: CueSettings = CueSettings()


@dataclass
class VttFile:
    cues: list[VttCue] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    regions: dict[str, Region] = field(default_factory=dict)
    dropped: int = 0  # blocks with a timing line that is not a valid one
    example: str = ""  # the first dropped timing line


class NotWebVTT(ValueError):
    """The signature is missing: the standard says the whole file fails."""


def _preprocess(text: str) -> str:
    """NULs become U+FFFD; CRLF and lone CR become LF (the standard's input preprocessing)."""
    return text.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str) -> VttFile:
    """Parse a decoded WebVTT file (a leading BOM is ignored); NotWebVTT if no signature."""
    text = _preprocess(text[1:] if text.startswith("\ufeff") else text)
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\n"):
        raise NotWebVTT("not WebVTT (no WEBVTT header)")
    out = VttFile()
    pos = text.find("\n")
    if pos < 0:
        return out
    pos += 1
    if pos < len(text) and text[pos] != "\n":
        pos, _ = _collect_block(text, pos, in_header=True, seen_cue=False, out=out)
    seen_cue = False
    while True:
        while pos < len(text) and text[pos] == "\n":
            pos += 1
        if pos >= len(text):
            break
        pos, block = _collect_block(text, pos, in_header=False, seen_cue=seen_cue, out=out)
        if isinstance(block, VttCue):
            out.cues.append(block)
            seen_cue = True
        elif isinstance(block, Region) and not seen_cue:
            out.regions[block.id] = block
        elif isinstance(block, str) and not seen_cue:
            out.styles.append(block)
    return out


def _collect_block(text: str, pos: int, *, in_header: bool, seen_cue: bool,
                   out: VttFile) -> tuple[int, VttCue | Region | str | None]:
    """The standard's "collect a WebVTT block": returns the new position and the block."""
    line_count = 0
    previous = pos
    buffer = ""
    seen_arrow = False
    cue: VttCue | None = None
    kind = ""  # "style" | "region" once the first line names one
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        line_count += 1
        seen_eof = end < 0
        pos = len(text) if seen_eof else end + 1
        if "-->" in line:
            if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                seen_arrow = True
                previous = pos
                parsed = _timings_and_settings(line)
                if parsed is None:
                    cue = None
                    if not kind:
                        out.dropped += 1
                        out.example = out.example or line.strip()
                else:
                    cue = VttCue(buffer, parsed[0], parsed[1], "", parsed[2])
                    buffer = ""
                    seen_cue = True
            else:
                pos = previous
                break
        elif line == "":
            break
        else:
            if not in_header and line_count == 2 and not seen_cue and cue is None:
                if re.fullmatch(r"STYLE[ \t\n\f\r]*", buffer):
                    kind, buffer = "style", ""
                elif re.fullmatch(r"REGION[ \t\n\f\r]*", buffer):
                    kind, buffer = "region", ""
            if buffer:
                buffer += "\n"
            buffer += line
            previous = pos
        if seen_eof:
            break
    if cue is not None:
        return pos, VttCue(cue.id, cue.start, cue.end, buffer, cue.settings)
    if kind == "style":
        return pos, buffer
    if kind == "region":
        return pos, _region(buffer)
    return pos, None


#: The standard's "collect a WebVTT timestamp" succeeds on exactly these two shapes: hours
#: (any number of ASCII digits) with two-digit minutes and seconds, or two-digit minutes
#: (at most 59) and seconds; then "." and exactly three digits, no digit after them.
_WITH_HOURS = re.compile(r"([0-9]+):([0-9]{2}):([0-9]{2})\.([0-9]{3})(?![0-9])")
_WITHOUT_HOURS = re.compile(r"([0-9]{2}):([0-9]{2})\.([0-9]{3})(?![0-9])")


def _timestamp(line: str, i: int) -> tuple[float, int] | None:
    """The standard's "collect a WebVTT timestamp" at index i: (seconds, next index)."""
    m = _WITH_HOURS.match(line, i)
    if m:
        h, mm, ss, frac = m.groups()
    else:
        m = _WITHOUT_HOURS.match(line, i)
        if not m or int(m.group(1)) > 59:  # more than 59 would have been hours
            return None
        h, (mm, ss, frac) = "0", m.groups()
    if int(mm) > 59 or int(ss) > 59:
        return None
    if len(h.lstrip("0")) > len(str(MAX_HOURS)):
        return None  # hundreds of digits: damage, and a float could not hold it
    return int(h) * 3600 + int(mm) * 60 + int(ss) + int(frac) / 1000, m.end()


def timestamp(text: str) -> float | None:
    """A whole string that is one WebVTT timestamp, in seconds (else None)."""
    got = _timestamp(text, 0)
    return got[0] if got and got[1] == len(text) else None


def _split_ws(text: str) -> list[str]:
    """Split on ASCII whitespace only (str.split() would split on a vertical tab too)."""
    return [part for part in re.split(r"[\t\n\f\r ]+", text) if part]


def _skip_ws(line: str, i: int) -> int:
    while i < len(line) and line[i] in _WS:
        i += 1
    return i


def _timings_and_settings(line: str) -> tuple[float, float, CueSettings] | None:
    """The standard's "collect WebVTT cue timings and settings"; None on failure."""
    got = _timestamp(line, _skip_ws(line, 0))
    if got is None:
        return None
    start, i = got
    i = _skip_ws(line, i)
    if line[i:i + 3] != "-->":
        return None
    got = _timestamp(line, _skip_ws(line, i + 3))
    if got is None:
        return None
    end, i = got
    return start, end, _settings(line[i:])


_NO_SETTINGS = CueSettings()
_PERCENT = re.compile(r"\d+(?:\.\d+)?%")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _percentage(value: str) -> float | None:
    """A WebVTT percentage between 0 and 100, else None."""
    if not _PERCENT.fullmatch(value):
        return None
    number = float(value[:-1])
    return number if number <= 100 else None


def _settings(rest: str) -> CueSettings:
    """The standard's cue settings parsing: each bad setting is ignored alone."""
    s: dict[str, object] = {}
    if not rest.strip(_WS):
        return _NO_SETTINGS
    for setting in _split_ws(rest):
        name, colon, value = setting.partition(":")
        if not colon or not name or not value:
            continue
        if name == "region":
            s["region"] = value
        elif name == "vertical" and value in ("rl", "lr"):
            s["vertical"] = value
        elif name == "line":
            linepos, _, align = value.partition(",")
            if not re.fullmatch(r"[-0-9.%]+", linepos) or not re.search(r"\d", linepos):
                continue
            if linepos.endswith("%"):
                number = _percentage(linepos)
                if number is None:
                    continue
                s["line"], s["snap_to_lines"] = number, False
            elif _NUMBER.fullmatch(linepos):
                s["line"], s["snap_to_lines"] = float(linepos) + 0.0, True
            else:
                continue
            if align in ("start", "center", "end"):  # another alignment is ignored alone
                s["line_align"] = align
        elif name == "position":
            colpos, _, align = value.partition(",")
            number = _percentage(colpos)
            if number is None:
                continue
            s["position"] = number
            if align in ("line-left", "center", "line-right"):
                s["position_align"] = align
        elif name == "size":
            number = _percentage(value)
            if number is not None:
                s["size"] = number
        elif name == "align" and value in ("start", "center", "end", "left", "right"):
            s["align"] = value
    if s.get("vertical"):
        s.pop("region", None)  # a vertical cue is never in a region
    return CueSettings(**s)  # type: ignore[arg-type]


def _anchor(value: str) -> tuple[float, float] | None:
    x, comma, y = value.partition(",")
    px, py = _percentage(x), _percentage(y)
    return (px, py) if comma and px is not None and py is not None else None


def _region(buffer: str) -> Region:
    """The standard's "collect WebVTT region settings" (the last valid value wins)."""
    r: dict[str, object] = {"id": ""}
    for setting in _split_ws(buffer):
        name, colon, value = setting.partition(":")
        if not colon or not name or not value:
            continue
        if name == "id" and "-->" not in value:
            r["id"] = value
        elif name == "width" and _percentage(value) is not None:
            r["width"] = _percentage(value)
        elif name == "lines" and value.isascii() and value.isdigit():
            r["lines"] = int(value)
        elif name == "regionanchor" and _anchor(value):
            r["region_anchor"] = _anchor(value)
        elif name == "viewportanchor" and _anchor(value):
            r["viewport_anchor"] = _anchor(value)
        elif name == "scroll" and value == "up":
            r["scroll"] = "up"
    return Region(**r)  # type: ignore[arg-type]


# ---- cue text ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CueText:
    """A cue's text as plain text, with its voice and the time each word is spoken."""

    text: str
    voice: str | None
    #: One (seconds or None, word) per whitespace-separated word of ``text``; None
    #: where the text gives no time (before the first timestamp tag).
    words: tuple[tuple[float | None, str], ...]
    #: How many of those words each line of the cue holds, in order.
    line_words: tuple[int, ...] = ()


_TOKEN = re.compile(r"<([^>]*)>?")
#: Tags that change nothing a reader keeps (the common ones, skipped at once).
_PLAIN_TAGS = frozenset({"c", "/c", "i", "/i", "b", "/b", "u", "/u", "/v", "ruby", "/ruby",
                         "lang", "/lang"})


def cue_text(raw: str) -> CueText:
    """Read cue text the way the standard's cue-text parser does, keeping only what a
    reader sees: tags, class names, ruby annotations (<rt>) and timestamps are not text;
    character references are decoded; <v Name> names the voice."""
    pieces: list[tuple[float | None, str]] = []
    now: float | None = None
    voice: str | None = None
    in_rt = 0
    pos = 0
    for m in _TOKEN.finditer(raw) if "<" in raw else ():
        if m.start() > pos and not in_rt:
            pieces.append((now, raw[pos:m.start()]))
        pos = m.end()
        tag = m.group(1)
        if not tag or tag in _PLAIN_TAGS:
            continue
        if tag[0] == "/":
            name = tag[1:].split(".")[0].strip(_WS)
            if name == "rt" and in_rt:
                in_rt -= 1
            continue
        if "0" <= tag[0] <= "9":
            at = timestamp(tag)
            if at is not None:
                now = at
            continue
        head, _, annotation = tag.replace("\t", " ").replace("\n", " ").replace(
            "\f", " ").partition(" ")
        name = head.split(".")[0]
        if name == "rt":
            in_rt += 1
        elif name == "v" and voice is None:
            voice = html.unescape(" ".join(annotation.split())) or None
    if pos < len(raw) and not in_rt:
        pieces.append((now, raw[pos:]))
    words: list[tuple[float | None, str]] = []
    text_parts: list[str] = []
    for at, chunk in pieces:
        plain = html.unescape(chunk).replace("\xa0", " ") if "&" in chunk else chunk
        text_parts.append(plain)
        words.extend((at, word) for word in plain.split())
    full = "".join(text_parts)
    split = full.split()
    if [w for _, w in words] != split:  # a word ran across a tag: "dag<00:00:01.000>vatten"
        words = list(_align(split, words))
    return CueText(" ".join(split), voice, tuple(words),
                   tuple(len(line.split()) for line in full.split("\n")))


def _align(split: list[str], pieces: list[tuple[float | None, str]]
           ) -> tuple[tuple[float | None, str], ...]:
    """One (time, word) per word of the text: a word split by a timestamp tag keeps the
    time of its first part."""
    out: list[tuple[float | None, str]] = []
    i = 0
    for word in split:
        at = pieces[i][0] if i < len(pieces) else None
        have = ""
        while i < len(pieces) and len(have) < len(word):
            have += pieces[i][1]
            i += 1
        out.append((at, word))
    return tuple(out)
