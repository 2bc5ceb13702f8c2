"""The result type of quote extraction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Quote:
    """One attributed statement found in an article.

    ``start``/``end`` are character offsets of the quote's content in the article text (without the
    quote marks); ``speaker`` is the speaker's name as resolved in the article (``None`` when unknown)
    and ``speaker_start``/``speaker_end`` the offsets of the mention next to the cue (a name, a pronoun
    or a role noun such as "the Kremlin aide"). ``direct`` is true for text between quote marks or
    after a dialogue dash, false for reported speech.
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    direct: bool = False
