"""pywb in an environment of its own, found or made for ``archiver replay``.

pywb 2.10 pins ``redis==2.10.6`` and ``fakeredis<1.0`` and installs ``brotlipy``,
whose ``brotli`` package shadows the ``brotli`` module that Scrapy decodes
``Content-Encoding: br`` with.  Installed beside the crawler, it silently breaks
brotli pages; so it never is.  Replay runs pywb's ``wayback`` server as a child
process, found in this order:

1. ``ARCHIVER_WAYBACK``: the path of a ``wayback`` executable;
2. the environment this module creates, in ``ARCHIVER_PYWB_HOME`` or else
   ``<user cache folder>/archiver/pywb-<version>`` (``~/.cache/archiver/...`` on Linux);
3. a ``wayback`` on ``PATH``.

:func:`install` creates the environment of (2) with the standard library's ``venv``
and pip (``archiver replay --install-pywb``, ``python3 tasks.py test``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

from archiver.errors import PywbMissing

PYWB_VERSION = "2.10.0"
#: What the environment gets: pywb, and a setuptools that still ships the
#: ``pkg_resources`` module pywb imports.
REQUIREMENTS = (f"pywb=={PYWB_VERSION}", "setuptools<81")
_BIN = "Scripts" if os.name == "nt" else "bin"
_EXE = ".exe" if os.name == "nt" else ""


def home() -> Path:
    """The folder of the environment this module manages."""
    configured = os.environ.get("ARCHIVER_PYWB_HOME")
    if configured:
        return Path(configured).expanduser()
    base = (
        os.environ.get("XDG_CACHE_HOME")
        or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
        or "~/.cache"
    )
    return Path(base).expanduser() / "archiver" / f"pywb-{PYWB_VERSION}"


def _managed() -> Path:
    return home() / _BIN / f"wayback{_EXE}"


def how_to_install() -> str:
    return (
        "install it with `archiver replay --install-pywb` (an environment of its own in "
        f"{home()}), or put pywb's `wayback` on PATH, or set ARCHIVER_WAYBACK"
    )


def find_wayback() -> Path | None:
    """The ``wayback`` executable replay will run, or None."""
    configured = os.environ.get("ARCHIVER_WAYBACK")
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_file() else None
    if _managed().is_file():
        return _managed()
    found = shutil.which("wayback")
    return Path(found) if found else None


def require_wayback() -> Path:
    """Like :func:`find_wayback`, but raise :class:`PywbMissing` with advice."""
    configured = os.environ.get("ARCHIVER_WAYBACK")
    path = find_wayback()
    if path is None:
        if configured:
            raise PywbMissing(f"ARCHIVER_WAYBACK={configured} is not a file")
        raise PywbMissing("pywb is not installed: " + how_to_install())
    return path


def install(target: Path | None = None, *, quiet: bool = True) -> Path:
    """Create pywb's environment in ``target`` (default :func:`home`) unless it is
    complete already; return its ``wayback``.  Needs access to a package index."""
    target = target or home()
    wayback = target / _BIN / f"wayback{_EXE}"
    if wayback.is_file():
        return wayback
    python = target / _BIN / f"python{_EXE}"
    try:
        if not python.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            venv.EnvBuilder(with_pip=True, clear=True).create(target)
        args = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        if quiet:
            args.append("--quiet")
        done = subprocess.run(
            [*args, *REQUIREMENTS], stdin=subprocess.DEVNULL, capture_output=quiet, text=True
        )
    except OSError as exc:
        raise PywbMissing(f"cannot create pywb's environment in {target}: {exc}") from None
    if done.returncode != 0 or not wayback.is_file():
        detail = (done.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise PywbMissing(
            f"installing pywb into {target} failed" + (f": {detail[0]}" if detail else "")
        )
    return wayback
