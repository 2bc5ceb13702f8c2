"""Who said what: named entities, quotes and keywords of articles, and linking their entities.

``annotate`` fills ``Article.mentions``, ``Article.quotes`` and ``Article.keywords`` for a batch
(one ``recognise`` call for the whole batch; models loaded once per process). Offsets are into
``Article.text``, the stored body (paragraphs joined by "\\n"). ``link_articles`` links the
mentions of many articles (with their story ids) into entities.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import TypeVar

from newsdesk.enrich.entities import (
    ORG,
    OTHER,
    PERSON,
    SOURCE_FALLBACK,
    Linking,
    Mention,
    keywords,
    link,
    recognise,
)
from newsdesk.enrich.entities.cleanup import function_words
from newsdesk.enrich.entities.fallback import CAPITALISED, CAPITALISED_CONFIDENCE, noun_ending
from newsdesk.enrich.entities.labels import is_organisation_word
from newsdesk.enrich.entities.model import ArticleMentions
from newsdesk.enrich.entities.names import is_title
from newsdesk.enrich.entities.organisations import is_head
from newsdesk.enrich.entities.text import fold
from newsdesk.enrich.quotes import Quote, extract_quotes
from newsdesk.models import Article, ArticleQuote, EntityMention, Keyword
from newsdesk.settings import EntitySettings

log = logging.getLogger(__name__)
# Recogniser labels of names that never speak: nationalities, religious and political groups
# (spaCy's NORP) and languages.
NOT_SPEAKERS = frozenset({"NORP", "LANGUAGE"})
# The types of a stored quote's speaker: who says something is a person or an organisation.
SPEAKERS = frozenset({PERSON, ORG})
_NAME_WORD = re.compile(r"[\w'’-]+")
T = TypeVar("T")


def recognise_articles(articles: Sequence[Article], settings: EntitySettings) -> None:
    """Set each article's named-entity mentions, in place (one batch through the models)."""
    if not articles:
        return
    found = recognise(
        [(a.text, a.language) for a in articles],
        settings.models,
        max_chars=settings.max_chars or None,
        batch_size=settings.batch_size,
    )
    for article, mentions in zip(articles, found, strict=True):
        article.mentions = [to_entity_mention(m) for m in mentions]


def annotate(articles: Sequence[Article], settings: EntitySettings) -> None:
    """Set each article's mentions, quotes (speakers tied to mentions) and keywords, in place."""
    recognise_articles(articles, settings)
    for article in articles:
        mentions = [to_mention(m) for m in article.mentions or []]
        article.quotes = named_quotes(article, mentions)
        words = "\n".join(filter(None, [article.title, article.lede, article.text]))
        found_keywords = keywords(words, article.language, settings.keywords)
        article.keywords = [Keyword(k.text, k.score) for k in found_keywords]


def named_quotes(article: Article, mentions: list[Mention]) -> list[ArticleQuote]:
    """The article's quotes whose speaker is a person or organisation it names; a name the
    rules only guessed (typed OTHER) that speaks is typed here, in ``article.mentions`` too."""
    try:
        # Every mention: people speak, the others mark where the name heuristic must not look.
        quotes = extract_quotes(article.text, article.language, mentions)
    except Exception as exc:  # noqa: BLE001 - one odd article never stops a batch
        log.warning("%s: quote extraction failed (%s: %s)", article.url, type(exc).__name__, exc)
        return []
    kept = []
    for quote in quotes:
        index = speaker_mention(quote, mentions)
        if index is None and (missed := missed_name(article.text, quote, article.language)) is not None:
            index = len(mentions)  # "sagte Präfektin Anne-Sophie Lemaire": a name the recogniser missed
            mentions.append(missed)
            if article.mentions is not None:
                article.mentions.append(to_entity_mention(missed))
        if index is None:
            continue  # "officials said", "ich glaube": no one the article names
        typed = speaking_type(article.text, quote, mentions[index], mentions)
        if typed != mentions[index].type and article.mentions:
            mentions[index] = replace(mentions[index], type=typed)
            article.mentions[index] = replace(article.mentions[index], type=typed)
        if typed in SPEAKERS:
            kept.append(replace(_same_fields(quote, ArticleQuote), speaker_mention=index))
    return kept


def missed_name(text: str, quote: Quote, language: str | None) -> Mention | None:
    """The speaker's name as a mention when the quote rules found one the recogniser did not: two
    to four capitalised words of the speaker's phrase after its titles ("Präfektin Anne-Sophie
    Lemaire" → "Anne-Sophie Lemaire"); ``None`` for pronouns, roles and groups."""
    if not quote.speaker or quote.speaker_start is None or quote.speaker_end is None:
        return None
    phrase = text[quote.speaker_start : quote.speaker_end]
    words = list(_NAME_WORD.finditer(phrase))
    while words and is_title(words[0].group(0)):
        words = words[1:]
    if not 2 <= len(words) <= 4 or not all(w.group(0)[:1].isupper() for w in words):
        return None
    if any(fold(w.group(0)) in function_words(language) for w in words) or noun_ending(words[-1].group(0)):
        return None  # "Die Bilder", "Brandners Mannschaft": German noun phrases, not names
    if fold(quote.speaker).split()[-1:] != [fold(words[-1].group(0))]:
        return None  # the phrase is not the name it resolved to
    start, end = quote.speaker_start + words[0].start(), quote.speaker_start + words[-1].end()
    return Mention(text[start:end], start, end, OTHER, SOURCE_FALLBACK, CAPITALISED_CONFIDENCE, CAPITALISED)


def speaking_type(text: str, quote: Quote, mention: Mention, mentions: Sequence[Mention]) -> str:
    """The type of a mention that names a quote's speaker: its own, unless the rules only guessed
    it from capitals (OTHER); then an organisation when a word of it or the noun before it says so
    ("Conciliation Service", "the consultancy Meridian"), else a person when the speaker's name
    has two to four words ("said trust warden Hollie Sandford") or is the surname of a person the
    article names in full ("Prakash said" after "Raj Prakash")."""
    if mention.type != OTHER or mention.source != SOURCE_FALLBACK or mention.label != CAPITALISED:
        return mention.type
    words = (quote.speaker or "").split()
    noun = text[max(0, mention.start - 40) : mention.start].split()[-1:]
    if any(is_organisation_word(w) or is_head(fold(w)) for w in [*words, *mention.text.split(), *noun]):
        return ORG
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return PERSON
    surname = fold(mention.text)
    if any(
        m.type == PERSON and len(m.text.split()) > 1 and fold(m.text).split()[-1] == surname for m in mentions
    ):
        return PERSON
    return mention.type


def speaker_mention(quote: Quote, mentions: Sequence[Mention | EntityMention]) -> int | None:
    """The index of the mention naming the quote's speaker, or ``None``.

    First a mention overlapping the speaker's words that shares a word with the resolved name
    ("Ushakov himself" → "Ushakov"; not "Kremlin" in "the Kremlin aide" resolved to a person);
    else, for a pronoun or role noun, the resolved name as a mention, the last one before the
    quote preferred; else a person mention with the same surname."""
    if not quote.speaker:
        return None
    words = set(fold(quote.speaker).split())
    if quote.speaker_start is not None and quote.speaker_end is not None:
        for i, m in enumerate(mentions):
            overlaps = m.start < quote.speaker_end and quote.speaker_start < m.end
            # A nationality inside a longer phrase ("Russian" in "the Russian side") names
            # no speaker.
            named = m.label not in NOT_SPEAKERS or fold(m.text) == fold(quote.speaker)
            if overlaps and named and words & set(fold(m.text).split()):
                return i
    name = fold(quote.speaker)
    same = [i for i, m in enumerate(mentions) if fold(m.text) == name]
    if not same:
        surname = name.split()[-1] if name else ""
        same = [
            i for i, m in enumerate(mentions) if m.type == PERSON and fold(m.text).split()[-1:] == [surname]
        ]
    before = [i for i in same if mentions[i].start < quote.start]
    return (before or same or [None])[-1 if before else 0]


def _same_fields(source: object, target: type[T]) -> T:
    """A ``target`` dataclass made of the fields of ``source`` it shares."""
    shared = {f.name: getattr(source, f.name) for f in fields(target) if hasattr(source, f.name)}
    return target(**shared)


def to_entity_mention(mention: Mention) -> EntityMention:
    """A recogniser's mention as the dataclass stored with an article."""
    return _same_fields(mention, EntityMention)


def to_mention(mention: EntityMention) -> Mention:
    """A stored mention as the linker reads it (an empty label where none was stored)."""
    return mention if mention.label is not None else replace(mention, label="")


def link_articles(items: Sequence[tuple[Sequence[EntityMention], str | None, int | None]]) -> Linking:
    """Link the mentions of ``(mentions, language, story id)`` articles into entities."""
    return link([ArticleMentions([to_mention(m) for m in ms], lang, story) for ms, lang, story in items])
