"""Cue lexicons per language: reporting verbs, "according to" markers, complementisers.

Each language gives:

- ``verbs``: finite forms of reporting verbs (said, a déclaré, sagte, dijo, заявил…), matched as whole
  words; French compound forms take their auxiliary, with or without an inverted pronoun
  ("a-t-il déclaré");
- ``inverted``: forms that carry their subject pronoun ("a-t-il déclaré", "sagte er", "dit-elle");
- ``participles``: clause-linking forms whose speaker is the sentence's ("adding", "ajoutant", "добавив");
- ``preps``: markers placed before the source ("according to", "selon", "laut", "según", "по словам");
- ``complementisers`` stripped from the start of reported content ("that", "que", "dass", "что");
- ``pronouns`` that can be a speaker, and ``auxiliaries``/adverbs allowed between subject and verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.text.patterns import trie_alternation

LANGUAGES = ("en", "fr", "de", "es", "ru", "uk")


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


_EN_VERBS = """
say says said saying | tell tells told telling | add adds added adding | state states stated stating
declare declares declared | announce announces announced announcing | explain explains explained explaining
note notes noted noting | argue argues argued arguing | claim claims claimed claiming
insist insists insisted insisting | warn warns warned warning | assert asserts asserted asserting
contend contends contended | acknowledge acknowledges acknowledged acknowledging
admit admits admitted admitting | concede concedes conceded conceding | confirm confirms confirmed
deny denies denied denying | reply replies replied replying | respond responds responded responding
retort retorted | counter countered | remark remarked | observe observes observed
comment comments commented commenting | stress stresses stressed stressing
emphasize emphasizes emphasized emphasizing emphasise emphasised | write writes wrote writing
tweet tweets tweeted tweeting | report reports reported | reveal reveals revealed
predict predicts predicted predicting | suggest suggests suggested suggesting
recall recalls recalled recalling
testify testifies testified testifying | allege alleges alleged alleging | maintain maintains maintained
complain complains complained complaining | joke jokes joked joking | quip quips quipped
vow vows vowed vowing | promise promises promised promising | pledge pledges pledged
urge urges urged urging | ask asks asked asking | caution cautions cautioned
conclude concludes concluded concluding | mention mentions mentioned mentioning
indicate indicates indicated indicating | boast boasts boasted boasting | brag brags bragged
tout touts touted touting | charge charges charged | accuse accuses accused accusing
blast blasts blasted blasting | slam slams slammed slamming | criticize criticizes criticized criticizing
criticise criticised | praise praises praised praising | echo echoes echoed echoing
repeat repeats repeated repeating | reiterate reiterates reiterated reiterating
describe describes described describing | call calls called calling | dub dubbed | label labeled labelled
believe believes believed believing | think thinks thought | feel feels felt | hope hopes hoped
fear fears feared | worry worries worried | expect expects expected | estimate estimates estimated
show shows showed shown | find finds found | agree agrees agreed | disagree disagreed
announce announced | posted | shouted | yelled | wondered | demanded | questioned | scoffed | lamented
acknowledged | speculated | theorized | hinted | signaled signalled | mocked | ridiculed | attacked
defended | endorsed | rejected | dismissed | decried | condemned | denounced | applauded | welcomed
blamed | lashed | railed | fumed | told | informed | assured | reminded | advised | cited | citing
""".replace("|", " ")

_EN_HOMOGRAPHS = wordset(
    """state states tweet tweets note notes comment comments charge charges call calls report reports
    praise fear fears show shows claim claims estimate estimates promise echo echoes label blast slam
    find finds hope hopes worry"""
)
_EN_STRONG = wordset(
    """say says said saying tell tells told telling add adds added adding state states stated
    declare declares declared announce announces announced explain explains explained note notes noted
    argue argues argued claim claims claimed insist insists insisted warn warns warned assert asserted
    acknowledge acknowledged admit admitted concede conceded confirm confirmed deny denied reply replied
    respond responded write writes wrote tweet tweeted predict predicted suggest suggested recall recalled
    testify testified allege alleged complain complained joke joked quip quipped vow vowed stress stressed
    emphasize emphasized emphasise emphasised contend contended maintain maintained remark remarked
    observe observed comment commented reiterate reiterated repeat repeated echo echoed"""
)

_FR_PARTICIPLES = (
    "déclaré dit affirmé ajouté expliqué indiqué précisé souligné estimé assuré annoncé averti confié "
    "rappelé insisté martelé répondu réagi lancé jugé reconnu admis confirmé démenti nié prévenu "
    "écrit raconté répété regretté dénoncé promis déploré signalé noté observé commenté tweeté "
    "argué soutenu qualifié fait valoir fait savoir ironisé justifié témoigné souri lâché tranché résumé "
    "plaidé protesté détaillé poursuivi conclu glissé relevé avancé réclamé demandé fustigé critiqué salué "
    "soupiré soufflé analysé prévenu alerté concédé garanti nuancé"
)
_FR_PRESENT = (
    "déclare dit affirme ajoute explique indique précise souligne estime assure annonce avertit confie "
    "rappelle insiste martèle répond réagit lance juge reconnaît admet confirme dément nie prévient "
    "écrit raconte répète regrette dénonce promet déplore signale note observe commente tweete soutient "
    "qualifie déclarait disait affirmait ajoutait expliquait indiquait estimait assurait "
    "ironise justifie témoigne sourit lâche tranche résume plaide proteste détaille poursuit conclut "
    "glisse relève avance fustige critique salue soupire souffle analyse alarme inquiète "
    "insurge indigne félicite réjouit alerte concède nuance"
)
# The plural ("jugent") and the imperfect ("expliquait", "racontait": feature writing's reporting
# tense) of the present forms.
_FR_PRESENT += " " + " ".join(w + "nt" for w in _FR_PRESENT.split() if w.endswith("e"))
_FR_PRESENT += " " + " ".join(
    w[:-2] + "çait" if w.endswith("ce") else w[:-1] + ("eait" if w.endswith("ge") else "ait")
    for w in _FR_PRESENT.split()
    if w.endswith("e")
)
_DE_VERBS = (
    "sagte|sagten|sagt|sagen|erklärte|erklärten|erklärt|betonte|betonten|betont|fügte hinzu|fügt hinzu|"
    "meinte|meint|teilte mit|teilt mit|kündigte an|kündigt an|warnte|warnt|versicherte|versichert|"
    "bekräftigte|bekräftigt|räumte ein|räumt ein|berichtete|berichtet|schrieb|schreibt|"
    "forderte|fordert|kritisierte|kritisiert|unterstrich|unterstreicht|behauptete|behauptet|"
    "bestätigte|bestätigt|dementierte|antwortete|antwortet|ergänzte|ergänzt|erläuterte|erläutert|"
    "argumentierte|zeigte sich"
)
# German reporting, opinion and perception verbs (speech in a parliament or an interview is mostly in
# the first and second person: "Ich glaube, …", "Sie behaupten, …"). Weak verbs by stem; "|" marks a
# separable particle ("fest|stell": "feststellen", "festgestellt", "stelle … fest").
_DE_WEAK = wordset(
    """sag glaub mein frag hoff wünsch zeig zitier kritisier vermut befürcht bezweifel erinner
forder behaupt beton erklär erwähn bestätig bekräftig bericht antwort ergänz erläuter versicher
beteuer warn mahn appellier plädier argumentier beklag bemängel fürcht erwart beobacht konstatier
registrier erzähl schilder formulier beantrag verlang unterstell befürwort überzeug laut besag freu
wunder prognostizier ermutig bedauer begrüß lern merk spür verkünd äußer entgegn erwider
vor|stell deutlich|mach mit|teil fest|stell klar|stell klar|mach ein|räum an|kündig ab|lehn zu|stimm
dar|stell hin|deut an|merk hinzu|füg dar|leg begründ vermittel auf|forder zusammen|fass"""
)
_DE_STRONG = """weiß weißt wissen wisst wusste wussten gewusst wüsste wüssten
sehe siehst sieht sehen seht sah sahen gesehen | finde findest findet finden fand fanden gefunden
lese liest lesen las lasen gelesen | schreibe schreibst schreibt schreiben schrieb schrieben geschrieben
verstehe verstehst versteht verstehen verstand verstanden | erkenne erkennst erkennt erkennen erkannte
erkannten erkannt | denke denkst denkt denken dachte dachten gedacht | nenne nennst nennt nennen nannte
nannten genannt | heißt hieß | steht stand | entscheide entscheidet entscheiden entschied entschieden
beschließe beschließt beschließen beschloss beschlossen | verspreche versprichst verspricht versprechen
versprach versprachen versprochen | beschreibe beschreibt beschreiben beschrieb beschrieben
unterstreiche unterstreicht unterstreichen unterstrich unterstrichen | bestreite bestreitet bestreiten
bestritt bestritten | höre hörst hört hören hörte hörten | spreche sprichst spricht sprechen sprach
sprachen gesprochen | empfehle empfiehlt empfehlen empfahl empfohlen | bitte bitten bat baten
gebeten | halte hältst hält halten haltet hielt hielten""".replace("|", " ")
# Nouns and predicative adjectives that take a "dass"/"ob" clause or a colon: "die Frage, ob …",
# "der Eindruck, dass …", "Ich bin überzeugt, dass …", "Wir sind uns einig, dass …".
_DE_NOUNS = """Frage Fragen Eindruck Hoffnung Gefühl Meinung Auffassung Ansicht Überzeugung Forderung
Botschaft Antwort Behauptung Vorwurf Aussage Erwartung Sorge Befürchtung Vorschlag Erkenntnis Feststellung
Position Haltung Devise Motto Bitte Appell Zusage Versprechen Ankündigung Warnung Zweifel Vermutung Annahme
bekannt einig dankbar froh sicher überzeugt bewusst"""
_DE_POSSESSIVE = r"(?:meiner|meines|unserer|unseres|Ihrer|Ihres|seiner|seines|ihrer|ihres)"
# What follows "Für" when it opens a point of view: the holder, up to a few words, a finite verb.
_DE_FOR_VIEW = (
    r"(?:\s+(?:als|in)\s[^,.!?:;]{0,30}?)?\s+(?:ist|sind|geht|gehört|steht|stehen|bleibt|gilt)\s"
    r"|\s+(?:die|den|das)\s+(?-i:[A-ZÄÖÜ])[^,.!?:;]{0,40}?\s(?:ist|sind|geht|gehört|steht|stehen|bleibt|gilt)\s"
)
_DE_SEPARABLE_STRONG = {
    "hin": ("weise weist weisen wies wiesen", "hinweisen hinzuweisen hingewiesen"),
    "vor": ("schlage schlägt schlagen schlug schlugen", "vorschlagen vorzuschlagen vorgeschlagen"),
    "zu": ("gebe gibt geben gab gaben", "zugeben zuzugeben zugegeben"),
    "an": ("nehme nimmt nehmen nahm nahmen", "annehmen anzunehmen angenommen"),
    "aus": ("gehe geht gehen ging gingen", ""),  # "Ich gehe davon aus, dass …"
}
_INSEPARABLE = ("be", "er", "ver", "ent", "emp", "zer", "ge", "miss", "über", "unter")


def _de_weak_forms(stem: str) -> list[str]:
    """Present, past, infinitive and participle of a weak verb stem ("sag" → sage, sagt… gesagt)."""
    e = "e" if stem.endswith(("t", "d")) else ""
    infinitive = stem + ("n" if stem.endswith(("er", "el")) and not stem.endswith("ier") else "en")
    first = stem[:-2] + "le" if stem.endswith("el") else stem + "e"
    participle = stem + e + "t"
    if not (stem.startswith(_INSEPARABLE) or stem.endswith("ier")):
        participle = "ge" + participle
    return [first, stem + e + "st", stem + e + "t", infinitive, stem + e + "te", stem + e + "ten", participle]


def _de_verbs() -> str:
    """The alternation of German cue forms: finite, infinitive, participle, separable verbs split."""
    plain: list[str] = list(_DE_STRONG.split())
    split: list[tuple[str, str]] = []
    for entry in sorted(_DE_WEAK):
        particle, _, stem = entry.rpartition("|")
        forms = _de_weak_forms(stem)
        if not particle:
            plain += forms
            continue
        split += [(f, particle) for f in forms[:-2] if f != forms[3]]
        plain += [particle + forms[3], particle + "zu" + forms[3], particle + forms[-1]]
    for particle, (finite, other) in _DE_SEPARABLE_STRONG.items():
        split += [(f, particle) for f in finite.split()]
        plain += other.split()
    alternatives = [trie_alternation(set(plain))]
    # "stelle … fest": the finite form, a few words, the particle closing the clause
    for particle in sorted({p for _, p in split}):
        bases = trie_alternation({f for f, p in split if p == particle})
        alternatives.append(rf"(?:{bases})(?:\s+[^\s,.:;!?]+){{0,4}}?\s+{particle}(?=\s*[,:.])")
    return "|".join(alternatives)


_ES_VERBS = (
    "dijo dice dijeron dicen ha dicho afirmó afirma ha afirmado declaró declara ha declarado añadió "
    "añade agregó agrega explicó explica señaló señala indicó indica aseguró asegura advirtió advierte "
    "subrayó subraya destacó destaca manifestó manifiesta sostuvo sostiene reconoció reconoce "
    "anunció anuncia apuntó apunta precisó precisa insistió insiste recordó recuerda respondió responde "
    "escribió escribe comentó comenta denunció denuncia criticó critica confirmó confirma negó niega "
    "prometió promete aseveró expresó expresa consideró considera opinó estimó cree creen creía "
    "calcula calculó lamenta lamentó cuenta contó relata relató pide pidió reclama reclamó protestó "
    "avisa avisó proclamó replicó replica defendió defiende calificó califica celebró celebra recalcó "
    "recalca matizó matiza admitió admite concluyó resumió detalló detalla argumentó justificó "
    "contestó ironizó sentenció valoró valora decía explicaba aseguraba contaba relataba recordaba "
    "señalaba insistía lamentaba advertían advierten aseguran explican señalan consideran creen "
    "denunciaron afirmaron aseguraron explicaron señalaron indicaron recuerdan piden reclaman "
    "recomienda recomiendan recomendó"
)
_ES_PARTICIPLES = (
    "dicho afirmado declarado asegurado explicado señalado indicado advertido reconocido anunciado "
    "recordado subrayado destacado insistido pedido lamentado añadido criticado denunciado calificado "
    "defendido prometido manifestado precisado apuntado comentado reclamado"
)
_RU_VERBS = (
    "сказал сказала сказали заявил заявила заявили заявляет отметил отметила отметили подчеркнул "
    "подчеркнула добавил добавила добавили сообщил сообщила сообщили сообщает пояснил пояснила "
    "рассказал рассказала рассказали считает считают уточнил уточнила признал признала заверил "
    "заверила предупредил предупредила напомнил напомнила ответил ответила написал написала "
    "говорит говорят говорил говорила констатировал указал указала выразил добавляет отмечает "
    "подчеркивает подчёркивает полагает утверждает утверждал утверждала объяснил объяснила "
    "пообещал пообещала поделился поделилась возмущается подсчитал подсчитала назвал назвала "
    "призвал призвала потребовал потребовала предложил предложила возразил возразила пожаловался "
    "пожаловалась сетует жалуется вспоминает вспомнил вспомнила рассказывает объясняет поясняет "
    "уверяет признаётся признается предупреждает заметил заметила констатировала прокомментировал "
    "прокомментировала подтвердил подтвердила резюмировал резюмировала парировал парировала "
    "смеётся смеется улыбается вздыхает уверен уверена убеждён убеждена настаивает настаивал "
    "настаивала заявляют сообщают отмечают напоминают предупреждают объясняют поясняют уверяют "
    "признают подчеркнули пояснили рассказывают призналась признался признались делится поделились"
)
_UK_VERBS = (
    "сказав сказала сказали заявив заявила заявили заявляє зазначив зазначила зазначили наголосив "
    "наголосила додав додала додали повідомив повідомила повідомили повідомляє пояснив пояснила "
    "розповів розповіла розповіли вважає вважають уточнив уточнила визнав визнала запевнив "
    "запевнила попередив попередила нагадав нагадала відповів відповіла написав написала каже "
    "кажуть говорить говорив говорила підкреслив підкреслила констатував вказав вказала висловив "
    "додає зазначає наголошує стверджує стверджував стверджувала пообіцяв пообіцяла поділився "
    "поділилася обурюється бідкається скаржиться поскаржився поскаржилася підрахував підрахувала "
    "назвав назвала зауважив зауважила зауважує нагадують пояснюють зазначають наголошують "
    "застерігають попереджають попереджає розповідає пояснює визнає підтвердив підтвердила "
    "заперечив заперечила закликав закликала вимагає наполягає наполягав наполягала переконаний "
    "переконана висловився висловилася прокоментував прокоментувала заявляють повідомляють підсумував "
    "підсумувала застеріг застерегла запевняє усміхається сміється зітхає пригадує пригадав пригадала "
    "зізналася зізнався ділиться ділилася ділився"
)


@dataclass(frozen=True)
class Lexicon:
    """Compiled cue patterns for one language (or for all of them)."""

    verb: re.Pattern[str]
    inverted: re.Pattern[str]
    participle: re.Pattern[str]
    prep: re.Pattern[str]
    complementisers: frozenset[str]
    pronouns: frozenset[str]
    auxiliaries: frozenset[str]
    object_verbs: frozenset[str]
    strong: frozenset[str]
    # German word order and comma rules: reported clauses are found by german.py's clause rules.
    verb_second: bool = False
    # With ``verb_second``: the reporting verbs that also take a quotation or an inverted subject
    # ("„…“, sagte er"); the other German cues (opinion, perception) only introduce a clause.
    reporting: frozenset[str] = frozenset()
    # Nouns of speech and opinion that introduce a clause ("die Frage, ob …", "der Eindruck, dass …").
    noun: re.Pattern[str] | None = None
    # Verb forms that are more often nouns ("states", "a tweet", "the report"): cues only before "that"
    # or a colon ("The report states that …").
    homographs: frozenset[str] = frozenset()
    # Whether a paragraph opened by "Name: …" (transcripts, headlines) is Name's (see labels.py).
    labels: bool = False
    # The language code when the lexicon is one language's, else None.
    language: str | None = None


def _alternation(words: str) -> str:
    return trie_alternation({w.strip() for w in words.split("|") if w.strip()}, any_space=True)


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w]


def _word_alternation(text: str) -> str:
    return trie_alternation(set(_words(text)))


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


_FR_PRON = r"(?:il|elle|ils|elles|on)"
_FR_AUX = r"(?:a|ont|avait|avaient|aurait|auraient)"

_SOURCES: dict[str, dict[str, str]] = {
    "en": {
        # any past tense or participle before a "that" clause: "learned that", "ruled that", "convinced that"
        "verb": _word_alternation(_EN_VERBS) + r"|(?-i:[a-z]{3,}ed)(?=\s+that\s)",
        "inverted": r"(?:said|says|added|asked|wrote|explained|replied)\s+(?:he|she|they)"
        r"(?=\s*[,.;:!?]|\s*$)",
        "participle": r"saying|adding|noting|arguing|claiming|insisting|warning|explaining|calling|"
        r"telling|stressing|asking|citing|suggesting|acknowledging|admitting|recalling|"
        r"describing|predicting|referring\s+to|writing|tweeting|declaring|vowing|urging",
        "prep": r"according\s+to|as\s+(?:told|reported|quoted)\s+(?:to|by)|in\s+the\s+words\s+of|per",
    },
    "fr": {
        "verb": rf"{_FR_AUX}(?:-t-{_FR_PRON}|\s+(?:aussi|également|encore|ensuite|alors|notamment|"
        rf"déjà|toutefois|pourtant|cependant))?\s+(?:{_word_alternation(_FR_PARTICIPLES)})|"
        rf"{_word_alternation(_FR_PRESENT)}|"
        # "s'est dit « préoccupé »", "s'est félicitée de …"
        r"s['’](?:est|était)\s+(?:dite?|félicitée?|réjouie?|inquiétée?|alarmée?|insurgée?|engagée?)",
        "inverted": rf"(?:{_FR_AUX}-t-{_FR_PRON}\s+(?:{_word_alternation(_FR_PARTICIPLES)}))|"
        rf"(?:(?:{_word_alternation(_FR_PRESENT)})-(?:t-)?{_FR_PRON})",
        "participle": r"ajoutant|expliquant|estimant|soulignant|affirmant|assurant|précisant|"
        r"rappelant|indiquant|déclarant|avertissant|jugeant|dénonçant|évoquant",
        "prep": r"selon|d['’]après|de\s+l['’]avis\s+de|aux\s+dires\s+de|pour\s+reprendre\s+les\s+mots\s+de|"
        # "Pour la CGT, …", "Pour ce spécialiste, …": only before a source (quotes/referents.py)
        r"(?-i:Pour)",
    },
    "de": {
        "verb": _alternation(_DE_VERBS) + "|" + _de_verbs(),
        "inverted": r"(?:sagte|erklärte|betonte|fügte|meinte|schrieb|warnte|ergänzte|sagt|erklärt|"
        r"betont|meint|so)\s+(?:er|sie)|"
        # "…, hieß es (in Regierungskreisen)": a report with no one named
        r"(?<=,\s)(?:hieß|heißt)\s+es",
        "participle": r"(?!x)x",
        "prep": r"laut|nach\s+Angaben\s+(?:von|des|der)|nach\s+Worten\s+(?:von|des|der)|"
        r"wie\s+(?:er|sie)?\s*(?:sagte|erklärte|betonte)|"
        # "dem Bericht zufolge": the source stands before the marker
        r"(?<=\s)zufolge|"
        # a point of view: "aus Sicht der Regierung", "aus meiner Sicht", "meines Erachtens"
        rf"aus\s+(?:{_DE_POSSESSIVE}\s+)?Sicht|{_DE_POSSESSIVE}\s+Erachtens|"
        rf"{_DE_POSSESSIVE}\s+(?:Meinung|Ansicht|Auffassung|Überzeugung)\s+nach|"
        r"nach\s+(?:Meinung|Ansicht|Auffassung|Einschätzung)\s+(?:von|des|der)|"
        # a point of view opening a sentence: "Für uns ist klar: …", "Für die Bundesregierung ist …"
        rf"(?:(?<=[.!?:]\s)|(?<=^))(?-i:Für)(?:\s+(?:mich|uns))?(?={_DE_FOR_VIEW})|"
        # "„…“, so der Präsident" / "…, so Lawrow": "so" after a comma, before a name or an article
        r"(?<=,\s)so(?=\s+(?:der|die|ein|eine|(?-i:[A-ZÄÖÜ])))",
    },
    "es": {
        "verb": _word_alternation(
            _ES_VERBS.replace("ha dicho", "").replace("ha afirmado", "").replace("ha declarado", "")
        )
        + rf"|(?:ha|han|había|habían)\s+(?:{_word_alternation(_ES_PARTICIPLES)})",
        "inverted": r"(?!x)x",
        "participle": r"añadiendo|agregando|asegurando|explicando|señalando|afirmando|indicando|"
        r"subrayando|advirtiendo|recordando|reconociendo|destacando|insistiendo|lamentando|precisando",
        "prep": r"según|de\s+acuerdo\s+con|en\s+palabras\s+de|a\s+juicio\s+de|para",
    },
    "ru": {
        "verb": _word_alternation(_RU_VERBS),
        "inverted": r"(?!x)x",
        "participle": r"добавив|отметив|подчеркнув|заявив|пояснив|уточнив|напомнив|указав|сказав|"
        r"признав|заверив|объяснив|рассказав|пообещав",
        # "по её словам": the possessive is the source (quotes/referents.py)
        "prep": r"по\s+(?:(?:его|её|ее|их)\s+)?(?:словам|мнению)|по\s+данным|по\s+информации|"
        r"как\s+(?:сообщил|сообщила|заявил|заявила|отметил|отметила|сказал|сказала|пишет|сообщает|"
        r"рассказал|рассказала|пояснил|пояснила|подчеркнул|подчеркнула|уточнил|уточнила|считает)",
    },
    "uk": {
        "verb": _word_alternation(_UK_VERBS),
        "inverted": r"(?!x)x",
        "participle": r"додавши|зазначивши|наголосивши|заявивши|пояснивши|уточнивши|нагадавши|"
        r"вказавши|сказавши|підкресливши|запевнивши|визнавши|розповівши|пообіцявши",
        # "за її словами": the possessive is the source (quotes/referents.py)
        "prep": r"за\s+(?:(?:його|її|їхніми)\s+)?словами|на\s+(?:(?:його|її|їхню)\s+)?думку|за\s+даними|"
        r"за\s+інформацією|як\s+(?:повідомив|повідомила|заявив|заявила|зазначив|зазначила|сказав|"
        r"сказала|пише|повідомляє|розповів|розповіла|пояснив|пояснила|наголосив|наголосила|вважає)",
    },
}

_COMPLEMENTISERS = {
    "en": "that",
    "fr": "que qu",
    "de": "dass daß",
    "es": "que",
    "ru": "что чтобы",
    "uk": "що щоб",
}
_PRONOUNS = {
    "en": "he she they i we it",
    "fr": "il elle ils elles on je nous lui",
    "de": "er sie ich wir es",
    "es": "él ella ellos ellas yo nosotros",
    "ru": "он она они я мы",
    "uk": "він вона вони я ми",
}
_AUXILIARIES = {
    "en": """has have had also later previously once then would will could might may did does do is was
    were are been being repeatedly recently publicly privately reportedly further again often still already
    even just never not only has n't first initially ultimately subsequently frequently separately""",
    "fr": "a ont avait aussi également encore ensuite alors notamment déjà lui leur toutefois pourtant "
    "cependant aussitôt",
    "de": "hat haben hatte auch zudem außerdem noch bereits ebenfalls",
    "es": "ha han había también además ya luego",
    "ru": "также тоже ранее уже еще ещё затем потом скромно коротко твёрдо твердо уверенно осторожно "
    "откровенно честно прямо жёстко жестко сухо спокойно тихо эмоционально",
    "uk": "також теж раніше вже ще потім скромно коротко твердо впевнено обережно відверто чесно прямо "
    "жорстко сухо спокійно тихо емоційно",
}
_OBJECT_VERBS = {
    "en": "tell tells told telling ask asks asked asking urge urged warn warned assure assured remind "
    "reminded inform informed advise advised",
    "fr": "",
    "de": "",
    "es": "",
    "ru": "",
    "uk": "",
}


@lru_cache(maxsize=16)
def lexicon(language: str | None) -> Lexicon:
    """The compiled lexicon of ``language`` ("en", "fr"…); the union of all for ``None`` or others."""
    langs = (language,) if language in _SOURCES else LANGUAGES

    def union(key: str) -> str:
        return "|".join(f"(?:{_SOURCES[lang][key]})" for lang in langs)

    def words(table: dict[str, str]) -> frozenset[str]:
        return frozenset(w.lower() for lang in langs for w in table[lang].split())

    return Lexicon(
        verb=_compile(union("verb")),
        inverted=_compile(union("inverted")),
        participle=_compile(union("participle")),
        prep=_compile(union("prep")),
        complementisers=words(_COMPLEMENTISERS),
        pronouns=words(_PRONOUNS),
        auxiliaries=words(_AUXILIARIES),
        object_verbs=words(_OBJECT_VERBS),
        strong=_EN_STRONG if "en" in langs else frozenset(),
        homographs=_EN_HOMOGRAPHS if langs == ("en",) else frozenset(),
        labels=langs in {("en",), ("de",)},
        verb_second=langs == ("de",),
        language=language if language in _SOURCES else None,
        reporting=frozenset(form.split()[0].lower() for form in _DE_VERBS.split("|")),
        noun=re.compile(rf"(?<![\w-])(?:{_word_alternation(_DE_NOUNS)})(?![\w-])")
        if langs == ("de",)
        else None,
    )
