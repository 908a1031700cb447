"""One writer per archive: a lock file next to it, held by `stet schedule` and `stet crawl`.

The lock is an advisory ``flock`` on ``ARCHIVE.lock``: the kernel drops it when its
holder dies however it dies (kill -9, a crash, a reboot), so a lock left by a dead
process never needs cleaning up -- the next one simply takes it (issue 12). The file
also says who holds it (pid, command, start time) so a refused second instance can
tell the operator.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from scraper.errors import ArchiveError, StetError
from scraper.timeutil import iso, utcnow

POLL_SECONDS = 0.2


class LockHeld(StetError):
    """Another process writes this archive (exit status 2)."""


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    started: str

    def describe(self) -> str:
        return f"pid {self.pid} ({self.command}), since {self.started}"


def lock_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".lock")


def read_holder(path: Path) -> Holder | None:
    """Who the lock file says holds it (None when it is empty or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["command"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ArchiveLock:
    """``with ArchiveLock(path, wait=False):`` -- LockHeld when another process has it."""

    def __init__(self, archive: Path, *, wait: bool = False, command: str = "") -> None:
        self.path = lock_path(archive)
        self.wait = wait
        self.command = command or " ".join(["stet", *sys.argv[1:]])
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:  # a read-only folder: say so in one line
            raise ArchiveError(f"cannot create the lock file {self.path}: "
                               f"{error.strerror or error}") from None
        try:
            while not _try_lock(fd):
                if not self.wait:
                    raise LockHeld(self._refusal())
                time.sleep(POLL_SECONDS)  # a poll, not a blocking flock: signals still work
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        record = {"pid": os.getpid(), "command": self.command, "started": iso(utcnow())}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode("utf-8") + b"\n", 0)
        except OSError:  # a full disk: the lock holds all the same, only unsigned
            pass

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):  # the file stays: removing it would race a waiter
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # closing drops the flock
        self._fd = None

    def _refusal(self) -> str:
        holder = read_holder(self.path)
        who = holder.describe() if holder else "another process"
        return (f"archive {self.path.with_suffix('')} is in use by {who}; "
                f"stop it, or add --wait to wait for it")

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
