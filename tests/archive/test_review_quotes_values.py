"""Issue 26, minor list: a `fix:` line of `review` quotes every value it prints into a shell
command, so pasting it runs that one command, whatever the catalog holds."""

from __future__ import annotations

import shlex

from konfarkiv.archive.records import Speaker
from konfarkiv.curate.review import _fix


class _NoSpeakers:
    """A catalog whose one speaker's name and organisation hold shell syntax."""

    def session_speakers(self, session_id: int) -> list[Speaker]:
        return [Speaker(session_id=2, position=0, name="Eva $(id)",
                        organisation="SKR; rm -rf ~", role=None)]


def test_every_value_in_a_fix_line_is_quoted() -> None:
    for kind in ("no-date", "one-talk", "sections", "no-organisation", "other"):
        line = _fix(_NoSpeakers(), {"event_id": "1; touch /tmp/x", "session_id": "2 && id",
                                    "kind": kind})
        words = shlex.split(line.split("#")[0])
        assert "1; touch /tmp/x" in words or "2 && id" in words, (kind, line)
        assert ";" not in line.replace("'1; touch /tmp/x'", "").replace(
            "'Eva $(id), SKR; rm -rf ~'", ""), line
