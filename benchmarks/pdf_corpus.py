"""Run konfarkiv's PDF text extraction over a folder of real-world PDFs.

Prints one row per file (pages, characters, seconds, outcome, child peak memory,
reason) and totals with the slowest files; --json prints the same as data for
tests/ingest/test_real_pdf_corpus.py. Each file runs in its own pypdf child, killed at the
time limit, exactly as `konfarkiv ingest` runs it.

    python benchmarks/pdf_corpus.py [FOLDER] [--time-limit 20] [--jobs 2] [--json]

FOLDER defaults to $KONFARKIV_PDF_CORPUS. The files are read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from konfarkiv.ingest.pdftext import extract_pdf

ENV = "KONFARKIV_PDF_CORPUS"


def self_peak_mb() -> float:
    """This process's own peak RSS. VmHWM, not ru_maxrss: getrusage keeps the peak
    across exec, so a run started from a big process (pytest) would report that."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(path: Path, time_limit: float) -> dict[str, Any]:
    """One file's row; an exception here would be a konfarkiv bug, so it is recorded too."""
    started = time.monotonic()
    try:
        x = extract_pdf(path, time_limit=time_limit)
    except Exception as exc:  # noqa: BLE001 - the table must show it, not stop
        return {"file": path.name, "bytes": path.stat().st_size, "pages": 0, "chars": 0,
                "seconds": round(time.monotonic() - started, 2), "outcome": "crashed",
                "error": f"{type(exc).__name__}: {exc}", "peak_rss_mb": 0.0}
    return {"file": path.name, "bytes": path.stat().st_size, "pages": x.page_count,
            "chars": x.chars, "seconds": round(x.seconds, 2), "outcome": x.outcome,
            "error": x.error, "peak_rss_mb": round(x.peak_rss_kb / 1024, 1)}


def run_corpus(folder: Path, time_limit: float, jobs: int) -> dict[str, Any]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        rows = list(pool.map(lambda p: run_one(p, time_limit), files))
    wall = time.monotonic() - started
    self_mb = self_peak_mb()
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    outcomes: dict[str, int] = {}
    for r in rows:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    return {
        "folder": str(folder),
        "time_limit": time_limit,
        "jobs": jobs,
        "files": rows,
        "totals": {
            "files": len(rows),
            "pages": sum(r["pages"] for r in rows),
            "chars": sum(r["chars"] for r in rows),
            "extract_seconds": round(sum(r["seconds"] for r in rows), 1),
            "wall_seconds": round(wall, 1),
            "outcomes": outcomes,
            "parent_peak_mb": round(self_mb, 1),
            "child_peak_mb": round(children_mb, 1),
            # Every child running at once at its peak beside the parent at its peak:
            # an upper bound on the run's memory (shared pages counted twice).
            "run_peak_bound_mb": round(self_mb + max(1, jobs) * children_mb, 1),
        },
    }


def print_table(result: dict[str, Any], slowest: int = 8) -> None:
    rows = result["files"]
    width = max(len(r["file"]) for r in rows)
    print(f"{'file':<{width}}  {'pages':>5}  {'chars':>8}  {'sec':>6}  {'MB':>5}  outcome  reason")
    for r in rows:
        reason = (r["error"] or "")[:90]
        print(f"{r['file']:<{width}}  {r['pages']:>5}  {r['chars']:>8}  {r['seconds']:>6.2f}  "
              f"{r['peak_rss_mb']:>5.0f}  {r['outcome']:<7}  {reason}")
    t = result["totals"]
    print()
    print(f"files {t['files']}, pages {t['pages']}, characters {t['chars']}, "
          f"extraction {t['extract_seconds']} s, wall {t['wall_seconds']} s "
          f"({result['jobs']} at a time, limit {result['time_limit']:g} s per file)")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(t["outcomes"].items())))
    print(f"peak memory: parent {t['parent_peak_mb']} MB, largest child {t['child_peak_mb']} MB,"
          f" bound for the run {t['run_peak_bound_mb']} MB")
    print(f"slowest {slowest}:")
    for r in sorted(rows, key=lambda r: -r["seconds"])[:slowest]:
        print(f"  {r['seconds']:6.2f} s  {r['file']} ({r['pages']} pages, {r['outcome']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=os.environ.get(ENV))
    ap.add_argument("--time-limit", type=float, default=20.0, help="seconds per file")
    ap.add_argument("--jobs", type=int, default=2, help="files extracted at once")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    if not args.folder:
        print(f"no corpus: give a folder or set {ENV}", file=sys.stderr)
        return 2
    result = run_corpus(Path(args.folder), args.time_limit, args.jobs)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
