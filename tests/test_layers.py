"""The architecture's rules that import-linter cannot see (ARCHITECTURE.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "scraper" / "store"
# SQL statements inside string literals, and raw connections: only scraper/store/ has them.
SQL = re.compile(
    r"""["'][^"'\n]*\b(select\s+[\w*(),. ]+\s+from|insert\s+(or\s+\w+\s+)?into|"""
    r"""update\s+\w+\s+set|delete\s+from|create\s+(unique\s+)?(table|index|view|trigger|virtual)"""
    r"""|pragma\s+\w+)\b""",
    re.IGNORECASE,
)
CONNECT = re.compile(r"\bsqlite3\.connect\(|\bDatabase\(\s*[\"'/]")


def code_outside_store() -> list[Path]:
    files = [*(ROOT / "scraper").rglob("*.py"), *(ROOT / "spiders").rglob("*.py")]
    return sorted(f for f in files if STORE not in f.parents)


def test_no_sql_outside_store() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in code_outside_store()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SQL.search(line) or CONNECT.search(line)]
    assert found == []


@pytest.mark.parametrize("line", [
    'db.execute("select id from articles where url = ?", [u])',
    "rows = conn.execute('INSERT INTO versions (id) values (1)')",
    'sql = "update articles set state = ?"',
    'conn = sqlite3.connect(path)',
])
def test_the_sql_check_sees_sql(line: str) -> None:
    assert SQL.search(line) or CONNECT.search(line)


def test_import_layers_hold() -> None:
    """import-linter's contracts in pyproject.toml: layers, no circles, no upward import."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
