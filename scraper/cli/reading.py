"""`stet diff`, `changes`, `card` and `serve`: reading the archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.group import (
    StetUsageError,
    _db,
    _open,
    cli,
    db_option,
)
from scraper.errors import StetError
from scraper.model import Article, Version


@cli.command()
@click.argument("article")
@click.option("--from", "from_version", type=int, help="Older version number.")
@click.option("--to", "to_version", type=int, help="Newer version number.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output: text for people, json for scripts, html (escaped).")
@click.option("--side-by-side", is_flag=True, help="Old and new text in two columns.")
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal).")
@db_option
@click.pass_context
def diff(ctx: click.Context, article: str, from_version: int | None, to_version: int | None,
         fmt: str, side_by_side: bool, color: bool | None, db_path: Path | None) -> None:
    """What changed in ARTICLE (its URL or id) between two versions.

    By default the newest version against the one it replaced.
    """
    from scraper.review.report import render_diff

    chosen, old, new = _pick(ctx, db_path, article, from_version, to_version)
    use_color = sys.stdout.isatty() if color is None else color
    click.echo(render_diff(chosen, old, new, fmt, color=use_color, side_by_side=side_by_side))


@cli.command()
@click.option("--since", help="Only changes at or after WHEN: an ISO date/time or an age (2d).")
@click.option("--label", help="Only changes with this label (typo, numbers, quote, ...).")
@click.option("--source", help="Only articles of this source.")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True,
              help="At most this many changes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output: text for people, json for scripts.")
@db_option
@click.pass_context
def changes(ctx: click.Context, since: str | None, label: str | None, source: str | None,
            limit: int, fmt: str, db_path: Path | None) -> None:
    """The articles whose headline, byline or body changed, newest first."""
    from scraper.review.report import list_changes, parse_since

    try:
        since_iso = parse_since(since) if since else ""
    except StetError as error:
        raise StetUsageError(str(error)) from None
    archive = _open(ctx, db_path)
    try:
        click.echo(list_changes(archive, since_iso, label or "", source or "", limit, fmt))
    finally:
        archive.close()


@cli.command()
@click.argument("article")
@click.option("--from", "from_version", type=int, help="Older version number.")
@click.option("--to", "to_version", type=int, help="Newer version number.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default="edit.png", show_default=True, help="The PNG file to write.")
@db_option
@click.pass_context
def card(ctx: click.Context, article: str, from_version: int | None, to_version: int | None,
         output: Path, db_path: Path | None) -> None:
    """A shareable PNG of one edit of ARTICLE: its headline and changed paragraphs.

    Versions as for `stet diff`: by default the newest against the one it replaced.
    """
    from scraper.review.card import render_card

    chosen, old, new = _pick(ctx, db_path, article, from_version, to_version)
    output.write_bytes(render_card(chosen.url, old, new))
    click.echo(f"card: wrote {output} (version {old.version} to {new.version})", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on.")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db_path: Path | None) -> None:
    """The archive in Datasette, with pages for reviewing revisions."""
    from scraper.review.serve import run

    try:
        run(_db(ctx, db_path), host=host, port=port)
    except StetError as error:
        raise StetUsageError(str(error)) from None


def _pick(ctx: click.Context, db_path: Path | None, article: str, from_version: int | None,
          to_version: int | None) -> tuple[Article, Version, Version]:
    """The article and the two versions `stet diff` and `stet card` compare."""
    from scraper.review.report import pick_versions

    archive = _open(ctx, db_path)
    try:
        return pick_versions(archive, article, from_version, to_version)
    except StetError as error:
        raise StetUsageError(str(error)) from None
    finally:
        archive.close()
