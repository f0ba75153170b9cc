"""The W3C WebVTT parser against the web-platform-tests file-parsing cases.

Each case in webvtt_cases/ is a .vtt file (the case's input, bytes as the suite
writes them) and a .json file (the cues the suite expects: count, id, start, end,
text, and the settings and regions it checks). Rebuilt as our own files from the
suite's facts; a "note" in the JSON says where a case differs and why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from konfarkiv.ingest import webvtt

CASES = Path(__file__).with_name("webvtt_cases")
NAMES = sorted(p.stem for p in CASES.glob("*.json"))


def test_every_case_has_its_input() -> None:
    assert len(NAMES) >= 47
    assert all((CASES / f"{name}.vtt").is_file() for name in NAMES)


def _read(name: str) -> tuple[webvtt.VttFile, dict[str, Any]]:
    raw, expected = _read_raw(name)
    return webvtt.parse(raw), expected


def _read_raw(name: str) -> tuple[str, dict[str, Any]]:
    raw = (CASES / f"{name}.vtt").read_bytes().decode("utf-8")
    return raw, json.loads((CASES / f"{name}.json").read_text("utf-8"))


VALID = [n for n in NAMES if not _read_raw(n)[1].get("not_webvtt")]


@pytest.mark.parametrize("name", [n for n in NAMES if n not in VALID])
def test_a_bad_signature_fails_the_whole_file(name: str) -> None:
    with pytest.raises(webvtt.NotWebVTT):
        webvtt.parse(_read_raw(name)[0])


@pytest.mark.parametrize("name", VALID)
def test_cues_as_the_standard_says(name: str) -> None:
    parsed, expected = _read(name)
    got = [{"id": c.id, "start": c.start, "end": c.end, "text": c.text} for c in parsed.cues]
    assert got == expected["cues"]


@pytest.mark.parametrize("name", [n for n in VALID if "settings" in _read(n)[1]])
def test_cue_settings_as_the_standard_says(name: str) -> None:
    parsed, expected = _read(name)
    for key, values in expected["settings"].items():
        got = [getattr(c.settings, key) for c in parsed.cues]
        assert got == [_number(v) for v in values], key


def _number(value: Any) -> Any:
    """Numbers as JavaScript holds them (doubles): 18446744073709552000 is 2**64."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.mark.parametrize("name", [n for n in VALID if "region" in _read(n)[1]])
def test_regions_as_the_standard_says(name: str) -> None:
    parsed, expected = _read(name)
    regions = [parsed.regions.get(c.settings.region or "\0") for c in parsed.cues]
    for key, values in expected["region"].items():
        if key == "present":
            got: list[Any] = [r is not None for r in regions]
        elif key == "id":
            got = [r.id if r else None for r in regions]
        elif key == "full_from_text":  # each cue's text is the JSON of its region, as the suite's
            got = [_region_json(r) for r in regions]
            values = [_expected_region(json.loads(c.text)) for c in parsed.cues]
        else:
            got = [_number(getattr(r, key)) if r else None for r in regions[:len(values)]]
            got = [list(v) if isinstance(v, tuple) else v for v in got]
            values = [_number(v) for v in values]
        assert got == values, key


DEFAULT_REGION = {"width": 100, "lines": 3, "regionAnchorX": 0, "regionAnchorY": 100,
                  "viewportAnchorX": 0, "viewportAnchorY": 100, "scroll": ""}


def _expected_region(value: Any) -> dict[str, Any] | None:
    return None if value == "no region" else {**DEFAULT_REGION, **value}


def _region_json(r: webvtt.Region | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"width": r.width, "lines": r.lines, "regionAnchorX": r.region_anchor[0],
            "regionAnchorY": r.region_anchor[1], "viewportAnchorX": r.viewport_anchor[0],
            "viewportAnchorY": r.viewport_anchor[1], "scroll": r.scroll}


@pytest.mark.parametrize("name", [n for n in VALID if "styles" in _read(n)[1]])
def test_style_blocks_before_the_first_cue_only(name: str) -> None:
    parsed, expected = _read(name)
    assert len(parsed.styles) == expected["styles"]


@pytest.mark.parametrize("text", ["", "WEBVT", "WEBVTTX\n\n00:00.000 --> 00:01.000\nx",
                                  "\ufeff\ufeffWEBVTT\n", "webvtt\n"])
def test_a_file_without_the_signature_is_not_webvtt(text: str) -> None:
    with pytest.raises(webvtt.NotWebVTT):
        webvtt.parse(text)


def test_a_bom_before_the_signature_is_allowed() -> None:
    parsed = webvtt.parse("\ufeffWEBVTT\n\n00:01.000 --> 00:02.000\nhej")
    assert [(c.start, c.end, c.text) for c in parsed.cues] == [(1.0, 2.0, "hej")]
