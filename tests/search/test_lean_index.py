"""What the index holds only to show a hit is stored, not indexed (issue 23): a slide's
page and a caption window's second open the hit but are never searched, and their
numeric terms were a fifth of the index's terms."""

from __future__ import annotations

from pathlib import Path

from support.catalog_fill import fill

from konfarkiv.archive.archive import Archive
from konfarkiv.search.index import open_index, rebuild


def test_page_is_stored_for_the_hit_and_makes_no_terms(tmp_path: Path):
    with Archive.open(tmp_path / "home") as archive:
        fill(archive, events=1, pages=3)
        rebuild(archive.layout.index, archive.catalog)
        ix = open_index(archive.layout.index)
        try:
            with ix.searcher() as s:
                pages = sorted(f["page"] for f in s.all_stored_fields() if f["kind"] == "slide")
                assert pages == [1, 2, 3]
                fields = {fieldname for fieldname, _ in s.reader().all_terms()}
                assert "body" in fields and not fields & {"page", "start"}
        finally:
            ix.close()
