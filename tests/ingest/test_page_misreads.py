"""Issue 12: each misread found on real pages, pinned by a few lines of HTML of its shape.

The real pages themselves live outside the repository (../shared/pages); these are
small pages written for the rule, so a failing test names the rule that broke.
"""

from __future__ import annotations

from konfarkiv.ingest import names as N
from konfarkiv.ingest import page_rules as R
from konfarkiv.ingest.page import parse_page, read_page

URL = "https://example.se/konferens/sida.html"


def page(body: str, h1: str = "Konferensen") -> dict:
    return parse_page(f"<html><body><main><h1>{h1}</h1>{body}</main></body></html>", URL).to_json()


def titles(p: dict) -> list[str]:
    return [s["title"] for s in p["sessions"]]


def names(p: dict) -> list[str]:
    return [sp["name"] for s in p["sessions"] for sp in s["speakers"]]


def test_section_headings_are_not_sessions() -> None:
    p = page("<h2>Innehåll</h2><p>Om dagen.</p><h2>Målgrupp</h2><p>Politiker.</p>"
             "<h2>Program dag 1 den 14 april</h2><h3>09.00-09.15 Dagen öppnas</h3>"
             "<p>Anna Ek, ordförande SKR</p><h3>09.15-10.00 Vikten av självstyre</h3>"
             "<p>Per Holm, professor Lunds universitet</p>")
    assert titles(p) == ["Dagen öppnas", "Vikten av självstyre"]


def test_a_page_without_program_has_no_sessions() -> None:
    p = page("<h2>Syfte och målgrupp</h2><p>Dagen är till för dig som arbetar i kommunen.</p>"
             "<h2>Se sändningen från dagen</h2><p><a href='/play/dagen'>Sändningen</a></p>"
             "<h2>Om dagen</h2><p>Dagen återkommer varje år.</p>")
    assert p["sessions"] == [] and [m["kind"] for m in p["materials"]] == ["film"]


def test_a_page_titled_like_a_program_item_is_one_session() -> None:
    p = page("<p>Hur möter vi krympande kommuner?</p><h3>Medverkande:</h3>"
             "<p>Anna Ek, utredningens ordförande<br>Per Holm, huvudsekreterare</p>"
             "<h3>Ställ en fråga eller kommentera</h3><p>Här kan du ställa frågor.</p>",
             h1="14. Klyftan ökar")
    assert titles(p) == ["14. Klyftan ökar"] and names(p) == ["Anna Ek", "Per Holm"]


def test_a_page_repeating_its_heading_is_one_session() -> None:
    p = page("<h2>Dialog i praktiken</h2><p>Kommuner behöver utveckla dialogen.</p>"
             "<p>Malin Ek och Sara Berg, Borås stad samt Nils Holm, SKR</p><p>0</p>",
             h1="Dialog i praktiken")
    assert titles(p) == ["Dialog i praktiken"]
    assert names(p) == ["Malin Ek", "Sara Berg", "Nils Holm"]


def test_a_person_as_heading_is_a_speaker_and_the_page_one_talk() -> None:
    p = page("<p>Mycket tyder på att driften är den verkliga utmaningen.</p>"
             "<h2>Lena Holm (S)</h2><p>Lena Holm är ordförande.</p>",
             h1="Bygger vi äldreboenden utan personal?")
    assert titles(p) == ["Bygger vi äldreboenden utan personal?"] and names(p) == ["Lena Holm"]


def test_medverkande_one_per_line_and_a_moderator() -> None:
    p = page("<p>Vilken roll spelar tilliten?</p><p>Medverkande:<br>Lena Ek, minister (S)<br>"
             "Anders Berg (M), ordförande SKR</p><p>Moderator:<br>Lotta Holm</p>",
             h1="3. Välfärd under press")
    assert names(p) == ["Lena Ek", "Anders Berg", "Lotta Holm"]


def test_a_title_is_not_cut_at_a_colon_or_a_short_sentence() -> None:
    p = page("<p>11:35 Panelsamtal: Social hållbarhet för alla?<br>Anna Ek, Rädda barnen<br>"
             "Karin Berg (v), ledamot av Riksdagens socialutskott</p>"
             "<p>16.10 Mötesplats för alla. En programförklaring<br>Per Holm, SKL</p>")
    assert titles(p) == ["Panelsamtal: Social hållbarhet för alla?",
                         "Mötesplats för alla. En programförklaring"]
    assert names(p) == ["Anna Ek", "Karin Berg", "Per Holm"]


def test_bold_title_then_prose_and_a_med_sentence() -> None:
    p = page("<h3>Måndag 5 juli</h3><p>Plats: Salen, Moderator: Eva Strand</p>"
             "<p><strong>13.00-14.00 Den nya vården – från säng till e-hälsa</strong> Debatt om "
             "vården. Med Anna Ek och Per Holm, SKL, Lars Berg, Socialstyrelsen. Seminariet "
             "inleds med att Karin Lund, chef SKL, presenterar en rapport.</p>")
    assert titles(p) == ["Den nya vården – från säng till e-hälsa"]
    assert names(p) == ["Anna Ek", "Per Holm", "Lars Berg", "Karin Lund"]
    assert p["sessions"][0]["speakers"][1]["organisation"] == "SKL"


def test_speakers_named_in_prose_after_a_cue() -> None:
    p = page("<h2>Webb-tv sändning - 8 april</h2><p>Vi har med Anna Ek föreståndare, "
             "Segerstedtinstitutet. Institutet är ett resurscentrum.</p>"
             "<p>Vi har också med Nils Dias från Portugal, Nils är konsult.</p>"
             "<h2>Aktuellt</h2><p>Teresa Holm, ordförande för gruppen vid EEA, presenterar "
             "slutsatser.</p><p><a href='/a.pdf'>Presentation från EEA</a></p>")
    assert names(p) == ["Anna Ek", "Nils Dias", "Teresa Holm"]
    assert p["sessions"][1]["speakers"][0]["organisation"] == "EEA"


def test_participants_named_in_a_sentence_make_the_page_one_talk() -> None:
    p = page("<p>Medverkade gjorde Kent Berg (s), ordförande i Örebro kommun, Eva Ek och "
             "Olle Lund, forskare vid Örebro universitet, samt Maria Dock, Healthy Cities.</p>",
             h1="Mötesplatser för social hållbarhet")
    assert titles(p) == ["Mötesplatser för social hållbarhet"]
    assert names(p) == ["Kent Berg", "Eva Ek", "Olle Lund", "Maria Dock"]


def test_role_suffix_dropped_and_organisations_are_not_people() -> None:
    assert [s.name for s in N.parse_speakers("Christoffer Berg Panelist") or []] == [
        "Christoffer Berg"]
    assert N.parse_speakers("Healthy Cities") is None
    assert N.parse_speakers("Amnesty International") is None
    assert [s.organisation for s in N.parse_speakers(
        "Katarina Ek, sakkunnig, Amnesty International") or []] == ["Amnesty International"]
    p = page("<p>Panelists: Anna Ek, Per Holm</p><h3>Organizer</h3><p>Göteborgs Stad</p>"
             "<h3>Lecturers</h3><p>Anna Ek Panelist</p><p>Per Holm Panelist</p>",
             h1="Ung framtid!? - Unga berättar")
    assert titles(p) == ["Ung framtid!? - Unga berättar"] and names(p) == ["Anna Ek", "Per Holm"]


def test_a_bullet_list_program() -> None:
    p = page("<h2>Program</h2><ul>"
             "<li>Välkomna! Direktör Helena Ek och Moderator Lisa Lund, processledare.</li>"
             "<li>Utmaningar för länet - Karin Alt, avdelningschef.</li>"
             "<li>Det goda livet – vad kan vi lära oss? – Tomas Berg, analys.</li>"
             "<li>Vad innebär förutsättningarna? Helena Ek reflekterar.</li></ul>")
    assert titles(p) == ["Välkomna!", "Utmaningar för länet", "Det goda livet – vad kan vi "
                         "lära oss?", "Vad innebär förutsättningarna?"]
    assert names(p) == ["Helena Ek", "Lisa Lund", "Karin Alt", "Tomas Berg", "Helena Ek"]


def test_a_list_announced_by_a_lead_line_with_lines_per_item() -> None:
    p = page("<p>Så här såg programmet ut:</p><ul>"
             "<li>Vad säger departementet?<br>Maja Ek, statssekreterare<br>(4:30 minuter in)</li>"
             "<li>Att kroka arm<br>Panelsamtal<br>(1:13:10 minuter in)</li></ul>"
             "<p>Dagen innehåller föreläsningar om:</p><ul><li>Hur vi mäter arbetet</li></ul>")
    assert titles(p) == ["Vad säger departementet?", "Att kroka arm"] and names(p) == ["Maja Ek"]


def test_a_topic_list_is_not_a_program() -> None:
    p = page("<p>Under konferensen fick du:</p><ul><li>en uppdatering av miljöarbetet</li>"
             "<li>möta andra beslutsfattare</li></ul><h2>Mer om konferenserna</h2>"
             "<p>Konferenserna arrangerades i samarbete.</p>")
    assert p["sessions"] == []


def test_a_dated_group_heading_dates_its_sessions() -> None:
    p = page("<h2>Presentationer 9 mars 2016</h2><h3>Nya regler</h3><p>Anna Ek, SKR</p>"
             "<p><a href='/a.pdf'>Bilder (PDF)</a></p>")
    assert [(s["title"], s["date"]) for s in p["sessions"]] == [("Nya regler", "2016-03-09")]


def test_a_whole_day_moderator_is_no_session_speaker() -> None:
    p = page("<p>Moderator Agneta Berg</p><p>10:00 Välkommen<br>Johan Ek, Folkhälsomyndigheten"
             "</p><p>10:15 Ett hållbart Malmö<br>Katrin Holm, Malmö stad</p>")
    assert names(p) == ["Johan Ek", "Katrin Holm"]


def test_time_title_comma_speaker() -> None:
    p = page("<h2>Program för dagen</h2><p>09.30 Generaldirektören inleder</p>"
             "<p>9.40 Föreläsning om ung inkludering, Björn Ek, docent vid Göteborgs universitet"
             "</p><p>10.40 Paus</p>")
    assert titles(p)[:2] == ["Generaldirektören inleder", "Föreläsning om ung inkludering"]
    assert names(p) == ["Björn Ek"]


def test_field_lines_and_form_links_are_furniture() -> None:
    p = page("<p>Datum/tid:<br>Plats: digitalt via Zoom</p>"
             "<p><a href='/ext/reg'>Här registrerar du dig för information</a></p>"
             "<p><a href='/ext/pu'>Så här hanterar vi dina personuppgifter</a></p>"
             "<p><a href='/ext/mer'>Läs mer om miljömålen</a></p>"
             "<h2>Program</h2><p>10.00 Inledning</p><p>Anna Ek, landshövding</p>")
    assert titles(p) == ["Inledning"] and p["materials"] == []


def test_contact_box_ends_the_content() -> None:
    p = page("<h2>Program</h2><p>Seminariet inleds med en presentation av forskning.</p>"
             "<h3>Medverkande</h3><ul>"
             "<li>Elin Ek, professor Linköpings universitet</li><li>Frida Berg, strateg Kumla "
             "kommun</li></ul><h3>Informationsansvarig</h3><p>Ina Holm<br>Handläggare</p>",
             h1="Politikens roller")
    assert titles(p) == ["Politikens roller"] and names(p) == ["Elin Ek", "Frida Berg"]


def test_doubts_say_when_unsure() -> None:
    html = ("<main><h1>Dokumentation</h1><p><a href='/a.pdf'>Bilder (PDF)</a></p>"
            "<h2>Innehåll</h2><p>Text.</p><h2>Målgrupp</h2><p>Alla.</p><h2>Bakgrund</h2>"
            "<p>Mer text.</p></main>")
    _, doubts = read_page(html, URL)
    assert [d.kind for d in doubts] == ["no-sessions", "sections"]
    assert R.announces_program_list("SKR arrangerar tre seminarier:")
    assert not R.announces_program_list("Dagen innehåller föreläsningar om:")


def test_a_list_inside_a_talk_is_its_description() -> None:
    p = page("<h2>Program 4 april</h2><h3>13.00–13.15 Välkomna</h3><ul><li>Upplägget för "
             "dagarna.</li><li>Presentationsrunda.</li></ul><h3>13.15–13.35 Återstart</h3>")
    assert titles(p) == ["Välkomna", "Återstart"]


def test_intro_fields_and_lines_before_the_program_are_not_sessions() -> None:
    p = page("<p>Illustration: Anna Ek.</p><p>Dagarna i Uppsala genomförs helt digitalt</p>"
             "<p>SKR arrangerar två seminarier:</p><ul><li>Barnhälsovården och lokalsamhället"
             "</li><li>Lokala samhällskontrakt</li></ul>")
    assert titles(p) == ["Barnhälsovården och lokalsamhället", "Lokala samhällskontrakt"]


def test_people_lists_skip_filler_and_english_organisations() -> None:
    p = page("<p>Monday December 6, 2021 12:00 - 12:30 Lilla scenen</p><p>Panelists: Anna Ek, "
             "Per Holm</p><h3>Lecturers</h3><p>Anna Ek Panelist</p><p>Inget</p>"
             "<p>Per Holm Panelist</p>", h1="Ung framtid")
    assert titles(p) == ["Ung framtid"] and names(p) == ["Anna Ek", "Per Holm"]
    assert p["date"] == "2021-12-06"
    assert N.parse_speakers("Bi Ek, generalsekreterare, World Values Survey och forskare") \
        is not None
    assert [s.name for s in N.parse_speakers(
        "Bi Ek, generalsekreterare, World Values Survey och forskare") or []] == ["Bi Ek"]


def test_a_speaker_led_sentence_inside_a_description() -> None:
    p = page("<h3>Måndag</h3><p><strong>16.00 – 17.00 Varför lyckas skolor?</strong> Trots "
             "lika villkor lyckas en del skolor bättre. SKL:s vd Håkan Berg presenterar en "
             "rapport.</p>")
    assert names(p) == ["Håkan Berg"]
    assert R.is_furniture_link("Här registerar du dig för kommande information")


def test_a_speaker_line_is_one_sentence_and_a_cut_list_keeps_its_last_name() -> None:
    line = "Med Anna Ek, Timbro och Per Holm, Tankesmedjan. Seminariet inleds av Mats Berg, SKL"
    assert N.parse_speakers(line) is None  # two sentences: read by their cues instead
    assert [s.name for s in N.cue_speakers(line)] == ["Anna Ek", "Per Holm", "Mats Berg"]
    assert [s.name for s in N.parse_speakers("Anna Ek, professor Lunds universitet och "
                                             "Per Holm,") or []] == ["Anna Ek", "Per Holm"]
    p = page("<p>Kommunerna och regionerna i samtal.</p><p>Civilminister Lena Ek (S) frågas ut "
             "av Lotta Berg, journalist.</p>", h1="1. Inledning")
    assert sorted(names(p)) == ["Lena Ek", "Lotta Berg"]


def test_a_speaker_line_before_or_beside_its_talks_link() -> None:
    beside = page("<h2>Program</h2><ul><li><a href='/a.pdf'>Ekonomin i kommunerna (PDF)</a><br>"
                  "Anna Ek, SKL</li><li><a href='/b.pdf'>Skatter (PDF)</a><br>Per Holm, SKR</li>"
                  "</ul>")
    before = page("<h2>Program</h2><p>Anna Ek, SKL</p><p><a href='/a.pdf'>Ekonomin i kommunerna "
                  "(PDF)</a></p><p>Per Holm, SKR</p><p><a href='/b.pdf'>Skatter (PDF)</a></p>")
    for p in (beside, before):
        assert titles(p) == ["Ekonomin i kommunerna", "Skatter"]
        assert [[sp["name"] for sp in s["speakers"]] for s in p["sessions"]] == [
            ["Anna Ek"], ["Per Holm"]]


def test_a_bold_title_over_its_speaker_in_one_paragraph() -> None:
    p = page("<p><strong>Ekonomin</strong><br>Anna Ek, SKL<br><a href='/a.pdf'>Presentation "
             "(PDF)</a></p><p><strong>Skatter</strong><br>Per Holm, SKR</p>")
    assert titles(p) == ["Ekonomin", "Skatter"] and names(p) == ["Anna Ek", "Per Holm"]


def test_a_day_number_before_a_date_is_no_date_range() -> None:
    p = page("<h2>Dag 1 – 14 april 2016</h2><p><strong>Ekonomin</strong></p><p>Anna Ek, SKL</p>"
             "<p><a href='/a.pdf'>Presentation (PDF)</a></p>")
    assert p["sessions"][0]["date"] == "2016-04-14"


def test_panel_med_names_the_panel() -> None:
    p = page("<h2>Biblioteken</h2><p>Moderator: Sara Ek, Kungliga biblioteket</p>"
             "<p>Panel med Per Holm, Umeå kommun och Eva Lind, Region Norrbotten.</p>")
    assert names(p) == ["Sara Ek", "Per Holm", "Eva Lind"]


def test_a_lone_lead_line_on_a_one_talk_page_is_its_description() -> None:
    # Heading, one short paragraph, a speaker line: the paragraph is the talk's lead,
    # whether it asks a question or states something; the talk is titled by the heading.
    for lead in ("Hur får vi fler unga att stanna kvar på landsbygden?",
                 "Erfarenheter av att samla skolskjutsarna i en regional upphandling."):
        p = page(f"<p>{lead}</p><p><strong>Medverkande:</strong> Eva Dahl, Umeå kommun"
                 " och Nils Berg, Region Västerbotten</p>", h1="Landsbygd som framtid")
        assert titles(p) == ["Landsbygd som framtid"]
        assert p["sessions"][0]["description"] == lead
        assert names(p) == ["Eva Dahl", "Nils Berg"]
