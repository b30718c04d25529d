"""The package's import rules, read from the source (no import is executed).

- ``store``, ``warc``, ``codings``, ``urls``, ``errors`` and ``extract`` are the lower
  layers: they import nothing from ``crawl``, ``research``, ``ops``, ``schedule``,
  ``demo`` or ``cli``;
- ``extract`` imports nothing of the project but its own modules and ``errors``
  (it runs in worker processes and is usable on its own);
- only ``cli`` imports ``click`` (the one place that prints and exits);
- no import cycles between modules, counting imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archiver"
LOWER = (
    "archiver.store",
    "archiver.warc",
    "archiver.codings",
    "archiver.urls",
    "archiver.errors",
    "archiver.extract",
)
UPPER = (
    "archiver.crawl",
    "archiver.research",
    "archiver.ops",
    "archiver.schedule",
    "archiver.demo",
    "archiver.cli",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` counts ``a`` and, when it is
    a module of this package, ``a.b``), except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if _type_checking(node) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    out = {}
    for name, path in modules.items():
        out[name] = {m for m in imports_of(path) if m in modules and m != name}
    return out


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_lower_layers_do_not_import_upper_ones() -> None:
    bad = sorted(
        f"{m} imports {i}"
        for m, deps in graph().items()
        if _under(m, LOWER)
        for i in deps
        if _under(i, UPPER)
    )
    assert not bad, "lower layers reach up:\n" + "\n".join(bad)


def test_extract_imports_only_itself() -> None:
    bad = sorted(
        f"{m} imports {i}"
        for m, deps in graph().items()
        if _under(m, ("archiver.extract",))
        for i in deps
        if not _under(i, ("archiver.extract", "archiver.errors"))
    )
    assert not bad, "\n".join(bad)


def test_only_cli_imports_click() -> None:
    bad = sorted(
        module_name(p)
        for p in PACKAGE.rglob("*.py")
        if not _under(module_name(p), ("archiver.cli",))
        and any(m == "click" or m.startswith("click.") for m in imports_of(p))
    )
    assert not bad, f"click imported outside archiver.cli: {bad}"


def cycles(deps: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(deps.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(deps):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    deps = graph()
    # a package's __init__ re-exporting its own modules is not a cycle
    for name in deps:
        deps[name] = {d for d in deps[name] if not name.startswith(d + ".")}
    assert cycles(deps) == []


@pytest.mark.parametrize(
    ("deps", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_cycle_finder(deps: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(deps) == expected
