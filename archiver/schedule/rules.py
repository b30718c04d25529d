"""Pure scheduling logic of recurring jobs: no I/O, no real clock.

Every function takes the current time as an argument (``now``: seconds since the
epoch, UTC) so that tests can drive it with an injected clock.

- :func:`parse_duration` / :func:`parse_schedule`: ``30s``, ``30m``, ``6h``, ``1d``,
  ``2w`` intervals and 5-field cron expressions (through croniter, evaluated in UTC).
- :func:`next_due`: when a job is next due, given when its last run started.  A job
  that missed several slots (the scheduler was down) is due once, and its next slot
  is computed from the time that run starts: missed slots collapse into one run.
- :func:`adapt_interval`: adaptive polling of a feed or sitemap.
- :func:`parse_revisit_schedule` / :func:`next_revisit`: the decaying revisit
  schedule of known articles.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from archiver.errors import ScheduleError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)

DEFAULT_REVISIT_SCHEDULE = "1h,6h,1d,7d"
DEFAULT_POLL_MIN = "15m"
DEFAULT_POLL_MAX = "1d"
SHRINK = 0.5  # interval factor after a fetch that found new items
GROW = 1.5  # interval factor after a fetch that found none


def parse_duration(text: str, what: str = "duration") -> float:
    """``"30m"`` → 1800.0 seconds; units s, m, h, d, w; must be positive."""
    match = _DURATION.match(str(text))
    if not match:
        raise ScheduleError(
            f"invalid {what} {text!r}: use a number and a unit s, m, h, d or w (e.g. 30m, 6h, 1d)"
        )
    seconds = float(match.group(1)) * UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ScheduleError(f"invalid {what} {text!r}: must be more than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact ``<n><unit>`` form of ``seconds`` (``5400`` → ``90m``)."""
    for unit in ("w", "d", "h", "m"):
        size = UNITS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{seconds:g}s"


@dataclass(frozen=True)
class Schedule:
    """``kind`` is ``every`` (``value`` a duration such as ``6h``) or ``cron``."""

    kind: str
    value: str

    @property
    def seconds(self) -> float | None:
        return parse_duration(self.value) if self.kind == "every" else None

    def describe(self) -> str:
        return f"every {self.value}" if self.kind == "every" else f"cron {self.value}"

    def next_after(self, moment: float) -> float:
        """The first slot strictly after ``moment``."""
        if self.kind == "every":
            return moment + parse_duration(self.value)
        from croniter import croniter

        base = datetime.fromtimestamp(moment, UTC)
        return float(croniter(self.value, base).get_next(float))

    def typical_interval(self, around: float = 0.0) -> float:
        """Seconds between two consecutive slots (for cron: the two after ``around``)."""
        if self.kind == "every":
            return parse_duration(self.value)
        first = self.next_after(around)
        return self.next_after(first) - first


def parse_schedule(every: str | None = None, cron: str | None = None) -> Schedule:
    """Exactly one of ``every`` (a duration) or ``cron`` (a 5-field expression)."""
    if (every is None) == (cron is None):
        raise ScheduleError("give exactly one of --every and --cron")
    if every is not None:
        parse_duration(every, "--every interval")
        return Schedule("every", every.strip().lower())
    from croniter import croniter

    expr = " ".join(str(cron).split())
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise ScheduleError(f'invalid cron expression {cron!r}: use 5 fields, e.g. "0 */6 * * *"')
    return Schedule("cron", expr)


def next_due(schedule: Schedule, last_started: float | None, created: float) -> float:
    """When the job is next due.

    A job that never ran is due at once for ``every`` schedules and at the first cron
    slot after it was created for cron schedules.  Otherwise it is due at the first
    slot after its last run *started*.  However long ago that slot was, the job runs
    once; its next slot then counts from that run's start, so missed slots collapse.
    """
    if last_started is None:
        return created if schedule.kind == "every" else schedule.next_after(created)
    return schedule.next_after(last_started)


def is_due(schedule: Schedule, last_started: float | None, created: float, now: float) -> bool:
    return next_due(schedule, last_started, created) <= now


def missed_slots(
    schedule: Schedule, last_started: float | None, created: float, now: float, limit: int = 10_000
) -> int:
    """How many slots passed up to ``now`` since the last run (for the log): a job with
    3 missed slots still runs only once."""
    due = next_due(schedule, last_started, created)
    count = 0
    while due <= now and count < limit:
        count += 1
        due = schedule.next_after(due)
    return count


# -- adaptive polling ----------------------------------------------------------
def adapt_interval(
    current: float,
    new_items: int,
    minimum: float,
    maximum: float,
    shrink: float = SHRINK,
    grow: float = GROW,
) -> float:
    """Next polling interval of a source: ×``shrink`` after a fetch that yielded new
    items, ×``grow`` after one that yielded none, clamped to [minimum, maximum]."""
    value = current * (shrink if new_items > 0 else grow)
    return min(max(value, minimum), maximum)


def initial_interval(
    schedule: Schedule, minimum: float, maximum: float, around: float = 0.0
) -> float:
    """A new source starts at the job's own interval, clamped to the bounds."""
    return min(max(schedule.typical_interval(around), minimum), maximum)


# -- revisit decay ---------------------------------------------------------------
@dataclass(frozen=True)
class RevisitSchedule:
    """Offsets (seconds after first capture) at which a known article is fetched
    again; with ``repeat`` the last offset keeps recurring (``7d+``: weekly forever)."""

    steps: tuple[float, ...]
    repeat: bool = False

    def text(self) -> str:
        parts = [format_duration(s) for s in self.steps]
        if self.repeat:
            parts[-1] += "+"
        return ",".join(parts)


def parse_revisit_schedule(text: str) -> RevisitSchedule:
    """``"1h,6h,1d,7d"`` (then never) or ``"1h,6h,1d,7d+"`` (then every 7 days);
    ``"never"`` or ``""``: known articles are not fetched again."""
    text = (text or "").strip()
    if text.lower() in ("", "never", "none"):
        return RevisitSchedule(())
    parts = [p.strip() for p in text.split(",")]
    repeat = parts[-1].endswith("+")
    if repeat:
        parts[-1] = parts[-1][:-1]
    steps = tuple(parse_duration(p, "revisit step") for p in parts)
    if any(b <= a for a, b in itertools.pairwise(steps)):
        raise ScheduleError(f"invalid revisit schedule {text!r}: steps must increase")
    return RevisitSchedule(steps, repeat)


def next_revisit(
    revisits: RevisitSchedule, first_capture: float, last_fetch: float
) -> float | None:
    """The first revisit time after ``last_fetch``: ``first_capture`` plus the first
    step that lies after the last fetch; None when the schedule is exhausted."""
    for step in revisits.steps:
        moment = first_capture + step
        if moment > last_fetch:
            return moment
    if revisits.repeat and revisits.steps:
        period = revisits.steps[-1]
        moment = first_capture + period
        skip = max(0, int((last_fetch - moment) // period))
        moment += skip * period
        while moment <= last_fetch:
            moment += period
        return moment
    return None


def revisit_due(
    revisits: RevisitSchedule, first_capture: float, last_fetch: float, now: float
) -> bool:
    """Is a known article due for a (conditional) refetch at ``now``?  Several
    passed steps mean one refetch, not one per step."""
    moment = next_revisit(revisits, first_capture, last_fetch)
    return moment is not None and moment <= now
