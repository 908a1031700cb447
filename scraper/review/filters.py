"""The front page's filters as query-string arguments, shared by the pages and the feeds.

?source=NAME&label=LABEL&stealth=1&when=today|week&date=YYYY-MM-DD.  Unknown or malformed
values are ignored rather than refused, so a hand-edited link still shows a list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from scraper.store.browse import EditFilter
from scraper.timeutil import iso, utcnow

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FILTER_ARGS = ("source", "label", "stealth", "when", "date")


def edit_filter(args: Mapping[str, str], now: datetime | None = None) -> EditFilter:
    """The EditFilter that a request's query string asks for."""
    when = args.get("date", "").strip() or args.get("when", "").strip()
    since, until = date_range(when, now or utcnow())
    return EditFilter(source=args.get("source", "").strip(),
                      label=args.get("label", "").strip(),
                      stealth=args.get("stealth", "") in ("1", "on", "true"),
                      since=since, until=until)


def date_range(when: str, now: datetime) -> tuple[str, str]:
    """``today``, ``week`` (the last 7 days) or one UTC date, as [since, until)."""
    today = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
    if when == "today":
        return iso(today), ""
    if when == "week":
        return iso(today - timedelta(days=6)), ""
    if _DATE.fullmatch(when):
        try:
            day = datetime.strptime(when, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            return "", ""
        return iso(day), iso(day + timedelta(days=1))
    return "", ""


def filter_args(args: Mapping[str, str]) -> dict[str, str]:
    """The filter arguments of a query string, without empty ones."""
    return {k: args[k] for k in FILTER_ARGS if args.get(k)}


def filter_query(args: Mapping[str, str]) -> str:
    """The query string (with its "?", or "") that asks for the same filters."""
    kept = filter_args(args)
    return f"?{urlencode(kept)}" if kept else ""
