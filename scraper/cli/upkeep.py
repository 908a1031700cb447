"""`stet status`, `prune`, `reextract` and `sources`: looking after the archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.group import (
    StetGroup,
    StetUsageError,
    _configured,
    _duration,
    _open,
    cli,
    db_option,
)
from scraper.errors import StetError


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output: a table for people, json for scripts.")
@db_option
@click.pass_context
def status(ctx: click.Context, fmt: str, db_path: Path | None) -> None:
    """How each source is doing: last and next pass, state (ok, backing off,
    degraded), articles tracked and due, edits and error rate in the last 24 h;
    the archive's size."""
    import shutil

    from scraper.crawl.health import build_status, render_status

    try:
        names = [s.name for s in _configured(ctx)]
    except StetError as error:
        raise StetUsageError(str(error)) from None
    archive = _open(ctx, db_path)
    try:
        report = build_status(archive, names)
    finally:
        archive.close()
    click.echo(render_status(report, fmt, terminal=sys.stdout.isatty(),
                             width=shutil.get_terminal_size((120, 24)).columns))


@cli.command()
@click.option("--older-than", "older_than", default="90d", show_default=True,
              help="Drop checks older than this (30d, 12w, ...).")
@click.option("--dry-run", is_flag=True, help="Only count what would be dropped.")
@db_option
@click.pass_context
def prune(ctx: click.Context, older_than: str, dry_run: bool, db_path: Path | None) -> None:
    """Drop old fetch rows that found nothing new (unchanged, not_modified).

    Never a version, never an article's last check, nothing else. The freed space
    is reused by SQLite; there is no VACUUM.
    """
    from scraper.store.status import prune_fetches
    from scraper.timeutil import iso, utcnow

    age = _duration(older_than)
    assert age is not None
    cutoff = iso(utcnow() - age)
    archive = _open(ctx, db_path)
    try:
        count = prune_fetches(archive, cutoff, dry_run=dry_run)
    finally:
        archive.close()
    verb = "would drop" if dry_run else "dropped"
    click.echo(f"prune: {verb} {count} unchanged/not_modified fetch rows before {cutoff}",
               err=True)


@cli.command()
@click.option("--source", help="Only the articles of this source.")
@db_option
@click.pass_context
def reextract(ctx: click.Context, source: str | None, db_path: Path | None) -> None:
    """Run the current cleaner again over the kept HTML of every version.

    Where the new cleaner changes all versions of an article alike, no edit
    appears; a version that turns out identical to the one before it is marked
    merged and leaves `stet changes`.
    """
    from scraper.crawl.reextract import reextract as run_reextract

    try:
        configured = _configured(ctx)
    except StetError as error:
        raise StetUsageError(str(error)) from None
    archive = _open(ctx, db_path)
    try:
        result = run_reextract(archive, source=source or "",
                               selectors={s.name: s.selectors for s in configured})
    finally:
        archive.close()
    click.echo(f"reextract: {result.describe()}", err=True)


@cli.group(cls=StetGroup)
def sources() -> None:
    """What Stet learned about each source's pages: furniture and volatile lines."""


@sources.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output: text for people, json for scripts.")
@db_option
@click.pass_context
def sources_list(ctx: click.Context, fmt: str, db_path: Path | None) -> None:
    """Every source in the archive, with how many blocks were learned about it."""
    from scraper.review.learned import list_sources

    archive = _open(ctx, db_path)
    try:
        click.echo(list_sources(archive, fmt))
    finally:
        archive.close()


@sources.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output: text for people, json for scripts.")
@db_option
@click.pass_context
def sources_show(ctx: click.Context, name: str, fmt: str, db_path: Path | None) -> None:
    """The blocks learned about source NAME, with when and from which articles."""
    from scraper.review.learned import show_source

    archive = _open(ctx, db_path)
    try:
        shown = show_source(archive, name, fmt)
    finally:
        archive.close()
    if shown is None:
        raise StetUsageError(f"no articles of source {name!r} in the archive")
    click.echo(shown)
