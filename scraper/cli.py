"""The `stet` command line: a thin layer over crawl, store, diff and review."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from scraper import __version__
from scraper.errors import ArchiveError, ConfigError, StetError
from scraper.logformat import LOG_DATE_FORMAT, LOG_LEVELS, LOG_LINE_FORMAT
from scraper.store import DEFAULT_ARCHIVE

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_SOURCES = "sources.toml"


class StetUsageError(click.ClickException):
    """A usage or configuration problem: one line on stderr, exit status 2."""

    exit_code = 2


class StetCommand(click.Command):
    """A command whose fatal archive errors (disk full, read-only, not a database, or a
    directory) end it with one line and exit status 2, never a traceback (issue 5)."""

    def invoke(self, ctx: click.Context) -> Any:
        from scraper.store.file import archive_error, fatal_reason

        try:
            return super().invoke(ctx)
        except (ArchiveError, ConfigError) as error:
            raise StetUsageError(str(error)) from None
        except sqlite3.Error as error:
            if fatal_reason(error) is None:
                raise
            path = _db(ctx, ctx.params.get("db_path"))
            raise StetUsageError(str(archive_error(path, error))) from None


class StetGroup(click.Group):
    command_class = StetCommand


def settings_option(command: F) -> F:
    """`-s NAME=VALUE`: a Scrapy setting for the crawl process, as `scrapy crawl -s`."""
    return click.option(
        "-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=_settings,
        help="Override a crawl setting (Scrapy's -s), e.g. -s DOWNLOAD_DELAY=2.",
    )(command)


def _settings(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[
        str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise StetUsageError(f"bad setting {value!r}: use NAME=VALUE")
        pairs[name.strip()] = setting
    return pairs


def db_option(command: F) -> F:
    """`--db PATH` on every command, as on the group (CONTRACT.md)."""
    return click.option(
        "--db", "db_path", type=click.Path(path_type=Path), default=None, metavar="FILE",
        help=f"Archive file (default: $STET_DB, else {DEFAULT_ARCHIVE}).",
    )(command)


@click.group(cls=StetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(path_type=Path), metavar="FILE",
              envvar="STET_DB", default=DEFAULT_ARCHIVE, show_default=True,
              help="Archive file; also $STET_DB.")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="STET_SOURCES", default=DEFAULT_SOURCES, show_default=True,
              help="Sources file (TOML); also $STET_SOURCES.")
@click.option("-v", "--verbose", count=True,
              help="More log output on stderr: -v a line per page, -vv debug.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(__version__, prog_name="stet")
@click.pass_context
def cli(ctx: click.Context, db_path: Path, sources_path: Path, verbose: int,
        quiet: bool) -> None:
    """Stet: watch news sites, keep every version of every article, show what changed."""
    verbosity = 0 if quiet else 1 + min(verbose, 2)  # quiet, default, -v, -vv
    level = [logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG][verbosity]
    logging.basicConfig(level=level, format=LOG_LINE_FORMAT, datefmt=LOG_DATE_FORMAT)
    explicit = ctx.get_parameter_source("sources_path") != click.core.ParameterSource.DEFAULT
    db_default = ctx.get_parameter_source("db_path") == click.core.ParameterSource.DEFAULT
    ctx.obj = {"db": db_path, "db_default": db_default, "sources": sources_path,
               "sources_explicit": explicit,
               "log_level": LOG_LEVELS[verbosity], "verbosity": verbosity}


def _db(ctx: click.Context, db_path: Path | None) -> Path:
    if db_path is not None:
        return db_path
    path = Path(ctx.obj["db"])
    if ctx.obj["db_default"] and not path.parent.exists():
        path.parent.mkdir(parents=True)  # data/ for the default archive; a named one must exist
    return path


def _open(ctx: click.Context, db_path: Path | None) -> Any:
    from scraper.store import Archive

    try:
        return Archive(_db(ctx, db_path))
    except StetError as error:
        raise StetUsageError(str(error)) from None


def _configured(ctx: click.Context) -> list[Any]:
    """The sources file's sources (none when the default file is missing); StetError."""
    from scraper.crawl.sources import load_sources

    path = Path(ctx.obj["sources"])
    return load_sources(path) if path.exists() or ctx.obj["sources_explicit"] else []


def _sources(ctx: click.Context, args: tuple[str, ...]) -> list[Any]:
    from scraper.crawl.sources import resolve_sources

    try:
        return resolve_sources(args, _configured(ctx))
    except StetError as error:
        raise StetUsageError(str(error)) from None


def _duration(text: str | None) -> timedelta | None:
    from scraper.durations import parse_duration

    try:
        return parse_duration(text) if text else None
    except StetError as error:
        raise StetUsageError(str(error)) from None


@contextlib.contextmanager
def _locked(path: Path, wait: bool) -> Iterator[None]:
    """Hold the archive's writer lock; a second writer exits 2 saying who holds it."""
    from scraper.crawl.lock import ArchiveLock, LockHeld

    try:
        lock = ArchiveLock(path, wait=wait)
        lock.acquire()
    except LockHeld as error:
        raise StetUsageError(str(error)) from None
    try:
        yield
    finally:
        lock.release()


def wait_option(command: F) -> F:
    return click.option("--wait", is_flag=True, help="When another stet writes this archive, "
                        "wait for it (default: exit with status 2).")(command)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--all", "everything", is_flag=True,
              help="Re-check every known article of these sources now, not only the due ones.")
@settings_option
@wait_option
@db_option
@click.pass_context
def crawl(ctx: click.Context, sources: tuple[str, ...], everything: bool,
          settings: dict[str, str], wait: bool, db_path: Path | None) -> None:
    """One crawl pass over SOURCES (URLs or names in the sources file; default: all).

    Discovers new articles from home pages, feeds and sitemaps, and re-checks the
    known articles whose revisit time has come. Exit status 0 when the pass ran,
    even where pages failed: each failure is a row in `fetches`.
    """
    from scraper.crawl import CrawlRunner
    from scraper.crawl.foreground import crawl_in_foreground

    chosen = _sources(ctx, sources)
    _open(ctx, db_path).close()  # create or migrate the archive, or fail in one line
    with _locked(_db(ctx, db_path), wait):
        runner = CrawlRunner(_db(ctx, db_path), log_level=ctx.obj["log_level"],
                             settings=settings, verbosity=ctx.obj["verbosity"])
        live = sys.stderr.isatty() and ctx.obj["verbosity"] == 1
        result = crawl_in_foreground(runner, chosen, everything=everything, live=live)
    if ctx.obj["verbosity"]:
        click.echo(f"crawl: {', '.join(s.name for s in chosen)}: {result.describe()}", err=True)
    if result.crashed:
        raise click.ClickException(f"the crawl process failed (exit status {result.exit_code})")


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
    from scraper.review.report import pick_versions, render_diff

    archive = _open(ctx, db_path)
    try:
        chosen, old, new = pick_versions(archive, article, from_version, to_version)
    except StetError as error:
        raise StetUsageError(str(error)) from None
    finally:
        archive.close()
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
@click.argument("sources", nargs=-1)
@click.option("--every", help="Interval for the SOURCES named here, e.g. 30s, 15m, 1h.")
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Crawl processes at once (one per source).")
@click.option("--deadline", help="Longest a pass may run, e.g. 10m (default: three "
              "intervals, at least 2m, at most 1h).")
@click.option("--once", is_flag=True, help="Every due source one time, then exit (for cron).")
@settings_option
@wait_option
@db_option
@click.pass_context
def schedule(ctx: click.Context, sources: tuple[str, ...], every: str | None, jobs: int,
             deadline: str | None, once: bool, settings: dict[str, str], wait: bool,
             db_path: Path | None) -> None:
    """Crawl passes on each source's interval until stopped (SIGTERM or Ctrl-C).

    SIGHUP reads the sources file again. A failing source waits longer after each
    failed pass (`stet status` shows it) and recovers by itself.
    """
    from scraper.crawl import CrawlRunner
    from scraper.crawl.alerts import notifier_for
    from scraper.crawl.scheduler import Watcher, WatchOptions
    from scraper.crawl.sources import resolve_sources

    options = WatchOptions(_duration(every), jobs, _duration(deadline), once)
    chosen = _sources(ctx, sources)
    _open(ctx, db_path).close()
    with _locked(_db(ctx, db_path), wait):
        if ctx.obj["verbosity"] == 1:
            logging.getLogger("scraper").setLevel(logging.INFO)  # one line per pass
        runner = CrawlRunner(_db(ctx, db_path), log_level=ctx.obj["log_level"],
                             settings=settings, verbosity=ctx.obj["verbosity"])
        notifier = notifier_for(Path(ctx.obj["sources"]), _db(ctx, db_path))
        logging.getLogger(__name__).warning("schedule: %s source(s); stop with Ctrl-C or "
                                            "SIGTERM, reload with SIGHUP", len(chosen))
        Watcher(runner, chosen, options, reload=lambda: resolve_sources(sources, _configured(ctx)),
                after_pass=notifier.after_pass if notifier else None).run()


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
    from scraper.review.report import pick_versions

    archive = _open(ctx, db_path)
    try:
        chosen, old, new = pick_versions(archive, article, from_version, to_version)
    except StetError as error:
        raise StetUsageError(str(error)) from None
    finally:
        archive.close()
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


def main() -> None:
    cli(prog_name="stet")


if __name__ == "__main__":
    main()
