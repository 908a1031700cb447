"""Alerts: tell someone when an article they care about is edited (issue 12).

Rules live in the sources file and are sent through Apprise (``pip install
stet[alerts]``), so any of its services works: e-mail, Matrix, Slack, a JSON webhook::

    [alerts]
    link = "http://localhost:8001"   # where `stet serve` runs: each alert links its diff page

    [[alert]]
    to = "json://hooks.example/stet"  # an Apprise URL, or a list of them
    sources = ["kyiv"]                # optional: only these sources
    labels = ["headline", "stealth"]  # optional: only edits with one of these labels
    words = ["minister"]              # optional: only headlines with one of these words

Every alert is first written to the ``alerts`` table, then sent; a failed send is
retried after each later pass (back-off, at most MAX_ATTEMPTS times) and then marked
failed, with its error -- never lost silently.
"""

from __future__ import annotations

import logging
import tomllib
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from scraper.crawl.sources import Source
from scraper.diff import diff_versions
from scraper.errors import ConfigError
from scraper.store import Archive
from scraper.store.status import (
    AlertRow,
    NewVersion,
    due_alerts,
    mark_alert,
    new_versions,
    queue_alert,
)
from scraper.timeutil import iso, utcnow

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=30)
SHORT_DIFF_CHARS = 600
_RULE_KEYS = {"to", "sources", "labels", "words", "name"}


@dataclass(frozen=True)
class AlertRule:
    name: str
    targets: tuple[str, ...]
    sources: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def matches(self, edit: NewVersion) -> bool:
        headline = f"{edit.headline} {edit.previous_headline}".lower()
        return ((not self.sources or edit.source in self.sources)
                and (not self.labels or bool(set(self.labels) & set(edit.labels)))
                and (not self.words or any(w.lower() in headline for w in self.words)))


@dataclass(frozen=True)
class AlertConfig:
    rules: tuple[AlertRule, ...]
    link: str = ""


def load_alert_config(path: Path) -> AlertConfig:
    """The [[alert]] rules and [alerts] settings of a sources file; ConfigError if bad."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read alert rules in {path}: {error}") from None
    tables = data.get("alert", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: use [[alert]] tables, one per rule")
    rules = tuple(_rule(t, n, path) for n, t in enumerate(tables))
    settings = data.get("alerts", {})
    link = settings.get("link", "") if isinstance(settings, dict) else ""
    return AlertConfig(rules, str(link).rstrip("/"))


def _rule(table: Any, number: int, path: Path) -> AlertRule:
    where = f"{path}: alert #{number + 1}"
    if not isinstance(table, dict) or set(table) - _RULE_KEYS:
        raise ConfigError(f"{where}: keys are to, sources, labels, words, name")

    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a string or a list of strings")
        return tuple(value)

    if not strings("to"):
        raise ConfigError(f"{where}: give an Apprise URL in to")
    return AlertRule(str(table.get("name", f"alert-{number + 1}")), strings("to"),
                     strings("sources"), strings("labels"), strings("words"))


class Notifier:
    """After each pass: queue the alerts its edits call for, then send what is due."""

    def __init__(self, db_path: Path, config: AlertConfig) -> None:
        self.db_path = db_path
        self.config = config

    def after_pass(self, source: Source, started: str, result: object = None) -> None:
        archive = Archive(self.db_path)
        try:
            for edit in new_versions(archive, source.name, started):
                for rule in self.config.rules:
                    if rule.matches(edit):
                        self._queue(archive, edit, rule)
            self.send_due(archive)
        finally:
            archive.close()

    def _queue(self, archive: Archive, edit: NewVersion, rule: AlertRule) -> None:
        title = f"Edited: {edit.headline}"[:250]
        body = f"{short_diff(archive, edit)}\n\n{self.link(edit)}".strip()
        for target in rule.targets:
            queue_alert(archive, edit.version_id, f"{rule.name} {target}", target, title, body)

    def link(self, edit: NewVersion) -> str:
        page = f"/-/stet/diff/{edit.article_id}/{edit.diff_from}/{edit.version}"
        return f"{self.config.link}{page}" if self.config.link else edit.url

    def send_due(self, archive: Archive) -> None:
        for alert in due_alerts(archive, iso(utcnow())):
            error = send(alert)
            if not error:
                mark_alert(archive, alert.id, "sent")
                continue
            attempts = alert.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                logger.error("alert %s to %s failed for good: %s", alert.id, alert.target, error)
                mark_alert(archive, alert.id, "failed", error)
            else:
                retry = iso(utcnow() + RETRY_BASE * (2 ** (attempts - 1)))
                logger.warning("alert %s to %s not sent (%s); retrying after %s", alert.id,
                               alert.target, error, retry)
                mark_alert(archive, alert.id, "pending", error, retry)


def send(alert: AlertRow) -> str:
    """Send one alert through Apprise; returns "" when sent, else why not."""
    with warnings.catch_warnings():  # its plugins, loaded on first use, import deprecated modules
        warnings.simplefilter("ignore", DeprecationWarning)
        return _send(alert)


def _send(alert: AlertRow) -> str:
    try:
        import apprise
    except ImportError:
        return "Apprise is not installed: pip install 'stet[alerts]'"
    sender = apprise.Apprise()
    if not sender.add(alert.target):
        return f"not an Apprise URL Stet can use: {alert.target}"
    try:
        sent = sender.notify(title=alert.title, body=alert.body)
    except Exception as error:  # a plugin's own failure: recorded, retried
        return f"{type(error).__name__}: {error}"
    return "" if sent else "the service did not accept it"


def short_diff(archive: Archive, edit: NewVersion, limit: int = SHORT_DIFF_CHARS) -> str:
    """The edit in a few lines: [-removed-] {+added+} words of the changed parts."""
    versions = {v.version: v for v in archive.versions(edit.article_id)}
    new = versions.get(edit.version)
    old = versions.get(new.diff_from or 0) if new else None
    if new is None or old is None:
        return ""
    diff = diff_versions(old.text(), new.text())
    lines = [_marked(diff.headline)] if edit.previous_headline != edit.headline else []
    lines += [_marked(op.words) for op in diff.body if op.op != "equal"]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _marked(words: Any) -> str:
    marks = {"insert": "{+%s+}", "delete": "[-%s-]"}
    return "".join(marks[w.op] % w.text if w.op in marks else w.text for w in words).strip()


def notifier_for(sources_path: Path, db_path: Path) -> Notifier | None:
    """A Notifier for the sources file's alert rules, None when it has none."""
    if not sources_path.exists():
        return None
    config = load_alert_config(sources_path)
    return Notifier(db_path, config) if config.rules else None
