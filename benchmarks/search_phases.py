"""Where a search's time goes: each phase of konfarkiv's search and the Whoosh parts under
it, per query, from one profiled replay of a query list over an archive.

The latency targets of search_latency.py are wall-clock figures; this says which part
keeps one above its target. Profiling slows pure-Python code more than C, so the
phases are given as shares of the profiled total and scaled to the unprofiled time
measured in the same run (the "≈ ms" column), beside the profiled milliseconds.

Usage: ``python benchmarks/search_phases.py --home WORK/search-100k/arkiv`` (an archive a
search_latency.py run left), or ``--size 10k`` to build one here; ``--queries real`` replays
relevance/real_queries.json instead of the fixed list; ``--facets`` asks what the web
page asks (facets with counts).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import corpus  # noqa: E402
from search_latency import QUERIES, make_archive  # noqa: E402

#: (label, module path suffix, function name): konfarkiv's phases, then Whoosh's parts.
PHASES = [
    ("search, in all", "search/query.py", "search"),
    ("  counting matches (posting-list sets)", "search/docsets.py", "matching_docs"),
    ("  ranking pass walk (collect.py)", "search/collect.py", "collect_matches"),
    ("  events the query names", "search/query.py", "_events_named"),
    ("  evidence of the shown sessions", "search/query.py", "_evidence"),
    ("  results: catalog rows and snippets", "search/results.py", "session_results"),
    ("    snippets", "search/snippets.py", "make_snippet"),
    ("  kind facet counts", "search/by_file.py", "kind_counts"),
    ("  spelling suggestion", "search/suggest.py", "suggest_query"),
    ("Whoosh: matcher set-up per segment", "whoosh/collectors.py", "set_subsearcher"),
    ("Whoosh: BM25F scoring", "whoosh/scoring.py", "score"),
    ("Whoosh: posting blocks read", "whoosh/codec/whoosh3.py", "_read_ids"),
    ("Whoosh: stored fields read", "whoosh/reading.py", "stored_fields"),
    ("Whoosh: snippet fragmenter", "whoosh/highlight.py", "fragment_tokens"),
]


def queries_of(kind: str) -> list[str]:
    if kind == "fixed":
        return [q for qs in QUERIES.values() for q in qs]
    data = json.loads((HERE / "relevance" / "real_queries.json").read_text("utf-8"))
    return [q["query"] for q in data["queries"]]


def profile(home: Path, queries: list[str], *, facets: bool) -> dict[str, Any]:
    from konfarkiv.archive.archive import Archive
    from konfarkiv.render import HITS_SHOWN
    from konfarkiv.search.query import QueryError, search

    def one(archive: Any, q: str) -> None:
        try:
            search(archive.layout.index, archive.catalog, q, facets=facets,
                   snippets=None if facets else HITS_SHOWN)
        except QueryError:
            pass

    with Archive.open(home) as archive:
        for q in queries:  # warm: files, term lists, caches
            one(archive, q)
        wall = []
        for q in queries:
            started = time.perf_counter()
            one(archive, q)
            wall.append((time.perf_counter() - started) * 1000)
        prof = cProfile.Profile()
        prof.enable()
        for q in queries:
            one(archive, q)
        prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    cumulative: dict[str, float] = {}
    for label, path, name in PHASES:
        cumulative[label] = sum(v[3] for (file, _line, func), v in stats.items()
                                if func == name and file.replace("\\", "/").endswith(path))
    return {"wall_ms": wall, "cumulative_s": cumulative}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, help="an existing archive (with its index)")
    ap.add_argument("--size", choices=sorted(corpus.SIZES), default="10k",
                    help="without --home: generated slides to build an archive of")
    ap.add_argument("--queries", choices=("fixed", "real"), default="fixed")
    ap.add_argument("--facets", action="store_true", help="facets with counts, as the web")
    args = ap.parse_args()
    queries = queries_of(args.queries)
    with tempfile.TemporaryDirectory(prefix="konfarkiv-phases-") as tmp:
        home = args.home
        if home is None:
            from konfarkiv.archive.archive import Archive
            from konfarkiv.search.index import rebuild

            home = Path(tmp) / "arkiv"
            make_archive(home, corpus.SIZES[args.size])
            with Archive.open(home) as a:
                rebuild(a.layout.index, a.catalog)
        result = profile(home, queries, facets=args.facets)
    wall = result["wall_ms"]
    total = result["cumulative_s"]["search, in all"] or 1.0
    per_query_wall = statistics.mean(wall)
    print(f"{len(queries)} queries ({args.queries}{', facets' if args.facets else ''}) over "
          f"{home}: unprofiled p50 {statistics.median(wall):.1f} ms, mean "
          f"{per_query_wall:.1f} ms, max {max(wall):.1f} ms")
    print(f"{'phase':44} {'profiled ms/query':>18} {'share':>6} {'≈ ms':>7}")
    for label, _path, _name in PHASES:
        spent = result["cumulative_s"][label]
        share = spent / total
        print(f"{label:44} {spent * 1000 / len(queries):18.1f} {share:6.0%} "
              f"{share * per_query_wall:7.1f}")
    print("(phases nest: indented lines are parts of the one above; Whoosh's parts cut across)")


if __name__ == "__main__":
    main()
