"""Plain-text rendering of reports and results for the terminal."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from konfarkiv.archive.model import mmss
from konfarkiv.search.snippets import Snippet, bold

if TYPE_CHECKING:  # type names only: importing ingest would slow `konfarkiv search`
    from konfarkiv.ingest.report import RunReport
    from konfarkiv.search.query import SearchResponse

# What a page's text may not send raw to a terminal: C0 controls but tab and newline
# (ESC starts terminal commands, BEL rings, CR overwrites a line), DEL, C1 controls, and
# the invisible format characters that reorder or hide text (bidi overrides and isolates
# such as U+202E, zero-width characters, line/paragraph separators, BOM, tag characters).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f"
                     "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
                     "\U000e0000-\U000e007f]")


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """Text for a terminal: each unsafe character becomes one visible character (a
    control picture such as ␀ or ␛, else �), so offsets into the text stay right."""
    return _UNSAFE.sub(_shown, text)


def json_text(data: Any) -> str:
    """JSON with unsafe characters escaped (\\u202e), never raw: the data is kept whole."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


KIND_LABEL = {"event": "event", "session": "session", "slide": "slide", "film": "film",
              "caption": "film moment"}
#: Hits shown per session in text; --json has them all.
HITS_SHOWN = 3


def run_summary(report: RunReport) -> str:
    """Events, a table of outcomes per kind of item, then the failures with reasons."""
    from konfarkiv.ingest.report import OUTCOMES

    lines = []
    for e in report.events:
        lines.append(f"event: {e['title']} ({e['sessions']} sessions)")
        lines.extend(f"  doubt: {d}" for d in e.get("doubts", []))
    tally = report.tally()
    if tally:
        lines.append(f"{'':<9}" + "".join(f"{o:>10}" for o in OUTCOMES))
        lines += [f"{kind:<9}" + "".join(f"{counts[o]:>10}" for o in OUTCOMES)
                  for kind, counts in tally.items()]
    lines.append(f"indexed: {report.indexed_docs} documents" if report.indexed_docs
                 else "index: nothing changed, nothing re-indexed")
    if report.failures:
        lines.append(f"failures ({len(report.failures)}):")
        lines.extend(f"  {r.line()}" for r in report.failures)
    if report.index_error:
        lines.append(f"index: {report.index_error}")
    return visible("\n".join(lines))


def review_text(events: list[dict[str, Any]]) -> str:
    """`konfarkiv review`: each event, then its doubts, each with its fixing command."""
    if not events:
        return "nothing to review: the parser had no doubts left open"
    lines = []
    for e in events:
        lines.append(f"event {e['id']}: {e['title']}  <{e['url']}>")
        for d in e["doubts"]:
            lines.append(f"  - {d['reason']}")
            lines.append(f"    fix: {d['fix']}")
    return "\n".join(lines)


def speakers_line(speakers: list[dict[str, Any]]) -> str:
    out = []
    for s in speakers:
        extra = ", ".join(x for x in (s.get("role"), s.get("organisation")) if x)
        out.append(f"{s['name']} ({extra})" if extra else s["name"])
    return "; ".join(out)


def search_results(resp: SearchResponse, *, color: bool) -> str:
    if not resp.results:
        msg = f"no results for {resp.query!r}"
        if resp.suggestion:
            msg += f"; did you mean {resp.suggestion!r}?"
        return visible(msg)
    where = f"page {resp.page} of {resp.pages}"
    if resp.partial:
        lines = [f"no session holds every word of {resp.query!r}; "
                 f"{resp.total} sessions hold some of them ({where})"]
        if resp.missing_words:
            lines.append("not found anywhere: " + ", ".join(resp.missing_words))
    elif resp.results_for:
        lines = [
            f"no results for {resp.query!r}; showing results for {resp.results_for!r}",
            f"{resp.total} sessions match {resp.results_for!r} ({where})",
        ]
    else:
        lines = [f"{resp.total} sessions match {resp.query!r} ({where})"]
        if resp.suggestion:
            lines.append(f"(did you mean {resp.suggestion!r}?)")
    for n, r in enumerate(resp.results, 1 + (resp.page - 1) * resp.limit):
        title = r.session["title"] or f"{r.event['title']} (the event and its own material)"
        lines.append("")
        lines.append(visible(f"{n}. {title}"))
        lines.append(visible(f"   event: {r.event['title']}" + (
            f" ({r.event['date']})" if r.event.get("date") else "")))
        if r.session["speakers"]:
            lines.append(visible(f"   speakers: {speakers_line(r.session['speakers'])}"))
        for h in r.hits[:HITS_SHOWN]:
            where = ""
            if h.kind == "slide":
                where = f", page {h.page}"
            elif h.kind == "caption" and h.start is not None:
                where = f" at {mmss(h.start)}"
            # visible() keeps the length, so the highlight offsets still fit
            snippet = Snippet(visible(h.snippet), tuple(tuple(x) for x in h.highlights))
            text = bold(snippet) if color else bold(snippet, "*", "*")
            lines.append(visible(f"   - {KIND_LABEL[h.kind]}: {h.title}{where}"))
            if text:
                lines.append(f"     {text}")
            if h.url:
                lines.append(visible(f"     {h.url}"))
        if len(r.hits) > HITS_SHOWN:
            lines.append(f"   +{len(r.hits) - HITS_SHOWN} more in this session (--json lists all)")
    return "\n".join(lines)


def status_text(status: dict[str, Any]) -> str:
    return visible("\n".join(f"{k}: {v}" for k, v in status.items()))
