"""Issue 22: the kinds of program writing named in the issue, each as a small page.

Speakers written into titles and prose, tables of two columns (all times in one cell
too), pages documenting several meetings, leftovers of removed placeholders, furniture
links and films given by their address. Pages written for the rule, not copied.
"""

from __future__ import annotations

from support.parsing import names, parse_body, people, titles


def page(body: str) -> dict:
    return parse_body(body, h1="Nätverksträff om klimat")


def test_role_and_name_before_a_colon_are_the_speaker() -> None:
    p = page("<h2>Program</h2><h3>10.00 Generaldirektör Eva Strand: Så når vi målen</h3>"
             "<h3>10.30 Per Ek: Skogen som kolsänka</h3>"
             "<h3>11.00 Panelsamtal: Vem tar ansvaret?</h3>")
    assert titles(p) == ["Så når vi målen", "Skogen som kolsänka", "Panelsamtal: Vem tar ansvaret?"]
    assert names(p) == ["Eva Strand", "Per Ek"]


def test_speakers_in_prose_under_a_talk() -> None:
    p = page("<h2>Program</h2><h3>10.00 Länets klimatarbete</h3>"
             "<p>Landshövding Eva Strand talar om länets mål.</p>"
             "<h3>10.30 Klimatanpassning i praktiken</h3>"
             "<p>Med Per Ek, Tierps kommun, Anna Berg och Nils Holm, SMHI.</p>"
             "<h3>11.00 Samtal om vägen framåt</h3>"
             "<p>Medverkande: Karin Lund, Region Uppsala, Lars Sjö, Uppsala kommun och Maja Ek, "
             "Länsstyrelsen.</p>")
    assert titles(p) == ["Länets klimatarbete", "Klimatanpassning i praktiken",
                         "Samtal om vägen framåt"]
    assert [[sp["name"] for sp in s["speakers"]] for s in p["sessions"]] == [
        ["Eva Strand"], ["Per Ek", "Anna Berg", "Nils Holm"],
        ["Karin Lund", "Lars Sjö", "Maja Ek"]]


def test_a_table_of_two_columns_is_a_program() -> None:
    p = page("<h2>Program</h2><table>"
             "<tr><td>09.00–09.30</td><td>Välkommen<br>Eva Strand, Region Gävleborg</td></tr>"
             "<tr><td>09.30–10.15</td><td>Klimatet och vattnet<br>Per Ek, SMHI</td></tr>"
             "<tr><td>10.15</td><td>Kaffe</td></tr></table>")
    assert titles(p) == ["Välkommen", "Klimatet och vattnet", "Kaffe"]
    assert [s["time"] for s in p["sessions"]] == ["09.00–09.30", "09.30–10.15", "10.15"]
    assert names(p) == ["Eva Strand", "Per Ek"]


def test_all_times_in_one_cell_beside_all_titles() -> None:
    p = page("<h2>Program</h2><table><tr><td>09.00<br>09.30<br>10.15</td>"
             "<td>Välkommen<br>Klimatet och vattnet<br>Kaffe</td></tr></table>")
    assert titles(p) == ["Välkommen", "Klimatet och vattnet", "Kaffe"]
    assert [s["time"] for s in p["sessions"]] == ["09.00", "09.30", "10.15"]


def test_a_page_of_several_meetings_dates_each_group() -> None:
    p = page("<h2>Träff 1, 12 mars 2019</h2><p>10.00 Välkommen</p><p>10.30 Skogen och klimatet"
             "</p><h2>Träff 2, 3 april 2019</h2><p>10.00 Vattnet och klimatet</p>"
             "<p>10.30 Summering</p>")
    assert titles(p) == ["Välkommen", "Skogen och klimatet", "Vattnet och klimatet",
                         "Summering"]
    assert [s["date"] for s in p["sessions"]] == ["2019-03-12", "2019-03-12", "2019-04-03",
                                                  "2019-04-03"]


def test_an_emptied_placeholder_leaves_no_brackets() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogens framtid (, )</p><p>10.30 Vattnet ( )</p>")
    assert titles(p) == ["Skogens framtid", "Vattnet"]


def test_links_to_the_whole_program_and_to_registration_are_furniture() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogens framtid</p><p>Eva Strand, SLU</p>"
             "<p><a href='/program.html'>Se hela programmet</a></p>"
             "<p><a href='/anmal.html'>Till anmälan</a></p>"
             "<p><a href='/f/skog.pdf'>Presentation (PDF)</a></p>")
    assert titles(p) == ["Skogens framtid"]
    assert [m["url"] for s in p["sessions"] for m in s["materials"]] + [
        m["url"] for m in p["materials"]] == ["https://example.se/f/skog.pdf"]


def test_films_given_by_their_address_are_films() -> None:
    p = page("<p>Sändningen finns på https://vimeo.com/123456 i efterhand.</p>"
             "<p><a href='https://www.youtube.com/watch?v=abc'>https://www.youtube.com/watch?v=abc"
             "</a></p><iframe src='https://www.svtplay.se/video/abc/klimatdagen' "
             "title='Klimatdagen'></iframe>"
             "<iframe src='https://play.screen9.com/embed/xyz'></iframe>"
             "<p><a href='https://urplay.se/program/123'>Se programmet</a></p>"
             "<iframe src='https://www.example.se/karta'></iframe>")
    films = [(m["kind"], m["url"]) for m in p["materials"]]
    assert films == [("film", "https://vimeo.com/123456"),
                     ("film", "https://www.youtube.com/watch?v=abc"),
                     ("film", "https://www.svtplay.se/video/abc/klimatdagen"),
                     ("film", "https://play.screen9.com/embed/xyz"),
                     ("film", "https://urplay.se/program/123")]


def speakers_by_session(p: dict) -> list[list[str]]:
    return [[sp["name"] for sp in s["speakers"]] for s in p["sessions"]]


def test_a_speaker_line_below_each_title_link_goes_with_the_link_above() -> None:
    p = page("<h2>Presentationer</h2><p><a href='/a.pdf'>Varför vatten?</a></p>"
             "<p>Eva Strand, Länsstyrelsen</p><p><a href='/b.pdf'>Fisken vi äter</a></p>"
             "<p>Per Ek, SLU</p><p><a href='/c.pdf'>Sjön och staden</a></p>"
             "<p>Anna Berg, Stockholms stad</p>")
    assert titles(p) == ["Varför vatten?", "Fisken vi äter", "Sjön och staden"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Anna Berg"]]


def test_a_table_with_a_header_row_and_a_speaker_column() -> None:
    p = page("<h2>Program</h2><table><thead><tr><th>Tid</th><th>Program</th><th>Medverkande</th>"
             "</tr></thead><tbody><tr><td>09.00</td><td>Välkommen</td><td>Eva Strand, SKR</td>"
             "</tr><tr><td>09.30</td><td>Skogen</td><td>Per Ek, SLU</td></tr></tbody></table>")
    assert titles(p) == ["Välkommen", "Skogen"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"]]


def test_speakers_before_a_colon_or_beside_a_bar_in_the_item_line() -> None:
    p = page("<h2>Program</h2><ul><li>Eva Strand, SKR: Välkommen</li>"
             "<li>Per Ek, SLU: Skogen som resurs</li></ul>"
             "<p>09.00 – 09.30 | Vattnet | Anna Berg, SMHI</p>")
    assert titles(p) == ["Välkommen", "Skogen som resurs", "Vattnet"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Anna Berg"]]


def test_a_role_of_an_organisation_named_in_the_genitive() -> None:
    p = page("<h2>Program</h2><h3>10.00 Inledning</h3>"
             "<p>Kommunstyrelsens ordförande Eva Strand (S) talar.</p>")
    assert speakers_by_session(p) == [["Eva Strand"]]


def test_list_items_led_by_their_speaker_under_dated_meeting_headings() -> None:
    p = page("<h2>Träffar</h2><h3>Möte 12 mars 2019</h3><ul><li>Eva Strand, SKR – Välkommen "
             "till dagen</li><li>Per Ek, Uppsala kommun – Skogen som resurs</li></ul>"
             "<h3>Möte 3 april 2019</h3><ul><li>Vattnet – Anna Berg, SLU</li></ul>")
    assert titles(p) == ["Välkommen till dagen", "Skogen som resurs", "Vattnet"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Anna Berg"]]
    assert [s["date"] for s in p["sessions"]] == ["2019-03-12", "2019-03-12", "2019-04-03"]


def test_a_title_naming_its_speaker_by_a_speech_verb() -> None:
    p = page("<h2>Program</h2><p>10.00 Landshövding Eva Strand talar</p>"
             "<p>10.30 Per Ek berättar om skogen</p>")
    assert titles(p) == ["Landshövding Eva Strand talar", "Per Ek berättar om skogen"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"]]


def test_initials_in_a_list_of_speakers() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogen</p>"
             "<p>A-K Ek, SKR, Anna-Karin Berg, SLU och J. P. Holm, KTH</p>")
    assert people(p) == [("A-K Ek", "SKR"), ("Anna-Karin Berg", "SLU"), ("J. P. Holm", "KTH")]


def test_a_speaker_written_after_the_title_link() -> None:
    p = page("<h2>Presentationer</h2><p><a href='/a.pdf'>Skogen som resurs (PDF)</a> – Eva "
             "Strand, Skogsstyrelsen</p><p><a href='/b.pdf'>Vattnet (PDF)</a> – Per Ek, SMHI</p>")
    assert titles(p) == ["Skogen som resurs", "Vattnet"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"]]


def test_speaker_lines_above_bold_titles_go_with_the_title_below() -> None:
    p = page("<h2>Program</h2><p>Eva Strand, Skogsstyrelsen</p><p><b>Skogen som resurs</b></p>"
             "<p>Per Ek, SMHI</p><p><b>Vattnet i staden</b></p>"
             "<p>Anna Berg, Uppsala kommun</p><p><b>Sjön</b></p>")
    assert titles(p) == ["Skogen som resurs", "Vattnet i staden", "Sjön"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Anna Berg"]]


def test_paragraphs_titled_then_naming_their_speaker_are_items() -> None:
    p = page("<h2>Program</h2><h3>10.00 Förmiddagen</h3>"
             "<p>Skogens historia. Per Ek, professor, Lunds universitet</p>"
             "<p>Vattnets framtid. Anna Berg, SMHI</p>")
    assert titles(p) == ["Skogens historia", "Vattnets framtid"]
    assert speakers_by_session(p) == [["Per Ek"], ["Anna Berg"]]


def test_a_prose_item_is_titled_by_its_first_sentence_and_names_its_speaker() -> None:
    p = page("<h2>Programpunkter</h2><ul><li>Regionen har länge arbetat med vatten. Flera "
             "verktyg har tagits fram. Eva Strand, som är chef för miljöenheten på regionens "
             "avdelning för hållbarhet, berättar om arbetet.</li>"
             "<li>Kommunen har ett program för skogen.</li></ul>")
    assert titles(p) == ["Regionen har länge arbetat med vatten.",
                         "Kommunen har ett program för skogen."]
    assert speakers_by_session(p) == [["Eva Strand"], []]


def test_leftover_dashes_and_calendar_or_direction_links() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogen –</p><p>Panel: Anna Ek, SKR, Per Holm, SLU</p>"
             "<p><a href='/x.ics'>Lägg till i kalender</a></p>"
             "<p><a href='/anm'>Anmälningsformulär</a></p><p><a href='/v'>Hitta hit</a></p>"
             "<p><a href='/t'>Tillbaka till kalendern</a></p>")
    assert titles(p) == ["Skogen"] and names(p) == ["Anna Ek", "Per Holm"]
    assert p["materials"] == [] and p["sessions"][0]["materials"] == []


def test_meetings_dated_by_plain_lines_or_by_their_own_heading() -> None:
    lines = page("<p>12 mars 2019</p><p>10.00 Välkommen</p><p>10.30 Skogen</p>"
                 "<p>3 april 2019</p><p>10.00 Vattnet</p>")
    assert [(s["title"], s["date"]) for s in lines["sessions"]] == [
        ("Välkommen", "2019-03-12"), ("Skogen", "2019-03-12"), ("Vattnet", "2019-04-03")]
    own = page("<h2>Webbinarium 1: Skogen, 12 mars 2019</h2><p>Anna Ek, SKR, berättar om "
               "skogen.</p><p><a href='/a.pdf'>Presentation (PDF)</a></p>"
               "<h2>Webbinarium 2: Vattnet, 3 april 2019</h2><p>Per Holm, SLU, berättar om "
               "vattnet.</p><p><a href='/b.pdf'>Presentation (PDF)</a></p>")
    assert [s["date"] for s in own["sessions"]] == ["2019-03-12", "2019-04-03"]
    assert speakers_by_session(own) == [["Anna Ek"], ["Per Holm"]]


def test_more_ways_prose_names_the_speakers() -> None:
    p = page("<h2>Program</h2><h3>10.00 Skogen</h3><p>Ett samtal mellan Anna Ek, SKR, och "
             "Per Holm, SLU.</p><h3>11.00 Vattnet</h3><p>Under passet medverkar Eva Berg, "
             "SMHI.</p><h3>13.00 Sjön</h3><p>Karin Lund och Nils Holm från SLU berättar om "
             "sjön.</p>")
    assert [[(sp["name"], sp["organisation"]) for sp in s["speakers"]] for s in p["sessions"]] == [
        [("Anna Ek", "SKR"), ("Per Holm", "SLU")], [("Eva Berg", "SMHI")],
        [("Karin Lund", "SLU"), ("Nils Holm", "SLU")]]


def test_the_programs_link_does_not_turn_the_speaker_lines_around() -> None:
    """Speaker line, then title link; the program's link first and a last speaker line
    without a link must not make the lines belong to the links above them."""
    p = page("<h2>Presentationer</h2><p><a href='/p.pdf'>Program</a></p>"
             "<p>Eva Strand, Länsstyrelsen</p><p><a href='/a.pdf'>Varför vatten?</a></p>"
             "<p>Per Ek, SLU</p><p><a href='/b.pdf'>Fisken vi äter</a></p>"
             "<p>Anna Berg, Stockholms stad</p>")
    assert speakers_by_session(p)[:2] == [["Eva Strand"], ["Per Ek"]]


def test_a_name_alone_leads_its_title_where_the_page_puts_speakers_first() -> None:
    body = ("<h2>Dokumentation</h2><ul><li><a href='/a.pdf'>Eva Strand, SKR – Välkommen</a></li>"
            "<li><a href='/b.pdf'>Per Ek, Uppsala kommun – Skogen som resurs</a></li>"
            "<li><a href='/c.pdf'>Anna Berg – Vattnet i staden</a></li></ul>")
    p = page(body)
    assert titles(p) == ["Välkommen", "Skogen som resurs", "Vattnet i staden"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Anna Berg"]]
    alone = page("<h2>Presentationer</h2><ul><li><a href='/c.pdf'>Västra Götaland – Framtidens "
                 "region</a></li></ul>")
    assert names(alone) == []  # one such line on a page is no pattern: a place, not a person


def test_related_events_after_the_program_are_not_its_material() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogen</p><p>Anna Ek, SKR</p>"
             "<p><a href='/f/skog.pdf'>Presentation (PDF)</a></p><h2>Fler evenemang</h2>"
             "<ul><li><a href='/kal/vatten.html'>Vattendagen 2020</a></li>"
             "<li><a href='/kal/sjo.html'>Sjödagen 2020</a></li></ul>")
    assert titles(p) == ["Skogen"]
    assert [m["url"] for s in p["sessions"] for m in s["materials"]] + [
        m["url"] for m in p["materials"]] == ["https://example.se/f/skog.pdf"]


def test_a_speaker_line_ending_in_its_organisation_after_a_dash_stays_a_speaker_line() -> None:
    p = page("<h2>Program</h2><p>10.00 Skogen</p><p>Anna Ek, utredare – Region Skåne</p>"
             "<p>10.30 Vattnet</p><p>Per Holm, professor – Lunds universitet</p>")
    assert titles(p) == ["Skogen", "Vattnet"]
    assert people(p) == [("Anna Ek", "Region Skåne"), ("Per Holm", "Lunds universitet")]


def test_section_headings_at_the_talks_own_level_before_the_program() -> None:
    p = page("<h3>Innehåll</h3><p>Konferensen är digital och delas upp på två halvdagar i april</p>"
             "<h3>Målgrupp</h3><p>Tjänstepersoner och förtroendevalda som arbetar med vatten i "
             "kommunerna</p>"
             "<h3>Program</h3><h3>09.00 Dagen öppnas</h3><p>Anna Ek, SKR</p><h3>09.30 Skogen</h3>"
             "<p>Per Holm, SLU</p>")
    assert titles(p) == ["Dagen öppnas", "Skogen"]


def test_bold_links_under_a_documentation_heading_are_talks() -> None:
    p = page("<h2>Dokumentation från dagen</h2>"
             "<p><strong><a href='/tema-1.html'>Tema: Skogen i klimatet</a></strong></p>"
             "<p><strong><a href='/tema-2.html'>Tema: Vattnet i staden</a></strong></p>"
             "<h2>Annat material</h2><p><a href='/check.pdf'>Checklista</a></p>")
    assert titles(p) == ["Tema: Skogen i klimatet", "Tema: Vattnet i staden"]
    assert [m["label"] for m in p["materials"]] == ["Checklista"]


def test_paragraphs_title_dash_speaker_in_a_row_are_items() -> None:
    p = page("<h2>Program</h2><p>Skogens utmaningar - Eva Strand, avdelningschef analys.</p>"
             "<p>Vattnet i staden, vad säger kartan? – Per Ek, planerare och Anna Berg, analys.</p>"
             "<p>Vad betyder det för oss? Karin Lund reflekterar.</p>")
    assert titles(p) == ["Skogens utmaningar", "Vattnet i staden, vad säger kartan?",
                         "Vad betyder det för oss?"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek", "Anna Berg"], ["Karin Lund"]]


def test_items_without_bold_a_title_line_over_its_lines_and_speaker() -> None:
    p = page("<h2>Program</h2><p>09.00 Välkommen<br>Eva Strand, SLU</p>"
             "<p>Juridiken om diken. Naturvård ur ett rättsligt perspektiv<br>Om lagen och hur "
             "den tillämpas i dag, i kommunerna och i domstolarna.<br>Per Ek, mark- och "
             "miljödomstolen.</p>"
             "<p>12:10 - Karin Lund<br>Statssekreterare, Miljödepartementet</p>")
    assert titles(p) == ["Välkommen", "Juridiken om diken. Naturvård ur ett rättsligt perspektiv",
                         "Karin Lund"]
    assert speakers_by_session(p) == [["Eva Strand"], ["Per Ek"], ["Karin Lund"]]


def test_list_items_of_a_title_over_a_paragraph_under_a_timed_heading_are_talks() -> None:
    p = page("<h2>Program</h2><h3>10.00 Konferensen inleds</h3><ul>"
             "<li>Den nya myndigheten presenterar sig<br>Hur ser myndighetens arbete ut, och vad "
             "betyder det för kommunerna och regionerna?</li>"
             "<li>Värdegrunden i det lokala Sverige<br>Sex principer ingår i värdegrunden. De är "
             "grunden för en god förvaltning.</li></ul>"
             "<p>Föreläsningarna handlar om:</p><ul><li>Hur vi mäter arbetet</li>"
             "<li>Hur rasism påverkar</li></ul>")
    assert titles(p)[-2:] == ["Den nya myndigheten presenterar sig",
                              "Värdegrunden i det lokala Sverige"]


def test_the_element_a_speaker_line_shares_with_a_link_says_whose_it_is() -> None:
    below = page("<h2>Presentationer</h2><ul><li><p><a href='/a.pdf'>Inledning</a></p></li>"
                 "<li><p>Eva Strand, SLU</p><p><a href='/b.pdf'>Skogen</a></p></li>"
                 "<li><p>Per Ek, SMHI</p><p><a href='/c.pdf'>Vattnet</a></p></li></ul>"
                 "<p>Anna Berg, KTH</p>")
    assert speakers_by_session(below)[:3] == [[], ["Eva Strand"], ["Per Ek"]]
    above = page("<h2>Presentationer</h2><div><p><a href='/a.pdf'>Varför vatten?</a></p>"
                 "<p>Eva Strand, SLU</p></div><div><p><a href='/b.pdf'>Fisken</a></p>"
                 "<p>Per Ek, SMHI</p></div><div><p><a href='/c.pdf'>Sjön</a></p></div>")
    assert speakers_by_session(above) == [["Eva Strand"], ["Per Ek"], []]


def test_qbrick_and_kaltura_players_embedded_are_films() -> None:
    p = page("<iframe src='https://video.qbrick.com/play2/embed/player?accountId=1&mediaId=2'>"
             "</iframe><p>Inspelningen: https://cdnapisec.kaltura.com/p/1/sp/100/embedIframeJs"
             "/uiconf_id/2/partner_id/1?entry_id=0_abc</p>")
    assert [(m["kind"], m["url"].split("/")[2]) for m in p["materials"]] == [
        ("film", "video.qbrick.com"), ("film", "cdnapisec.kaltura.com")]
