"""Snippets with the matched words located, as plain text plus [start, end] offsets.

The terminal bolds the offsets; JSON carries them as `highlights`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import highlight
from whoosh.analysis import RegexTokenizer

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks; stripped from all stored text


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]


class _MarkingFormatter(highlight.Formatter):
    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"{_OPEN}{highlight.get_text(text, token, replace)}{_CLOSE}"


def _split_marks(marked: str) -> Snippet:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start = 0
    for ch in marked:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE:
            spans.append((start, pos))
        else:
            out.append(ch)
            pos += 1
    return Snippet("".join(out), tuple(spans))


def word_tokens(text: str) -> Iterator[Any]:
    """The words of text as the highlighter sees them (normalised), for ``match``."""
    from konfarkiv.search.analysis import WORD_PATTERN, NormalizeFilter

    return (RegexTokenizer(WORD_PATTERN) | NormalizeFilter())(text)


def _marked_by(flat: str, match: Callable[[str], bool], chars: int) -> str:
    """Whoosh's highlight(), but a word matches when ``match(word)`` says so.

    The query side matches a word by stem, compound part, folded form or
    prefix, which no fixed term set of one analyzer covers.
    """
    from konfarkiv.search.analysis import WORD_PATTERN, NormalizeFilter

    def tokens() -> Iterator[Any]:
        for t in (RegexTokenizer(WORD_PATTERN) | NormalizeFilter())(flat, chars=True):
            t.matched = match(t.text)
            yield t

    fragmenter = highlight.ContextFragmenter(maxchars=chars, surround=60)
    fragments = fragmenter.fragment_tokens(flat, tokens())
    top = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    return _MarkingFormatter()(flat, top)


def make_snippet(
    text: str,
    terms: Iterable[str],
    analyzer,
    *,
    chars: int = 200,
    match: Callable[[str], bool] | None = None,
) -> Snippet:
    """The best fragment(s) of text around the query's terms (or words ``match`` accepts)."""
    flat = " ".join(text.split())
    terms = frozenset(terms)
    if not flat:
        return Snippet("", ())
    marked = ""
    if match is not None:
        marked = _marked_by(flat, match, chars)
    elif terms:
        marked = highlight.highlight(
            flat,
            terms,
            analyzer,
            highlight.ContextFragmenter(maxchars=chars, surround=60),
            _MarkingFormatter(),
            top=2,
            order=highlight.FIRST,
        )
    if not marked:
        cut = flat[:chars]
        return Snippet(cut + ("…" if len(flat) > chars else ""), ())
    return _split_marks(marked)


def bold(snippet: Snippet, on: str = "\x1b[1m", off: str = "\x1b[0m") -> str:
    text = snippet.text
    for start, end in reversed(snippet.highlights):
        text = text[:start] + on + text[start:end] + off + text[end:]
    return text
