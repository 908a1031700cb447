"""The `stet` group: global options, shared command options and helpers (the commands are
in ``passes``, ``reading`` and ``upkeep``)."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
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
    path = Path(ctx.obj["sources"])
    if not (path.exists() or ctx.obj["sources_explicit"]):
        return []  # and the sources module (URL rules, w3lib) is not imported
    from scraper.crawl.sources import load_sources

    return load_sources(path)


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
