"""The package's shape, read from its source with `ast`: imports run one way, down the layers, with no cycle;
every module lists its public names in `__all__`; no module is too long to read (issue 16).

What still breaks a rule today is written out below (the KNOWN_... sets), one entry per offence, so that each set
is a to-do list: a new offence fails the rule's test, and an entry that no longer offends fails too, until it is
deleted. Empty the sets; never add an entry to make a test pass.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "villagecon"

# The layers, lowest first: a module imports only from its own layer or a lower one (DESIGN.md's flow, the
# docstring of villagecon/__init__.py). journal reads ledgers with ingest's readers, so it sits above ingest.
# The root package re-exports names of ingest, parse and analysis for scripts and notebooks: it sits above
# analysis: a lower module importing from it (rather than from the module that defines the name) runs up.
LAYERS: dict[str, int] = {
    "errors": 0,
    "paths": 0,
    "version": 0,
    "parse": 1,
    "vocab": 2,
    "schemas": 3,
    "outputs": 4,
    "ingest": 5,
    "journal": 6,
    "analysis": 7,
    "villagecon": 8,  # the root package, villagecon/__init__.py
    "report": 9,
    "sample": 10,
    "cli": 11,
    "cli_arguments": 11,
    "__main__": 12,
}

# Imports that run up the layers today: (importer, imported). To be emptied, not added to.
KNOWN_UPWARD_IMPORTS: set[tuple[str, str]] = set()

# Imports that close a cycle today (each cycle listed by the edges that, removed, break it). To be emptied.
KNOWN_CYCLE_IMPORTS: set[tuple[str, str]] = set()

# Modules without `__all__` today. To be emptied.
KNOWN_WITHOUT_ALL: set[str] = set()

MAX_LINES = 650  # issue 16: no module over ~600 lines
# Modules over MAX_LINES today. To be emptied: split them along what the code does.
KNOWN_TOO_LONG: set[str] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def module_name(path: Path) -> str:
    """villagecon/ingest/ledger.py -> villagecon.ingest.ledger; villagecon/ingest/__init__.py -> villagecon.ingest."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def _imported(name: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The villagecon modules one import statement of module ``name`` names: the module itself for
    ``import a.b`` and ``from a import b`` where b is a module, else the module the names come from."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: from . import x, from ..ingest import y
        base = name.split(".")
        base = base if _is_package(name) else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = []
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        found.append(submodule if submodule in modules() else source)
    return found


@cache
def imports() -> list[Import]:
    """Every import of a villagecon module by a villagecon module: at module level, inside functions, and under
    `if TYPE_CHECKING:` (a type-only import is a dependency all the same)."""
    found = []
    for name in modules():
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for imported in _imported(name, node):
                    if imported in modules() and imported != name:
                        found.append(Import(name, imported, node.lineno))
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _where(edges: set[tuple[str, str]]) -> str:
    lines = {(i.importer, i.imported): i.line for i in imports()}
    return "\n".join(
        f"  {a} -> {b}  ({modules()[a].relative_to(PACKAGE.parent)}:{lines[a, b]})" for a, b in sorted(edges)
    )


def upward_imports() -> set[tuple[str, str]]:
    return {(i.importer, i.imported) for i in imports() if LAYERS[layer(i.imported)] > LAYERS[layer(i.importer)]}


def cycles(edges: set[tuple[str, str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan), each a set of modules."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_edges() -> set[tuple[str, str]]:
    return {(i.importer, i.imported) for i in imports()}


def defines_all(name: str) -> bool:
    return any(defines_all_in(node) for node in tree(name).body)


def line_count(name: str) -> int:
    return len(modules()[name].read_text(encoding="utf-8").splitlines())


# --- the reader of the source is right --------------------------------------------------------------------------


def test_the_graph_sees_module_level_function_level_relative_and_type_only_imports(tmp_path):
    source = (
        "from __future__ import annotations\n"
        "import villagecon.parse.amounts\n"
        "from villagecon.vocab import labels\n"  # a module
        "from villagecon.ingest import read_sheet\n"  # a name of the package
        "from .errors import UsageError\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from villagecon.ingest.ledger import Ledger\n"
        "def late():\n"
        "    from villagecon.report import build\n"
    )
    node = ast.parse(source)
    found = [
        m for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom) for m in _imported("villagecon.cli", n)
    ]
    assert [m for m in found if m.startswith("villagecon")] == [
        "villagecon.parse.amounts",
        "villagecon.vocab.labels",
        "villagecon.ingest",
        "villagecon.errors",
        "villagecon.ingest.ledger",
        "villagecon.report.build",
    ]
    # Relative to a package's __init__ and to a module inside it.
    relative = ast.parse("from . import cells\nfrom ..parse import amounts\n").body
    assert _imported("villagecon.ingest", relative[0]) == ["villagecon.ingest.cells"]
    assert _imported("villagecon.ingest.sheet", relative[0]) == ["villagecon.ingest.cells"]
    assert _imported("villagecon.ingest.sheet", relative[1]) == ["villagecon.parse.amounts"]


def test_every_module_is_in_a_layer_and_the_graph_is_not_empty():
    assert {layer(m) for m in modules()} <= set(LAYERS), "a new top-level module: give it a place in LAYERS"
    assert {"villagecon.ingest.ledger", "villagecon.report.build", "villagecon.cli"} <= set(modules())
    edges = import_edges()
    assert ("villagecon.cli", "villagecon.outputs") in edges  # at module level
    assert ("villagecon.cli", "villagecon.report.build") in edges  # inside a function


def test_a_cycle_is_found_with_its_modules():
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d2"), ("e", "e2"), ("e2", "e")}
    assert sorted(map(sorted, cycles(edges))) == [["a", "b", "c"], ["e", "e2"]]


# --- imports run down the layers, with no cycle -----------------------------------------------------------------


def test_imports_run_down_the_layers():
    new = upward_imports() - KNOWN_UPWARD_IMPORTS
    assert not new, (
        "these imports run up the layers (errors/paths → parse → vocab → schemas → outputs → ingest → journal → "
        "analysis → report → sample → cli); move the code they need down, or the importer up:\n" + _where(new)
    )


def test_the_list_of_known_upward_imports_is_not_stale():
    fixed = KNOWN_UPWARD_IMPORTS - upward_imports()
    assert not fixed, f"these imports no longer run up the layers: delete them from KNOWN_UPWARD_IMPORTS: {fixed}"


def test_journal_may_import_ingest_but_ingest_not_journal():
    assert LAYERS["journal"] > LAYERS["ingest"]
    assert not {(a, b) for a, b in import_edges() if layer(a) == "ingest" and layer(b) == "journal"}


def test_there_is_no_import_cycle():
    found = cycles(import_edges() - KNOWN_CYCLE_IMPORTS)
    assert not found, "import cycles among villagecon modules:\n" + "\n".join(
        "  " + " <-> ".join(sorted(c)) + "\n" + _where({(a, b) for a, b in import_edges() if a in c and b in c})
        for c in found
    )


def test_the_list_of_known_cycle_imports_is_not_stale():
    # An import closes a cycle when both its modules are in one strongly connected component.
    components = cycles(import_edges())
    stale = {
        edge
        for edge in KNOWN_CYCLE_IMPORTS
        if edge not in import_edges() or not any(set(edge) <= c for c in components)
    }
    assert not stale, f"these imports no longer close a cycle: delete them from KNOWN_CYCLE_IMPORTS: {stale}"


# --- public names and size --------------------------------------------------------------------------------------


def test_every_module_lists_its_public_names_in_all():
    missing = {m for m in modules() if not defines_all(m)}
    assert not missing - KNOWN_WITHOUT_ALL, f"give these modules an __all__: {sorted(missing - KNOWN_WITHOUT_ALL)}"
    assert not KNOWN_WITHOUT_ALL - missing, (
        f"these have __all__ now: delete them from KNOWN_WITHOUT_ALL: {sorted(KNOWN_WITHOUT_ALL - missing)}"
    )


def defines_all_in(node: ast.stmt) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)


def test_every_name_in_all_is_there():
    # Imported rather than read: the root package provides some names on first use (its __getattr__).
    for name in sorted(m for m in modules() if defines_all(m) and not m.endswith("__main__")):
        module = importlib.import_module(name)
        assert not [n for n in module.__all__ if not hasattr(module, n)], f"{name}.__all__ names what it lacks"


def test_no_module_is_over_700_lines():
    long = {m for m in modules() if line_count(m) > MAX_LINES}
    assert not long - KNOWN_TOO_LONG, "split these modules along what the code does: " + ", ".join(
        f"{m} ({line_count(m)} lines)" for m in sorted(long - KNOWN_TOO_LONG)
    )
    assert not KNOWN_TOO_LONG - long, (
        f"these are {MAX_LINES} lines or fewer now: delete them from KNOWN_TOO_LONG: {sorted(KNOWN_TOO_LONG - long)}"
    )
