"""What a search pays per index segment: one archive indexed as 1 and as N segments.

Whoosh sets up a matcher per query term per segment, reads each segment's term
index, and merges the segments' results; an index written by many small commits
(ingests, nightly updates) holds many segments until a merge. This script takes an
archive that has a catalog (e.g. one `benchmarks/cold_search.py` left in its --work
folder), writes its documents again into fresh indexes of 1 and of N segments (the
events dealt into N commits that do not merge) and times, over each, the library's
search (as `serve` runs it: warm searcher, 3 snippets a session) for the fixed query
kinds of search_latency.py, and a cold open of the searcher; side by side, same run.

Usage: ``python benchmarks/segment_cost.py HOME --segments 1 4 16``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile  # noqa: E402

#: search_latency.py's fixed kinds (words corpus.py guarantees), a few of each.
QUERIES: dict[str, list[str]] = {
    "1-word": ["miljö", "budget", "kommunerna", "samverkan"],
    "2-word": ["hållbar stadsutveckling", "lokala miljömål", "digitala tjänster"],
    "phrase": ['"hållbar utveckling"', '"lokala nätverk"', '"gröna städer"'],
    "compound": ["miljömålsarbete", "stadsutvecklingen", "klimatnätverket"],
}


def write_segments(home: Path, out: Path, segments: int) -> tuple[int, float]:
    """The archive's documents in a fresh index at out, in `segments` unmerged commits;
    returns (segments written, seconds)."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.index import create_index, prepare_lexicon
    from konfarkiv.search.segments import SMALL_LIMITMB, _add_here, gc_paused

    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with Archive.open(home) as archive:
        events = archive.catalog.event_ids()
        ix = create_index(out)
        prepare_lexicon(out, archive.catalog)
        shares = [events[i::segments] for i in range(segments)]
        for share in shares:
            writer = ix.writer(limitmb=SMALL_LIMITMB)
            with gc_paused():
                _add_here(writer, archive.catalog, share)
            writer.commit(merge=False)
        written = len(ix._segments())
        ix.close()
    return written, time.perf_counter() - started


def latency(home: Path, index_dir: Path, repeats: int) -> dict[str, dict[str, float]]:
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.query import search

    out: dict[str, dict[str, float]] = {}
    with Archive.open(home) as archive:
        for kind, queries in QUERIES.items():
            times: list[float] = []
            for q in queries:
                search(index_dir, archive.catalog, q)  # warm: first touch of the files
                for _ in range(repeats):
                    started = time.perf_counter()
                    search(index_dir, archive.catalog, q, snippets=3)
                    times.append((time.perf_counter() - started) * 1000)
            out[kind] = {"p50": percentile(times, 50), "p95": percentile(times, 95)}
    return out


def open_ms(index_dir: Path, repeats: int = 7) -> float:
    """Median ms to open and check a searcher (what a cold search does first)."""
    from konfarkiv.search.index import open_searcher

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        ix, searcher = open_searcher(index_dir)
        times.append((time.perf_counter() - started) * 1000)
        searcher.close()
        ix.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path, help="an archive (its catalog is read)")
    parser.add_argument("--segments", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for n in args.segments:
        out = args.home / f"segments-{n}"
        if not (out / "konfarkiv-words.txt").is_file():
            written, seconds = write_segments(args.home, out, n)
            print(f"wrote {out}: {written} segments in {seconds:.0f} s", flush=True)
        rows.append((n, open_ms(out), latency(args.home, out, args.repeats)))
    kinds = list(QUERIES)
    print(f"\n{'segments':>8} {'open ms':>8} " + " ".join(f"{k + ' p50/p95':>18}" for k in kinds))
    for n, opened, lat in rows:
        print(f"{n:>8} {opened:8.1f} " + " ".join(
            f"{lat[k]['p50']:8.1f} /{lat[k]['p95']:7.1f}" for k in kinds))


if __name__ == "__main__":
    main()
