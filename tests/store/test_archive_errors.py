"""Fatal archive errors: one line on stderr starting "Error:", exit status 2 (issue 5).

A file that is not a database, a directory, a read-only archive, a full disk: for
`stet crawl`, `changes`, `diff` and `reextract` the user gets one line saying
what is wrong, never a traceback, and the archive is left as it was.

Root ignores file permissions, and these tests often run as root. So the
read-only file is tested as an unprivileged user (setpriv), the read-only folder
with a read-only bind mount, and the full disk on a tiny tmpfs; each is skipped,
saying why, where the machine does not allow it.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.archive import FAST, NewsSite, archived_edits, article_path, stet
from support.site import Site


def commands(url: str) -> list[list[str]]:
    return [["crawl", url, *FAST], ["changes"], ["diff", "1"], ["reextract"]]


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def archive_with_an_edit(site: Site, db: Path, articles: int = 3) -> NewsSite:
    news = NewsSite(site, articles)
    assert stet(db, "crawl", news.home, *FAST).returncode == 0
    news.edit([0])
    assert stet(db, "crawl", news.home, "--all", *FAST).returncode == 0
    return news


def test_a_file_that_is_not_an_archive(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    garbage = random.Random(5).randbytes(64 * 1024)
    db.write_bytes(garbage)
    for args in commands(site.url("/")):
        assert_one_line_error(stet(db, *args), str(db), "not an SQLite database")
    assert db.read_bytes() == garbage  # never "repaired" into an empty archive


def test_a_directory_or_a_missing_folder(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "archive.db"
    folder.mkdir()
    for args in commands(site.url("/")):
        assert_one_line_error(stet(folder, *args), "is a directory")
        assert_one_line_error(stet(tmp_path / "no" / "archive.db", *args), "does not exist")


def test_read_only_archive_file(site: Site, tmp_path: Path) -> None:
    """Writing commands fail in one line; reading ones still read it."""
    db = tmp_path / "archive.db"
    news = archive_with_an_edit(site, db)
    before = archived_edits(db)
    with read_only_file(db):
        news.edit([1])
        assert_one_line_error(stet(db, "crawl", news.home, "--all", *FAST), "read-only")
        assert_one_line_error(stet(db, "reextract"), "read-only")
        changes = stet(db, "changes")
        assert changes.returncode == 0 and "district 0" in changes.stdout, changes.stderr
        diff = stet(db, "diff", site.url(article_path(0)), "--no-color")
        assert diff.returncode == 0 and "version 2" in diff.stdout, diff.stderr
    assert archived_edits(db) == before


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """chmod 0444; as root, which chmod does not stop, the file bind-mounted read-only."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        return
    mount("--bind", str(path), str(path))
    try:
        mount("-o", "remount,ro,bind", str(path))
        yield
    finally:
        subprocess.run(["umount", str(path)], check=False)


def mount(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root and mount(8)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow `mount {' '.join(args)}`: {done.stderr}")


@pytest.fixture
def read_only_view(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder, and the same folder mounted read-only (even root cannot write there)."""
    folder, view = tmp_path / "rw", tmp_path / "ro"
    folder.mkdir()
    view.mkdir()
    mount("--bind", str(folder), str(view))
    try:
        mount("-o", "remount,ro,bind", str(view))
        yield folder, view
    finally:
        subprocess.run(["umount", str(view)], check=False)


def test_read_only_folder(site: Site, read_only_view: tuple[Path, Path]) -> None:
    folder, view = read_only_view
    archive_with_an_edit(site, folder / "archive.db")
    for args in commands(site.url("/")):
        assert_one_line_error(stet(view / "archive.db", *args), "cannot be opened")
    assert_one_line_error(stet(view / "new.db", "crawl", site.url("/"), *FAST))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system: a few articles fill it. (An empty archive and the write-ahead
    log that creates it take about 450 kB of it now that the schema has grown.)"""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def bulky(news: NewsSite) -> None:
    """Make every article long and incompressible, so the disk fills mid-pass."""
    rng = random.Random(7)
    for number in range(news.count):
        words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(2000))
        url = news.site.url(article_path(number))
        page = news.site.pages[article_path(number)].body.decode()
        news.site.set(article_path(number), page.replace("</article>", f"<p>{words}.</p>"
                                                           "</article>"))
        assert url in news.edits


def test_disk_full_during_a_pass(site: Site, tiny_disk: Path) -> None:
    news = NewsSite(site, 30)
    bulky(news)
    db = tiny_disk / "archive.db"
    assert_one_line_error(stet(db, "crawl", news.home, *FAST), "the disk is full")
    saved = archived_edits(db)  # intact: every saved article complete
    assert 0 < len(saved) < news.count
    assert_one_line_error(stet(db, "reextract"), "the disk is full")
    changes = stet(db, "changes")
    assert changes.returncode == 0, changes.stderr
    diff = stet(db, "diff", next(iter(saved)), "--no-color")
    assert diff.returncode == 0 and "district" in diff.stdout, diff.stderr
    assert_one_line_error(stet(tiny_disk / "new.db", "crawl", news.home, *FAST))

    mount("-o", "remount,size=8m", str(tiny_disk))  # space again: the next pass completes
    finished = stet(db, "crawl", news.home, *FAST)
    assert finished.returncode == 0, finished.stderr
    assert {url: edits[-1] for url, edits in archived_edits(db).items()} == news.edits
