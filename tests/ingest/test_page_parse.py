"""The documentation-page parser on the real variety of SKR pages (issue 3).

Each tests/pages/NN-*.html is one page shape written from patterns seen on real
pages; NN-*.json beside it is the parse a careful archivist would make of it
(its "url" is the URL the page is parsed under). Targeted tests below pin the
rules that matter most, so a failing fixture points at a rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from konfarkiv.archive.model import Speaker
from konfarkiv.ingest import dates as D
from konfarkiv.ingest import names as N
from konfarkiv.ingest import page_rules as R
from konfarkiv.ingest.page import parse_page

PAGES = Path(__file__).resolve().parents[1] / "pages"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"
FIXTURES = sorted(PAGES.glob("[0-9]*.html"))


def _parse_fixture(name: str) -> dict:
    html = PAGES / f"{name}.html"
    expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    return parse_page(html.read_bytes(), expected["url"]).to_json()


def test_there_are_at_least_fifteen_page_shapes() -> None:
    assert len(FIXTURES) >= 15
    assert all(p.with_suffix(".json").exists() for p in FIXTURES)


@pytest.mark.parametrize("html", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_parses_as_expected(html: Path) -> None:
    expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    got = parse_page(html.read_bytes(), expected["url"]).to_json()
    assert got == expected


# ---------------------------------------------------------------------------
# The seed page, as the example HTML (issue 2)

SEED_TITLES = [
    "Syfte med nätverksmötet och hur arbetar vi med miljömålen?",
    "Handbok för stöd i det lokala miljömålsarbetet",
    "Samtal i grupp",
    "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete",
    "Redovisning från gruppsamtalen",
    "Sammanfattning av diskussion kring hållbar stadsutveckling och miljöstrategiskt arbete",
]


@pytest.fixture(scope="module")
def example() -> dict:
    return parse_page(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.as_uri()).to_json()


def test_example_sessions_and_title(example: dict) -> None:
    assert example["title"] == "Nätverksmöte för miljöstrateger i kommunerna"
    assert example["date"] is None
    assert [s["title"] for s in example["sessions"]] == SEED_TITLES
    assert example["intro"].startswith("En första träff för att undersöka")


def test_example_speakers(example: dict) -> None:
    def people(i: int) -> list[tuple[str, str | None]]:
        return [(p["name"], p["organisation"]) for p in example["sessions"][i]["speakers"]]

    skl = "Sveriges Kommuner och Landsting"
    assert people(0) == [("Kerstin Blom Bokliden", skl), ("Andreas Hagnell", skl)]
    assert people(1) == [
        ("Linda Ternström", "Hållbar utveckling Väst"),
        ("Johanna Severinsson", "Länsstyrelsen Västra Götaland"),
        ("Magnus Eriksson", "RUS (Länsstyrelsernas samverkan i miljömålsarbetet)"),
    ]
    assert people(2) == []
    assert people(3) == [
        ("Eva Hägglund", "SKL"), ("Andreas Hagnell", None), ("Kerstin Blom Bokliden", None)
    ]
    assert example["sessions"][3]["description"] == (
        "Vad händer på området? Hur arbetar SKL och andra aktörer?\n"
        "Hur kan vi integrera de miljöstrategiska frågorna?"
    )


def test_example_links_resolve_to_the_files_beside_it(example: dict) -> None:
    base = EXAMPLE.parent.as_uri() + "/"
    assert example["materials"] == [
        {"kind": "pdf", "label": "Inbjudan och program", "url": base + "inbjudan-och-program.pdf"}
    ]
    got = [(m["kind"], m["label"], m["url"].removeprefix(base))
           for s in example["sessions"] for m in s["materials"]]
    assert got == [
        ("pdf", "Presentation av SKL", "presentation-av-skl.pdf"),
        ("film", "Se film, inledning, SKL", "film/inledning.html"),
        ("pdf", "Presentation, handbok för stöd i det lokala miljömålsarbetet",
         "handbok-miljomalsarbetet.pdf"),
        ("film", "Se film, Länsstyrelsen och RUS", "film/lansstyrelsen-och-rus.html"),
        ("film", "Se film, samtal i grupp, SKL", "film/samtal-i-grupp.html"),
        ("film", "Se film, hållbar stadsutveckling, SKL", "film/hallbar-stadsutveckling.html"),
        ("film", "Se film, redovisning från gruppsamtalen",
         "film/redovisning-fran-gruppsamtalen.html"),
        ("film", "Se film, sammanfattning av diskussioner, SKL",
         "film/sammanfattning-av-diskussioner.html"),
    ]


def test_example_furniture_is_not_a_session(example: dict) -> None:
    text = json.dumps(example, ensure_ascii=False)
    for phrase in ("coronaviruset", "Kontakt", "Hjälpte informationen", "Tack för att du"):
        assert phrase not in text


def test_plain_paragraph_seed_reads_like_the_headed_one(example: dict) -> None:
    plain = _parse_fixture("01-seed-plain-paragraphs")
    strip = [{**s, "materials": [m["kind"] for m in s["materials"]]} for s in plain["sessions"]]
    head = [{**s, "materials": [m["kind"] for m in s["materials"]]} for s in example["sessions"]]
    assert strip == head


def test_str_and_bytes_parse_alike() -> None:
    html = EXAMPLE.read_text(encoding="utf-8")
    url = "https://skr.se/x/dokumentationnatverksmote.3712.html"
    assert parse_page(html, url) == parse_page(html.encode("utf-8"), url)


def test_page_without_h1_or_main_uses_title_and_body() -> None:
    html = """<html><head><title>Dokumentation: Ett möte</title></head><body>
    <p>Välkommen</p><p>Per Ek, SKL</p><p><a href="a.pdf">Bilder</a></p></body></html>"""
    page = parse_page(html, "https://skr.se/d/ettmote.1.html")
    assert page.title == "Ett möte"
    assert [s.title for s in page.sessions] == ["Välkommen"]
    assert page.sessions[0].speakers == (Speaker("Per Ek", "SKL"),)
    assert page.sessions[0].materials[0].url == "https://skr.se/d/a.pdf"


# ---------------------------------------------------------------------------
# Rules, one at a time


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("Kerstin Blom Bokliden och Andreas Hagnell, Sveriges Kommuner och Landsting",
         [("Kerstin Blom Bokliden", None, "Sveriges Kommuner och Landsting"),
          ("Andreas Hagnell", None, "Sveriges Kommuner och Landsting")]),
        ("Medverkande: Anna-Lena Pogulis strategisk chef Piteå kommun, Helena Rojas "
         "utvecklingschef Botkyrka kommun, Tyra Warfvinge SKL",
         [("Anna-Lena Pogulis", "strategisk chef", "Piteå kommun"),
          ("Helena Rojas", "utvecklingschef", "Botkyrka kommun"),
          ("Tyra Warfvinge", None, "SKL")]),
        ("Medverkande var: HG Wessberg ledamot EU:s revisionsrätt, Anna Eklöf och Karin "
         "Tengdelius SKL",
         [("HG Wessberg", "ledamot", "EU:s revisionsrätt"), ("Anna Eklöf", None, "SKL"),
          ("Karin Tengdelius", None, "SKL")]),
        ("Lena Micko (S), ordförande SKL", [("Lena Micko", "ordförande", "SKL")]),
        ("Hanna Stjärne, VD SVT", [("Hanna Stjärne", "VD", "SVT")]),
        ("Marianne Dock - Healthy Cities", [("Marianne Dock", None, "Healthy Cities")]),
        ("Moderator: Sofia Berg, Region Gävleborg",
         [("Sofia Berg", "moderator", "Region Gävleborg")]),
        ("Samtalsledare Erik Holm", [("Erik Holm", "samtalsledare", None)]),
        # Not in any fixture: the same shapes with other people.
        ("Maja Lind och Oskar Ström, Länsstyrelsen i Skåne samt Ida Berg, Lunds kommun",
         [("Maja Lind", None, "Länsstyrelsen i Skåne"),
          ("Oskar Ström", None, "Länsstyrelsen i Skåne"),
          ("Ida Berg", None, "Lunds kommun")]),
        ("Jan Ek, SKR; Lotta Sund, projektledare, Vinnova",
         [("Jan Ek", None, "SKR"), ("Lotta Sund", "projektledare", "Vinnova")]),
        ("Ulf von Essen, generaldirektör Kammarkollegiet",
         [("Ulf von Essen", "generaldirektör", "Kammarkollegiet")]),
        ("Docent Lina Falk, Lunds universitet", [("Lina Falk", "docent", "Lunds universitet")]),
        ("Sara af Klint, jurist, SKR, och Magnus Berg, IVO",
         [("Sara af Klint", "jurist", "SKR"), ("Magnus Berg", None, "IVO")]),
    ],
)
def test_speaker_lines(line: str, people: list[tuple[str, str | None, str | None]]) -> None:
    got = N.parse_speakers(line)
    assert got is not None
    assert [(s.name, s.role, s.organisation) for s in got] == people


def test_party_letters_are_not_organisations() -> None:
    (sp,) = N.parse_speakers("Anders Ek (M), kommunstyrelsens ordförande i Umeå kommun") or []
    assert (sp.party, sp.role, sp.organisation) == ("M", "kommunstyrelsens ordförande",
                                                    "Umeå kommun")


@pytest.mark.parametrize(
    "line",
    [
        "Syfte med nätverksmötet och hur arbetar vi med miljömålen?",
        "Samtal i grupp",
        "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete",
        "Vilka stöd och goda idéer finns på olika nyckelområden?",
        "Inga presentarioner visades.",
        "Anna Svensson berättar om arbetet i Umeå.",
        "Se film, inledning, SKL",
        "Ordförande SKL",
        "UR Samtiden",
    ],
)
def test_not_speaker_lines(line: str) -> None:
    assert N.parse_speakers(line) is None


def test_notes_split_from_people() -> None:
    assert R.split_note("Carola Gunnarsson, SKL:s styrelse. Ingen presentation visades.") == (
        "Carola Gunnarsson, SKL:s styrelse", "Ingen presentation visades."
    )
    assert R.split_note("Lena Micko, ordförande SKL - ingen presentation visades.") == (
        "Lena Micko, ordförande SKL", "ingen presentation visades."
    )
    assert R.split_note("Inga presentarioner visades.") == ("", "Inga presentarioner visades.")


def test_speakers_in_link_text() -> None:
    title, people = N.speakers_in_label(
        "Presentation: Valforskningsprogrammet, Henrik Ekengren Oscarsson SKL"
    )
    assert title == "Valforskningsprogrammet"
    assert people == [Speaker("Henrik Ekengren Oscarsson", "SKL")]
    assert N.speakers_in_label("Se film, inledning, SKL") == ("Se film, inledning, SKL", [])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Inbjudan och program (PDF,\xa0nytt fönster)", "Inbjudan och program"),
        ("Kultur (PDf, nytt fönster)", "Kultur"),
        ("Hälsosamma städer (PDF, 31 kB)", "Hälsosamma städer"),
        ("Staffan och Joachim.pdf (PDF, 1,5 MB)", "Staffan och Joachim"),
        ("Program (PDF) Pdf, 92 kB.", "Program"),
        ("Underlag (PDF-dokument, 36 bytes)", "Underlag"),
        ("Se film med Amanda Lind (Play, nytt fönster)", "Se film med Amanda Lind"),
        (">> Ladda ner presentationen för denna föreläsning",
         "Ladda ner presentationen för denna föreläsning"),
        ("(video, pdf)", ""),
    ],
)
def test_labels(text: str, label: str) -> None:
    assert R.clean_label(text) == label


@pytest.mark.parametrize(
    ("text", "url", "kind"),
    [
        ("Presentation av SKL (PDF, nytt fönster)", "https://skr.se/download/18.2/x", "pdf"),
        ("PM: Statliga myndigheter", "https://skr.se/download/pm.pdf", "pdf"),
        ("PM: Statliga myndigheter", "https://skr.se/download/pm", "link"),
        ("Se film, inledning, SKL (nytt fönster)", "https://skr.se/x.html", "film"),
        ("Se film med Amanda Lind (Play, nytt fönster)", "https://skr.se/x.html", "film"),
        ("Trygga stadsmiljöer", "https://vimeo.com/1", "film"),
        ("Kulturskolan", "https://youtu.be/abc", "film"),
        ("Del 2", "https://www.qbrick.com/v/1", "film"),
        ("Webbsändning Göteborg", "https://skr.se/x.html", "film"),
        ("Inspelning", "https://skr.se/x.html", "film"),
        ("SE SÄNDNINGEN 8 APRIL", "https://skr.se/x.html", "film"),
        ("(video)", "https://skr.se/x.html", "film"),
        ("Till presentation", "https://konferens.se/talare/per", "link"),
    ],
)
def test_link_kinds(text: str, url: str, kind: str) -> None:
    assert R.link_kind(text, url) == kind


@pytest.mark.parametrize(
    ("line", "time", "rest"),
    [
        ("09.00-09.15 Titel", "09.00–09.15", "Titel"),
        ("13.00–13.15 Välkomna", "13.00–13.15", "Välkomna"),
        ("10:00 Välkommen", "10:00", "Välkommen"),
        ("8.30–8.45", "8.30–8.45", ""),
        ("kl. 14.00 - 15.00 Panel", "14.00–15.00", "Panel"),
        ("2030 års mål", None, "2030 års mål"),
    ],
)
def test_times(line: str, time: str | None, rest: str) -> None:
    assert R.split_time(line) == (time, rest)


@pytest.mark.parametrize(
    ("line", "code", "rest"),
    [
        ("A. Medborgardialog", "A", "Medborgardialog"),
        ("1a. Unga", "1a", "Unga"),
        ("1.1 Demokratins tillstånd", "1.1", "Demokratins tillstånd"),
        ("A1 och B1 Demokratiutredningen: x", "A1 och B1", "Demokratiutredningen: x"),
        ("14. Lokala partier", "14", "Lokala partier"),
        ("Agenda 2030", None, "Agenda 2030"),
    ],
)
def test_codes(line: str, code: str | None, rest: str) -> None:
    assert R.split_code(line) == (code, rest)


@pytest.mark.parametrize(
    ("line", "kind", "date"),
    [
        ("Publicerad: 3 november 2016", "published", "2016-11-03"),
        ("Uppdaterad 5 november 2018", "updated", "2018-11-05"),
        ("OBS! Evenemanget är avslutat!28 april 2022 kl. 09.00-16.00", "event", "2022-04-28"),
        ("4 april 2022 till 5 april 2022 kl. 13.00-12.00", "event", "2022-04-04"),
        ("24 nov 2022 klocka 10.00 - 16.00", "event", "2022-11-24"),
    ],
)
def test_date_lines(line: str, kind: str, date: str) -> None:
    assert D.date_line(line) == D.DateLine(kind, date)


def test_a_year_alone_is_only_a_year() -> None:
    """A page that states only its year gets the year ("2016"), never a made-up day."""
    assert D.date_line("Kulturkonferens 2016") is None
    assert D.find_dates("Kulturkonferens 2016") == []
    assert parse_page("<h1>Kulturkonferens 2016</h1><p>Text.</p>", "https://skr.se/a.html").date \
        == "2016"
    assert parse_page("<h1>Agenda 2030 i kommunen</h1><p>Text.</p>", "https://skr.se/a.html").date \
        is None


def test_event_date_from_the_page_head_and_the_intro() -> None:
    """A date above the h1, a date range, an intro sentence about the meeting."""
    head = '<main><p class="date">06- 07 maj 2020 klocka 09.00 - 15.30</p><h1>Dagarna</h1>'
    assert parse_page(head + "<p>Text.</p></main>", "https://x.se/a").date == "2020-05-06"
    intro = ("<h1>Årskonferens 2015</h1><p>Den 1 januari 2015 fick vi nya regioner.</p>"
             "<p>På årskonferensen den 25-26 mars talade vi om dem.</p>")
    assert parse_page(intro, "https://x.se/a").date == "2015-03-25"
    stamp = ("<h1>Unga i fokus</h1><p>2022-06-30 - 10:30</p>"
             "<p>Onsdagen den 6 juli står unga i fokus.</p>")
    page = parse_page(stamp, "https://x.se/a")
    assert (page.date, page.published) == ("2022-07-06", "2022-06-30")
    series = "<h1>Regionala konferenser 2016</h1><p>Den 3 oktober hölls den första.</p>"
    assert parse_page(series, "https://x.se/a").date == "2016"
    assert D.find_dates("Monday December 6, 2021 12:00") == ["2021-12-06"]


def test_furniture() -> None:
    assert R.is_furniture("Så påverkas kurser och konferenser av det nya coronaviruset")
    assert R.is_furniture("Tack för att du hjälper oss!")
    assert R.is_stop_furniture("Hjälpte informationen på sidan dig?")
    assert R.is_stop_furniture("Kontakt")
    assert not R.is_stop_furniture("Kontaktperson: Anna Ek")
    assert not R.is_furniture("Filmerna kommer att publiceras inom kort.")


def test_title_keeps_what_a_user_cites() -> None:
    assert R.clean_title("Dokumentation: Nätverksmöte för miljöstrateger") == (
        "Nätverksmöte för miljöstrateger"
    )
    assert R.clean_title("Dokumentation från Kulturkonferens 2016") == "Kulturkonferens 2016"
    assert R.clean_title("Dokumentation") == "Dokumentation"
