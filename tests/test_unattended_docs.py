"""The README's systemd unit and cron lines (issue 12) are valid: the unit passes
`systemd-analyze verify` (or, without systemd, parses as an INI file with the keys it
needs) and every `stet` command line in them is accepted by `stet`."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
UNIT = README.split("# /etc/systemd/system/stet.service\n", 1)[1].split("```", 1)[0]
CRON = README.split("```cron\n", 1)[1].split("```", 1)[0].strip().splitlines()
STET = "/opt/stet/.venv/bin/stet"


def stet_args(command: str) -> list[str]:
    """The arguments after the stet executable in a unit or cron command line."""
    words = shlex.split(command)
    return words[words.index(STET) + 1:]


def test_the_unit_verifies(tmp_path: Path) -> None:
    unit = tmp_path / "stet.service"
    unit.write_text(UNIT.replace(STET, str(Path(sys.executable).parent / "stet")))
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT)
    assert parser["Service"]["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert parser["Service"]["KillMode"] == "mixed"
    assert int(parser["Service"]["TimeoutStopSec"]) > 10  # Stet stops within 10 s
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                                text=True, cwd=tmp_path)
        assert result.returncode == 0 and result.stderr == "", result.stderr


def test_the_unit_and_cron_commands_are_stet_commands() -> None:
    exec_start = configparser.ConfigParser(interpolation=None)
    exec_start.read_string(UNIT)
    lines = [exec_start["Service"]["ExecStart"]]
    for line in CRON:
        fields = line.split(None, 5)
        assert len(fields) == 6 and all(f.replace("*/", "").replace("*", "0").isdigit()
                                        for f in fields[:5]), line
        lines.append(fields[5].split("&&", 1)[1])
    for line in lines:
        result = CliRunner().invoke(cli, [*stet_args(line), "--help"])
        assert result.exit_code == 0, (line, result.output)
    assert "schedule --once" in CRON[0]
