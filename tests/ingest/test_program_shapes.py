"""Issue 22: program shapes met on pages the parser was not written from.

Each test is a small page of one shape, written for the rule (no real page's text):
times in other formats, speakers written into titles and link texts, a speaker line
above each title link, read consistently across the page.
"""

from __future__ import annotations

from support.parsing import parse_body, people, titles

from konfarkiv.ingest import page_rules as R


def page(body: str) -> dict:
    return parse_body(body, h1="Temadag om vatten")


def test_times_in_other_formats_are_cut_from_the_title() -> None:
    assert R.split_time("Kl 13.10-14.00. Introduktion") == ("13.10–14.00", "Introduktion")
    assert R.split_time("13:00 - Paus") == ("13:00", "Paus")
    assert R.split_time("10.15 – 11.00 | Samtal om skogen") == ("10.15–11.00", "Samtal om skogen")
    assert R.split_time("klockan 9.00 till 9.30 Kaffe") == ("9.00–9.30", "Kaffe")
    assert R.split_time("13.00 Titel") == ("13.00", "Titel")
    assert R.split_time("2.5 miljoner") == (None, "2.5 miljoner")
    assert R.split_time("Kl. 9 Registrering") == ("9", "Registrering")
    assert R.split_time("kl 13-15 Workshop") == ("13–15", "Workshop")
    assert R.split_time("9.00–ca 10.00 Skogen") == ("9.00–10.00", "Skogen")
    assert R.split_time("9 maj") == (None, "9 maj")


def test_a_slot_titled_by_a_name_alone_has_that_speaker() -> None:
    p = page("<h2>Program</h2><h3>Kl 10.00-10.30. Nils Berg</h3><p>Han berättar om sin väg.</p>"
             "<h3>Kl 10.30-11.00. Vatten i staden</h3>")
    assert titles(p) == ["Nils Berg", "Vatten i staden"]
    assert people(p) == [("Nils Berg", None)]


def test_speakers_in_a_closing_parenthesis_are_not_the_title() -> None:
    p = page("<h2>Program</h2><p>9:10 Skogens framtid (Eva Strand, Skogsstyrelsen).</p>"
             "<p>9:40 Nya regler för strandskydd (Per Ek, Umeå universitet).</p>"
             "<p>10:15 Fikapaus</p>")
    assert titles(p) == ["Skogens framtid", "Nya regler för strandskydd", "Fikapaus"]
    assert people(p) == [("Eva Strand", "Skogsstyrelsen"), ("Per Ek", "Umeå universitet")]


def test_link_texts_led_by_the_speaker_are_talks() -> None:
    p = page("<h2>Dokumentation från dagen</h2><ul>"
             "<li><a href='/f/program.pdf'>Program</a></li>"
             "<li><a href='/f/a.pdf'>Eva Strand, Håbo kommun – Dagvatten i Håbo</a></li>"
             "<li><a href='/f/b.pdf'>Per Ek, Tierps kommun- Vattenplan för Tierp</a></li>"
             "<li><a href='/f/c.pdf'>Per Ek, Tierps kommun – Övervakning av Tämnaren</a></li>"
             "<li><a href='/f/d.pdf'>Sammanfattning från förmiddagen</a></li></ul>")
    assert titles(p) == ["Dagvatten i Håbo", "Vattenplan för Tierp", "Övervakning av Tämnaren"]
    assert people(p) == [("Eva Strand", "Håbo kommun"), ("Per Ek", "Tierps kommun"),
                         ("Per Ek", "Tierps kommun")]
    assert [m["label"] for m in p["materials"]] == ["Program", "Sammanfattning från förmiddagen"]


def test_a_speaker_line_above_each_title_link_is_read_alike_throughout() -> None:
    p = page("<h2>Presentationer</h2>"
             "<p>Eva Strand, Länsstyrelsen i Uppsala län</p>"
             "<p><a href='/f/a.pdf'>Varför vatten?</a></p>"
             "<p>Per Ek, Uppsala universitet</p><p><a href='/f/b.pdf'>Fisken vi äter</a></p>"
             "<p>Tierps kommun</p><p><a href='/f/c.pdf'>Vinnare av vattenpriset</a></p>")
    assert titles(p) == ["Varför vatten?", "Fisken vi äter", "Vinnare av vattenpriset"]
    assert [n for n, _ in people(p)] == ["Eva Strand", "Per Ek"]
    assert [len(s["materials"]) for s in p["sessions"]] == [1, 1, 1]


def test_a_bold_title_line_over_its_own_lines_is_an_item() -> None:
    p = page("<h2>Program</h2><p><b>09.00 Välkommen!</b><br>Eva Strand, Skogsstyrelsen</p>"
             "<p><b>Fåglar i jordbrukslandskapet. Vad säger lagen?</b><br>Om direktiven och "
             "hur de tillämpas i Sverige i dag.<br>Dr Seán O’Neill - Former Head of the Nature "
             "Unit in the European Commission and adviser to several governments.</p>"
             "<p><b>Regeringens politik.</b> Miljöminister Karin Berg</p>")
    assert titles(p) == ["Välkommen!", "Fåglar i jordbrukslandskapet. Vad säger lagen?",
                         "Regeringens politik."]
    assert people(p) == [("Eva Strand", "Skogsstyrelsen"), ("Seán O’Neill", None),
                         ("Karin Berg", None)]


def test_list_items_titled_then_naming_their_speakers_are_talks() -> None:
    p = page("<p><b>10.00 VÄLKOMMEN!</b> Eva Strand, Reglab</p><ul>"
             "<li>Skogens historia. Per Ek, professor emeritus, Lunds universitet</li>"
             "<li>Vem bestämmer? Vad kan vi lära av grannarna? Anna Berg, (PhD), forskare "
             "Nordregio.</li>"
             "<li>Vatten och tillväxt – går det ihop? Karin Lund, doktorand i statsvetenskap,</li>"
             "<li>Blev det som vi ville? Några som var med samtalar:<br>Nils Holm, Region Gävleborg"
             "<br>Lena Sjö, tidigare regionråd i Region Västernorrland.</li></ul>")
    assert titles(p) == ["VÄLKOMMEN!", "Skogens historia", "Vem bestämmer? Vad kan vi lära av "
                         "grannarna?", "Vatten och tillväxt – går det ihop?",
                         "Blev det som vi ville?"]
    assert [n for n, _ in people(p)] == ["Eva Strand", "Per Ek", "Anna Berg", "Karin Lund",
                                         "Nils Holm", "Lena Sjö"]


def test_a_registration_link_is_furniture() -> None:
    p = page("<p><a href='/anmalan.html'>Mer information och anmälan</a></p>"
             "<p><a href='/f/program.pdf'>Program</a></p>")
    assert [m["label"] for m in p["materials"]] == ["Program"]


def test_speaker_lines_are_read_like_their_neighbours() -> None:
    p = page("<h2>Program</h2><p><b>10:00 - Samtal om vatten med</b><br>Eva Strand, Skogsstyrelsen"
             "<br>Per Ek, Naturskyddsföreningen<br>Anna Berg, Vatten Tillsammans</p>"
             "<p><b>10:30 - Musik</b><br>Karin Lund och andra typer</p>"
             "<p><b>11:00 - Berättande</b><br>Nils Holm, författare och kommunikatör Läsfrämjandet"
             "</p>")
    assert people(p) == [("Eva Strand", "Skogsstyrelsen"), ("Per Ek", "Naturskyddsföreningen"),
                         ("Anna Berg", "Vatten Tillsammans"), ("Karin Lund", None),
                         ("Nils Holm", "Läsfrämjandet")]


def test_two_names_after_a_label_stay_two_people() -> None:
    p = page("<h2>Program</h2><p><b>10:00 - Samtal om vatten</b><br>Medverkande: Eva Strand, "
             "Per Ek</p>")
    assert people(p) == [("Eva Strand", None), ("Per Ek", None)]


def test_a_long_paragraph_is_never_searched_for_an_item_line() -> None:
    """Item readings ("Titel. Namn, Org", "Namn, Org – Titel") apply to lines of item
    length only; a paragraph of 80+ words stays prose (and costs no quadratic search)."""
    from konfarkiv.ingest import names as N

    long = "Skogen växer. " * 45 + "Anna Ek, SKR – Titel"
    assert N.speakers_in_label(long) == (long.strip(), [])
    assert N.title_and_speakers(long)[1] == []
    assert N.speakers_in_label("Skogen växer – Anna Ek, SKR")[1]


def test_a_line_read_by_the_pages_pattern_is_a_doubt() -> None:
    from konfarkiv.ingest.page import read_page

    html = ("<html><body><main><h1>Temadag</h1><h2>Presentationer</h2>"
            "<p>Eva Strand, Länsstyrelsen</p><p><a href='/f/a.pdf'>Varför vatten?</a></p>"
            "<p>Per Ek, Uppsala universitet</p><p><a href='/f/b.pdf'>Fisken vi äter</a></p>"
            "<p>Tierps kommun</p><p><a href='/f/c.pdf'>Vinnare av vattenpriset</a></p>"
            "</main></body></html>")
    _page, doubts = read_page(html, "https://example.se/dag.html")
    assert [(d.kind, d.session) for d in doubts if d.kind == "pattern"] == [("pattern", 2)]
    assert "'Tierps kommun'" in doubts[0].reason


def test_a_bold_lead_over_a_closing_paragraph_is_not_an_item() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogen</p><p>Anna Ek, SKR</p>"
             "<p><strong>Tack för i år!</strong><br>Vi ses nästa år i Umeå, med nya "
             "teman.</p>")
    assert titles(p) == ["Skogen"]
