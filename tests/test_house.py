"""The house keeps itself clean: imports point one way, no cycle, no private import, no warehouse.

The import graph is built from the source with `ast`, imports inside functions and under
`TYPE_CHECKING` included: an import is a dependency wherever it is written.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lwtop_toolkit"
ROOT = "lwtop_toolkit"

# The rooms along the data's path, lowest first. A module may import its own room and the rooms
# below it; two rooms of one rank (the faces) may not import each other. The façade
# (`lwtop_toolkit/__init__.py`) stands above everything and nothing inside imports it.
RANKS: dict[str, int] = {
    "model": 0,
    "findings": 1,
    "runtime": 2,
    "las": 3,
    "readers": 4,
    "check": 5,
    "plan": 6,
    "board": 7,
    "steps": 8,
    "sheets": 9,
    "writers": 10,
    "samples": 11,
    "flows": 12,
    "cli": 13,
    "ui": 13,
}
MAX_TOP_LEVEL = 15
MAX_LINES = 500


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported (a module of ours, resolved)
    names: tuple[str, ...]  # the names taken from it (`from x import a, b`)
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _ours(name: str) -> str | None:
    """The module of ours that `name` (a module or a name inside one) resolves to."""
    while name and name not in MODULES:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name or None


def imports() -> Iterator[Import]:
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _ours(alias.name)
                    if target:
                        yield Import(module, target, (), node.lineno)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{module}:{node.lineno}: relative import"
                if not node.module or _ours(node.module) is None:
                    continue
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in MODULES:  # `from package import module`
                        yield Import(module, sub, (), node.lineno)
                    else:
                        yield Import(module, _ours(node.module) or "", (alias.name,), node.lineno)


IMPORTS = list(imports())


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for found in IMPORTS:
        if found.target != found.source:
            edges[found.source].add(found.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_imports_inside_functions() -> None:
    """An import written inside a function is an edge of the graph like any other."""
    seen = {(found.source, found.line) for found in IMPORTS}
    nested = [
        (module, node.lineno)
        for module, path in MODULES.items()
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and _ours(node.module or "")
    ]
    assert nested, "the package imports some modules where they are used (start-up time)"
    assert [place for place in nested if place not in seen] == []


def test_no_import_cycle() -> None:
    assert _cycles() == []


def test_every_room_is_known() -> None:
    rooms = {room(m) for m in MODULES} - {ROOT}
    assert rooms <= set(RANKS), sorted(rooms - set(RANKS))


def test_imports_point_down() -> None:
    upward = []
    for found in IMPORTS:
        source, target = room(found.source), room(found.target)
        if source == target:
            continue
        if target == ROOT or (source != ROOT and RANKS[target] >= RANKS[source]):
            upward.append(f"{found.source}:{found.line} imports {found.target}")
    assert upward == []


def test_no_private_name_is_imported_from_another_module() -> None:
    private = [
        f"{found.source}:{found.line} imports {name} from {found.target}"
        for found in IMPORTS
        for name in found.names
        if name.startswith("_") and not name.startswith("__") and found.target != found.source
    ]
    assert private == []


def test_the_top_level_is_a_short_list_of_rooms() -> None:
    top = [p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()]
    top.remove("__init__.py")
    assert len(top) <= MAX_TOP_LEVEL, sorted(top)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_a_warehouse(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines (split it along the data's path)"


def test_no_issue_numbers_in_the_code() -> None:
    """Code, help texts and test names name the behaviour, not the ticket that asked for it."""
    sources = [*MODULES.values(), *PACKAGE.parent.glob("tests/**/*.py")]
    sources += [*PACKAGE.parent.glob("benchmarks/*.py")]
    tagged = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bissue[ _#-]?\d", line, re.IGNORECASE)
    ]
    assert tagged == []
