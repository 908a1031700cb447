"""`stet crawl` and `stet schedule`: running passes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from scraper.cli.group import (
    _configured,
    _db,
    _duration,
    _locked,
    _open,
    _sources,
    cli,
    db_option,
    settings_option,
    wait_option,
)


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
