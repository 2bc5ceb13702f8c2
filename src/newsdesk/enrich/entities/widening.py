"""A model's name widened to the institution it belongs to: a small model often finds only
what follows an institution's head noun ("Ministerio de [Relaciones Exteriores]", "Ayuntamiento
de [Sevilla]", "Consejo [Nacional Electoral]", "Société des [Nations]"), typed as a place or a
person. When the word before a mention, or before a connector ("de", "del", "des", "of the"…)
before it, is a capitalised organisation head noun, the mention takes it in and becomes an
organisation, and again for the word before that.
A head noun opening a sentence does not count (French "Parti du Parlement, le cortège…" is
"having left"). An acronym right after a head noun is the name's short form, not part of it:
"Industriekreditbank IKB" stays "IKB".

Russian and Ukrainian put the owner of an institution after it in the genitive, with no
connector: an organisation right before a place is one organisation ("Национальный банк
Украины"), and so is a governing body's noun before a place or an acronym
("правительство США", "парламент Грузии", "сборная России"), as the Russian set annotates
them (``widened_over_genitives``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from newsdesk.enrich.entities.cleanup import (
    PAIRED_QUOTES,
    QUOTED_NAME_MOST,
    at_sentence_start,
    function_words,
)
from newsdesk.enrich.entities.model import ORG, PERSON, PLACE, Mention
from newsdesk.enrich.entities.organisations import is_institution_word
from newsdesk.enrich.entities.text import fold, is_cyrillic

# The head noun right before the mention, or before a connector of the Romance languages or
# English: a capitalised word of letters (no digit, no sentence end between).
_CONNECTOR = r"(?:de|del|des|du|di|da|do|dos|das|della|dello|delle|degli|dei|of)"
_ARTICLE = r"(?:(?:la|las|los|le|les|the)[ \t]+|l[’'])"
_BEFORE = re.compile(
    r"(?P<head>\b[^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)?)"
    rf"[ \t]+(?:{_CONNECTOR}[ \t]+{_ARTICLE}?|d[’'])?$"
)
_LOOKBACK = 60


def widened_to_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with each widened over an organisation head noun before it,
    when no other mention stands there."""
    out: list[Mention] = []
    for mention in mentions:
        previous_end = out[-1].end if out else 0
        out.append(_widened(text, mention, previous_end))
    return out


def _widened(text: str, mention: Mention, floor: int) -> Mention:
    start = mention.start
    while True:
        window_start = max(floor, start - _LOOKBACK)
        found = _BEFORE.search(text, window_start, start)
        if (
            not found
            or not _is_head_word(found.group("head"))
            or at_sentence_start(text, found.start("head"))
        ):
            break  # a capitalised word opening a sentence may be anything: "Parti du Parlement, le…"
        if found.end("head") + 1 == start and mention.text.isupper():
            break  # an acronym after its organisation's name: "Industriekreditbank IKB"
        start = found.start("head")
    if start == mention.start:
        return mention
    return replace(mention, start=start, text=text[start : mention.end], type=ORG, lemma=None)


def _is_head_word(word: str) -> bool:
    """A capitalised organisation head noun: "Ministerio", "Ayuntamiento", "Société"."""
    return word[:1].isupper() and not word.isupper() and is_institution_word(word)


# Russian and Ukrainian name an institution by its head noun and the genitive of the country or
# body it belongs to: "правительство США", "парламент Грузии", "сборная России". Stems of the
# governing bodies' nouns (their case endings follow).
# fmt: off
_GOVERNING = ("правительств", "уряд", "парламент", "руководств", "керівництв", "делегаци",
              "делегаці", "канцеляри", "канцеляр", "сборн", "збірн", "посольств", "мэри", "мері",
              "администраци", "адміністраці", "министерств", "міністерств", "ведомств", "відомств",
              "пресс-служб", "прес-служб", "спецслужб", "генштаб")
# fmt: on
_CYRILLIC_WORD_BEFORE = re.compile(r"(?P<head>\b[а-яёіїєґА-ЯЁІЇЄҐ][а-яёіїєґ-]*)[ \t]+$")
_CLOSING_QUOTES = ("»", '"', "“", "”")


def widened_over_genitives(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with each Cyrillic institution and the genitive after it made
    one organisation: an organisation right before a place ("Национальный банк" "Украины") and a
    governing body's noun right before a place or an acronym ("правительство США",
    "делегация ООН")."""
    out: list[Mention] = []
    for mention in mentions:
        if mention.type not in (ORG, PLACE) or not is_cyrillic(mention.text):
            out.append(mention)
        elif out and _owner_before(text, out[-1], mention):
            out[-1] = replace(out[-1], end=mention.end, text=text[out[-1].start : mention.end], lemma=None)
        else:
            out.append(_with_governing_body(text, mention, out[-1].end if out else 0))
    return out


def _owner_before(text: str, before: Mention, mention: Mention) -> bool:
    """Whether ``before`` is an organisation whose name the place ``mention`` ends, in the genitive."""
    return (
        before.type == ORG
        and mention.type == PLACE
        and is_cyrillic(before.text)
        and before.end < mention.start
        and not text[before.end : mention.start].strip(" \t")
        and not before.text.endswith(_CLOSING_QUOTES)  # a quoted name is whole: "ТОВ «Надія»"
    )


def _with_governing_body(text: str, mention: Mention, floor: int) -> Mention:
    if mention.type != PLACE and not mention.text.isupper():
        return mention
    found = _CYRILLIC_WORD_BEFORE.search(text, max(floor, mention.start - _LOOKBACK), mention.start)
    if not found or not found.group("head").lower().startswith(_GOVERNING):
        return mention
    start = found.start("head")
    return replace(mention, start=start, text=text[start : mention.end], type=ORG, lemma=None)


# An organisation's legal form or short name right before its quoted name: "ТОВ «Енселко Агро»",
# "ФК «Трансфербутик»", "ООО «Ромашка»". The forms the rules cannot type as organisations by
# themselves (an acronym the model typed one needs no list).
# fmt: off
_LEGAL_FORMS = frozenset({"ТОВ", "ТзОВ", "ПП", "ДП", "КП", "СП", "АТ", "ПАТ", "ПрАТ", "ВАТ", "ЗАТ",
                          "ГО", "ВГО", "БО", "НАЕК", "ООО", "ОАО", "ЗАО", "АО", "ПАО", "НАО", "ГУП",
                          "МУП", "ФГУП", "АНО", "НКО", "ИП", "ЧП"})
# fmt: on
_ACRONYM = re.compile(r"[A-ZА-ЯЁІЇЄҐ]{2,5}")
_QUOTED_NAME_AFTER = re.compile(
    r"[ \t]?(?:"
    + "|".join(
        f"{re.escape(o)}[^{re.escape(o + c)}\\n.!?;]{{1,{QUOTED_NAME_MOST}}}{re.escape(c)}"
        for o, c in PAIRED_QUOTES.items()
    )
    + ")"
)
# A Cyrillic place adjective before a lower-case administrative noun names the unit or its
# council: "Львівської області", "Голосіївському районі" (places), "Диканської райради",
# "Одеської міської ради", "Диканської РДА" (organisations).
_PLACE_ADJECTIVE = re.compile(
    r"[сцз]ь?к(?:ий|ій|ого|ому|им|ім|а|ої|у|ою|е|і|их|ими|ая|ой|ую|ый|ое|ом|ые|ых|ым)$"
)
# Any adjective (a two-letter case ending) before a geographic class noun: Ukrainian and
# Russian capitalise only the first word of a place's name ("Андріївський узвіз", "Байковому
# цвинтарі", "Красная площадь").
_ADJECTIVE = re.compile(r"(?:ий|ій|ого|ому|им|ім|ої|ою|их|ими|ая|яя|ой|ую|юю|ый|ое|ом|ые|ых|ым|ей)$")
_GEOGRAPHIC_AFTER = re.compile(
    r"[ \t]+(?:узв[іо]з\w*|гор(?:а|и|і|у|ою|е|ой)|цвинтар\w*|кладовищ\w*|кладбищ\w*|площ(?:а|і|у|ею)"
    r"|площад(?:ь|и|ью)|вулиц\w*|улиц\w*|провул\w*|переул\w*|проспект\w*|бульвар\w*|набережн\w*"
    r"|парк(?:у|і|е|ом)?|остр[оі]в\w*|озер\w*|річк\w*|рек(?:а|и|е|у|ой)|мор(?:е|я|і|ем)|заток\w*"
    r"|залив\w*|пустел\w*|пустин\w*|хребт\w*|хребет|долин\w*)\b"
)
_ADMINISTRATIVE_AFTER = re.compile(
    r"[ \t]+(?:(?P<org>(?:рай|міськ|обл|сіль|гор|сел)?рад(?:а|и|і|у|ою)"
    r"|(?:рай|обл|гор)?совет(?:а|е|у|ом)?"
    r"|(?:міськ|обласн|районн|сільськ|селищн|городск|областн)\w*[ \t]+"
    r"(?:рад|совет|адміністраці|администраци)\w*"
    r"|адміністраці\w*|администраци\w*|прокуратур\w*|РДА|ОДА)"
    r"|(?P<place>област(?:ь|і|ю|ей|ях|ям|я|и)|район(?:у|і|ом|а|ів|ах|е)?|округ(?:а|у|і|ом|е)?"
    r"|губерн(?:ія|ії|ію|ією|ия|ии|ию|ией)|кра(?:й|ю|ї|я|ем|е)|повіт(?:у|і|ом)?))\b"
)


def widened_to_quoted_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with a legal form right before a quoted name widened over it,
    as one organisation; the mentions inside that name are dropped."""
    return _widened_forward(text, mentions, _quoted_name_after)


def widened_over_administrative_nouns(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with a Cyrillic place adjective that ends one widened over
    the administrative noun after it: a place for a region or district, an organisation for its
    council; an organisation of several words stays one ("Господарського суду Одеської
    області"). Any Cyrillic adjective takes in a geographic class noun after it, as a place
    ("Андріївський узвіз", "Байковому цвинтарі")."""
    return _widened_forward(text, mentions, _administrative_noun_after)


def _widened_forward(
    text: str, mentions: list[Mention], after: Callable[[str, Mention], Mention | None]
) -> list[Mention]:
    out: list[Mention] = []
    taken_to = -1
    for mention in mentions:
        if mention.start < taken_to:
            continue  # inside what the mention before took in
        widened = after(text, mention)
        if widened is not None:
            taken_to = widened.end
            mention = widened
        out.append(mention)
    return out


def _quoted_name_after(text: str, mention: Mention) -> Mention | None:
    if not (mention.text in _LEGAL_FORMS or (mention.type == ORG and _ACRONYM.fullmatch(mention.text))):
        return None
    found = _QUOTED_NAME_AFTER.match(text, mention.end)
    if not found:
        return None
    return replace(mention, end=found.end(), text=text[mention.start : found.end()], type=ORG, lemma=None)


def _administrative_noun_after(text: str, mention: Mention) -> Mention | None:
    several = " " in mention.text
    last = mention.text.rsplit(" ", 1)[-1]
    if several and mention.type == PERSON:
        return None  # a surname: "Михайло Ковальський"
    if not (
        last[:1].isupper()
        and is_cyrillic(last)
        and (_ADJECTIVE.search(last) or _PLACE_ADJECTIVE.search(last))
    ):
        return None
    found = _ADMINISTRATIVE_AFTER.match(text, mention.end) if _PLACE_ADJECTIVE.search(last) else None
    if found is None:
        found = _GEOGRAPHIC_AFTER.match(text, mention.end)
    if not found:
        return None
    type_ = ORG if found.groupdict().get("org") or (several and mention.type == ORG) else PLACE
    return replace(mention, end=found.end(), text=text[mention.start : found.end()], type=type_, lemma=None)


# A lower-case word in a genitive case (after "та", "і"… at most): "регіонів", "культури",
# "української", "мови".
_LOWER_GENITIVE = re.compile(
    r"[ \t]+(?:(?:та|і|и|й)[ \t]+)?(?P<word>[а-яёіїєґ'’-]+?(?:ів|їв|ей|ий|их|ої|ого|ии|ії|и|і|ї|ы|а|я|у|ю))"
    r"(?=[\s,.;:!?)»]|$)"
)
_MOST_GENITIVES = 3
_PAST_TENSE = re.compile(r"[аияіуе]л[иаоі]$")  # "проголосували", "заявила": a verb, the name has ended


def widened_over_lower_genitives(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with a Cyrillic institution named by its capitalised head noun alone widened
    over the lower-case genitives after it (at most three; no function word), as one
    organisation: Ukrainian and Russian capitalise only a name's first word ("Партії регіонів",
    "Інститут української мови")."""
    return _widened_forward(text, mentions, _lower_genitives_after)


def _lower_genitives_after(text: str, mention: Mention) -> Mention | None:
    word = mention.text
    if mention.type == PERSON or " " in word or word.isupper() or not word[:1].isupper():
        return None
    if not (is_cyrillic(word) and is_institution_word(word)):
        return None
    stops = function_words("uk") | function_words("ru")
    end = mention.end
    for _ in range(_MOST_GENITIVES):
        found = _LOWER_GENITIVE.match(text, end)
        if not found or fold(found.group("word")) in stops or _PAST_TENSE.search(found.group("word")):
            break
        end = found.end()
    if end == mention.end:
        return None
    return replace(mention, end=end, text=text[mention.start : end], type=ORG, lemma=None)
