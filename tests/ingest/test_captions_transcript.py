"""Captions as platforms deliver them: rolling auto-captions, tags, SRT encodings (issue 27)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support.captions import LINES, ROLLING, add_rolling_film
from support.cli import run, show

from konfarkiv.archive.archive import Archive
from konfarkiv.ingest.captions import CaptionError, decode, read_captions

SRT = """1
00:00:02,000 --> 00:00:05,000
<i>Vi börjar med åtgärder för översvämning.</i>

2
00:00:42,500 --> 00:00:47,000
Dagvattnet rinner till sjön – både här och där.
"""


def test_rolling_captions_become_each_line_once_from_its_first_word() -> None:
    read = read_captions(ROLLING.encode("utf-8"))
    assert read.rolling and read.dropped == 0
    assert [c.text for c in read.cues] == LINES
    assert [c.start for c in read.cues] == [1.0, 4.08, 7.2, 10.33]
    ends = [c.end for c in read.cues]
    assert all(end <= nxt.start for end, nxt in zip(ends, read.cues[1:], strict=False))
    second = read.cues[1]
    assert dict(zip(second.text.split(), second.word_starts, strict=True)) == {
        "vi": 4.08, "ska": 4.4, "prata": 4.64, "om": 4.9, "dagvattenhantering": 5.12}


def test_a_line_painted_on_word_by_word_is_one_cue_with_its_word_times() -> None:
    text = ("WEBVTT\n\n00:01.000 --> 00:01.600\nVälkomna\n\n"
            "00:01.600 --> 00:02.100\nVälkomna till\n\n"
            "00:02.100 --> 00:03.000\nVälkomna till mötet\n\n"
            "00:03.500 --> 00:04.000\nVi börjar\n\n00:04.000 --> 00:05.000\nVi börjar nu\n")
    read = read_captions(text)
    assert read.rolling
    assert [(c.start, c.text) for c in read.cues] == [(1.0, "Välkomna till mötet"),
                                                      (3.5, "Vi börjar nu")]
    assert read.cues[0].word_starts == (1.0, 1.6, 2.1) and read.cues[0].end == 3.0


def test_plain_captions_are_not_taken_for_rolling_ones() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\nJa.\n\n00:03.000 --> 00:05.000\nJa.\n\n" \
           "00:05.000 --> 00:07.000\nVi fortsätter.\n"
    read = read_captions(text)
    assert not read.rolling
    assert [c.text for c in read.cues] == ["Ja.", "Ja.", "Vi fortsätter."]
    assert all(c.word_starts == () for c in read.cues)


def test_tags_and_entities_never_leak_and_a_voice_is_the_speaker() -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
            "<v.loud Anna Berg>Vi <i>ska</i> <b>prata</b> <u>om</u> <c.yellow>SKR</c> "
            "&amp; <lang sv>dagvatten</lang></v>\n\n"
            "00:00:05.000 --> 00:00:08.000\n<ruby>Mälaren<rt>sjön</rt></ruby>&nbsp;"
            "och<00:00:06.000> Vättern &lt;3 &gt;\n")
    first, second = read_captions(text).cues
    assert first.text == "Vi ska prata om SKR & dagvatten"
    assert first.speaker == "Anna Berg"
    assert second.text == "Mälaren och Vättern <3 >" and second.speaker is None
    assert second.word_starts == (5.0, 5.0, 6.0, 6.0, 6.0)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1252",
                                      "latin-1", "utf-8", "utf-8-sig"])
def test_srt_in_any_usual_encoding_keeps_a_o_and_a_ring(encoding: str) -> None:
    data = SRT.replace("–", "-").encode(encoding) if encoding == "latin-1" \
        else SRT.encode(encoding)
    cues = read_captions(data, "film.vtt").cues  # the name says vtt: the bytes decide
    assert [c.text for c in cues] == ["Vi börjar med åtgärder för översvämning.",
                                      "Dagvattnet rinner till sjön "
                                      f"{'-' if encoding == 'latin-1' else '–'} både här och där."]
    assert [c.start for c in cues] == [2.0, 42.5]


def test_windows_1252_bytes_that_are_not_utf8_are_read_as_windows_1252() -> None:
    assert decode("Återvinning – 5 €".encode("cp1252")) == "Återvinning – 5 €"
    assert decode(b"\xef\xbb\xbfWEBVTT") == "WEBVTT"


def test_cues_of_many_lines_are_read_in_one_pass() -> None:
    """Two cues of 30,000 lines each: comparing every line count of one with the other
    would take minutes; only the few lines a rolling display repeats are compared."""
    lines = "\n".join(f"rad {i}" for i in range(30_000))
    read = read_captions(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{lines}\n\n"
                         f"00:02.000 --> 00:03.000\n{lines}\n")
    assert len(read.cues) == 2 and not read.rolling


def test_utf8_with_one_damaged_byte_stays_utf8() -> None:
    data = SRT.encode("utf-8").replace("sjön".encode(), b"sj\xff")
    assert [c.text for c in read_captions(data).cues] == [
        "Vi börjar med åtgärder för översvämning.",
        "Dagvattnet rinner till sj\ufffd – både här och där."]


def test_not_captions_is_one_clear_error() -> None:
    with pytest.raises(CaptionError, match="not WebVTT"):
        read_captions("1\nDetta är inte WebVTT\n", "x.vtt")
    with pytest.raises(CaptionError, match="not a WebVTT or SRT"):
        read_captions(b"\x89PNG\r\n\x1a\n", "")


def _cue_rows(home: Path) -> list[sqlite3.Row]:
    with Archive.open(home) as archive:
        return archive.catalog.all("SELECT c.start, c.text, c.word_starts, f.caption_reader "
                                   "FROM cues c JOIN films f ON f.id=c.film_id ORDER BY position")


def test_added_film_with_rolling_captions_keeps_each_line_once_with_word_times(
        tiny_video: bytes, tmp_path: Path) -> None:
    add_rolling_film(tmp_path, tiny_video)
    rows = _cue_rows(tmp_path)
    assert [r["text"] for r in rows] == LINES
    assert rows[1]["word_starts"] == "[4.08, 4.4, 4.64, 4.9, 5.12]"
    with Archive.open(tmp_path) as archive:  # the file is archived as given
        (sha,) = [r[0] for r in archive.catalog.all("SELECT captions_sha256 FROM films")]
        assert archive.store.read_bytes(sha) == ROLLING.encode("utf-8")


def test_srt_in_utf16_and_windows_1252_added_with_a_o_intact(
        tiny_video: bytes, tmp_path: Path) -> None:
    for n, encoding in enumerate(["utf-16", "cp1252"]):
        video = tmp_path / f"film{n}.mp4"
        video.write_bytes(tiny_video)
        captions = tmp_path / f"film{n}.srt"
        captions.write_bytes(SRT.encode(encoding))
        result = run(tmp_path, "add", str(video), "--new-event", f"Möte {n}",
                     "--captions", str(captions), "--json")
        assert result.exit_code == 0, result.output
    with Archive.open(tmp_path) as archive:
        texts = [r[0] for r in archive.catalog.all("SELECT text FROM cues ORDER BY film_id, "
                                                   "position")]
    assert texts == ["Vi börjar med åtgärder för översvämning.",
                     "Dagvattnet rinner till sjön – både här och där."] * 2
    assert show(tmp_path, "material:1")["film"]["cues"] == 2


def test_reindex_rereads_archived_captions_an_older_reader_read(
        tiny_video: bytes, tmp_path: Path) -> None:
    add_rolling_film(tmp_path, tiny_video).unlink()  # nothing outside the archive is read again
    with Archive.open(tmp_path) as archive:  # as the first reader left it: lines twice
        with archive.catalog.transaction():
            archive.catalog.replace_cues(1, [(4.07, 4.08, LINES[0]),
                                             (4.08, 7.19, f"{LINES[0]} {LINES[1]}")], None)
    result = run(tmp_path, "reindex")
    assert result.exit_code == 0, result.output
    assert "re-read the captions of 1 film" in result.output
    rows = _cue_rows(tmp_path)
    assert [r["text"] for r in rows] == LINES and {r["caption_reader"] for r in rows} == {2}
    again = run(tmp_path, "reindex")
    assert again.exit_code == 0 and "re-read" not in again.output, again.output
