"""Quote extraction: quote marks, cues and speakers in en, fr, de, es, ru and uk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk.enrich.quotes import Quote, extract_quotes
from newsdesk.text.marks import find_quoted

NNBSP = "\u202f"

WIRE = (
    "Russian President Vladimir Putin met U.S. special envoy Steve Witkoff and Jared Kushner at the Kremlin "
    "on Tuesday for talks on a U.S.-drafted plan to end the war in Ukraine, the Kremlin said.\n"
    "Kremlin foreign policy aide Yuri Ushakov told reporters the meeting lasted about five hours and was "
    'productive. "Some American proposals are acceptable to Russia, while others are not," Ushakov said.\n'
    "Ushakov said the two sides also discussed prospects for economic cooperation.\n"
    'Trump, speaking at the White House, called the conflict "a mess that\'s not easy to settle".\n'
)

PRESSE = (
    "Vladimir Poutine a reçu mardi soir au Kremlin l'émissaire américain Steve Witkoff et Jared Kushner.\n"
    "Selon le conseiller diplomatique du Kremlin, Iouri Ouchakov, les discussions ont duré près de cinq "
    f"heures. «{NNBSP}Certaines propositions américaines sont acceptables pour la Russie, d'autres "
    f"non{NNBSP}», a-t-il déclaré à la presse.\n"
    "La question des territoires reste le principal point de blocage. « Les questions territoriales ont été "
    "discutées concrètement ; sans elles, nous ne voyons pas de règlement de la crise », a ajouté Iouri "
    "Ouchakov.\n"
)


def one(quotes: list[Quote], fragment: str) -> Quote:
    """The single quote whose text contains ``fragment``."""
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, f"{fragment!r} in {[q.text for q in quotes]}"
    return found[0]


def test_offsets_point_at_the_content() -> None:
    for text, lang in ((WIRE, "en"), (PRESSE, "fr")):
        quotes = extract_quotes(text, lang)
        assert quotes
        for q in quotes:
            assert text[q.start : q.end] == q.text
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(text)


def test_english_seed_story() -> None:
    quotes = extract_quotes(WIRE, "en")
    direct = one(quotes, "Some American proposals are acceptable")
    assert direct.text == "Some American proposals are acceptable to Russia, while others are not"
    assert direct.direct and direct.cue == "said"
    assert direct.speaker == "Yuri Ushakov"
    assert WIRE[direct.speaker_start : direct.speaker_end] == "Ushakov"

    told = one(quotes, "the meeting lasted")
    assert told.speaker == "Yuri Ushakov" and told.cue == "told" and not told.direct
    assert told.text.startswith("the meeting lasted about five hours")

    reported = one(quotes, "two sides")
    assert reported.text == "the two sides also discussed prospects for economic cooperation"
    assert reported.speaker == "Yuri Ushakov"

    kremlin = one(quotes, "Vladimir Putin met")
    assert kremlin.speaker == "Kremlin" and kremlin.cue == "said"

    mess = one(quotes, "mess")
    assert mess.text == "a mess that's not easy to settle"
    assert mess.direct and mess.cue == "called" and mess.speaker == "Trump"


def test_called_the_situation_a_mess() -> None:
    text = 'President Trump called the situation a "mess that\'s not easy to settle", which is telling.'
    (quote,) = extract_quotes(text, "en")
    assert quote.text == "mess that's not easy to settle"
    assert quote.speaker == "Trump" and quote.cue == "called" and quote.direct


def test_french_seed_story_with_narrow_spaces() -> None:
    quotes = extract_quotes(PRESSE, "fr")
    selon = one(quotes, "les discussions")
    assert selon.cue == "Selon"
    assert selon.speaker == "Iouri Ouchakov"
    assert selon.text == "les discussions ont duré près de cinq heures"

    pronoun = one(quotes, "Certaines propositions")
    assert pronoun.text == "Certaines propositions américaines sont acceptables pour la Russie, d'autres non"
    assert pronoun.direct and pronoun.cue == "a-t-il déclaré"
    assert pronoun.speaker == "Iouri Ouchakov"
    assert PRESSE[pronoun.speaker_start : pronoun.speaker_end] == "il"

    named = one(quotes, "questions territoriales")
    assert named.cue == "a ajouté" and named.speaker == "Iouri Ouchakov"
    assert PRESSE[named.speaker_start : named.speaker_end] == "Iouri Ouchakov"


def test_english_pronoun_and_role_noun_resolution() -> None:
    text = (
        "Kremlin aide Yuri Ushakov met the envoys on Tuesday. Later, Senator Jane Smith spoke to voters.\n"
        '"We will not give up," she said.\n'
        "The Kremlin aide said the talks would continue.\n"
        "He added that a summit was possible."
    )
    quotes = extract_quotes(text, "en")
    assert one(quotes, "give up").speaker == "Jane Smith"
    role = one(quotes, "talks would continue")
    assert role.speaker == "Yuri Ushakov"
    assert text[role.speaker_start : role.speaker_end] == "The Kremlin aide"
    assert one(quotes, "summit").speaker == "Yuri Ushakov"


def test_inverted_english_cue_and_appositive_subject() -> None:
    text = (
        '"The race will be tight," said Dan Gerstein, an analyst in New York.\n'
        "Ann Compton, who covered the White House for ABC News, said the photo line mattered."
    )
    quotes = extract_quotes(text, "en")
    assert one(quotes, "race will be tight").speaker == "Dan Gerstein"
    compton = one(quotes, "photo line")
    assert compton.speaker == "Ann Compton" and compton.text == "the photo line mattered"


def test_according_to_and_content_before_cue() -> None:
    text = "Turnout will be high, according to Maria Lopez. The vote is close, officials said on Tuesday."
    quotes = extract_quotes(text, "en")
    assert one(quotes, "Turnout").speaker == "Maria Lopez"
    assert one(quotes, "Turnout").text == "Turnout will be high"
    officials = one(quotes, "vote is close")
    assert officials.text == "The vote is close" and officials.speaker == "officials"


def test_split_quote_and_continued_paragraph() -> None:
    text = (
        'The mayor spoke last. "Trump says he is with workers," Richard Trumka said in March, '
        '"but it is hot air."\n'
        '"We will keep fighting for every job in this state."'
    )
    quotes = extract_quotes(text, "en")
    assert [q.speaker for q in quotes] == ["Richard Trumka"] * 3
    assert quotes[1].text == "but it is hot air."
    assert quotes[2].text == "We will keep fighting for every job in this state."
    assert all(q.direct for q in quotes)


def test_scare_quotes_and_apostrophes_are_not_quotes() -> None:
    text = (
        "The soldiers in \"training\" stayed in the country's north. It's the Joneses' house, and "
        "'80s music played."
    )
    assert extract_quotes(text, "en") == []


def test_german_low_high_quotes_and_laut() -> None:
    text = (
        "Bundeskanzler Olaf Scholz sprach in Berlin. „Wir stehen an der Seite der Ukraine“, sagte Scholz.\n"
        "Laut Scholz ist die Lage ernst. »Das schaffen wir«, sagte er."
    )
    quotes = extract_quotes(text, "de")
    quote = one(quotes, "Seite der Ukraine")
    assert quote.text == "Wir stehen an der Seite der Ukraine" and quote.direct
    assert quote.speaker == "Olaf Scholz" and quote.cue == "sagte"
    assert one(quotes, "Lage ernst").speaker == "Olaf Scholz"
    chevrons = one(quotes, "Das schaffen wir")
    assert chevrons.speaker == "Olaf Scholz" and chevrons.cue == "sagte er"


def test_german_role_compounds_so_and_a_quotation_before_its_cue() -> None:
    text = (
        "Die Gespräche mit Steve Witkoff dauerten fünf Stunden. „Einige amerikanische Vorschläge sind "
        "akzeptabel“, sagte der Kremlberater Juri Uschakow am Mittwoch in Moskau.\n"
        "„Die Gespräche waren nützlich“, so der russische Präsident Wladimir Putin.\n"
        "Russland sei zu weiteren Treffen bereit, so Außenministerin Maria Sacharowa.\n"
        "„Wir warten ab“, sagte Rjabkow am Abend. „Es gibt keinen Zeitplan“, sagte er."
    )
    quotes = extract_quotes(text, "de")
    proposals = one(quotes, "Vorschläge")
    # the quotation is the content, never the speaker; the role compound is not part of the name
    assert proposals.text == "Einige amerikanische Vorschläge sind akzeptabel" and proposals.direct
    assert proposals.speaker == "Juri Uschakow"
    assert text[proposals.speaker_start : proposals.speaker_end] == "Juri Uschakow"
    useful = one(quotes, "nützlich")
    assert (useful.speaker, useful.cue, useful.direct) == ("Wladimir Putin", "so", True)
    reported = one(quotes, "Treffen bereit")
    assert reported.speaker == "Maria Sacharowa" and not reported.direct
    # a surname the recogniser cannot tell from a noun: cut before "am Abend", and "er" goes to it
    assert one(quotes, "Wir warten ab").speaker == "Rjabkow"
    assert one(quotes, "keinen Zeitplan").speaker == "Rjabkow"
    # "so" is a cue only after a comma and before a name or an article
    assert extract_quotes("Er kam so spät, so dass nichts mehr ging. Das ist so.", "de") == []


def test_spanish_segun_dijo_and_dialogue_dash() -> None:
    text = (
        "«La economía crecerá este año», dijo el ministro Carlos Cuerpo. Según Cuerpo, la inflación bajará.\n"
        "— No vamos a ceder — dijo Cuerpo."
    )
    quotes = extract_quotes(text, "es")
    assert one(quotes, "economía").speaker == "Carlos Cuerpo"
    segun = one(quotes, "inflación")
    assert segun.cue == "Según" and segun.text == "la inflación bajará" and not segun.direct
    dash = one(quotes, "ceder")
    assert dash.text == "No vamos a ceder" and dash.direct and dash.speaker == "Carlos Cuerpo"


def test_russian_po_slovam_and_dash_after_quote() -> None:
    text = (
        "По словам Юрия Ушакова, переговоры длились пять часов. "
        "«Некоторые американские предложения приемлемы», — заявил Ушаков.\n"
        "— Мы готовы к диалогу, — сказал он."
    )
    quotes = extract_quotes(text, "ru")
    po_slovam = one(quotes, "переговоры")
    assert po_slovam.cue == "По словам" and po_slovam.text == "переговоры длились пять часов"
    assert po_slovam.speaker == "Ушаков"
    assert one(quotes, "предложения").speaker == "Ушаков"
    dash = one(quotes, "диалогу")
    assert dash.text == "Мы готовы к диалогу" and dash.direct and dash.speaker == "Ушаков"


def test_ukrainian_za_slovamy_and_zayavyv() -> None:
    text = (
        "За словами Володимира Зеленського, Україна готова до переговорів. "
        "Міністр закордонних справ Андрій Сибіга заявив, що позиція України незмінна."
    )
    quotes = extract_quotes(text, "uk")
    assert one(quotes, "готова").cue == "За словами"
    sybiha = one(quotes, "позиція")
    assert sybiha.speaker == "Андрій Сибіга" and sybiha.text == "позиція України незмінна"


def test_quote_marks_conventions() -> None:
    cases = {
        f"Il a dit : «{NNBSP}oui{NNBSP}» hier.": "oui",
        "Er sagte: „Das ist gut.“ Dann ging er.": "Das ist gut.",
        "Sie sagte ‹ja› und ging.": "ja",
        "She said ‘we are ready’ and left.": "we are ready",
        "He said ''the end'' twice.": "the end",
        "He wrote “no comment” again.": "no comment",
    }
    for text, inner in cases.items():
        quoted = find_quoted(text)
        assert [text[q.start : q.end] for q in quoted] == [inner], text


@dataclass
class Entity:
    start: int
    end: int
    label: str


def test_entities_are_preferred_to_the_heuristic() -> None:
    text = "Acme Widgets chief Zed said prices would rise."
    start = text.index("Zed")
    (quote,) = extract_quotes(text, "en", entities=[Entity(start, start + 3, "PERSON")])
    assert quote.speaker == "Zed" and quote.text == "prices would rise"
    (without,) = extract_quotes(text, "en")
    assert without.speaker != "Zed"
    as_dicts = [{"start": 0, "end": 12, "type": "ORG"}, {"start": start, "end": start + 3, "type": "PERSON"}]
    assert extract_quotes(text, "en", entities=as_dicts)[0].speaker == "Zed"
    assert extract_quotes(text, "en", entities=[(start, start + 3)])[0].speaker == "Zed"
    assert extract_quotes(text, "en", entities=[(start, start + 3, "GPE")])[0].speaker != "Zed"


def test_entity_base_forms_name_the_speaker() -> None:
    text = "По словам Юрия Ушакова, переговоры длились пять часов."
    start = text.index("Юрия")
    entity = {"start": start, "end": start + len("Юрия Ушакова"), "type": "PERSON", "lemma": "Юрий Ушаков"}
    (quote,) = extract_quotes(text, "ru", entities=[entity])
    assert quote.speaker == "Юрий Ушаков"
    assert text[quote.speaker_start : quote.speaker_end] == "Юрия Ушакова"


def test_unknown_language_and_empty_text() -> None:
    assert extract_quotes("", None) == []
    quotes = extract_quotes("«Nous sommes prêts», a déclaré Marie Dupont.", None)
    assert quotes and quotes[0].speaker == "Marie Dupont"


def test_seed_site_pages(seed_site: Path) -> None:
    import trafilatura

    page = seed_site / "infobrics" / "post" / "45316.html"
    text = trafilatura.extract(page.read_text(encoding="utf-8")) or ""
    quotes = extract_quotes(text, "en")
    mess = [q for q in quotes if q.text == "mess that's not easy to settle"]
    assert mess and all(q.speaker == "Trump" for q in mess)
    ushakov = one(quotes, "Territorial issues were discussed specifically")
    assert ushakov.speaker == "Yury Ushakov"


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ru", "uk", "pt", None])
def test_every_language_runs_on_every_text(lang: str | None) -> None:
    for text in (WIRE, PRESSE):
        for q in extract_quotes(text, lang):
            assert text[q.start : q.end] == q.text


def test_a_name_the_recogniser_missed_still_takes_the_pronoun() -> None:
    text = (
        "Maggie Colquhoun addressed strikers from a truck. “We will not be automated out of a living,” "
        "she said. The Port Authority has offered 4.5 per cent. Lorna Fairweather, who runs a café "
        "opposite the gates, said she had been serving tea since five. “They're my regulars,” she said."
    )
    maggie = text.index("Maggie Colquhoun")
    authority = text.index("Port Authority")
    lorna = text.index("Lorna Fairweather")
    entities = [
        {"start": maggie, "end": maggie + 16, "type": "PERSON"},
        {"start": authority, "end": authority + 14, "type": "ORG"},
        # past the model's window the fallback only knows it is a name
        {"start": lorna, "end": lorna + 17, "type": "OTHER"},
    ]
    quotes = {q.text: q.speaker for q in extract_quotes(text, "en", entities=entities)}
    assert quotes["We will not be automated out of a living"] == "Maggie Colquhoun"
    assert quotes["They're my regulars"] == "Lorna Fairweather"
