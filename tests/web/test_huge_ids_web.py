"""Issue 26 item 10: ids past 2^63, or of thousands of digits, are a 404 (a page= or limit=
of 5,000 digits a 400) on every route that takes one, never a 500; and on the command line
one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import example_archive, run

from konfarkiv.web.app import create_app

HUGE = ["9223372036854775808", "18446744073709551616", "9" * 5000]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_archive(tmp_path_factory.mktemp("ids") / "home")


@pytest.mark.parametrize("big", HUGE)
def test_every_id_route_answers_404(home: Path, big: str) -> None:
    client = create_app(home).test_client()
    for path in (f"/events/{big}", f"/api/events/{big}", f"/pdf/{big}", f"/media/{big}",
                 f"/play/{big}", f"/thumb/{big}/1", f"/thumb/1/{big}"):
        answer = client.get(path)
        assert answer.status_code == 404, path[:40]
        assert "Traceback" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("big", HUGE)
def test_huge_page_and_limit_are_a_400(home: Path, big: str) -> None:
    client = create_app(home).test_client()
    for path in (f"/search?q=vatten&page={big}", f"/api/search?q=vatten&page={big}",
                 f"/api/search?q=vatten&limit={big}", f"/play/1?t={big}"):
        assert client.get(path).status_code in (400, 404), path[:40]


@pytest.mark.parametrize("big", HUGE)
def test_the_command_line_says_one_line(home: Path, big: str) -> None:
    for args in (["show", big], ["show", f"session:{big}"], ["open", "--print", f"material:{big}"],
                 ["remove", f"event:{big}"], ["show", f"material:1@{big}"]):
        result = run(home, *args)
        assert result.exit_code != 0, args
        assert "Traceback" not in result.output
