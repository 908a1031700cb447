"""The README documents every command and the schema, and is up to date (cog)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from scraper.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_documented(name: str) -> None:
    command = cli.commands[name]  # type: ignore[attr-defined]
    assert command.help, f"{name} is missing its help"
    assert f"### `stet {name} --help`" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help or param.name == "help", f"{name} {param.opts} has no help"


def test_contract_commands_exist() -> None:
    assert {"crawl", "diff", "changes", "schedule", "serve"} <= set(COMMANDS)


def test_readme_generated_parts_are_current() -> None:
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, "README.md is out of date: run `make docs`\n" + result.stdout


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make demo" in first_screen and "make test" in first_screen


def test_readme_sources_example_is_a_valid_sources_file(tmp_path: Path) -> None:
    from scraper.crawl.sources import load_sources

    example = README.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "sources.toml"
    path.write_text(example, encoding="utf-8")
    (courier,) = load_sources(path)
    assert courier.name == "courier" and courier.selectors["body"] == "div.story-body"
