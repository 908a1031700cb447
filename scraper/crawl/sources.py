"""The sources file: which sites to watch, how often, and how to read them.

A TOML file (``sources.toml`` by default) with one ``[[source]]`` table per site::

    [[source]]
    name = "kyiv"                       # letters, digits, - and _
    urls = ["https://example.com/"]     # home pages, feeds or sitemaps
    interval = "15m"                    # how often `stet schedule` runs a pass
    article_pattern = "/news/\\d{4}/"   # optional: only URLs matching this are articles
    revisit = [["3h", "15m"], ["1d", "1h"]]   # optional: overrides the default policy
    allow_private = false               # optional: allow loopback/private addresses
    verify_tls = true                   # optional: set false for a site with a broken chain
    horizon = "365d"                    # optional: how far back discovery goes (default:
                                        #   the revisit table's last age)
    max_new_articles = 5000             # optional: per-pass budgets (default: the settings
    max_sitemaps = 500                  #   STET_MAX_NEW_ARTICLES, STET_MAX_SITEMAPS)

    [source.selectors]                  # optional: override the generic cleaner
    headline = "h1.title"
    body = "div.story"
    remove = [".promo", ".related"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.durations import parse_duration
from scraper.errors import ConfigError
from scraper.store.revisit import DEFAULT_POLICY, RevisitPolicy, parse_policy
from scraper.urls import is_private_host

DEFAULT_INTERVAL = timedelta(hours=1)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_KEYS = {"name", "urls", "url", "interval", "article_pattern", "revisit", "selectors",
         "allow_private", "verify_tls", "horizon", "max_new_articles", "max_sitemaps"}
_SELECTOR_KEYS = {"headline", "body", "remove"}


@dataclass(frozen=True)
class Source:
    name: str
    urls: tuple[str, ...]
    interval: timedelta = DEFAULT_INTERVAL
    article_pattern: str = ""
    revisit: RevisitPolicy = DEFAULT_POLICY
    selectors: dict[str, Any] = field(default_factory=dict)
    allow_private: bool = False
    verify_tls: bool = True
    horizon: timedelta | None = None  # None: the revisit table's last age
    max_new_articles: int = 0  # 0: the STET_MAX_NEW_ARTICLES setting
    max_sitemaps: int = 0  # 0: the STET_MAX_SITEMAPS setting

    @property
    def discovery_horizon(self) -> timedelta:
        """How far back from the newest date the site lists discovery fetches articles."""
        return self.horizon or self.revisit.steps[-1][0]

    def to_plan(self) -> dict[str, Any]:
        """The JSON-able form handed to the crawl subprocess."""
        return {
            "name": self.name, "urls": list(self.urls), "article_pattern": self.article_pattern,
            "revisit": [[a.total_seconds(), e.total_seconds()] for a, e in self.revisit.steps],
            "selectors": self.selectors, "allow_private": self.allow_private,
            "verify_tls": self.verify_tls, "interval": self.interval.total_seconds(),
            "horizon": self.horizon.total_seconds() if self.horizon else None,
            "max_new_articles": self.max_new_articles, "max_sitemaps": self.max_sitemaps,
        }

    @classmethod
    def from_plan(cls, plan: dict[str, Any]) -> Source:
        steps = tuple((timedelta(seconds=a), timedelta(seconds=e)) for a, e in plan["revisit"])
        return cls(
            name=plan["name"], urls=tuple(plan["urls"]),
            interval=timedelta(seconds=plan.get("interval", 3600)),
            article_pattern=plan.get("article_pattern", ""), revisit=RevisitPolicy(steps),
            selectors=plan.get("selectors") or {}, allow_private=plan.get("allow_private", False),
            verify_tls=plan.get("verify_tls", True),
            horizon=timedelta(seconds=plan["horizon"]) if plan.get("horizon") else None,
            max_new_articles=plan.get("max_new_articles", 0),
            max_sitemaps=plan.get("max_sitemaps", 0),
        )


def check_url(url: str) -> str:
    """Return url if it is an absolute http(s) URL with a host; ConfigError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"bad URL {url!r}: give an absolute http:// or https:// URL")
    return url.strip()


def source_for_url(url: str) -> Source:
    """An ad-hoc source for a URL given on the command line, named after its host."""
    url = check_url(url)
    host = urlsplit(url).hostname or "source"
    name = host[4:] if host.startswith("www.") else host
    port = urlsplit(url).port
    if port:
        name = f"{name}:{port}"
    return Source(name=name, urls=(url,), allow_private=is_private_host(host))


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources file; ConfigError names the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read sources file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"sources file {path} is not valid TOML: {error}") from None
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: use [[source]] tables, one per site")
    sources = [_parse_source(table, f"{path}: source #{n + 1}") for n, table in enumerate(tables)]
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: source name {duplicates[0]!r} is used twice")
    return sources


def _parse_source(table: dict[str, Any], where: str) -> Source:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: name must be letters, digits, '.', '-' or '_'")
    urls = table.get("urls", [table["url"]] if "url" in table else [])
    if isinstance(urls, str):
        urls = [urls]
    if not urls:
        raise ConfigError(f"{where} ({name}): give at least one URL in urls")
    where = f"{where} ({name})"
    try:
        return Source(
            name=name, urls=tuple(check_url(str(u)) for u in urls),
            interval=parse_duration(table.get("interval", "1h")),
            article_pattern=_parse_pattern(table.get("article_pattern", "")),
            revisit=parse_policy(table["revisit"]) if "revisit" in table else DEFAULT_POLICY,
            selectors=_parse_selectors(table.get("selectors", {})),
            allow_private=_parse_bool(table, "allow_private", False),
            verify_tls=_parse_bool(table, "verify_tls", True),
            horizon=parse_duration(table["horizon"]) if "horizon" in table else None,
            max_new_articles=_parse_count(table, "max_new_articles"),
            max_sitemaps=_parse_count(table, "max_sitemaps"),
        )
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


def _parse_pattern(pattern: object) -> str:
    if not isinstance(pattern, str):
        raise ConfigError("article_pattern must be a string (a regular expression)")
    try:
        re.compile(pattern)
    except re.error as error:
        raise ConfigError(
            f"article_pattern {pattern!r} is not a valid regular expression: {error}") from None
    return pattern


def _parse_selectors(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) - _SELECTOR_KEYS:
        raise ConfigError("selectors takes headline, body (CSS selectors) and remove (a list)")
    remove = raw.get("remove", [])
    if isinstance(remove, str):
        remove = [remove]
    if not all(isinstance(s, str) for s in [*remove, raw.get("headline", ""), raw.get("body", "")]):
        raise ConfigError("selectors must be CSS selector strings")
    return {**raw, "remove": list(remove)}


def _parse_bool(table: dict[str, Any], key: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false")
    return value


def _parse_count(table: dict[str, Any], key: str) -> int:
    value = table.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{key} must be a whole number, 0 or more")
    return value


def resolve_sources(args: tuple[str, ...], configured: list[Source]) -> list[Source]:
    """Sources named or given as URLs on the command line; all configured ones if none."""
    if not args:
        if not configured:
            raise ConfigError("no sources: give a URL, or list sites in a sources file (--sources)")
        return configured
    by_name = {s.name: s for s in configured}
    chosen = []
    for arg in args:
        if arg in by_name:
            chosen.append(by_name[arg])
        elif "://" in arg:
            chosen.append(_configured_for_url(arg, configured) or source_for_url(arg))
        else:
            raise ConfigError(
                f"unknown source {arg!r}: not a URL and not a name in the sources file")
    return chosen


def _configured_for_url(url: str, configured: list[Source]) -> Source | None:
    for source in configured:
        if url in source.urls:
            return source
    return None
