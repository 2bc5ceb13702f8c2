"""German reported speech by clause structure: the clause a cue introduces, and the cue's subject.

German reports speech and opinion mostly without quote marks: "Der Minister hat gesagt, dass …",
"Ich glaube, das ist falsch", "Wir wissen alle: …". The cue verb (finite, infinitive or participle) is
followed, after at most a few words ("sage Ihnen", "gehe davon aus"), by a comma or a colon that opens
the reported clause: a complementiser or question word ("dass", "ob", "wie", "was") or a verb-second
clause ("das ist falsch"). A vocative ("liebe Kolleginnen und Kollegen,") is skipped. The subject is a
nominative pronoun of the cue's clause, before the verb or right after it ("Deswegen möchte ich
betonen", "wissen wir alle"), else a name, else the clause's opening noun phrase ("Der Minister hat").
"""

from __future__ import annotations

import re

from newsdesk.enrich.quotes.cues import wordset

# Nominative pronouns that can be a cue's subject ("es" is left out: "es heißt" has no speaker).
SUBJECT_PRONOUNS = wordset("ich du er sie wir ihr man")
# Pronouns whose speaker the text does not name: the writer or the audience.
UNRESOLVED = wordset("ich du wir ihr man")
_COMPLEMENT = wordset(
    """dass daß ob wie was wer wen wem wessen wo warum weshalb weswegen wieso wann welche welcher welches
    welchen welchem inwiefern inwieweit woher wohin wozu womit worauf wodurch worüber wofür wenn"""
)
# Words that open a clause joined to the cue's own, not a reported one.
_NOT_REPORTED = wordset(
    """und oder aber sondern denn weil obwohl nachdem bevor damit sodass um ohne statt anstatt sowie bzw
    zumal falls sofern indem während als bis seit sobald solange dann also nämlich"""
)
# Finite verbs and auxiliaries that open a main clause after a fronted subordinate clause, never a
# reported one.
_FINITE = wordset(
    """ist sind war waren wird werden wurde wurden hat haben hatte hatten kann können konnte konnten
    muss müssen musste mussten soll sollen sollte sollten will wollen wollte wollten darf dürfen
    möchte möchten würde würden wäre wären gibt gab geht ging"""
)
_JOINING = wordset("und oder aber sondern denn weil obwohl nachdem damit sodass")
_VOCATIVE = wordset(
    "liebe lieber liebes meine sehr verehrte verehrten verehrter werte werter geehrte geehrter herr frau"
)
_POSSESSIVES = wordset("meine meinen")  # forms of "meinen" (to mean) that are also "my"
_POINT_OF_VIEW = re.compile(
    r"\b(?:meiner|meines|unserer|unseres|Ihrer|Ihres|seiner|seines|ihrer|ihres)\b|(?<=Für )(?:mich|uns)\b"
)
_PREPOSITIONS = wordset(
    """mit für von zu bei nach aus gegen ohne um durch an auf in über unter vor hinter neben zwischen
    gegenüber laut wegen trotz"""
)
_POSSESSIVE_FORMS = wordset("unserem unseren ihrem ihren meinem meinen diesem diesen einem")
_DETERMINERS = wordset(
    """der die das den dem des ein eine einen einem einer eines unser unsere unserer unseren mein meine
    dein ihr ihre sein seine dieser diese dieses jeder jede alle viele manche einige beide"""
)
_SOURCE_LINKS = wordset("für von vom zur zum der des im in")
MAX_SOURCE = 8
_TITLES = wordset("herr frau dr prof")
_CLAUSE_PUNCT = ",;:!?–—-"
_WORD = re.compile(r"[^\s]+")
MAX_GAP = 4  # words between the cue and the comma or colon ("sage Ihnen ganz deutlich :")
# "Ich sage an dieser Stelle aber auch: …", "Ich zitiere den früheren Vizekanzler: …"
MAX_COLON_GAP = 10
_DASHES = {"-", "–", "—"}
MAX_VOCATIVE = 6
MAX_APPOSITION = 2
MAX_NOUN_GAP = 2  # "Die Frage ist:", "die Frage an Sie, ob"
_TRAILING_VOCATIVE = re.compile(
    r"\s*,\s*(?:(?:meine|liebe|lieber|sehr|verehrte|verehrten|geehrte|geehrter|werte|werter)\s|Herr\s|Frau\s)"
    r"[^,;:]{0,60}$"
)
# "halten … für": to judge something to be
_JUDGING = wordset("halte hältst hält halten haltet hielt hielten")
# Verbs whose report is a prepositional object: "halten … für", "erinnern … an".
_PREPOSITIONS_OF = {form: "für" for form in _JUDGING} | {
    form: "an" for form in wordset("erinnere erinnert erinnern erinnerte erinnerten")
}
MAX_JUDGEMENT_GAP = 8
_STELLE = wordset("stelle")
# "halten" with its particle closing the clause: another verb ("an-", "fest-", "aufhalten")
_SEPARATED = re.compile(r"[^,;:.!?]*\s(?:an|ab|auf|aus|fest|durch|zurück|vor)\s*[,;:.!?]")
# Demand, proposal and perception verbs whose object is what is reported (finite forms).
_OBJECT_CUES = wordset(
    """fordere fordert fordern forderte forderten verlange verlangt verlangen beantrage beantragt beantragen
    empfehle empfiehlt empfehlen kritisiere kritisiert kritisieren begrüße begrüßt begrüßen
    erwarte erwartet erwarten wünsche wünschen bezweifle bezweifelt bezweifeln bedauere bedauert bedauern"""
)
_OBJECT_SKIP = wordset(
    """ich wir er sie man ihr Ihnen uns euch ihnen auch deshalb daher deswegen darum hier heute jetzt nun
    ausdrücklich nachdrücklich erneut nochmals noch einmal mal nur bereits schon ganz klar eben gerade
    sehr weiterhin dabei dort zudem außerdem also""".lower()
)
_OBJECT_OPENERS = wordset(
    """ein eine einen einem einer eines kein keine keinen keinem keiner die der den dem des das unsere
    unseren unser ihre ihren mehr weniger alle"""
)
_PURPOSE = re.compile(r"(?<![\w-])(?:um|ohne)\s[^,;:]*$", re.IGNORECASE)
_PARENTHESIS_TAIL = re.compile(r"\s+(?:ich|wir|man)\s*,\s*(?=\w)")
_DASH = re.compile(r"(?<=\s)[-–—](?=\s)")
_INNER_END = re.compile(r"\s;\s|[.!?]\s+[-–—]\s")


def _possessive(following: str) -> bool:
    """ "meine"/"meinen" before a noun or an adjective of address is "my", not "to mean"."""
    if following in {"Sie", "Ihr"}:
        return False
    return following[:1].isupper() or following.lower() in _VOCATIVE


def reported_start(text: str, cue_start: int, cue_end: int, hi: int, noun: bool = False) -> int | None:
    """Where the clause reported by the cue at ``cue_start:cue_end`` starts, or None when none follows.

    A ``noun`` cue ("die Frage", "der Eindruck") takes only a clause opened by a complementiser or a
    question word ("die Frage, ob …") or announced by a colon ("Die Frage ist: …")."""
    words = list(_WORD.finditer(text, cue_end, hi))
    if text[cue_start:cue_end].lower() in _POSSESSIVES and words and _possessive(words[0].group(0)):
        return None  # "meine Damen und Herren", "meine sehr verehrten …"
    k = 0
    while k < len(words) and k <= MAX_COLON_GAP:
        token = words[k].group(0)
        punct = token in {",", ":"} or token[-1:] in {",", ":"} and len(token) > 1
        if punct and (token.endswith(":") or k <= MAX_GAP or noun):
            break  # past MAX_GAP only a colon opens the report ("Ich zitiere X, SPD: …")
        if token[-1] in ".;!?" or token in _DASHES and k > MAX_GAP:
            return None
        k += 1
    else:
        return None
    if k > (MAX_NOUN_GAP if noun else MAX_GAP) and not words[k].group(0).endswith(":"):
        return None  # a comma far from the cue closes an object, not a reported clause
    for j in range(k + 1, min(len(words), k + MAX_APPOSITION + 1)):
        token = words[j].group(0)
        if token.endswith(":") and token[:1].isupper():
            k = j  # a name's apposition before the colon: "Ich zitiere Sigmar Gabriel, SPD: …"
            break
        if token[-1] in _CLAUSE_PUNCT or not token[:1].isupper():
            break
    colon = words[k].group(0).endswith(":")
    gap = {w.group(0).lower() for w in words[:k]}
    if not colon and gap & (_COMPLEMENT | _JOINING):
        return None  # "…, weil ich das sage, und …": the comma closes the cue's own clause
    purpose = text[max(0, cue_start - 3) : cue_start] == "zu " and _PURPOSE.search(
        text, max(0, cue_start - 80), cue_start
    )
    if purpose and not colon:
        return None  # "um es noch einmal zu sagen, …": a purpose clause; "Um es klar zu sagen: …" reports
    k += 1
    # a vocative between the comma and the clause: ", liebe Kolleginnen und Kollegen, dass …"
    if k < len(words) and words[k].group(0).lower() in _VOCATIVE:
        for j in range(k + 1, min(len(words), k + MAX_VOCATIVE + 1)):
            if words[j].group(0).endswith(","):
                k = j + 1
                break
    if k >= len(words):
        return None
    first = words[k].group(0)
    low = first.lower().strip('„“"»«')
    if low in _NOT_REPORTED and not colon or noun and not colon and low not in _COMPLEMENT:
        return None
    if first[0] in _CLAUSE_PUNCT and first not in {"–", "—"} and not colon:
        return None
    if low in _FINITE and not colon:
        return None  # "Die Beispiele, die Sie genannt haben, haben nichts damit zu tun": the main clause
    return words[k].start()


def not_a_cue(text: str, cue_start: int, cue_end: int) -> bool:
    """A cue form that is another word here: "meine" before a noun ("Ich sage für meine Fraktion:")
    and "das heißt" (that is), which joins two statements of the speaker: "heißt"/"hieß" is a cue
    only next to "es" ("Dort heißt es wörtlich: …", "es heißt: …") or before "das:" ("für die AfD
    heißt das: …")."""
    word = text[cue_start:cue_end].lower()
    if word in _POSSESSIVES:
        following = _WORD.match(text, cue_end + 1) if text[cue_end : cue_end + 1] == " " else None
        return following is not None and _possessive(following.group(0))
    if word not in {"heißt", "hieß"}:
        return False
    before = text[max(0, cue_start - 4) : cue_start].lower()
    after = text[cue_end : cue_end + 7].lower()
    return not (before.endswith("es ") or re.match(r"\s+es\b|\s+das\s*:", after))


def source_follows(text: str, pos: int) -> bool:
    """Whether a source follows the marker "laut" at ``pos`` (a capitalised word, an article or a
    possessive: "laut Masterplan", "laut der Verordnung"); else "laut" is "loud" ("laut ausgesprochen")."""
    m = _WORD.match(text, pos + 1) if text[pos : pos + 1] == " " else None
    word = m.group(0) if m else ""
    return word[:1].isupper() or word.lower() in _DETERMINERS


def parenthetical(text: str, lo: int, cue_start: int, cue_end: int, hi: int) -> tuple[int, int] | None:
    """The clause around a parenthetical cue set off by commas ("Das ist, glaube ich, eine große
    Errungenschaft", "Hier, denke ich, ist es angezeigt, …"): from the clause's start to its end."""
    before = text[lo:cue_start].rstrip()
    after = _PARENTHESIS_TAIL.match(text, cue_end, hi)
    if not before.endswith(",") or after is None or not before[:-1].strip(" -–—"):
        return None
    first = _WORD.search(text, lo, cue_start)
    if first is None or first.group(0).lower() in _VOCATIVE:
        return None
    return first.start(), reported_end(text, lo, after.end(), hi)


def judging(cue: str) -> bool:
    """Whether ``cue`` is a form of "halten", a cue only in "halten … für"."""
    return cue.lower() in _JUDGING


def judgement_start(text: str, cue_start: int, cue_end: int, hi: int) -> int | None:
    """Where the prepositional object of "halten … für" or "erinnern … an" starts ("Ich halte es
    für richtig, dass …", "Das halte ich für eine Selbstverständlichkeit", "Ich erinnere an dieser
    Stelle auch an die Abkommen, die …"): at the preposition, a few words on in the cue's clause."""
    preposition = _PREPOSITIONS_OF.get(text[cue_start:cue_end].lower())
    if preposition is None or _SEPARATED.match(text, cue_end, hi):
        return None  # "hielt man im Institut für … den Atem an": "anhalten"
    words = list(_WORD.finditer(text, cue_end, hi))
    for k, m in enumerate(words):
        word = m.group(0)
        after = words[k + 1].group(0).lower() if k + 1 < len(words) else ""
        if word == preposition and after not in {"dieser", "diesem", "der"} | _STELLE:
            return m.start()  # not "an dieser Stelle", "an der Stelle"
        if k >= MAX_JUDGEMENT_GAP or word[-1] in _CLAUSE_PUNCT:
            return None
    return None


def object_start(text: str, cue_start: int, cue_end: int, hi: int) -> int | None:
    """Where the object reported by a demand or perception verb starts ("Wir fordern eine
    Obergrenze", "Ich sehe keinen Grund, …"): after the subject pronoun, an addressee and adverbs, at
    an article, a possessive or a noun. None for other verbs or when no such object follows."""
    if text[cue_start:cue_end].lower() not in _OBJECT_CUES:
        return None
    words = list(_WORD.finditer(text, cue_end, hi))
    skip = 0
    for k, m in enumerate(words):
        word = m.group(0)
        low = word.lower()
        if k < skip or low in _OBJECT_SKIP:
            continue
        if low in _PREPOSITIONS and _short_phrase(words[k + 1 : k + 3]):
            skip = k + 3  # "fordern wir mit unserem Antrag eine …": the phrase is no object
            continue
        if low in _OBJECT_OPENERS or (word[:1].isupper() and word not in {"Sie", "Ihnen"}):
            return m.start()
        return None
    return None


def _short_phrase(words: list[re.Match[str]]) -> bool:
    """An article or possessive and a noun: the rest of a prepositional phrase ("unserem Antrag")."""
    return (
        len(words) == 2
        and words[0].group(0).lower() in _DETERMINERS | _POSSESSIVE_FORMS
        and words[1].group(0)[:1].isupper()
        and words[1].group(0)[-1] not in _CLAUSE_PUNCT
    )


def object_end(text: str, start: int, hi: int) -> int:
    """The end of a reported object: the clause's end, or a comma before a joined clause."""
    end = reported_end(text, start, start, hi)
    for m in re.finditer(r",\s+(\S+)", text[start:end]):
        if m.group(1).lower() in _NOT_REPORTED or m.group(1).lower() in _COMPLEMENT:
            return start + m.start()
    return end


def reported_end(text: str, lo: int, start: int, hi: int) -> int:
    """Where a reported clause starting at ``start`` ends: at a semicolon, at a sentence closed before
    an interjection dash ("? - Nein"), before a closing vocative (", meine Damen und Herren"), and at
    the closing dash when the cue stands in a dash parenthesis opened after ``lo`` ("… - man könnte
    sagen: leider - …")."""
    if len(_DASH.findall(text, lo, start)) % 2:
        closing = _DASH.search(text, start, hi)
        hi = closing.start() if closing else hi
    inner = _INNER_END.search(text, start, hi)
    end = inner.start() + (1 if inner and text[inner.start()] in ".!?" else 0) if inner else hi
    body = text[start:end].rstrip(" .!?")
    vocative = _TRAILING_VOCATIVE.search(body)
    return start + vocative.start() if vocative and vocative.start() > 0 else end
    for m in re.finditer(r",\s+(\S+)", text[start:end]):
        if m.group(1).lower() in _FINITE:
            return start + m.start()
    return end


def _clause_words(text: str, lo: int, pos: int) -> list[re.Match[str]]:
    """The words of the clause ending at ``pos``: back to the last clause punctuation after ``lo``."""
    words = list(_WORD.finditer(text, lo, pos))
    for i in range(len(words) - 1, -1, -1):
        token = words[i].group(0)
        if token[-1] in _CLAUSE_PUNCT or token in {"„", "“"}:
            return words[i + 1 :]
    return words


def _pronoun(words: list[re.Match[str]]) -> tuple[int, int] | None:
    for i, m in enumerate(words):
        word = m.group(0).rstrip(",;:.!?")
        if word.lower() in SUBJECT_PRONOUNS:
            if i and words[i - 1].group(0).lower() in _PREPOSITIONS:
                continue
            return m.start(), m.start() + len(word)
    return None


def subject(text: str, lo: int, cue_start: int, cue_end: int, reported: int) -> tuple[int, int] | None:
    """The subject of the cue at ``cue_start:cue_end``: a pronoun of its clause (before the verb,
    then between the verb and the reported clause at ``reported``), else the clause's opening noun
    phrase when it starts with an article, a possessive or a title. Names are the caller's."""
    before = _clause_words(text, lo, cue_start)
    after = list(_WORD.finditer(text, cue_end, reported))
    found = _pronoun(before) or _pronoun(after)
    if found:
        return found
    if before and before[0].group(0).lower() in _DETERMINERS | _TITLES:
        end = 1
        while end < len(before) - 1 and before[end].group(0)[:1].islower():
            end += 1  # adjectives: "Die meisten Ökonomen"
        if end < len(before) and not before[end].group(0)[:1].isupper():
            return None if end > 1 else (before[0].start(), before[0].end())
        while end < len(before) and before[end].group(0)[:1].isupper():
            end += 1
        return before[0].start(), before[end - 1].end()
    return None


def source_after(text: str, pos: int, hi: int) -> tuple[int, int] | None:
    """The source named after a marker ("laut dem Bundesamt für Statistik ist …"): articles and
    capitalised words, with "für"/"von" inside, up to the verb (the first other lower-case word)."""
    words = list(_WORD.finditer(text, pos, hi))[:MAX_SOURCE]
    end = None
    for i, m in enumerate(words):
        word = m.group(0).rstrip(",;:.!?")
        after_article = i > 0 and words[i - 1].group(0).lower() in _DETERMINERS
        adjective = after_article and word.endswith(("e", "en"))  # "dem zuständigen Amt"
        if not word or not (
            word[:1].isupper() or word.lower() in _DETERMINERS or word in _SOURCE_LINKS or adjective
        ):
            break
        end = m.start() + len(word)
        if word != m.group(0):
            break
    return (words[0].start(), end) if end is not None else None


def source_before(text: str, lo: int, pos: int) -> tuple[int, int] | None:
    """The source named before a postposed marker ("dem zuständigen Ministerium zufolge"): the
    article, adjectives and capitalised words right before ``pos``, back to the clause's start."""
    words = _clause_words(text, lo, pos)[-MAX_SOURCE:]
    start = None
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group(0)
        low = word.lower()
        if word[:1].isupper() or low in _SOURCE_LINKS or (low.endswith(("e", "en")) and i and start):
            start = i
            continue
        if low in _DETERMINERS:
            start = i
        break
    return (words[start].start(), words[-1].end()) if start is not None else None


def possessive_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The possessive of a point-of-view marker ("aus meiner Sicht", "unseres Erachtens"), if any."""
    m = _POINT_OF_VIEW.search(text, start, end)
    return (m.start(), m.end()) if m else None


def unresolved(text: str, span: tuple[int, int], sentence_start: bool) -> bool:
    """A subject pronoun that names nobody in the text: "ich", "wir", "man", polite "Sie" (written
    capitalised inside a sentence), and "sie"/"Sie" with a plural verb ("Sie behaupten", "sie haben")."""
    word = text[span[0] : span[1]]
    if word.lower() in UNRESOLVED or (word == "Sie" and not sentence_start):
        return True
    if word.lower() != "sie":
        return False
    verb = _WORD.match(text, span[1] + 1) if text[span[1] : span[1] + 1] == " " else None
    word = verb.group(0).rstrip(",.:;!?") if verb else ""
    return word.endswith("en") or word in {"sind", "waren"}
