"""Caption files of our own making for the caption tests (issue 27)."""

from __future__ import annotations

from pathlib import Path

#: Four lines of Swedish speech, each word with the time it is spoken.
SPOKEN = [
    [(1.0, "välkomna"), (1.48, "till"), (1.92, "dagens"), (2.6, "nätverksmöte")],
    [(4.08, "vi"), (4.4, "ska"), (4.64, "prata"), (4.9, "om"), (5.12, "dagvattenhantering")],
    [(7.2, "och"), (7.7, "skyfall"), (8.3, "i"), (8.5, "täta"), (9.01, "städer")],
    [(10.33, "först"), (11.25, "regnbäddar"), (12.04, "och"), (12.3, "gröna"), (12.6, "tak")],
]
ENDS = [4.07, 7.19, 10.32, 13.0]
LINES = [" ".join(w for _, w in line) for line in SPOKEN]


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def rolling_vtt() -> str:
    """YouTube-style automatic captions: each cue repeats the line before it (plain) and
    adds the new one with inline word times (<t><c> word</c>); 10 ms transition cues hold
    the finished line over a blank one."""
    out = ["WEBVTT", "Kind: captions", "Language: sv", ""]
    settings = " align:start position:0%"
    for i, line in enumerate(SPOKEN):
        first = line[0][1] + "".join(f"<{_ts(t)}><c> {w}</c>" for t, w in line[1:])
        out += [f"{_ts(line[0][0])} --> {_ts(ENDS[i])}{settings}",
                LINES[i - 1] if i else " ", first, ""]
        if i + 1 < len(SPOKEN):
            out += [f"{_ts(ENDS[i])} --> {_ts(ENDS[i] + 0.01)}{settings}", LINES[i], " ", ""]
    return "\n".join(out)


ROLLING = rolling_vtt()


def add_rolling_film(home: Path, video: bytes, *extra: str) -> Path:
    """`konfarkiv add` a film with ROLLING as its captions file; the captions' path."""
    from support.cli import run

    film = home / "natverksmote.mp4"
    film.write_bytes(video)
    captions = home / "natverksmote.sv.vtt"
    captions.write_text(ROLLING, "utf-8")
    result = run(home, "add", str(film), "--new-event", "Nätverksmöte dagvatten",
                 "--captions", str(captions), *extra)
    assert result.exit_code == 0, result.output
    return captions
