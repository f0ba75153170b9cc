"""The query language: tokens, the syntax tree, and its checks (no Whoosh here).

Words are ANDed; ``OR``, ``NOT``/``-word``, parentheses, ``"exact phrases"``,
``prefix*``, and fields ``speaker:``, ``org:``, ``event:``, ``year:``,
``kind:`` (Swedish ``talare:``, ``år:``, ``evenemang:``, ``typ:`` too). A small
parser of our own (not Whoosh's) keeps each word as typed, because a word is
searched in several analysed forms (see expansion.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: Fields a user may name; title: and body: work but are not advertised.
USER_FIELDS = {"speaker", "org", "event", "year", "kind", "title", "body"}
#: Swedish field names beside the English ones.
FIELD_ALIASES = {"talare": "speaker", "org": "org", "organisation": "org", "år": "year",
                 "evenemang": "event", "typ": "kind", "titel": "title"}
#: Longest query, most words, and longest word worth splitting: the work per query
#: stays bounded (a compound split looks up every substring of a word).
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 60
MAX_WORD_CHARS = 60
#: Parentheses inside parentheses: the parser and every walk of the tree recurse per level.
MAX_NESTING = 20
_OPERATORS = {"AND": "and", "OCH": "and", "OR": "or", "ELLER": "or", "NOT": "not", "INTE": "not"}

class QueryError(ValueError):
    """The query cannot be searched: a code and its parameters, no sentence. Each face
    says it in its own language (the CLI in English: render.query_error_text; the web in
    Swedish). ``str()`` gives the code and parameters, for logs and tests."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        if not self.params:
            return self.code
        return f"{self.code} " + " ".join(f"{k}={v!r}" for k, v in self.params.items())


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None
    prefix: bool = False
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Quoted:
    text: str
    field: str | None = None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Negated:
    child: Node


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


Node = Word | Quoted | Negated | AllOf | AnyOf

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<open>\() | (?P<close>\)) |
      (?P<field>[^\W\d_]\w*):(?=[^\s)]) |
      (?P<neg>-)(?=[^\s\-]) |
      "(?P<phrase>[^"]*)"? |
      (?P<word>[^\s()"]+)
    )""",
    re.X,
)
# "SKL:s", "EU:n": an abbreviation's genitive or definite ending, not a field.
_ABBREVIATION_ENDING = re.compile(r"[a-zåäö]{1,3}(?=[\s)]|$)")


def _tokens(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    out: list[tuple[str, str, tuple[int, int]]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind) if kind else ""
        span = (m.start(kind), m.end(kind)) if kind else (pos, pos)
        if kind == "field":
            value = FIELD_ALIASES.get(value.lower(), value)
        if kind == "field" and value.lower() not in USER_FIELDS:
            rest = text[pos:]
            ending = _ABBREVIATION_ENDING.match(rest)
            if rest.startswith("//") or (ending and any(c.isupper() for c in value)):
                word = re.match(r"[^\s()\"]+", rest)
                end = pos + (word.end() if word else 0)
                out.append(("word", text[span[0] : end], (span[0], end)))
                pos = end
                continue
            raise QueryError("unknown_field", field=value)
        if kind == "word" and value in _OPERATORS:
            kind = _OPERATORS[value]
        if kind == "word" and value.endswith(":"):  # a field with nothing after it: "kind:"
            name = FIELD_ALIASES.get(value[:-1].lower(), value[:-1].lower())
            if name in USER_FIELDS:
                raise QueryError("needs_value", field=name, example=_EXAMPLE[name])
        if kind:
            out.append((kind, value.lower() if kind == "field" else value, span))
    return out


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary+; unary := NOT unary | atom."""

    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.parse_or(None)
        while self.i < len(self.toks):  # a stray ")" ends nothing: skip it and go on
            self.i += 1
            more = self.parse_or(None)
            node = _all([n for n in (node, more) if n is not None])
        return node

    def parse_or(self, fld: str | None) -> Node | None:
        items = [self.parse_and(fld)]
        while self.peek() == "or":
            self.i += 1
            items.append(self.parse_and(fld))
        kept = tuple(x for x in items if x is not None)
        return kept[0] if len(kept) == 1 else (AnyOf(kept) if kept else None)

    def parse_and(self, fld: str | None) -> Node | None:
        items: list[Node] = []
        while self.peek() not in (None, "or", "close"):
            if self.peek() == "and":
                self.i += 1
                continue
            node = self.parse_unary(fld)
            if node is not None:
                items.append(node)
        return _all(items)

    def parse_unary(self, fld: str | None) -> Node | None:
        kind = self.peek()
        if kind in ("not", "neg"):
            self.i += 1
            if self.peek() in (None, "or", "close", "and"):
                return None
            child = self.parse_unary(fld)
            return Negated(child) if child is not None else None
        return self.parse_atom(fld)

    def parse_atom(self, fld: str | None) -> Node | None:
        kind, value, span = self.toks[self.i]
        self.i += 1
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QueryError("too_deep", most=MAX_NESTING)
            node = self.parse_or(fld)
            if self.peek() == "close":
                self.i += 1
            self.depth -= 1
            return node
        if kind == "field":
            if self.peek() in (None, "close", "or", "and"):
                raise QueryError("needs_value", field=value, example=_EXAMPLE[value])
            return self.parse_atom(value)
        if kind == "phrase":
            return Quoted(value, fld, span) if value.strip() else None
        if kind == "word":
            prefix = value.endswith("*") and len(value.rstrip("*")) > 0
            text = value.rstrip("*") if prefix else value
            if not text.strip("*"):
                return None
            return Word(text, fld, prefix, span)
        return None  # a stray operator or ")"


_EXAMPLE = {
    "speaker": "hagnell",
    "org": "skl",
    "event": "nätverksmöte",
    "year": "2019",
    "kind": "slide",
    "title": "miljömål",
    "body": "miljömål",
}


def _all(items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else AllOf(tuple(items))


class UnbalancedQuery(QueryError):
    """A quote or parenthesis left open or closed twice. The parser reads past it (the web
    page searches anyway); the command line calls it a usage error, a typing slip."""


def check_balanced(text: str) -> None:
    """UnbalancedQuery when a quote or parenthesis (outside quotes) is not closed."""
    if text.count('"') % 2:
        raise UnbalancedQuery("unbalanced_quotes", query=text)
    depth = 0
    for i, part in enumerate(text.split('"')):
        if i % 2:  # inside a phrase: parentheses are just characters
            continue
        for ch in part:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth < 0:
                raise UnbalancedQuery("unopened_parenthesis", query=text)
    if depth:
        raise UnbalancedQuery("unclosed_parentheses", query=text, open=depth)


def parse(text: str) -> Node:
    """The query's syntax tree; QueryError if it cannot be searched."""
    if not text.strip():
        raise QueryError("empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("too_long", chars=len(text), most=MAX_QUERY_CHARS)
    words = len(text.split())
    if words > MAX_QUERY_WORDS:
        raise QueryError("too_many_words", words=words, most=MAX_QUERY_WORDS)
    node = _Parser(text).parse()
    if node is None:
        raise QueryError("no_words")
    if not positive_leaves(node):
        raise QueryError("only_excludes")
    return node


def is_plain(text: str) -> bool:
    """True when the query is words, phrases and fields only (no AND/OR/NOT/-/()):
    then sessions holding only some of the words may be offered instead."""
    return all(kind in ("word", "phrase", "field") for kind, _, _ in _tokens(text))


def in_titles(node: Node) -> Node:
    """The same query with its free words looked for in titles only."""
    if isinstance(node, (Word, Quoted)):
        return replace(node, field="title") if node.field is None else node
    if isinstance(node, Negated):
        return Negated(in_titles(node.child))
    return type(node)(tuple(in_titles(c) for c in node.children))


def positive_leaves(node: Node, positive: bool = True) -> list[Word | Quoted]:
    if isinstance(node, (Word, Quoted)):
        return [node] if positive else []
    if isinstance(node, Negated):
        return positive_leaves(node.child, not positive)
    return [leaf for child in node.children for leaf in positive_leaves(child, positive)]


def is_filter(leaf: Word | Quoted) -> bool:
    return leaf.field in ("speaker", "org", "event", "year", "kind")
