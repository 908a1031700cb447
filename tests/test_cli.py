"""The command line: exit codes and one-line messages (CONTRACT.md), on a real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.model import CleanPage, PageItem
from scraper.store import Archive

URL = "https://news.example/2026/11/harbour-fire"
BODY = ("Fire crews fought a blaze at the harbour warehouse for 12 hours, the fire "
        "service said.\n\nNo one was hurt, but 40 tonnes of grain were lost.")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    archive = Archive(path)
    texts = [("Harbour fire burns for 12 hours", BODY),
             ("Harbour fire burns for 14 hours", BODY.replace("12", "14") + "\n\nCorrection: "
              "an earlier version of this article misstated how long the fire burned.")]
    for n, (headline, body) in enumerate(texts):
        item = PageItem(url=URL, source="news.example", status=200, body=b"<p>x</p>",
                        fetched_at=f"2026-11-2{n + 1}T10:00:00Z")
        archive.save_page(item, CleanPage(headline=headline, byline="Ann Lee", body=body))
    archive.close()
    return path


def one_line_error(result: object) -> str:
    output = result.output.strip()  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    assert output.startswith("Error: ") and "\n" not in output, output
    return output


@pytest.mark.parametrize(("args", "message"), [
    (["crawl", "nosuchsource"], "unknown source 'nosuchsource'"),
    (["crawl", "ftp://news.example/"], "bad URL"),
    (["crawl", "http://"], "bad URL"),
    (["crawl"], "no sources"),
    (["schedule", "--every", "often", "https://news.example/"], "bad duration"),
    (["changes", "--since", "last tuesday"], "bad --since"),
])
def test_usage_errors_exit_2_with_one_line(runner: CliRunner, tmp_path: Path, args: list[str],
                                           message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no sources.toml here
    result = runner.invoke(cli, ["--db", str(tmp_path / "a.db"), *args])
    assert message in one_line_error(result)


def test_unreadable_sources_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text("[[source]\n", encoding="utf-8")
    result = runner.invoke(cli, ["--sources", str(bad), "--db", str(tmp_path / "a.db"), "crawl"])
    assert "not valid TOML" in one_line_error(result)
    missing = runner.invoke(cli, ["--sources", str(tmp_path / "none.toml"), "crawl"])
    assert "does not exist" in one_line_error(missing)


def test_database_in_a_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["crawl", "--db", str(tmp_path / "no" / "such" / "a.db"),
                                 "https://news.example/"])
    assert "does not exist" in one_line_error(result)


def test_db_from_the_environment(runner: CliRunner, archive_path: Path) -> None:
    result = runner.invoke(cli, ["changes"], env={"STET_DB": str(archive_path)})
    assert result.exit_code == 0 and "Harbour fire burns for 14 hours" in result.output


def test_diff_defaults_to_the_last_two_versions(runner: CliRunner, archive_path: Path) -> None:
    result = runner.invoke(cli, ["diff", URL, "--db", str(archive_path), "--no-color"])
    assert result.exit_code == 0, result.output
    assert "version 1" in result.output and "version 2" in result.output
    assert "12" in result.output and "14" in result.output and "\x1b[" not in result.output


def test_diff_formats(runner: CliRunner, archive_path: Path) -> None:
    data = json.loads(runner.invoke(cli, ["--db", str(archive_path), "diff", "1", "--format",
                                          "json"]).output)
    assert data["from"]["version"] == 1 and data["to"]["version"] == 2
    assert "numbers" in data["summary"]["labels"] and "correction" in data["summary"]["labels"]
    html = runner.invoke(cli, ["--db", str(archive_path), "diff", "1", "--format", "html"]).output
    assert "<ins" in html and "<del" in html


def test_diff_errors(runner: CliRunner, archive_path: Path) -> None:
    missing = runner.invoke(cli, ["--db", str(archive_path), "diff", "https://nope.example/x"])
    assert "no article" in one_line_error(missing)
    bad_version = runner.invoke(cli, ["--db", str(archive_path), "diff", "1", "--to", "9"])
    assert "no version 9" in one_line_error(bad_version)


def test_changes_text_json_and_filters(runner: CliRunner, archive_path: Path) -> None:
    text = runner.invoke(cli, ["--db", str(archive_path), "changes"])
    assert text.exit_code == 0 and "v1->v2" in text.output and URL in text.output
    rows = json.loads(runner.invoke(cli, ["--db", str(archive_path), "changes", "--format",
                                          "json"]).output)
    assert [(r["article_id"], r["version"]) for r in rows] == [(1, 2)]
    by_label = runner.invoke(cli, ["--db", str(archive_path), "changes", "--label", "typo"])
    assert by_label.output.strip() == "no changes"
    since = runner.invoke(cli, ["--db", str(archive_path), "changes", "--since", "2026-11-23"])
    assert since.output.strip() == "no changes"


def test_serve_refuses_a_missing_archive(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "typo.db")])
    assert "no such file" in one_line_error(result)
    assert not (tmp_path / "typo.db").exists()


def test_default_archive_folder_is_created(runner: CliRunner, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STET_DB", raising=False)
    result = runner.invoke(cli, ["changes"])
    assert result.exit_code == 0 and result.output.strip() == "no changes"
    assert (tmp_path / "data" / "archive.db").is_file()


def test_diff_finds_the_article_under_a_shared_link(runner: CliRunner, archive_path: Path) -> None:
    shared = URL.replace("news.example", "NEWS.example") + "?utm_source=twitter#comments"
    result = runner.invoke(cli, ["--db", str(archive_path), "diff", shared, "--no-color"])
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output


def test_json_diff_shows_the_stored_labels_flip_flop_included(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    """The labels come from the archive, so write-path labels such as flip-flop show."""
    path = tmp_path / "archive.db"
    archive = Archive(path)
    texts = [("Harbour fire burns for 12 hours", BODY),
             ("Harbour fire burns all night", BODY),
             ("Harbour fire burns for 12 hours", BODY + "\n\nThe warehouse will be rebuilt.")]
    for n, (headline, body) in enumerate(texts):
        item = PageItem(url=URL, source="news.example", status=200, body=b"<p>x</p>",
                        fetched_at=f"2026-11-2{n + 1}T10:00:00Z")
        archive.save_page(item, CleanPage(headline=headline, byline="Ann Lee", body=body))
    stored = archive.versions(1)[-1].labels
    archive.close()
    result = runner.invoke(cli, ["--db", str(path), "diff", URL, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "flip-flop" in stored
    assert json.loads(result.output)["summary"]["labels"] == list(stored)
