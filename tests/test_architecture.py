"""The layout holds: arrows point one way, no cycles, no imports below code, small modules, cheap start.

Read from the source with `ast` (nothing of tracker is imported for the static checks), plus a few
whole-process checks of what a command loads. See README "Code layout" and each package's
`__init__.py` for what it owns and may import.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixtures.loaded import clean_environment, loaded_modules

from tracker.support.paths import migrations_dir

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"

MAX_LINES = 600
LARGE_DATA_TABLES: set[str] = set()
"""Modules allowed over MAX_LINES because they are essentially a data table (none today)."""

FRONT_ENDS = ("tracker.cli", "tracker.tui", "tracker.__main__")
UI_LIBRARIES = ("click", "textual", "rich", "textual_image")
FEATURES = (
    "tracker.archive",
    "tracker.accountability",
    "tracker.resources",
    "tracker.matching",
    "tracker.posts",
    "tracker.complaints",
    "tracker.purge",
    "tracker.checking",
    "tracker.demo",
)
FOUNDATIONS = ("tracker.db", "tracker.support", "tracker.metadata", "tracker.platforms", "tracker.errors")


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import the module runs (type-checking-only imports left out), resolved to module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt) and _is_type_checking(child):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(name, alias.name, child.lineno, in_function)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base]).strip(".")
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    yield Import(name, full if full in known else base, child.lineno, in_function)
            yield from visit(child, nested)

    yield from visit(tree, False)


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for found in imports(name, path, known):
            if found.target in known and found.target != name:
                edges[name].add(found.target)
    return edges


def test_no_import_cycles() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_packages_import_each_other_one_way() -> None:
    """Imports point one way between packages too (README "Code layout"): `posts` hashes with `matching`, so
    `matching` takes nothing of `posts` (not even inside a function), and no longer chain of packages loops."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        for i in imports(name, path, known):
            source, target = ".".join(name.split(".")[:2]), ".".join(i.target.split(".")[:2])
            if target.startswith("tracker.") and target in known and source != target:
                edges.setdefault(source, set()).add(target)
    loops: list[str] = []
    state: dict[str, int] = {}  # 1: on the path walked, 2: done

    def walk(package: str, path: list[str]) -> None:
        state[package] = 1
        for target in sorted(edges.get(package, ())):
            if state.get(target) == 1:
                loops.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[package] = 2

    for package in sorted(edges):
        if package not in state:
            walk(package, [package])
    assert not loops, "packages importing each other:\n" + "\n".join(loops)


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_core_never_imports_a_user_interface_library() -> None:
    known = modules()
    found = [
        f"{i.source}:{i.line} imports {i.target}"
        for name, path in known.items()
        if not _under(name, FRONT_ENDS)
        for i in imports(name, path, known)
        if i.target.split(".")[0] in UI_LIBRARIES
    ]
    assert not found, "\n".join(found)


def test_arrows_point_one_way() -> None:
    """Front ends -> features -> foundations; nothing below imports anything above it."""
    known = modules()
    wrong = []
    for name, path in known.items():
        for i in imports(name, path, known):
            if not i.target.startswith("tracker"):
                continue
            if not _under(name, FRONT_ENDS) and _under(i.target, FRONT_ENDS):
                wrong.append(f"{name}:{i.line} imports the front end {i.target}")
            if _under(name, FOUNDATIONS) and _under(i.target, FEATURES):
                wrong.append(f"{name}:{i.line} (a foundation) imports the feature {i.target}")
            if _under(name, ("tracker.support",)) and not _under(i.target, ("tracker.support", "tracker.errors")):
                wrong.append(f"{name}:{i.line}: support/ depends on nothing of ours, but imports {i.target}")
            if _under(name, ("tracker.tui",)) and _under(i.target, ("tracker.cli",)):
                wrong.append(f"{name}:{i.line}: the TUI imports the CLI ({i.target})")
    assert not wrong, "\n".join(wrong)


def test_no_import_below_code() -> None:
    """Module-level imports all come first: no import placed after code to dodge a cycle."""
    late = []
    for name, path in modules().items():
        body = ast.parse(path.read_text(encoding="utf-8")).body
        code_seen = False
        for node in body:
            preamble = (
                isinstance(node, ast.Import | ast.ImportFrom)
                or _is_type_checking(node)
                or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
                or (isinstance(node, ast.Try) and all(isinstance(s, ast.Import | ast.ImportFrom) for s in node.body))
            )
            if isinstance(node, ast.Import | ast.ImportFrom) and code_seen:
                late.append(f"{name}:{node.lineno}")
            if not preamble:
                code_seen = True
    assert not late, "imports below code: " + ", ".join(late)


def test_modules_stay_small() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES and name not in LARGE_DATA_TABLES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_few_loose_modules_and_every_package_says_what_it_owns() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 6, loose
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} has no docstring saying what the package owns"
        top_level_feature = init.parent.parent == PACKAGE
        if top_level_feature and init.parent.name not in ("cli", "tui"):
            assert "May import" in doc, f"{init} does not say what it may import"


def test_a_package_docstring_names_each_of_its_modules() -> None:
    """A newcomer reads a package's `__init__.py` to find a concern in one guess: every module and sub-package is
    named there (in backticks), so none hides: the command line's modules by the commands they hold, the top
    package's by what each feature owns."""
    unnamed = []
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        parts = [p.stem for p in init.parent.glob("*.py") if p.stem != "__init__"]
        parts += [d.name for d in init.parent.iterdir() if (d / "__init__.py").is_file()]
        unnamed += [f"{module_name(init)}.{part}" for part in sorted(parts) if not re.search(rf"`{part}[`./]", doc)]
    assert not unnamed, "not named in their package's docstring:\n" + "\n".join(unnamed)


def _allowed(doc: str) -> tuple[str, ...]:
    """The module prefixes a package's docstring names after `May import:`."""
    return tuple(re.findall(r"`(tracker[\w.]*)`", doc.split("May import:", 1)[1]))


def test_each_package_imports_only_what_its_docstring_allows() -> None:
    known = modules()
    wrong = []
    for init in sorted(PACKAGE.rglob("*/__init__.py")):
        package = module_name(init)
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if "May import:" not in doc:
            continue
        allowed = (package, *_allowed(doc))
        for name, path in known.items():
            if not _under(name, (package,)):
                continue
            for i in imports(name, path, known):
                if i.target.startswith("tracker.") and not _under(i.target, allowed):
                    wrong.append(f"{name}:{i.line} imports {i.target}, which {package}'s docstring does not allow")
    assert not wrong, "\n".join(wrong)


def test_complaints_read_messages_below_and_write_letters_above() -> None:
    """`tracker.complaints.reading` reads what a message says and knows nothing of logging or letters; the modules
    that log and decide a complaint use it, and `letters` uses both: never the other way round."""
    known = modules()
    wrong = []
    for name, path in known.items():
        if name.startswith("tracker.complaints.") and name.count(".") == 2:
            wrong += [
                f"{name}:{i.line} imports {i.target}"
                for i in imports(name, path, known)
                if _under(i.target, ("tracker.complaints.letters",))
            ]
    assert not wrong, "\n".join(wrong)


def test_each_regular_expression_is_written_in_one_module() -> None:
    """A pattern written out twice drifts apart (the kana class the language guess counts and the one a reply's
    check looked for were two copies): a module-level `re.compile` of the same text is written once, and imported."""
    seen: dict[str, list[str]] = {}
    for name, path in modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "re.compile" and value.args:
                if isinstance(value.args[0], ast.Constant):
                    seen.setdefault(ast.unparse(value), []).append(f"{name}:{node.lineno}")
    twice = [f"{' and '.join(places)}: {pattern[:80]}" for pattern, places in seen.items() if len(places) > 1]
    assert not twice, "\n".join(twice)


def test_every_public_function_has_a_caller() -> None:
    """A function nothing calls is a false lead for the reader (one that seems to say how overdue complaints are
    found): each public module-level function is named somewhere else in tracker/ or tests/. A Click command
    (decorated) is called by its group."""
    tests = PACKAGE.parent / "tests"
    sources = {path: path.read_text(encoding="utf-8") for path in [*modules().values(), *tests.rglob("*.py")]}
    words: dict[str, int] = {}
    for text in sources.values():
        for word in re.findall(r"\w+", text):
            words[word] = words.get(word, 0) + 1
    unused = [
        f"{module_name(path)}:{node.lineno} {node.name}"
        for path in modules().values()
        for node in ast.parse(sources[path]).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and not node.decorator_list
        if words.get(node.name, 0) < 2
    ]
    assert not unused, "no caller:\n" + "\n".join(unused)


def test_the_schema_revision_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from tracker.db.schema import REVISION

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(config).get_current_head() == REVISION


# ---------------------------------------------------------------------------- what a command loads

HEAVY = ("sqlalchemy", "sqlalchemy.orm", "alembic", "numpy", "PIL", "textual", "imagehash")


def _loaded(args: list[str], env: dict[str, str]) -> set[str]:
    """The heavy libraries a whole `tracker ...` process imported."""
    return loaded_modules(args, env, HEAVY)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(tmp_path / "data")


@pytest.mark.slow
def test_version_and_help_load_no_database_or_imaging_library(clean_env: dict[str, str]) -> None:
    assert _loaded(["--version"], clean_env) == set()
    assert _loaded(["--help"], clean_env) == set()
    assert _loaded(["status", "--help"], clean_env) <= {"sqlalchemy"}  # its own module only: no ORM, no images


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_status_runs_without_sqlalchemy_alembic_or_imaging(clean_env: dict[str, str]) -> None:
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings

    open_database(load_settings(env=clean_env))  # a database at the newest revision
    assert _loaded(["status"], clean_env) == set(), "a SQLite file at this revision is read by the standard library"


@pytest.mark.slow
def test_commands_that_read_no_image_load_no_imaging_library(clean_env: dict[str, str]) -> None:
    for args in (["posts"], ["complaint", "list"], ["resources"], ["purge", "status", "nobody"], ["inputs", "1"]):
        loaded = _loaded(args, clean_env)
        assert not loaded & {"numpy", "PIL", "imagehash", "textual"}, (args, loaded)


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_resources_inputs_and_models_list_read_without_sqlalchemy(clean_env: dict[str, str]) -> None:
    """On a SQLite file at this revision these listings read SQL text through the standard library (`db.quick`),
    as `posts` and `show` do: SQLAlchemy and the ORM cost them most of their start-up."""
    from tracker.demo import seed_demo

    seed_demo(Path(clean_env["TRACKER_DATA_DIR"]))  # models, LoRAs, a post (#2) with a recorded ControlNet input
    for args, reader in (
        (["resources"], "tracker.resources.listing"),
        (["resources", "--kind", "lora", "--json"], "tracker.resources.listing"),
        (["models", "list"], "tracker.resources.listing"),
        (["inputs", "2"], "tracker.posts.record"),
        (["inputs", "image:2", "--json"], "tracker.posts.record"),
    ):
        assert loaded_modules(args, clean_env, (*HEAVY, reader)) == {reader}, args
