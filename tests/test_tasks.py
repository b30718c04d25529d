"""``tasks.py``: ``demo`` installs the runtime only, ``test`` the test extras, and the
stamp in ``.venv/.installed`` makes switching between them install what is missing."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def load_tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tasks = load_tasks()


def test_demo_needs_the_runtime_only_and_test_the_extras() -> None:
    source = (ROOT / "tasks.py").read_text()
    assert 'task == "demo":\n            install(extras=())' in source
    assert 'task == "test":\n            install()' in source
    assert tasks.install.__defaults__ == (("test",),)


def test_switching_between_demo_and_test() -> None:
    digest = "abc"
    nothing: dict[str, object] = {}
    runtime = {"pyproject": digest, "extras": []}
    with_tests = {"pyproject": digest, "extras": ["test"]}
    assert tasks.needs_install(nothing, (), digest)
    assert tasks.needs_install(runtime, ("test",), digest)  # test after demo: add extras
    assert not tasks.needs_install(runtime, (), digest)  # demo again: nothing to do
    assert not tasks.needs_install(with_tests, (), digest)  # demo after test: nothing
    assert not tasks.needs_install(with_tests, ("test",), digest)
    assert tasks.needs_install(with_tests, (), "changed")  # pyproject.toml changed
    # the stamp format of older versions ("<hash>test") means: install again
    assert tasks.needs_install({}, (), digest)
