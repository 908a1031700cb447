"""When to check a known article again, from how long ago it last changed.

The default is the table NewsDiffs ran for years: articles that changed recently
are checked often, old ones rarely, and after a year not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from scraper.durations import format_duration, parse_duration
from scraper.errors import ConfigError


@dataclass(frozen=True)
class RevisitPolicy:
    """Steps of (changed less than this long ago, check this often); older: stop."""

    steps: tuple[tuple[timedelta, timedelta], ...]

    def interval(self, since_change: timedelta) -> timedelta | None:
        """How long to wait before the next check, or None to stop checking."""
        for age, every in self.steps:
            if since_change < age:
                return every
        return None

    def next_check(self, last_changed: datetime, now: datetime) -> datetime | None:
        every = self.interval(now - last_changed)
        return None if every is None else now + every

    def describe(self) -> list[tuple[str, str]]:
        return [(format_duration(a), format_duration(e)) for a, e in self.steps]


DEFAULT_POLICY = RevisitPolicy(
    steps=(
        (timedelta(hours=3), timedelta(minutes=15)),
        (timedelta(days=1), timedelta(hours=1)),
        (timedelta(days=7), timedelta(hours=3)),
        (timedelta(days=30), timedelta(days=3)),
        (timedelta(days=365), timedelta(days=30)),
    )
)


def parse_policy(raw: object) -> RevisitPolicy:
    """A policy from the sources file: a list of [age, every] pairs, ages increasing."""
    if not isinstance(raw, list) or not raw:
        raise ConfigError("revisit must be a list of [age, every] pairs, like [[\"3h\", \"15m\"]]")
    steps = []
    for pair in raw:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ConfigError(f"revisit step {pair!r} must be a pair [age, every]")
        steps.append((parse_duration(pair[0]), parse_duration(pair[1])))
    ages = [age for age, _ in steps]
    if ages != sorted(ages) or len(set(ages)) != len(ages):
        raise ConfigError("revisit ages must increase from one step to the next")
    return RevisitPolicy(steps=tuple(steps))


# A new URL whose fetch failed (a server error, a timeout, a page with no article text)
# is tried again on the next pass: a new story is edited most in its first hours. After a
# second failure in a row it rests, longer after each: an hour, four, sixteen, at most a
# week, so a link that never works costs a request a week, not one a pass.
FIRST_REST = timedelta(hours=1)
LONGEST_REST = timedelta(days=7)
FAILURE_MEMORY = timedelta(days=30)  # failures older than this are not counted


def rest_after(failures: int) -> timedelta:
    """How long a new URL rests after its failures-th failed fetch in a row."""
    if failures <= 1:
        return timedelta(0)
    return min(FIRST_REST * (1 << 2 * min(failures - 2, 8)), LONGEST_REST)
