"""The TUI's shape: screens call feature functions (no SQL of their own), one stylesheet, a light start."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import REPO

from tracker.tui.app import TrackerApp

TUI = REPO / "tracker" / "tui"
MODULES = sorted(TUI.rglob("*.py"))
HEAVY = ("sqlalchemy", "PIL", "numpy", "alembic")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module imported outside `if TYPE_CHECKING:` blocks, anywhere in the file (functions too)."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_the_tui_has_modules_to_check() -> None:
    names = {path.relative_to(TUI).as_posix() for path in MODULES}
    assert {"app.py", "screens/dashboard.py", "screens/purge.py", "widgets/preview.py"} <= names


def test_no_tui_module_queries_the_database_itself() -> None:
    """Screens call feature functions (`tracker.complaints.queue`, `tracker.purge.marks`, ...)."""
    offenders = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO).as_posix()
        offenders += [
            f"{name}:{n}: select("
            for n, line in enumerate(text.splitlines(), 1)
            if re.search(r"(?<![\w.])select\(", line)
        ]
        offenders += [
            f"{name}:{line}: import {module}"
            for line, module in _runtime_imports(ast.parse(text))
            if module == "sqlalchemy" or module.startswith("sqlalchemy.")
        ]
    assert offenders == []


def test_the_type_checking_guard_is_understood() -> None:
    source = "if TYPE_CHECKING:\n    from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n"
    assert _runtime_imports(ast.parse(source)) == [(3, "sqlalchemy.orm")]


def test_no_css_in_python_strings() -> None:
    """Every style lives in app.tcss: no `CSS` / `DEFAULT_CSS` attribute on any class of the TUI."""
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                if names & {"CSS", "DEFAULT_CSS", "MODAL_CSS"}:
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def test_the_stylesheet_is_the_apps_and_uses_theme_variables() -> None:
    path = Path(TrackerApp.CSS_PATH)  # type: ignore[arg-type]
    # The app's own stylesheet (installed with the package, or this checkout's when run from it).
    assert path.name == "app.tcss" and path.is_file()
    text = path.read_text(encoding="utf-8")
    assert text == (TUI / "app.tcss").read_text(encoding="utf-8")
    assert "$primary" in text and "$error" in text
    values = [m.group(1) for m in re.finditer(r"^\s*[a-z-]+\s*:\s*(.+?);\s*$", text, re.MULTILINE)]
    assert values and not [v for v in values if "#" in v or "rgb" in v], "colours come from the theme"


def test_the_stylesheet_parses() -> None:
    from textual.css.stylesheet import Stylesheet

    sheet = Stylesheet(variables=TrackerApp(backend=None).get_css_variables())  # type: ignore[arg-type]
    sheet.read(Path(TrackerApp.CSS_PATH))  # type: ignore[arg-type]
    sheet.parse()
    assert sheet.rules


@pytest.mark.slow
def test_the_app_and_the_dashboard_import_no_database_layer_pillow_or_numpy() -> None:
    """The first screen must not wait for SQLAlchemy, Pillow, numpy or alembic to load."""
    code = (
        "import sys\n"
        "import tracker.tui.app, tracker.tui.screens.dashboard\n"
        f"loaded = [name for name in {HEAVY!r} if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
