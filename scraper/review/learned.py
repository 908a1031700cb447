"""`stet sources list` and `stet sources show NAME`: what was learned of a source."""

from __future__ import annotations

import json
from dataclasses import asdict

from scraper.store import Archive
from scraper.store.profiles import LearnedBlock, SourceSummary, learned_blocks, source_summaries

EXAMPLE_CHARS = 90


def list_sources(archive: Archive, fmt: str) -> str:
    summaries = source_summaries(archive)
    if fmt == "json":
        return json.dumps([asdict(s) for s in summaries], indent=2)
    if not summaries:
        return "no articles in the archive yet"
    lines = [f"{'source':<30} {'articles':>8} {'furniture':>9} {'volatile':>8} "
             f"{'templates':>9} {'names':>5}  last learned"]
    lines += [f"{s.source:<30} {s.articles:>8} {s.furniture:>9} {s.volatile:>8} "
              f"{s.containers:>9} {s.names:>5}  {s.last_learned or '-'}" for s in summaries]
    return "\n".join(lines)


def show_source(archive: Archive, name: str, fmt: str) -> str | None:
    """The source's learned blocks, or None when the archive has no article of it."""
    summary = next((s for s in source_summaries(archive) if s.source == name), None)
    if summary is None:
        return None
    blocks = learned_blocks(archive, name)
    if fmt == "json":
        return json.dumps({**asdict(summary), "blocks": [asdict(b) for b in blocks]}, indent=2)
    lines = [f"source {name}: {summary.articles} articles; {summary.furniture} furniture "
             f"blocks, {summary.volatile} volatile shapes, {summary.containers} template "
             f"containers and {summary.names} site names in headlines learned"]
    if not blocks:
        lines.append("nothing learned yet: bodies are the single-page cleaner's")
    lines += [line for block in blocks for line in describe(block)]
    return "\n".join(lines)


def describe(block: LearnedBlock) -> list[str]:
    example = block.example if len(block.example) <= EXAMPLE_CHARS else (
        block.example[:EXAMPLE_CHARS - 1] + "…")
    versions = ", ".join(f"{a}/v{v}" for a, v in block.versions)
    return [
        f"\n{block.kind} {block.fingerprint}: learned {block.first_learned} by "
        f"{block.learned_from}, from {block.pages} articles",
        f"  {example!r}",
        f"  from article/version {versions}",
    ]


__all__ = ["SourceSummary", "list_sources", "show_source"]
