"""Issue 26, minor list: a `fix:` line of `review` quotes every value it prints into a shell
command, so pasting it runs that one command, whatever the catalog holds."""

from __future__ import annotations

import shlex

from konfarkiv.archive.review import _fix


class _NoSpeakers:
    def all(self, sql: str, args: tuple[object, ...]) -> list[dict[str, str]]:
        return [{"name": "Eva $(id)", "organisation": "SKR; rm -rf ~"}]


def test_every_value_in_a_fix_line_is_quoted() -> None:
    for kind in ("no-date", "one-talk", "sections", "no-organisation", "other"):
        line = _fix(_NoSpeakers(), {"event_id": "1; touch /tmp/x", "session_id": "2 && id",
                                    "kind": kind})
        words = shlex.split(line.split("#")[0])
        assert "1; touch /tmp/x" in words or "2 && id" in words, (kind, line)
        assert ";" not in line.replace("'1; touch /tmp/x'", "").replace(
            "'Eva $(id), SKR; rm -rf ~'", ""), line
