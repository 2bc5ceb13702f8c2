"""Who said what: direct and reported quotes with their cues and speakers.

``extract_quotes(text, language, entities=None)`` is the entry point; see ``extract.py`` for the method,
``marks.py`` for quote-mark conventions, ``cues.py`` for the cue lexicons and ``speakers.py`` for
speaker resolution.
"""

from newsdesk.enrich.quotes.extract import extract_quotes
from newsdesk.enrich.quotes.model import Quote

__all__ = ["Quote", "extract_quotes"]
