"""Parse and format the durations used by sources and options ("30s", "15m", "1h", "3d")."""

from __future__ import annotations

import re
from datetime import timedelta

from scraper.errors import ConfigError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


def parse_duration(text: str) -> timedelta:
    """Turn "90s", "15m", "1h30m" or "3d" into a timedelta; ConfigError otherwise."""
    compact = str(text).strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ConfigError(f"bad duration {text!r}: use a number and a unit, like 30s, 15m, 1h, 3d")
    seconds = sum(float(n) * UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"bad duration {text!r}: it must be more than zero")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling of a duration: 900 s -> "15m"."""
    seconds = int(delta.total_seconds())
    for unit, size in sorted(UNITS.items(), key=lambda kv: -kv[1]):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
