"""The archive file: opening it, its write transactions, and SQLite's fatal errors.

Every connection waits up to BUSY_TIMEOUT_MS for another writer, also while the
schema is created or migrated: migrations run under the write lock taken up
front (BEGIN IMMEDIATE), so two processes opening a brand-new archive at once
cannot both create it. Errors no retry can fix (disk full, read-only file, not
a database) become one ArchiveError with a message for people (issue 5).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from scraper.errors import ArchiveError
from scraper.store.migrations import migrate, migrations

BUSY_TIMEOUT_MS = 60_000
# Where the archive is when neither --db nor $STET_DB names one (CONTRACT.md).
DEFAULT_ARCHIVE = "data/archive.db"

# SQLite's message -> what it means for the archive.
FATAL_ERRORS = {
    "database or disk is full": "the disk is full",
    "attempt to write a readonly database": "the archive is read-only",
    "unable to open database file": "the file cannot be opened (no permission, or a "
                                    "read-only folder)",
    "file is not a database": "the file is not an SQLite database",
    "database disk image is malformed": "the file is damaged",
    "disk i/o error": "disk I/O error",
    "database is locked": "another process kept it locked",
    "readonly database": "the archive is read-only",
}


def fatal_reason(error: sqlite3.Error) -> str | None:
    """What a fatal SQLite error means, or None for other errors (bugs, not the file)."""
    message = str(error).lower()
    return next((reason for known, reason in FATAL_ERRORS.items() if known in message), None)


def archive_error(path: Path, error: sqlite3.Error) -> ArchiveError:
    reason = fatal_reason(error) or str(error)
    return ArchiveError(f"archive {path}: {reason} ({error})")


@contextlib.contextmanager
def fatal_errors(path: Path) -> Iterator[None]:
    """Raise ArchiveError for the SQLite errors that mean the file cannot be used."""
    try:
        yield
    except sqlite3.Error as error:
        if fatal_reason(error) is None:
            raise
        raise archive_error(path, error) from error


OPEN_ATTEMPTS = 5  # switching a new file to WAL can fail busy at once while another
# process creates it (SQLite does not always wait on the busy timeout there)


def open_database(path: str | Path) -> Database:
    """A sqlite-utils Database on path, in WAL mode with a long busy timeout, migrated."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot open archive {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ArchiveError(f"cannot open archive {path}: it is a directory")
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            return _open(path)
        except ArchiveError as error:
            if attempt == OPEN_ATTEMPTS or "locked" not in str(error):
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _open(path: Path) -> Database:
    conn = None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # No sqlite-utils plugins: loading their entry points costs every command ~30 ms of
        # start-up, and Stet uses none (issue 10).
        db = Database(conn, execute_plugins=False)
        if db.journal_mode != "wal":
            db.enable_wal()
        # WAL with synchronous=NORMAL: a commit is not fsynced (the WAL is at checkpoints),
        # so a power failure may lose the last commits but never corrupts the archive;
        # one fsync per stored page was most of the crawl's commit time (issue 10).
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrations.pending(db):
            with write_transaction(db, path):  # re-checked under the lock: one creator wins
                migrate(db)
    except sqlite3.Error as error:
        if conn is not None:
            conn.close()
        raise archive_error(path, error) from None
    return db


@contextlib.contextmanager
def write_transaction(db: Database, path: Path) -> Iterator[Database]:
    """One IMMEDIATE transaction: takes the write lock up front, waits when busy.

    Rolled back on any error, also when COMMIT itself fails (a full disk), so the
    connection is never left inside a transaction.
    """
    with fatal_errors(path):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
