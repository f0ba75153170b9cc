"""The page's patterns: which blocks are program items by their shape and their neighbours.

Read before the state machine of page.py walks the blocks: a page writes its program
one way throughout, so a line is read the way its neighbours are ("Titel. Namn, Org"
paragraphs in a row are items; where title links and speaker lines alternate, the run
says whether each line goes with the link above or below). Pure functions over blocks.
"""

from __future__ import annotations

import re

from konfarkiv.archive.model import Speaker
from konfarkiv.ingest import names as N
from konfarkiv.ingest import page_rules as R
from konfarkiv.ingest.blocks import Block


def speakers_of(line: str) -> list[Speaker] | None:
    """The line's speakers, unless a time or a session code starts it.

    "B. Hälsoekonomi" is session B, not a person "B. Hälsoekonomi"; a single
    initial with a comma after the name ("K. Andersson, SKL") is still a person.
    """
    time, rest = R.split_time(line)
    if time:
        return None
    if R.split_code(rest)[0] and "," not in rest:
        return None
    if re.search(r": | \| |[-–—] ", line) and N.speakers_around_title(line)[1]:
        return None  # "Anna Ek, SKR: Titel": a talk with its speaker, not a speaker line
    return N.parse_speakers(line)


def speakers_beside_links(b: Block) -> list[Speaker]:
    """The speakers written after a block's only link, set off by a dash or a comma."""
    if len(b.links) != 1 or "\n" in b.content or not b.text.startswith(b.links[0].text[:1]):
        return []
    rest = R.squash(b.content)
    if rest[:1] not in {"–", "-", "—", ","}:
        return []
    return N.parse_speakers(rest.strip(" –—-,")) or []


def speaker_line_sides(blocks: list[Block]) -> tuple[set[int], set[int]]:
    """Speaker lines that belong to the title link above them, and speaker lines that
    belong to the title heading below them, by the page's own pattern.

    Where title links and speaker lines alternate, a run that starts with a link and
    ends with a speaker line gives each line to the link above (otherwise each goes with
    the link below, the reader's default). Where bold or heading titles and speaker
    lines alternate, a run that starts with a speaker line and ends with a title gives
    each line to the title below (otherwise each is read under the title above).
    """
    kinds: list[str] = []
    for b in blocks:
        if b.links and not b.content and not any(
                R.is_event_level(R.clean_label(ln.text)) for ln in b.links):
            kinds.append("L")  # a talk's link, not the program's or the invitation's
        elif not b.links and b.rank is None and speakers_of(b.line):
            kinds.append("S")
        elif (not b.links and b.rank is not None and not speakers_of(b.line)
              and R.word_count(b.line) <= 15 and not R.looks_like_group(b.line)):
            kinds.append("T")
        else:
            kinds.append("")
    after: set[int] = set()
    before: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while (j + 1 < len(blocks) and kinds[j] and kinds[j + 1] and kinds[j + 1] != kinds[j]
               and "S" in (kinds[j], kinds[j + 1])):
            j += 1
        run = kinds[i:j + 1]
        side = _side_by_boxes(blocks[i:j + 1], run)
        if len(run) >= 4 and set(run) == {"L", "S"} and (
                side == "above" or side is None and run[0] == "L" and run[-1] == "S"):
            after.update(id(blocks[k]) for k in range(i, j + 1) if kinds[k] == "S")
        if len(run) >= 4 and set(run) == {"T", "S"} and run[0] == "S" and run[-1] == "T":
            before.update(id(blocks[k]) for k in range(i, j + 1) if kinds[k] == "S")
        i = j + 1
    return after, before


def _side_by_boxes(run_blocks: list[Block], kinds: list[str]) -> str | None:
    """"above" or "below" when the markup says which link each speaker line belongs to:
    the lines that share their element ("<li>", "<div>") with one neighbouring link all
    share it with the link on the same side."""
    sides = set()
    for k, kind in enumerate(kinds):
        if kind != "S":
            continue
        box = run_blocks[k].box
        up = k > 0 and run_blocks[k - 1].box == box
        down = k + 1 < len(kinds) and run_blocks[k + 1].box == box
        if up != down:  # a line alone in its element, or with both, says nothing
            sides.add("above" if up else "below")
    return sides.pop() if len(sides) == 1 else None


def titled_speaker_lines(blocks: list[Block]) -> set[int]:
    """Paragraphs that each name a title and then its speakers, two or more in a row:
    a program's items written as lines, not a description. A line reads so as
    "Titel. Anna Ek, roll, Org" (the title ending at its own "."/"?", a whole speaker
    line after it), "Titel – Anna Ek, roll" or "Titel? Anna Ek reflekterar." """
    def titled(b: Block) -> bool:
        if b.links or b.rank is not None or b.tag == "li" or "\n" in b.content:
            return False
        line = b.line
        if R.split_time(line)[0] or R.word_count(line) > 40:
            return False
        title, people = N.title_and_speakers(line)
        rest = line[len(title):].lstrip(" .!?")
        if people and R.word_count(title) <= 15 and N.parse_speakers(rest) is not None:
            return True
        title, people = N.speakers_in_label(line)
        if people and title != line and any(p.organisation or p.role for p in people):
            return R.word_count(title) <= 20
        first, after = R.split_sentence(line)
        return bool(after) and R.word_count(first) <= 15 and bool(N.lead_speaker(after))
    marks = [titled(b) for b in blocks]
    return {id(b) for k, b in enumerate(blocks) if marks[k] and (
        k > 0 and marks[k - 1] or k + 1 < len(blocks) and marks[k + 1])}


def titled_list_item(b: Block) -> bool:
    """A list item of a title line over a paragraph of its own ("Titel<br>Hur ser ...?"):
    a talk with its description, unlike a one-line bullet of a topic list."""
    lines = [R.squash(x) for x in b.content.split("\n") if x.strip()]
    if b.tag != "li" or len(lines) < 2:
        return False
    first = lines[0]
    return (R.word_count(first) <= 15 and not R.is_prose(first) and not first.endswith(":")
            and not speakers_of(first)
            and all(R.is_prose(x) or R.word_count(x) >= 8 for x in lines[1:]))


def names_its_speakers(b: Block) -> bool:
    """A list item that reads as a talk of its own: "Titel. Namn, Org", or a first line
    over speaker lines ("Blev det som vi ville? ... samtalar:<br>Anna Ek, SKL")."""
    lines = [R.squash(x) for x in b.content.split("\n") if x.strip()]
    if not lines or speakers_of(lines[0]):
        return False
    return (bool(N.title_and_speakers(lines[0])[1] or N.speakers_in_label(lines[0])[1])
            or any(speakers_of(x) for x in lines[1:]))


def is_bold_item(b: Block, lines: list[str], seen: bool) -> bool:
    """"<b>Titel</b><br>beskrivning<br>Anna Ek, SKL" or "<b>Titel.</b> Minister Anna Ek":
    a bold title line over the item's own lines, or before its speaker on the line.
    Over lines without a speaker it is an item only where the page has had such items
    (`seen`): a bold lead over an intro paragraph is not one."""
    head = b.lead_bold
    if not head or b.rank is not None or R.word_count(head) > 20:
        return False
    first = R.squash(lines[0]) if lines else ""
    if len(lines) > 1 and first == head:
        return seen or any(speakers_of(R.squash(x)) for x in lines[1:])
    return first.startswith(head) and bool(N.parse_speakers(first[len(head):]))


def speakers_lead(blocks: list[Block]) -> bool:
    """Whether the page writes its items speaker first ("Anna Ek, SKR – Titel"): two or
    more items read so, and more than read title first ("Titel – Anna Ek, SKR")."""
    lead = trail = 0
    for b in blocks:
        texts = [ln.text for ln in b.links] if b.links and not b.content else [
            R.squash(b.content.split("\n", 1)[0])] if b.content and b.rank is None else []
        for text in texts:
            if R.word_count(text) > 25:
                continue
            if N.leading_speakers(text)[1]:
                lead += 1
            elif N.speakers_in_label(text)[1]:
                trail += 1
    return lead >= 2 and lead > trail


def is_titled_block(b: Block, lines: list[str]) -> bool:
    """"Titel<br>beskrivning<br>Anna Ek, SKR" without any bold: a short title line, then
    the item's own lines, the last of them its speaker line."""
    if b.rank is not None or b.links or len(lines) < 2:
        return False
    first, last = R.squash(lines[0]), R.squash(lines[-1])
    return (R.word_count(first) <= 12 and not first.endswith(":")
            and not speakers_of(first) and not R.split_time(first)[0]
            and bool(speakers_of(last)))
