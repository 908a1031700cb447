"""The sources file and command-line sources: valid files load, bad ones say why in one line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scraper.crawl.sources import load_sources, resolve_sources, source_for_url
from scraper.durations import format_duration, parse_duration
from scraper.errors import ConfigError
from scraper.store.revisit import DEFAULT_POLICY

GOOD = """
[[source]]
name = "courier"
urls = ["https://courier.example/", "https://courier.example/feed.xml"]
interval = "15m"
article_pattern = "/news/\\\\d{4}/"
revisit = [["6h", "10m"], ["2d", "2h"]]
horizon = "90d"
max_new_articles = 200
max_sitemaps = 30

[source.selectors]
body = "div.story"
remove = [".promo"]

[[source]]
name = "gazette"
url = "https://gazette.example/sitemap.xml"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    courier, gazette = load_sources(write(tmp_path, GOOD))
    assert courier.name == "courier" and courier.interval == timedelta(minutes=15)
    assert courier.article_pattern == "/news/\\d{4}/"
    assert courier.revisit.interval(timedelta(hours=1)) == timedelta(minutes=10)
    assert courier.revisit.interval(timedelta(days=3)) is None
    assert courier.selectors == {"body": "div.story", "remove": [".promo"]}
    assert gazette.urls == ("https://gazette.example/sitemap.xml",)
    assert gazette.revisit == DEFAULT_POLICY and not gazette.allow_private
    assert courier.discovery_horizon == timedelta(days=90)
    assert (courier.max_new_articles, courier.max_sitemaps) == (200, 30)
    # By default discovery goes back as far as the revisit table does, budgets from settings.
    assert gazette.discovery_horizon == timedelta(days=365) and gazette.horizon is None
    assert (gazette.max_new_articles, gazette.max_sitemaps) == (0, 0)


@pytest.mark.parametrize(("text", "message"), [
    ("[[source]\nname=1", "not valid TOML"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\ncolour = "red"', "unknown key 'colour'"),
    ('[[source]]\nname = "a"\nurls = ["ftp://a.example/"]', "bad URL"),
    ('[[source]]\nname = "a"\nurls = []', "at least one URL"),
    ('[[source]]\nname = "a b"\nurls = ["https://a.example/"]', "name must be"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\ninterval = "soon"', "bad duration"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\narticle_pattern = "("',
     "not a valid regular expression"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\nrevisit = [["1d", "1h"], ["1h", "5m"]]',
     "ages must increase"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\nhorizon = "a year"', "bad duration"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\nmax_sitemaps = -1',
     "max_sitemaps must be a whole number"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\nmax_new_articles = "many"',
     "max_new_articles must be a whole number"),
    ('[[source]]\nname = "a"\nurls = ["https://a.example/"]\n[[source]]\nname = "a"\n'
     'urls = ["https://b.example/"]', "used twice"),
])
def test_bad_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_sources(write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_sources(tmp_path / "nope.toml")
    binary = tmp_path / "sources.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="sources file"):
        load_sources(binary)


def test_command_line_sources(tmp_path: Path) -> None:
    configured = load_sources(write(tmp_path, GOOD))
    assert [s.name for s in resolve_sources((), configured)] == ["courier", "gazette"]
    assert resolve_sources(("gazette",), configured)[0].name == "gazette"
    named_by_url = resolve_sources(("https://courier.example/feed.xml",), configured)
    assert named_by_url[0].name == "courier"
    adhoc = resolve_sources(("https://www.other.example/news",), configured)[0]
    assert adhoc.name == "other.example" and adhoc.urls == ("https://www.other.example/news",)
    with pytest.raises(ConfigError, match="unknown source 'nosuch'"):
        resolve_sources(("nosuch",), configured)
    with pytest.raises(ConfigError, match="no sources"):
        resolve_sources((), [])


def test_local_addresses_are_allowed_only_when_given_as_the_start_url() -> None:
    assert source_for_url("http://127.0.0.1:8000/").allow_private
    assert not source_for_url("https://news.example/").allow_private


def test_source_survives_the_trip_to_the_crawl_process(tmp_path: Path) -> None:
    from scraper.crawl.sources import Source

    courier = load_sources(write(tmp_path, GOOD))[0]
    assert Source.from_plan(courier.to_plan()) == courier


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("1h30m", 5400),
                                               ("3d", 259200), ("1.5h", 5400)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "0s", "ten minutes", "15", "-5m", "5x"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


def test_format_duration() -> None:
    assert [format_duration(timedelta(seconds=s)) for s in (900, 3600, 90, 86400 * 3)] == [
        "15m", "1h", "90s", "3d"]
