"""The player of a film with rolling automatic captions: each line once, at its word (issue 27)."""

from __future__ import annotations

import re
from pathlib import Path

from support.captions import LINES, add_rolling_film
from support.cli import run

from konfarkiv.ingest.captions import read_captions
from konfarkiv.web.app import create_app


def test_transcript_and_track_hold_each_spoken_line_once(tiny_video: bytes,
                                                          tmp_path: Path) -> None:
    add_rolling_film(tmp_path, tiny_video)
    client = create_app(tmp_path).test_client()
    page = client.get("/material:1").get_data(as_text=True)
    transcript = page.split('class="transcript"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li [^>]*>.*?</li>", transcript, re.S)
    assert len(items) == len(LINES)
    for line in LINES:
        assert transcript.count(line) == 1, transcript
    track = client.get("/material:1.vtt").get_data(as_text=True)
    assert [c.text for c in read_captions(track).cues] == LINES


def test_the_track_keeps_ampersands_and_angle_brackets_as_text(tiny_video: bytes,
                                                              tmp_path: Path) -> None:
    video = tmp_path / "film.mp4"
    video.write_bytes(tiny_video)
    captions = tmp_path / "film.sv.vtt"
    captions.write_text("WEBVTT\n\n00:00.500 --> 00:02.000\n<v Anna Berg>SKR &amp; "
                        "kommunerna: 3 &lt; 5 &gt; 4</v>\n", "utf-8")
    result = run(tmp_path, "add", str(video), "--new-event", "Möte", "--captions",
                 str(captions))
    assert result.exit_code == 0, result.output
    track = create_app(tmp_path).test_client().get("/material:1.vtt").get_data(as_text=True)
    assert [c.text for c in read_captions(track).cues] == ["SKR & kommunerna: 3 < 5 > 4"]
