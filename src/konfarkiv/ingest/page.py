"""Parse a documentation page into a `ParsedPage`.

Three steps, each in its own module so each can be read on its own:

1. HTML to blocks (`blocks.py`): pick the content, drop chrome, turn embedded players
   into film links and stacked time cells into rows, and flatten it into blocks, one
   per paragraph, heading, list item or table cell.
2. The page's patterns (`patterns.py`): before reading, which blocks are program items
   by their shape and by their neighbours ("Titel. Namn, Org" lines in a row, speaker
   lines that go with the title link above or the heading below).
3. Blocks to records (here): a small state machine reads the blocks in order, the way
   an archivist reads the page: intro, event-level links, then sessions as "title,
   description, speakers, links", with group headings, times and codes as fields.
   What a line means is decided by `page_rules` and `names`, never here.

`parse_page` is a pure function: no network, no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from konfarkiv.archive.model import Material, ParsedPage, Session, Speaker
from konfarkiv.ingest import dates as D
from konfarkiv.ingest import names as N
from konfarkiv.ingest import page_rules as R
from konfarkiv.ingest import patterns as P
from konfarkiv.ingest.blocks import Block, page_blocks
from konfarkiv.ingest.doubts import Doubt, page_doubts

_LEAD_WORDS = 30  # a lone line longer than this is prose, never a title to second-guess
_PARAGRAPH_WORDS = 8  # a description line this long is a paragraph, not a field or a name

# ---------------------------------------------------------------------------
# Blocks to records


@dataclass
class _S:
    """A session under construction."""

    title: str
    time: str | None = None
    code: str | None = None
    group: str | None = None
    date: str | None = None
    description: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    phase: str = "title"  # title -> desc -> speakers -> links
    from_link: bool = False
    rank: int | None = None
    origin: str = "line"  # "heading", "line", "speakers", "link" or "page" (the h1 itself)
    listed: bool = False  # an item of a list the page announced as its program
    weak: int = 0  # speakers known only from prose or a name heading, not a speaker line

    def has_evidence(self) -> bool:
        """Anything beyond a heading and prose that says this is a program item."""
        return bool(self.time or self.code or len(self.speakers) > self.weak or self.from_link
                    or self.listed or any(m.kind != "link" for m in self.materials))

    def freeze(self) -> Session:
        return Session(
            title=self.title,
            description="\n".join(self.description),
            speakers=tuple(_unique(self.speakers)),
            materials=tuple(self.materials),
            time=self.time,
            group=self.group,
            code=self.code,
            date=self.date,
        )

    def is_empty(self) -> bool:
        return not (self.description or self.speakers or self.materials or self.time)


def _unique(speakers: list[Speaker]) -> list[Speaker]:
    seen: dict[str, int] = {}
    out: list[Speaker] = []
    for sp in speakers:
        if sp.name in seen:
            old = out[seen[sp.name]]
            if old.organisation is None and old.role is None:
                out[seen[sp.name]] = sp
            continue
        seen[sp.name] = len(out)
        out.append(sp)
    return out


class _Reader:
    def __init__(self, url: str, title: str, single: bool = False) -> None:
        self.url = url
        self.title = title
        self.single = single  # the page is one talk: its heading is the session
        self.orphans: list[Speaker] = []  # people named outside any session
        self.orphan_cue = False  # ... by a label, a cue or as a heading, not in a list
        self.sections: list[str] = []  # headings read as page sections (for the doubts)
        self.list_ok = False  # a lead line or program heading announced a list of talks
        self.list_lead = False  # ... a lead line did ("SKR arrangerar tre seminarier:")
        self.in_people = False  # reading a labelled list of people outside any session
        self.pending_people: list[Speaker] = []  # "Anna Ek, SKL" before her talk's link
        self.pending_line = False  # ... or a line in that place that names no one
        self.pairs = 0  # talks read as "speaker line, then the title as a link"
        self.org_lines = 0  # speaker lines read as one "Namn, Org"
        self.bold_items = 0  # items read as a bold title line over lines of their own
        self.guesses: list[tuple[str, str]] = []  # (speaker or title, a reading by pattern)
        self.pending_guess = ""
        self.after_link: set[int] = set()  # speaker lines that follow their talk's link
        self.before_title: set[int] = set()  # speaker lines over their talk's heading
        self.titled_lines: set[int] = set()  # "Titel. Anna Ek, SKR" paragraphs in a row
        self.lead = False  # the page writes its items speaker first: "Anna Ek, SKR – Titel"
        self.waiting: list[Speaker] = []  # ... read, for the heading that follows
        self.one_talk = False  # the page was read as one talk for want of a program
        self.date: str | None = None
        self.published: str | None = None
        self.updated: str | None = None
        self.intro: list[str] = []
        self.materials: list[Material] = []
        self.sessions: list[_S] = []
        self.cur: _S | None = None
        self.group: str | None = None
        self.group_time: str | None = None
        self.group_date: str | None = None
        self.group_rank: int | None = None
        self.pending_time: str | None = None
        self.pending_role: str | None = None
        self.caption: str | None = None
        self.caption_target: _S | None = None
        if single:
            self._new_session(R.clean_title(title), 1).origin = "page"

    # -- helpers ---------------------------------------------------------

    def _note(self, text: str) -> None:
        if self.cur is not None:
            self.cur.description.append(text)
        else:
            self.intro.append(text)

    def _new_session(self, title: str, rank: int | None, time: str | None = None,
                     code: str | None = None, from_link: bool = False) -> _S:
        s = _S(
            title=title,
            time=time or self.pending_time or self.group_time,
            code=code,
            group=self.group,
            date=self.group_date or _own_day(title, rank),
            from_link=from_link,
            rank=rank,
            origin="link" if from_link else "heading" if rank is not None else "line",
        )
        self.pending_time = None
        self.caption = None
        s.speakers.extend(self.waiting)
        self.waiting = []
        self.sessions.append(s)
        self.cur = s
        return s

    def _list_item(self, b: Block) -> None:
        """One item of a program list: "Titel – Namn, enhet", "Titel? Namn reflekterar.",
        "<b>Titel</b><br>beskrivning", or a prose item titled by its first sentence."""
        lines = [R.squash(x) for x in b.content.split("\n") if x.strip()]
        first = b.lead_bold if b.lead_bold and b.lead_bold in lines[0] else lines[0]
        after = lines[0][len(first):].strip() if lines[0].startswith(first) else ""
        title, people = N.speakers_in_label(first, self.lead)
        if not people:
            title, people = N.title_and_speakers(first)
        if not people:
            title, after2 = R.split_sentence(first)
            after = " ".join(x for x in (after2, after) if x)
            people = (N.parse_speakers(after) or [
                p for sentence in R.sentences(after) for p in N.lead_speaker(sentence)]
                or N.cue_speakers(after) if after else [])
        code, rest = R.split_code(title)
        s = self._new_session(R.title_from_line(title), None, code=code)
        s.title, s.listed = title, True  # the code stays part of a list item's title
        if people:
            self._add_speakers(people)
        elif after:
            s.description.append(after)
        for extra in lines[1:]:
            if extra.startswith("("):  # "(4:30 minuter in i filmen)": a note on the item
                s.description.append(extra)
            else:
                self.text(Block(extra, extra, (), None), extra, None)

    def _set_group(self, text: str, rank: int | None) -> None:
        time, rest = R.split_time(text)
        self.group = text
        self.list_ok = bool(re.match(r"program", rest or text, re.I))
        self.list_lead = False
        self.group_time = time if rest else None
        dates = D.find_dates(text)
        self.group_date = dates[0] if dates else None
        self.group_rank = rank
        self.cur = None
        self.caption = None

    def _orphans(self, speakers: list[Speaker], cue: bool) -> None:
        """People named before any session: the page's speakers if it proves one talk."""
        self.orphans.extend(speakers)
        self.orphan_cue = self.orphan_cue or cue

    def _add_speakers(self, speakers: list[Speaker]) -> None:
        assert self.cur is not None
        if self.pending_role:
            speakers = [
                Speaker(s.name, s.organisation,
                        self.pending_role if s.role is None else f"{self.pending_role}, {s.role}",
                        s.party)
                for s in speakers
            ]
        self.cur.speakers.extend(speakers)
        if self.cur.phase != "links":
            self.cur.phase = "speakers"

    # -- classification -------------------------------------------------------

    def _is_group(self, b: Block, line: str, nxt: Block | None) -> bool:
        time, rest = R.split_time(line)
        next_line = R.squash(nxt.content) if nxt else ""
        next_is_speaker = bool(nxt and not nxt.links and P.speakers_of(next_line))
        # "Program" or "Presentationer" alone heads a group even when a speaker follows.
        if R.looks_like_group(rest or line) and (not next_is_speaker
                                                 or R.word_count(rest or line) == 1):
            return True
        if nxt is None or next_is_speaker or line.endswith("?") or R.word_count(line) > 10:
            return False
        if R.split_code(rest)[0]:
            return False
        # "Träff 2, 3 april 2019" over timed lines: one meeting's dated group of talks.
        if ((b.rank is not None or D.date_line(line)) and D.find_dates(line) and not nxt.links
                and (R.split_time(next_line)[0] or (nxt.rank or 0) > (b.rank or 0)
                     or nxt.tag == "li" and R.word_count(line) <= 8)):
            return True
        # A heading directly above a lower heading is the lower one's group.
        if b.rank is not None and nxt.rank is not None and nxt.rank > b.rank:
            return True
        # A plain line directly above a timed or coded program line.
        if time is None and b.rank is None and not nxt.links and not R.is_prose(line):
            n_time, n_rest = R.split_time(next_line)
            if (n_time and n_rest) or R.split_code(n_rest)[0]:
                return True
        return False

    @staticmethod
    def _trailing_lines(b: Block, bold_head: bool = False) -> list[str]:
        """Lines after a title in the same block ("Titel<br>Anna Ek, SKL"), if they
        read as speakers, prose or notes, or follow a bold title line; a title merely
        wrapped by <br> stays whole."""
        lines = [x for x in b.content.split("\n") if x.strip()]
        if len(lines) < 2:
            return []
        rest = lines[1:]
        if bold_head:
            return rest
        if all(N.parse_speakers(x) or R.is_prose(x) or R.is_note(x) or x.strip()[:1] in "(["
               or N.is_role_line(x) for x in rest):
            return rest
        if b.tag == "li" and all(x.strip()[:1].isupper() for x in rest):
            return rest  # a list item: its title, then lines of its own
        return []

    # -- the state machine ------------------------------------------------

    def text(self, b: Block, line: str, nxt: Block | None) -> None:
        self.pending_people = []
        self.pending_line = False
        self.pending_guess = ""
        if id(b) in self.after_link and self.cur is not None and self.cur.from_link:
            self._add_speakers(P.speakers_of(line) or [])  # the speaker of the link above
            return
        if id(b) in self.titled_lines:
            self._list_item(b)
            return
        if id(b) in self.before_title:
            self.waiting.extend(P.speakers_of(line) or [])  # the speaker of the title below
            return
        lines = [x for x in b.content.split("\n") if x.strip()]
        if len(lines) > 1 and (N.is_speaker_label_only(lines[0]) or all(
                P.speakers_of(R.squash(x)) for x in lines)):
            for x in lines:  # "Medverkande:<br>Anna Ek, SKR<br>Per Ek, SKL": one per line
                x = R.squash(x)
                self.text(Block(x, x, (), None, tag=b.tag), x, None)
            return
        main, note = R.split_note(line)
        if not main:
            self._note(note)
            return
        if b.rank is not None and N.looks_like_person(main) and (people := P.speakers_of(main)):
            if self.cur is None:  # a person as a heading: a speaker, never a session
                self._orphans(people, cue=True)
            else:
                self._add_speakers(people)
                self.cur.weak += len(people)  # type: ignore[union-attr]
            return
        if b.rank is not None:
            self.in_people = False
        if N.is_speaker_label_only(main):
            role, _rest, _ = N.strip_speaker_label(main.rstrip(":") + ":")
            self.pending_role = role
            self.in_people = True  # "Medverkande": a list of people follows
            cur = self.cur
            if (b.rank is not None and cur is not None and cur.origin == "heading"
                    and cur.rank == b.rank and not cur.has_evidence()):
                self.cur = None  # a sibling heading: the page's own speakers follow
            return
        if len(lines) > 1 and all(R.is_label_line(x) for x in lines):
            self._note(b.content)  # "Datum/tid:<br>Plats: digitalt": the page's fields
            return
        time, rest = R.split_time(main)
        if time and not rest:
            self.pending_time = time
            return
        code, rest_after_code = R.split_code(rest)
        # "<b>Titel</b><br>Anna Ek, SKL": a title over its speaker, not one long name.
        first_line = R.squash(lines[0]) if lines else main
        speakers = P.speakers_of(main) if len(lines) < 2 or P.speakers_of(first_line) else None
        if speakers and len(speakers) == 1 and speakers[0].organisation:
            self.org_lines += 1
        elif speakers and self.org_lines >= 2 and (alike := N.name_and_org(main)):
            speakers = alike  # "Anna Ek, Lika Unika" where the page writes "Namn, Org"
            self.guesses.append((alike[0].name, f"'{main}' read as one person and an "
                                 "organisation, like the page's other speaker lines"))
        link_next = bool(b.links) or (nxt is not None and bool(nxt.links) and not nxt.content)
        if (speakers and link_next and not self.in_people and self.pending_role is None
                and (self.cur is None or self.cur.from_link)):
            self.pending_people = speakers  # the talk is the link that follows
            self.pending_line = True
            return
        if (not speakers and link_next and self.pairs >= 2 and b.rank is None
                and (self.cur is None or self.cur.from_link) and not time
                and R.word_count(main) <= 8 and not R.is_prose(main)):
            # Read like its neighbours: the speaker line of the link after it ("Enköpings
            # kommun" over the talk, where every other talk has "Namn, Org" there).
            self.pending_line = True
            self.pending_guess = (f"'{main}' above the talk's link read as its speaker line "
                                  "(naming no one), like the page's other talks")
            return
        if speakers and self.cur is None:
            labelled = self.pending_role is not None or self.in_people
            self._orphans(speakers, cue=b.tag != "li" or labelled)
            self.in_people = self.in_people or labelled or b.tag != "li"
            return
        if self.in_people and self.cur is None and b.rank is None and R.word_count(main) <= 2:
            return  # "Inget" between the names of a labelled list
        if speakers:
            if self.cur is None or self.cur.from_link:
                # People before any title: a talk named by its speaker.
                self._new_session(R.title_from_line(main), b.rank)
            self._add_speakers(speakers)
            if note:
                self._note(note)
            return
        self.pending_role = None
        cued = [] if time or code else N.cue_speakers(main)
        if cued:  # "X frågas ut av Y": the cue names Y, the sentence's lead names X
            cued += [p for sentence in R.sentences(main) for p in N.lead_speaker(sentence)
                     if p.name not in {c.name for c in cued}]
            if self.cur is None:
                self._orphans(cued, cue=True)
                self.intro.append(main)
            else:
                self._add_speakers(cued)
                self.cur.description.append(main)
            return
        if self.single:
            assert self.cur is not None
            self.cur.description.append(b.content if "\n" in b.content else main)
            return
        in_talk = self.cur is not None and self.cur.origin == "heading"
        if b.tag == "li" and not R.split_time(main)[0] and (
                b.lead_bold or self.list_lead or self.list_ok and not in_talk
                or P.names_its_speakers(b) or P.titled_list_item(b)):
            self._list_item(b)
            return
        if b.rank is None and R.announces_program_list(main):
            self.list_ok = self.list_lead = True
        elif b.tag != "li" and main.endswith(":"):
            self.list_ok = self.list_lead = False  # the lead line of another kind of list
        if (self.cur is None and b.rank is None and not time and not code
                and R.is_label_line(main) and len(main.split(":", 1)[0].split()) == 1):
            self.intro.append(main)  # "Illustration: Anna Ek.": a field, not a title
            return
        if self._is_group(b, main, nxt):
            self._set_group(main, b.rank)
            return
        if R.is_film_caption(main) and nxt is not None and nxt.links and not nxt.residual:
            self.caption = main
            self.caption_target = self.cur if self.cur and not self.cur.materials else None
            return
        cur = self.cur
        opens = (
            cur is None
            or cur.from_link
            or self.pending_time is not None
            or b.rank is not None
            and (cur.rank is None or b.rank <= cur.rank or cur.phase != "title")
            or bool(time)
            or bool(code)
            or (cur.phase in {"speakers", "links"} and not R.is_prose(main))
        )
        if cur is not None and cur.rank is not None and b.rank is None and cur.phase == "title":
            opens = bool(time) or bool(code)
        bold_item = P.is_bold_item(b, lines, self.bold_items > 0) or (
            cur is not None and P.is_titled_block(b, lines))
        if bold_item or (time and b.lead_bold):
            self.bold_items += 1
        opens = opens or bold_item
        if opens and cur is None and b.rank is None and not time and not code and R.is_prose(main):
            self.intro.append(b.content if "\n" in b.content else main)
            return
        if not opens:
            assert cur is not None
            if cur.phase in {"title", "desc"}:
                cur.phase = "desc"
            cur.description.append(b.content if "\n" in b.content else main)
            if note:
                cur.description.append(note)
            # "Teresa Ribeiro, ordförande ..., presenterar ...": the talk's speaker.
            led = [p for sentence in R.sentences(main) for p in N.lead_speaker(sentence)]
            if led:
                self._add_speakers(led)
                cur.weak += len(led)
            return
        more = self._trailing_lines(b, bold_item)
        if more:
            time, first = R.split_time(R.squash(b.content.split("\n", 1)[0]))
            code, rest_after_code = R.split_code(first)
        title, desc = rest_after_code, ""
        set_off: list[Speaker] = []
        lead_time, lead_rest = R.split_time(b.lead_bold)
        if (time or bold_item) and lead_rest and rest_after_code.startswith(lead_rest) and (
                lead_time or not time):
            title, desc = lead_rest, rest_after_code[len(lead_rest):].strip()
        elif time:
            title, desc = R.split_title_description(rest_after_code)
            if not desc:  # "9.40 Föreläsning om X, Björn Andersson, docent ..."
                label_title, people = N.speakers_in_label(title, self.lead)
                if people and label_title != title:
                    title, set_off = label_title, people
        if not set_off:
            title, set_off = N.speakers_around_title(title)
        s = self._new_session(R.title_from_line(title), b.rank, time=time, code=code)
        if set_off:
            self._add_speakers(set_off)
        if (time or code) and N.looks_like_person(s.title):
            # "Kl 13.10-14.00. Lea Larsson": a slot titled by its speaker's name alone.
            s.speakers.append(Speaker(s.title, None))
        elif (time or code) and not set_off and (led := N.lead_speaker(s.title)):
            self._add_speakers(led)  # "10.00 Landshövding Anna Ek talar": the title names her
            s.weak += len(led)
        for extra in more:
            self.text(Block(extra, extra, (), None), extra, None)
        if desc:
            people = N.parse_speakers(desc)
            if people:
                self._add_speakers(people)
            else:
                s.description.append(desc)
                s.phase = "desc"
                cued = N.cue_speakers(desc) or [
                    p for sentence in R.sentences(desc) for p in N.lead_speaker(sentence)]
                if cued:
                    self._add_speakers(cued)
        if note:
            s.description.append(note)

    def links(self, b: Block, fallback_label: str) -> None:
        talks = self.group is not None and (R.is_talk_group(self.group) or b.rank is not None
                                            or b.bold)
        marker = b.marker
        for ln in b.links:
            raw = ln.text if len(b.links) > 1 or not marker else f"{ln.text} {marker}"
            kind = R.link_kind(raw, ln.href)
            if kind == "link" and R.is_furniture_link(ln.text):
                continue  # a sign-up form, a privacy policy, "Läs mer om ..."
            label = R.clean_label(ln.text)
            if not label:
                label = fallback_label or (self.cur.title if self.cur else self.title)
            if self.caption is not None:
                if kind == "link":
                    kind = "film"
                if R.is_bare_part(label):
                    label = f"{self.caption} – {label}"
                mat = Material(kind, label, ln.href)
                target = self.caption_target
                (target.materials if target else self.materials).append(mat)
                continue
            mat = Material(kind, label, ln.href)
            if R.is_event_level(label):
                self.materials.append(mat)
                continue
            cur = self.cur
            title, people = N.speakers_in_label(label, self.lead)
            if (people and title != label and cur is not None and cur.origin == "heading"
                    and cur.is_empty() and cur.code is None):
                # "<h2>Dokumentation från dagen</h2>" over "Anna Ek, SKL – Titel" links:
                # the heading heads a list of talks, each link one of them.
                self.sessions.remove(cur)
                self._set_group(cur.title, cur.rank)
                cur = None
            if self.pending_line:
                self.pairs += 1
                if self.pending_guess:
                    self.guesses.append((title, self.pending_guess))
                    self.pending_guess = ""
                s = self._new_session(title, b.rank, from_link=True)
                s.speakers.extend([*self.pending_people, *people])
                s.materials.append(mat)
                s.phase = "links"
                self.pending_people = []
                self.pending_line = False
                continue
            if cur is None or (cur.from_link and not fallback_label):
                if cur is not None and people and people == cur.speakers and (
                        title == cur.title or all(m.kind != kind for m in cur.materials)):
                    cur.materials.append(mat)  # the same talk's film after its slides
                    continue
                if people or talks or (cur is not None and cur.from_link):
                    s = self._new_session(title, b.rank, from_link=True)
                    s.speakers.extend(people)
                    s.materials.append(mat)
                    s.phase = "links"
                else:
                    self.materials.append(mat)
                continue
            cur.materials.append(mat)
            cur.phase = "links"
            if people and not cur.speakers:
                cur.speakers.extend(people)

    def read(self, blocks: list[Block]) -> None:
        self.after_link, self.before_title = P.speaker_line_sides(blocks)
        self.titled_lines = P.titled_speaker_lines(blocks)
        self.lead = P.speakers_lead(blocks)
        for i, b in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            beside = P.speakers_beside_links(b)
            if beside:  # "<a>Titel (PDF)</a> – Anna Ek, SKR": the talk's speaker
                self.pending_people, self.pending_line = beside, True
            elif b.content:
                self.text(b, R.squash(b.content), nxt)
            fallback = R.clean_label(b.residual.rsplit("\n", 1)[-1]) if b.residual else ""
            if b.links:
                self.links(b, fallback)

    def _drop_sections(self, sessions: list[_S]) -> list[_S]:
        """Headings that carry no program item are the page's sections, not sessions.

        With no program item anywhere, every bare heading is a section ("Innehåll",
        "Syfte och målgrupp"); otherwise a bare heading above the program items' own
        level is ("Om programinnehållet" over h3 talks), and so is one over prose before
        the first program item ("Målgrupp" at the talks' own level, then a paragraph).
        """
        ranks = [s.rank for s in sessions if s.has_evidence() and s.rank is not None]
        top = min(ranks) if ranks else None
        lines_count = any(s.has_evidence() and s.rank is None and s.origin == "line"
                          for s in sessions)
        any_item = any(x.has_evidence() for x in sessions)
        started = False  # a program item has been read: bare lines before it are intro
        keep: list[_S] = []
        for s in sessions:
            bare = s.origin in {"heading", "line"} and not s.has_evidence()
            if bare and (not any_item or (top is not None and s.rank is not None
                                          and s.rank < top)
                         or (s.rank is not None and top is None)
                         or (s.rank is not None and not started and s.description
                             and all(R.word_count(d) >= _PARAGRAPH_WORDS
                                     for d in s.description))
                         or (s.rank is None and (top is not None and not lines_count
                                                 or s.origin == "line" and not started))):
                self.intro.extend([s.title, *s.description])
                self.materials.extend(s.materials)
                self.sections.append(s.title)
                continue
            keep.append(s)
            started = started or s.has_evidence()
        return keep

    def _one_talk(self, sessions: list[_S]) -> list[_S]:
        """No program but people named for the page: the page is one talk, titled by its h1.

        Its lead text (the intro, or a lone untimed line over the speakers, which reads
        like a title when it is a question) describes that talk, not a second title.
        """
        lead: list[str] = []
        if len(sessions) == 1 and _is_lead_line(sessions[0]) and not self.orphans:
            lead = [sessions[0].title]
            self.intro.extend(lead)
            sessions = [replace(sessions[0], origin="speakers", description=[])]
        if any(s.origin in {"heading", "line", "page"} for s in sessions):
            return sessions
        if not (self.orphan_cue or any(s.origin == "speakers" for s in sessions)):
            return sessions
        one = _S(title=R.clean_title(self.title), origin="page", rank=1,
                 description=lead or list(self.intro))
        one.speakers = [*self.orphans, *(p for s in sessions for p in s.speakers)]
        one.materials = [m for s in sessions for m in s.materials]
        self.orphans = []
        self.one_talk = True
        return [one]

    def result(self) -> ParsedPage:
        sessions = list(self.sessions)
        # A title-only line before the first real session was the intro's heading.
        while len(sessions) > 1 and sessions[0].is_empty() and sessions[0].group is None:
            self.intro.append(sessions.pop(0).title)
        sessions = self._one_talk(self._drop_sections(sessions))
        return ParsedPage(
            url=self.url,
            title=R.clean_title(self.title),
            date=self.date,
            intro="\n".join(self.intro),
            materials=tuple(self.materials),
            sessions=tuple(s.freeze() for s in sessions),
            published=self.published,
            updated=self.updated,
        )


def _own_day(title: str, rank: int | None) -> str | None:
    """"Webbinarium 2: Vattnet, 3 april 2019": a heading stating its own day."""
    days = D.find_dates(title) if rank is not None else []
    return days[0] if days else None


def _is_lead_line(s: _S) -> bool:
    """A bare line with speakers and nothing else: on a page with no other item, a lead."""
    return (s.origin == "line" and s.rank is None and not (s.time or s.code or s.group)
            and not s.description and not s.materials and bool(s.speakers)
            and R.word_count(s.title) <= _LEAD_WORDS)


def _content_blocks(blocks: list[Block], reader: _Reader) -> list[Block]:
    """Drop furniture (and all after a closing furniture heading) and date lines."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        line = b.line
        if R.is_stop_furniture(line):
            break
        if R.is_furniture(line) or (b.links and all(R.is_furniture(ln.text) for ln in b.links)
                                    and (not b.residual or R.is_furniture(b.residual))):
            continue
        dl = D.date_line(line) if not b.links else None
        if dl is None and "\n" in b.text:
            _date_lines(b.text.split("\n"), reader)
        if dl is None and not b.links and b.rank is None and (day := D.when_where(line)):
            reader.date = reader.date or day
            continue
        if dl is not None:
            _keep_date(dl, reader)
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if dl.kind not in ("published", "updated") and (
                    b.rank is not None or R.looks_like_group(line)
                    or nxt is not None and R.split_time(nxt.line)[0] is not None):
                out.append(b)  # also a day heading for the sessions under it
            continue
        out.append(b)
    return out


def _date_lines(lines: list[str], reader: _Reader) -> None:
    """Dates stated on lines of their own (above the h1, or one line of a block)."""
    for line in lines:
        dl = D.date_line(line)
        if dl is not None:
            _keep_date(dl, reader)


def _keep_date(dl: D.DateLine, reader: _Reader) -> None:
    """The first date of each kind the page states wins: published, updated, or the event's."""
    if dl.kind == "published":
        reader.published = reader.published or dl.date
    elif dl.kind == "updated":
        reader.updated = reader.updated or dl.date
    else:
        reader.date = reader.date or dl.date


def parse_page(html: str | bytes, url: str) -> ParsedPage:
    """Parse one documentation page; `url` resolves its relative links (see read_page)."""
    return read_page(html, url)[0]


def read_page(html: str | bytes, url: str) -> tuple[ParsedPage, list[Doubt]]:
    """Parse one documentation page, with what the parser is unsure of on it.

    The title is the h1 as a user would cite the event: a leading
    "Dokumentation: " is dropped. `date` is the event's date only where the page
    states a full date for it; a publication date goes to `published`.
    """
    title, blocks, head = page_blocks(html, url)
    # A page titled like a program item ("14. Klyftan ökar", "R. Särskola") or whose
    # content repeats its h1 as a heading is one talk.
    single = bool(title) and (R.split_code(title)[0] is not None
                              or any(b.rank and b.line == title for b in blocks))
    blocks = [b for b in blocks if not (b.rank and b.line == title)]
    reader = _Reader(url, title, single)
    if not title:
        reader.title = urlsplit(url).path.rsplit("/", 1)[-1]
    _date_lines([ln for b in head if not b.links for ln in b.text.split("\n")], reader)
    content = _content_blocks(blocks, reader)
    reader.read(content)
    if reader.date is None:
        first_texts = [b.text for b in content if b.rank is None][:8]
        reader.date = D.event_date(title, first_texts, reader.published)
    page = reader.result()
    guesses = [(i, note) for key, note in reader.guesses for i, s in enumerate(page.sessions)
               if s.title == key or any(p.name == key for p in s.speakers)]
    return page, page_doubts(page, sections=reader.sections, one_talk=reader.one_talk,
                             guesses=guesses)
