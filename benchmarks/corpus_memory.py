"""Peak memory of ingesting one page that links every real PDF of the evaluation corpus.

The PDFs of $KONFARKIV_PDF_CORPUS (read in place, never copied) are served by the test
kit's real HTTP server on 127.0.0.1 with one page linking them all; `konfarkiv ingest`
runs in a fresh process. The process tree (ingest, its extraction children and any
helper process) is sampled every 20 ms: the sum of RSS (what the issue measured) and of
PSS (shared pages split, so a fork is not counted twice). Each process's own peak
(VmHWM) is kept too. Reference: 300 MB for the tree.

OCR is on when Tesseract is installed (pages without a text layer are rendered and read in
the extraction children, tesseract processes below them); --no-ocr measures without it.

    KONFARKIV_PDF_CORPUS=/work/shared/eval/pdfs python benchmarks/corpus_memory.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests")]

from support.server import TestServer  # noqa: E402

REFERENCE_MB = 300


def process_tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return seen


def _field(pid: int, name: str, where: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{where}").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def measure(folder: Path, workers: int, ocr: bool = True) -> dict[str, float]:
    pdfs = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf")
    with TestServer() as server, tempfile.TemporaryDirectory() as home:
        links = []
        for n, p in enumerate(pdfs):
            server.add_file(f"/pdf/{n}.pdf", p.read_bytes(), content_type="application/pdf")
            links.append(f'<p><a href="/pdf/{n}.pdf">Bilaga {n} (PDF)</a></p>')
        url = server.add_file("/korpus.html", (
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Korpus</title>'
            '</head><body><main><h1>Dokumentation: Korpus</h1><h2>Alla filer</h2>'
            + "".join(links) + "</main></body></html>"))
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from konfarkiv.cli import main; main()",
                                 "--home", home, "ingest", "--workers", str(workers), url,
                                 *([] if ocr else ["--no-ocr"])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rss = pss = 0
        hwm: dict[int, int] = {}
        while proc.poll() is None:
            pids = process_tree(proc.pid)
            rss = max(rss, sum(_field(p, "VmRSS") for p in pids))
            pss = max(pss, sum(_field(p, "Pss", "smaps_rollup") for p in pids))
            for p in pids:
                hwm[p] = max(hwm.get(p, 0), _field(p, "VmHWM"))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        status = json.loads(subprocess.run(
            [sys.executable, "-c", "from konfarkiv.cli import main; main()", "--home", home,
             "status", "--json"], capture_output=True, text=True, check=True).stdout)
    return {"files": len(pdfs), "seconds": seconds, "exit": proc.returncode,
            "pages": status["pages"], "ocr_done": status["ocr_done"],
            "ocr_waiting": status["ocr_waiting"], "ocr_failed": status["ocr_failed"],
            "ocr_blank": status["ocr_blank"],
            "tree_rss_mb": rss / 1024, "tree_pss_mb": pss / 1024,
            "main_hwm_mb": hwm.get(proc.pid, 0) / 1024,
            "largest_other_hwm_mb": max((v for k, v in hwm.items() if k != proc.pid),
                                        default=0) / 1024,
            "processes_seen": len(hwm)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=os.environ.get("KONFARKIV_PDF_CORPUS"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ocr", action="store_true",
                    help="ingest --no-ocr: pages without a text layer wait (the reference)")
    args = ap.parse_args()
    if not args.folder:
        sys.exit("give the corpus folder or set KONFARKIV_PDF_CORPUS")
    from konfarkiv.ingest.ocr import find_engine

    engine, why = find_engine()
    ocr = not args.no_ocr
    r = measure(Path(args.folder), args.workers, ocr)
    print(f"ingest of one page linking {r['files']} real PDFs, --workers {args.workers}: "
          f"{r['seconds']:.1f} s, exit {r['exit']}")
    print(f"  OCR: {'off (--no-ocr)' if not ocr else engine.label if engine else why}; "
          f"{r['pages']} pages, {r['ocr_done']} read by OCR, {r['ocr_failed']} failed, "
          f"{r['ocr_waiting']} waiting, {r['ocr_blank']} blank")
    print(f"  process tree peak, sum of RSS : {r['tree_rss_mb']:6.0f} MB  "
          f"(reference <= {REFERENCE_MB} MB)")
    print(f"  process tree peak, sum of PSS : {r['tree_pss_mb']:6.0f} MB")
    print(f"  ingest process own peak (HWM) : {r['main_hwm_mb']:6.0f} MB")
    print(f"  largest other process (HWM)   : {r['largest_other_hwm_mb']:6.0f} MB "
          f"({r['processes_seen']} processes seen)")


if __name__ == "__main__":
    main()
