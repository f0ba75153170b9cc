"""Same-run comparisons: pypdf against pdftotext, Whoosh against SQLite FTS5.

Both report ratios as well as times. FTS5 (unicode61 tokenizer) does no
stemming and no compound splitting, so it does less work per query than
konfarkiv's Whoosh fields: the ratio is the price of that analysis plus Whoosh
being pure Python. Usable alone: ``python benchmarks/compare.py PDF...``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def pdf_tools(paths: list[Path]) -> dict[str, Any]:
    """Seconds for the same PDFs: konfarkiv's extract_pdf (pypdf in a child per file),
    pypdf in-process, and poppler's pdftotext (one process per file) when installed."""
    from pypdf import PdfReader

    from konfarkiv.ingest.pdftext import extract_pdf

    pages = 0
    started = time.perf_counter()
    for p in paths:
        pages += extract_pdf(p, time_limit=600).page_count
    konfarkiv_s = time.perf_counter() - started
    started = time.perf_counter()
    for p in paths:
        for page in PdfReader(p).pages:
            page.extract_text()
    inproc_s = time.perf_counter() - started
    figures = {"files": len(paths), "pages": pages, "extract_pdf_s": konfarkiv_s,
               "pypdf_inprocess_s": inproc_s}
    if shutil.which("pdftotext") is None:
        print("pdftotext not installed (apt-get install poppler-utils): comparison skipped",
              file=sys.stderr)
        return figures
    started = time.perf_counter()
    for p in paths:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True,
                       check=True)
    poppler_s = time.perf_counter() - started
    return {**figures, "pdftotext_s": poppler_s, "ratio": konfarkiv_s / poppler_s,
            "ratio_inprocess": inproc_s / poppler_s}


def _fts5_query(text: str) -> str:
    """Our query text as an FTS5 MATCH expression (quoted terms, phrases kept)."""
    if text.startswith('"'):
        return text
    return " ".join(f'"{w}"' for w in text.split())


def fts5_vs_whoosh(home: Path, queries: dict[str, list[str]], repeats: int = 5) -> dict[str, Any]:
    """Build both over the same documents; top 10 with highlighted snippets per query."""
    from stats import percentile

    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.documents import event_documents
    from konfarkiv.search.expansion import parse_query
    from konfarkiv.search.index import open_index
    from konfarkiv.search.snippets import make_snippet

    with Archive.open(home) as archive:
        events = [r["id"] for r in archive.catalog.all("SELECT id FROM events ORDER BY id")]
        docs = [d for e in events for d in event_documents(archive.catalog, e)
                if d["kind"] != "unit"]
        index_dir = archive.layout.index
    texts = {d["id"]: d.get("body") or "" for d in docs}

    db_path = home / "fts5.sqlite"
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
               "tokenize='unicode61')")
    with db:
        db.executemany("INSERT INTO docs(id, title, body) VALUES (?,?,?)",
                       ((d["id"], d.get("title") or "", d.get("body") or "") for d in docs))
    fts_build = time.perf_counter() - started
    fts_bytes = db_path.stat().st_size

    out: dict[str, Any] = {"docs": len(docs), "fts5_build_s": fts_build, "fts5_bytes": fts_bytes}
    ix = open_index(index_dir)
    analyzer = ix.schema["body"].analyzer
    with ix.searcher() as searcher:
        for kind, qs in queries.items():
            w_times: list[float] = []
            f_times: list[float] = []
            for q in qs:
                for i in range(repeats + 1):
                    started = time.perf_counter()
                    query = parse_query(q)
                    terms = {t.decode() if isinstance(t, bytes) else t
                             for f, t in query.all_terms() if f in ("title", "body")}
                    for hit in searcher.search(query, limit=10):
                        make_snippet(texts.get(hit["id"], ""), terms, analyzer)
                    if i:
                        w_times.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    db.execute("SELECT id, snippet(docs, 2, '[', ']', '…', 24) FROM docs "
                               "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
                               (_fts5_query(q),)).fetchall()
                    if i:
                        f_times.append((time.perf_counter() - started) * 1000)
            out[kind] = {"whoosh_p50": percentile(w_times, 50),
                         "whoosh_p95": percentile(w_times, 95),
                         "fts5_p50": percentile(f_times, 50), "fts5_p95": percentile(f_times, 95)}
    ix.close()
    db.close()
    db_path.unlink(missing_ok=True)
    return out


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        sys.exit("usage: compare.py PDF...")
    for key, value in pdf_tools(paths).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
