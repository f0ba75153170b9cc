"""What a re-run costs: first ingest of a small corpus against `update` of it unchanged.

Serves a generated corpus (event pages, multi-page PDFs, films with captions) from
the test kit's real HTTP server on 127.0.0.1, ingests it into a fresh archive, then
runs `update` over the unchanged corpus, and prints wall times, their ratio (target
<= 5%), requests, and body bytes downloaded. Both runs use the same politeness
settings (default: the CLI's): at most --per-host requests in flight per host, and
--delay seconds of rest for a host after each download (a 304 is not a download).

Usage: python benchmarks/reingest.py [--events 12] [--pdfs 4] [--slides 12] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.media import film_page, media_file, webvtt  # noqa: E402
from support.pdfs import make_pdf  # noqa: E402
from support.server import TestServer  # noqa: E402

from konfarkiv.app import write  # noqa: E402
from konfarkiv.archive.archive import Archive  # noqa: E402
from konfarkiv.ingest.politeness import polite_fetcher  # noqa: E402
from konfarkiv.ingest.run import ingest  # noqa: E402
from konfarkiv.ingest.update import UpdateOptions, update  # noqa: E402

WORDS = ("kommun region klimat miljömål stadsutveckling vatten skola omsorg budget "
         "uppföljning styrning nätverk hållbarhet invånare trafik energi planering "
         "samverkan digitalisering äldreomsorg folkhälsa översiktsplan dagvatten").split()


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(server: TestServer, events: int, pdfs: int, slides: int, films: bool,
          seed: int) -> list[str]:
    """Serve the corpus; returns the event pages' URLs."""
    rng = random.Random(seed)
    video = None
    if films:
        video = media_file("tiny.mp4").read_bytes()  # the tests' 3-second fixture
        server.add_file("/film/film.mp4", video, content_type="video/mp4")
    urls = []
    for e in range(events):
        links = []
        for p in range(pdfs):
            path = f"/files/e{e}/presentation{p}.pdf"
            server.add_file(path, make_pdf(None, [text(rng, 150) for _ in range(slides)]))
            links.append(f'<p><strong>Pass {p + 1}: {text(rng, 5)}</strong></p>'
                         f'<p>Anna Andersson {p}, SKR</p>'
                         f'<p><a href="{path}">Presentation (PDF, nytt fönster)</a></p>')
        if video is not None:
            cues = [(i * 5.0, i * 5.0 + 4, text(rng, 8)) for i in range(60)]
            server.add_file(f"/film/e{e}.vtt", webvtt(cues), content_type="text/vtt")
            server.add_file(f"/film/e{e}.html", film_page(f"Film {e}", "film.mp4", f"e{e}.vtt"))
            links.append(f'<p><a href="/film/e{e}.html">Se film, dag {e}, SKR '
                         f'(nytt fönster)</a></p>')
        page = (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
                f"<title>Konferens {e} - SKR</title></head><body><main>"
                f"<h1>Dokumentation: Konferens {e}</h1><p>{text(rng, 30)}</p>"
                + "".join(links) + "</main></body></html>")
        urls.append(server.add_file(f"/dokumentation/konferens{e}.{7000 + e}.html", page))
    return urls


def wire(server: TestServer) -> dict[str, int]:
    reqs = server.requests
    return {"requests": len(reqs), "not_modified": sum(r.status == 304 for r in reqs),
            "body_bytes": sum(r.body_bytes for r in reqs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=12)
    ap.add_argument("--pdfs", type=int, default=4, help="PDFs per event")
    ap.add_argument("--slides", type=int, default=12, help="pages per PDF")
    ap.add_argument("--no-films", action="store_true", help="leave out one film per event")
    ap.add_argument("--delay", type=float, default=0.1, help="rest per host after a download")
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    with TestServer() as server, tempfile.TemporaryDirectory() as home:
        urls = build(server, args.events, args.pdfs, args.slides, not args.no_films, args.seed)
        opts = UpdateOptions(workers=args.workers, per_host=args.per_host, delay=args.delay)
        with Archive.open(Path(home)) as archive:
            server.clear_log()
            t0 = time.perf_counter()
            first = write(archive, "ingest", lambda a: ingest(
                a, urls, workers=args.workers,
                fetcher=polite_fetcher(a.store, per_host=args.per_host, delay=args.delay)))
            first_s = time.perf_counter() - t0
            first_wire = wire(server)
            docs = archive.catalog.one("SELECT count(*) FROM documents")[0]

            server.clear_log()
            t0 = time.perf_counter()
            again = write(archive, "update", lambda a: update(a, opts))
            again_s = time.perf_counter() - t0
            again_wire = wire(server)
            assert archive.catalog.one("SELECT count(*) FROM documents")[0] == docs
        tally = again.tally()
        out = {
            "corpus": {"events": args.events, "pdfs": args.events * args.pdfs,
                       "pages_per_pdf": args.slides, "films": 0 if args.no_films
                       else args.events},
            "settings": {"delay": args.delay, "per_host": args.per_host,
                         "workers": args.workers},
            "first_ingest": {"seconds": round(first_s, 3), **first_wire,
                             "failures": len(first.failures)},
            "update_unchanged": {"seconds": round(again_s, 3), **again_wire,
                                 "tally": {k: {o: n for o, n in v.items() if n}
                                           for k, v in tally.items()},
                                 "indexed_docs": again.indexed_docs},
            "ratio": round(again_s / first_s, 4),
        }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    c, f, u = out["corpus"], out["first_ingest"], out["update_unchanged"]
    print(f"corpus: {c['events']} events, {c['pdfs']} PDFs of {c['pages_per_pdf']} pages, "
          f"{c['films']} films; delay {args.delay} s, {args.per_host} per host, "
          f"{args.workers} workers")
    print(f"first ingest:     {f['seconds']:8.2f} s  {f['requests']:5d} requests  "
          f"{f['body_bytes']:>10,d} body bytes  ({f['failures']} failures)")
    print(f"update unchanged: {u['seconds']:8.2f} s  {u['requests']:5d} requests  "
          f"{u['body_bytes']:>10,d} body bytes  ({u['not_modified']} answered 304)")
    print(f"update outcomes:  {u['tally']}; indexed {u['indexed_docs']} documents")
    print(f"ratio update/first ingest: {out['ratio']:.1%} (target <= 5%)")


if __name__ == "__main__":
    main()
