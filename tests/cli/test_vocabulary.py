"""One command-line vocabulary: the same name means the same thing in every command,
and each crawl option is declared once (archiver.crawl.options)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.cli.common import MomentType, crawl_params
from archiver.crawl import options as crawl_options
from archiver.crawl.options import CrawlOption, CrawlOptions, parse_size
from archiver.errors import CrawlError
from tests.conftest import SITE_EXIT, run_archiver


def commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out += commands(command, prefix + name + " ")
    return out


def options_of(command: click.Command) -> dict[str, click.Option]:
    return {
        opt: p
        for p in command.params
        if isinstance(p, click.Option)
        for opt in p.opts + p.secondary_opts
    }


def test_short_q_always_means_quiet() -> None:
    for name, command in commands():
        option = options_of(command).get("-q")
        if option is not None:
            assert option.name == "quiet", name


def test_since_and_until_mean_the_published_date_everywhere() -> None:
    for name, command in commands():
        opts = options_of(command)
        if "--since" in opts:
            assert name in ("search", "export", "show", "diff", "stats"), name
        if name in ("wacz", "export-warc", "reextract"):
            assert "--since" not in opts and "--fetched-since" in opts, name


def test_warc_dir_defaults_next_to_the_archive() -> None:
    for name, command in commands():
        opts = options_of(command)
        if "--db" in opts and "--warc-dir" in opts and name not in ("reindex",):
            assert opts["--warc-dir"].default is None, name
            assert "next to" in (opts["--warc-dir"].help or ""), name


def test_output_files_take_dash_o() -> None:
    for name in ("export", "cdx", "wacz", "export-warc"):
        opts = options_of(cli.commands[name])
        assert opts["-o"].name == "output" and "--output" in opts, name


def test_format_json_where_a_summary_is_printed() -> None:
    for name in (
        "crawl",
        "reindex",
        "verify",
        "reextract",
        "wacz",
        "export-warc",
        "stats",
        "search",
        "jobs list",
        "jobs show",
    ):
        command = dict(commands())[name]
        choices = options_of(command)["--format"].type.choices  # type: ignore[attr-defined]
        assert "text" in choices and "json" in choices, name
        assert options_of(command)["--format"].default == "text", name


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1000", 1000),
        ("4k", 4096),
        ("64M", 64 * 1024**2),
        ("1G", 1024**3),
        ("1.5GiB", 1536 * 1024**2),
        ("2gb", 2 * 1024**3),
    ],
)
def test_sizes_with_units(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_bad_size_and_dates_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["crawl", "http://127.0.0.1:9/", "--warc-max-size", "lots"])
    assert bad.exit_code == 2 and "is not a size" in bad.output
    bad = runner.invoke(cli, ["wacz", "-o", str(tmp_path / "x.wacz"), "--fetched-until", "garbage"])
    assert bad.exit_code == 2 and "not an ISO date" in bad.output
    bad = runner.invoke(cli, ["crawl", "http://127.0.0.1:9/", "-s", "NOEQUALS"])
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output


def test_fetched_bounds_are_inclusive() -> None:
    start, end = MomentType("start"), MomentType("end")
    assert start.convert("2026-03-01", None, None) == "2026-03-01T00:00:00.000000Z"
    assert end.convert("2026-03-01", None, None) == "2026-03-02T00:00:00.000000Z"
    assert end.convert("2026-03-01T12:00:00+02:00", None, None) == "2026-03-01T10:00:00.000001Z"


def test_a_new_option_is_declared_once_and_seen_everywhere(monkeypatch: Any) -> None:
    dummy = CrawlOption(
        "probe_limit",
        "int",
        "A dummy option of this test.",
        minimum=2,
        settings=lambda value: {"ARCHIVER_PROBE_LIMIT": value},
    )
    monkeypatch.setattr(crawl_options, "CRAWL_OPTIONS", (*crawl_options.CRAWL_OPTIONS, dummy))
    monkeypatch.setitem(crawl_options.BY_NAME, "probe_limit", dummy)
    monkeypatch.setitem(crawl_options.JOB_OPTIONS, "probe_limit", dummy)

    # the command-line option
    @click.command()
    @crawl_params
    def probe(**values: Any) -> None:
        click.echo(json.dumps(values["probe_limit"]))

    assert "--probe-limit" in options_of(probe)
    assert CliRunner().invoke(probe, ["--probe-limit", "5"]).output.strip() == "5"
    # the options object, its check and the Scrapy settings
    opts = CrawlOptions(["http://x.org/"], values={"probe_limit": 5})
    assert opts.probe_limit == 5
    assert crawl_options.scrapy_settings(opts)["ARCHIVER_PROBE_LIMIT"] == 5
    with pytest.raises(CrawlError, match="--probe-limit must be at least 2"):
        crawl_options.check(CrawlOptions(["http://x.org/"], values={"probe_limit": 1}))
    # what a job may store
    crawl_options.check_job_options({"probe_limit": 3})
    with pytest.raises(ValueError, match="probe_limit"):
        crawl_options.check_job_options({"probe_limit": "three"})


def test_every_declared_option_reaches_the_command_and_jobs() -> None:
    crawl = options_of(cli.commands["crawl"])
    add = options_of(cli.commands["jobs"].commands["add"])  # type: ignore[attr-defined]
    for option in crawl_options.CRAWL_OPTIONS:
        assert option.flag in crawl and option.flag in add
    assert {f.name for f in dataclasses.fields(CrawlOptions)} >= {"seeds", "db", "values"}


def test_summary_is_plain_text_in_a_pipe_and_json_on_request(site: Any, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    log = tmp_path / "logs" / "crawl.log"
    proc = run_archiver(
        "crawl",
        site.url("/news/story-1.html"),
        "--seeds-only",
        "--db",
        str(db),
        "--delay",
        "0",
        "-s",
        "ARCHIVER_WARC_PREFIX=viaset",
        "--warc-max-size",
        "64M",
        "--logfile",
        str(log),
        "--log-level",
        "INFO",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "┌" not in proc.stdout and "pages fetched: " in proc.stdout
    assert [p.name[:7] for p in (tmp_path / "warc").iterdir()] == ["viaset-"]  # next to --db
    assert "Spider closed" in log.read_text()
    proc = run_archiver(
        "crawl",
        site.url("/"),
        "--db",
        str(db),
        "--delay",
        "0",
        "--format",
        "json",
        "--max-pages",
        "3",
        cwd=tmp_path,
    )
    data = json.loads(proc.stdout)
    assert data["exit_status"] == proc.returncode and data["status"] in ("ok", "partial")
    assert data["archive"] == str(db) and data["pages"] >= 3
    if proc.returncode:
        assert proc.returncode == SITE_EXIT and data["failed"]
