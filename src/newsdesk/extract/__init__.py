"""newsdesk.extract: a collected page → clean paragraphs and metadata.

The page is parsed once; metadata comes from JSON-LD, Open Graph, meta tags and
the page's byline element, the main text from trafilatura, and the feed entry
fills whatever the page does not say.
"""

from newsdesk.extract.errors import ExtractionError, NotAnArticle
from newsdesk.extract.page import extract_page

__all__ = ["ExtractionError", "NotAnArticle", "extract_page"]
