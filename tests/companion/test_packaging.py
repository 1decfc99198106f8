"""Item 1: the installed package exposes the `vetscribe` command, needs Python 3.11+, and ships its migrations."""

import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

from companion.store.db import known_migrations

ROOT = Path(__file__).resolve().parents[2]


def test_console_command_and_python_floor():
    scripts = metadata.entry_points(group="console_scripts", name="vetscribe")
    assert [ep.value for ep in scripts] == ["companion.cli:main"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert shutil.which("vetscribe"), "pip install -e . did not put vetscribe on PATH"
    result = subprocess.run(["vetscribe", "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "vetscribe" in result.stdout


def test_migrations_ship_as_package_data():
    names = [name for _, name, _ in known_migrations()]
    assert names[0] == "0001_foundation.sql" and all(name.endswith(".sql") for name in names)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"*.sql"' in pyproject  # package-data pattern that puts them in a wheel


def test_top_level_layout():
    for part in ("extension", "companion", "selectors", "tests", "bench", "pyproject.toml", ".ci/run"):
        assert (ROOT / part).exists(), part
