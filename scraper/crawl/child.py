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

PR_SET_PDEATHSIG = 1
# STET_VERBOSITY (0 quiet .. 3 debug) -> level of Scrapy's and Twisted's own loggers.
LIBRARY_LEVELS = {0: logging.ERROR, 1: logging.WARNING, 2: logging.WARNING, 3: logging.DEBUG}


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


def quiet_libraries(verbosity: int) -> None:
    level = LIBRARY_LEVELS.get(verbosity, logging.WARNING)
    for name in ("scrapy", "twisted", "py.warnings", "protego", "asyncio"):
        logging.getLogger(name).setLevel(level)


def main(argv: list[str]) -> None:
    die_with_parent(int(os.environ.get("STET_PARENT_PID") or 0))
    quiet_libraries(int(os.environ.get("STET_VERBOSITY") or 1))
    from scrapy.cmdline import execute

    execute(["scrapy", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
