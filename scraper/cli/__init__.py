"""The `stet` command line: a click group (``group``) with thin commands over the packages.

The commands live by job in ``passes``, ``reading`` and ``upkeep``; importing them
registers them on the group.
"""

from scraper.cli import passes, reading, upkeep
from scraper.cli.group import cli

__all__ = ["cli", "main", "passes", "reading", "upkeep"]


def main() -> None:
    cli(prog_name="stet")
