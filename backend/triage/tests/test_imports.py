"""How the triage package's modules depend on each other, and what a web process loads."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
BACKEND = PACKAGE.parent


def module_name(path: Path) -> str:
    parts = path.relative_to(BACKEND).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def triage_imports(path: Path, modules: set[str]) -> set[str]:
    """Every triage module `path` imports, wherever the import statement stands (top level,
    inside a function, under TYPE_CHECKING): a deferred import is still a dependency."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & modules


def test_the_triage_modules_import_each_other_without_cycles() -> None:
    paths = [
        path
        for path in PACKAGE.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
    ]
    modules = {module_name(path) for path in paths}
    graph = {module_name(path): triage_imports(path, modules) for path in paths}

    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_the_learning_modules_depend_one_way() -> None:
    learning = PACKAGE / "learning"
    modules = {f"triage.learning.{name}" for name in ("counter", "jobs", "training")}

    def imports(name: str) -> set[str]:
        return triage_imports(learning / f"{name}.py", modules)

    assert imports("counter") == {"triage.learning.jobs"}
    assert imports("jobs") == {"triage.learning.training"}
    assert imports("training") == set()


def test_a_web_process_does_not_load_scikit_learn() -> None:
    """scikit-learn takes seconds to import; only the worker (and the local provider, at its
    first use or warm-up) needs it. Run in a fresh interpreter: this one has loaded it."""
    script = (
        "import sys, django; django.setup();"
        "import config.urls, tickets.services, triage.learning.counter, triage.selectors;"
        "print('sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BACKEND,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "False"
