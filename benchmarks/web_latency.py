"""`konfarkiv serve` latency: the warm search page beside the library's search alone,
and a cached slide thumbnail.

A catalog of generated events (corpus.py, through the catalog API, as search_latency.py
does) is indexed with the library's `rebuild`; one real PDF is stored for the thumbnail.
Then `konfarkiv serve --port 0` runs in its own process and each query of
search_latency.QUERIES is fetched over HTTP on 127.0.0.1 (keep-alive), after one warm-up,
beside `search()` called in this process on the same archive. The HTML page's time
includes matching hits back to their catalog rows and rendering; thumbnails are separate
requests and are not in it. Usage: ``python benchmarks/web_latency.py --size 10k``.

``--size real`` measures the same on an archive of the 49 real pages of the development
corpus (../shared/pages, or $KONFARKIV_PAGES), ingested from its own server, with the
hand-written queries of relevance/real_queries.json. The library's search() is asked for
what the page asks: its page size, facets with counts over every match, and snippets for
the hits a result shows at once (web.app.HITS_SHOWN).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import corpus  # noqa: E402
from search_latency import QUERIES, make_archive  # noqa: E402
from stats import percentile  # noqa: E402

TARGETS = {"search page p95 ms": 100.0, "cached thumbnail p95 ms": 10.0}


def add_real_pdf(home: Path, pages: int = 10) -> int:
    """One event with a real stored PDF; returns its document id (for /thumb/)."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.archive.model import Material, Session

    gen = corpus.TextGen(7)
    data = corpus.pdf_bytes([gen.slide() for _ in range(pages)])
    with Archive.open(home) as a, a.catalog.transaction():
        cat = a.catalog
        stored = a.store.put_bytes(data)
        cat.record_blob(stored.sha256, stored.size, "application/pdf")
        url = "http://127.0.0.1/dokumentation/thumb.html"
        eid = cat.upsert_event(page_key=url, url=url, title="Tumnaglar", date="2024-01-01",
                               intro="", page_sha256=None)
        sid = cat.sync_sessions(eid, [Session("Bilder", "", (), ())])[0]
        row = cat.sync_materials(eid, [(sid, Material("pdf", "Bilder", url + ".pdf"))])[0]
        cat.material_fetched(row.id, sha256=stored.sha256, size=stored.size,
                             content_type="application/pdf", etag=None, last_modified=None,
                             status="ok")
        return cat.add_document(row.id, sha256=stored.sha256, outcome="text",
                                pages=[gen.slide() for _ in range(pages)], tool="synthetic",
                                seconds=0.0, warnings=0, error=None)


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    """Milliseconds of repeats calls after one warm-up call."""
    return interleaved({"x": fn}, repeats)["x"]


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Milliseconds per function, the functions taking turns (so a burst of load on a
    shared machine hits all alike); one warm-up call each first."""
    for fn in fns.values():
        fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": round(statistics.median(ms), 1),
            "p95": round(percentile(ms, 95), 1), "max": round(max(ms), 1)}


def real_pages_archive(home: Path) -> tuple[int, list[str]]:
    """The corpus's real pages ingested into home; (slides, its hand-written queries)."""
    import json

    from support.real_pages import corpus_folder, corpus_server
    from support.web import ingest

    from konfarkiv.archive.archive import Archive

    folder = corpus_folder()
    if folder is None:
        sys.exit("no development corpus: set KONFARKIV_PAGES to ../shared/pages")
    with corpus_server(folder) as base:
        done = ingest(home, *[f"{base}/pages/{p.name}"
                              for p in sorted((folder / "pages").glob("*.html"))])
    if done.returncode not in (0, 3):
        sys.exit(f"ingest failed: {done.stderr[-500:]}")
    with Archive.open(home) as a:
        slides = a.catalog.one("SELECT count(*) FROM page_texts")[0]
    queries = json.loads((HERE / "relevance" / "real_queries.json").read_text("utf-8"))
    return slides, [q["query"] for q in queries["queries"]]


def run(size_name: str, work: Path, repeats: int) -> dict[str, Any]:
    import requests
    from support.web import start_serve

    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.index import rebuild
    from konfarkiv.search.query import search
    from konfarkiv.web.app import HITS_SHOWN, PER_PAGE, create_app

    home = work / "arkiv"
    started = time.perf_counter()
    if size_name == "real":
        slides, queries = real_pages_archive(home)
    else:
        slides, _ = make_archive(home, corpus.SIZES[size_name])
        queries = [q for qs in QUERIES.values() for q in qs]
    document = add_real_pdf(home)
    with Archive.open(home) as a:
        docs = rebuild(a.layout.index, a.catalog)
    print(f"archive: {slides} slides, {docs} index documents, made in "
          f"{time.perf_counter() - started:.0f} s", flush=True)

    served = start_serve(home)
    http = requests.Session()
    try:
        def page(q: str) -> Callable[[], Any]:
            def get() -> None:
                r = http.get(served.url + "search", params={"q": q}, timeout=60)
                assert r.status_code == 200 and "träff" in r.text, (q, r.status_code)
            return get

        def api(q: str) -> Callable[[], Any]:
            return lambda: http.get(served.url + "api/search", params={"q": q},
                                    timeout=60).raise_for_status()

        with Archive.open(home) as a:
            def library(q: str) -> Callable[[], Any]:  # what the page asks of it
                return lambda: search(a.layout.index, a.catalog, q, facets=True,
                                      limit=PER_PAGE, snippets=HITS_SHOWN)

            def floor(q: str) -> Callable[[], Any]:  # HTTP alone: a small static file
                return lambda: http.get(served.url + "static/style.css",
                                        timeout=60).raise_for_status()

            client = create_app(home).test_client()

            def in_process(q: str) -> Callable[[], Any]:  # the web code without HTTP
                return lambda: client.get("/search", query_string={"q": q})

            makers = {"library search()": library, "GET /api/search": api,
                      "GET /search (HTML)": page, "GET /static/style.css": floor,
                      "/search in-process, no HTTP": in_process}
            times: dict[str, list[float]] = {name: [] for name in makers}
            for q in queries:
                for name, ms in interleaved({n: m(q) for n, m in makers.items()},
                                            repeats).items():
                    times[name] += ms
            results = {name: summary(ms) for name, ms in times.items()}
            for name, label in (("GET /search (HTML)", "page over HTTP − library"),
                                ("/search in-process, no HTTP", "page in-process − library")):
                results[label] = summary([p - lib for p, lib in zip(
                    times[name], times["library search()"], strict=True)])
        thumb = served.url + f"thumb/{document}/3"
        first = time.perf_counter()
        assert http.get(thumb, timeout=60).headers["Content-Type"] == "image/jpeg"
        results["thumbnail, first render"] = {"n": 1, "p50": round(
            (time.perf_counter() - first) * 1000, 1), "p95": None, "max": None}
        results["thumbnail, cached"] = summary(timed(
            lambda: http.get(thumb, timeout=60).raise_for_status(), repeats * 40))
    finally:
        served.stop()
    return {"slides": slides, "queries": len(queries), "results": results}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=[*sorted(corpus.SIZES), "real"], default="10k",
                    help="generated slides, or 'real': the 49 real pages of ../shared/pages")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per query")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="konfarkiv-web-bench-") as tmp:
        out = run(args.size, Path(tmp), args.repeats)
    print(f"\n{out['slides']} slides, {out['queries']} queries × {args.repeats} warm runs "
          f"(milliseconds, client-side over HTTP on 127.0.0.1)")
    print(f"{'':<32}{'p50':>8}{'p95':>8}{'max':>8}{'n':>6}")
    for name, r in out["results"].items():
        cells = "".join(f"{'' if r[k] is None else r[k]:>8}" for k in ("p50", "p95", "max"))
        print(f"{name:<32}{cells}{r['n']:>6}")
    page, thumb = out["results"]["GET /search (HTML)"], out["results"]["thumbnail, cached"]
    added = out["results"]["page over HTTP − library"]
    print(f"\ntarget: search page p95 ≤ {TARGETS['search page p95 ms']:.0f} ms: "
          f"{page['p95']} ms; the page adds ≤ 15 ms p50 over search(): {added['p50']} ms; "
          f"cached thumbnail ≤ {TARGETS['cached thumbnail p95 ms']:.0f} ms: "
          f"p95 {thumb['p95']} ms")


if __name__ == "__main__":
    main()
