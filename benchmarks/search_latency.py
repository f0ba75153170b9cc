"""Indexing and search at scale: build time, index size, p50/p95 latency, cold start.

The catalog is filled through konfarkiv's catalog API straight from the
generator (no HTTP, no PDFs: at 100k slides that would only measure pypdf
again), then indexed with konfarkiv's own path (search/index.py ``rebuild``)
and, for the baseline, with a plain one-document-at-a-time Whoosh writer over
the same documents. Usage: ``python benchmarks/search_latency.py --size 10k``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from stats import percentile  # noqa: E402

#: The fixed query list: every word is guaranteed in the corpus (corpus.QUERY_WORDS).
QUERIES: dict[str, list[str]] = {
    "1-word": ["miljö", "budget", "kommunerna", "samverkan", "dagvatten"],
    "2-word": ["hållbar stadsutveckling", "lokala miljömål", "kommunerna budget",
               "digitala tjänster", "regional utveckling"],
    "phrase": ['"hållbar utveckling"', '"lokala nätverk"', '"kommunerna och"',
               '"gröna städer"', '"miljö och"'],
    "compound": ["miljömålsarbete", "stadsutvecklingen", "bostadsplan", "vårdstrategi",
                 "klimatnätverket"],
}


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def make_archive(home: Path, size: corpus.Size) -> tuple[int, float]:
    """A catalog filled from the generator; returns (slides, seconds)."""
    from konfarkiv.archive.archive import Archive

    started = time.perf_counter()
    with Archive.open(home) as archive:
        slides = corpus.catalog_corpus(archive.catalog, size)
    return slides, time.perf_counter() - started


def fresh(name: str, home: Path) -> Any:
    """Run this module's function `name` on home in a new process (cold caches, so
    neither build profits from the other's compound-split cache); returns its result."""
    import json

    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"from pathlib import Path; import search_latency as s; "
            f"print(json.dumps(s.{name}(Path({str(home)!r}))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def plain_index(home: Path) -> tuple[int, float, int]:
    """Baseline: Whoosh's default writer, one add_document at a time, one commit (with the
    same archive lexicon, made first and not timed)."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.documents import event_documents
    from konfarkiv.search.index import create_index, prepare_lexicon

    out = home / "plain-index"
    shutil.rmtree(out, ignore_errors=True)
    with Archive.open(home) as archive:
        events = [r["id"] for r in archive.catalog.all("SELECT id FROM events ORDER BY id")]
        prepare_lexicon(home / "plain-lexicon", archive.catalog)
        started = time.perf_counter()
        ix = create_index(out)
        writer = ix.writer()
        docs = 0
        for event_id in events:
            for doc in event_documents(archive.catalog, event_id):
                writer.add_document(**doc)
                docs += 1
        writer.commit()
        ix.close()
        seconds = time.perf_counter() - started
    size = dir_bytes(out)
    shutil.rmtree(out, ignore_errors=True)
    return docs, seconds, size


def library_index(home: Path) -> tuple[int, float, int, float]:
    """konfarkiv's rebuild (what `konfarkiv reindex` runs): docs, seconds, bytes, and the
    seconds of prepare_lexicon within it (counting the catalog's words)."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search import index as index_mod

    lexicon = [0.0]
    original = index_mod.prepare_lexicon

    def timed(*args: Any) -> None:
        started = time.perf_counter()
        original(*args)
        lexicon[0] += time.perf_counter() - started

    index_mod.prepare_lexicon = timed
    try:
        with Archive.open(home) as archive:
            started = time.perf_counter()
            docs = index_mod.rebuild(archive.layout.index, archive.catalog)
            seconds = time.perf_counter() - started
            size = dir_bytes(archive.layout.index)
    finally:
        index_mod.prepare_lexicon = original
    return docs, seconds, size, lexicon[0]


def search_latency(home: Path, repeats: int = 5) -> dict[str, dict[str, float]]:
    """p50/p95 ms of konfarkiv's search (grouping, snippets, highlights) per query kind."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.render import HITS_SHOWN
    from konfarkiv.search.query import search

    out: dict[str, dict[str, float]] = {}
    with Archive.open(home) as archive:
        index_dir = archive.layout.index
        for kind, queries in QUERIES.items():
            times: list[float] = []
            hits = 0
            for q in queries:
                search(index_dir, archive.catalog, q)  # warm: first touch of the files
                for _ in range(repeats):
                    started = time.perf_counter()  # as `search` prints: 3 snippets a session
                    resp = search(index_dir, archive.catalog, q, snippets=HITS_SHOWN)
                    times.append((time.perf_counter() - started) * 1000)
                hits += resp.total
            out[kind] = {"p50": percentile(times, 50), "p95": percentile(times, 95),
                         "groups": hits / len(queries)}
    return out


def realistic_mix(home: Path) -> dict[str, dict[str, float]]:
    """p50/p95 ms of the hand-written queries of relevance/real_queries.json (titles,
    topics, people, places, events and the planners' questions), replayed with their
    words over this archive, per kind: what people type, beside the fixed list."""
    import json

    from konfarkiv.archive.archive import Archive
    from konfarkiv.render import HITS_SHOWN
    from konfarkiv.search.query import QueryError, search

    queries = json.loads((Path(__file__).parent / "relevance" / "real_queries.json")
                         .read_text("utf-8"))["queries"]
    times: dict[str, list[float]] = {}
    with Archive.open(home) as archive:
        index_dir = archive.layout.index
        for q in queries:
            for first in (True, False):  # the first run warms the files
                started = time.perf_counter()
                try:
                    search(index_dir, archive.catalog, q["query"], snippets=HITS_SHOWN)
                except QueryError:
                    pass
                if not first:
                    times.setdefault(q["kind"], []).append(
                        (time.perf_counter() - started) * 1000)
    every = [t for ts in times.values() for t in ts]
    return {kind: {"n": len(ts), "p50": percentile(ts, 50), "p95": percentile(ts, 95)}
            for kind, ts in [*times.items(), ("all", every)]}


def cold_search(home: Path, runs: int = 5) -> dict[str, Any]:
    """Wall time of a fresh `konfarkiv search` process (start, open, answer), median of runs."""
    exe = shutil.which("konfarkiv") or str(Path(sys.executable).parent / "konfarkiv")
    cmd = [exe, "--home", str(home), "search", "hållbar stadsutveckling"]
    subprocess.run(cmd, capture_output=True, check=True)  # page cache warm, like a second use
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    bare = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times),
            "python_startup_s": statistics.median(bare)}


def import_costs(top: int = 8) -> list[tuple[str, float]]:
    """Slowest top-level imports of the CLI and search path (python -X importtime)."""
    code = "import konfarkiv.cli, konfarkiv.search.query, konfarkiv.render"
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                         capture_output=True, text=True)
    rows = []
    for line in res.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if name.startswith(" ") and not name.startswith("   "):  # depth-1 imports only
                rows.append((name.strip(), int(parts[1]) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def search_size(name: str) -> corpus.Size:
    """The search benchmark's corpus: 'small' is 2k slides to stay CI-sized."""
    if name == "small":
        return corpus.Size("2k", events=10, pdfs=20, pages=10, films=1, cues=60)
    return corpus.SIZES[name]


def run(size_name: str, work: Path, *, baseline: bool = True, repeats: int = 5) -> dict[str, Any]:
    """All the scale figures for one size; the archive is left in work/search-<size>."""
    size = search_size(size_name)
    home = work / f"search-{size_name}"
    shutil.rmtree(home, ignore_errors=True)
    res: dict[str, Any] = {"search_size": size.name}
    res["slides"], res["catalog_s"] = make_archive(home, size)
    res["docs"], res["index_s"], res["index_bytes"], res["lexicon_s"] = fresh("library_index",
                                                                              home)
    if baseline:
        _, res["plain_index_s"], res["plain_index_bytes"] = fresh("plain_index", home)
    res.update(search_figures(home, repeats))
    return res


def search_figures(home: Path, repeats: int = 5) -> dict[str, Any]:
    """The search figures of an indexed archive, FTS5 over the same documents beside them."""
    from compare import fts5_vs_whoosh

    return {"latency": search_latency(home, repeats), "realistic_mix": realistic_mix(home),
            "fts5": fts5_vs_whoosh(home, QUERIES, repeats), "cold": cold_search(home),
            "imports": import_costs()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "10k", "100k", "1m-cues"], default="small")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain-writer baseline (saves minutes at 100k)")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--mix-only", type=Path, default=None, metavar="HOME",
                        help="Only replay the real queries (realistic_mix) over an archive "
                             "a previous run left in --work (e.g. WORK/search-100k).")
    parser.add_argument("--search-only", type=Path, default=None, metavar="HOME",
                        help="Every search figure (fixed list, real mix, FTS5 beside it, cold "
                             "start) over an archive already built and indexed, e.g. "
                             "WORK/search-100k: the build is timed elsewhere.")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the figures to FILE as one JSON object")
    args = parser.parse_args()
    if args.mix_only:
        for kind, figures in realistic_mix(args.mix_only).items():
            print(f"{kind:<10} n={figures['n']:<4} p50 {figures['p50']:6.1f} ms  "
                  f"p95 {figures['p95']:6.1f} ms")
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="konfarkiv-bench-"))
    res = (search_figures(args.search_only) if args.search_only
           else run(args.size, work, baseline=not args.no_baseline))
    for key, value in res.items():
        print(f"{key}: {value}")
    if args.json:
        import json

        args.json.write_text(json.dumps(res, indent=1, default=str) + "\n", encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    os.sys.stdout.flush()


if __name__ == "__main__":
    main()
