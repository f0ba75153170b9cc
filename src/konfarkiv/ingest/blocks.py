"""HTML to blocks: the first step of reading a documentation page (see page.py).

Pick the content (`<main>`, else the element holding the h1, else `<body>`), turn
embedded film players into links and times stacked in one table cell into rows, drop
chrome elements, and flatten the rest into blocks, one per paragraph, heading, list
item or table cell, each with its text, its links (href resolved against the page URL)
and its heading rank. Pure functions: no network, no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from konfarkiv.ingest import page_rules as R

_BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "td",
    "th", "figcaption", "caption", "div", "section", "article", "ul", "ol", "dl", "table",
    "tr", "tbody", "thead", "figure", "header", "footer", "main", "aside", "nav", "form",
    "address", "details", "summary", "hr", "fieldset",
}
_DROP_TAGS = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "select", "input", "textarea", "dialog",
}
_HEADING_RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_STRONG_RANK = 7  # a paragraph that is all bold reads as the lowest heading


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Block:
    """One paragraph/heading/list item: its text (lines kept), links and rank."""

    text: str
    residual: str  # the text outside links
    links: tuple[Link, ...]
    rank: int | None  # 1-6 for h1-h6, 7 for an all-bold paragraph, None for text
    marker: str = ""  # "(PDF, 1,5 MB)" or "och" beside the links, on their lines
    tag: str = ""  # the element it came from: "li" items are read as a list
    lead_bold: str = ""  # bold words opening a longer line: "<b>13.00 Titel</b> Prosa."
    bold: bool = False  # all its text is bold, links included: "<b><a>Tema: X</a></b>"
    box: int = 0  # the element holding it: blocks of one talk often share one ("<li>", "<div>")

    @property
    def content(self) -> str:
        """The block's own text: without its links when it has any."""
        return self.residual if self.links else self.text

    @property
    def line(self) -> str:
        return R.squash(self.text)


@dataclass
class _Run:
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (text, inside a link)
    links: list[Link] = field(default_factory=list)
    bold_chars: int = 0
    lead: list[str] = field(default_factory=list)  # bold text before any plain text
    plain_seen: bool = False


def _residual(parts: list[tuple[str, bool]]) -> tuple[str, str]:
    """Split the text outside links into content and link markers, line by line.

    On a line with a link, outside text that is only a marker or a joint ("(PDF,
    1,5 MB)", "och") describes the links; anything else on any line is content.
    """
    lines: list[list[tuple[str, bool]]] = [[]]
    for text, inside in parts:
        chunks = text.split("\n")
        for k, chunk in enumerate(chunks):
            if k:
                lines.append([])
            lines[-1].append((chunk, inside))
    content: list[str] = []
    markers: list[str] = []
    for line in lines:
        outside = R.squash("".join(t for t, inside in line if not inside))
        if not outside:
            continue
        if any(inside and t.strip() for t, inside in line) and R.is_marker_only(outside):
            markers.append(outside)
        else:
            content.append(outside)
    return "\n".join(content), " ".join(markers)


def _usable_href(href: object) -> bool:
    if not isinstance(href, str) or not href:
        return False
    h = href.strip().lower()
    return not (h.startswith(("#", "javascript:", "mailto:", "tel:")))


class _Flattener:
    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.blocks: list[Block] = []

    def flush(self, run: _Run, tag_name: str, box: int = 0) -> None:
        text = "".join(t for t, _ in run.parts)
        lines = [" ".join(x.replace("\xa0", " ").split()) for x in text.split("\n")]
        text = "\n".join(x for x in lines if x)
        if not text and not run.links:
            return
        residual, marker = _residual(run.parts)
        rank = _HEADING_RANK.get(tag_name)
        flat = R.squash(text)
        lead = ""
        if rank is None and flat and run.bold_chars >= len(flat.replace(" ", "")) and not run.links:
            rank = _STRONG_RANK
        elif rank is None:
            lead = R.squash("".join(run.lead))
        bold = bool(flat) and run.bold_chars >= len(flat.replace(" ", ""))
        self.blocks.append(Block(text, residual, tuple(run.links), rank, marker, tag_name,
                                 lead if lead != flat else "", bold, box))

    def inline(self, node: PageElement, run: _Run, bold: bool, link: bool) -> None:
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                return
            s = str(node).replace("\n", " ")
            if not link and ("http" in s or "www." in s):
                s = self.film_addresses(s, run)
            run.parts.append((s, link))
            if bold:
                run.bold_chars += len(s.replace(" ", "").replace("\xa0", ""))
                if not run.plain_seen:
                    run.lead.append(s)
            elif s.strip():
                run.plain_seen = True
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name in _DROP_TAGS:
            return
        if name == "br":
            run.parts.append(("\n", link))
            run.plain_seen = run.plain_seen or bool(run.lead)
            return
        if name == "img":
            return
        if name == "a" and not link and _usable_href(node.get("href")):
            text = R.squash(node.get_text(" "))
            if text:
                run.links.append(Link(text, urljoin(self.base, str(node["href"]).strip())))
                run.parts.append((" " + node.get_text() + " ", True))
                bold_inside = bold or node.find(["strong", "b"]) is not None
                if bold_inside:
                    run.bold_chars += len(text.replace(" ", ""))
            return
        is_bold = bold or name in {"strong", "b"}
        for child in node.children:
            self.inline(child, run, is_bold, link)

    def film_addresses(self, s: str, run: _Run) -> str:
        """A film's bare address in the text ("… på https://vimeo.com/123 i efterhand")
        is a link to it; the text before it is kept in the run, the rest returned."""
        for m in _BARE_URL_RE.finditer(s):
            address = m.group(0).rstrip(".,;:!?)")
            href = address if address.startswith("http") else "https://" + address
            if R.link_kind("", href) != "film":
                continue
            run.parts.append((s[:m.start()], False))
            run.parts.append((" " + address + " ", True))
            run.links.append(Link(address, href))
            return self.film_addresses(s[m.start() + len(address):], run)
        return s

    def walk(self, el: Tag) -> None:
        """Blocks from el's children: inline runs are flushed at each block child."""
        run = _Run()
        for child in el.children:
            if isinstance(child, Tag) and child.name in _DROP_TAGS:
                continue
            if isinstance(child, Tag) and (
                child.name in _BLOCK_TAGS and child.name != "a" or _has_block_child(child)
            ):
                self.flush(run, el.name, id(el))
                run = _Run()
                if child.name in _HEADING_RANK or not _has_block_child(child):
                    leaf = _Run()
                    self.inline_children(child, leaf)
                    self.flush(leaf, child.name, id(el))
                else:
                    self.walk(child)
            elif isinstance(child, (Tag, NavigableString)):
                self.inline(child, run, False, False)
        self.flush(run, el.name, id(el))

    def inline_children(self, el: Tag, run: _Run) -> None:
        bold = el.name in {"strong", "b"}
        for child in el.children:
            self.inline(child, run, bold, False)


_BARE_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)
_EMBED_TAGS = ["iframe", "embed", "video", "object"]


def _films_embedded(soup: BeautifulSoup, root: Tag, url: str) -> None:
    """An embedded player of a film host (or a video file) becomes a link to that film,
    labelled by its title, before embeds are dropped with the rest of the chrome."""
    for el in root.find_all(_EMBED_TAGS):
        src = str(el.get("src") or el.get("data-src") or el.get("data") or "")
        if not src and el.name == "video" and (source := el.find("source")) is not None:
            src = str(source.get("src") or "")
        href = urljoin(url, src.strip()) if src.strip() else ""
        if not href or R.link_kind("", href) != "film":
            continue
        para = soup.new_tag("p")
        anchor = soup.new_tag("a", href=href)
        anchor.string = R.squash(str(el.get("title") or el.get("aria-label") or "")) or "Film"
        para.append(anchor)
        el.replace_with(para)


def _cell_lines(cell: Tag) -> list[list[object]]:
    """A table cell's children, split into lines at each <br>."""
    lines: list[list[object]] = [[]]
    for child in list(cell.children):
        if isinstance(child, Tag) and child.name == "br":
            lines.append([])
        else:
            lines[-1].append(child)
    return [ln for ln in lines if R.squash("".join(
        c.get_text(" ") if isinstance(c, Tag) else str(c) for c in ln))]


def _line_text(line: list[object]) -> str:
    return R.squash("".join(c.get_text(" ") if isinstance(c, Tag) else str(c) for c in line))


_MAX_SLOTS = 50  # times stacked in one cell: a day's program has fewer


def _unstack_time_cells(soup: BeautifulSoup, root: Tag) -> None:
    """"<td>09.00<br>09.30</td><td>Välkommen<br>Kaffe</td>": all the times in one cell
    beside all the titles in the next become one row per time, as a reader pairs them.
    A header row of <th> cells names the columns and is no part of the program."""
    for row in root.find_all("tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        if len(cells) >= 2 and all(c.name == "th" for c in cells) and row.find_next("tr"):
            row.decompose()  # "Tid | Program | Medverkande": the columns' names, not a talk
            continue
        if len(cells) < 2 or any(c.find(list(_BLOCK_TAGS)) for c in cells):
            continue
        split = [_cell_lines(c) for c in cells]
        times = next((k for k, lines in enumerate(split) if 2 <= len(lines) <= _MAX_SLOTS and all(
            R.split_time(_line_text(ln))[0] and not R.split_time(_line_text(ln))[1]
            for ln in lines)), None)
        if times is None or any(len(lines) != len(split[times]) for lines in split):
            continue
        for i in range(len(split[times])):
            new_row = soup.new_tag("tr")
            for lines in split:
                cell = soup.new_tag("td")
                for node in lines[i]:
                    cell.append(node.extract() if isinstance(node, Tag) else str(node))
                new_row.append(cell)
            row.insert_before(new_row)
        row.decompose()


def _has_block_child(el: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in _BLOCK_TAGS for c in el.descendants)


def _content_root(soup: BeautifulSoup) -> tuple[Tag, Tag | None]:
    """The element holding the page's own content, and its h1."""
    main = soup.find("main") or soup.find(None, {"role": "main"})
    h1 = (main.find("h1") if isinstance(main, Tag) else None) or soup.find("h1")
    if isinstance(main, Tag):
        return main, h1 if isinstance(h1, Tag) else None
    body = soup.body or soup
    if not isinstance(h1, Tag):
        return body, None
    # Climb from the h1 until the element holds more than the heading itself.
    el: Tag = h1
    while el.parent is not None and el is not body:
        el = el.parent
        blocks = el.find_all(["p", "li", "h2", "h3", "h4", "td"])
        if len(blocks) >= 3:
            return el, h1
    return body, h1


def page_blocks(html: str | bytes, url: str) -> tuple[str, list[Block], list[Block]]:
    """The h1 text, the content blocks after it and those before it (a date, a status)."""
    soup = BeautifulSoup(html, "html.parser")
    root, h1 = _content_root(soup)
    _films_embedded(soup, root, url)
    _unstack_time_cells(soup, root)
    for el in root.find_all(list(_DROP_TAGS)):
        if h1 is None or h1 not in el.descendants:
            el.decompose()
    title = R.squash(h1.get_text(" ")) if h1 is not None else ""
    if not title and soup.title is not None:
        title = R.squash(soup.title.get_text(" "))
    flat = _Flattener(url)
    flat.walk(root)
    blocks, head = flat.blocks, []
    if title:
        for i, b in enumerate(blocks):
            if b.rank == 1 and b.line == title:
                blocks, head = blocks[i + 1:], blocks[:i]
                break
    return title, blocks, head
