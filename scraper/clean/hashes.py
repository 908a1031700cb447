"""Class names a site's build renames on every deploy: hashes, not names of things.

Comparing two blocks of one page ("same kind of sibling?"), or the containers of two
fetches of one template, must leave these out, or the comparison changes with the build:
"css-1x2y3z" becomes "css-abqxkz" on the next deploy, and a rule that told hashes by
their digits alone took the new one for a word (issue 9: a block kept on one fetch and
dropped on the next made a false version). A name is a hash when it holds a digit, or
when its form says so whatever the letters drawn: a CSS-modules suffix
("Callout_title__rbN48"), a CSS-in-JS or builder prefix ("css-", "sc-", "framer-"), or
a builder's screen-size hider ("hidden-bnz77l", Framer) that is not a word.
"""

from __future__ import annotations

import functools
import re

HASHED_RE = re.compile(
    r"\d"
    r"|^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9-]+__[A-Za-z0-9_-]{4,}$"
    r"|^(?:css|sc|jsx|tw|emotion|styled|framer|svelte|astro|chakra|jss|mui)-[A-Za-z0-9]{4,}$"
    r"|^(?:hidden|visible)-(?!(?:content|section|block|text|title|panel|field|label|items?|"
    r"mobile|tablet|desktop|print|small|large|inline|slide|menu|modal|popup)$)"
    r"[a-z0-9]{5,8}$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)
def is_hashed(name: str) -> bool:
    """Whether a class name (or id) is a build hash rather than a name."""
    return HASHED_RE.search(name) is not None


def stable_names(names: list[str] | tuple[str, ...]) -> list[str]:
    """The class names that stay the same from one build of the site to the next."""
    return [n for n in names if not is_hashed(n)]
