"""Who is speaking: names in the article, and pronouns and role nouns resolved to them.

Without a model, person names are found with a capitalised-word heuristic (runs of capitalised words,
with initials and name particles, minus sentence-initial function words, titles and organisation
words). When the caller passes person entities (spans with offsets), those are used instead.
A pronoun or a role noun ("the Kremlin aide", "le président") is resolved to the most recent compatible
person named earlier in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.enrich.entities.names import is_title
from newsdesk.enrich.quotes.cues import wordset

# Latin Extended-A for Central European names ("Ondřej", "Łukasz", "Šimon").
_UP = "A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐČĆĎĚŁŃŇŘŚŠŤŮŹŻŽĽĹŔŐŰĞŞ"
_LOW = "a-zß-öø-ÿа-яёіїєґ\u0100-\u017f"
_CAP = (
    rf"[{_UP}][{_LOW}]+(?:[’'-][{_UP}{_LOW}][{_LOW}]+)*|[{_UP}]\.|[{_UP}]{{2,}}(?![{_LOW}])"
    rf"|Mc[{_UP}][{_LOW}]+|O['’][{_UP}][{_LOW}]+"
)
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|bin|ibn|al|el|la|le|dos|das|ter|zu)"
NAME_RE = re.compile(rf"(?<![\w.])(?:{_CAP})(?:\s+(?:{_PARTICLE}\s+)?(?:{_CAP}))*(?![\w])")

# Capitalised words that start or make up a run but are not names.
NOT_NAMES = wordset(
    """the a an in on at but and or if as so he she it they we i you his her its their our my this that these
    those there here when while after before since for from with by of to not no yes also yet still then
    now however meanwhile although though because what who whom which where why how all some many most
    more several both each every one two three four mr mrs ms dr sen rep gov gen prof president senator
    congressman congresswoman governor secretary minister chancellor judge justice mayor rev st sgt lt col
    capt adm representative speaker leader chairman chairwoman director spokesman spokeswoman spokesperson
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december le la les un une des il elle ils elles on du au aux et
    mais pour dans sur avec selon der die das ein eine er sie es und aber mit laut el los las una y pero
    según con por para м г в и но по как он она они він вона вони та але за republican republicans
    democrat democrats democratic gop american americans russian russians ukrainian french german
    european british chinese mexican muslim muslims christian christians catholic evangelical
    read click related advertisement watch photo
    en ce cette ces son ses leur nous vous je personne rien tout tous toute toutes quand lorsque puis
    si ainsi aussi ne ni où là ici c’est c'est d’après depuis pendant après avant face côté outre
    es él ella ellos ellas al sin sobre tras desde hasta entre hace ya cuando donde aunque también
    así este esta estos estas ese esa sus nadie todo todos todas mientras después antes durante frente
    об на с у к это этот эта эти мы вы я так уже ещё еще когда если после до при для из от
    у з із до це цей ця ці ми ви я так вже коли якщо після для від про під"""
)
TITLES = wordset(
    """mr mrs ms miss dr prof sen rep gov gen president senator congressman congresswoman governor secretary
    minister chancellor judge justice mayor rev sgt lt col capt adm ambassador envoy aide spokesman
    spokeswoman spokesperson adviser advisor chairman chairwoman chair ceo director candidate nominee
    pope king queen prince princess sheriff attorney m mme monsieur madame président présidente ministre
    herr frau bundeskanzler kanzler kanzlerin präsident präsidentin minister ministerin sr sra señor señora
    presidente ministro ministra господин президент министр премьер глава президента міністр прем'єр
    депутат депутатка мэр губернатор директор директорка тренер председатель аналитик агроном
    министерка міністерка речник речниця голова генерал полковник пенсионерка пенсіонерка"""
)
ORG_WORDS = wordset(
    """house party committee department ministry court university times post news office council agency
    government campaign union bank inc corp institute foundation association kremlin pentagon senate
    congress administration network journal magazine press tribune herald daily review center centre
    group organization organisation company network tv radio cnn nbc abc cbs fox msnbc nato ap reuters afp
    politico twitter facebook google instagram youtube breitbart commission board service services fund
    city county state states nation nations republic federation police army navy force forces guard
    school college club church embassy parliament assembly duma rada bundestag élysée maison blanche
    gallup quinnipiac poll survey report study institute foundation project coalition alliance federal
    capitol hall street avenue square airport
    parti partido mairie ayuntamiento ministère ministerio syndicat sindicato université universidad
    banque banco agence agencia institut instituto fonds fondo groupe grupo compagnie compañía empresa
    société conseil consejo junta commission comisión gouvernement gobierno coopérative cooperativa
    fédération federación confederación servicio hôpital hospital collège lycée colegio escuela école
    stade estadio arena plaza calle rue paseo barrio quartier puente pont puerto san santa saint sainte
    deportivo atlético real
    партия партии министерство компания банк университет клуб фонд агентство служба дума совет
    партія партії міністерство компанія університет агенція рада"""
)
PERSON_ROLES = wordset(
    """president aide spokesman spokeswoman spokesperson senator minister adviser advisor official chancellor
    governor mayor candidate nominee secretary ambassador envoy leader chief director chairman chairwoman
    congressman congresswoman lawmaker representative judge justice prosecutor lawyer attorney author
    analyst economist professor researcher expert strategist pollster manager founder ceo executive
    businessman billionaire diplomat negotiator premier king queen pope general commander officer
    sheriff activist politician republican democrat host reporter columnist writer woman man
    coach captain goalkeeper defender striker midfielder player warden landlord chairperson prefect
    président présidente conseiller conseillère ministre porte-parole diplomate chef dirigeant
    präsident präsidentin kanzler kanzlerin berater beraterin sprecher sprecherin minister ministerin
    presidente ministro ministra portavoz asesor asesora líder jefe
    президент помощник министр пресс-секретарь советник глава лидер представитель
    президента помічник міністр речник радник голова лідер представник
    présidente maire préfet préfète directeur directrice conseillère adjoint adjointe secrétaire
    entraîneur capitaine manager élu élue député députée sénateur sénatrice gouverneur gouverneure
    docteur médecin colonel officier responsable syndicaliste délégué déléguée chanteuse chanteur
    entrepreneur économiste spécialiste avocat avocate juge procureur candidat candidate patronne
    fondateur fondatrice ouvrière ouvrier dirigeante
    presidenta alcalde alcaldesa consejero consejera director directora concejal concejala secretario
    secretaria técnico entrenador capitán dirigente gobernador gobernadora diputado diputada economista
    científico científica investigador investigadora jefa delegado delegada abogado abogada
    coronel fundador fundadora
    министра директор директора губернатор губернатора мэр мэра тренер тренера капитан капитана
    депутат депутата председатель председателя куратор куратора аналитик аналитика эксперт
    представительница заместитель руководитель руководителя агроном синоптик глава главы
    директорка міністерка речниця представниця керівник керівниця тренера депутата аналітик
    аналітикиня лікар лікарка мер організатор організаторка голови міністра директора"""
)
_FEMALE_PRONOUNS = wordset("she her elle sie ella она вона её ее її")
_MALE_PRONOUNS = wordset("he him il er él он він lui его його")
# German feminine role nouns: "Präfektin", "Hydrologin", "Geschäftsführerin", "Notenbankchefin".
_FEMININE_ROLE = re.compile(
    r"^[A-ZÄÖÜ]\w*(?:erin|login|istin|entin|antin|torin|chefin|ektin|eurin|ärztin|omin|afin|aphin|rätin)$"
)
_QUOTATION = re.compile(r"[„“«\"][^„“”«»\"]*[“”»\"]")
_FEMALE_TITLES = wordset("mrs ms miss mme madame frau sra señora kanzlerin präsidentin ministerin")
_MALE_TITLES = wordset("mr m monsieur herr sr señor")
_CYRILLIC = re.compile(r"[А-ЯЁІЇЄҐа-яёіїєґ]")
_LOWER_WORD = re.compile(rf"[{_LOW}][\w'’-]*")


@dataclass
class Person:
    """A name mention: its span, its canonical name and what is known of it."""

    start: int
    end: int
    name: str
    person: bool = True
    gender: str | None = None
    # Found by the name heuristic where a recogniser's entities were given but missed it.
    guessed: bool = False


@dataclass
class Cast:
    """The people named in one article, in order, with the means to resolve mentions to them."""

    text: str
    mentions: list[Person] = field(default_factory=list)
    roles: dict[str, list[Person]] = field(default_factory=dict)
    speakers: set[str] = field(default_factory=set)
    # False where every noun is capitalised (German): the name heuristic did not run.
    capitalised_names: bool = True
    # A pronoun goes to the nearest compatible person of its paragraph before the speakers seen
    # earlier (French, Spanish, Russian, Ukrainian: quotes/referents.py).
    nearest_first: bool = False

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]

    def canonical(self, name: str) -> str:
        """The longest name of the article that ends with (or equals) ``name``: "Ushakov" → "Yuri Ushakov"."""
        bare = strip_title(name)
        if not bare:
            return name
        best = bare
        last = bare.split()[-1]
        for m in self.mentions:
            parts = m.name.split()
            if parts and parts[-1] == last and len(m.name) > len(best) and m.name.endswith(bare):
                best = m.name
        if _CYRILLIC.match(last) and len(last) >= 5:
            best = self._nominative(best)
        return best

    def _nominative(self, name: str) -> str:
        """Russian/Ukrainian names are inflected: "Юрия Ушакова" → "Юрий Ушаков" when written so."""
        parts = name.split()
        stem = parts[-1][:-2] if len(parts[-1]) > 5 else parts[-1][:-1]
        best = name

        def rank(words: list[str]) -> tuple[int, int]:
            return (len(words[-1]), -len(words))

        for m in self.mentions:
            other = m.name.split()
            if not other[-1].startswith(stem) or len(other[-1]) > len(stem) + 2:
                continue
            if rank(other) < rank(best.split()):
                best = m.name
        return best

    def mention_at(self, start: int, end: int) -> Person | None:
        """The name mention overlapping ``start:end``, if any."""
        i = bisect_left(self._starts, start)
        for j in (i - 1, i):
            if 0 <= j < len(self.mentions):
                m = self.mentions[j]
                if m.start < end and start < m.end:
                    return m
        return None

    def before(self, pos: int) -> list[Person]:
        """Person mentions ending before ``pos``, most recent first."""
        i = bisect_left(self._starts, pos)
        return [m for m in reversed(self.mentions[:i]) if m.end <= pos and m.person]

    def resolve_pronoun(self, pronoun: str, pos: int) -> Person | None:
        """The most recent compatible person before ``pos``; speakers seen so far come first."""
        low = pronoun.lower()
        gender = "f" if low in _FEMALE_PRONOUNS else "m" if low in _MALE_PRONOUNS else None
        return self.resolve(gender, pos)

    def resolve(self, gender: str | None, pos: int) -> Person | None:
        """The most recent person before ``pos`` of ``gender`` ("f", "m" or None for any);
        speakers seen so far come first, unless ``nearest_first`` and one is in the paragraph."""
        candidates = [m for m in self.before(pos) if gender is None or m.gender in (None, gender)]
        if self.nearest_first:  # a name inside a quotation is not who is speaking
            candidates = [m for m in candidates if not _inside_quotes(self.text, m.start)]
        if not candidates:
            return None
        if self.nearest_first and "\n" not in self.text[candidates[0].end : pos]:
            known = [m for m in candidates if gender and m.gender == gender]
            return known[0] if known and "\n" not in self.text[known[0].end : pos] else candidates[0]
        for m in candidates[:3] if gender else ():
            if m.gender == gender and self._opens_sentence(m, pos):
                return m  # "Die Hydrologin Regina Falk vom Verbund rechnet … „…“, sagte sie."
        for m in candidates[:6]:
            if self.canonical(m.name) in self.speakers:
                return m
        return candidates[0]

    def _opens_sentence(self, person: Person, pos: int) -> bool:
        """Whether ``person`` is the subject opening a sentence of ``pos``'s paragraph, the
        sentence just before it (with its titles and article before the name)."""
        if "\n" in self.text[person.end : pos]:
            return False
        opening = self.text[max(0, person.start - 40) : person.start]
        lead = re.split(r"[.!?:]\s+|\n", opening)[-1] if re.search(r"[.!?:]\s+|\n", opening) else None
        if lead is None or len(lead.split()) > 2:
            return False
        between = _QUOTATION.sub("", self.text[person.end : pos])
        return len(re.findall(r"[.!?]\s", between)) <= 1

    def refer(self, person: Person, start: int, end: int, pronoun: str | None = None) -> None:
        """Record that ``start:end`` (a pronoun or a role noun) refers to ``person``.

        The reference becomes the person's most recent mention, and a gendered pronoun teaches the
        person's gender.
        """
        low = (pronoun or "").lower()
        gender = "f" if low in _FEMALE_PRONOUNS else "m" if low in _MALE_PRONOUNS else None
        if gender:
            last = person.name.split()[-1]
            for m in self.mentions:
                if m.name.split()[-1] == last and m.gender is None:
                    m.gender = gender
        i = bisect_left(self._starts, start)
        if i < len(self.mentions) and self.mentions[i].start == start:
            return
        self.mentions.insert(i, Person(start, end, person.name, True, person.gender or gender))
        self._starts.insert(i, start)

    def resolve_role(self, role: str, pos: int) -> Person | None:
        """The most recent person introduced with ``role`` ("aide", "president"), else None."""
        people = [m for m in self.roles.get(role.lower(), []) if m.end <= pos]
        return people[-1] if people else None


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a «…» or “…” quotation opened in its paragraph."""
    before = text[text.rfind("\n", 0, pos) + 1 : pos]
    return before.count("«") > before.count("»") or before.count("“") > before.count("”")


def strip_title(name: str) -> str:
    """A name without its leading titles ("Mr.", "Sen.", "President")."""
    parts = name.split()
    while parts and (parts[0].lower().rstrip(".") in TITLES or len(parts) > 2 and is_title(parts[0])):
        parts = parts[1:]  # also a role before a full name: "Präfektin Anne-Sophie Lemaire"
    return " ".join(parts)


def _clean_run(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Drop leading non-name words; return the run's bounds and a gender hint from a title."""
    gender = None
    pos = start
    for m in re.finditer(r"\S+", text[start:end]):
        word = re.sub(r"['’]s$", "", m.group(0).lower()).rstrip(".")
        if word in _FEMALE_TITLES:
            gender = "f"
        elif word in _MALE_TITLES:
            gender = "m"
        if word in NOT_NAMES or word in TITLES:
            pos = start + m.end()
            continue
        break
    while pos < end and text[pos].isspace():
        pos += 1
    return pos, end, gender


def _after_role(text: str, start: int) -> bool:
    """Whether a title or a person's role stands right before ``start`` ("prefect", "Colonel")."""
    before = text[max(0, start - 30) : start]
    if not before.endswith(" "):
        return False
    word = before.split()[-1:] or [""]
    return word[0].lower() in PERSON_ROLES or is_title(word[0])


def _feminine_role(text: str, start: int, end: int) -> str | None:
    """ "f" when a German feminine role noun opens the name or stands right before it
    ("Hydrologin Regina Falk", "die Präfektin Anne-Sophie Lemaire"), else ``None``."""
    words = text[max(0, start - 40) : end].split()
    inside = len(text[start:end].split())
    candidates = words[-inside - 1 : -inside + 1] if inside > 1 else words[-2:-1]
    return "f" if any(_FEMININE_ROLE.search(w) for w in candidates) else None


def _is_person(name: str, context_before: str) -> bool:
    words = [w.lower().strip(".") for w in name.split()]
    if any(w in ORG_WORDS for w in words):
        return False
    if all(len(w) <= 1 for w in words):
        return False
    if len(words) >= 2:
        return True
    previous = context_before.split()[-1:] if context_before.strip() else []
    return bool(previous) and previous[0].lower().rstrip(".") in TITLES


def find_people(text: str, entities: Iterable | None = None, *, capitalised_names: bool = True) -> Cast:
    """Name mentions of ``text`` and their roles: the person entities when ``entities`` are
    given, plus the names the heuristic finds where no entity of another kind (an
    organisation, a place) stands; else the heuristic alone.

    With ``capitalised_names`` false (German, where every noun is capitalised), the heuristic
    does not run: the guesses are the entities of unknown kind of two words or more."""
    mentions: list[Person] = []
    blocked: list[tuple[int, int]] = []
    if entities is not None:
        for start, end, lemma, kind in entity_spans(entities):
            name = lemma or strip_title(text[start:end]) or text[start:end]
            if kind is False and len(name.split()) >= 2 and _after_role(text, start):
                kind = True  # "regional prefect Anne-Sophie Lemaire" typed an organisation
            gender = None if capitalised_names else _feminine_role(text, start, end)
            if kind:
                mentions.append(Person(start, end, name, gender=gender))
            elif kind is None and not capitalised_names and len(name.split()) >= 2:
                mentions.append(Person(start, end, name, guessed=True, gender=gender))
            if kind is not None:
                blocked.append((start, end))
    for m in NAME_RE.finditer(text) if capitalised_names or entities is None else ():
        start, end, gender = _clean_run(text, m.start(), m.end())
        name = text[start:end].strip()
        if end <= start or not name or name.lower() in NOT_NAMES:
            continue
        if end - start > 1 and text[end - 1] == "." and len(name.split()[-1]) > 2:
            end -= 1
            name = name[:-1]
        person = _is_person(text[m.start() : end], text[max(0, m.start() - 20) : m.start()])
        if entities is not None and (not person or any(s < end and start < e for s, e in blocked)):
            continue
        mentions.append(Person(start, end, name, person=person, gender=gender, guessed=entities is not None))
    mentions.sort(key=lambda p: p.start)
    _spread_knowledge(mentions)
    cast = Cast(text, mentions, capitalised_names=capitalised_names)
    cast.roles = _roles(text, mentions)
    return cast


def _spread_knowledge(mentions: list[Person]) -> None:
    """A surname of a known person is a person; a gender seen once holds for the whole name."""
    known: dict[str, Person] = {}
    for m in mentions:
        last = m.name.split()[-1]
        if m.person and len(m.name.split()) >= 2:
            known.setdefault(last, m)
    for m in mentions:
        last = m.name.split()[-1]
        if last in known:
            m.person = True
            full = known[last]
            m.gender = m.gender or full.gender
            full.gender = full.gender or m.gender


def _roles(text: str, mentions: list[Person]) -> dict[str, list[Person]]:
    """Role nouns written next to a name: "Kremlin aide Yuri Ushakov", "Ushakov, the Kremlin aide"."""
    roles: dict[str, list[Person]] = {}
    for m in mentions:
        if not m.person:
            continue
        before = text[max(0, m.start - 60) : m.start]
        after = text[m.end : m.end + 60]
        words = [w.lower() for w in _LOWER_WORD.findall(before.split(",")[-1])[-3:]]
        words += [w.lower() for w in re.findall(r"\w+", before)[-2:]]
        appositive = re.match(r"\s*,\s*((?:[^,.;]){0,50})[,.]", after)
        if appositive:
            words += [w.lower() for w in re.findall(r"[\w-]+", appositive.group(1))]
        for word in set(words):
            if word in PERSON_ROLES:
                roles.setdefault(word, []).append(m)
    return roles


_PERSON_LABELS = frozenset({"PER", "PERSON", "PERS"})


def _field(ent: object, *names: str) -> object:
    for name in names:
        value = ent.get(name) if isinstance(ent, dict) else getattr(ent, name, None)
        if value is not None and value != "":
            return value
    return None


def entity_spans(entities: Iterable) -> list[tuple[int, int, str | None, bool | None]]:
    """(start, end, base form, kind) of the entities: kind ``True`` for a person, ``False`` for
    another kind of name (organisation, place, nationality…), ``None`` when unknown.

    An entity is an object or a dict with ``start``, ``end`` and optionally ``type`` (PERSON, ORG…) or
    ``label`` (PER, PERSON, GPE…) and ``lemma``; or a ``(start, end[, label])`` tuple. An entity
    without a type or label is a person; one of type OTHER is of unknown kind.
    """
    spans = []
    for ent in entities:
        if isinstance(ent, tuple | list):
            start, end = ent[0], ent[1]
            label, lemma = (ent[2] if len(ent) > 2 else None), None
        else:
            start, end = _field(ent, "start"), _field(ent, "end")
            label = _field(ent, "type") or _field(ent, "label", "kind", "label_")
            lemma = _field(ent, "lemma")
        if start is None or end is None:
            continue
        kind: bool | None = True
        if label is not None and str(label).upper() not in _PERSON_LABELS:
            kind = None if str(label).upper() == "OTHER" else False
        spans.append((int(start), int(end), str(lemma) if lemma else None, kind))
    return spans
