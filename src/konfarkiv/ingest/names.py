"""Who speaks: the grammar of Swedish speaker lines, names and organisations.

A speaker line is "Namn, roll, Organisation", "A och B, SKL", "Moderator: X", a
name with party letters "(S)", or a sentence with a cue ("Med A och B, SKL",
"Vi har också med X", "Medverkade gjorde X"). Which token is a name, a job word
or an organisation is decided here, from word shapes and Swedish cue words,
never from a list of particular people.

All functions take plain text and are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from konfarkiv.archive.model import Speaker
from konfarkiv.ingest.text import squash, word_count

# Labels in front of a speaker list; the role labels give each speaker a role.
_SPEAKER_LABEL_RE = re.compile(
    r"^(?P<label>medverkande(?: var| är)?|medverkar|talare|föreläsare|föredragande"
    r"|presentatörer?|paneldeltagare|panelen|i panelen|panel|deltagare|inledare"
    r"|moderatorer|moderator|seminarieledare|samtalsledare|programledare|värd|värdar"
    r"|ordförande|leds av|ledd av|presenteras av|med"
    r"|panelists?|speakers?|lecturers?|moderators?|presenters?|hosts?)\b\s*:?\s*",
    re.I,
)
_ROLE_LABELS = {
    "moderator": "moderator", "moderatorer": "moderator",
    "seminarieledare": "seminarieledare", "samtalsledare": "samtalsledare",
    "programledare": "programledare", "värd": "värd", "värdar": "värd",
    "inledare": "inledare", "ordförande": "ordförande",
}

# Words (lower case) and endings that make a token part of an organisation, not a name.
_ORG_WORDS = {
    "sveriges", "kommuner", "kommun", "landsting", "regioner", "region", "stad", "staden",
    "universitet", "högskola", "förbund", "myndighet", "ab", "skl", "skr", "länsstyrelsen",
    "länsstyrelsernas", "landstingens", "kommunernas", "regionernas", "ur", "svt", "sr",
    "eu", "fn", "oecd", "kfs", "msb", "vinnova", "boverket", "tillväxtverket",
    "naturvårdsverket", "socialstyrelsen", "skolverket", "folkhälsomyndigheten",
    # English organisation words ("Healthy Cities", "Amnesty International").
    "international", "cities", "city", "group", "institute", "foundation", "council",
    "association", "university", "network", "partnership", "agency", "forum", "alliance",
    "society", "centre", "center", "union", "survey", "enterprise", "local", "zero",
}
# English organisation words end a capitalised run that is then no name ("World Values
# Survey"); Swedish ones may follow a name without a comma ("Johan Ek Region Skåne").
_EN_ORG_WORDS = {"international", "cities", "city", "group", "institute", "foundation",
                 "council", "association", "university", "network", "partnership", "agency",
                 "forum", "alliance", "society", "centre", "center", "union", "survey",
                 "enterprise", "zero"}
_ORG_SUFFIXES = (
    "styrelsen", "verket", "förbundet", "myndigheten", "institutet", "universitetet",
    "högskolan", "departementet", "kommun", "kommunen", "regionen", "landstinget", "byrån",
    "rådet", "nämnden", "inspektionen", "akademin", "kansliet", "bolaget", "fonden",
    "centrum", "centret", "stiftelsen", "föreningen", "organisationen", "kontoret",
    "sverige", "gruppen", "nätverket", "samverkan", "sekretariatet", "enheten",
)
# Acronyms that are organisations even first in a line ("UR Samtiden"), never initials.
_ORG_ACRONYMS = {"UR", "SR", "EU", "FN", "KI", "AB", "TV", "IT"}
# Job words (lower case, matched as a word ending), so "VD" and "utvecklingschef" are roles.
_ROLE_RE = re.compile(
    r"(?:chef|direktör|ordförande|ordf\.?|ledamot|handläggare|utredare|strateg|samordnare"
    r"|ansvarig|ledare|expert|forskare|professor|docent|sekreterare|vd|rådgivare|analytiker"
    r"|ekonom|jurist|konsult|minister|borgarråd|kommunalråd|regionråd|oppositionsråd|råd"
    r"|chefredaktör|koordinator|specialist|doktorand|lektor|författare|journalist"
    r"|utvecklare|ombudsman|generalsekreterare|generaldirektör|överdirektör|talesperson"
    r"|moderator|inspektör|planerare|arkitekt|ingenjör|biträdande|vice|förste|senior"
    r"|medarbetare|pedagog|läkare|sjuksköterska|rektor|kommunikatör|controller|revisor"
    r"|ombud|representant|grundare|ägare|partner|vd:?|föreståndare|historiker|panelist"
    r"|panelists|lecturer|speaker|statsråd|landshövding|länsråd|gd|sakkunnig)$",
    re.I,
)
# Capitalised words that start titles and lines but are never part of a person's name.
_NOT_NAME_WORDS = {
    "välkommen", "välkomna", "presentation", "presentationen", "presentationer", "film",
    "filmen", "se", "inledning", "avslutning", "paus", "lunch", "kaffe", "fika", "om",
    "från", "till", "med", "hur", "vad", "vilka", "varför", "när", "program", "programmet",
    "dokumentation", "panel", "paneldiskussion", "samtal", "frågor", "del", "pm",
    "sammanfattning", "redovisning", "syfte", "handbok", "ekonomiska", "ladda", "nytt",
    "inspelning", "webbsändning", "och", "en", "ett", "det", "den", "de", "vi", "är",
    "nya", "nyheter", "seminarium", "konferens", "workshop", "plenum", "ingen", "inga",
    "medverkande", "moderator", "talare", "demokrati", "kultur",
}
_PARTICLES = {"von", "af", "de", "van", "der", "den", "la", "le", "du", "di", "da"}
# Swedish party letters after a name: "(S)", "(m)", "(KD)". They are not organisations.
_PARTY_RE = re.compile(r"^\((?P<p>S|M|C|L|V|KD|MP|SD|FP|Fi|SPI)\)[,.;]?$", re.I)
_NAME_TOKEN_RE = re.compile(
    r"^[A-ZÅÄÖÉÈÜØÆ](?:['’][A-ZÅÄÖÉ])?[a-zåäöéèüøæáíóúñç'’]+(?:-[A-ZÅÄÖÉa-zåäöé][a-zåäöéèü]+)*$"
)
# Academic titles in front of a name: "Dr Anna Ek", "Prof. Per Holm".
_HONORIFIC_RE = re.compile(r"^(?:dr|prof|fil\.?\s*dr|med\.?\s*dr)\.?$", re.I)
_INITIALS_RE = re.compile(r"^(?:[A-ZÅÄÖ]{1,2}|[A-ZÅÄÖ]\.(?:-?[A-ZÅÄÖ]\.)?|[A-ZÅÄÖ]-[A-ZÅÄÖ])$")
# A tail may not start like a clause: "Anna Svensson berättar om …" is prose.
_CLAUSE_START = {
    "och", "som", "att", "är", "var", "med", "om", "har", "hade", "ska", "kommer", "berättar",
    "pratar", "talar", "presenterar", "visar", "beskriver", "inleder", "avslutar", "leder",
    "samtalar", "diskuterar", "svarar", "den", "det", "en", "ett", "hur", "vad", "på",
}
_PREPOSITIONS = {"i", "på", "vid", "hos", "för", "inom"}


def _is_org_token(tok: str) -> bool:
    low = tok.lower().rstrip(",.:;")
    if low in _ORG_WORDS:
        return True
    return len(low) > 6 and low.endswith(_ORG_SUFFIXES)


def _is_acronym(tok: str) -> bool:
    core = tok.rstrip(",.;").removesuffix(":s")
    return len(core) >= 2 and core.isupper() and core.replace("-", "").isalpha()


def _is_role_token(tok: str) -> bool:
    return bool(_ROLE_RE.search(tok.rstrip(",.:;").lower()))


# Definite genitives ("Kulturens", "Kommunernas") start organisations, not names.
_DEFINITE_GENITIVE_RE = re.compile(r"\w{4,}(?:ens|ets|ernas|arnas|ornas)$")


def _is_name_token(tok: str) -> bool:
    return (
        bool(_NAME_TOKEN_RE.match(tok))
        and not _DEFINITE_GENITIVE_RE.match(tok)
        and tok.lower() not in _NOT_NAME_WORDS
        and not _is_org_token(tok)
        and not _is_role_token(tok)
    )


@dataclass
class _Name:
    name: str
    party: str | None
    tail: str
    role: str | None = None


_GENITIVE_RE = re.compile(r"^[A-ZÅÄÖ][\wÅÄÖåäö-]*(?::s|[a-zåäö]s)$")


def _take_name(text: str) -> _Name | None:
    """A person's name at the start of `text`, with party letters and what follows.

    A job title in front ("Docent Anna Ek") is kept as the name's `role`.
    """
    toks = text.split()
    if len(toks) > 2 and _HONORIFIC_RE.match(toks[0]) and _is_name_token(toks[1]):
        toks = toks[1:]
    # "SKR:s ordförande Anders Knape": the genitive names the organisation of the role.
    # "Kommunstyrelsens ordförande Anna Ek" likewise.
    if len(toks) > 3 and _GENITIVE_RE.match(toks[0]) and _is_role_token(
            toks[1]):
        toks = toks[1:]
    if len(toks) > 2 and _is_role_token(toks[0]) and not _is_acronym(toks[0]) and (
            toks[0][:1].isupper() or _is_name_token(toks[1])):
        rest = _take_name(" ".join(toks[1:]))
        if rest is not None:
            job = toks[0] if toks[0].isupper() else toks[0].lower()
            rest.role = " ".join([job, *([rest.role] if rest.role else [])])
        return rest
    name: list[str] = []
    full = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if (
            (full == 0 or len(tok.rstrip(".")) == 1)
            and _INITIALS_RE.match(tok)
            and tok.rstrip(".") not in _ORG_ACRONYMS
            and (_is_name_token(nxt) or re.match(r"^[A-ZÅÄÖ]\.$", nxt) and len(toks) > i + 2
                 and _is_name_token(toks[i + 2]))
        ):
            name.append(tok)
        elif _is_name_token(tok):
            name.append(tok)
            full += 1
        elif tok in _PARTICLES and full and _is_name_token(nxt):
            name.append(tok)
        else:
            break
        i += 1
    if full == 0 or len(name) < 2 or len(name) > 5:
        return None
    if i < len(toks) and toks[i].lower().rstrip(",.;") in _EN_ORG_WORDS:
        return None  # "World Values Survey", "Healthy Cities": an organisation
    if i < len(toks) and toks[i][:1].islower() and _is_org_token(toks[i]):
        return None  # "Upplands Väsby kommun", "Lunds universitet": a place's body
    party = None
    if i < len(toks) and (m := _PARTY_RE.match(toks[i])):
        party = m.group("p").upper()
        i += 1
    return _Name(" ".join(name), party, " ".join(toks[i:]).strip(" ,"))


def _role_org(tail: str, inline: bool) -> tuple[str | None, str | None] | None:
    """Split "strategisk chef Piteå kommun" into role and organisation.

    `inline` tails follow the name without a comma; they must carry a job word
    or start like an organisation, or the line is prose, not a speaker.
    """
    tail = tail.strip(" ,.")
    if tail.startswith("(") and tail.endswith(")"):
        tail = tail[1:-1].strip()
    if not tail or "?" in tail or word_count(tail) > 10:
        return None
    toks = tail.split()
    if toks[0].lower() == "från" and len(toks) > 1 and toks[1][:1].isupper():
        if any(t.lower() in _CLAUSE_START for t in toks[2:]) or _SPEECH_VERB_RE.search(tail):
            return None  # "Anna Ek från SLU berättar om skogen": a sentence
        return None, " ".join(toks[1:])  # "Nelson Dias från Portugal"
    if (inline and toks[0] in {"och", "med", "samt"} and 1 < len(toks) <= 4
            and all(t[:1].islower() for t in toks)):
        return None, None  # "Anna Ek och kollegor", "Anna Ek med band": others unnamed
    if toks[0].lower() in _CLAUSE_START:
        return None
    role: list[str] = []
    while toks and (toks[0][:1].islower() or _is_role_token(toks[0])) and not _is_acronym(
        toks[0]
    ) or (toks and toks[0].upper() in {"VD", "VD:"}):
        role.append(toks.pop(0))
    has_role_word = any(_is_role_token(t) for t in role)
    if role and not has_role_word:
        if inline:
            return None
        # "avdelningen för vård och omsorg": a department, not a job.
        return None, tail
    while role and role[-1].lower() in _PREPOSITIONS:
        role.pop()
    org = " ".join(toks) or None
    if inline and not role and org:
        first = toks[0]
        if not (_is_acronym(first) or _is_org_token(first) or first[:1].isupper()):
            return None
    return (" ".join(role) or None), org


@dataclass
class _P:
    name: str
    party: str | None = None
    role: str | None = None
    org: str | None = None


def _apply_tail(chain: list[_P], role: str | None, org: str | None) -> None:
    for p in chain:
        if role:
            p.role = role if p.role is None else f"{p.role}, {role}"
        if org:
            p.org = org if p.org is None else f"{p.org}, {org}"


_SEP_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _split_top(text: str, seps: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split on separators outside parentheses; each piece with the separator before it."""
    pattern = _SEP_PATTERNS.get(seps)
    if pattern is None:
        pattern = _SEP_PATTERNS[seps] = re.compile(
            "|".join([r"\(", r"\)", *(re.escape(s) for s in seps)]))
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    sep_before = ""
    for m in pattern.finditer(text):
        hit = m.group(0)
        if hit == "(":
            depth += 1
        elif hit == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append((sep_before, text[start:m.start()]))
            sep_before = hit.strip()
            start = m.end()
    out.append((sep_before, text[start:]))
    return [(s, p.strip()) for s, p in out if p.strip()]


def _split_och(segment: str) -> list[str]:
    """Split at " och "/" samt " only where a person's name follows."""
    pieces: list[str] = []
    rest = segment
    while True:
        cut = None
        for m in re.finditer(r"\s+(?:och|samt|&)\s+", rest):
            before, after = rest[:m.start()].split(), rest[m.end():]
            if (before and _is_role_token(before[-1]) and before[-1][:1].islower()
                    and after[:1].islower()):
                continue  # "författare och kommunikatör X": two jobs of one person
            if _take_name(after) is not None:
                cut = m
                break
        if cut is None:
            pieces.append(rest)
            return [p for p in pieces if p.strip()]
        pieces.append(rest[: cut.start()])
        rest = rest[cut.end():]


def strip_speaker_label(text: str) -> tuple[str | None, str, bool]:
    """(role from the label, the rest, whether there was a label).

    Without a colon ("Samtalsledare Anna Svensson") a label counts only when a
    name follows, so "Ordförande SKL" is not mistaken for one.
    """
    m = _SPEAKER_LABEL_RE.match(text)
    if not m:
        return None, text, False
    rest = text[m.end():].strip()
    if ":" not in m.group(0) and rest and _take_name(re.split(r"[,;]", rest)[0]) is None:
        return None, text, False
    return _ROLE_LABELS.get(m.group("label").lower()), rest, True


def is_speaker_label_only(text: str) -> bool:
    """"Medverkande:" alone on a line, the people follow as a list."""
    role, rest, labelled = strip_speaker_label(squash(text))
    return labelled and not rest


# "... Tankesmedja. Seminariet inleds av ...": a second sentence; a speaker line has one.
_NEXT_SENTENCE_RE = re.compile(r"(?<![ .][A-ZÅÄÖ])[\wåäö)]\.\s+[A-ZÅÄÖ][a-zåäö]+\s+[a-zåäö]")


def parse_speakers(text: str) -> list[Speaker] | None:
    """The people on a speaker line, or None when the line is not one.

    Reads "X och Y, Org" (both of Org), "X, Org, Y, Org2 och Z, Org3" (each their
    own), "X, Org, Y och Z" (the last two without), "X roll Org" with no commas,
    "Moderator: X", "samt", ";" and " - Org", and party letters "(S)". A line must
    start with a name; any part that reads like a clause makes it prose instead.
    """
    text = squash(text).rstrip(" .,")
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:]:
        text = text[1:-1].strip()
    if not text or text.endswith("?") or word_count(text) > 60 or _NEXT_SENTENCE_RE.search(text):
        return None
    label_role, body, _labelled = strip_speaker_label(text)
    if not body:
        return None
    people: list[_P] = []
    for group in [g for _, g in _split_top(body, (";",))]:
        chain: list[_P] = []
        chain_closed = False
        for sep, segment in _split_top(group, (", ", " - ", " – ", " — ")):
            forced_tail = sep in {"-", "–", "—"}
            # "…, Region Örebro län, och Nils Ros": a comma before "och" changes nothing.
            lead = re.match(r"(?:och|samt)\s+", segment)
            if lead and _take_name(segment[lead.end():]) is not None:
                segment = segment[lead.end():]
            pieces = [segment] if forced_tail else _split_och(segment)
            for k, piece in enumerate(pieces):
                nm = None if forced_tail else _take_name(piece)
                if nm is None:
                    if not people:
                        return None
                    ro = _role_org(piece, inline=False)
                    if ro is None and forced_tail and word_count(piece) > 10 and "?" not in piece:
                        ro = None, None  # "Anna Ek - Former Senior Expert in ...": a long bio
                    if ro is None:
                        return None
                    _apply_tail(chain or people[-1:], *ro)
                    chain_closed = True
                    continue
                p = _P(nm.name, nm.party, nm.role)
                if chain_closed or (k == 0 and sep == "" and chain):
                    chain = []
                    chain_closed = False
                chain.append(p)
                people.append(p)
                if nm.tail:
                    ro = _role_org(nm.tail, inline=True)
                    if ro is None:
                        return None
                    _apply_tail(chain, *ro)
                    chain_closed = True
    if not people:
        return None
    out = []
    for p in people:
        role = p.role
        if label_role:
            role = label_role if role is None else f"{label_role}, {role}"
        out.append(Speaker(name=p.name, organisation=p.org, role=role, party=p.party))
    return out


_PRESENTATION_OF_RE = re.compile(r"^(?:presentation(?:en)?|bilder|föredrag)\s+(?:från\s+|av\s+)?",
                                 re.I)
_LABEL_TITLE_PREFIX_RE = re.compile(
    r"^(?:presentation(?:en)?|föreläsning|film|bilder)\s*:\s*", re.I
)
_FILM_WITH_RE = re.compile(r"^(?:se\s+)?(?:film|filmen|intervju|samtal)\s+med\s+(?P<who>.+)$", re.I)


# An item line (title and speakers) is at most this long; longer text is prose.
_ITEM_WORDS = 80
_CLOSING_PAREN_RE = re.compile(r"\s*\((?P<who>[^()]+)\)[.!]?$")


def _dash_splits(text: str) -> list[tuple[str, str]]:
    """(before, after) at each dash that may part a speaker line from a title; the
    title after it starts like one (a capital or a quote)."""
    out = []
    for dash in re.finditer(r"\s[-–—]\s|(?<=\w)[-–—]\s", text):
        head, title = text[:dash.start()].strip(), text[dash.end():].strip()
        if title[:1] and (title[0].isupper() or title[0] in "”\"'«"):
            out.append((head, title))
    return out


def _reads_as_org(text: str) -> bool:
    """A short text that names an organisation: "Region Skåne", "SKR", "Lunds universitet"."""
    toks = text.rstrip(" .").split()
    if not toks or len(toks) > 6:
        return False
    return (_is_org_token(toks[0]) or (len(toks) == 1 and _is_acronym(toks[0]))
            or any(t[:1].islower() and _is_org_token(t) for t in toks[1:]))


def leading_speakers(text: str, bare: bool = False) -> tuple[str, list[Speaker]]:
    """("Titel", [Anna Ek]) from "Anna Ek, Håbo kommun – Titel" (or "kommun- Titel"):
    a speaker line with organisation or role, a dash, then the title. With `bare` (the
    page writes its items so), a name alone before the dash leads too ("Anna Ek – Titel").
    """
    text = squash(text)
    if word_count(text) > _ITEM_WORDS:
        return text, []
    for head, title in _dash_splits(text):
        if _reads_as_org(title):
            continue  # "Anna Ek, utredare – Region Skåne": the organisation, not a title
        if ("," in head and (sp := parse_speakers(head))
                and all(p.organisation or p.role for p in sp)
                and not any(p.organisation or p.role for p in parse_speakers(title) or [])):
            return title, sp
    if bare:
        for head, title in _dash_splits(text):
            nm = _take_name(head)
            if nm is not None and not nm.tail and parse_speakers(title) is None:
                return title, [Speaker(nm.name, None, nm.role, nm.party)]
    return text, []


def speakers_around_title(text: str) -> tuple[str, list[Speaker]]:
    """The title and the speakers set off around it by brackets or a colon.

    "Titel (Anna Ek, SKL)." and "Generaldirektör Anna Ek: Titel" (or "Anna Ek: Titel"):
    no other reading of the brackets or the colon names a person so plainly. Nothing
    set off: the text and no one.
    """
    text = squash(text)
    if word_count(text) > _ITEM_WORDS:
        return text, []  # a paragraph, not an item line: and no quadratic search in it
    paren = _CLOSING_PAREN_RE.search(text)
    if paren and paren.start() > 0 and (sp := parse_speakers(paren.group("who"))):
        return text[:paren.start()].strip(), sp
    head, colon, title = text.partition(": ")
    if colon and title and not strip_speaker_label(head + ":")[2]:
        nm = _take_name(head)
        if nm is not None and not nm.tail and parse_speakers(title) is None:
            return title.strip(), [Speaker(nm.name, None, nm.role, nm.party)]
        if "," in head and (sp := parse_speakers(head)) and parse_speakers(title) is None:
            return title.strip(), sp  # "Anna Ek, SKR: Titel"
    led = leading_speakers(text)
    if led[1]:
        return led
    parts = [p.strip() for p in text.split(" | ") if p.strip()]
    if len(parts) > 1:  # "Titel | Anna Ek, SKR"
        said = [p for p in parts if (sp := parse_speakers(p)) and any(
            x.organisation or x.role for x in sp)]
        rest = [p for p in parts if p not in said]
        if said and rest:
            return " | ".join(rest), [x for p in said for x in parse_speakers(p) or []]
    return text, []


def speakers_in_label(label: str, lead: bool = False) -> tuple[str, list[Speaker]]:
    """("Ekonomiska utmaningar …", [Annika Wallenskog]) from a talk's link text.

    The speakers are the part after a comma (or dash) that reads as a speaker
    line; "Se film med Amanda Lind" names its speaker too. The title loses a
    "Presentation:" prefix. No speaker: the whole label is the title. `lead`: the page
    writes its items speaker first, so "Anna Ek – Titel" is read so too.
    """
    label = squash(label)
    if word_count(label) > _ITEM_WORDS:
        return label, []  # prose, not a talk's label: and no quadratic search in it
    title, around = speakers_around_title(label)
    if around:
        return title, around
    if lead and (led := leading_speakers(label, bare=True))[1]:
        return led
    m = _FILM_WITH_RE.match(label)
    if m and (sp := parse_speakers(m.group("who"))):
        return label, sp
    # "Presentation historiker Lars J Lundgren", "Presentation Magnus Eriksson, RUS".
    p = _PRESENTATION_OF_RE.match(label)
    if p and (sp := parse_speakers(label[p.end():])):
        return label, sp
    positions = [i for i, ch in enumerate(label) if ch == ","]
    positions += [m.start() for m in re.finditer(r"\s[-–]\s", label)]
    for pos in sorted(positions):
        right = label[pos + 1:].strip(" -–")
        if (sp := parse_speakers(right)) is not None:
            title = label[:pos].strip(" ,-–")
            return _LABEL_TITLE_PREFIX_RE.sub("", title) or title, sp
    return _LABEL_TITLE_PREFIX_RE.sub("", label) or label, []


def looks_like_person(text: str) -> bool:
    """A line that is nothing but a person's name (a person as a sub-heading)."""
    nm = _take_name(squash(text))
    return nm is not None and not nm.tail


# Sentences that name speakers after a cue: "Med A och B, SKL, C, Org.", "Vi har (också)
# med X, roll, Org.", "Medverkade gjorde X ...", "... frågas ut av X, journalist",
# "Seminariet inleds med att X, roll, presenterar ...".
_CUE_RE = re.compile(
    r"(?:(?:^|(?<=[.!?] ))(?:med(?: bland andra)?|medverkade gjorde|medverkar gör"
    r"|vi har(?: också| även| bland annat)* med|här möter du|talare är)"
    r"|\b(?:frågas ut av|intervjuas av|leds av|modereras av|inleds (?:med att|av)"
    r"|(?:samtal|panelsamtal|dialog|diskussion) mellan|vi möter|medverkar(?= (?-i:[A-ZÅÄÖ]))"
    r"|(?:panel\w*|samtal|intervju|diskussion) med"
    r"|anförande (?:från|av)))\s+(?=\S)",
    re.I,
)
_SENTENCE_END_RE = re.compile(r"(?<![ .][A-ZÅÄÖ])(?<=[\wåäöÅÄÖ)])\.\s+(?=[A-ZÅÄÖ])|\.$")
# Verbs that end a "Namn, roll, org, berättar om ..." lead: the person is the speaker.
_SPEECH_VERB_RE = re.compile(
    r",?\s+(?:berättar|berättade|presenterar|presenterade|talar|talade|pratar|pratade"
    r"|tar upp|tog upp|inleder|inledde|reflekterar|reflekterade|summerar|summerade"
    r"|beskriver|beskrev|visar|visade|redogör|redogjorde|medverkar|föreläser|om"
    r"|frågas ut|intervjuas)\b",
    re.I,
)


def _trim_people(sentence: str) -> list[Speaker]:
    """The longest comma-run from the start of a sentence that reads as speakers."""
    people = parse_speakers(sentence)
    if people:
        return people
    parts = sentence.split(", ")
    for k in range(len(parts) - 1, 0, -1):
        people = parse_speakers(", ".join(parts[:k]))
        if people:
            return people
    return []


def cue_speakers(text: str) -> list[Speaker]:
    """People named after a cue in prose, up to the end of each such sentence."""
    text = squash(text)
    out: list[Speaker] = []
    for m in _CUE_RE.finditer(text):
        sentence = _SENTENCE_END_RE.split(text[m.end():], maxsplit=1)[0]
        verb = _SPEECH_VERB_RE.search(sentence)
        if verb and verb.start() > 0:
            sentence = sentence[:verb.start()]
        out.extend(p for p in _trim_people(sentence) if p not in out)
    return out


def lead_speaker(text: str) -> list[Speaker]:
    """"Teresa Ribeiro, ordförande för X vid EEA, presenterar ..." and "Helena Ek
    reflekterar.": a sentence led by a name and a speech verb names its speaker."""
    text = squash(text)
    verb = _SPEECH_VERB_RE.search(text)
    if not verb or verb.start() == 0:
        return []
    head = text[:verb.start()].strip(" ,")
    if " och " in head and (both := parse_speakers(head)):
        return both  # "Anna Ek och Per Holm från SLU berättar ..."
    first, _, rest = head.partition(", ")
    nm = _take_name(first)
    if nm is None or (nm.tail and _role_org(nm.tail, inline=True) is None):
        return []
    org = None
    if rest:
        parts = re.split(r"\s(?:vid|på|hos|i)\s", rest)
        ro = _role_org(rest, inline=False)
        org = parts[-1].strip(" ,.") if len(parts) > 1 else ro[1] if ro else None
    return [Speaker(nm.name, org, nm.role, nm.party)]


# A sentence end inside a line: "Titel. Namn", "Titel? Namn"; not "Fil. Dr." nor "S. Ek".
_TITLE_END_RE = re.compile(r"(?<=[\wåäö”\"')][.!?])\s+(?=[A-ZÅÄÖ])")


def title_and_speakers(text: str) -> tuple[str, list[Speaker]]:
    """("Svensk regionalpolitik 50 år", [Anna Ek]) from "Svensk regionalpolitik 50 år.
    Anna Ek, professor emerita, Lunds universitet": a title ending at its own "."/"?"
    and a speaker line after it (read as far as it reads; a cut organisation is left
    out). No such split: the whole text and no one."""
    text = squash(text)
    if word_count(text) > _ITEM_WORDS:
        return text, []
    for m in _TITLE_END_RE.finditer(text):
        title, rest = text[:m.start() + 1].strip(), text[m.end():].strip()
        if (word_count(title) > 25 or re.search(r"[.!]\s+[A-ZÅÄÖ]", title)
                or _take_name(rest.split(",")[0]) is None):
            continue  # a paragraph of prose ending in a name is no title
        people = _trim_people(rest.rstrip(" ,."))
        if people:
            return title.rstrip(".") if title.endswith(".") else title, people
    return text, []


def name_and_org(line: str) -> list[Speaker] | None:
    """"Anna Ek, Lika Unika" read as one person and her organisation (where the line
    also reads as two people, and its neighbours are each "Namn, Org")."""
    people = parse_speakers(line)
    text = squash(line).rstrip(" .,")
    if (people is None or len(people) != 2 or text.count(", ") != 1 or " och " in text
            or strip_speaker_label(text)[2]
            or any(p.organisation or p.role for p in people)):
        return None
    return [Speaker(people[0].name, people[1].name, None, people[0].party)]


def is_role_line(text: str) -> bool:
    """"Vikarierande generaldirektör, Myndigheten för delaktighet": a speaker's job and
    organisation on a line of its own, the name given above it."""
    text = squash(text).rstrip(" .")
    toks = text.split()
    if not toks or word_count(text) > 10 or _take_name(text) is not None:
        return False
    head = text.split(",")[0].split()
    return any(_is_role_token(t) for t in head[:3]) and head[0][:1].isupper()

