"""Find who said what in one article: quotes, their cues and their speakers.

The article is cut into paragraphs and sentences that never split a quotation. In each sentence the
cues are found (reporting verbs, "according to"-type markers, linking participles such as "adding");
each cue takes a speaker (the noun phrase before it, or after it when the order is inverted:
"…," said Ushakov / «…», a déclaré Iouri Ouchakov) and a content (a quotation next to it, or the
reported clause on the side of the sentence the cue points to). A quotation with no cue in its sentence
continues the previous speaker's quote when it follows one, or takes the speaker announced by a
sentence ending in a colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.enrich.entities.fallback import NOUN_CAPITALISING, fallback_mentions
from newsdesk.enrich.quotes import german, labels, referents
from newsdesk.enrich.quotes.cues import Lexicon, lexicon, wordset
from newsdesk.enrich.quotes.model import Quote
from newsdesk.enrich.quotes.segment import ABBREVIATIONS, sentences
from newsdesk.enrich.quotes.speakers import (
    NOT_NAMES,
    ORG_WORDS,
    PERSON_ROLES,
    Cast,
    Person,
    entity_spans,
    find_people,
    strip_title,
)
from newsdesk.text.languages import base_language
from newsdesk.text.marks import Quoted, find_quoted, paragraphs

_TOKEN = re.compile(r"[^\s,;:!?()\[\]]+[,;:!?]*|[,;:!?]")
_CLOSERS = set("”“\"»«›‹’'")
_OPENERS = set("“„«»\"‹›‘‚'")
_BOUNDARY_WORDS = wordset(
    """that and but because while when as after before if which where since although though whether than
    so or nor until unless once whereas whom whose what why how—
    que qui et mais car quand lorsque si dont où comme
    dass und aber weil wenn als ob denn sondern
    y pero porque cuando si como donde
    что и но а потому когда если как где
    що і й але бо коли якщо як де"""
)
_DETERMINERS = wordset(
    """the a an this these those his her its their our my your new latest recent last first tv
    le la les un une des ce cette ces son sa ses leur leurs der die das ein eine einen dem den des
    el los las uno unos su sus"""
)
_NAMING = re.compile(r"\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s*[,;]")
_INFINITIVE_REPORT = re.compile(
    r"\s*(?:that|whether|if|what|how|why|when|who|where|which)\b|\s*[:,\"“‘]|\s+(?:\w+\s+){0,3}(?:that|about)\b"
)
_BE = wordset("is was were are be been being am")
_ADVERBIAL = re.compile(
    r"^\W*(?:on|in|at|during|via|from|to|after|before|while|when|late|early|last|this|earlier|later|"
    r"yesterday|today|tonight|recently|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"afterward|afterwards|privately|publicly|repeatedly|again|also|then|too|as\s+well)\b",
    re.IGNORECASE,
)


_PARTICLES = wordset("von van de da di du der den bin al la le")


# A coordinated clause with its own subject and cue ends the reported clause before it.
_COORDINATED = re.compile(r",\s+(?:and|but|while|whereas|although|though)\s+(?=\S)")
MIN_UNATTRIBUTED = 4  # words of a reported clause kept without a speaker
# Words of an adverbial between a cue and its "that" ("said in an interview on Fox News on Monday that")
MAX_ADVERBIAL = 12
_EN_INVERTED = re.compile(r"(?:said|says|added|asked|wrote|explained|replied)\s", re.IGNORECASE)


@dataclass
class _Anchor:
    kind: str  # "prep", "inverted", "verb", "participle", "noun"
    start: int
    end: int


@dataclass
class _Speaker:
    name: str | None
    start: int | None
    end: int | None


@dataclass
class _State:
    """What the previous sentences left for the next one."""

    last: _Speaker | None = None
    # The speaker of the latest quote, named or not: whom a following bare quotation continues.
    quoting: _Speaker | None = None
    last_was_quote: bool = False
    pending: tuple[_Speaker, str] | None = None
    # The latest quote is a question announced by a colon: the questions after it are its own.
    asking: bool = False
    quotes: list[Quote] = field(default_factory=list)


def extract_quotes(text: str, language: str | None, entities: list | None = None) -> list[Quote]:
    """Direct and reported quotes of ``text`` with their speakers, in text order.

    ``language`` selects the cue lexicon (en, fr, de, es, ru, uk; any other value or None uses all of
    them). ``entities``, when given, are the article's person mentions (objects with ``start``/``end``
    and optionally ``label``, dicts with those keys, or ``(start, end[, label])`` tuples); without them a
    capitalised-name heuristic finds the names.
    """
    if not text or not text.strip():
        return []
    code = base_language(language) or None
    lex = lexicon(code)
    if code in NOUN_CAPITALISING:  # the recogniser's names, and those only the fallback finds
        entities = _with_fallback(text, code, entities)
    cast = find_people(text, entities, capitalised_names=code not in NOUN_CAPITALISING)
    if referents.applies(lex):
        cast.nearest_first = True
        referents.learn(cast)
    state = _State()
    for p_start, p_end in paragraphs(text):
        quoted = find_quoted(text, p_start, p_end)
        label = labels.speaker_label(text, p_start, p_end) if lex.labels else None
        if label is not None and _labelled(text, label, p_end, quoted, lex, cast, state):
            continue
        signed = labels.signature(text, p_start, p_end) if lex.labels else None
        if signed is not None and _signed(text, signed, p_start, quoted, lex, cast, state):
            continue
        for s_start, s_end in sentences(text, p_start, p_end, quoted):
            inside = [q for q in quoted if q.outer_start >= s_start and q.outer_end <= s_end]
            _sentence(text, s_start, s_end, inside, lex, cast, state)
    return state.quotes


def _with_fallback(text: str, code: str, entities: list | None) -> list:
    """The given entities plus the fallback's names that overlap none of them (German: the
    recogniser may miss "Notenbankchefin Milena Horvátová", a later "sagte sie" still needs her)."""
    found = fallback_mentions(text, code)
    if entities is None:
        return found
    spans = [(s, e) for s, e, _, _ in entity_spans(entities)]
    return list(entities) + [m for m in found if not any(s < m.end and m.start < e for s, e in spans)]


# --- cues -------------------------------------------------------------------------------------------


def _anchors(text: str, start: int, end: int, quoted: list[Quoted], lex: Lexicon) -> list[_Anchor]:
    found: list[_Anchor] = []
    for kind, pattern in (
        ("prep", lex.prep),
        ("inverted", lex.inverted),
        ("verb", lex.verb),
        ("participle", lex.participle),
        ("noun", lex.noun),
    ):
        if pattern is None:
            continue
        for m in pattern.finditer(text, start, end):
            if any(q.outer_start <= m.start() < q.outer_end for q in quoted):
                continue
            if any(a.start < m.end() and m.start() < a.end for a in found):
                continue
            if kind in ("verb", "participle") and not m.group(0)[0].islower() and m.start() > start:
                continue
            if kind == "inverted" and _EN_INVERTED.match(m.group(0)):
                before = text[start : m.start()].rstrip()
                if not (before and (before[-1] in ",—–:" or before[-1] in _CLOSERS)):
                    continue
            if kind == "verb" and not _verb_ok(text, start, m.start(), m.group(0), lex):
                continue
            if kind == "prep" and m.group(0).lower() in {"per", "para"} and not _prep_ok(text, m.end()):
                continue
            if kind == "prep" and m.group(0).lower() == "laut" and not german.source_follows(text, m.end()):
                continue
            if kind == "verb" and lex.verb_second and german.not_a_cue(text, m.start(), m.end()):
                continue
            found.append(_Anchor(kind, m.start(), m.end()))
    found.sort(key=lambda a: a.start)
    if referents.applies(lex):  # "según anunció su consejo rector": the verb belongs to the marker
        found = [
            a
            for k, a in enumerate(found)
            if not (
                k
                and a.kind == "verb"
                and found[k - 1].kind == "prep"
                and not text[found[k - 1].end : a.start].strip()
            )
        ]
    return found


def _verb_ok(text: str, lo: int, cue_start: int, cue: str, lex: Lexicon) -> bool:
    """Reject nouns ("the report"), passives of opinion verbs ("is expected to")."""
    before = text[lo:cue_start].split()
    previous = before[-1].lower().strip("\"“”'’«»(") if before else ""
    # German writes nouns capitalised: a lower-case verb after "der"/"das" follows a pronoun
    # ("ein Vorschlag, der zeigt, dass …", "Das zeigt: …"), not an article.
    if previous in _DETERMINERS and not (lex.verb_second and cue[:1].islower()):
        return False
    word = cue.split()[-1].lower()
    elided = re.search(r"(?:^|\s)[lds]['’]$", text[max(lo, cue_start - 3) : cue_start], re.IGNORECASE)
    # "l'annonce", "d'annonce" are nouns; "s'annonce" is no speech ("s'alarme" is)
    if elided and not (text[cue_start - 2].lower() == "s" and word in referents.REFLEXIVE_CUES):
        return False
    if previous in _BE and word not in lex.strong:
        return False
    after = text[cue_start + len(cue) : cue_start + len(cue) + 6]
    if word in lex.homographs and not re.match(r"\s+that\b|\s*:", after):
        return False
    if word in {"called", "named"} and previous.endswith(",") and _NAMING.match(text, cue_start + len(cue)):
        return False  # "a small lander, called Petrel, which …": naming, not speech
    if previous == "to" and lex.language == "en" and not _INFINITIVE_REPORT.match(text, cue_start + len(cue)):
        return False  # "stood up well to deny Ibarra": an infinitive with no report after it
    return not (word in {"called", "call", "calls"} and re.match(r"\s+(?:for|on|off|up)\b", after))


def _prep_ok(text: str, pos: int) -> bool:
    return bool(re.match(r"\s+[A-ZÀ-ÖØ-ÞА-Я]", text[pos : pos + 3]))


# --- noun phrases ---------------------------------------------------------------------------------


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _np_before(
    text: str, lo: int, pos: int, lex: Lexicon, infinitive: bool = False
) -> tuple[int, int] | None:
    """The subject noun phrase ending before ``pos`` (auxiliaries and adverbs skipped).

    ``infinitive`` allows "went on to say": "to" and up to two verbs before it are skipped.
    """
    toks = _tokens(text, lo, pos)
    i = len(toks) - 1
    while i >= 0:
        word = text[toks[i][0] : toks[i][1]]
        low = word.lower()
        if low in lex.auxiliaries or (low.endswith("ly") and word.islower() and len(low) > 4):
            i -= 1
            continue
        if infinitive and low == "to" and i >= 2:
            i -= 1
            for _ in range(2):
                w = text[toks[i][0] : toks[i][1]]
                if i > 0 and w.islower() and w.isalpha() and w not in lex.pronouns:
                    i -= 1
            infinitive = False
            continue
        break
    if i < 0:
        return None
    last = text[toks[i][0] : toks[i][1]]
    if last[-1] in ",;:" or last[-1] in _CLOSERS:
        return None
    if last.lower() in {"to", "not", "of", "for", "pour", "de", "zu", "para"}:
        return None
    j = i
    while j >= 0:
        s, e = toks[j]
        word = text[s:e]
        if j < i and (word[-1] in ",;:" or word[-1] in _CLOSERS):
            break
        if word.lower() in _BOUNDARY_WORDS or word in {"—", "–", "-"}:
            break
        if i - j >= 12:
            return None
        j -= 1
    if j == i:
        return None
    start = toks[j + 1][0]
    while start < pos and text[start] in _OPENERS:
        start += 1
    end = toks[i][1]
    return (start, end) if end > start else None


def _clause_subject(text: str, lo: int, pos: int, cast: Cast, lex: Lexicon) -> tuple[int, int] | None:
    """ "Mr. Trump was forced into damage control and said …": the name or pronoun opening the clause."""
    for m in re.finditer(r"\S+", text[lo:pos]):
        word = m.group(0).strip("\"“”'‘’,.").lower()
        if word in lex.pronouns:
            return lo + m.start(), lo + m.start() + len(word)
        mention = cast.mention_at(lo + m.start(), lo + m.end())
        if mention is not None and mention.person:
            return mention.start, mention.end
        if m.start() > 40:
            break
    return None


def _runs_on(text: str, np: tuple[int, int], hi: int) -> bool:
    """The noun phrase after a cue does not end there: it runs into the next cue ("said he called …")
    or past a title ("said they had no problem with Mr. Trump's …"). It is then the subject of the
    reported clause, not an inverted speaker."""
    if np[1] >= hi - 1 and hi < len(text) and text[hi : hi + 1].isalpha():
        return True
    last = text[np[0] : np[1]].split()[-1].lower()
    return text[np[1] : np[1] + 1] == "." and last in ABBREVIATIONS


def _dash_aside(text: str, lo: int, pos: int) -> int | None:
    """Where a dash aside closing right before ``pos`` opens ("Murphy — after a pause — told"), if any."""
    before = text[lo:pos].rstrip()
    if not before or before[-1] not in "—–":
        return None
    opening = max(before.rfind(" — ", 0, len(before) - 1), before.rfind(" – ", 0, len(before) - 1))
    return lo + opening if opening > 0 else None


def _speaker_like(text: str, span: tuple[int, int], lex: Lexicon) -> bool:
    """Could this phrase name a speaker: a capitalised word, a pronoun, a role noun, or two words at most."""
    words = text[span[0] : span[1]].split()
    if len(words) <= 2:
        return True
    return any(
        w[:1].isupper() or w.lower() in lex.pronouns or w.lower().strip(".,") in PERSON_ROLES for w in words
    )


def _subject_with_apposition(text: str, lo: int, pos: int, lex: Lexicon) -> tuple[int, int] | None:
    """ "Ann Compton, who covered the White House, said …": the clause's first noun phrase."""
    head = text[lo:pos]
    words = head.split()
    while words and words[-1].lower() in lex.auxiliaries:
        words.pop()
    if not words or not words[-1].endswith(","):
        return None
    first = re.match(r"\s*(?:(?:but|and|yet|still|so|also|meanwhile|however)\b,?\s*)?([^,;:]+),", head, re.I)
    if not first or len(first.group(1).split()) > 9:
        return None
    if first.group(1).rstrip()[-1:] in _CLOSERS:
        return None  # a quotation, not a subject: „…“, sagte der Berater
    start = lo + first.start(1)
    while start < pos and text[start] in _OPENERS:
        start += 1
    return start, lo + first.end(1)


def _np_after(text: str, pos: int, hi: int, most: int = 10) -> tuple[int, int] | None:
    """The noun phrase right after ``pos``, up to punctuation, a quote or a clause word (≤ ``most`` words)."""
    m = re.match(r"[ \u00a0\u202f]*", text[pos:hi])
    start = pos + (m.end() if m else 0)
    end = start
    for count, (s, e) in enumerate(_tokens(text, start, hi), start=1):
        word = text[s:e]
        bare = word.rstrip(",;:!?.")
        if word[0] in _OPENERS or bare.lower() in _BOUNDARY_WORDS:
            break
        end = s + len(bare) if bare else s
        if word == bare + "." and (bare.lower() in ABBREVIATIONS or len(bare) == 1 and bare.isupper()):
            end = e  # "Mr.", "J.": a name goes on
        elif bare != word or count >= most:
            break
    if end <= start:
        return None
    while end > start and text[end - 1] in ".":
        end -= 1
    return start, end


def _appositive_subject(text: str, lo: int, cue_start: int, lex: Lexicon) -> tuple[int, int] | None:
    """ "Ushakov, the Kremlin aide, said": the name before the appositive."""
    before = text[lo:cue_start].rstrip()
    toks = before.split()
    while toks and toks[-1].lower() in lex.auxiliaries:
        before = before[: before.rstrip().rfind(toks[-1])].rstrip()
        toks = toks[:-1]
    if not before.endswith(","):
        return None
    inner = before[:-1]
    comma = inner.rfind(",")
    if comma < 0:
        return None
    appositive = inner[comma + 1 :].split()
    if not appositive or len(appositive) > 18:
        return None
    first = appositive[0].lower()
    if not (
        first in _DETERMINERS
        or first in {"who", "a", "an", "the"}
        or appositive[0][0].islower()
        or appositive[0][:1].isdigit()
    ):
        return None
    head = _np_before(text, lo, lo + comma, lex)
    if head is None:
        return None
    words = text[head[0] : head[1]].split()
    if not words or not words[-1][:1].isupper():
        return None
    return head


# --- speakers -------------------------------------------------------------------------------------


def _role_apposition(phrase: str) -> bool:
    """Whether an apposition set off by commas names a role ("jefe del servicio de bomberos", "the
    county's chief"): a role noun among its first three words."""
    return any(w.strip("'’").lower() in PERSON_ROLES for w in re.findall(r"[\w'’-]+", phrase)[:3])


def _qualifies(text: str, pos: int, end: int) -> bool:
    """Whether the name ending at ``pos`` qualifies what follows it before ``end``: a role noun or
    a possessive ("Kellheim coach …", "Valmarín's …")."""
    following = re.match(r"(['’]s?)?\s*([\w-]+)?", text[pos:end])
    if following is None or not following.group(0).strip():
        return False
    return bool(following.group(1)) or (following.group(2) or "").lower() in PERSON_ROLES


def _speaker(text: str, span: tuple[int, int] | None, cast: Cast, lex: Lexicon) -> _Speaker | None:
    """Resolve a noun phrase to a speaker: a name, a pronoun's antecedent, a role's bearer, or itself."""
    if span is None:
        return None
    if referents.applies(lex):  # "la présidente de la métropole, Sylvie Marchetti": the name
        span = referents.appositive_name(text, span, cast)
    start, end = span
    phrase = text[start:end]
    words = re.findall(r"[\w'’.-]+", phrase)
    if not words:
        return None
    inside = [m for m in cast.mentions if m.start >= start and m.end <= end]
    # A recogniser's person before a name the heuristic guessed ("Acme Widgets chief Zed"); a name
    # that qualifies a role or owns ("Kellheim coach Uwe Brandner", "Valmarín's Rafael Soler") last.
    people = sorted((m for m in inside if m.person), key=lambda m: (_qualifies(text, m.end, end), m.guessed))
    if not people and inside and len(inside[0].name.split()) == 1 and inside[0].start == start:
        word = inside[0].name.lower()
        if (
            word not in ORG_WORDS
            and word not in PERSON_ROLES
            and text[end : end + 1] != "'"
            and len(text[start:end].split()) == 1
        ):
            inside[0].person = True  # a lone capitalised subject of a speech verb: a surname
            people = inside[:1]
    if people:
        name = cast.canonical(people[0].name)
        cast.speakers.add(name)
        return _Speaker(name, people[0].start, people[0].end)
    lower = [w.lower().rstrip(".") for w in words]
    for k, word in enumerate(lower):
        if word in lex.pronouns and len(words) <= 2:
            pos = start + phrase.lower().find(word)
            if word in {"i", "we", "it", "je", "nous", "ich", "wir", "es", "yo", "nosotros", "я", "мы", "ми"}:
                return _Speaker(None, pos, pos + len(words[k]))
            person = cast.resolve_pronoun(word, start)
            if person is None:
                return _Speaker(None, pos, pos + len(words[k]))
            cast.refer(person, pos, pos + len(words[k]), word)
            return _Speaker(cast.canonical(person.name), pos, pos + len(words[k]))
    if referents.applies(lex) and (bearer := referents.role_referent(phrase, start, cast)):
        cast.refer(bearer, start, end)  # "le ministre", "el técnico", "тренер"
        return _Speaker(cast.canonical(bearer.name), start, end)
    for word in reversed(lower):
        if word in PERSON_ROLES:
            person = cast.resolve_role(word, start)
            if person is None and word not in {"woman", "man", "official", "republican", "democrat"}:
                recent = cast.before(start)
                person = recent[0] if recent and phrase[:1].islower() else None
            if person is not None and phrase.split()[0].lower() in {"the", "le", "la", "der", "die", "el"}:
                cast.refer(person, start, end)
                return _Speaker(cast.canonical(person.name), start, end)
            break
    if inside:
        return _Speaker(cast.canonical(inside[0].name), inside[0].start, inside[0].end)
    if len(words) > 8:
        return _Speaker(None, start, end)
    name = phrase.strip(" ,")
    if referents.applies(lex) and not referents.plausible(name, lex):
        return None  # "est un soulagement", "aunque": no name, pronoun, role or group
    head = _capitalised_head(name) if referents.applies(lex) and name[:1].isupper() else None
    if head and head.split()[0].lower() not in NOT_NAMES:
        name = cast.canonical(head)  # "dijo Soler sobre el césped" → "Soler" → "Rafael Soler"
        cast.speakers.add(name)
        return _Speaker(name, start + phrase.index(head), start + phrase.index(head) + len(head))
    if cast.capitalised_names:  # the name heuristic has seen every capitalised name already
        return _Speaker(name, start, end)
    if lower[0] in _DETERMINERS:  # "Dem zuständigen Ministerium": a noun phrase, not a missed name
        return _Speaker(name, start, end)
    head = _capitalised_head(name)  # "Uschakow am Mittwoch" → "Uschakow"; a short all-capitalised name
    if head is None or (head == name and len(words) > 4):
        return _Speaker(name, start, end)
    # A name the recogniser missed ("sagte Uschakow am Mittwoch"): kept for the pronouns after it.
    head_start = start + phrase.index(head)
    head_end = head_start + len(head)
    name = strip_title(head) or head  # "Präfektin Anne-Sophie Lemaire" → "Anne-Sophie Lemaire"
    cast.refer(Person(head_start, head_end, name, guessed=True), head_start, head_end)
    cast.speakers.add(name)
    return _Speaker(name, head_start, head_end)


def _capitalised_head(phrase: str) -> str | None:
    """The capitalised words opening ``phrase`` ("Uschakow am Mittwoch" → "Uschakow"; name
    particles stay: "Ursula von der Leyen"), or None when it opens with a lower-case word."""
    words = list(re.finditer(r"\S+", phrase))
    n = 0
    while n < len(words):
        k = n
        while n and k < len(words) - 1 and words[k].group(0) in _PARTICLES:
            k += 1
        if not words[k].group(0)[0].isupper():
            break
        n = k + 1
    return phrase[: words[n - 1].end()].rstrip(" ,") if n else None


# --- contents -------------------------------------------------------------------------------------


_DATELINE = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ .,'-]+(?:\([\w ]+\))?\s+[—–-]+\s+")


def _trim(text: str, start: int, end: int, lex: Lexicon) -> tuple[int, int]:
    """Strip spaces, edge punctuation, a dateline and a leading complementiser ("that", "que", "что")."""
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-("):
            end -= 1
        m = re.match(r"(?:qu['’]|(\w+)(?=\s))", text[start:end], re.IGNORECASE)
        if m and (m.group(1) is None or m.group(1).lower() in lex.complementisers):
            start += m.end()
        if (start, end) == before:
            return start, end


def _content(
    text: str, start: int, end: int, quoted: list[Quoted], lex: Lexicon
) -> tuple[int, int, bool] | None:
    """The content of ``text[start:end]``: the quotation when it is one, else the trimmed clause."""
    start, end = _trim(text, start, end, lex)
    while end > start and text[end - 1] in ".!?…" and not any(q.outer_end == end for q in quoted):
        end -= 1
        start, end = _trim(text, start, end, lex)
    if end - start < 2:
        return None
    for q in quoted:
        lead = len(text[start : q.outer_start].split())
        if start <= q.outer_start < end and lead <= 3 and len(text[q.start : q.end].split()) >= 3:
            if q.outer_end < end and text[q.outer_end : end].lstrip()[:1] == ",":
                return q.start, q.end, True
            if q.outer_end >= end - 1:
                return q.start, q.end, True
        if q.outer_start == start and len(text[q.outer_end : end].split()) <= 3:
            return q.start, q.end, True
    for q in quoted:
        if q.outer_start >= start - 1 and q.outer_end <= end + 1:
            rest = (text[start : q.outer_start] + text[q.outer_end : end]).strip(" ,.;:!?—–-")
            if not rest:
                return q.start, q.end, True
        if q.dash and q.start >= start and q.end <= end + 1 and not text[q.end : end].strip(" ,.;:!?—–-"):
            return start, end, True
    return start, end, False


def _after_cue(text: str, cue: _Anchor, hi: int, lex: Lexicon) -> int:
    """Where the content starts after a cue: past "told reporters", adverbials, "that" or ":"."""
    pos = cue.end
    word = text[cue.start : cue.end].split()[-1].lower()
    head = text[pos:hi]
    m = re.match(r"\s*[,:]\s*", head)
    if m:
        return pos + m.end()
    if lex.verb_second and re.match(r"\s*;", head):
        return hi  # "…, können Sie nicht sagen; hier fehlt …": the cue's clause is over
    toks = list(re.finditer(r"[^\s]+", head))[: MAX_ADVERBIAL + 4]
    k = 0
    if word in lex.object_verbs and toks and toks[0].group(0)[0] not in _OPENERS:
        first = toks[0].group(0)
        if first.lower() in {"the", "a", "an", "his", "her", "their"} and len(toks) > 1:
            k = 2
        elif first[:1].isupper():
            k = 1
            while k < len(toks) and toks[k].group(0)[:1].isupper() and toks[k - 1].group(0)[-1] not in ",:":
                k += 1
        elif first.lower() not in lex.complementisers:
            k = 1
    for j in range(k, len(toks)):
        token = toks[j].group(0)
        bare = re.sub(r"[^\w'’]", "", token).lower()
        if token[0] in _OPENERS:
            return pos + toks[j].start()
        if bare in lex.complementisers or re.match(r"qu['’]", bare):
            return pos + toks[j].start()
        if token.endswith(":") or (token.endswith(",") and _ADVERBIAL.match(head[toks[k].start() :])):
            return pos + toks[j].end()
        if j == k and not _ADVERBIAL.match(head[toks[k].start() :]):
            break
        if token[-1] in ",;" or j - k >= MAX_ADVERBIAL:
            break
    return pos + toks[k].start() if k < len(toks) else pos + len(head)


def _emit(
    state: _State, text: str, span: tuple[int, int, bool], who: _Speaker | None, cue: str | None
) -> None:
    start, end, direct = span
    if any(q.start < end and start < q.end for q in state.quotes[-4:]):
        return
    name = who.name if who else None
    state.quotes.append(
        Quote(
            text=text[start:end],
            start=start,
            end=end,
            speaker=name,
            speaker_start=who.start if who else None,
            speaker_end=who.end if who else None,
            cue=cue,
            direct=direct,
        )
    )


def _attribute(
    text: str,
    cue: _Anchor,
    lo: int,
    hi: int,
    who: _Speaker | None,
    first: bool,
    quoted: list[Quoted],
    lex: Lexicon,
    cast: Cast,
    state: _State,
) -> tuple[_Speaker | None, list[tuple[int, int, bool]]] | None:
    """The speaker and content spans of one cue between ``lo`` and ``hi``; None when it is no cue."""
    spans: list[tuple[int, int, bool]] = []
    cue_text = text[cue.start : cue.end]
    if cue.kind == "prep" and cue_text == "zufolge":  # "Dem Bericht zufolge ist die Lage ernst"
        np = german.source_before(text, lo, cue.start)
        who = _speaker(text, np, cast, lex) if np else None
        opens = np is not None and not text[lo : np[0]].strip(' ,;:"“”„')
        span = _content(text, cue.end if opens else lo, hi, quoted, lex)
        if span:
            spans.append(span)
    elif cue.kind == "prep":
        np = german.source_after(text, cue.end, hi) if lex.verb_second else _np_after(text, cue.end, hi)
        verb = lex.verb.match(text, np[0]) if np is not None and referents.applies(lex) else None
        if verb is not None:  # "según anunció su consejo rector"
            np = _np_after(text, verb.end(), hi)
        if cue_text.lower() in {"pour", "para"} and not (
            np and referents.source_like(text[np[0] : np[1]], cast)
        ):
            return None  # "Pour les ménages, …", "Pour Puerto Alba, …": no source
        if np is not None:
            first = next((m for m in cast.mentions if np[0] <= m.start < np[1]), None)
            if first is not None and len(text[np[0] : first.start].split()) <= 3:
                np = (np[0], first.end)
            named = re.match(r",\s*([^,;:.]{2,60}),", text[np[1] : hi])
            if named and (named.group(1)[:1].isupper() or _role_apposition(named.group(1))):
                np = (np[0], np[1] + named.end(1))  # "Según Hervé Caradec, jefe de bomberos, …"
        own = german.possessive_in(text, cue.start, cue.end) if lex.verb_second else None
        mine = _possessive_speaker(text, cue, cast) if referents.applies(lex) else None
        own = (mine.start, mine.end) if mine is not None and mine.start is not None else own
        if own is not None:  # "aus meiner Sicht", "unseres Erachtens": the possessive is the source
            np = None
            who = mine or _Speaker(None, *own)
        else:
            who = _speaker(text, np, cast, lex)
        lead = text[lo : cue.start].strip(" \"“”«»„'‘’—–-")
        if len(lead.split()) <= 1 and own:
            span = _content(text, cue.end, hi, quoted, lex)
        elif len(lead.split()) <= 1 and np:
            span = _content(text, np[1], hi, quoted, lex)
            np = np if span is None else (np[0], min(np[1], span[0]))
        elif lex.verb_second:  # verb-second: the marker stands inside the clause it reports
            span = _content(text, lo, hi, quoted, lex)
        else:
            span = _content(text, lo, cue.start, quoted, lex)
        if span:
            spans.append(span)
    elif cue.kind == "participle":
        if who is None and referents.applies(lex):  # "Савчук подякував, зазначивши, що …"
            who = _speaker(text, _clause_subject(text, lo, cue.start, cast, lex), cast, lex)
        if who is None:
            who = state.last if first else who
        span = _content(text, _after_cue(text, cue, hi, lex), hi, quoted, lex)
        if span:
            spans.append(span)
    elif cue.kind == "noun":
        return _german_reported(text, cue, lo, hi, quoted, lex, cast)
    elif lex.verb_second and (reported := _german_reported(text, cue, lo, hi, quoted, lex, cast)):
        return reported
    elif lex.verb_second and cue.kind == "verb" and cue_text.split()[0].lower() not in lex.reporting:
        return None  # an opinion or perception verb introduces a clause or nothing
    else:
        before = text[lo : cue.start].rstrip()
        after_np = _np_after(text, cue.end, hi, most=7)
        if after_np is not None and referents.applies(lex):  # "dijo a este diario", "afirmó hoy"
            after_np = referents.speaker_after(text, after_np, cast, lex)
        inverted_pronoun = cue.kind == "inverted"
        ends_open = bool(before) and (before[-1] in ",—–:" or before[-1] in _CLOSERS)
        if not ends_open and referents.applies(lex):  # "«…», — скромно зазначив він": past the adverb
            kept = before.split()
            while kept and kept[-1].lower() in lex.auxiliaries:
                kept.pop()
            ends_open = bool(kept) and (kept[-1][-1] in ",—–:" or kept[-1][-1] in _CLOSERS)
        follows = text[cue.end : hi].lstrip()[:1]
        subject = None
        if not inverted_pronoun:
            subject = _np_before(text, lo, cue.start, lex, infinitive=follows in {":", '"', "“"})
        # "«Основа — крохмаль», — розповів": a dialogue dash after a quotation, not an aside
        dialogue = referents.applies(lex) and before[:-1].rstrip()[-1:] in {",", *_CLOSERS}
        if (
            subject is None
            and not inverted_pronoun
            and not dialogue
            and (aside := _dash_aside(text, lo, cue.start))
        ):
            subject = _np_before(text, lo, aside, lex)  # "Murphy — after a pause — told me …"
            ends_open = ends_open and subject is None
        if (
            subject is None
            and not inverted_pronoun
            and re.search(r"\b(?:and|but)\s+(?:\w+ly\s+)?$", before + " ")
        ):
            subject = _clause_subject(text, lo, cue.start, cast, lex)
        if subject is None and not inverted_pronoun and before.endswith(",") and referents.applies(lex):
            subject = referents.name_before(text, cue.start, cast)  # "…, Ernesto Fuentes, advirtió"
        if subject is None and not inverted_pronoun and before.endswith(","):
            tail = text[after_np[1] : hi].strip() if after_np else "x"
            tail = tail or ("x" if after_np and _runs_on(text, after_np, hi) else "")
            if (
                after_np is None
                or (tail and tail[0] not in ",.;:!?")
                or not (
                    _speaker_like(text, after_np, lex)
                    or (referents.applies(lex) and referents.plausible(text[after_np[0] : after_np[1]], lex))
                )
            ):
                subject = _appositive_subject(text, lo, cue.start, lex) or _subject_with_apposition(
                    text, lo, cue.start, lex
                )
        if (
            subject is not None
            and referents.applies(lex)
            and not referents.plausible(text[subject[0] : subject[1]], lex)
        ):
            subject = None  # "Les marchés ont réagi", "«En otras ciudades…», dijo": no speaker there
        if inverted_pronoun:
            pron = re.search(
                r"(?<![\w])(?:il|elle|ils|elles|on|he|she|they|er|sie)\s*$|"
                r"-t-(\w+)|\s(\w+)$",
                cue_text,
            )
            pstart = cue.start + (
                pron.start(pron.lastindex) if pron and pron.lastindex else pron.start() if pron else 0
            )
            pend = cue.start + (pron.end() if pron else len(cue_text))
            who = _speaker(text, (pstart, pend), cast, lex)
            span = _content(text, lo, cue.start, quoted, lex)
            if span and ends_open:
                spans.append(span)
            elif span2 := _content(text, _after_cue(text, cue, hi, lex), hi, quoted, lex):
                spans.append(span2)
        elif (
            subject is None
            and after_np is not None
            and (ends_open or not before.strip())
            and not _runs_on(text, after_np, hi)
        ):
            who = _speaker(text, after_np, cast, lex)
            span = _content(text, lo, cue.start, quoted, lex)
            if span:
                spans.append(span)
            tail = text[after_np[1] : hi]
            if re.match(r"\s*[,:]\s*\S", tail) and span:
                rest = _content(text, after_np[1], hi, quoted, lex)
                if rest and (rest[2] or not ends_open):
                    spans.append(rest)
            elif not span and re.match(r"\s*[,:]\s*\S", tail):
                rest = _content(text, after_np[1], hi, quoted, lex)
                if rest:
                    spans.append(rest)
        elif subject is None and lex.language in referents.PRO_DROP and (ends_open or not before.strip()):
            # "Añadió que …", "«…», lamentó.", "— зазначив.": the subject left out
            coordinated = re.search(r"(?:^|\s)(?:y|e|pero|и|но|а|і|й|та|але|проте),?\s*$", text[:lo])
            if not (first or ends_open or coordinated):
                return None  # "…, que piden revisar …": a relative clause's verb
            if first or who is None or not coordinated:
                who = _unexpressed(cast, cue, cue_text)
            span = _content(text, lo, cue.start, quoted, lex) if ends_open else None
            span = span or _content(text, _after_cue(text, cue, hi, lex), hi, quoted, lex)
            if span is None:
                return None
            spans.append(span)
        elif subject is not None:
            who = _speaker(text, subject, cast, lex)
            content_from = _after_cue(text, cue, hi, lex)
            after = _content(text, content_from, hi, quoted, lex)
            head = text[lo : subject[0]].rstrip()
            before_span = None
            if head and (head[-1] in "," or head[-1] in _CLOSERS or head[-1] in "—–"):
                before_span = _content(text, lo, subject[0], quoted, lex)
                if before_span and not before_span[2] and len(text[lo : subject[0]].split()) < 4:
                    before_span = None
            after_words = len(text[after[0] : after[1]].split()) if after else 0
            interleaved = text[cue.end : hi].lstrip()[:1] == "," or bool(
                re.match(r"[^\"“«„,.]{0,30},\s*[\"“«„‘]", text[cue.end : hi])
            )
            after_good = (
                after is not None
                and after_words >= 3
                and not (after_words <= 6 and _ADVERBIAL.match(text[cue.end : hi]))
            )
            if before_span and interleaved and after and (after_good or after[2]):
                spans.extend([before_span, after])
            elif before_span and (before_span[2] or not after_good):
                spans.append(before_span)
            elif after:
                spans.append(after)
            elif text[cue.end : hi].strip().endswith(":"):
                state.pending = (who, cue_text) if who else None
        elif (unsaid := _unattributed(text, cue, hi, quoted, lex)) is not None:
            spans.append(unsaid)  # "The court overruled and said Ohio …": a report without a subject
            opening = _subject_with_apposition(text, lo, cue.start, lex) or _clause_subject(
                text, lo, cue.start, cast, lex
            )
            who = _speaker(text, opening, cast, lex) if opening else who
        else:
            return None
    if who is not None and referents.applies(lex):  # "Сомова сказала": Сомова is a woman
        referents.teach(cast, who.start, referents.cue_gender(cue_text))
    return who, spans


def _possessive_speaker(text: str, cue: _Anchor, cast: Cast) -> _Speaker | None:
    """ "по её словам", "за його словами": the possessive, resolved to the nearest person of its gender."""
    found = referents.possessive(text, cue.start, cue.end, cast)
    if found is None:
        return None
    person, start, end = found
    if person is None:
        return _Speaker(None, start, end)
    cast.refer(person, start, end)
    return _Speaker(cast.canonical(person.name), start, end)


def _unexpressed(cast: Cast, cue: _Anchor, cue_text: str) -> _Speaker | None:
    """The speaker a pro-drop cue leaves out: the nearest person of the verb's gender."""
    person = referents.unexpressed(cast, cue.start, cue_text)
    if person is None:
        return None
    return _Speaker(cast.canonical(person.name), None, None)


def _labelled(
    text: str,
    label: tuple[int, int, int],
    end: int,
    quoted: list[Quoted],
    lex: Lexicon,
    cast: Cast,
    state: _State,
) -> bool:
    """A paragraph opened by a speaker's label ("TAPPER: …", "Sanders: …"): the rest is the label's
    bearer's; True when it was taken so."""
    span = _content(text, label[2], end, quoted, lex)
    if span is None:
        return False
    if label[0] > 0 and text[label[0] - 1] in _OPENERS:  # '"PENCE: Well, …': a transcript, verbatim
        span = (span[0], span[1], True)
    who = _speaker(text, (label[0], label[1]), cast, lex)
    _emit(state, text, span, who, ":")
    if who is not None and who.name:
        state.last = who
    state.quoting = who or _Speaker(None, None, None)
    state.pending = None
    state.last_was_quote = True
    return True


def _signed(
    text: str,
    signed: tuple[int, int, int],
    start: int,
    quoted: list[Quoted],
    lex: Lexicon,
    cast: Cast,
    state: _State,
) -> bool:
    """A paragraph that is a quotation signed after a dash ("“…” ― Krystal Correa"): the quotation
    is the name's; True when it was taken so."""
    span = _content(text, start, signed[2], quoted, lex)
    if span is None or not span[2]:
        return False
    who = _speaker(text, (signed[0], signed[1]), cast, lex)
    _emit(state, text, span, who, text[signed[2] : signed[0]].strip() or None)
    state.quoting = who or _Speaker(None, None, None)
    state.pending = None
    state.last_was_quote = True
    return True


def _unattributed(
    text: str, cue: _Anchor, hi: int, quoted: list[Quoted], lex: Lexicon
) -> tuple[int, int, bool] | None:
    """The clause after a strong reporting verb whose subject was not found ("…, a nominal
    Republican, said that …", "overruled and said Ohio …"): reported all the same, speaker unknown."""
    if text[cue.start : cue.end].split()[-1].lower() not in lex.strong:
        return None
    span = _content(text, _after_cue(text, cue, hi, lex), hi, quoted, lex)
    if span is None or len(text[span[0] : span[1]].split()) < MIN_UNATTRIBUTED:
        return None
    return span


def _german_span(text: str, cue: _Anchor, lo: int, hi: int) -> tuple[int, int] | None:
    """Where the clause or object a German cue reports starts and ends (see ``german.py``)."""
    if cue.kind == "verb" and (around := german.parenthetical(text, lo, cue.start, cue.end, hi)):
        return around  # "Das ist, glaube ich, eine große Errungenschaft"
    start = german.judgement_start(text, cue.start, cue.end, hi)
    if start is not None:
        return start, german.reported_end(text, lo, start, hi)
    if german.judging(text[cue.start : cue.end]):
        return None  # "halten" reports only with "für": "Wir halten uns an das Gesetz"
    start = german.reported_start(text, cue.start, cue.end, hi, noun=cue.kind == "noun")
    if start is not None:
        return start, german.reported_end(text, lo, start, hi)
    if cue.kind == "verb" and (start := german.object_start(text, cue.start, cue.end, hi)) is not None:
        return start, german.object_end(text, start, hi)
    return None


def _german_reported(
    text: str, cue: _Anchor, lo: int, hi: int, quoted: list[Quoted], lex: Lexicon, cast: Cast
) -> tuple[_Speaker | None, list[tuple[int, int, bool]]] | None:
    """ "Ich glaube, dass …", "Der Minister hat gesagt: …": the clause after the cue's comma or colon,
    its speaker the cue's subject (see ``german.py``). None when no reported clause follows the cue or
    the cue closes a quotation ("„…“, sagte er")."""
    before = text[lo : cue.start].rstrip().rstrip(",").rstrip()
    if before and before[-1] in _CLOSERS:
        return None  # "„…“, sagte Sabine Krüger, Geschäftsführerin der Kammer."
    found_span = _german_span(text, cue, lo, hi)
    if found_span is None:
        return None
    # the subject stands before the reported clause, or inside a parenthetical cue ("glaube ich")
    start = found_span[0] if found_span[0] > cue.start else hi
    span = _content(text, *found_span, quoted, lex)
    if span is None:
        return None
    who = None
    mention = next(
        (m for m in cast.mentions if m.person and lo <= m.start and m.end <= cue.start),
        None,
    )
    found = german.subject(text, lo, cue.start, cue.end, start)
    if found is not None:
        if german.unresolved(text, found, sentence_start=not text[lo : found[0]].strip()):
            who = _Speaker(None, *found)
        elif mention is not None and not (found[0] <= mention.start < found[1]) and found[1] - found[0] > 3:
            who = _speaker(text, (mention.start, mention.end), cast, lex)
        else:
            who = _speaker(text, found, cast, lex)
    elif mention is not None:
        who = _speaker(text, (mention.start, mention.end), cast, lex)
    return who, [span]


def _sentence(
    text: str, start: int, end: int, quoted: list[Quoted], lex: Lexicon, cast: Cast, state: _State
) -> None:
    anchors = _anchors(text, start, end, quoted, lex)
    asking, state.asking = state.asking, False
    if asking and not anchors and not quoted and text[start:end].rstrip().endswith("?"):
        _extend(state, text, end)  # "Ich frage Sie: Wo …? Wann …?": the series goes on
        return
    announced = state.pending  # by an earlier sentence ending in a colon, not by this one
    produced = False
    lo = start
    who: _Speaker | None = None
    n = 0
    while n < len(anchors):
        cue = anchors[n]
        hi = anchors[n + 1].start if n + 1 < len(anchors) else end
        found = _attribute(text, cue, lo, hi, who, n == 0, quoted, lex, cast, state)
        if found is None:
            n += 1
            continue
        n += 1
        if n < len(anchors) and any(
            s > cue.start and not text[e:hi].strip(' ,;:.!?"”’»') for s, e, _ in found[1]
        ):
            split = _COORDINATED.search(text, cue.end, anchors[n].start)
            if split is not None:  # "…contends that X, and Deese said Y": X ends at the new clause
                hi = split.start()
            else:  # the content runs into the next cue: it belongs to this one, up to a linking participle
                k = next(
                    (
                        m
                        for m in range(n, len(anchors))
                        if anchors[m].kind in ("participle", "prep")
                        and text[lo : anchors[m].start].rstrip().endswith(",")
                    ),
                    len(anchors),
                )
                hi = anchors[k].start if k < len(anchors) else end
                n = k
            found = _attribute(text, cue, lo, hi, who, lo == start, quoted, lex, cast, state) or found
        who, spans = found
        cue_text = text[cue.start : cue.end]
        for span in spans:
            _emit(state, text, span, who, cue_text)
            produced = True
            state.quoting = who or _Speaker(None, None, None)
            state.asking = lex.verb_second and _asks(text, span, end)
        if who is not None and who.name:
            state.last = who
        lo = hi
    if (
        not produced
        and quoted
        and referents.applies(lex)
        and _colon_quote(text, start, quoted, lex, cast, state)
    ):
        state.pending = None
        state.last_was_quote = True
        return
    if not produced and quoted:
        _continuation(text, start, end, quoted, lex, state)
        return
    if not produced and announced is not None and state.pending is announced:
        who, cue_text = state.pending
        span = _content(text, start, end, quoted, lex)
        if span:
            _emit(state, text, span, who, cue_text)
            produced = True
    if state.pending is announced:  # a colon at the end of this sentence announces the next one
        state.pending = None
    state.last_was_quote = produced and bool(quoted)


def _asks(text: str, span: tuple[int, int, bool], end: int) -> bool:
    """Whether a reported span is a question announced by a colon that closes its sentence."""
    before = text[: span[0]].rstrip()
    return before.endswith(":") and not span[2] and text[span[1] : end].strip() == "?"


def _extend(state: _State, text: str, end: int) -> None:
    """Extend the latest quote over the sentence ending at ``end`` (its closing mark left out)."""
    last = state.quotes[-1]
    last.end = len(text[:end].rstrip().rstrip("?").rstrip())
    last.text = text[last.start : last.end]
    state.asking = True


def _colon_quote(
    text: str, start: int, quoted: list[Quoted], lex: Lexicon, cast: Cast, state: _State
) -> bool:
    """ "Ibarra, elegido mejor jugador, no ocultaba la emoción: «…»": a quotation announced by a colon
    in a sentence without a cue is spoken by the sentence's subject (a name or pronoun near its start,
    else its first phrase when it can name a speaker)."""
    q = quoted[0]
    colon = text[start : q.outer_start].rstrip()
    if not colon.endswith(":") or len(colon.split()) < 2 or len(text[q.start : q.end].split()) < 3:
        return False
    pos = start + len(colon) - 1
    subject = _clause_subject(text, start, pos, cast, lex)
    if subject is None:
        first = re.match(r"\s*([^,:;]+?)\s*[,:]", text[start : pos + 1])
        if first is None or len(first.group(1).split()) > 4:
            return False
        subject = (start + first.start(1), start + first.end(1))
    who = _speaker(text, subject, cast, lex)
    if who is None:
        return False
    _emit(state, text, (q.start, q.end, True), who, None)
    if who.name:
        state.last = who
    return True


def _continuation(text: str, start: int, end: int, quoted: list[Quoted], lex: Lexicon, state: _State) -> None:
    """A quotation with no cue of its own: announced by a colon, or continuing the previous quote."""
    covered = sum(q.outer_end - q.outer_start for q in quoted)
    whole = covered >= 0.6 * (end - start)
    who: _Speaker | None = None
    cue = None
    if state.pending is not None:
        who, cue = state.pending
    elif whole and state.last_was_quote:
        who = state.quoting
    state.pending = None
    if who is None:
        state.last_was_quote = False
        return
    for q in quoted:
        if len(text[q.start : q.end].split()) >= 3 or whole:
            _emit(state, text, (q.start, q.end, True), who, cue)
    state.last_was_quote = True
