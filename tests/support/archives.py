"""Archives built for tests by the real ingest, as `konfarkiv ingest` builds them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from konfarkiv.app import write
from konfarkiv.archive.archive import Archive
from konfarkiv.ingest.run import ingest


def ingested_archive(home: Path, sources: Iterable[str | Path]) -> Path:
    """An archive at `home` holding `sources` (pages: paths or URLs), ingested and indexed
    through the one writing surface; every item and the indexing must succeed."""
    archive = Archive.open(home)
    try:
        report = write(archive, "ingest", lambda a: ingest(a, [str(s) for s in sources]))
        assert not report.failures, [r.line() for r in report.failures]
        assert not report.index_error, report.index_error
    finally:
        archive.close()
    return home


#: Three pages in the style of real ones (SKR, SKL Sitevision, Länsstyrelsen/RUS, with their
#: header, navigation and footer): tests/real_query_pages, and the PDFs they link.
REAL_QUERY_PAGES = Path(__file__).resolve().parents[1] / "real_query_pages"
REAL_QUERY_PDFS = {
    "/download/18.6b1c2d3e4f5a6b7c8d9e0f1a/1561990000000/likvardig-skola.pdf": [
        "En likvärdig skola för alla\nPer Holm, Skolverket\nAlmedalen, 2 juli 2019",
        "Resurser efter behov\nSocioekonomiskt index styr fördelningen mellan skolor.",
    ],
    "/download/18.1a2b3c4d5e6f7a8b9c0d1e2f/1542700000000/gronstruktur.pdf": [
        "Grönstrukturen i den täta staden\nHanna Vik, Malmö stad",
        "Gröna stråk\nSpridningskorridorer för pollinatörer mellan parkerna.",
    ],
}


def real_query_archive(home: Path) -> Path:
    """The three pages and their PDFs served on 127.0.0.1 and ingested into home."""
    from support.pdfs import make_pdf
    from support.server import TestServer

    with TestServer() as server:
        for path, pages in REAL_QUERY_PDFS.items():
            server.add_file(path, make_pdf(None, pages, title=pages[0].split("\n")[0]))
        urls = [server.add_file(f"/dokumentation/{p.name}", p.read_text("utf-8"))
                for p in sorted(REAL_QUERY_PAGES.glob("*.html"))]
        return ingested_archive(home, urls)
