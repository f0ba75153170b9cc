"""Recall@10 and MRR of konfarkiv's Swedish search against a plain Whoosh baseline.

Ingests the bundled example and the relevance fixture corpus into a fresh
archive, then runs every query of ``benchmarks/relevance/queries.json``
against three indexes of the same catalog:

* ``konfarkiv``: the real search over the index ingest built;
* ``no split``: the same search over an index built from konfarkiv's
  documents without compound splitting (what index-time splitting gains);
* ``baseline``: a plain Whoosh schema with ``StemmingAnalyzer`` on every text
  field and Whoosh's ``MultifieldParser``, results grouped by session alike.

The last two follow konfarkiv's index internals; when those change they are
left out with a note (``--no-compare`` leaves them out anyway).

A query's targets are sessions, events, slides (file, page) and film moments
(film page, cue time). Recall@10 counts the targets found among the first ten
results (a slide or moment must be a hit of one of them; an event is found by
its own result or one of its sessions); MRR is 1/rank of the first result
holding any target. Also printed: index
size and indexing time with and without splitting, and sessions returned
per query (more is not better: it is the false-hit side of splitting).

Usage: ``python benchmarks/relevance.py [--verbose] [--queries FILE] [--kinds KIND ...]
[--no-compare]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).resolve().parent / "relevance" / "queries.json"
TOP = 10

# A ranked result: one entry per session group, each the set of target keys it holds.
Ranked = list[set[tuple[Any, ...]]]


def ingest(home: Path, sources: list[str]) -> Any:
    from konfarkiv.app import write
    from konfarkiv.archive.archive import Archive
    from konfarkiv.ingest.run import ingest as run_ingest

    archive = Archive.open(home)
    report = write(archive, "ingest",
                   lambda a: run_ingest(a, [str(ROOT / s) for s in sources], workers=2))
    if report.failures:
        sys.exit(f"ingest failed: {[r.line() for r in report.failures]}")
    return archive


class Keys:
    """Maps catalog rows to the stable keys targets are written in."""

    def __init__(self, catalog: Any) -> None:
        from konfarkiv.search.documents import cue_windows

        self.catalog = catalog
        self.windows: dict[str, list[float]] = {}
        self.film_file: dict[int, str] = {}
        for f in catalog.all(
            "SELECT f.id, m.url FROM films f JOIN materials m ON m.id=f.material_id"
        ):
            name = _basename(f["url"])
            self.film_file[f["id"]] = name
            cues = catalog.cues(f["id"])  # typed records: cue_windows reads .text, .start
            self.windows[name] = [float(start) for _, start, _ in cue_windows(cues)]
        self.doc_file = {
            r["id"]: _basename(r["url"])
            for r in catalog.all(
                "SELECT d.id, m.url FROM documents d JOIN materials m ON m.id=d.material_id"
            )
        }
        self.session_title = {
            r["id"]: r["title"] for r in catalog.all("SELECT id, title FROM sessions")
        }
        self.event_title = {
            r["id"]: r["title"] for r in catalog.all("SELECT id, title FROM events")
        }
        self.session_event = {
            r["id"]: self.event_title[r["event_id"]]
            for r in catalog.all("SELECT id, event_id FROM sessions")
        }

    def target(self, t: dict[str, Any]) -> tuple[Any, ...]:
        if "session" in t:
            return ("session", t["session"])
        if "event" in t:
            return ("event", t["event"])
        if "slide" in t:
            return ("slide", t["slide"], int(t["page"]))
        return self.moment(t["moment"], float(t["at"]))

    def moment(self, film: str, at: float) -> tuple[Any, ...]:
        """The caption window holding second ``at`` (a hit starts at its matched word)."""
        starts = [s for s in self.windows.get(film, []) if s <= at]
        return ("moment", film, starts[-1] if starts else at)

    def group(self, group: str) -> set[tuple[Any, ...]]:
        """A result group's keys: its session (if any) and its event."""
        kind, _, ident = group.partition(":")
        if kind == "s":
            return {
                ("session", self.session_title.get(int(ident))),
                ("event", self.session_event.get(int(ident))),
            }
        return {("event", self.event_title.get(int(ident)))}


def _basename(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def konfarkiv_ranked(index_dir: Path, catalog: Any, keys: Keys) -> Callable[[str], Ranked]:
    from konfarkiv.search.query import QueryError, search

    def run(text: str) -> Ranked:
        try:
            resp = search(index_dir, catalog, text, limit=1000)
        except QueryError:
            return []
        out: Ranked = []
        for r in resp.results:
            found = {("event", r.event["title"])}
            if r.session["title"]:
                found.add(("session", r.session["title"]))
            for h in r.hits:
                if h.kind == "slide":
                    found.add(("slide", _basename(h.url or ""), h.page))
                elif h.kind == "caption":
                    found.add(keys.moment(_basename(h.url or ""), h.start or 0.0))
            out.append(found)
        return out

    return run


def baseline_ranked(index_dir: Path, keys: Keys) -> Callable[[str], Ranked]:
    from whoosh import index as whoosh_index
    from whoosh.qparser import MultifieldParser
    from whoosh.query import Term

    ix = whoosh_index.open_dir(str(index_dir))
    parser = MultifieldParser(
        ["title", "body", "speaker", "org"],
        ix.schema,
        fieldboosts={"title": 3.0, "body": 1.0, "speaker": 2.0, "org": 1.5},
    )

    def run(text: str) -> Ranked:
        groups: dict[str, list[Any]] = defaultdict(list)
        with ix.searcher() as s:
            for hit in s.search(parser.parse(text), limit=2000, filter=Term("current", "1")):
                groups[hit["group"]].append((hit.score, dict(hit.fields())))
        ranked = sorted(groups.items(), key=lambda kv: -_group_score([x for x, _ in kv[1]]))
        out: Ranked = []
        for group, hits in ranked:
            found = keys.group(group)
            for _, h in hits:
                kind, _, rest = h["id"].partition(":")
                if kind == "slide":
                    doc, page = rest.split(":")
                    found.add(("slide", keys.doc_file[int(doc)], int(page)))
                elif kind == "caption":
                    film = int(rest.split(":")[0])
                    found.add(("moment", keys.film_file[film], float(h["start"])))
            out.append(found)
        return out

    return run


def _group_score(scores: list[float]) -> float:
    scores = sorted(scores, reverse=True)
    return scores[0] + 0.1 * sum(scores[1:4])


def build_index(
    path: Path, schema: Any, docs: list[dict[str, Any]], *, version: bool
) -> tuple[float, int]:
    """Index docs with one writer; returns (seconds, bytes of the Whoosh files)."""
    from whoosh import index as whoosh_index

    from konfarkiv.search.index import INDEX_NAME, VERSION_FILE
    from konfarkiv.search.schema import SCHEMA_VERSION

    path.mkdir(parents=True, exist_ok=True)
    name = INDEX_NAME if version else "MAIN"
    started = time.perf_counter()
    writer = whoosh_index.create_in(str(path), schema, indexname=name).writer(limitmb=256)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    seconds = time.perf_counter() - started
    if version:
        (path / VERSION_FILE).write_text(SCHEMA_VERSION)
    size = sum(p.stat().st_size for p in path.iterdir() if p.suffix in (".seg", ".toc"))
    return seconds, size


def konfarkiv_schema(split: bool) -> Any:
    """konfarkiv's schema, with or without compound splitting at index time: every
    field whose analyzer splits compounds gets the same analyzer with ``split``."""
    from konfarkiv.search.analysis import (
        CompoundFilter,
        FoldFilter,
        folded_analyzer,
        text_analyzer,
    )
    from konfarkiv.search.schema import build_schema

    schema = build_schema()
    for _, field in schema.items():
        filters = getattr(getattr(field, "analyzer", None), "items", [])
        if any(isinstance(f, CompoundFilter) for f in filters):
            folded = any(isinstance(f, FoldFilter) for f in filters)
            field.analyzer = (folded_analyzer if folded else text_analyzer)(split=split)
    return schema


def baseline_schema() -> Any:
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

    text = StemmingAnalyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        event_id=ID(stored=True),
        group=ID(stored=True),
        ref=STORED(),
        title=TEXT(analyzer=text, field_boost=3.0),
        body=TEXT(analyzer=text),
        folded=STORED(),
        speaker=TEXT(analyzer=text),
        org=TEXT(analyzer=text),
        event=TEXT(analyzer=text),
        year=ID,
        page=NUMERIC(stored=True),
        start=NUMERIC(numtype=float, stored=True),
        cue=STORED(),
        current=ID,
    )


def score(run: Callable[[str], Ranked], queries: list[dict[str, Any]], keys: Keys) -> list[dict]:
    rows = []
    for q in queries:
        targets = [keys.target(t) for t in q["expect"]]
        ranked = run(q["query"])
        top = set().union(*ranked[:TOP]) if ranked else set()
        found = [t for t in targets if t in top]
        rank = next((i for i, g in enumerate(ranked, 1) if g & set(targets)), None)
        rows.append(
            {
                "id": q["id"],
                "kind": q["kind"],
                "query": q["query"],
                "recall": len(found) / len(targets),
                "rr": 1 / rank if rank else 0.0,
                "returned": len(ranked),
                "missed": [t for t in targets if t not in top],
            }
        )
    return rows


def table(results: dict[str, list[dict]], kinds: Iterable[str]) -> str:
    names = list(results)
    head = f"{'kind':<16}{'n':>4}" + "".join(f"{n + ' R@10':>18}{'MRR':>7}" for n in names)
    lines = [head, "-" * len(head)]

    def line(label: str, pick: Callable[[dict], bool]) -> str:
        cells = ""
        n = 0
        for name in names:
            rows = [r for r in results[name] if pick(r)]
            n = len(rows)
            recall = statistics.mean(r["recall"] for r in rows)
            mrr = statistics.mean(r["rr"] for r in rows)
            cells += f"{recall:>18.3f}{mrr:>7.3f}"
        return f"{label:<16}{n:>4}" + cells

    for kind in kinds:
        lines.append(line(kind, lambda r, k=kind: r["kind"] == k))
    lines.append(line("compound (all)", lambda r: r["kind"].startswith("compound")))
    lines.append(line("overall", lambda r: True))
    return "\n".join(lines)


def comparisons(
    tmp: Path, catalog: Any, keys: Keys, queries: list[dict[str, Any]]
) -> tuple[dict[str, list[dict]], dict[str, tuple[float, int, float]]]:
    """The "no split" and "baseline" columns and the cost of splitting.

    They rebuild indexes from konfarkiv's own document builder and schema, so
    they follow its internals; the real search column does not need them.
    """
    from konfarkiv.search import vocabulary
    from konfarkiv.search.documents import event_documents

    events = [r["id"] for r in catalog.all("SELECT id FROM events ORDER BY id")]
    docs = [d for e in events for d in event_documents(catalog, e)]
    costs: dict[str, tuple[float, int, float]] = {}
    for label, split in (("with splitting", True), ("without splitting", False)):
        path = tmp / ("split" if split else "nosplit")
        started = time.perf_counter()
        vocabulary.prepare(path, docs)
        lexicon_seconds = time.perf_counter() - started
        seconds, size = build_index(path, konfarkiv_schema(split), docs, version=True)
        costs[label] = (seconds, size, lexicon_seconds)
    plain = baseline_schema()
    names = set(plain.names())
    plain_docs = [{k: v for k, v in d.items() if k in names} for d in docs
                  if d["kind"] != "unit"]  # the baseline ranks evidence documents
    seconds, size = build_index(tmp / "baseline", plain, plain_docs, version=False)
    costs["baseline"] = (seconds, size, 0.0)
    results = {
        "no split": score(konfarkiv_ranked(tmp / "nosplit", catalog, keys), queries, keys),
        "baseline": score(baseline_ranked(tmp / "baseline", keys), queries, keys),
    }
    return results, costs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true", help="List every miss.")
    ap.add_argument("--queries", type=Path, default=QUERIES, help="The query set (JSON).")
    ap.add_argument("--kinds", nargs="*", help="Only queries of these kinds.")
    ap.add_argument(
        "--no-compare", action="store_true", help="Only konfarkiv's own index (no other columns)."
    )
    args = ap.parse_args()
    spec = json.loads(args.queries.read_text(encoding="utf-8"))
    queries = [q for q in spec["queries"] if not args.kinds or q["kind"] in args.kinds]
    kinds = list(dict.fromkeys(q["kind"] for q in queries))

    tmp = Path(tempfile.mkdtemp(prefix="konfarkiv-relevance-"))
    try:
        archive = ingest(tmp / "home", spec["sources"])
        catalog = archive.catalog
        keys = Keys(catalog)
        counts = catalog.one(
            "SELECT (SELECT count(*) FROM events) AS events, "
            "(SELECT count(*) FROM sessions) AS sessions"
        )
        results = {
            "konfarkiv": score(konfarkiv_ranked(archive.layout.index, catalog, keys), queries,
                               keys)
        }
        costs: dict[str, tuple[float, int, float]] = {}
        note = ""
        if not args.no_compare:
            try:
                more, costs = comparisons(tmp, catalog, keys, queries)
                results.update(more)
            except (ImportError, AttributeError, KeyError, TypeError, ValueError) as exc:
                note = (
                    "no split/baseline columns left out: konfarkiv's index internals "
                    f"changed ({exc!r})"
                )
        print(
            f"{len(queries)} queries over {counts['events']} events, "
            f"{counts['sessions']} sessions (konfarkiv: the index ingest built)\n"
        )
        print(table(results, kinds))
        if note:
            print(f"\n{note}")
        if costs:
            print("\nCost of compound splitting (same documents, konfarkiv schema, one writer):")
            for label, (seconds, size, lex) in costs.items():
                lexicon = f"   (lexicon from the catalog: {lex:.3f} s)" if lex else ""
                print(
                    f"  {label:<18} index {size / 1024:8.1f} KiB   indexing {seconds:6.3f} s"
                    + lexicon
                )
        for name, rows in results.items():
            returned = statistics.mean(r["returned"] for r in rows)
            print(f"  sessions returned per query, {name}: {returned:.1f}")
        if args.verbose:
            for name, rows in results.items():
                for r in rows:
                    if r["missed"] or r["rr"] < 1:
                        print(
                            f"  miss [{name}] {r['id']} {r['query']!r}: rank of first "
                            f"{1 / r['rr'] if r['rr'] else '-'}, missed {r['missed']}"
                        )
        archive.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
