"""Plain-text rendering of reports and results for the terminal."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from konfarkiv.archive.keys import hide_credentials
from konfarkiv.archive.model import mmss
from konfarkiv.archive.ref import ItemKind, Ref
from konfarkiv.search.snippets import Snippet, bold

if TYPE_CHECKING:  # type names only: importing ingest would slow `konfarkiv search`
    from pathlib import Path

    from konfarkiv.archive.backup import Restored, Snapshot
    from konfarkiv.archive.model import ParsedPage
    from konfarkiv.curate.bag import BagResult
    from konfarkiv.curate.edit import EditResult
    from konfarkiv.curate.export import ExportResult
    from konfarkiv.curate.remove import RemoveResult
    from konfarkiv.curate.verify import VerifyReport
    from konfarkiv.ingest.crawl import Discovery
    from konfarkiv.ingest.doubts import Doubt
    from konfarkiv.ingest.manual import AddResult
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
    return _UNSAFE.sub(_shown, hide_credentials(text))


def json_text(data: Any) -> str:
    """JSON with unsafe characters escaped (\\u202e), never raw: the data is kept whole."""
    text = hide_credentials(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


KIND_LABEL = {"event": "event", "session": "session", "slide": "slide", "film": "film",
              "caption": "film moment"}
#: Hits shown per session in text; --json has them all.
HITS_SHOWN = 3


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 event', '2 events'; `many` where adding an s is wrong ('1 match', '2 matches')."""
    return f"{n} {one if n == 1 else many or one + 's'}"


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
    lines += ocr_summary_lines(report.ocr_pages())
    lines.append(f"indexed: {report.indexed_docs} documents" if report.indexed_docs
                 else "index: nothing changed, nothing re-indexed")
    if report.failures:
        lines.append(f"failures ({len(report.failures)}):")
        lines.extend(f"  {r.line()}" for r in report.failures)
    for o in report.gone():
        lines.append(f"gone: {o['item']} ({o['reason']}); the archived copy is kept")
    lines.extend(f"note: {n}" for n in report.notes)
    if report.index_error:
        lines.append(f"index: {report.index_error}")
    return visible("\n".join(lines))


def ocr_summary_lines(ocr: dict[str, int]) -> list[str]:
    """Pages without a text layer: how many OCR read or failed, and how many wait (and how
    to have them read)."""
    from konfarkiv.ingest.ocr import ENABLE_HINT, find_engine

    lines = []
    if ocr.get("read") or ocr.get("failed"):
        failed = (f", failed on {ocr['failed']} (`konfarkiv show` says why)"
                  if ocr.get("failed") else "")
        lines.append(f"ocr: {ocr.get('read', 0)} pages without a text layer read{failed}")
    if ocr.get("waiting"):
        hint = ("run `konfarkiv ocr` to read them" if find_engine()[0] is not None
                else ENABLE_HINT)
        lines.append(f"ocr: {ocr['waiting']} pages without a text layer wait for OCR; {hint}")
    return lines


def ocr_run_text(report: Any) -> str:
    """`konfarkiv ocr`: files and pages read, what still waits, each failure."""
    lines = [f"ocr: {report.files} files, {report.read} pages read, {report.failed} failed, "
             f"{report.blank} blank, {report.waiting} still waiting ({report.engine})"]
    if report.waiting:
        lines.append("pages still waiting hit the file's time cap; run `konfarkiv ocr` again")
    lines.append(f"indexed: {report.indexed_docs} documents" if report.indexed_docs
                 else "index: nothing changed, nothing re-indexed")
    if report.failures:
        lines.append(f"failures ({len(report.failures)}):")
        lines += [f"  {f}" for f in report.failures]
    return visible("\n".join(lines))


_CHANGE_WORDS = {"new": "new", "changed": "new version of", "withdrawn": "withdrawn",
                 "gone": "gone:", "failed": "FAILED"}


def update_lines(report: RunReport) -> str:
    """`konfarkiv update`: one line per change (a new item, a new version, a withdrawn
    link, a page gone, a failure), per new doubt and per note; one line when nothing
    changed. The table of every outcome is in --json ("tally")."""
    lines = []
    for o in report.outcomes:
        word = _CHANGE_WORDS.get(o["outcome"])
        if word is None or (o["kind"] == "listings" and o["outcome"] != "failed"):
            continue
        kind = o["kind"].rstrip("s") if o["kind"] != "pdfs" else "PDF"
        line = f"{word} {kind} {o['item']}" if word != "gone:" else f"gone: page {o['item']}"
        if o["outcome"] == "gone":
            line += f" ({o['reason']}); the archived copy is kept"
        elif o["outcome"] in ("failed", "withdrawn") and o.get("reason"):
            line += f": {o['reason']}"
        lines.append(line)
    for e in report.events:
        lines.extend(f"doubt: {e['title']}: {d}" for d in e.get("doubts", []))
    lines.extend(f"note: {n}" for n in report.notes)
    if report.index_error:
        lines.append(f"index: {report.index_error}")
    if not lines:
        f = report.figures()
        lines.append(f"nothing changed: {plural(len(report.sources), 'source')} checked, "
                     f"{plural(f['requests'], 'request')}, "
                     f"{plural(f['not_modified'], 'item')} not modified")
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


_FIELDS_KNOWN = ", ".join(f"{f}:" for f in ("speaker", "org", "event", "year", "kind", "talare",
                                             "år", "evenemang", "typ"))
#: The library's query error codes (search.syntax.QueryError) in English, for the CLI.
QUERY_ERRORS: dict[str, str] = {
    "empty": "the query is empty",
    "too_long": "the query is too long ({chars} characters; at most {most}): "
                "search for a few words of it",
    "too_many_words": "the query has too many words ({words}; at most {most}): "
                      "search for a few of them",
    "no_words": "the query has no words to search for",
    "only_excludes": "the query only excludes (NOT …); add words to search for",
    "unknown_field": "unknown field '{field}:' in the query; known fields: " + _FIELDS_KNOWN,
    "needs_value": "'{field}:' needs a value, e.g. {field}:{example}",
    "too_deep": "the query nests parentheses too deeply (at most {most} levels): "
                "search for the words without them",
    "unbalanced_quotes": "unbalanced quotes in {query!r}: a phrase needs a closing \"",
    "unopened_parenthesis": "unbalanced parentheses in {query!r}: a ')' with no '(' before it",
    "unclosed_parentheses": "unbalanced parentheses in {query!r}: {open} '(' not closed",
    "prefix_too_short": "'{prefix}*' is too short for a prefix search: "
                        "type at least {least} letters",
    "unknown_kind": "unknown kind '{kind}': use kind:session, kind:slide or kind:film",
    "not_a_year": "year:{value} is not a year: use year:2019 or year:2018-2020",
    "not_a_year_range": "year:{value} is not a range of years",
    "only_common_words": "the query has only common words ({quoted}), which are not "
                         "indexed: add a word that says what to find",
    "unknown_filter": "unknown filter '{name}': use year, event, organiser, kind or speaker",
    "unknown_sort": "unknown order '{sort}': use relevance, newest or oldest",
    "prefix_too_broad": "'{prefix}*' matches more than {most} words: "
                        "type more letters before the *",
    "query_too_slow": "the search took longer than {seconds} s: use fewer words, "
                      "or whole words instead of prefixes",
}


def query_error_text(exc: Any) -> str:
    """A search.syntax.QueryError (code + parameters) as one English line."""
    params = dict(exc.params)
    if "words" in params and isinstance(params["words"], list):
        params["quoted"] = ", ".join(repr(w) for w in params["words"])
    template = QUERY_ERRORS.get(exc.code)
    if template is None:
        return f"the query cannot be searched ({exc})"
    return template.format(**params)


def speakers_line(speakers: list[dict[str, Any]]) -> str:
    out = []
    for s in speakers:
        extra = ", ".join(x for x in (s.get("role"), s.get("organisation")) if x)
        out.append(f"{s['name']} ({extra})" if extra else s["name"])
    return "; ".join(out)


def counted(total: int, verb: str = "") -> str:
    """The total as the library counts it (SearchResponse.counts): results, each a
    session or an event's own material; the web says the same in Swedish. With a verb
    ('match', 'hold'), the verb agrees: '1 result … matches', '2 results … match'."""
    text = "1 result (session or event)" if total == 1 else \
        f"{total} results (sessions and events)"
    if not verb:
        return text
    one = verb + ("es" if verb.endswith(("ch", "sh", "s", "x")) else "s")
    return f"{text} {one if total == 1 else verb}"


def past_the_end(resp: SearchResponse) -> str:
    """--page past the last page, as one line (the CLI's error)."""
    return visible(f"page {resp.page} is past the end: {counted(resp.total, 'match')} "
                   f"{resp.query!r} on {plural(resp.pages, 'page')} ({resp.limit} a page); "
                   f"try --page 1")


def search_results(resp: SearchResponse, *, color: bool) -> str:
    if not resp.results and resp.total:  # --page past the last page
        return past_the_end(resp)
    if not resp.results:
        msg = f"no results for {resp.query!r}"
        if resp.suggestion:
            msg += f"; did you mean {resp.suggestion!r}?"
        return visible(msg)
    where = f"page {resp.page} of {resp.pages}"
    if resp.partial:
        lines = [f"no session holds every word of {resp.query!r}; "
                 f"{counted(resp.total, 'hold')} some of them ({where})"]
        if resp.missing_words:
            lines.append("not found anywhere: " + ", ".join(resp.missing_words))
    elif resp.results_for:
        lines = [
            f"no results for {resp.query!r}; showing results for {resp.results_for!r}",
            f"{counted(resp.total, 'match')} {resp.results_for!r} ({where})",
        ]
    else:
        lines = [f"{counted(resp.total, 'match')} {resp.query!r} ({where})"]
        if resp.suggestion:
            lines.append(f"(did you mean {resp.suggestion!r}?)")
    for n, r in enumerate(resp.results, 1 + (resp.page - 1) * resp.limit):
        title = r.session["title"] or f"{r.event['title']} (the event and its own material)"
        lines.append("")
        ident = f"  [{Ref.session(r.session['id'])}]" if r.session.get("id") else ""
        lines.append(visible(f"{n}. {title}{ident}"))
        lines.append(visible(f"   event: {r.event['title']}" + (
            f" ({r.event['date']})" if r.event.get("date") else "")))
        if r.session["speakers"]:
            lines.append(visible(f"   speakers: {speakers_line(r.session['speakers'])}"))
        for h in r.hits[:HITS_SHOWN]:
            where = ""
            if h.kind == "slide":
                where = f", page {h.page}" + (" (OCR)" if h.source == "ocr" else "")
            elif h.kind == "caption" and h.start is not None:
                where = f" at {mmss(h.start)}"
            # visible() keeps the length, so the highlight offsets still fit
            snippet = Snippet(visible(h.snippet), tuple((a, b) for a, b in h.highlights))
            text = bold(snippet) if color else bold(snippet, "*", "*")
            lines.append(visible(f"   - {KIND_LABEL[h.kind]}: {h.title}{where}"
                                 + (f"  [{h.id}]" if h.ref.kind is ItemKind.MATERIAL else "")))
            if text:
                lines.append(f"     {text}")
            if h.url:
                lines.append(visible(f"     {h.url}"))
        if len(r.hits) > HITS_SHOWN:
            lines.append(f"   +{len(r.hits) - HITS_SHOWN} more in this session (--json lists all)")
    return "\n".join(lines)


EVENT_COLUMNS = ("id", "date", "title", "sessions", "pdfs", "films", "failures", "url")


def events_text(rows: list[dict[str, Any]]) -> str:
    """`konfarkiv events`: one line per event, its id first (what `show` and `open` take)."""
    if not rows:
        return "no events archived yet"
    lines = [f"{'id':>4}  {'date':<10}  {'sessions':>8} {'PDFs':>5} {'films':>5} "
             f"{'failed':>6}  title"]
    for r in rows:
        lines.append(visible(
            f"{r['id']:>4}  {r['date'] or '–':<10}  {r['sessions']:>8} {r['pdfs']:>5} "
            f"{r['films']:>5} {r['failures']:>6}  {r['title']}"))
    lines.append(f"{plural(len(rows), 'event')}; `konfarkiv show ID` shows one")
    return "\n".join(lines)


def table_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """Rows as CSV with a header row; extra keys are left out."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


HIT_COLUMNS = ("rank", "id", "kind", "event", "event_date", "session", "title", "page",
               "start", "url", "snippet", "score")


def hit_rows(resp: SearchResponse) -> list[dict[str, Any]]:
    """Every hit of this page of results as one flat row, for spreadsheets and scripts."""
    out = []
    for n, r in enumerate(resp.results, 1 + (resp.page - 1) * resp.limit):
        for h in r.hits:
            out.append({"rank": n, "id": h.id, "kind": h.kind, "event": r.event["title"],
                        "event_date": r.event.get("date"), "session": r.session["title"],
                        "title": h.title, "page": h.page, "start": h.start, "url": h.url,
                        "snippet": h.snippet, "score": h.score})
    return out


def hit_rows_text(resp: SearchResponse, fmt: str) -> str:
    """`search --csv` (a header row, then a row per hit) or `--jsonl` (a JSON line per hit)."""
    rows = hit_rows(resp)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return table_csv(rows, HIT_COLUMNS)


def use_color(stream: Any) -> bool:
    """Colour and bold only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    import os

    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


_EXIT_WORDS = {0: "all done", 1: "nothing could be done", 3: "some items failed"}


def _run_head(run: dict[str, Any]) -> str:
    if run["finished_at"] is None:
        return f"run {run['id']}: {run['command']}, started {run['started_at']}, " \
               "not finished (running, or interrupted)"
    return (f"run {run['id']}: {run['command']}, {run['started_at']}, "
            f"{run['duration'] or 0:.1f} s, exit {run['exit_status']} "
            f"({_EXIT_WORDS.get(run['exit_status'], 'ended')})")


def run_lines(run: dict[str, Any]) -> list[str]:
    """One run's record in full: what it asked, found, stored and indexed."""
    lines = [_run_head(run)]
    if run["finished_at"] is not None:
        lines.append(
            f"  {plural(run['requests'] or 0, 'request')}, "
            f"{run['not_modified'] or 0} not modified, "
            f"{run['new_items'] or 0} new, {run['changed'] or 0} changed, "
            f"{plural(run['new_versions'] or 0, 'new version')}, "
            f"{run['withdrawn'] or 0} withdrawn, "
            f"{run['gone'] or 0} gone, {run['failed'] or 0} failed")
        lines.append(f"  indexed {plural(run['indexed_docs'] or 0, 'document')}, "
                     f"{plural(run['index_errors'] or 0, 'index error')}"
                     + (f" ({run['index_error']})" if run.get("index_error") else ""))
    return lines


def _status_counts(status: dict[str, Any]) -> list[str]:
    """The archive's counts in words and sizes (the JSON keeps the keys): a known figure
    joins its kin (documents and their pages); any other key is spelt out."""
    def n(key: str) -> int:
        return int(status.get(key) or 0)

    lines = []
    if "home" in status:
        lines.append(f"archive: {status['home']}")
    if "archive_bytes" in status:
        lines.append(f"size on disk: {human_bytes(n('archive_bytes'))}")
    lines += [f"events: {n('events')}", f"sessions: {n('sessions')}",
              f"documents: {n('documents')}, {plural(n('pages'), 'page')}",
              f"films: {n('films')}, {plural(n('cues'), 'caption cue')}",
              f"stored files: {n('files')}, {human_bytes(n('stored_bytes'))}",
              f"failed items: {n('failures')}"]
    ocr = {k[4:]: n(k) for k in status if k.startswith("ocr_")}
    if ocr:
        lines.append("OCR: " + ", ".join(f"{v} {k}" for k, v in ocr.items()) + " pages")
    known = {"home", "archive_bytes", "events", "sessions", "documents", "pages", "films",
             "cues", "files", "stored_bytes", "failures", "last_run", "runs"}
    for key, value in status.items():
        if key in known or key.startswith("ocr_"):
            continue
        if key.endswith("_bytes"):
            lines.append(f"{key[:-6].replace('_', ' ')}: {human_bytes(int(value or 0))}")
        else:
            lines.append(f"{key.replace('_', ' ')}: {value}")
    return lines


def status_text(status: dict[str, Any]) -> str:
    """`konfarkiv status`: the counts, the last run in full, then the earlier runs."""
    lines = _status_counts(status)
    if status.get("ocr_waiting"):
        lines += ocr_summary_lines({"waiting": int(status["ocr_waiting"])})
    runs = status.get("runs") or []
    if not runs:
        lines.append("last run: none recorded yet (ingest and update are recorded)")
    else:
        lines.append("last " + run_lines(runs[0])[0])
        lines += run_lines(runs[0])[1:]
    if len(runs) > 1:
        lines.append("earlier runs:")
        lines += [f"  {_run_head(r)}" + (f": {r['failed'] or 0} failed, indexed "
                                          f"{r['indexed_docs'] or 0}" if r["finished_at"]
                                          else "") for r in runs[1:]]
    return visible("\n".join(lines))


# ---- show: an event, session or material with provenance ------------------------------

def _value(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(", ".join(x for x in (s.get("name"), s.get("organisation")) if x)
                         for s in v) or "(none)"
    return "(none)" if v in (None, "") else str(v)


def _hanging(label: str, text: str) -> str:
    """`label: text`, a text of several lines kept under its first (not at column 0)."""
    pad = "\n" + " " * len(label)
    return label + pad.join(line.strip() for line in text.splitlines() or [""])


def _field_lines(fields: dict[str, dict[str, Any]], indent: str) -> list[str]:
    lines = []
    for name, f in fields.items():
        text = _value(f["value"])
        if len(text) > 200:
            text = text[:197] + "…"
        line = f"{_hanging(f'{indent}{name}: ', text)}  [{f['source']}"
        if "by" in f:
            line += f" by {f['by']} {f['at']}"
        line += "]"
        lines.append(line)
        if "parsed" in f:
            lines.append(_hanging(f"{indent}  the page says: ", _value(f["parsed"])))
    return lines


def _file_line(label: str, b: dict[str, Any] | None) -> str:
    if b is None:
        return f"{label}: (no file)"
    missing = "" if b["present"] else "  MISSING FROM THE STORE"
    return f"{label}: sha256 {b['sha256']} {b['size']} bytes {b['content_type'] or ''}{missing}"


def _stone_lines(stones: list[dict[str, Any]], indent: str) -> list[str]:
    out = []
    for t in stones:
        what = "purged" if t["purged"] else "removed"
        line = f"{indent}{what} by {t['by']} {t['at']}: {t['reason'] or '(no reason given)'}"
        if t["undone_at"]:
            line += f" (undone by {t['undone_by']} {t['undone_at']})"
        out.append(line)
    return out


def _material_lines(m: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}{Ref.material(m['id'])} ({m['kind']}, {m['status']}, from "
             f"{'hand' if m['origin'] == 'manual' else 'the page'}): {m['label']}",
             f"{indent}  source: {m['url']}  fetched {m['fetched_at'] or 'never'}",
             f"{indent}  {_file_line('file', m['file'])}"]
    if m.get("error"):
        lines.append(f"{indent}  error: {m['error']}")
    for v in m.get("versions", []):
        lines.append(f"{indent}  version {v['fetched_at']}{' (current)' if v['current'] else ''}"
                     f": {v['outcome']}, {v['pages']} pages, {v['tool']}, sha256 "
                     f"{v['file']['sha256'] if v['file'] else '?'}")
        lines += _ocr_lines(v.get("ocr"), indent + "    ")
    film = m.get("film")
    if film:
        dur = mmss(film["duration"]) if film["duration"] else "?"
        lines.append(f"{indent}  film: {film['title'] or ''} ({dur}), {film['cues']} cues "
                     f"[{film['caption_lang'] or '?'}], {film['tool']}")
        if film["captions_file"]:
            lines.append(f"{indent}  {_file_line('captions', film['captions_file'])}")
        if film["metadata_file"]:
            lines.append(f"{indent}  {_file_line('metadata', film['metadata_file'])}")
    lines += _stone_lines(m["tombstones"], indent + "  ")
    return lines


def page_list(pages: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"."""
    out: list[str] = []
    for p in pages:
        if out and p == int(out[-1].rsplit("-", 1)[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


def _ocr_lines(ocr: dict[str, Any] | None, indent: str) -> list[str]:
    """Which pages of a PDF version are OCR text, and which still wait or failed."""
    if not ocr:
        return []
    lines = []
    if ocr["read"]:
        conf = f", mean confidence {ocr['confidence']:g}" if ocr["confidence"] is not None else ""
        lines.append(f"{indent}OCR text (no text layer) on page(s) {page_list(ocr['read'])}: "
                     f"{ocr['engine']} [{ocr['languages']}]{conf}")
    if ocr["empty"]:
        lines.append(f"{indent}OCR found no words on page(s) {page_list(ocr['empty'])}")
    if ocr["waiting"]:
        lines.append(f"{indent}waiting for OCR: page(s) {page_list(ocr['waiting'])} "
                     "(`konfarkiv ocr` reads them)")
    lines += [f"{indent}OCR failed on page {f['page']}: {f['reason']}" for f in ocr["failed"]]
    if ocr["blank"]:
        lines.append(f"{indent}blank page(s), nothing to read: {page_list(ocr['blank'])}")
    return lines


def _session_lines(s: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}{Ref.session(s['id'])} ({s['status']}, "
             f"{'added by hand' if s['origin'] == 'manual' else 'from the page'})"]
    lines += _field_lines(s["fields"], indent + "  ")
    lines += _stone_lines(s["tombstones"], indent + "  ")
    for m in s["materials"]:
        lines += _material_lines(m, indent + "  ")
    return lines


def show_text(record: dict[str, Any]) -> str:
    """The record for a terminal: hand-made values are marked, the page's value beside them."""
    kind = record["type"]
    if kind == "material":
        e = record["event"]
        return "\n".join([f"event {e['id']}: {e['title']}", *_material_lines(record, "")])
    if kind == "session":
        e = record["event"]
        return "\n".join([f"event {e['id']}: {e['title']} <{e['url']}>",
                          *_session_lines(record, "")])
    p = record["provenance"]
    lines = [f"event {record['id']} ({record['status']}, "
             f"{'added by hand' if record['origin'] == 'manual' else 'from the page'})",
             f"  source: {record['url']}", f"  fetched: {p['fetched_at'] or 'never'} "
             f"(first seen {p['first_seen']}, last seen {p['last_seen']})"]
    if p["page"]:
        lines.append(f"  {_file_line('page', p['page'])}")
    for v in p["versions"]:
        lines.append(f"  version {v['fetched_at']}: sha256 {v['file']['sha256']}")
    lines += _field_lines(record["fields"], "  ")
    lines += _stone_lines(record["tombstones"], "  ")
    for m in record["materials"]:
        lines += _material_lines(m, "  ")
    for s in record["sessions"]:
        lines += _session_lines(s, "  ")
    return "\n".join(lines)


# ---- ingest, update, sources -------------------------------------------------------------

_WORD = {"new": "ok", "changed": "ok", "unchanged": "same", "failed": "FAILED"}


def short_name(item: str, kind: str) -> str:
    """A PDF's or film's file name (presentation.pdf); a page keeps its whole address."""
    from urllib.parse import unquote, urlparse

    if kind in ("pages", "listings"):
        return item
    name = unquote(urlparse(item).path.rstrip("/").rsplit("/", 1)[-1])
    return name or item


def human_bytes(n: float | None, *, swedish: bool = False) -> str:
    """'3.4 MB' (the CLI), or '3,4\u00a0MB' for the web's Swedish pages; '512 B'."""
    size, unit = float(n or 0), "B"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            break
        size /= 1000
    if unit == "B":
        return f"{int(size)} B"
    number = f"{size:.1f}"
    return f"{number.replace('.', ',')}\u00a0{unit}" if swedish else f"{number} {unit}"


def _what(o: dict[str, Any]) -> str:
    """What an item gave: "12 pages", "9 cues", "6 sessions"; a failure's short cause."""
    d = o.get("detail") or {}
    if o["outcome"] == "failed":
        reason = o.get("reason") or ""
        return reason.split()[1] if reason.startswith("HTTP ") and len(reason.split()) > 1 \
            else ""
    for key in ("pages", "cues", "sessions"):
        if d.get(key) is not None:
            ocr = f" ({d['ocr_read']} by OCR)" if d.get("ocr_read") else ""
            return f"{d[key]} {key}{ocr}"
    return ""


def item_line(o: dict[str, Any]) -> str:
    """One item of a run, for stderr when it is not a terminal (or with -v):
    `ok  12 pages  presentation.pdf`, `FAILED  404  program.pdf  (HTTP 404 Not Found)`."""
    word = _WORD.get(o["outcome"], o["outcome"])
    parts = [word, _what(o), short_name(o["item"], o["kind"])]
    line = "  ".join(p for p in parts if p)
    if o.get("reason") and o["outcome"] != "unchanged":
        line += f"  ({o['reason']})"
    return visible(line)


def bar_status(failed: int, nbytes: int, item: str = "") -> str:
    """What follows the progress bar: items failed so far, bytes fetched, the latest item."""
    text = f"{failed} failed, {human_bytes(nbytes)}" + (f"  {item}" if item else "")
    return visible(text[:60])


def parsed_pages_text(pages: list[ParsedPage], doubts: list[list[Doubt]]) -> str:
    """`ingest --dry-run`: each parsed page in one line, then the parser's doubts about it."""
    lines = []
    for p, ds in zip(pages, doubts, strict=True):
        lines.append(f"{p.title}: {len(p.sessions)} sessions, {len(p.all_materials())} materials")
        lines.extend(f"  doubt: {d.reason}" for d in ds)
    return "\n".join(lines)


def discovered_text(found: list[Discovery]) -> str:
    """`ingest --follow --dry-run`: every page the listings lead to, one a line."""
    return "\n".join("\n".join(d.pages) for d in found)


def source_added_text(info: dict[str, Any]) -> str:
    verb = "added" if info["added"] else "already followed"
    return f"{verb}: {info['kind']} {info['url']}; `konfarkiv update` fetches it"


def sources_removed_text(n: int) -> str:
    return f"removed {n} source{'s' if n != 1 else ''}; the archive keeps what it has"


def sources_text(rows: list[dict[str, Any]]) -> str:
    """Every source with its state; pages found on a listing indented below it."""
    if not rows:
        return "no sources yet; add one with `konfarkiv sources add URL`"
    lines = []
    for r in rows:
        indent = "    " if r["via"] else ""
        extra = f", {r['found']} pages found" if r["kind"] == "listing" else ""
        line = f"{indent}{r['kind']} {r['url']} [{r['status']}{extra}]"
        if r["error"]:
            line += f" {r['error']} (attempts {r['attempts']}" + (
                f", next try {r['next_try']})" if r["next_try"] else ")")
        lines.append(line)
    return "\n".join(lines)


# ---- archivists' tools ---------------------------------------------------------------------

def added_text(result: AddResult) -> str:
    where = (f"session:{result.session_id} ({result.session_title})" if result.session_id
             else "the event")
    lines = [f"{result.status}: material:{result.material_id} ({result.kind}) "
             f"{result.label!r} in {where} of event {result.event_id} "
             f"({result.event_title}){' [new event]' if result.event_created else ''}"]
    details = ", ".join(f"{k} {v}" for k, v in result.detail.items() if v not in (None, ""))
    if details:
        lines.append(f"  {details}")
    return "\n".join(lines)


#: Fields whose value is free text: quoted in edit's before -> after (a date, a time and
#: speakers are shown bare, as `show` shows them).
_QUOTED_FIELDS = frozenset({"title", "description", "intro"})


def _edit_value(value: Any, field: str = "title") -> str:
    """A field's value in words: speakers as `Name (role, Organisation); …`, free text
    quoted (so its spaces and ends show), dates and times bare."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        return speakers_line(value)
    text = " ".join(str(value).split())
    if field not in _QUOTED_FIELDS:
        return text
    return f'"{text[:117]}…"' if len(text) > 120 else f'"{text}"'


def edited_text(result: EditResult) -> str:
    """`konfarkiv edit`: each field changed, before -> after, in words."""
    lines = [f"{result.kind} {result.id}: {'reset' if name in result.reset else 'set'} "
             f"{name}: {_edit_value(change['old'], name)} -> {_edit_value(change['new'], name)}"
             for name, change in result.changed.items()]
    return visible("\n".join(lines) if lines else f"{result.kind} {result.id}: nothing changed")


def removed_text(result: RemoveResult) -> str:
    line = f"{result.action}: {result.kind} {result.id} ({result.label})"
    if result.action == "purged":
        line += f"\n  deleted {len(result.deleted_files)} stored files"
    return line


def verify_progress_line(done: int, total: int, nbytes: int) -> str:
    return f"\rverified {done}/{total} files, {nbytes / 1e6:.1f} MB"


def verify_text(report: VerifyReport, catalog: Path) -> str:
    """The fixity audit: the catalog's damage, or the files checked and each problem."""
    if report.catalog_problem:
        return f"catalog {catalog}: damaged ({report.catalog_problem}); its files were not checked"
    lines = [f"checked {report.files_checked} files ({report.bytes_checked} bytes): "
             + ("intact" if report.intact else f"{len(report.problems)} problems")]
    lines += [f"  {p.line()}" for p in report.problems]
    if report.unreferenced:
        lines.append(f"  {len(report.unreferenced)} stored files are used by no catalog row "
                     "(harmless)")
    return "\n".join(lines)


def bag_text(bag: BagResult) -> str:
    return (f"bag {bag.path}: {plural(bag.events, 'event')}, {plural(bag.files, 'file')}, "
            f"{human_bytes(bag.bytes)}")


def exported_text(result: ExportResult, fmt: str, target: str) -> str:
    return (f"wrote {plural(result.records, fmt.upper() + ' record')} of "
            f"{plural(result.events, 'event')} to {target}")


def snapshots_text(found: list[Snapshot], folder: Path) -> str:
    if not found:
        return f"no snapshots in {folder}"
    return "\n".join(f"{s.name}  taken {s.taken}"
                     + (f" before {s.before}" if s.before else "")
                     + f"  {human_bytes(s.size)}" for s in found)


def restored_text(done: Restored) -> str:
    line = f"restored the catalog from {done.snapshot.name} (taken {done.snapshot.taken})"
    if done.kept_aside:
        line += f"\n  the replaced catalog is kept as {done.kept_aside}"
    return line
