"""Paragraphs that belong to the page, not the article: subscription and donation appeals, "Stand:"
and "updated" time stamps, reading-time and duration lines.

The rules are conservative: a paragraph goes only when the whole of it is such a line (a time
stamp or a duration with nothing else), or when it is short, holds no quotation and opens itself
or one of its sentences with an appeal ("Subscribe to continue reading", "Jetzt abonnieren",
"Soutenez notre journalisme").
"""

from __future__ import annotations

import re

from newsdesk.extract.text import words

_MAX_APPEAL_WORDS = 40  # an appeal box is short; a longer paragraph is kept whatever it says
_MAX_STAMP_WORDS = 12
_MAX_CHARS = 400  # longer than any of these lines: the paragraph is article text

# "Stand: 12.03.2024 14:05 Uhr", "Updated: 12 March 2024, 14:05 GMT", "Mis à jour le 12/03/2024"
_STAMP_LABEL = re.compile(
    r"^(?:stand|zuletzt aktualisiert|aktualisiert|veröffentlicht|erstellt|last updated|updated|published|"
    r"posted|mis à jour|publié|actualizado|actualizada|publicado|publicada|aggiornato|pubblicato|atualizado|"
    r"atualizada|bijgewerkt|gepubliceerd|zaktualizowano|opublikowano|обновлено|опубликовано|oppdatert|"
    r"uppdaterad|publicerad|opdateret|päivitetty|güncellendi|güncelleme)\b\s*(?:am|um|on|at|le|el|il|em|op)?"
    r"\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d\d\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:uhr|h|am|pm|gmt|utc|bst|cet|cest|mez|mesz)\b",
    re.IGNORECASE,
)

# "Dauer: 3 Min", "2 min read", "Lesezeit: 4 Minuten", "5 minutes de lecture", "Dauer 02:31"
_DURATION_LABEL = (
    r"dauer|lesezeit|lesedauer|reading time|read time|temps de lecture|durée|tiempo de lectura|lectura|"
    r"duración|tempo di lettura|lettura|durata|tempo de leitura|leitura|duração|leestijd|czas czytania|"
    r"время чтения|okuma süresi|lästid|læsetid|lesetid|lukuaika"
)
_DURATION_UNIT = (
    r"min|mins|minute|minutes|minuten|minuto|minutos|minuti|minut|minuty|minuta|minutter|minuter|"
    r"минут|минуты|минута|мин|dakika|sek|sec|seconds|sekunden|std|stunden|hours?"
)
_READ_SUFFIX = (
    r"read|reading|lesen|lesezeit|de lecture|de lectura|di lettura|de leitura|leestijd|czytania|чтения|"
    r"okuma|läsning|lesetid"
)
_AMOUNT = (
    rf"(?:ca\.?|approx\.?|about|etwa|rund|environ|~)?\s*\d+(?:[,.]\d+)?(?:\s*[-–]\s*\d+)?"
    rf"\s*(?:{_DURATION_UNIT})\.?"
)
_DURATION = re.compile(
    rf"^(?:(?:{_DURATION_LABEL})\s*:?\s*(?:{_AMOUNT}|\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*(?:{_DURATION_UNIT})\.?)?)"
    rf"(?:\s+(?:{_READ_SUFFIX}))?|{_AMOUNT}\s+(?:{_READ_SUFFIX}))$",
    re.IGNORECASE,
)

# Phrases of subscription, paywall and donation appeals, where an appeal puts them: at the start of
# the paragraph or of one of its sentences ("Readers were asked to support our journalism" stays).
_APPEALS = re.compile(
    r"(?:^|[.!?:;–—|•]\s*)(?:support (?:our|independent|quality) journalism|"
    r"subscribe to (?:continue|keep) reading|subscribe to read|to continue reading|continue reading with|"
    r"already a subscriber|already subscribed|"
    r"become a (?:member|subscriber|supporter)|donate now|make a (?:donation|contribution)|"
    r"subscribe (?:now|today)|sign up for our newsletter|subscribe to our newsletter|"
    r"jetzt abonnieren|jetzt abonnent werden|jetzt unterstützen|jetzt spenden|"
    r"unterstützen sie (?:unseren|unabhängigen|den) journalismus|unterstützen sie uns|weiterlesen mit|"
    r"bereits abonnent|zum weiterlesen|newsletter abonnieren|abonnieren sie unseren newsletter|"
    r"soutenez[- ](?:nous|notre (?:journalisme|rédaction|travail|média|indépendance)|(?:le|un) journalisme|"
    r"l['’]information|la presse)|abonnez-vous|déjà abonné|pour lire la suite|réservée? aux abonnés|"
    r"faites un don|inscrivez-vous à notre newsletter|"
    r"apoya (?:nuestro|el) periodismo|suscríbete|hazte (?:socio|suscriptor)|ya eres suscriptor|"
    r"para seguir leyendo|exclusivo para suscriptores|haz una donación|"
    r"abbonati (?:ora|subito|per)|sostieni (?:il nostro giornalismo|l['’]informazione)|sei già abbonato|"
    r"per continuare a leggere|assine (?:já|agora)|apoie (?:o|nosso) jornalismo|já é assinante|"
    r"para continuar lendo|word abonnee|steun onze journalistiek|lees verder met|"
    r"wesprzyj (?:nas|niezależne dziennikarstwo)|wykup subskrypcję|подпишитесь|поддержите (?:нас|"
    r"независимую журналистику)|оформите подписку)\b",
    re.IGNORECASE,
)
# Buttons: a paragraph that is only one of these
_BUTTONS = {
    "subscribe",
    "subscribe now",
    "donate",
    "donate now",
    "abonnieren",
    "jetzt abonnieren",
    "spenden",
    "jetzt spenden",
    "s abonner",
    "je m abonne",
    "faire un don",
    "suscríbete",
    "suscribirse",
    "donar",
    "abbonati",
    "assine",
    "assinar",
}
_QUOTES = re.compile(r"[\"“”„«»‹›]")


def is_boilerplate(paragraph: str) -> bool:
    """True for a paragraph that is the page's furniture: an appeal to subscribe or donate, a
    time stamp, a reading-time or duration line."""
    text = paragraph.strip()
    if len(text) > _MAX_CHARS:
        return False
    tokens = words(text)
    if not tokens:
        return False
    if " ".join(tokens) in _BUTTONS:
        return True
    if _DURATION.match(text):
        return True
    stamp = _STAMP_LABEL.match(text)
    if stamp and len(tokens) <= _MAX_STAMP_WORDS and _is_time_stamp(stamp.group("rest")):
        return True
    return len(tokens) <= _MAX_APPEAL_WORDS and not _QUOTES.search(text) and bool(_APPEALS.search(text))


def _is_time_stamp(rest: str) -> bool:
    """A date or a clock time, with at most four other words (a month, a weekday, "Uhr", "GMT")."""
    if not _DATE.search(rest):
        return False
    return sum(1 for token in words(rest) if not token.isdigit()) <= 4


def drop_boilerplate(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the page's furniture (``is_boilerplate``)."""
    return [paragraph for paragraph in paragraphs if not is_boilerplate(paragraph)]
