"""The crawl process: ``python -m scraper.crawl.child ARGS`` is ``scrapy ARGS`` that dies
with its parent.

The runner starts it in its own session (its own process group, so a stop reaches the
whole crawl and a terminal's Ctrl-C reaches only the parent). On Linux it asks the
kernel for SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)`` through ctypes):
a killed scheduler never leaves a crawl writing behind it (issue 12). Every page is
saved in its own transaction, so a kill leaves nothing half-written.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

from scraper.logformat import LOG_DATE_FORMAT, LOG_LINE_FORMAT

PR_SET_PDEATHSIG = 1
OWN_LOGGERS = ("scraper", "spiders", "articles")  # "articles": the spider's own logger


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent dies; exit now if that already happened."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: the process group still helps
            pass
    if parent and os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def own_lines_only(verbosity: int) -> None:
    """At -v, Stet's own INFO lines (a line per page) without Scrapy's.

    Scrapy's LOG_LEVEL is then WARNING for its root handler (Scrapy resets its own
    loggers' levels when it starts), so Stet's loggers get a handler of their own.
    """
    if verbosity != 2:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_LINE_FORMAT, LOG_DATE_FORMAT))
    for name in OWN_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False


def main(argv: list[str]) -> None:
    die_with_parent(int(os.environ.get("STET_PARENT_PID") or 0))
    own_lines_only(int(os.environ.get("STET_VERBOSITY") or 1))
    from scrapy.cmdline import execute

    execute(["scrapy", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
