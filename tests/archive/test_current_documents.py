"""Catalog.current_documents: each material's current PDF version in one read (the web's
thumbnails for a page of hits); a re-fetched PDF's new version replaces the old one."""

from __future__ import annotations

from pathlib import Path

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.model import Material, Session


def test_current_documents_names_each_materials_current_version(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "arkiv") as a, a.catalog.transaction():
        cat = a.catalog
        url = "http://127.0.0.1/dokumentation/mote.html"
        eid = cat.upsert_event(page_key=url, url=url, title="Möte", date="2024-01-01",
                               intro="", page_sha256=None)
        sid = cat.sync_sessions(eid, [Session("Vatten", "", (), ())])[0]
        rows = cat.sync_materials(eid, [(sid, Material("pdf", f"Bilder {n}", f"{url}.{n}.pdf"))
                                        for n in (1, 2, 3)])
        versions = []
        for n, data in enumerate((b"%PDF-1 first", b"%PDF-1 second", b"%PDF-1 other")):
            stored = a.store.put_bytes(data)
            cat.record_blob(stored.sha256, stored.size, "application/pdf")
            material = rows[0].id if n < 2 else rows[1].id
            versions.append(cat.add_document(material, sha256=stored.sha256, outcome="text",
                                             pages=["Dagvatten"], tool="test", seconds=0.0,
                                             warnings=0, error=None))
        found = cat.current_documents([rows[0].id, rows[1].id, rows[2].id, rows[0].id])
    assert found == {rows[0].id: versions[1], rows[1].id: versions[2]}  # the third has none
