"""Page -> CleanPage: headline, byline and body of the article, with everything else removed.

``clean_page`` is the public entry point (CONTRACT.md); the rest of the package is
its parts: ``rules`` (tag lists and noise patterns as data), ``meta`` (structured
data), ``score`` (locating the article container), ``byline`` and ``encoding``.
"""

from scraper.clean.page import CLEANER_VERSION, clean_page
from scraper.model import CleanPage, Selectors

__all__ = ["CLEANER_VERSION", "CleanPage", "Selectors", "clean_page"]
