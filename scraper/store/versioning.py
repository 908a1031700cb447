"""Pure rules for versions: when a text is suspect, what its diff summary is, when to look again."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace
from typing import Any, TypeGuard

from scraper.diff import summarize
from scraper.model import CleanPage, Ordered, Text, Version
from scraper.store.noise import (
    NO_HISTORY,
    History,
    changing_lines,
    only_noise,
    without_noise,
)
from scraper.store.normalize import text_hash, word_count
from scraper.store.revisit import RevisitPolicy
from scraper.timeutil import iso, parse_iso

COLLAPSE_MIN_WORDS = 60  # a body this long that loses more than half at once is suspect
COLLAPSE_RATIO = 0.5
SUMMARY_COLUMNS = ("words_added", "words_removed", "paragraphs_added", "paragraphs_removed",
                   "paragraphs_changed", "paragraphs_moved", "headline_changed", "byline_changed")


def hash_of(version: Version) -> str:
    return text_hash(version.headline, version.byline, version.body)


def health_of(current: Version | None, page: CleanPage) -> str:
    """Why a new text should wait for confirmation before it counts, or ""."""
    if current is None:
        return ""
    old_words = word_count(current.body)
    if old_words >= COLLAPSE_MIN_WORDS and word_count(page.body) < old_words * COLLAPSE_RATIO:
        return "collapsed"
    return ""


def same_page(current: Version, baseline: CleanPage | None, page: CleanPage,
              teasers: Collection[str] = (), ordered: Ordered | None = None,
              history: History = NO_HISTORY) -> bool:
    """Whether a fetched text that differs from the current version is the same page.

    `baseline` is the current version's kept HTML cleaned again now, with today's cleaner
    and what has been learned about the site since: when it gives the fetched text, the
    cleaner changed and the page did not. Otherwise the texts are compared with their
    volatile noise (datelines, clocks, counters, rotated link lines, `teasers`: other
    articles' headlines) set aside. `ordered`: the kept page and the fetched one cleaned
    with their link lists in one order (clean/lists.py), compared the same way: promo
    cards and resource lists that only came in another order are the same page.
    `history`: when the page was read before and now, and the dated lines its versions
    show changing (noise.History): a dated line reads the clock, or it is the story's.
    """
    if _has_text(baseline):
        return (_alike(baseline, page, teasers, history)
                or (ordered is not None and _has_text(ordered.page)
                    and _alike(ordered.kept, ordered.page, teasers, history)))
    return only_noise(_fields(current), _fields(page), teasers, history)


def _has_text(page: CleanPage | None) -> TypeGuard[CleanPage]:
    return page is not None and bool(page.body) and not page.blocked


def _fields(text: CleanPage | Version) -> tuple[str, str, str]:
    return text.headline, text.byline, text.body


def _alike(old: CleanPage, new: CleanPage, teasers: Collection[str],
           history: History = NO_HISTORY) -> bool:
    """The same text, or the same but for noise; False where the old page has none."""
    if not _has_text(old):
        return False
    before, after = _fields(old), _fields(new)
    return (text_hash(*before) == text_hash(*after)
            or only_noise(before, after, teasers, history))


def health_error(page: CleanPage) -> str:
    if page.blocked == "empty" or not page.blocked:
        return "no article text found in the page"
    return f"no article text: the page is a {page.blocked} page"


def history_of(versions: list[Version], last_checked: str | None, now: str) -> History:
    """What an article's earlier fetches tell about its dated lines (noise.History)."""
    return History(since=parse_iso(last_checked) if last_checked else None,
                   until=parse_iso(now),
                   changing=changing_lines(v.body for v in versions))


def summary_fields(previous: Version | None, page: CleanPage,
                   earlier: list[Version]) -> dict[str, Any]:
    if previous is None:
        return {}
    new = Text(headline=page.headline, byline=page.byline,
               body=without_noise(previous.body, page.body), modified=page.modified or "")
    summary = summarize(previous.text(), new)
    labels = set(summary.labels)
    if page.headline != previous.headline and any(v.headline == page.headline for v in earlier):
        labels.add("flip-flop")
    fields = {k: int(v) if isinstance(v, bool) else v
              for k, v in summary.to_dict().items() if k in SUMMARY_COLUMNS}
    fields["labels"] = json.dumps(sorted(labels))
    return fields


def next_check(last_changed: str, now: str, policy: RevisitPolicy) -> str | None:
    moment = policy.next_check(parse_iso(last_changed), parse_iso(now))
    return None if moment is None else iso(moment)


def rewrite_texts(versions: list[Version], pages: dict[int, CleanPage]) -> dict[int, Version]:
    """Versions with the text a new cleaner found; a page with no text keeps the old text."""
    result = {}
    for version in versions:
        page = pages.get(version.version)
        if page is not None and page.body and not page.blocked:
            version = replace(version, headline=page.headline, byline=page.byline,
                              body=page.body)
        result[version.version] = version
    return result


def merge_target(version: Version, previous: Version | None) -> int | None:
    """The earlier version this one is identical to after re-extraction, if any."""
    if previous is None or hash_of(version) != hash_of(previous):
        return None
    return previous.merged_into or previous.version
