"""Generated parts of the README (run `make docs`; tests/test_docs.py checks them)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlite_utils import Database

from scraper.store.migrations import DESCRIPTIONS, migrate


def schema_markdown() -> str:
    """The archive's tables and views, as migrations create them."""
    db = Database(memory=True)
    migrate(db)
    lines = []
    for table in db.tables:
        if table.name.startswith("_"):
            continue
        columns = ", ".join(f"`{c.name}` {c.type}" for c in table.columns)
        about = DESCRIPTIONS.get(table.name, "")
        lines.append(f"`{table.name}`\n: {about}\n  Columns: {columns}\n")
    for view in db.views:
        columns = ", ".join(f"`{c.name}`" for c in view.columns)
        lines.append(f"view `{view.name}`\n: {DESCRIPTIONS.get(view.name, '')}\n"
                     f"  Columns: {columns}\n")
    return "\n".join(lines)


def help_markdown() -> str:
    """`stet --help` and every command's help."""
    from scraper.cli import cli

    runner = CliRunner()
    parts = [_block("stet --help", runner.invoke(cli, ["--help"], prog_name="stet").output)]
    for name in sorted(cli.commands):
        output = runner.invoke(cli, [name, "--help"], prog_name="stet").output
        parts.append(_block(f"stet {name} --help", output))
    return "\n".join(parts)


def _block(title: str, output: str) -> str:
    return f"### `{title}`\n\n```\n{output.rstrip()}\n```\n"
