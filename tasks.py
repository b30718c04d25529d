#!/usr/bin/env python3
"""Set-up and everyday tasks, with nothing but Python 3.11+ and pip.

    python3 tasks.py demo    # create .venv, install, crawl the bundled demo site
    python3 tasks.py test    # create .venv, install with test extras, run the whole suite
    python3 tasks.py install # only create .venv and install

Each task (re)installs the project into ``.venv`` when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
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


def install(extras: str = "test") -> None:
    if sys.version_info < (3, 11):
        sys.exit("error: Python 3.11 or newer is needed")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + extras
    if STAMP.exists() and STAMP.read_text() == want:
        return
    sh(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    # pywb lives in an environment of its own; an older .venv may still hold it and
    # the brotlipy it brought, whose ``brotli`` package shadows the real one
    if subprocess.run([PYTHON, "-m", "pip", "show", "--quiet", "brotlipy"],
                      capture_output=True).returncode == 0:
        sh(PYTHON, "-m", "pip", "uninstall", "--quiet", "-y", "pywb", "brotlipy")
        sh(PYTHON, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", "brotli")
    STAMP.write_text(want)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    try:
        if task == "install":
            install()
        elif task == "demo":
            install()
            sh(BIN / "archiver", "demo", *rest)
        elif task == "test":
            install()
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
