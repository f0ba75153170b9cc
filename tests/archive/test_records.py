"""The catalog hands out frozen, typed records: kinds and statuses are enums, ids are Refs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import Material, Session
from konfarkiv.archive.records import (
    Event,
    EventStatus,
    MaterialKind,
    MaterialStatus,
    Origin,
    SessionStatus,
)
from konfarkiv.archive.records import Material as MaterialRecord
from konfarkiv.archive.ref import Ref


def test_reads_are_frozen_records_with_enums_and_refs(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "catalog.sqlite")
    with cat.transaction():
        eid = cat.upsert_event(page_key="k", url="http://127.0.0.1/e", title="Mötet",
                               date="2020-01-01", intro="Om vatten", page_sha256=None)
        pdf = Material("pdf", "Bilder", "http://127.0.0.1/b.pdf")
        sid = cat.sync_sessions(eid, [Session("Dagvatten", materials=(pdf,))])[0]
        [m] = cat.sync_materials(eid, [(sid, pdf)])
    event = cat.event(eid)
    assert isinstance(event, Event) and event.title == "Mötet"
    assert event.status is EventStatus.OK and event.ref == Ref.event(eid)
    [session] = cat.live_sessions(eid)
    assert session.status is SessionStatus.OK and str(session.ref) == f"session:{sid}"
    assert isinstance(m, MaterialRecord) and m.kind is MaterialKind.PDF
    assert m.status is MaterialStatus.PENDING and m.origin is Origin.PAGE
    assert m.permanent is False and m.status == "pending"  # a StrEnum is its stored string
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.label = "x"  # type: ignore[misc]
    assert cat.event(eid + 1) is None and cat.material(m.id + 1) is None
    cat.close()


def test_a_column_added_later_does_not_break_a_record(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "catalog.sqlite")
    cat.db.execute("ALTER TABLE events ADD COLUMN added_by_a_later_version TEXT")
    with cat.transaction():
        eid = cat.upsert_event(page_key="k", url="http://127.0.0.1/e", title="Mötet",
                               date=None, intro="", page_sha256=None)
    event = cat.event(eid)
    assert event is not None and event.title == "Mötet"
    assert not hasattr(event, "added_by_a_later_version")
    cat.close()
