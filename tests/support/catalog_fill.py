"""Archives filled straight through the catalog's API (no pages, no PDFs, no HTTP): the
cheapest archive that has something to index and search."""

from __future__ import annotations

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.model import Material, Session


def fill(archive: Archive, events: int = 6, pages: int = 4) -> None:
    """A few events, each with one session and one PDF of Swedish pages."""
    cat = archive.catalog
    for e in range(events):
        with cat.transaction():
            url = f"http://127.0.0.1/e{e}.html"
            sha = f"{e:064x}"
            cat.record_blob(sha, 1, "text/html")
            eid = cat.upsert_event(page_key=url, url=url, title=f"Nätverksmöte {e}",
                                   date="2020-01-01", intro="", page_sha256=sha)
            pdf = Material("pdf", "Presentation", f"http://127.0.0.1/e{e}.pdf")
            sids = cat.sync_sessions(eid, [Session(f"Miljömålsarbete {e}", "Hållbar stad",
                                                   materials=(pdf,))])
            row = cat.sync_materials(eid, [(sids[0], pdf)])[0]
            cat.material_fetched(row.id, sha256=sha, size=1, content_type=None, etag=None,
                                 last_modified=None, status="ok")
            cat.add_document(row.id, sha256=sha, outcome="text", tool="test", seconds=0,
                             warnings=0, error=None,
                             pages=[f"Sida {p} om stadsutveckling i kommun {e}"
                                    for p in range(pages)])
