#!/usr/bin/env python3
"""Set-up and everyday tasks, with nothing but Python 3.11+ and pip.

    python3 tasks.py demo    # create .venv, install the runtime only, crawl the bundled demo site
    python3 tasks.py test    # create .venv, install with the test extras, run the whole suite
    python3 tasks.py install # only create .venv and install with the test extras (development)

Each task installs the project into ``.venv`` when pyproject.toml changed or when it
needs extras that are not installed yet.  ``.venv/.installed`` records what was
installed (the hash of pyproject.toml and the extras), so ``test`` after ``demo`` adds
the test extras, and ``demo`` after ``test`` installs nothing (the runtime is there).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def sh(*args: str | Path, **kwargs: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def installed() -> dict[str, object]:
    """What ``.venv/.installed`` says was installed: ``{"pyproject": hash, "extras": [...]}``
    (empty when nothing, or an older stamp format, is recorded)."""
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def needs_install(stamp: dict[str, object], extras: tuple[str, ...], digest: str) -> bool:
    """Whether ``extras`` (``()`` = the runtime only) must be installed over ``stamp``."""
    have = stamp.get("extras")
    return (
        stamp.get("pyproject") != digest
        or not isinstance(have, list)
        or not set(extras) <= set(have)
    )


def install(extras: tuple[str, ...] = ("test",)) -> None:
    """Install the project (runtime, plus ``extras``) into ``.venv`` unless it is there."""
    if sys.version_info < (3, 11):  # noqa: UP036 (tasks.py runs on any python3)
        sys.exit("error: Python 3.11 or newer is needed")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest, stamp = pyproject_hash(), installed()
    if not needs_install(stamp, extras, digest):
        return
    # extras installed before stay installed (pip does not remove them): keep them
    # in the stamp, so that switching between demo and test never reinstalls twice
    have = stamp.get("extras") if stamp.get("pyproject") == digest else []
    extras = tuple(sorted(set(extras) | set(have if isinstance(have, list) else [])))
    sh(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{','.join(extras)}]" if extras else ".")
    # pywb lives in an environment of its own; an older .venv may still hold it and
    # the brotlipy it brought, whose ``brotli`` package shadows the real one
    if (
        subprocess.run(
            [PYTHON, "-m", "pip", "show", "--quiet", "brotlipy"], capture_output=True
        ).returncode
        == 0
    ):
        sh(PYTHON, "-m", "pip", "uninstall", "--quiet", "-y", "pywb", "brotlipy")
        sh(PYTHON, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", "brotli")
    STAMP.write_text(json.dumps({"pyproject": digest, "extras": list(extras)}))


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    try:
        if task == "install":
            install()
        elif task == "demo":
            install(extras=())
            sh(BIN / "archiver", "demo", *rest)
        elif task == "test":
            install()
            # the checks first, failing fast: lint, formatting, types
            code = ["archiver", "spiders", "tests", "benchmarks", "tasks.py"]
            sh(PYTHON, "-m", "ruff", "check", *code)
            sh(PYTHON, "-m", "ruff", "format", "--check", *code)
            sh(PYTHON, "-m", "mypy", "archiver", "spiders")
            services = ROOT / ".ci" / "services"
            if services.exists():
                sh("bash", services)
            # replay tests run the real pywb, from its own environment
            sh(BIN / "archiver", "replay", "--install-pywb")
            sh(PYTHON, "-m", "pytest", *rest)
        else:
            print(__doc__)
            return 0 if task == "help" else 2
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
