"""Nothing a user made is deleted or overwritten without asking: the checks that
commands writing files run before they write (``--force`` to go ahead anyway)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archiver.cli.common import UserError

DEMO_MARKER = ".archiver-demo"


def refuse_overwrite(path: str | Path, force: bool, what: str = "file") -> None:
    """Refuse to replace an existing, non-empty ``path`` unless ``force``."""
    target = Path(path)
    if force or str(path) == "-" or not target.exists():
        return
    if target.is_file() and target.stat().st_size == 0:
        return
    raise UserError(f"{what} {path} already exists: give another name, or --force to replace it")


def demo_folder_state(folder: Path) -> str:
    """``empty`` (nothing there, or an empty folder), ``demo`` (an archive the demo
    made and nobody has added to) or ``user`` (anything else)."""
    if not folder.exists():
        return "empty"
    if not folder.is_dir():
        return "user"
    entries = [p for p in folder.iterdir() if p.name != DEMO_MARKER]
    if not entries:
        return "empty"
    if not (folder / DEMO_MARKER).is_file():
        return "user"
    known = {"archive.db", "archive.db-wal", "archive.db-shm", "warc"}
    if any(p.name not in known for p in entries):
        return "user"
    warc = folder / "warc"
    if warc.is_dir() and any(not p.name.startswith("demo-") for p in warc.iterdir()):
        return "user"
    db = folder / "archive.db"
    if db.exists():
        try:
            conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
            try:
                crawls = conn.execute("SELECT count(*) FROM crawls").fetchone()[0]
                tables = {
                    r[0]
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                jobs = (
                    conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
                    if "jobs" in tables
                    else 0
                )
            finally:
                conn.close()
        except sqlite3.Error:
            return "user"
        if crawls > 1 or jobs:
            return "user"
    return "demo"
