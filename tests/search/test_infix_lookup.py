"""The infix fallback (`*word*`) reads each segment's term list once (search/termlist.py):
it must match exactly what Whoosh's own wildcard matches, and charge the scan budget the
same whether or not the answer was remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.query import Wildcard

from konfarkiv.search import cost

WORDS = ["dagvatten", "vattenplan", "havsvatten", "vatten", "skola", "förskolan",
         "skolgård", "åtgärd", "vattenåtgärder", "x", "kommunen", "kommunerna"]


@pytest.fixture
def two_segments(tmp_path: Path) -> index.Index:
    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(stored=False)))
    with ix.writer() as w:
        for i, word in enumerate(WORDS[:6]):
            w.add_document(body=f"{word} ord{i}")
    with ix.writer() as w:  # a second segment, left unmerged
        w.merge = False
        for i, word in enumerate(WORDS[6:]):
            w.add_document(body=f"{word} term{i}")
    return ix


@pytest.mark.parametrize("part", ["vatten", "skol", "åtgärd", "ord", "kommun", "zzz", "x"])
def test_the_cached_infix_finds_what_whooshs_wildcard_finds(two_segments: index.Index,
                                                            part: str) -> None:
    with two_segments.searcher() as s:
        assert len(s.reader().leaf_readers()) == 2
        ours = set(cost.CappedWildcard("body", f"*{part}*").docs(s))
        theirs = set(Wildcard("body", f"*{part}*").docs(s))
        assert ours == theirs
        for leaf, _ in s.reader().leaf_readers():
            assert (list(cost.CappedWildcard("body", f"*{part}*")._btexts(leaf))
                    == list(Wildcard("body", f"*{part}*")._btexts(leaf)))
        # over both segments at once (what estimate_size asks): the same terms
        assert (sorted(cost.CappedWildcard("body", f"*{part}*")._btexts(s.reader()))
                == sorted(set(Wildcard("body", f"*{part}*")._btexts(s.reader()))))


def test_a_remembered_answer_costs_the_budget_a_scan(two_segments: index.Index) -> None:
    scanned = []
    with two_segments.searcher() as s:
        for _ in range(2):  # the second time the answer comes from memory
            with cost.budget() as b:
                found = set(cost.CappedWildcard("body", "*vatten*").docs(s))
                scanned.append(b.scanned)
            assert len(found) == 5  # dagvatten … vattenåtgärder
    assert scanned[0] == scanned[1] > 0


def test_a_spent_budget_finds_the_same_cold_or_warm(two_segments: index.Index,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cost, "MAX_SCANNED_TERMS", 5)  # fewer than one segment holds
    answers = []
    with two_segments.searcher() as s:
        leaf = s.reader().leaf_readers()[0][0]
        for _ in range(2):
            with cost.budget() as b:
                answers.append(list(cost.CappedWildcard("body", "*o*")._btexts(leaf)))
                assert b.scanned == 5
        assert len(answers[0]) < len(list(Wildcard("body", "*o*")._btexts(leaf)))
    assert answers[0] == answers[1]


def test_one_search_pays_for_a_scan_once_and_gets_one_answer(
        two_segments: index.Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting, ranking and evidence passes ask the same wildcard: the first pays, the
    others get the same answer free, even one the cap cut short."""
    monkeypatch.setattr(cost, "MAX_SCANNED_TERMS", 5)
    with two_segments.searcher() as s:
        leaf = s.reader().leaf_readers()[0][0]
        with cost.budget() as b:
            first = list(cost.CappedWildcard("body", "*o*")._btexts(leaf))
            paid = b.scanned
            again = list(cost.CappedWildcard("body", "*o*")._btexts(leaf))
            assert b.scanned == paid == 5
        assert again == first
