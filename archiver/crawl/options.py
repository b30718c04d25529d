"""The crawl options, each declared once.

:data:`CRAWL_OPTIONS` is the one list of what ``archiver crawl`` (and a scheduled
job) takes besides its seeds.  Everything else is derived from it: the command-line
options (:mod:`archiver.cli.common`), the options object :class:`CrawlOptions`,
the Scrapy settings of a crawl (:func:`scrapy_settings`) and the checks of the
options a job stores (:func:`check_job_options`).  Adding an option is adding one
:class:`CrawlOption` here (plus its documentation and tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from archiver.errors import CrawlError

Kind = Literal["str", "int", "float", "bool", "flag", "list", "size", "path"]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str | int) -> int:
    """Bytes from ``1000``, ``500k``, ``64M``, ``1G``, ``1.5GB`` or ``2GiB`` (powers of
    1024, like wget's ``--quota``); raises ``ValueError``."""
    if isinstance(text, int):
        return text
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 500000, 500k, 64M, 1G)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * _UNITS[unit])


@dataclass(frozen=True)
class CrawlOption:
    """One crawl option.

    ``name`` is the Python name (``max_pages``) and gives the flag (``--max-pages``);
    ``kind`` its type; ``settings`` maps a given value to Scrapy settings (options
    that are spider arguments or handled by the runner map to nothing); ``minimum``
    is checked before a crawl starts; ``job`` says whether a scheduled job may store
    it; ``negatable`` gives ``--x/--no-x``.
    """

    name: str
    kind: Kind
    help: str
    default: Any = None
    settings: Callable[[Any], dict[str, Any]] | None = None
    minimum: float | None = None
    job: bool = True
    negatable: bool = False
    metavar: str | None = None
    shown_default: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: Any) -> None:
        """Raise :class:`CrawlError` when ``value`` is out of range."""
        if value is None or self.minimum is None or isinstance(value, bool):
            return
        if value < self.minimum:
            raise CrawlError(f"{self.flag} must be at least {self.minimum:g}")


def _set(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: {name: value}


def _delay(value: float) -> dict[str, Any]:
    return {"DOWNLOAD_DELAY": value, "AUTOTHROTTLE_START_DELAY": max(value, 0.0)}


def _concurrency(value: int) -> dict[str, Any]:
    return {
        "CONCURRENT_REQUESTS_PER_DOMAIN": value,
        "CONCURRENT_REQUESTS": max(value, 16),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(value),
    }


CRAWL_OPTIONS: tuple[CrawlOption, ...] = (
    CrawlOption(
        "warc_dir",
        "path",
        "Folder of the WARC files [default: warc/ next to --db].",
        settings=_set("ARCHIVER_WARC_DIR"),
    ),
    CrawlOption(
        "depth",
        "int",
        "Link hops from the seeds, at least 1 (sitemap and feed "
        "entries are one hop). Default: no limit.",
    ),
    CrawlOption(
        "seeds_only",
        "flag",
        "Fetch the seeds themselves (with their page requisites), follow no links.",
    ),
    CrawlOption(
        "max_pages",
        "int",
        "Stop scheduling pages after this many (sitemaps, "
        "feeds, robots.txt and page requisites not counted).",
        minimum=1,
    ),
    CrawlOption("allow", "list", "Only follow URLs matching REGEX (repeatable).", metavar="REGEX"),
    CrawlOption("deny", "list", "Never follow URLs matching REGEX (repeatable).", metavar="REGEX"),
    CrawlOption(
        "delay",
        "float",
        "Minimum delay between requests to a site, in seconds (0 allowed).",
        settings=_delay,
        minimum=0,
        shown_default="1.0",
    ),
    CrawlOption(
        "concurrency",
        "int",
        "Concurrent requests per site.",
        settings=_concurrency,
        minimum=1,
        shown_default="2",
    ),
    CrawlOption(
        "timeout",
        "float",
        "Seconds a request may take, from connecting to its last byte (a slow server is cut off).",
        settings=_set("DOWNLOAD_TIMEOUT"),
        minimum=1,
        shown_default="60",
    ),
    CrawlOption("user_agent", "str", "User-Agent header to send.", settings=_set("USER_AGENT")),
    CrawlOption(
        "ignore_robots",
        "flag",
        "Do not obey robots.txt.",
        settings=lambda value: {"ROBOTSTXT_OBEY": False} if value else {},
    ),
    CrawlOption(
        "prefix",
        "str",
        "WARC file name prefix.",
        shown_default="archiver",
        settings=_set("ARCHIVER_WARC_PREFIX"),
    ),
    CrawlOption(
        "autothrottle",
        "bool",
        "Adapt the delay to the server's latency.",
        negatable=True,
        shown_default="on",
        settings=_set("AUTOTHROTTLE_ENABLED"),
    ),
    CrawlOption(
        "requisites",
        "bool",
        "Also capture the images, stylesheets and scripts pages embed.",
        default=True,
        negatable=True,
        shown_default="on",
    ),
    CrawlOption(
        "warc_max_size",
        "size",
        "Rotate WARC files at this size: bytes, or with a unit (500M, 1G).",
        minimum=1,
        shown_default="1G",
        metavar="SIZE",
        settings=_set("ARCHIVER_WARC_MAX_SIZE"),
    ),
)

#: The options by Python name.
BY_NAME: dict[str, CrawlOption] = {option.name: option for option in CRAWL_OPTIONS}
#: What a scheduled job may store (``--db`` and the seeds are the job's own).
JOB_OPTIONS: dict[str, CrawlOption] = {o.name: o for o in CRAWL_OPTIONS if o.job}


@dataclass
class CrawlOptions:
    """What a crawl takes: its seeds, archive, the :data:`CRAWL_OPTIONS` values
    (``None`` or absent: the option's default), and the runner's own settings."""

    seeds: list[str]
    db: str = "archive.db"
    values: dict[str, Any] = field(default_factory=dict)
    progress: bool = False
    log_level: str = "WARNING"
    log_file: str | None = None
    job_id: int | None = None
    #: continue the most recent unfinished crawl of these seeds (``--resume``)
    resume: bool = False
    #: called with one-line notes for the user (e.g. an unfinished crawl to resume)
    notify: Callable[[str], None] | None = None
    extra_settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.values) - set(BY_NAME)
        if unknown:
            raise CrawlError(f"unknown crawl option(s): {', '.join(sorted(unknown))}")
        if self.values.get("warc_dir") is None:
            from archiver.store import default_warc_dir  # the one rule: warc/ next to --db

            self.values["warc_dir"] = default_warc_dir(self.db)

    def __getattr__(self, name: str) -> Any:
        option = BY_NAME.get(name)
        if option is None:
            raise AttributeError(name)
        value = self.__dict__["values"].get(name)
        if value is None:
            return option.default if option.kind != "list" else []
        return list(value) if option.kind == "list" else value


def check(options: CrawlOptions) -> None:
    """Range checks of every given option (raises :class:`CrawlError`)."""
    depth = options.values.get("depth")
    if depth is not None and depth < 1:
        raise CrawlError(
            "--depth 0 is not a limit (in Scrapy and wget it means none): use "
            "--seeds-only for the seeds alone, --depth 1 for one hop"
            if depth == 0
            else "--depth must be at least 1"
        )
    for option in CRAWL_OPTIONS:
        option.check(options.values.get(option.name))


def scrapy_settings(options: CrawlOptions) -> dict[str, Any]:
    """The Scrapy settings the given options amount to."""
    out: dict[str, Any] = {}
    for option in CRAWL_OPTIONS:
        value = options.values.get(option.name)
        if value is not None and option.settings is not None:
            out.update(option.settings(value))
    return out


def check_job_options(values: Mapping[str, Any]) -> None:
    """Check the crawl options a job stores: known names, JSON types (raises
    ``ValueError`` with a one-line message)."""
    unknown = set(values) - set(JOB_OPTIONS)
    if unknown:
        raise ValueError(f"unknown crawl option(s): {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if value is not None and not _json_type_ok(JOB_OPTIONS[name].kind, value):
            raise ValueError(f"crawl option {name}: {value!r} is not a valid value")


def _json_type_ok(kind: Kind, value: Any) -> bool:
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind in ("bool", "flag"):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "size":
        return isinstance(value, int) and value > 0
    if kind == "float":
        return isinstance(value, (int, float))
    return isinstance(value, str)
