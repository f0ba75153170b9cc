"""Every page-specific text rule of the documentation-page parser, in one place.

`page.py` only walks HTML and runs a small state machine; what a line *means*
(a link suffix, a film, furniture, a time, a session code, a group heading, a
speaker list, a date) is decided here. Widening the parser to a new page shape
should be a change in this module: add a phrase, a word or a pattern.

All functions take plain text (whitespace already collapsed) and are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from konfarkiv.archive.model import MaterialKind, Speaker

# ---------------------------------------------------------------------------
# Text helpers


def squash(text: str) -> str:
    """Collapse whitespace (NBSP and line breaks included) so rules see one line."""
    return " ".join(text.replace("\xa0", " ").split())


def word_count(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------
# Titles

_TITLE_PREFIX_RE = re.compile(
    r"^(?:dokumentation(?:\s*[:\-–]\s*|\s+från\s+)|inspelat evenemang\s*[:\-–]\s*)", re.I
)


def clean_title(h1: str) -> str:
    """The event title as a user would cite it: without a leading "Dokumentation: ".

    SKR prefixes documentation pages "Dokumentation: X" (or "Dokumentation från X");
    the event is X.
    """
    text = squash(h1)
    stripped = _TITLE_PREFIX_RE.sub("", text, count=1).strip()
    if not stripped:
        return text
    return stripped[0].upper() + stripped[1:]


# ---------------------------------------------------------------------------
# Links: labels and kinds

# Parenthesised markers editors add after a link: "(PDF, nytt fönster)", "(PDf, nytt
# fönster)", "(PDF, 31 kB)", "(PDF-dokument, 36 bytes)", "(Play, nytt fönster)",
# "(video)", "(video, pdf)", "(nytt fönster)", "(Word, 1 MB)".
_PAREN_MARKER_RE = re.compile(
    r"\s*\(\s*(?:pdf|pdf-dokument|play|video|film|word|powerpoint|ppt|pptx|excel|xlsx?|docx?"
    r"|nytt fönster|öppnas i nytt fönster|extern länk|länk till annan webbplats)\b[^)]*\)",
    re.I,
)
# "Pdf, 92 kB." (new calendar pages) and "Filmen är 8 minuter …" are size/length notes.
_SIZE_NOTE_RE = re.compile(
    r"\s*\bpdf\s*,\s*[\d\s.,]+\s*(?:kb|mb|gb|bytes?|byte)\b\.?", re.I
)
_LEADING_MARK_RE = re.compile(r"^\s*(?:>>|»|›|→)\s*")
_FILE_EXT_RE = re.compile(r"\.(?:pdf|pptx?|docx?)$", re.I)
_EDGE_PUNCT = " \t,.;:-–—|"

_PDF_TEXT_RE = re.compile(
    r"\(\s*pdf\b|\(\s*pdf-dokument|\bpdf\s*,\s*[\d.,]+\s*(?:kb|mb|bytes?)|\.pdf\b", re.I
)
_FILM_TEXT_RE = re.compile(
    r"^\s*(?:se|titta på)\s+(?:film|filmen|filmer|filminslag|föreläsning|föreläsningarna"
    r"|sändning|sändningen|inspelning|inspelningen|webbsändning|webbsändningen|video)\b"
    r"|\(\s*(?:play|video)\b|^\s*(?:webbsändning|webb-tv|inspelning|film|video)\b",
    re.I,
)
# Hosts whose pages are films; matched as the host or a subdomain of it.
FILM_HOSTS = (
    "youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "play.skr.se",
    "play.skl.se", "qbrick.com", "ur.se", "urplay.se", "svtplay.se", "solidtango.com",
    "screen9.com", "screen9.tv", "bambuser.com", "dreambroker.com", "kaltura.com",
    "mediaflowpro.com", "23video.com", "twitch.tv",
)
_FILM_PATH_RE = re.compile(r"\.(?:mp4|m4v|webm|mov|m3u8)$|/play/", re.I)
_PDF_PATH_RE = re.compile(r"\.pdf$", re.I)


def clean_label(text: str) -> str:
    """The link text without "(PDF, nytt fönster)"-style markers, sizes and arrows."""
    label = squash(text)
    while True:
        before = label
        label = _PAREN_MARKER_RE.sub("", label)
        label = _SIZE_NOTE_RE.sub("", label)
        label = _LEADING_MARK_RE.sub("", label)
        label = label.strip(_EDGE_PUNCT)
        label = _FILE_EXT_RE.sub("", label).strip(_EDGE_PUNCT)
        if label == before:
            return label


_CONNECTIVES_RE = re.compile(r"\b(?:och|samt|eller|resp\.?|respektive)\b|[|/&+]", re.I)


def is_marker_only(text: str) -> bool:
    """Text beside links that is only a marker ("(PDF, 1,5 MB)") or a joint ("och")."""
    return clean_label(_CONNECTIVES_RE.sub(" ", text)) == ""


def _host_is_film(host: str) -> bool:
    host = host.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in FILM_HOSTS)


def link_kind(text: str, url: str) -> MaterialKind:
    """pdf, film or link, from the target first and the wording second.

    Where neither says, it is "link" (the fetcher decides by Content-Type later).
    "Till presentation" is deliberately *not* a PDF marker: on some SKR sites it
    opens the speaker's biography.
    """
    parts = urlsplit(url)
    if _PDF_PATH_RE.search(parts.path):
        return "pdf"
    if _host_is_film(parts.hostname or "") or _FILM_PATH_RE.search(parts.path):
        return "film"
    if _FILM_TEXT_RE.search(text):
        return "film"
    if _PDF_TEXT_RE.search(text):
        return "pdf"
    return "link"


# Links that belong to the whole event, wherever they sit on the page.
_EVENT_LEVEL_RE = re.compile(
    r"^(?:inbjudan\b|(?:konferens|seminarie|dag)?program(?:met)?\b|dagordning\b"
    r"|deltagarlista|anmälda deltagare|alla presentationer\b"
    r"|se (?:föreläsningarna|alla (?:filmer|föreläsningar)|hela (?:konferensen|dagen"
    r"|sändningen|seminariet|programmet)))",
    re.I,
)


def is_event_level(label: str) -> bool:
    return bool(_EVENT_LEVEL_RE.match(label))


# A caption line that names the films listed under it: "Webbsändning Göteborg" then
# "Del 1", "Del 2"; "Inspelat evenemang" then the film.
_FILM_CAPTION_RE = re.compile(
    r"^(?:webbsändning(?:ar|en)?|webb-tv|inspelning(?:ar|en)?|inspelat evenemang"
    r"|filmer|se sändningen)\b",
    re.I,
)
# Link texts that mean nothing without that caption.
_BARE_PART_RE = re.compile(r"^(?:del|avsnitt|film|inspelning|pass|dag)\s*\d*$", re.I)


def is_film_caption(text: str) -> bool:
    return bool(_FILM_CAPTION_RE.match(text)) and word_count(text) <= 6


def is_bare_part(label: str) -> bool:
    return bool(_BARE_PART_RE.match(label))


# ---------------------------------------------------------------------------
# Furniture: site chrome that is not the event


def _norm_phrase(text: str) -> str:
    return squash(text).lower().strip(" .!?:")


# Everything from one of these to the end of the content is site chrome.
_STOP_FURNITURE = {
    "kontakt", "kontakta oss", "hjälpte informationen på sidan dig", "sidfot",
    "läs vidare", "relaterat", "relaterade sidor", "dela sidan", "dela", "tipsa om sidan",
    "senaste nytt", "mer om ämnet",
}
# Single blocks of chrome that may sit anywhere, even before the program.
_SKIP_FURNITURE_RE = re.compile(
    r"^(?:så påverkas kurser och konferenser av (?:det nya )?coronaviruset"
    r"|covid-19 och det nya coronaviruset|tack för att du hjälper oss"
    r"|har du en fråga med anledning av det pågående virusutbrottet"
    r"|titta först på våra frågor och svar.*|anmäl dig(?: här| nu)?|anmälan|skriv ut"
    r"|dela på (?:facebook|twitter|linkedin)|till toppen|ja|nej|ja nej"
    r"|obs! evenemanget är avslutat|kontaktpersone?r?\b.*|kontakt\s*:.*|.*\S+@\S+\.\w+.*)$",
    re.I,
)


def is_stop_furniture(text: str) -> bool:
    return _norm_phrase(text) in _STOP_FURNITURE


def is_furniture(text: str) -> bool:
    return bool(_SKIP_FURNITURE_RE.match(_norm_phrase(text)))


# ---------------------------------------------------------------------------
# Times and session codes

_CLOCK = r"(?:[01]?\d|2[0-3])[.:][0-5]\d"
_TIME_PREFIX_RE = re.compile(
    rf"^(?:kl\.?\s*)?(?P<time>{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?)(?=\s|$|[,:])[\s,:]*", re.I
)


def split_time(text: str) -> tuple[str | None, str]:
    """("09.00–09.15", "Titel") from "09.00-09.15 Titel"; the dash made an en dash."""
    m = _TIME_PREFIX_RE.match(text)
    if not m:
        return None, text
    time = re.sub(r"\s*[-–—]\s*", "–", m.group("time"))
    return time, text[m.end():].strip()


# "A. …", "1a. …", "1.1 …", "14. …", "R. …", "A1 och B1 Demokratiutredningen: …".
_CODE_RE = re.compile(
    r"^(?P<code>(?:[A-ZÅÄÖ]\d{1,2}(?:\s*(?:och|,|&)\s*[A-ZÅÄÖ]\d{1,2})+)"
    r"|(?:\d{1,2}[a-z]?\.(?:\d{1,2}\.?)?)|(?:\d{1,2}\.\d{1,2})|(?:[A-ZÅÄÖ]\d{0,2}\.)"
    r"|(?:[A-ZÅÄÖ]\d{1,2}))\s+(?=\S)"
)


def split_code(text: str) -> tuple[str | None, str]:
    """("1a", "Titel") from "1a. Titel": the program's session code, kept apart."""
    m = _CODE_RE.match(text)
    if not m:
        return None, text
    rest = text[m.end():]
    if not rest[:1].isupper() and not rest[:1].isdigit():
        return None, text  # "A. och …" or "3. april" are not codes
    return m.group("code").rstrip("."), rest


# ---------------------------------------------------------------------------
# Group headings: context above sessions, not sessions themselves

_WEEKDAYS = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"
_GROUP_RE = re.compile(
    rf"^(?:presentationer\b|presentationer och filmer\b|filmer och presentationer\b"
    rf"|plenum\b|seminariepass\b|pass \d|parallella (?:seminarier|sessioner|pass)\b"
    rf"|seminarier\b|workshops?\b|förmiddag(?:en)?\b|eftermiddag(?:en)?\b|dag \d\b"
    rf"|{_WEEKDAYS}\b|program dag\b|programpunkter\b)",
    re.I,
)


def looks_like_group(text: str) -> bool:
    """A heading that names a part of the day ("Seminariepass, förmiddag")."""
    return bool(_GROUP_RE.match(text)) and word_count(text) <= 10 and not text.endswith("?")


# ---------------------------------------------------------------------------
# Notes: lines about the material, not sessions nor people

_NOTE_RE = re.compile(
    r"\b(?:ingen|inga)\s+(?:presentation\w*|presentarion\w*|bilder|film\w*|material)\b"
    r"|\bvisades\s+(?:inte|ej)\b|\bkommer att publiceras\b|\bpubliceras inom kort\b"
    r"|\bfilmen är\s+\d+\s+minut|\bpresentationen (?:finns|saknas|publiceras)\b",
    re.I,
)


def is_note(text: str) -> bool:
    return bool(_NOTE_RE.search(text))


def split_note(text: str) -> tuple[str, str]:
    """("Lena Micko, ordförande SKL", "ingen presentation visades.") from one line.

    The note starts at the sentence break or dash before the note phrase.
    """
    m = _NOTE_RE.search(text)
    if not m:
        return text, ""
    head = text[: m.start()]
    cut = max(head.rfind(". "), head.rfind(" - "), head.rfind(" – "), head.rfind(" — "))
    if cut < 0:
        return "", text.strip()
    return head[:cut].strip(" .,-–—"), text[cut:].strip(" .-–—") + (
        "." if text.rstrip().endswith(".") else ""
    )


# ---------------------------------------------------------------------------
# Prose: sentences belong to an intro or a description, not a title


def is_prose(text: str) -> bool:
    """A sentence or paragraph, as opposed to a heading-like line."""
    n = word_count(text)
    if n >= 25:
        return True
    return n >= 5 and text.rstrip().endswith((".", "!")) and not text.rstrip().endswith("..")


def title_from_line(text: str) -> str:
    """A session title without a trailing colon or "med:" ("Paneldiskussion med:")."""
    text = text.strip()
    if text.endswith(":"):
        text = re.sub(r"\s+med\s*:$", "", text).rstrip(": ")
    return text


def split_title_description(text: str) -> tuple[str, str]:
    """Split "Välkommen. Anna hälsar …" into title and description.

    Used only where a time starts the line, since a program line then carries
    time, title and description together.
    """
    m = re.search(r"(?<=[a-zåäö0-9)])(?:\.|:)\s+(?=[A-ZÅÄÖ])", text)
    if not m:
        return text, ""
    return text[: m.start()].strip(), text[m.end():].strip()


# ---------------------------------------------------------------------------
# Speakers

# Labels in front of a speaker list; the role labels give each speaker a role.
_SPEAKER_LABEL_RE = re.compile(
    r"^(?P<label>medverkande(?: var| är)?|medverkar|talare|föreläsare|föredragande"
    r"|presentatörer?|paneldeltagare|panelen|i panelen|deltagare|inledare"
    r"|moderatorer|moderator|seminarieledare|samtalsledare|programledare|värd|värdar"
    r"|ordförande|leds av|ledd av|presenteras av|med)\b\s*:?\s*",
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
}
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
    r"|ombud|representant|grundare|ägare|partner|vd:?)$",
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
# Swedish party letters after a name: "(S)", "(M)", "(KD)". They are not organisations.
_PARTY_RE = re.compile(r"^\((?P<p>S|M|C|L|V|KD|MP|SD|FP|Fi|FI|SPI)\)[,.]?$")
_NAME_TOKEN_RE = re.compile(
    r"^[A-ZÅÄÖÉÈÜØÆ][a-zåäöéèüøæáíóúñç'’]+(?:-[A-ZÅÄÖÉa-zåäöé][a-zåäöéèü]+)*$"
)
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


def _take_name(text: str) -> _Name | None:
    """A person's name at the start of `text`, with party letters and what follows.

    A job title in front ("Docent Anna Ek") is kept as the name's `role`.
    """
    toks = text.split()
    if len(toks) > 2 and toks[0][:1].isupper() and _is_role_token(toks[0]):
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
            full == 0
            and _INITIALS_RE.match(tok)
            and tok.rstrip(".") not in _ORG_ACRONYMS
            and _is_name_token(nxt)
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


def _split_top(text: str, seps: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split on separators outside parentheses; each piece with the separator before it."""
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    sep_before = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            hit = next((s for s in seps if text.startswith(s, i)), None)
            if hit:
                out.append((sep_before, text[start:i]))
                sep_before = hit.strip()
                i += len(hit)
                start = i
                continue
        i += 1
    out.append((sep_before, text[start:]))
    return [(s, p.strip()) for s, p in out if p.strip()]


def _split_och(segment: str) -> list[str]:
    """Split at " och "/" samt " only where a person's name follows."""
    pieces: list[str] = []
    rest = segment
    while True:
        cut = None
        for m in re.finditer(r"\s+(?:och|samt|&)\s+", rest):
            if _take_name(rest[m.end():]) is not None:
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


def parse_speakers(text: str) -> list[Speaker] | None:
    """The people on a speaker line, or None when the line is not one.

    Reads "X och Y, Org" (both of Org), "X, Org, Y, Org2 och Z, Org3" (each their
    own), "X, Org, Y och Z" (the last two without), "X roll Org" with no commas,
    "Moderator: X", "samt", ";" and " - Org", and party letters "(S)". A line must
    start with a name; any part that reads like a clause makes it prose instead.
    """
    text = squash(text).rstrip(" .")
    if not text or text.endswith("?") or word_count(text) > 60:
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


_LABEL_TITLE_PREFIX_RE = re.compile(
    r"^(?:presentation(?:en)?|föreläsning|film|bilder)\s*:\s*", re.I
)
_FILM_WITH_RE = re.compile(r"^(?:se\s+)?(?:film|filmen|intervju|samtal)\s+med\s+(?P<who>.+)$", re.I)


def speakers_in_label(label: str) -> tuple[str, list[Speaker]]:
    """("Ekonomiska utmaningar …", [Annika Wallenskog]) from a talk's link text.

    The speakers are the part after a comma (or dash) that reads as a speaker
    line; "Se film med Amanda Lind" names its speaker too. The title loses a
    "Presentation:" prefix. No speaker: the whole label is the title.
    """
    label = squash(label)
    m = _FILM_WITH_RE.match(label)
    if m and (sp := parse_speakers(m.group("who"))):
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


# ---------------------------------------------------------------------------
# Dates

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_DATE_RE = re.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)\s*(?:e\s+)?(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?\s+(?P<y>(?:19|20)\d\d)(?!\d)"
    r"|(?<!\d)(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)",
    re.I,
)
_PUBLISHED_RE = re.compile(r"^\s*publicerad\b", re.I)
_UPDATED_RE = re.compile(r"^\s*(?:senast\s+)?uppdaterad\b", re.I)
_DATE_FILLER_RE = re.compile(
    rf"\b(?:obs|evenemanget|är|avslutat|till|och|klockan|klocka|kl|datum|tid|"
    rf"{_WEEKDAYS}|publicerad|uppdaterad|senast|den)\b|{_CLOCK}|[-–—:,.!]",
    re.I,
)


def find_dates(text: str) -> list[str]:
    """Every full day-month-year date in the text, as ISO; a year alone is no date."""
    out = []
    for m in _DATE_RE.finditer(text):
        try:
            if m.group("iy"):
                y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
            else:
                y, mo, d = int(m.group("y")), _MONTHS[m.group("m").lower()], int(m.group("d"))
            from datetime import date

            out.append(date(y, mo, d).isoformat())
        except ValueError:
            continue
    return out


@dataclass(frozen=True)
class DateLine:
    kind: str  # "event", "published" or "updated"
    date: str


def date_line(text: str) -> DateLine | None:
    """A line that only states a date: the event's, or the page's publication.

    "OBS! Evenemanget är avslutat!28 april 2022 kl. 09.00-16.00" and "4 april 2022
    till 5 april 2022 kl. 13.00-12.00" give the event's (first) day; "Publicerad: 3
    november 2016" and "Uppdaterad 5 november 2018" are about the page, not the event.
    """
    text = squash(text)
    dates = find_dates(text)
    if not dates or word_count(text) > 16:
        return None
    residue = _DATE_FILLER_RE.sub(" ", _DATE_RE.sub(" ", text))
    if residue.strip():
        return None
    if _PUBLISHED_RE.match(text):
        return DateLine("published", dates[0])
    if _UPDATED_RE.match(text):
        return DateLine("updated", dates[0])
    return DateLine("event", dates[0])
