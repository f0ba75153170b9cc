"""The player's transcript and captions track: each rolling line once, voices named (issue 27)."""

from __future__ import annotations

import re
from pathlib import Path

from support.captions import LINES, add_rolling_film
from support.cli import run

from konfarkiv.ingest.captions import read_captions
from konfarkiv.web.app import create_app

VOICES = ("WEBVTT\n\n00:00.500 --> 00:01.000\n<v Anna Berg>SKR &amp; kommunerna: "
          "3 &lt; 5 &gt; 4</v>\n\n00:01.000 --> 00:01.500\n<v Anna Berg>Vi fortsätter.\n\n"
          "00:01.500 --> 00:02.500\n<v.loud Per Ek>Tack, Anna.\n")


def _transcript(page: str) -> str:
    return page.split('class="transcript"', 1)[1].split("</section>", 1)[0]


def test_transcript_and_track_hold_each_spoken_line_once(tiny_video: bytes,
                                                          tmp_path: Path) -> None:
    add_rolling_film(tmp_path, tiny_video)
    client = create_app(tmp_path).test_client()
    transcript = _transcript(client.get("/material:1").get_data(as_text=True))
    items = re.findall(r"<li [^>]*>.*?</li>", transcript, re.S)
    assert len(items) == len(LINES)
    for line in LINES:
        assert transcript.count(line) == 1, transcript
    track = client.get("/material:1.vtt").get_data(as_text=True)
    assert [c.text for c in read_captions(track).cues] == LINES


def _film_with_voices(tiny_video: bytes, home: Path) -> None:
    video = home / "film.mp4"
    video.write_bytes(tiny_video)
    captions = home / "film.sv.vtt"
    captions.write_text(VOICES, "utf-8")
    result = run(home, "add", str(video), "--new-event", "Möte", "--captions", str(captions))
    assert result.exit_code == 0, result.output


def test_the_track_keeps_ampersands_angle_brackets_and_voices(tiny_video: bytes,
                                                             tmp_path: Path) -> None:
    _film_with_voices(tiny_video, tmp_path)
    track = create_app(tmp_path).test_client().get("/material:1.vtt").get_data(as_text=True)
    cues = read_captions(track).cues
    assert [c.text for c in cues] == ["SKR & kommunerna: 3 < 5 > 4", "Vi fortsätter.",
                                      "Tack, Anna."]
    assert [c.speaker for c in cues] == ["Anna Berg", "Anna Berg", "Per Ek"]


def test_the_transcript_names_the_speaker_where_the_voice_changes(tiny_video: bytes,
                                                                  tmp_path: Path) -> None:
    _film_with_voices(tiny_video, tmp_path)
    page = create_app(tmp_path).test_client().get("/material:1").get_data(as_text=True)
    transcript = _transcript(page)
    assert transcript.count('<span class="speaker">Anna Berg:</span>') == 1
    assert transcript.count('<span class="speaker">Per Ek:</span>') == 1
    assert "SKR &amp; kommunerna: 3 &lt; 5 &gt; 4" in transcript
