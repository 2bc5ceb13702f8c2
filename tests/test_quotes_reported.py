"""Reported (indirect) speech without quote marks: German clause rules, English cues and markers."""

from __future__ import annotations

import pytest

from newsdesk.enrich.quotes import Quote, extract_quotes
from newsdesk.evaluation.quotes import names_speaker


def only(quotes: list[Quote], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def mention(text: str, quote: Quote) -> str | None:
    if quote.speaker_start is None or quote.speaker_end is None:
        return None
    return text[quote.speaker_start : quote.speaker_end]


def test_german_opinion_verb_and_dass_clause() -> None:
    text = "Ich glaube, dass die Reform den Familien hilft. Wir wissen alle: Das Geld reicht nicht."
    quotes = extract_quotes(text, "de")
    reform = only(quotes, "Reform")
    assert reform.text == "die Reform den Familien hilft" and not reform.direct
    assert reform.speaker is None and mention(text, reform) == "Ich" and names_speaker(reform)
    money = only(quotes, "Geld")
    assert money.text == "Das Geld reicht nicht" and mention(text, money) == "Wir"


def test_german_subject_after_the_verb_and_a_vocative_skipped() -> None:
    text = "Deshalb möchte ich betonen, liebe Kolleginnen und Kollegen, dass der Haushalt solide ist."
    quote = only(extract_quotes(text, "de"), "Haushalt")
    assert quote.text == "der Haushalt solide ist" and mention(text, quote) == "ich"


def test_german_named_subject_and_separable_verb() -> None:
    text = (
        "Die Ministerin Anna Berger hat am Montag gesagt, die Schulen blieben offen. "
        "Der Verband stellt dagegen fest, dass viele Lehrer fehlen."
    )
    quotes = extract_quotes(text, "de")
    schools = only(quotes, "Schulen")
    assert schools.text == "die Schulen blieben offen" and "Berger" in (schools.speaker or "")
    teachers = only(quotes, "Lehrer")
    assert teachers.cue == "stellt dagegen fest" and mention(text, teachers) == "Der Verband"


def test_german_polite_sie_is_not_resolved_to_a_person() -> None:
    text = "Der Minister sprach lange. Sie behaupten, es gebe keine Probleme."
    quote = only(extract_quotes(text, "de"), "Probleme")
    assert quote.speaker is None and mention(text, quote) == "Sie"


def test_german_opinion_verb_without_a_clause_is_no_quote() -> None:
    # a perception verb with an object, a possessive "meine", a clause joined by "und"
    for text in (
        "Wir sehen das Problem sehr deutlich.",
        "Das ist unerträglich, meine Damen und Herren, und es muss aufhören.",
        "Ich weiß es, und du weißt es auch.",
        "Heute, meine sehr verehrten Damen und Herren, wünschten wir uns mehr Mut.",
    ):
        assert extract_quotes(text, "de") == [], text


def test_german_noun_cue_and_point_of_view() -> None:
    text = (
        "Es stellt sich die Frage, ob das Gesetz überhaupt wirkt. Aus meiner Sicht ist der Entwurf zu "
        "schwach. Laut Verband soll die Reform teurer werden."
    )
    quotes = extract_quotes(text, "de")
    question = only(quotes, "Gesetz")
    assert question.text == "ob das Gesetz überhaupt wirkt" and question.cue == "Frage"
    view = only(quotes, "Entwurf")
    assert view.text == "ist der Entwurf zu schwach" and mention(text, view) == "meiner"
    # the marker stands inside the verb-second clause it reports: the whole clause is the report
    assert "die Reform teurer werden" in only(quotes, "Reform").text


def test_german_demand_verb_object_and_clause_ends() -> None:
    text = (
        "Wir fordern deshalb eine Obergrenze für Mieten, weil die Preise steigen. "
        "Ich sage Ihnen: Das reicht nicht, meine Damen und Herren. "
        "Das Problem ist - man könnte sagen: leider - nicht neu."
    )
    quotes = extract_quotes(text, "de")
    assert only(quotes, "Obergrenze").text == "eine Obergrenze für Mieten"
    assert only(quotes, "reicht").text == "Das reicht nicht"
    assert only(quotes, "leider").text == "leider"
    # a purpose clause is no report
    assert extract_quotes("Um es noch einmal zu sagen, das Haus ist alt.", "de") == []
    # announced by a colon, it reports; so does a colon after "und" in the gap
    assert only(extract_quotes("Um es klar zu sagen: Kinder brauchen Kinder.", "de"), "Kinder").text == (
        "Kinder brauchen Kinder"
    )
    linke = "Auch wir sagen dazu eindeutig und klar: Die Reform war ein Fehler."
    assert only(extract_quotes(linke, "de"), "Reform").text == "Die Reform war ein Fehler"


def test_english_noun_homographs_are_cues_only_before_that() -> None:
    text = "He said states like Ohio will vote first. The report states that turnout fell sharply."
    quotes = extract_quotes(text, "en")
    assert only(quotes, "Ohio").text == "states like Ohio will vote first"
    assert only(quotes, "turnout").cue == "states"


def test_english_speaker_label_opens_a_paragraph() -> None:
    text = "Sanders: Clinton email story has moved.\n\nTAPPER: Thank you for joining us. What happens next?"
    quotes = extract_quotes(text, "en")
    assert only(quotes, "email").speaker == "Sanders"
    tapper = only(quotes, "joining")
    assert tapper.text == "Thank you for joining us. What happens next" and mention(text, tapper) == "TAPPER"
    assert extract_quotes("Update: the story was corrected on Monday.", "en") == []


def test_english_report_without_a_found_subject_and_titles_after_the_cue() -> None:
    text = (
        "A district judge agreed. But the appeals court overruled and said Ohio already provided more "
        "early voting than most states. Another pollster said Mr. Trump's support held steady."
    )
    quotes = extract_quotes(text, "en")
    assert only(quotes, "early voting").text.startswith("Ohio already provided")
    assert only(quotes, "support held").text == "Mr. Trump's support held steady"


def test_english_long_tag_after_a_question_and_an_unnamed_speaker_continued() -> None:
    text = (
        '"Why would you cozy up to Bush?" Lichtman said about the effort to downplay the links. '
        '"That is the point," he told reporters. "Nobody can win this way."'
    )
    quotes = extract_quotes(text, "en")
    assert only(quotes, "cozy").speaker == "Lichtman"
    assert only(quotes, "Nobody").text == "Nobody can win this way."


def test_english_colon_announces_the_next_paragraph() -> None:
    text = 'Rumsfeld spoke on Fox. He said:\n\n"It is like going into a monastery. You cut off all ties."'
    quotes = extract_quotes(text, "en")
    assert [q.text for q in quotes] == ["It is like going into a monastery. You cut off all ties."]
    assert mention(text, quotes[0]) == "He"


def test_english_any_past_tense_before_that_and_a_dash_aside() -> None:
    text = (
        "The senator learned that the vote had been delayed. "
        "Murphy — after a long pause — told me he was unprepared for the toll."
    )
    quotes = extract_quotes(text, "en")
    assert only(quotes, "vote").text == "the vote had been delayed"
    toll = only(quotes, "toll")
    assert toll.text == "he was unprepared for the toll" and toll.speaker == "Murphy"


def test_english_subject_of_the_reported_clause_is_no_inverted_speaker() -> None:
    text = "Bill Bruch, a state delegate, said he called Haugland to learn more about the plan."
    quote = only(extract_quotes(text, "en"), "Haugland")
    assert quote.text.startswith("he called Haugland") and quote.speaker == "Bill Bruch"


def test_english_reported_clause_ends_at_a_coordinated_clause_and_according_to() -> None:
    text = (
        "The White House contends that it is on track, and Brian Deese said he was preparing new plans. "
        "Sanders argued that his streak is proof of momentum, according to the Associated Press."
    )
    quotes = extract_quotes(text, "en")
    assert only(quotes, "on track").text == "it is on track"
    assert only(quotes, "new plans").speaker == "Brian Deese"
    assert only(quotes, "streak").text == "his streak is proof of momentum"
    adverbial = "Cruz said in an interview on Fox News on Monday that the economy was weak."
    assert only(extract_quotes(adverbial, "en"), "economy").text == "the economy was weak"


def test_german_hiess_es_reports_what_comes_before() -> None:
    text = "Die Zusammenarbeit mit der Armee sei eng, hieß es in Berlin."
    quote = only(extract_quotes(text, "de"), "Armee")
    assert quote.text == "Die Zusammenarbeit mit der Armee sei eng" and quote.speaker is None


def test_english_signed_quotation_and_a_label_inside_a_quote_mark() -> None:
    text = (
        "“Donald Trump scares me. His words make me fearful.” ― Krystal Correa\n\n"
        '"PENCE: Well, look, Mark Cuban has been out there saying tough stuff.\n\n'
        "Poll: Clinton and Trump in dead heat heading into the first debate."
    )
    quotes = extract_quotes(text, "en")
    signed = only(quotes, "scares")
    assert signed.speaker == "Krystal Correa" and signed.direct
    pence = only(quotes, "Cuban")
    assert pence.text.startswith("Well, look") and pence.speaker == "PENCE" and pence.direct
    assert only(quotes, "dead heat").speaker == "Poll"
    assert extract_quotes("“We will see.” ― Photo: Reuters", "en") == []


def test_german_zufolge_names_its_source_before_it() -> None:
    text = (
        "Dem zuständigen Ministerium zufolge wurden 20 Menschen verletzt. "
        "Die Lage ist dem Bericht zufolge ernst."
    )
    quotes = extract_quotes(text, "de")
    injured = only(quotes, "verletzt")
    assert injured.text == "wurden 20 Menschen verletzt" and injured.speaker == "Dem zuständigen Ministerium"
    assert mention(text, only(quotes, "Lage")) == "dem Bericht"


REPORTED = {
    "a verb after a relative pronoun, a far colon, 'meine' before a noun": (
        "Wir machen einen Vorschlag, der zeigt, dass beides zusammengeht. "
        "Ich sage an dieser Stelle aber auch ganz offen: Die Schulden sind zu hoch. "
        "Ich sage für meine Fraktion: Das Thema muss vor die Klammer.",
        [
            ("beides zusammengeht", "der"),
            ("Die Schulden sind zu hoch", "Ich"),
            ("Das Thema muss vor die Klammer", "Ich"),
        ],
    ),
    "a point of view opened by 'Für', 'halten … für', 'halten' alone": (
        "Das ist so. Für uns ist klar, dass wir helfen. "
        "Für die Bundesregierung ist die Zusammenarbeit mit Afrika ein Schwerpunkt. "
        "Für den Fall einer Krise gibt es einen Plan. "
        "Ich halte es für richtig, dass wir das Datenmaterial nutzen. "
        "Wir halten uns an das Grundgesetz.",
        [
            ("ist klar, dass wir helfen", "uns"),
            ("ist die Zusammenarbeit mit Afrika ein Schwerpunkt", "die Bundesregierung"),
            ("für richtig, dass wir das Datenmaterial nutzen", "Ich"),
        ],
    ),
    "a noun's colon a few words on, and a series of questions after it": (
        "Ich habe einige Fragen an Sie und die Bundesregierung: Wie wägen Sie ab? Was bleibt? Das ist alles.",
        [("Wie wägen Sie ab? Was bleibt", "Ich")],
    ),
    "more reporting verbs; a semicolon closes the cue's clause": (
        "Ich möchte anmerken, dass die Evaluation nicht erfolgt ist. "
        "Zusammengefasst: Die Fusion ist keine Lösung. "
        "Das können Sie nicht sagen; hier fehlt der Plan.",
        [("die Evaluation nicht erfolgt ist", "Ich"), ("Die Fusion ist keine Lösung", None)],
    ),
    "a demand verb past a phrase, a colon past a name's apposition, a far comma": (
        "Deshalb fordern wir mit unserem Antrag eine Einbürgerungsoffensive. "
        "Ich zitiere den früheren Vizekanzler Sigmar Gabriel, SPD: In manchen Städten fehlt Wohnraum. "
        "Ich nenne einmal ein paar Stichpunkte aus der Praxis, auf die wir warten.",
        [("eine Einbürgerungsoffensive", "wir"), ("In manchen Städten fehlt Wohnraum", "Ich")],
    ),
    "'halten' with its particle is another verb": (
        "Um 21.42 Uhr hielt man im Institut für Planetenforschung kollektiv den Atem an.",
        [],
    ),
    "'erinnern … an' past 'an dieser Stelle', a verb in -ieren": (
        "Ich erinnere an dieser Stelle auch an die Abkommen, die mit Tunesien geschlossen wurden. "
        "Ich kann nur dafür plädieren, dass wir das in Ordnung bringen.",
        [
            ("an die Abkommen, die mit Tunesien geschlossen wurden", "Ich"),
            ("wir das in Ordnung bringen", "Ich"),
        ],
    ),
    "a parenthetical cue": (
        "Das ist, glaube ich, eine große Errungenschaft.",
        [("Das ist, glaube ich, eine große Errungenschaft", "ich")],
    ),
}


@pytest.mark.parametrize("case", list(REPORTED))
def test_german_clause_rules(case: str) -> None:
    text, expected = REPORTED[case]
    assert [(q.text, mention(text, q)) for q in extract_quotes(text, "de")] == expected


def test_german_das_heisst_and_laut_as_an_adverb_are_no_cues() -> None:
    for text in (
        "Das sind über 31 000 Kinder. Das heißt, die Eltern bekommen weniger Geld.",
        "Sie schweigen aber dröhnend laut dort, wo Frauen zu Opfern werden.",
        "Die Beispiele, die Sie genannt haben, haben mit dem Gesetz nichts zu tun.",
    ):
        assert extract_quotes(text, "de") == [], text
    text = "Dort heißt es wörtlich: Wir werden den Meisterbrief erhalten. Laut DGB wandern viele ab."
    quotes = extract_quotes(text, "de")
    assert only(quotes, "Meisterbrief").text == "Wir werden den Meisterbrief erhalten"
    assert only(quotes, "wandern").cue == "Laut"
