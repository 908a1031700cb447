"""Times in the archive: ISO 8601 strings in UTC, to the second, comparable as text."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """'2026-11-28T04:50:00Z': sorts as text in time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Read a time written by iso() or any ISO 8601 form; naive times are UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalize_iso(text: str | None) -> str:
    """Any ISO 8601 time as iso() writes it; now when missing or unreadable."""
    try:
        return iso(parse_iso(text)) if text else iso(utcnow())
    except ValueError:
        return iso(utcnow())
