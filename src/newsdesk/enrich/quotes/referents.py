"""Who an unnamed speaker is, in French, Spanish, Russian and Ukrainian.

- **Genders** of the people named: from a gendered role or determiner next to the name ("la préfète
  Claire Vasseur", "el alcalde, Bernard Thouvenot", "пенсионерка Людмила Давыдова"), from Russian and
  Ukrainian name endings ("Ирина Сомова") and past-tense verbs ("сказала" f, "сказал"/"сказав" m).
- **Roles**: a role phrase followed by a name ("la présidente de la métropole, Sylvie Marchetti")
  is that name; a role phrase alone ("le ministre", "el técnico", "тренер") is the person introduced
  with that role, else the nearest person of its gender.
- **Unexpressed subjects** (Spanish, Russian, Ukrainian: "Añadió que …", "— зазначив."), and
  possessive sources ("по её словам", "за його словами") go to the nearest person of the verb's or
  the possessive's gender.
- **Plausible speakers**: a phrase that names nobody (no name, pronoun, role or group noun: "est un
  soulagement", "aunque", "Les marchés") is no speaker.
"""

from __future__ import annotations

import re

from newsdesk.enrich.quotes.cues import Lexicon, wordset
from newsdesk.enrich.quotes.speakers import NOT_NAMES, PERSON_ROLES, Cast, Person

LANGUAGES = frozenset({"fr", "es", "ru", "uk"})
# Languages that leave a pronoun subject out ("Añadió que …", "— зазначив.").
PRO_DROP = frozenset({"es", "ru", "uk"})

FEMALE_ROLES = wordset(
    """présidente préfète directrice conseillère adjointe chanteuse ouvrière gouverneure avocate candidate
    élue députée sénatrice patronne fondatrice dirigeante déléguée porte-parole-femme habitante riveraine
    commerçante agricultrice femme mère retraitée
    presidenta alcaldesa consejera directora ministra concejala secretaria científica investigadora jefa
    prefecta abogada diputada senadora gobernadora dueña agricultora delegada fundadora madre vecina jueza
    mujer jubilada
    пенсионерка учительница представительница руководительница журналистка жительница участница
    чемпионка спортсменка женщина директриса
    директорка міністерка речниця представниця лікарка екологиня аналітикиня пенсіонерка мешканка
    вчителька керівниця журналістка чемпіонка учасниця жінка жінки головна женщины"""
)
MALE_ROLES = wordset(
    """président préfet directeur conseiller adjoint chanteur ouvrier gouverneur avocat candidat élu député
    sénateur patron fondateur dirigeant délégué colonel entraîneur habitant riverain commerçant
    agriculteur homme père retraité
    alcalde consejero director ministro concejal secretario científico investigador jefe abogado diputado
    senador gobernador dueño agricultor delegado fundador padre vecino técnico entrenador capitán hombre
    jubilado coronel
    пенсионер учитель представитель руководитель житель участник чемпион спортсмен мужчина
    пенсіонер мешканець вчитель представник керівник чоловік чоловіка чемпіон учасник головний мужчины"""
)
_FEMININE = wordset("la une sa cette una esta")
_MASCULINE = wordset("le un ce cet el este del al")
# Plural people and institutions that speak: "les syndicats", "los vecinos", "эксперты".
GROUPS = wordset(
    """associations association syndicats syndicat habitants riverains experts analystes économistes élus
    médecins agriculteurs salariés manifestants enquêteurs responsables autorités services secours
    pompiers hydrologues scientifiques chercheurs spécialistes commerçants organisateurs familles proches
    avocats témoins militants opposants écologistes sources source préfecture mairie ministère
    gouvernement capitainerie police gendarmerie parquet direction entreprise société groupe agence
    constructeur institut sondage étude rapport communiqué équipes collectif opposition majorité
    vecinos expertos analistas sindicatos sindicato pediatras médicos autoridades fuentes fuente
    responsables agricultores economistas investigadores científicos organizadores bomberos hidrólogos
    asociaciones asociación ecologistas trabajadores empresarios comerciantes regantes testigos
    ministerio gobierno ayuntamiento policía empresa compañía club plataforma agencia consejería
    departamento organización confederación sondeo estudio informe comunicado oposición consejo
    conseil junta dirección"""
)
_GROUP_STEMS = tuple(
    wordset(
        """эксперт аналитик синоптик власт жител врач учён учен специалист организатор источник представител
    депутат фермер аграри эколог спасател чиновник министерств ведомств компани институт минсельхоз дум
    администрац служб заявлени правительств мэри полици експерт аналітик влад мешкан лікар науковц
    фахівц організатор джерел представник фермер аграрі еколог рятувальник посадовц міністерств відомств
    компані інститут управлін адміністрац служб заяв уряд мері поліці громад"""
    )
)
# Endings of plural nouns for people: "géologues", "syndicalistes", "chercheurs", "habitants",
# "policiers", "fonctionnaires", "hidrólogos", "ecologistas", "trabajadores", "vecinos"…
_PEOPLE_PLURALS = tuple(
    wordset(
        """logues istes iens ciens eurs euses ants ents iers ières aires ólogos ólogas istas dores doras
        tores toras antes entes eros eras arios arias icos icas"""
    )
)
_MALE_NAMES_IN_A = wordset("никита илья кузьма фома лука савва данила гаврила микола сава ілля")
# Words after which a Russian or Ukrainian name is inflected ("по словам Ивана Петрова").
_OBLIQUE = wordset(
    """по словам мнению у для от к с о об про при без после против за на в во до словами думку від з із
    після проти"""
)
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_ELISION = re.compile(r"^(?:l|d|qu|s)['’]", re.IGNORECASE)
_POSSESSIVE = {
    "его": "m",
    "її": "f",
    "её": "f",
    "ее": "f",
    "його": "m",
    "их": "p",
    "їхніми": "p",
    "їхню": "p",
}
# A role phrase opened by one of these stands for someone already named ("la jeune femme");
# a possessive one ("sa voisine", "su hija") for someone else.
_DEFINITE = wordset("le la el ce cette este esta")
_DETERMINERS = wordset("le la les un une des ce cet cette ces son sa ses leur leurs du de")


def applies(lex: Lexicon) -> bool:
    """Whether these rules run for the lexicon's language."""
    return lex.language in LANGUAGES


def _bare(word: str) -> str:
    return _ELISION.sub("", word.lower().strip('.,;:!?«»“”"()'))


def name_gender(name: str) -> str | None:
    """A Russian or Ukrainian name's gender from its endings ("Ирина Сомова" f, "Олег Гришин" m)."""
    words = name.lower().split()
    if not words or not _CYRILLIC.search(words[-1]):
        return None
    last = words[-1]
    if last.endswith(("ова", "ева", "ёва", "ина", "ская", "цкая", "ська", "цька")):
        return "f"
    if last.endswith(("ов", "ев", "ёв", "ин", "ский", "цкий", "ський", "цький")):
        return "m"
    if len(words) >= 2:
        first = words[0]
        if first.endswith(("а", "я")) and first not in _MALE_NAMES_IN_A and not first.endswith(("ия", "ея")):
            return "f"
        if not first.endswith(("а", "я", "ь", "ы", "и", "і", "у", "ю", "е", "ой", "ем", "ом")):
            return "m"
    return None


def _is_role(word: str) -> bool:
    return word in PERSON_ROLES or word in FEMALE_ROLES or word in MALE_ROLES


def _role_gender(words: list[str]) -> str | None:
    """The gender a role phrase's words mark ("la présidente", "el director", "пенсионерка")."""
    for k, word in enumerate(words):
        if word in FEMALE_ROLES:
            return "f"
        if word in MALE_ROLES:
            return "m"
        if word in PERSON_ROLES and k:
            if words[k - 1] in _FEMININE:
                return "f"
            if words[k - 1] in _MASCULINE:
                return "m"
    return None


def cue_gender(cue: str) -> str | None:
    """The gender a Russian or Ukrainian past-tense cue marks: "сказала" f, "сказал"/"сказав" m."""
    for word in cue.lower().split():
        if not _CYRILLIC.search(word):
            continue
        if word.endswith(("ла", "лась", "лася")):
            return "f"
        if word.endswith(("л", "лся", "в", "вся")) and len(word) > 4:
            return "m"
    return None


def possessive_gender(cue: str) -> str | None:
    """The possessive of "по её словам", "за його словами": "f", "m", "p" (plural), else None."""
    for word in cue.lower().split():
        if word in _POSSESSIVE:
            return _POSSESSIVE[word]
    return None


def _context(text: str, m: Person) -> tuple[list[str], list[str]]:
    """The words of the role phrase before a name (its clause, or the phrase before ", Name") and of
    the appositive after it (", céréalier à Saint-Aubin et président de …,")."""
    before = text[max(0, m.start - 80) : m.start]
    before = re.split(r"[.;:!?«»“”\"\n]", before)[-1]
    chunks = before.split(",")
    chunk = chunks[-2] if len(chunks) >= 2 and not chunks[-1].strip() else chunks[-1]
    words_before = [_bare(w) for w in chunk.split()[-6:]]
    after = re.match(r"\s*,\s*([^,.;:\n«»“”]{1,120})[,.;]", text[m.end : m.end + 130])
    words_after = [_bare(w) for w in after.group(1).split()] if after else []
    return words_before, words_after


def learn(cast: Cast) -> None:
    """Genders and roles of the cast's people from their names and the words around them."""
    text = cast.text
    for m in cast.mentions:
        if not m.person:
            continue
        before, after = _context(text, m)
        if m.gender is None:
            by_name = None if before[-1:] and before[-1] in _OBLIQUE else name_gender(m.name)
            m.gender = _role_gender(before) or _role_gender(after) or by_name
        for word in set(before + after):
            if word in PERSON_ROLES and m not in cast.roles.get(word, []):
                cast.roles.setdefault(word, []).append(m)
    for people in cast.roles.values():
        people.sort(key=lambda p: p.start)
    known: dict[str, str] = {}
    for m in cast.mentions:
        if m.gender:
            known.setdefault(m.name.split()[-1], m.gender)
    for m in cast.mentions:
        m.gender = m.gender or known.get(m.name.split()[-1])


def teach(cast: Cast, start: int | None, gender: str | None) -> None:
    """Record ``gender`` for the person mentioned at ``start`` (and the same surname elsewhere)."""
    if start is None or gender not in ("f", "m"):
        return
    mention = cast.mention_at(start, start + 1)
    if mention is None or mention.gender is not None:
        return
    last = mention.name.split()[-1]
    for m in cast.mentions:
        if m.name.split()[-1] == last and m.gender is None:
            m.gender = gender


def appositive_name(text: str, span: tuple[int, int], cast: Cast, short: bool = False) -> tuple[int, int]:
    """A role phrase followed by ", Name" ("la présidente de la métropole, Sylvie Marchetti,"):
    the span through the name; else ``span``. With ``short``, any phrase of up to four words
    that opens in lower case will do ("l'un d'eux, Bertrand Gayraud,")."""
    phrase = text[span[0] : span[1]]
    words = [_bare(w) for w in phrase.split()]
    loose = short and len(words) <= 4 and phrase[:1].islower()
    if not (loose or any(_is_role(w) for w in words)):
        return span
    m = re.match(r"\s*,\s*", text[span[1] : span[1] + 4])
    if not m:
        return span
    pos = span[1] + m.end()
    mention = cast.mention_at(pos, pos + 1)
    if mention is None or not mention.person or mention.start != pos:
        return span
    if not re.match(r"\s*(?:[,.;:!?]|$)", text[mention.end : mention.end + 2]):
        return span
    return span[0], mention.end


def role_referent(phrase: str, start: int, cast: Cast) -> Person | None:
    """The person a role phrase stands for: "le ministre", "L’entrepreneur", "el técnico", "тренер"."""
    words = [_bare(w) for w in phrase.split()]
    if not words or len(words) > 8:
        return None
    head = next((k for k, w in enumerate(words[:4]) if _is_role(w)), None)
    if head is None:
        return None
    elided = bool(_ELISION.match(phrase.split()[0])) and head == 0
    determined = head > 0 and words[0] in _DEFINITE
    bare_role = _CYRILLIC.search(words[head]) is not None and head <= 1
    if not (elided or determined or bare_role):
        return None
    person = cast.resolve_role(words[head], start)
    return person or cast.resolve(_role_gender(words[: head + 1]), start)


def unexpressed(cast: Cast, pos: int, cue: str) -> Person | None:
    """The subject a pro-drop cue leaves out ("Añadió que", "— зазначив."): the nearest person of
    the verb's gender."""
    return cast.resolve(cue_gender(cue), pos)


def source_like(phrase: str, cast: Cast) -> bool:
    """Whether "Pour …, " introduces a source: a role ("ce spécialiste"), a group of people ("les
    syndicats"), an acronym ("la CGT") or someone already quoted; not "les ménages maraviens",
    "Puerto Alba". The head noun decides: the first word after the determiners."""
    words = [raw for raw in re.findall(r"[\w'’-]+", phrase) if _bare(raw) not in _DETERMINERS]
    if words:
        raw, word = words[0], _bare(words[0])
        if _is_role(word) or word in GROUPS or (len(word) > 6 and word.endswith(_PEOPLE_PLURALS)):
            return True
        if len(raw) >= 2 and raw.isupper():
            return True
    return any(cast.canonical(name) in cast.speakers for name in re.findall(r"[A-ZÀ-Ý][\w'’-]+", phrase))


def plausible(phrase: str, lex: Lexicon) -> bool:
    """Whether a phrase can name a speaker: a name, a pronoun, a role or a group of people."""
    for raw in re.findall(r"[\w'’-]+", phrase):
        if raw.lower() in lex.complementisers or raw.lower().startswith(("qu'", "qu’")):
            break  # "samedi qu'elle se représenterait": a clause, not a speaker
        word = _bare(raw)
        if _ELISION.sub("", raw)[:1].isupper() and word not in NOT_NAMES:
            return True
        if word in lex.pronouns or word in PERSON_ROLES or word in GROUPS:
            return True
        if word in FEMALE_ROLES or word in MALE_ROLES:
            return True
        if len(word) > 6 and word.endswith(_PEOPLE_PLURALS):
            return True
        if _CYRILLIC.search(word) and word.startswith(tuple(_GROUP_STEMS)):
            return True
    return False


# French cues that take a reflexive "s'" ("s'alarme", "s'indigne"); "s'annonce" is no speech.
REFLEXIVE_CUES = wordset("alarme inquiète insurge indigne félicite réjouit alarmait inquiétait indignait")
_PREPOSITIONS = wordset("a al à au aux")


def possessive(text: str, start: int, end: int, cast: Cast) -> tuple[Person | None, int, int] | None:
    """ "по её словам", "за його словами": the person the possessive stands for (the nearest of its
    gender) and the possessive's span; None when the cue has no possessive."""
    for m in re.finditer(r"\w+", text[start:end]):
        gender = _POSSESSIVE.get(m.group(0).lower())
        if gender:
            person = cast.resolve(gender if gender in ("f", "m") else None, start)
            return person, start + m.start(), start + m.end()
    return None


def speaker_after(text: str, span: tuple[int, int], cast: Cast, lex: Lexicon) -> tuple[int, int] | None:
    """The phrase after a cue as its inverted subject, or None: an addressee without a name ("dijo a
    este diario") or a phrase that names nobody ("afirmó hoy en rueda de prensa")."""
    words = text[span[0] : span[1]].split()
    capitalised = any(w[:1].isupper() for w in words[1:])
    org = re.match(r"\s*[«“„][^»”“\n]{1,50}[»”“]\s+", text[span[1] : span[1] + 60])
    mention = cast.mention_at(span[1] + org.end(), span[1] + org.end() + 1) if org else None
    if mention is not None and mention.person and mention.start == span[1] + org.end():
        span = (span[0], mention.end)  # "главный тренер «Волны» Сергей Черных"
    if words and words[0].lower() in lex.pronouns:  # "заявила она на встрече": the pronoun
        return span[0], span[0] + len(words[0])
    named_after = appositive_name(text, span, cast, short=True)
    if named_after != span:  # "nuance l'un d'eux, Bertrand Gayraud, chercheur"
        return named_after
    named = any(m.person for m in cast.mentions if span[0] <= m.start < span[1])
    if words and words[0].lower() in _PREPOSITIONS and not named and not capitalised:
        return None
    return span if named or plausible(text[span[0] : span[1]], lex) else None


def name_before(text: str, pos: int, cast: Cast) -> tuple[int, int] | None:
    """ "…, el presidente de la asociación, Ernesto Fuentes, advirtió": the person named right
    before the comma that precedes the cue, set off by commas (with the role phrase before it)."""
    end = len(text[:pos].rstrip().rstrip(",").rstrip())
    mention = cast.mention_at(end - 1, end)
    if mention is None or not mention.person or mention.end != end:
        return None
    if not re.search(r"(?:,|^)\s*$", text[max(0, mention.start - 3) : mention.start]):
        return None
    window = max(0, mention.start - 82)
    role = re.search(r"([^,.;:!?«»“”\n]{1,80}),\s*$", text[window : mention.start])
    if role and any(_is_role(_bare(w)) for w in role.group(1).split()):
        start = window + role.start(1)
        return start + len(role.group(1)) - len(role.group(1).lstrip()), mention.end
    return mention.start, mention.end
