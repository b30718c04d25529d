"""Replay and packages: pywb collection layout, CDXJ index, WACZ, WARC export.

Replay (``archiver replay``) runs pywb's ``wayback`` server as a child process over
a private root folder (a temporary folder by default)::

    <root>/config.yaml                       # one collection, framed_replay off
    <root>/collections/<coll>/indexes/*.cdxj # one CDXJ file per WARC file

The collection's ``archive_paths`` points at the WARC folder itself (nothing is
copied or linked), and the CDXJ files name WARC files relative to it, like
``captures.warc_file``.  :class:`IndexKeeper` keeps the index current: at start and
every few seconds it indexes (with ``cdxj-indexer``) each closed WARC file that is
new or has changed size or modification time, and drops the index of files that
are gone.  Files still ending in ``.open`` are left out until their crawl closes
them (their name changes then, and pywb would lose them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.errors import ReplayError
from archiver.ops import pywb_env
from archiver.ops.verify import is_warc_name
from archiver.warc import OPEN_SUFFIX, RawRecord, iter_records, record_at


# -- CDXJ -------------------------------------------------------------------------
def closed_warc_files(warc_dir: Path) -> list[Path]:
    """Closed WARC files under ``warc_dir`` (recursively), sorted."""
    return sorted(
        p
        for p in warc_dir.rglob("*")
        if p.is_file() and is_warc_name(p.name) and not p.name.endswith(OPEN_SUFFIX)
    )


def cdxj_lines(paths: Iterable[Path], root: Path) -> list[str]:
    """Sorted CDXJ lines (``cdxj-indexer``) of ``paths``, file names relative to ``root``."""
    from cdxj_indexer.main import write_cdx_index

    out = io.StringIO()
    write_cdx_index(
        out, [str(p) for p in paths], {"sort": True, "post_append": False, "dir_root": str(root)}
    )
    return [line for line in out.getvalue().splitlines() if line.strip()]


def write_cdx(warc_dir: Path, out: Any) -> int:
    """Write the CDXJ index of every closed WARC file of ``warc_dir`` to ``out``."""
    lines = sorted(cdxj_lines(closed_warc_files(warc_dir), warc_dir))
    for line in lines:
        out.write(line + "\n")
    return len(lines)


class IndexKeeper:
    """One CDXJ file per closed WARC file in ``index_dir``, kept in step with
    ``warc_dir`` by :meth:`update`."""

    STATE = "state.json"

    def __init__(self, warc_dir: Path, index_dir: Path) -> None:
        self.warc_dir = warc_dir
        self.index_dir = index_dir
        index_dir.mkdir(parents=True, exist_ok=True)
        state = index_dir / self.STATE
        self.state: dict[str, list[float]] = (
            json.loads(state.read_text()) if state.is_file() else {}
        )

    def _index_name(self, rel: str) -> str:
        return rel.replace("/", "__") + ".cdxj"

    def update(self) -> tuple[int, int]:
        """Index new or changed files, forget removed ones; (indexed, removed)."""
        indexed = removed = 0
        current: dict[str, list[float]] = {}
        for path in closed_warc_files(self.warc_dir):
            rel = path.relative_to(self.warc_dir).as_posix()
            try:
                st = path.stat()
            except OSError:
                continue
            sig = [st.st_size, st.st_mtime]
            current[rel] = sig
            if self.state.get(rel) == sig:
                continue
            lines = cdxj_lines([path], self.warc_dir)
            target = self.index_dir / self._index_name(rel)
            tmp = target.with_suffix(".tmp")
            tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            os.replace(tmp, target)
            indexed += 1
        for rel in set(self.state) - set(current):
            (self.index_dir / self._index_name(rel)).unlink(missing_ok=True)
            removed += 1
        self.state = current
        (self.index_dir / self.STATE).write_text(json.dumps(current))
        return indexed, removed


def write_pywb_config(root: Path, warc_dir: Path, collection: str) -> Path:
    """The pywb root folder: config.yaml and the collection's index folder."""
    index_dir = root / "collections" / collection / "indexes"
    index_dir.mkdir(parents=True, exist_ok=True)
    config = {
        "collections": {
            collection: {
                "index_paths": str(index_dir.resolve()) + os.sep,
                "archive_paths": str(warc_dir.resolve()) + os.sep,
            }
        },
        "framed_replay": False,
        "enable_memento": True,
    }
    # JSON is YAML: no yaml writer needed
    (root / "config.yaml").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return index_dir


def die_with_parent() -> None:
    """In a child between fork and exec: have the kernel send it SIGTERM when the
    process that started it dies, however it dies (SIGKILL, or a signal that arrives
    while pywb is still starting), so no server outlives its command.  Linux only;
    elsewhere the command's own handlers stop the child."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_for_port(host: str, port: int, timeout: float, proc: subprocess.Popen[Any]) -> bool:
    deadline = time.monotonic() + timeout
    connect_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((connect_host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@dataclass
class ReplayServer:
    host: str
    port: int
    collection: str
    root: Path
    proc: subprocess.Popen[Any]
    keeper: IndexKeeper
    log_path: Path
    log_read: int = 0  # bytes of the log already looked at for errors

    def new_errors(self) -> list[str]:
        """pywb's error lines written since the last call (tracebacks summarised by
        their last line)."""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self.log_read)
                data = fh.read()
        except OSError:
            return []
        self.log_read += len(data)
        lines = data.decode("utf-8", "replace").splitlines()
        out = []
        for i, line in enumerate(lines):
            if line.startswith("Traceback"):
                rest = [x for x in lines[i + 1 :] if x and not x.startswith(" ")]
                out.append("pywb: " + (rest[0] if rest else line))
            elif " ERROR " in line or line.startswith("ERROR"):
                out.append("pywb: " + line.strip())
        return out

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_replay(
    warc_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    collection: str = "archive",
    root: Path | None = None,
    threads: int = 8,
    log_file: Path | None = None,
) -> ReplayServer:
    """Index ``warc_dir`` and start pywb on ``host:port``; return when it answers."""
    if not warc_dir.is_dir():
        raise ReplayError(f"WARC folder {warc_dir} does not exist")
    if not collection.replace("-", "").replace("_", "").isalnum():
        raise ReplayError(f"bad collection name {collection!r} (letters, digits, - and _)")
    if not port_free(host, port):
        raise ReplayError(f"cannot listen on {host}:{port} (in use or not a local address)")
    try:
        wayback = pywb_env.require_wayback()
    except pywb_env.PywbMissing as exc:
        raise ReplayError(str(exc)) from None
    root = root or Path(tempfile.mkdtemp(prefix="archiver-replay-"))
    root.mkdir(parents=True, exist_ok=True)
    index_dir = write_pywb_config(root, warc_dir, collection)
    keeper = IndexKeeper(warc_dir, index_dir)
    keeper.update()
    log_path = log_file or root / "pywb.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        [str(wayback), "-b", host, "-p", str(port), "-t", str(threads), "-d", str(root)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=die_with_parent,  # only prctl, before exec
    )
    log.close()
    server = ReplayServer(
        host, port, collection, root, proc, keeper, log_path, log_path.stat().st_size
    )
    if not wait_for_port(host, port, 60, proc):
        server.stop()
        tail = log_path.read_text(errors="replace")[-800:]
        raise ReplayError(f"pywb did not start on {host}:{port}: {tail.strip()}")
    return server


def serve_forever(server: ReplayServer, interval: float, echo: Any) -> None:
    """Keep the index current until SIGINT/SIGTERM or pywb exits."""
    stop = False

    def handler(signum: int, frame: Any) -> None:
        nonlocal stop
        stop = True

    old = signal.signal(signal.SIGTERM, handler)
    try:
        next_update = time.monotonic() + interval
        while not stop and server.proc.poll() is None:
            time.sleep(0.2)
            if time.monotonic() >= next_update:
                for line in server.new_errors():
                    echo(line)
                indexed, removed = server.keeper.update()
                if indexed or removed:
                    echo(f"index: {indexed} WARC file(s) indexed, {removed} removed")
                next_update = time.monotonic() + interval
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, old)
        server.stop()
        for line in server.new_errors():
            echo(line)


# -- selection of records (export-warc, wacz) ----------------------------------
@dataclass
class Selected:
    id: int
    url: str
    fetched_at: str
    warc_file: str
    warc_offset: int
    warc_length: int
    warc_record_id: str
    record_type: str
    revisit_of: int | None
    status: int | None
    mime_type: str | None
    referenced_only: bool = False  # not selected: the original a selected revisit needs


def select_captures(
    conn: Any, *, site: str | None = None, since: str | None = None, until: str | None = None
) -> list[Selected]:
    """Captures matching the filters plus, for revisits, the captures they refer to,
    in archive order (file, offset)."""
    from archiver.ops.reindex import site_filter
    from archiver.urls import site_key

    key = site_filter(site)
    cols = (
        "id, url, fetched_at, warc_file, warc_offset, warc_length, warc_record_id, "
        "record_type, revisit_of, status, mime_type"
    )
    sql = f"SELECT {cols} FROM captures WHERE 1=1"
    params: list[Any] = []
    if since:
        sql += " AND fetched_at >= ?"
        params.append(since)
    if until:
        sql += " AND fetched_at < ?"
        params.append(until)
    picked = {
        row[0]: Selected(*row)
        for row in conn.execute(sql, params)
        if key is None or site_key(row[1]) == key
    }
    missing = {s.revisit_of for s in picked.values() if s.revisit_of and s.revisit_of not in picked}
    for ref in missing:
        row = conn.execute(f"SELECT {cols} FROM captures WHERE id = ?", (ref,)).fetchone()
        if row:
            picked[row[0]] = dataclasses.replace(Selected(*row), referenced_only=True)
    return sorted(picked.values(), key=lambda s: (s.warc_file, s.warc_offset))


def _locate(warc_dir: Path, name: str) -> Path:
    path = warc_dir / name
    if path.is_file():
        return path
    if Path(f"{path}{OPEN_SUFFIX}").is_file():
        return Path(f"{path}{OPEN_SUFFIX}")
    raise ReplayError(f"WARC file {name} is missing from {warc_dir}")


def _request_member(
    path: Path, sel: Selected, cache: dict[Path, dict[str, tuple[int, int]]]
) -> tuple[int, int] | None:
    """(offset, length) of the request record of ``sel``: normally the member right
    after it (the archiver writes the pair so); else found by WARC-Concurrent-To."""
    try:
        rec = record_at(path, sel.warc_offset + sel.warc_length)
    except LookupError:
        rec = None
    if (
        rec is not None
        and rec.type == "request"
        and rec.headers.get("warc-concurrent-to") == sel.warc_record_id
    ):
        return rec.offset, rec.length
    if path not in cache:
        cache[path] = {
            r.headers.get("warc-concurrent-to", ""): (r.offset, r.length)
            for r in iter_records(path)
            if isinstance(r, RawRecord) and r.type == "request"
        }
    return cache[path].get(sel.warc_record_id)


def warcinfo_member(filename: str, fields: dict[str, str]) -> bytes:
    from warcio.recordbuilder import RecordBuilder

    from archiver.warc import WARC_VERSION, gzip_member, serialize_record

    record = RecordBuilder(warc_version=WARC_VERSION).create_warcinfo_record(filename, fields)
    return gzip_member(serialize_record(record))


@dataclass
class ExportResult:
    records: int
    responses: int
    requests: int
    bytes: int


def export_warc(
    conn: Any,
    warc_dir: Path,
    out: Path,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    description: str = "",
) -> ExportResult:
    """Copy the selected response/revisit records (gzip members, byte for byte), each
    followed by its request record, after a fresh warcinfo record, into ``out``."""
    from archiver.crawl.recorder import software_string

    selected = select_captures(conn, site=site, since=since, until=until)
    if not selected:
        raise ReplayError("no captures match the filters")
    cache: dict[Path, dict[str, tuple[int, int]]] = {}
    tmp = out.with_name(out.name + ".part")
    responses = requests = 0
    with open(tmp, "wb") as dst:
        dst.write(
            warcinfo_member(
                out.name,
                {
                    "software": software_string(),
                    "format": "WARC File Format 1.1",
                    "description": description or "Records exported from an archiver archive",
                },
            )
        )
        handles: dict[Path, Any] = {}
        try:
            for sel in selected:
                path = _locate(warc_dir, sel.warc_file)
                fh = handles.get(path) or handles.setdefault(path, open(path, "rb"))  # noqa: SIM115
                fh.seek(sel.warc_offset)
                data = fh.read(sel.warc_length)
                if len(data) != sel.warc_length:
                    raise ReplayError(f"{sel.warc_file} is shorter than its rows say")
                dst.write(data)
                responses += 1
                req = _request_member(path, sel, cache)
                if req is not None:
                    fh.seek(req[0])
                    dst.write(fh.read(req[1]))
                    requests += 1
        finally:
            for fh in handles.values():
                fh.close()
    os.replace(tmp, out)
    return ExportResult(responses + requests + 1, responses, requests, out.stat().st_size)


# -- WACZ ----------------------------------------------------------------------
WACZ_INDEX_LINES = 1024  # CDXJ lines per gzip block of the ZipNum index, as py-wacz writes


def _is_html_page(sel: Selected) -> bool:
    return (
        not sel.referenced_only
        and sel.record_type in ("response", "revisit")
        and sel.status == 200
        and sel.mime_type in ("text/html", "application/xhtml+xml")
    )


def pages_jsonl(conn: Any, selected: list[Selected]) -> list[dict[str, Any]]:
    """One page per selected HTML status-200 capture (a response, or a revisit of one;
    not the originals that selected revisits bring along): URL, time, title, text
    (the document of the capture, else of the capture a revisit refers to, else the
    latest of the URL)."""
    pages = []
    for sel in selected:
        if not _is_html_page(sel):
            continue
        doc = None
        for capture_id in (sel.id, sel.revisit_of):
            if capture_id is None:
                continue
            doc = conn.execute(
                "SELECT title, text FROM documents WHERE capture_id = ? ORDER BY id DESC LIMIT 1",
                (capture_id,),
            ).fetchone()
            if doc is not None:
                break
        if doc is None:
            doc = conn.execute(
                "SELECT title, text FROM documents WHERE url = ? ORDER BY id DESC LIMIT 1",
                (sel.url,),
            ).fetchone()
        page: dict[str, Any] = {
            "id": hashlib.sha1(sel.warc_record_id.encode()).hexdigest(),
            "url": sel.url,
            "ts": sel.fetched_at,
        }
        if doc is not None:
            page["title"] = doc[0] or sel.url
            page["text"] = doc[1] or ""
        else:
            page["title"] = sel.url
        pages.append(page)
    return pages


def write_zipnum_index(warc_paths: list[Path], data_path: Path) -> tuple[bytes, int]:
    """Index ``warc_paths`` as py-wacz does (its ``WACZIndexer``: sorted CDXJ with
    referrer, cookie and record digest fields, keys in ``surt`` form) into a ZipNum
    index: ``data_path`` gets the gzip blocks (``indexes/index.cdx.gz``); returned
    are the block index (``indexes/index.idx``) and the number of CDXJ lines.
    File names in the lines are the base names of ``warc_paths``."""
    from wacz.waczindexer import WACZIndexer

    idx = io.BytesIO()
    idx_text = io.TextIOWrapper(idx, "utf-8", write_through=True)
    with open(data_path, "wb") as data:
        indexer = WACZIndexer(
            idx_text,
            [str(p) for p in warc_paths],
            sort=True,
            post_append=True,
            compress=data,
            lines=WACZ_INDEX_LINES,
            digest_records=True,
            fields="referrer,req.http:cookie",
            data_out_name="index.cdx.gz",
            hash_type="sha256",
            detect_pages=False,
            extract_text=False,
            passed_pages_dict={},
        )
        said = io.StringIO()  # warcio's warnings: repeated on success, on failure
        try:  # the one-line error says where to look instead
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
                indexer.process_all()  # (it prints progress on stdout)
            sys.stderr.write(said.getvalue())
        except Exception as exc:  # a damaged WARC file: warcio, gzip or zlib errors
            # the message's head: its tail may quote the damaged bytes
            detail = " ".join(str(exc).split(":", 1)[0].split())[:100] or type(exc).__name__
            raise ReplayError(
                f"cannot index the WARC files ({detail}); `archiver verify` names the damage"
            ) from None
    idx_text.flush()
    with gzip.open(data_path, "rt", encoding="utf-8") as fh:
        count = sum(1 for line in fh if line.strip())
    return idx.getvalue(), count


def write_wacz(
    conn: Any,
    warc_dir: Path,
    out: Path,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """A WACZ 1.1.1 package laid out as py-wacz lays it out, so ReplayWeb.page reads
    it: ``archive/`` (the selected records as one WARC file, or the whole WARC files
    when no filter is given; stored), a ZipNum index (``indexes/index.cdx.gz`` stored,
    ``indexes/index.idx``), ``pages/pages.jsonl`` with titles and text,
    ``datapackage.json`` and ``datapackage-digest.json``."""
    from archiver import __version__

    filtered = bool(site or since or until)
    selected = select_captures(conn, site=site, since=since, until=until)
    if not selected:
        raise ReplayError("no captures match the filters")
    work = Path(tempfile.mkdtemp(prefix="archiver-wacz-"))
    try:
        if filtered:
            part = work / "export.warc.gz"
            export_warc(conn, warc_dir, part, site=site, since=since, until=until)
            warcs = {"export.warc.gz": part}
        else:
            warcs = {}
            for name in sorted({s.warc_file for s in selected}):
                warcs[Path(name).name] = _locate(warc_dir, name)
        # the index names each file by its base name: link them under their names
        # in the package (an .open file is packaged as closed)
        named = work / "named"
        named.mkdir()
        for arc_name, path in warcs.items():
            os.symlink(path.resolve(), named / arc_name)
        cdx_data = work / "index.cdx.gz"
        idx, n_lines = write_zipnum_index([named / n for n in warcs], cdx_data)
        pages = pages_jsonl(conn, selected)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        resources: list[dict[str, Any]] = []
        tmp = out.with_name(out.name + ".part")
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:

            def add(
                name: str,
                data: bytes | None = None,
                path: Path | None = None,
                compress: bool = True,
            ) -> None:
                kind = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                digest = hashlib.sha256()
                if path is not None:
                    zf.write(path, name, compress_type=kind)
                    with open(path, "rb") as fh:
                        for chunk in iter(lambda: fh.read(1 << 20), b""):
                            digest.update(chunk)
                    size = path.stat().st_size
                else:
                    assert data is not None
                    zf.writestr(name, data, compress_type=kind)
                    digest.update(data)
                    size = len(data)
                resources.append(
                    {
                        "name": Path(name).name,
                        "path": name,
                        "hash": "sha256:" + digest.hexdigest(),
                        "bytes": size,
                    }
                )

            # stored, not deflated: a replayer reads WARC records and index blocks
            # by byte range
            for arc_name, path in warcs.items():
                add(f"archive/{arc_name}", path=path, compress=False)
            add("indexes/index.cdx.gz", path=cdx_data, compress=False)
            add("indexes/index.idx", idx)
            header: dict[str, Any] = {
                "format": "json-pages-1.0",
                "id": "pages",
                "title": "All Pages",
            }
            if any(p.get("text") for p in pages):
                header["hasText"] = True
            body = "\n".join(json.dumps(p, ensure_ascii=False) for p in [header, *pages])
            add("pages/pages.jsonl", (body + "\n").encode("utf-8"))
            package = {
                "profile": "data-package",
                "wacz_version": "1.1.1",
                "title": title or out.stem,
                "created": created,
                "modified": created,
                "software": f"archiver {__version__}",
                "resources": resources,
            }
            if pages:
                package["mainPageURL"] = pages[0]["url"]
                package["mainPageDate"] = pages[0]["ts"]
            package_bytes = json.dumps(package, indent=2).encode("utf-8")
            zf.writestr("datapackage.json", package_bytes)
            zf.writestr(
                "datapackage-digest.json",
                json.dumps(
                    {
                        "path": "datapackage.json",
                        "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
                    },
                    indent=2,
                ),
            )
        os.replace(tmp, out)
        return {
            "warc_files": list(warcs),
            "cdx_lines": n_lines,
            "pages": len(pages),
            "bytes": out.stat().st_size,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
