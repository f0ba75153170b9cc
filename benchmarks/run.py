"""konfarkiv benchmarks: every step's speed and how it grows; prints one table.

Usage: ``python benchmarks/run.py --size small|10k|100k [--json out.json]``.

Steps: a generated site (corpus.py) served on 127.0.0.1 is ingested through the
library (``konfarkiv.ingest.run.ingest``), with timing wrappers around its
steps; extraction is timed with 1 worker and one per core; one 500-page
~100 MB PDF is ingested in a separate process while its memory is sampled;
pypdf is compared with pdftotext; then search_latency.py fills a catalog
directly (no HTTP) for indexing, search latency, FTS5 and cold-start figures.
benchmarks/reingest.py, when present, is run too and its output appended.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

import corpus  # noqa: E402

BIG_PDF_PAGES = 500
BIG_PDF_IMAGE = 200_000  # bytes of random image per page: 500 pages ≈ 100 MB


# ---- the machine ------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """CPU, cores, memory, load, versions and the date."""
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in
                Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    poppler = (subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
               if shutil.which("pdftotext") else None)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem,
        "load_at_start": os.getloadavg(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "konfarkiv": version("konfarkiv"),
        "commit": commit, "whoosh": version("whoosh-reloaded"), "pypdf": version("pypdf"),
        "yt-dlp": version("yt-dlp"), "sqlite": sqlite3.sqlite_version,
        "pdftotext": (poppler.stderr or poppler.stdout).split("\n")[0] if poppler
        else "no pdftotext",
    }


# ---- ingest with step timings -----------------------------------------------------------


class StepClock:
    """Seconds per step, summed over threads (thread-seconds)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.lock = threading.Lock()

    def wrap(self, step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with self.lock:
                    self.seconds[step] = self.seconds.get(step, 0.0) + (
                        time.perf_counter() - started)

        return timed


@contextmanager
def step_timers(clock: StepClock):
    """Wrap the library's steps (page, fetch, extract, film, catalog, index) for one run."""
    from konfarkiv.ingest import context, page_job, pdf_job
    from konfarkiv.ingest import run as run_mod
    from konfarkiv.search import index as index_mod
    from konfarkiv.search import sync as sync_mod

    saved = (dict(run_mod.JOBS), sync_mod.index_events, pdf_job.extract_pdf,
             context.JobContext.fetch, page_job.work, index_mod.prepare_lexicon)
    try:
        run_mod.JOBS.update({
            kind: SimpleNamespace(work=clock.wrap("film" if kind == "film" else "pdf job",
                                                  job.work),
                                  unchanged=clock.wrap("catalog", job.unchanged),
                                  record=clock.wrap("catalog", job.record))
            for kind, job in saved[0].items()})
        sync_mod.index_events = clock.wrap("index", saved[1])
        pdf_job.extract_pdf = clock.wrap("extract", saved[2])
        context.JobContext.fetch = clock.wrap("fetch", saved[3])
        page_job.work = clock.wrap("page", saved[4])
        index_mod.prepare_lexicon = clock.wrap("lexicon", saved[5])
        yield clock
    finally:
        run_mod.JOBS.clear()
        run_mod.JOBS.update(saved[0])
        sync_mod.index_events, pdf_job.extract_pdf = saved[1], saved[2]
        context.JobContext.fetch, page_job.work = saved[3], saved[4]
        index_mod.prepare_lexicon = saved[5]


def ingest(home: Path, urls: list[str], workers: int, delay: float | None) -> dict[str, Any]:
    """One first ingest of every URL; wall time, counts and step times. delay: the
    politeness rest per host after a download (None: the library's default)."""
    from konfarkiv.app import write
    from konfarkiv.archive.archive import Archive
    from konfarkiv.ingest import politeness
    from konfarkiv.ingest.run import ingest as run_ingest

    clock = StepClock()
    delay = politeness.DEFAULT_DELAY if delay is None else delay
    with Archive.open(home) as archive, step_timers(clock):
        fetcher = politeness.polite_fetcher(archive.store, delay=delay)
        started = time.perf_counter()
        report = write(archive, "ingest",
                       lambda a: run_ingest(a, urls, workers=workers, fetcher=fetcher))
        wall = time.perf_counter() - started
        counts = archive.catalog.counts()
    failed = [r.line() for r in report.failures]
    return {"wall_s": wall, "steps": clock.seconds, "workers": workers, "delay": delay,
            "pdfs": counts["documents"], "pages": counts["pages"], "films": counts["films"],
            "cues": counts["cues"], "failures": failed[:5], "failed": len(failed),
            "indexed_docs": report.indexed_docs, "index_error": report.index_error}


def extraction_scaling(paths: list[Path]) -> dict[str, Any]:
    """extract_pdf over the same PDFs with 1 thread and with one per core."""
    from konfarkiv.ingest.pdftext import extract_pdf

    def timed(workers: int) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda p: extract_pdf(p, time_limit=600), paths))
        return time.perf_counter() - started

    cores = os.cpu_count() or 1
    one, many = timed(1), timed(cores)
    return {"files": len(paths), "one_s": one, "per_core_s": many, "cores": cores,
            "ratio": one / many}


# ---- peak memory for one big PDF ---------------------------------------------------------


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size (shared pages split, so a fork is not counted twice) of a
    process and all its descendants, in KiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines()
                          if line.startswith("Pss:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def big_pdf_rss(work: Path, server: Any) -> dict[str, Any]:
    """Ingest one 500-page ~100 MB PDF in a fresh process; peak RSS of the process tree."""
    gen = corpus.TextGen(7)
    data = corpus.pdf_bytes([gen.slide() for _ in range(BIG_PDF_PAGES)],
                            image_bytes=BIG_PDF_IMAGE, seed=7)
    server.add_file("/big/stor.pdf", data)
    page = ('<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Stor</title>'
            '</head><body><main><h1>Dokumentation: Stor fil</h1><h2>Ett pass</h2>'
            '<p><a href="/big/stor.pdf">Presentation (PDF, nytt fönster)</a></p>'
            '</main></body></html>')
    url = server.add_file("/big/stor.html", page)
    home = work / "big"
    shutil.rmtree(home, ignore_errors=True)
    proc = subprocess.Popen([sys.executable, __file__, "--rss-child", str(home), url],
                            stdout=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_pss_kb(proc.pid))
        time.sleep(0.02)
    child = json.loads(proc.stdout.read() if proc.stdout else "{}")
    return {"pdf_mb": len(data) / 1e6, "pages": BIG_PDF_PAGES, "tree_peak_mb": peak / 1024,
            **child}


def _rss_child(home: str, url: str) -> None:
    """Runs in the measured process: ingest, then report own and children's max RSS."""
    from konfarkiv.app import write
    from konfarkiv.archive.archive import Archive
    from konfarkiv.ingest.run import ingest as run_ingest

    started = time.perf_counter()
    with Archive.open(Path(home)) as archive:
        report = write(archive, "ingest", lambda a: run_ingest(a, [url], workers=1))
        pages = archive.catalog.counts()["pages"]
    print(json.dumps({
        "seconds": time.perf_counter() - started, "pages_extracted": pages,
        "failed": [r.line() for r in report.failures],
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
        "main_maxrss_mb": next(int(line.split()[1]) for line in
                               Path("/proc/self/status").read_text().splitlines()
                               if line.startswith("VmHWM")) / 1024,
        "extractor_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


# ---- the run -----------------------------------------------------------------------------


def serve_site(size: corpus.Size, work: Path, events: int | None) -> tuple[Any, list[str],
                                                                            list[Path]]:
    """Generate the site on disk and serve it; returns (server, page URLs, PDF paths)."""
    from support.media import media_file
    from support.server import TestServer

    video = media_file("tiny.mp4").read_bytes()  # the tests' 3-second fixture
    if events is not None:
        size = corpus.Size(size.name, events, size.pdfs, size.pages, size.films, size.cues)
    site = work / "site"
    pages = corpus.write_site(size, site, video)
    server = TestServer().start()
    server.add_tree("/", site)
    return server, [server.url("/" + p) for p in pages], sorted((site / "files").glob("*.pdf"))


def reingest(size: str) -> str | None:
    """benchmarks/reingest.py's output, when another developer's script is there."""
    script = HERE / "reingest.py"
    if not script.exists():
        return None
    args = [] if size == "small" else ["--events", "24"]
    res = subprocess.run([sys.executable, str(script), *args], capture_output=True,
                         text=True, timeout=3600)
    return (res.stdout + (f"\n(exit {res.returncode}) {res.stderr[-500:]}"
                          if res.returncode else "")).strip()


def run(args: argparse.Namespace) -> dict[str, Any]:
    import compare
    import search_latency

    work = Path(tempfile.mkdtemp(prefix="konfarkiv-bench-"))
    res: dict[str, Any] = {"size": args.size, "machine": machine()}
    size = corpus.SIZES[args.size]
    try:
        if not args.skip_ingest:
            server, urls, pdfs = serve_site(size, work, args.events)
            try:
                res["ingest"] = ingest(work / "home", urls, os.cpu_count() or 2, args.delay)
                sample = pdfs[: args.sample]
                res["scaling"] = extraction_scaling(sample)
                res["pdf_tools"] = compare.pdf_tools(sample)
                res["big_pdf"] = big_pdf_rss(work, server)
            finally:
                server.stop()
        res["search"] = search_latency.run(args.size, work, baseline=not args.no_baseline)
        if not args.skip_reingest:
            res["reingest"] = reingest(args.size)
    finally:
        res["machine"]["load_at_end"] = os.getloadavg()
        shutil.rmtree(work, ignore_errors=True)
    return res


# ---- the table ---------------------------------------------------------------------------


def table(res: dict[str, Any]) -> str:
    """One Markdown table of every figure, with the targets."""
    m = res["machine"]
    rows: list[tuple[str, str, str]] = []

    def add(what: str, figure: str, target: str = "") -> None:
        rows.append((what, figure, target))

    if "ingest" in res:
        i = res["ingest"]
        st = i["steps"]
        add(f"first ingest ({i['pdfs']} PDFs, {i['pages']} pages, {i['films']} films, "
            f"{i['workers']} workers, {i['delay']} s politeness rest per download)",
            f"{i['wall_s']:.1f} s wall; {i['failed']} failed")
        add("PDFs/s, pages/s", f"{i['pdfs'] / i['wall_s']:.1f} PDFs/s, "
            f"{i['pages'] / i['wall_s']:.0f} pages/s")
        add("  split: page fetch+parse (main thread)", f"{st.get('page', 0):.1f} s")
        add("  split: fetch (summed over worker threads)", f"{st.get('fetch', 0):.1f} s")
        add("  split: extract (pypdf, summed over threads)", f"{st.get('extract', 0):.1f} s")
        add("  split: films (yt-dlp + captions, summed)", f"{st.get('film', 0):.1f} s")
        add("  split: catalog writes (main thread)", f"{st.get('catalog', 0):.1f} s")
        add("  split: index (index_events, main thread)",
            f"{st.get('index', 0):.1f} s ({i['indexed_docs']} docs), of which "
            f"{st.get('lexicon', 0):.1f} s counting the whole catalog's words (prepare_lexicon)")
    if "scaling" in res:
        s = res["scaling"]
        add(f"extraction, {s['files']} PDFs: 1 worker vs {s['cores']}",
            f"{s['one_s']:.1f} s vs {s['per_core_s']:.1f} s = {s['ratio']:.2f}×",
            "≥ 1.8× on 2 cores")
    if "pdftotext_s" in res.get("pdf_tools", {}):
        p = res["pdf_tools"]
        add(f"pypdf vs pdftotext ({p['files']} PDFs, {p['pages']} pages)",
            f"extract_pdf {p['extract_pdf_s']:.1f} s (in-process pypdf {p['pypdf_inprocess_s']:.1f}"
            f" s) vs pdftotext {p['pdftotext_s']:.1f} s = {p['ratio']:.1f}× "
            f"({p['ratio_inprocess']:.1f}× in-process)")
    if "big_pdf" in res:
        b = res["big_pdf"]
        add(f"peak RSS, one {b['pages']}-page {b['pdf_mb']:.0f} MB PDF",
            f"{b['tree_peak_mb']:.0f} MB process tree (sampled PSS); peak RSS main "
            f"{b.get('main_maxrss_mb', 0):.0f} MB, extractor "
            f"{b.get('extractor_maxrss_mb', 0):.0f} MB; {b.get('pages_extracted')} "
            f"pages in {b.get('seconds', 0):.1f} s", "≤ 300 MB")
    if "search" in res:
        s = res["search"]
        n = s["slides"]
        add(f"catalog fill, {n} slides (no HTTP)", f"{s['catalog_s']:.1f} s")
        add(f"index build, {s['docs']} docs (library rebuild)",
            f"{s['index_s']:.1f} s ({s['docs'] / s['index_s']:.0f} docs/s), of which "
            f"{s['lexicon_s']:.1f} s prepare_lexicon")
        if "plain_index_s" in s:
            add("index build, plain 1-doc-at-a-time Whoosh writer",
                f"{s['plain_index_s']:.1f} s; library writing is "
                f"{s['plain_index_s'] / (s['index_s'] - s['lexicon_s']):.2f}× faster "
                f"({s['plain_index_s'] / s['index_s']:.2f}× with prepare_lexicon)", "≥ 2×")
        add("index size on disk", f"{s['index_bytes'] / 1e6:.1f} MB "
            f"(FTS5 {s['fts5']['fts5_bytes'] / 1e6:.1f} MB)")
        for kind, lat in s["latency"].items():
            target = "p95 ≤ 50 ms at 100k" if kind == "2-word" else ""
            add(f"search {kind}, konfarkiv (grouped, highlighted)",
                f"p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms", target)
        f = s["fts5"]
        add("FTS5 build vs Whoosh (library) build",
            f"{f['fts5_build_s']:.1f} s vs {s['index_s']:.1f} s = "
            f"{s['index_s'] / f['fts5_build_s']:.0f}×")
        for kind in search_latency_kinds(f):
            k = f[kind]
            add(f"top-10 + snippets {kind}: Whoosh vs FTS5",
                f"p50 {k['whoosh_p50']:.1f} vs {k['fts5_p50']:.2f} ms = "
                f"{k['whoosh_p50'] / max(k['fts5_p50'], 1e-3):.0f}×; p95 {k['whoosh_p95']:.1f} vs "
                f"{k['fts5_p95']:.2f} ms")
        c = s["cold"]
        add("cold `konfarkiv search` process", f"median {c['median_s']:.2f} s, min "
            f"{c['min_s']:.2f} s (bare python {c['python_startup_s']:.2f} s)", "≤ 0.5 s")
        add("slowest imports (cumulative)",
            ", ".join(f"{name} {sec * 1000:.0f} ms" for name, sec in s["imports"][:5]))
    head = (f"konfarkiv {m['konfarkiv']} ({m['commit']}) · size {res['size']} · {m['date']}\n"
            f"{m['cpu']}, {m['cores']} cores, {m['memory_mb']} MB, {m['os']}; load "
            f"{m['load_at_start'][0]:.1f} at start, {m['load_at_end'][0]:.1f} at end (shared "
            f"machine)\nPython {m['python']}, Whoosh-Reloaded {m['whoosh']}, pypdf {m['pypdf']}, "
            f"yt-dlp {m['yt-dlp']}, SQLite {m['sqlite']}, {m['pdftotext']}\n")
    width = max(len(r[0]) for r in rows) if rows else 10
    lines = [f"| {'step':<{width}} | figure | target |", f"|{'-' * (width + 2)}|---|---|"]
    lines += [f"| {a:<{width}} | {b} | {c} |" for a, b, c in rows]
    out = head + "\n" + "\n".join(lines)
    if res.get("reingest"):
        out += "\n\nreingest.py:\n" + res["reingest"]
    return out


def search_latency_kinds(f: dict[str, Any]) -> list[str]:
    return [k for k, v in f.items() if isinstance(v, dict)]


def main() -> None:
    parser = argparse.ArgumentParser(description="konfarkiv benchmarks")
    parser.add_argument("--size", choices=list(corpus.SIZES), default="small")
    parser.add_argument("--events", type=int, default=None,
                        help="ingest only this many events over HTTP (search size unchanged)")
    parser.add_argument("--sample", type=int, default=60,
                        help="PDFs for the extraction scaling and pypdf/pdftotext comparison")
    parser.add_argument("--delay", type=float, default=None,
                        help="politeness rest per host after a download (default: the library's)")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-reingest", action="store_true")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain-writer indexing baseline")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        _rss_child(*args.rss_child)
        return
    started = time.perf_counter()
    res = run(args)
    res["total_s"] = time.perf_counter() - started
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False, default=str))
    print(table(res))
    print(f"\n(benchmark wall time {res['total_s']:.0f} s)")


if __name__ == "__main__":
    main()
