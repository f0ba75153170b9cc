"""The text rules of the documentation-page parser: links, furniture, times, groups, titles.

`page.py` only walks HTML and runs a small state machine; what a line *means*
(a link suffix, a film, furniture, a time, a session code, a group heading) is
decided here. Who speaks is `names.py` (the name/organisation grammar); what day
it was is `dates.py`. Widening the parser to a new page shape should be a change
in one of these: a phrase, a word or a pattern, never one page's own text.

All functions take plain text (whitespace already collapsed) and are pure.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from konfarkiv.archive.model import MaterialKind
from konfarkiv.ingest.names import parse_speakers
from konfarkiv.ingest.text import CLOCK, WEEKDAYS, squash, word_count

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
    r"|deltagarlista|anmälda deltagare|alla presentationer\b|sammanfattning\b|sammanställning\b"
    r"|minnesanteckningar\b"
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
    "senaste nytt", "mer om ämnet", "läs mer", "informationsansvarig", "kontaktperson",
    "kontaktpersoner", "fler evenemang", "relaterade evenemang", "andra evenemang",
    "liknande evenemang", "kommande evenemang", "se även", "du kanske också vill läsa",
    "relaterade nyheter", "fler nyheter",
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


# Link texts that lead to forms, policies or "read more" pages, never to documentation.
_FURNITURE_LINK_RE = re.compile(
    r"^(?:läs (?:mer|vidare)|(?:till |gå till )?(?:anmäl dig|anmälan))\b|\b(?:och|samt) anmälan$"
    r"|personuppgift|regist(?:rer|erar|rera)"
    r"|^(?:se |till |läs |hela |gå till )+(?:hela )?(?:dagens |konferensens )?programmet$"
    r"|kalender|anmälningsformulär|^(?:hitta hit|vägbeskrivning|tillbaka)\b"
    r"|prenumerer", re.I)


def is_furniture_link(text: str) -> bool:
    return bool(_FURNITURE_LINK_RE.search(squash(text)))


def is_stop_furniture(text: str) -> bool:
    return _norm_phrase(text) in _STOP_FURNITURE


def is_furniture(text: str) -> bool:
    # Furniture is a short line; the e-mail alternative backtracks quadratically on a long
    # one (one 200,000-letter word took minutes: issue 26 item 8).
    return len(text) <= 1000 and bool(_SKIP_FURNITURE_RE.match(_norm_phrase(text)))


# ---------------------------------------------------------------------------
# Times and session codes

# "Kl 13.10-14.00. Titel", "klockan 9.00", "13:00 - Titel", "HH.MM – HH.MM | Titel".
# With "kl"/"klockan" an hour alone is a time too: "Kl. 9 Registrering", "kl 13-15 Workshop".
_HOUR = r"(?:[01]?\d|2[0-3])(?![.:]\d)"
_TIME_PREFIX_RE = re.compile(
    rf"^(?:(?:kl\.?|klockan)\s*)?(?P<time>{CLOCK}(?:\s*(?:[-–—]|till)\s*(?:ca\.?\s*)?{CLOCK})?)"
    rf"(?=\s|$|[,:|]|\.(?:\s|$))(?:[\s,:.|]|[-–—](?=\s))*"
    rf"|^(?:kl\.?|klockan)\s*(?P<hour>{_HOUR}(?:\s*(?:[-–—]|till)\s*{_HOUR})?)"
    rf"(?=\s|$|[,:|])(?:[\s,:.|]|[-–—](?=\s))*",
    re.I,
)


def split_time(text: str) -> tuple[str | None, str]:
    """("09.00–09.15", "Titel") from "09.00-09.15 Titel"; the dash made an en dash."""
    m = _TIME_PREFIX_RE.match(text)
    if not m:
        return None, text
    time = re.sub(r"\s*(?:[-–—]|till)\s*(?:ca\.?\s*)?", "–", m.group("time") or m.group("hour"))
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

_GROUP_RE = re.compile(
    rf"^(?:presentationer\b|presentationer och filmer\b|filmer och presentationer\b"
    rf"|plenum\b|seminariepass\b|pass \d|parallella (?:seminarier|sessioner|pass)\b"
    rf"|seminarier\b|workshops?\b|förmiddag(?:en)?\b|eftermiddag(?:en)?\b|dag \d\b"
    rf"|{WEEKDAYS}\b|program(?:met)?\b|programpunkter\b|dokumentation\b|underlag\b"
    rf"|(?:annat |övrigt )?material\b|lärpass\b)",
    re.I,
)
# Groups whose links are talks (each link a session), not documents of the whole event.
_TALK_GROUP_RE = re.compile(
    r"^(?:presentationer|föreläsningar|filmer|inspelningar|talare|seminarier)\b", re.I)


def is_talk_group(text: str) -> bool:
    return bool(_TALK_GROUP_RE.match(text))


# "13:15 Hur stärker vi ...? - parallella seminarier": a block of parallel talks.
_GROUP_TAIL_RE = re.compile(r"\bparallella (?:seminarier|sessioner|pass)$", re.I)
# "Se sändningen från Regiondagen": a caption over a film link, not a talk.
_WATCH_RE = re.compile(r"^se (?:sändningen|filmen|filmerna|inspelningen|webbsändningen)\b",
                       re.I)


def looks_like_group(text: str) -> bool:
    """A heading that names a part of the day ("Seminariepass, förmiddag")."""
    if _GROUP_TAIL_RE.search(text) or _WATCH_RE.match(text):
        return True
    return bool(_GROUP_RE.match(text)) and word_count(text) <= 10 and not text.endswith("?")


# "Datum/tid:", "Plats: digitalt", "Arrangör: MUCF": a field of the page, not a title.
_LABEL_LINE_RE = re.compile(r"^[A-ZÅÄÖ][\wåäö/ -]{0,24}:(?:\s|$)")


def is_label_line(text: str) -> bool:
    return bool(_LABEL_LINE_RE.match(text))


# A lead line that announces a list of program items: "Så här såg programmet ut:",
# "SKR arrangerar tre seminarier:"; not a list of topics ("föreläsningar om:").
_LIST_LEAD_RE = re.compile(r"\b(?:program\w*|seminari\w*|programpunkt\w*|föreläsning\w*)\b"
                           r"[^:]*:$", re.I)


def announces_program_list(text: str) -> bool:
    return bool(_LIST_LEAD_RE.search(text)) and not re.search(r"\bom:$", text)

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
    if n >= 25 or (n >= 8 and re.search(r"[.!?]\s+[A-ZÅÄÖ]", text)):
        return True
    return n >= 5 and text.rstrip().endswith((".", "!")) and not text.rstrip().endswith("..")


_EMPTY_BRACKETS_RE = re.compile(r"\s*[(\[][\s,;:.–—-]*[)\]]")


def title_from_line(text: str) -> str:
    """A session title without a trailing colon or "med:" ("Paneldiskussion med:")."""
    # "Titel (, )": brackets a removed placeholder left empty; "Titel –" its dash.
    text = _EMPTY_BRACKETS_RE.sub("", text).strip().rstrip(" ,;–—-").strip()
    if text.endswith(":"):
        text = re.sub(r"\s+med\s*:$", "", text).rstrip(": ")
    return text


def sentences(text: str) -> list[str]:
    """The text's sentences (a break is end punctuation before a capital)."""
    return [s for s in re.split(r"(?<=[a-zåäö0-9)][.!?])\s+(?=[A-ZÅÄÖ])", text) if s]


def split_sentence(text: str) -> tuple[str, str]:
    """("Välkomna!", "Anna Ek hälsar välkommen.") : the first sentence and the rest."""
    m = re.search(r"(?<=[a-zåäö0-9)][.!?])\s+(?=[A-ZÅÄÖ])", text)
    if not m:
        return text, ""
    return text[: m.start()].strip(), text[m.end():].strip()


def split_title_description(text: str) -> tuple[str, str]:
    """Split "Välkommen. Anna hälsar …" into title and description.

    Used only where a time starts the line, since a program line then carries
    time, title and description together.
    """
    for m in re.finditer(r"(?<=[a-zåäö0-9)])(?:\.|:)\s+(?=[A-ZÅÄÖ])", text):
        rest = text[m.end():].strip()
        # "Panelsamtal: Social hållbarhet för alla?" and "X. En programförklaring" are
        # whole titles: split only where a sentence or a speaker line follows.
        if parse_speakers(rest) or (m.group(0)[0] == "." and is_prose(rest)):
            return text[: m.start()].strip(), rest
    return text, ""
