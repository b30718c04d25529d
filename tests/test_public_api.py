"""The public API: ``archiver.__all__`` is sorted, complete and every name resolves;
one class per name; no module imports another module's private names."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import archiver

PACKAGE = Path(archiver.__file__).resolve().parent
#: the modules whose ``__all__`` is the public API
API_MODULES = ("archiver.research.archive", "archiver.extract", "archiver.errors")


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest (ruff's RUF022 order, as isort sorts)."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name


def test_all_is_sorted() -> None:
    assert archiver.__all__ == sorted(archiver.__all__, key=isort_key)


def test_all_is_complete_and_resolves() -> None:
    expected = {"__version__"}
    for name in API_MODULES:
        expected |= set(importlib.import_module(name).__all__)
    # ``archiver.extract`` is the subpackage; its function is archiver.extract.extract
    assert set(archiver.__all__) == expected - {"extract"}
    for name in archiver.__all__:
        value = getattr(archiver, name)
        if name != "__version__":
            home = value.__module__ if hasattr(value, "__module__") else None
            assert home is None or home.startswith("archiver"), (name, home)


def test_one_class_per_name() -> None:
    seen: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where = str(path.relative_to(PACKAGE))
                assert node.name not in seen, f"{node.name} in {seen[node.name]} and {where}"
                seen[node.name] = where


def test_no_private_names_imported_across_modules() -> None:
    bad = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("archiver")
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        bad.append(f"{path.relative_to(PACKAGE)}: {node.module}.{alias.name}")
    assert not bad, "\n".join(bad)
