"""Each setting is described once, in the README's Settings table; `.env.example` lists the same
names with example values, and `settings.py` reads nothing the table leaves out."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
# Read by the Makefile and the serving scripts, not by settings.py.
NOT_IN_SETTINGS_PY = {"PORT", "HOST", "WEB_CONCURRENCY"}
# Only `make test` reads it (the Quick start says so); not a setting of the product.
ONLY_IN_ENV_EXAMPLE = {"TEST_DATABASE_URL"}


def documented() -> set[str]:
    readme = (REPO / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        first_cell = line.split("|")[1] if line.startswith("| `") else ""
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_env_example_lists_exactly_the_documented_settings() -> None:
    lines = (REPO / ".env.example").read_text().splitlines()
    listed = {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line)}
    assert listed - ONLY_IN_ENV_EXAMPLE == documented()


def test_every_variable_settings_py_reads_is_documented() -> None:
    source = (REPO / "backend" / "config" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:environ\.get|env_\w+|env)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source)
    )
    assert read, "the pattern no longer finds how settings.py reads the environment"
    assert read <= documented(), sorted(read - documented())
    assert documented() - NOT_IN_SETTINGS_PY <= read, sorted(documented() - read)
