"""Recall@10 and MRR of konfarkiv's search on the 49 real pages of the development corpus.

Starts the corpus's own server (``serve.py`` in the pages folder) on 127.0.0.1,
ingests every page into a temporary archive with the library (as ``konfarkiv
ingest`` does), then runs the hand-written queries of
``benchmarks/relevance/real_queries.json``: what a municipal environmental
strategist or planner would type. Their targets were read from the pages.

A target is a session (page id + title as the page gives it) or an event
(page id): a session is found when a result of that page's event has a title
whose key (casefolded, time slot and enumerator removed, as the pages scorer
does) has a ``difflib`` ratio >= 0.85 with the target's; an event is found by
any result from that page's event. Recall@10 counts targets found in the first
ten results; MRR is 1/rank of the first result holding a target; S@3 the share of queries
with a target in the first three.

The parser decides which sessions exist, so a missed session target is either
an *engine* miss (the archive holds the session, search did not rank it in the
top ten) or *not parsed* (no session of that page has that title). Both are
counted; "R@10 parsed" leaves the not-parsed targets out.

Usage: ``python benchmarks/relevance_real.py [--pages DIR] [--verbose]``; the
folder defaults to ``$KONFARKIV_PAGES``, else ``../shared/pages`` next to the
repository. Without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).resolve().parent / "relevance" / "real_queries.json"
TOP = 10
#: The question-form kinds (issue 20): "hur kan kommunen …", "vad sa … om …",
#: "finns det något om …"; the table adds a line over them together.
QUESTION_KINDS = ("how", "said", "anything")
SAME_TITLE = 0.85
PAGE_ID = re.compile(r"/pages/(\d{3})-")


def title_key(title: str | None) -> str:
    """The pages scorer's key: casefolded, spaces folded, no time slot or enumerator."""
    t = unicodedata.normalize("NFC", title or "").casefold()
    t = re.sub(r"\s+", " ", t).strip(" .:")
    t = re.sub(r"^\d{1,2}[.:]\d{2}\s*([-–]\s*\d{1,2}[.:]\d{2})?\s*", "", t)
    return re.sub(r"^([a-z]\d?|\d+[a-z]?|\d+\.\d+)[.)]?\s+", "", t)


def same_title(a: str | None, b: str | None) -> bool:
    ka, kb = title_key(a), title_key(b)
    return bool(ka) and (ka == kb or difflib.SequenceMatcher(None, ka, kb).ratio() >= SAME_TITLE)


def page_of(url: str | None) -> str | None:
    m = PAGE_ID.search(url or "")
    return m.group(1) if m else None


class CorpusServer:
    """The corpus's own serve.py in a child process, on a free port of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(folder / "serve.py"), "--port", "0", "--host", "127.0.0.1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.strip().isdigit():
            self.stop()
            sys.exit(f"serve.py did not start (it printed {line!r})")
        self.base = f"http://127.0.0.1:{line.strip()}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def ingest_pages(home: Path, urls: list[str]) -> tuple[Any, list[str], float]:
    from konfarkiv.app import write
    from konfarkiv.archive.archive import Archive
    from konfarkiv.ingest.run import ingest

    archive = Archive.open(home)
    started = time.perf_counter()
    report = write(archive, "ingest", lambda a: ingest(a, urls, workers=2))
    seconds = time.perf_counter() - started
    if getattr(report, "index_error", None):
        sys.exit(f"indexing failed: {report.index_error}")
    return archive, [r.line() for r in report.failures], seconds


def parsed_sessions(catalog: Any) -> dict[str, list[str]]:
    """Page id → the session titles the archive holds for that page's event."""
    out: dict[str, list[str]] = {}
    for row in catalog.all(
        "SELECT e.url, s.title FROM sessions s JOIN events e ON e.id = s.event_id"
    ):
        page = page_of(row["url"])
        if page:
            out.setdefault(page, []).append(row["title"])
    for row in catalog.all("SELECT url FROM events"):
        page = page_of(row["url"])
        if page:
            out.setdefault(page, [])
    return out


def holds(result: dict[str, Any], target: dict[str, Any]) -> bool:
    if page_of(result["event"].get("url")) != target["page"]:
        return False
    return "event" in target or same_title(result["session"].get("title"), target["session"])


def is_parsed(target: dict[str, Any], parsed: dict[str, list[str]]) -> bool:
    titles = parsed.get(target["page"])
    if titles is None:
        return False
    return "event" in target or any(same_title(t, target["session"]) for t in titles)


def run_queries(archive: Any, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from konfarkiv.search.query import QueryError, search_archive

    parsed = parsed_sessions(archive.catalog)
    rows = []
    for q in queries:
        started = time.perf_counter()
        try:
            resp, _ = search_archive(archive, q["query"], limit=TOP)
            results = resp.to_json()["results"]
            error = None
        except QueryError as exc:
            results, error = [], str(exc)
        ms = (time.perf_counter() - started) * 1000
        targets = q["expect"]
        found = [t for t in targets if any(holds(r, t) for r in results[:TOP])]
        rank = next(
            (i for i, r in enumerate(results[:TOP], 1) if any(holds(r, t) for t in targets)),
            None,
        )
        missed = [t for t in targets if t not in found]
        not_parsed = [t for t in missed if not is_parsed(t, parsed)]
        parsed_targets = [t for t in targets if is_parsed(t, parsed)]
        rows.append(
            {
                "id": q["id"],
                "kind": q["kind"],
                "query": q["query"],
                "targets": len(targets),
                "found": len(found),
                "parsed": len(parsed_targets),
                "engine_miss": [t for t in missed if t not in not_parsed],
                "not_parsed": not_parsed,
                "rr": 1 / rank if rank else 0.0,
                "ms": ms,
                "error": error,
                "top": [
                    f"{page_of(r['event'].get('url'))}: {r['session'].get('title') or '(event)'}"
                    for r in results[:3]
                ],
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'kind':<10}{'n':>4}{'targets':>9}{'R@10':>8}{'R@10 parsed':>13}{'MRR':>7}"
        f"{'S@3':>7}{'engine miss':>13}{'not parsed':>12}"
    )
    lines = [head, "-" * len(head)]
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    groups: list[tuple[str, Any]] = [(k, (k,)) for k in kinds]
    asked = [k for k in QUESTION_KINDS if k in kinds]
    if asked:
        groups.append(("questions", tuple(asked)))
    for label, pick in [*groups, ("overall", None)]:
        sel = [r for r in rows if pick is None or r["kind"] in pick]
        targets = sum(r["targets"] for r in sel)
        recall = statistics.mean(r["found"] / r["targets"] for r in sel)
        parsed_recall = (
            statistics.mean(r["found"] / r["parsed"] for r in sel if r["parsed"])
            if any(r["parsed"] for r in sel)
            else 0.0
        )
        mrr = statistics.mean(r["rr"] for r in sel)
        success3 = statistics.mean(1.0 if r["rr"] >= 1 / 3 else 0.0 for r in sel)
        engine = sum(len(r["engine_miss"]) for r in sel)
        not_parsed = sum(len(r["not_parsed"]) for r in sel)
        lines.append(
            f"{label:<10}{len(sel):>4}{targets:>9}{recall:>8.3f}{parsed_recall:>13.3f}"
            f"{mrr:>7.3f}{success3:>7.3f}{engine:>13}{not_parsed:>12}"
        )
    return "\n".join(lines)


def pages_folder(option: str | None) -> Path:
    if option:
        return Path(option)
    if os.environ.get("KONFARKIV_PAGES"):
        return Path(os.environ["KONFARKIV_PAGES"])
    return ROOT.parent / "shared" / "pages"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", help="The development corpus folder (serve.py, pages/).")
    ap.add_argument("--verbose", action="store_true", help="List every miss and the top 3.")
    ap.add_argument("--json", metavar="FILE", help="Also write every query's row as JSON.")
    args = ap.parse_args()
    folder = pages_folder(args.pages)
    if not (folder / "serve.py").is_file() or not (folder / "pages").is_dir():
        print(f"skipped: no development corpus at {folder} (set KONFARKIV_PAGES or --pages)")
        return
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    pages = sorted(p.name for p in (folder / "pages").glob("*.html"))

    tmp = Path(tempfile.mkdtemp(prefix="konfarkiv-relevance-real-"))
    server = CorpusServer(folder)
    try:
        urls = [f"{server.base}/pages/{name}" for name in pages]
        archive, failures, seconds = ingest_pages(tmp / "home", urls)
        counts = archive.catalog.one(
            "SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM sessions) "
            "AS sessions"
        )
        rows = run_queries(archive, queries)
        archive.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"{len(queries)} queries over {len(pages)} real pages: {counts['events']} events, "
        f"{counts['sessions']} sessions archived in {seconds:.1f} s "
        f"({len(failures)} items failed, e.g. films without video)\n"
    )
    print(table(rows))
    latency = sorted(r["ms"] for r in rows)
    slowest = max(rows, key=lambda r: r["ms"])
    print(
        f"\nsearch per query (one run each, the first one cold): median "
        f"{statistics.median(latency):.0f} ms, max {latency[-1]:.0f} ms ({slowest['id']}); "
        "speed figures are search_latency.py's"
    )
    for r in rows:
        if r["error"]:
            print(f"  error {r['id']} {r['query']!r}: {r['error']}")
    if args.verbose:
        for r in rows:
            for kind in ("engine_miss", "not_parsed"):
                for t in r[kind]:
                    what = t.get("session") or f"event {t['event']!r}"
                    print(f"  {kind:<11} {r['id']:<10} {r['query']!r} -> {t['page']}: {what}")
            if r["engine_miss"] or r["not_parsed"]:
                print(f"      top 3: {r['top']}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
