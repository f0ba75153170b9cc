"""One id grammar: every id prints as the commands take it back, and nothing else reads."""

from __future__ import annotations

import dataclasses

import pytest

from konfarkiv.archive.ref import ItemKind, Ref, RefError


@pytest.mark.parametrize("text", ["event:3", "session:12", "material:4", "material:4@5",
                                  "material:7@0"])
def test_every_id_prints_as_it_is_read(text: str) -> None:
    assert str(Ref.parse(text)) == text


@pytest.mark.parametrize(("text", "ref"), [
    ("e:3", Ref.event(3)), ("S:12", Ref.session(12)), ("m:4@5", Ref.material(4, 5)),
    ("  MATERIAL:4@65.75 ", Ref.material(4, 65)), ("7", Ref.event(7)),
])
def test_short_and_loose_forms_read_as_the_same_ref(text: str, ref: Ref) -> None:
    assert Ref.parse(text) == ref


def test_a_bare_number_is_the_callers_default_kind_or_nothing() -> None:
    assert Ref.parse("7", default=ItemKind.SESSION) == Ref.session(7)
    assert Ref.read("7", default=None) is None
    with pytest.raises(RefError, match="'7' is not an id"):
        Ref.parse("7", default=None)


@pytest.mark.parametrize("text", ["slides.pdf", "event:", "event:x", "film:3", "material:-1",
                                  "material:4@", "4@5", "event:1234567890123456789",
                                  "https://example.org/event:3"])
def test_what_is_no_id_is_refused_with_the_forms_that_work(text: str) -> None:
    assert Ref.read(text) is None
    with pytest.raises(RefError) as e:
        Ref.parse(text)
    assert text.strip() in e.value.message and "material:ID@PAGE" in (e.value.hint or "")


@pytest.mark.parametrize("text", ["session:1@3", "event:2@10"])
def test_only_a_material_has_a_place(text: str) -> None:
    with pytest.raises(RefError, match="only a material has pages or moments"):
        Ref.parse(text)
    with pytest.raises(RefError):
        Ref(ItemKind.SESSION, 1, 3)


def test_a_ref_is_a_frozen_value_and_its_item_drops_the_place() -> None:
    ref = Ref.material(4, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.id = 5  # type: ignore[misc]
    assert ref.item == Ref.material(4) and ref.item.at is None
    assert {Ref.parse("m:4@5"), ref} == {ref}
    assert Ref.material(7, 65.9).at == 65
