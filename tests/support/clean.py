"""A guard for extraction tests: clean_page must not need its last-resort catch."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def unguarded() -> Iterator[None]:
    """Fail if clean_page's last-resort guard had to catch an exception."""
    records = _Records()
    log = logging.getLogger("scraper.clean")
    log.addHandler(records)
    try:
        yield
    finally:
        log.removeHandler(records)
    assert not [m for m in records.messages if "clean_page failed" in m], records.messages
