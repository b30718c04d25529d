"""Pure schedule logic with an injected clock: no sleeping, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.schedule.rules import (
    RevisitSchedule,
    ScheduleError,
    adapt_interval,
    format_duration,
    initial_interval,
    is_due,
    missed_slots,
    next_due,
    next_revisit,
    parse_duration,
    parse_revisit_schedule,
    parse_schedule,
    revisit_due,
)

H = 3600.0
D = 86400.0


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5s", 5),
        ("30m", 1800),
        ("6h", 6 * H),
        ("1d", D),
        ("2w", 14 * D),
        (" 90M ", 5400),
        ("1.5h", 5400),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "m", "5x", "0m", "-1h", "1h30m", "every 6h"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_duration(text)


def test_format_duration_round_trips() -> None:
    for text in ("5s", "30m", "90m", "6h", "1d", "2w"):
        assert format_duration(parse_duration(text)) == text


def test_parse_schedule() -> None:
    assert parse_schedule(every="6h").seconds == 6 * H
    cron = parse_schedule(cron="0  */6 * * *")
    assert (cron.kind, cron.value) == ("cron", "0 */6 * * *")
    for every, expr in (
        (None, None),
        ("6h", "0 * * * *"),
        (None, "99 * * * *"),
        (None, "* * * *"),
        (None, "not cron at all"),
        ("soon", None),
    ):
        with pytest.raises(ScheduleError):
            parse_schedule(every, expr)


def test_interval_job_is_due_at_once_then_every_interval() -> None:
    sched = parse_schedule(every="30m")
    created = ts("2026-01-01T00:00:00")
    assert next_due(sched, None, created) == created
    assert is_due(sched, None, created, created)
    started = created + 10
    assert next_due(sched, started, created) == started + 1800
    assert not is_due(sched, started, created, started + 1799)
    assert is_due(sched, started, created, started + 1800)


def test_missed_interval_runs_collapse_into_one() -> None:
    sched = parse_schedule(every="1h")
    created = ts("2026-01-01T00:00:00")
    last = created
    now = last + 10 * H + 120  # the scheduler was down for ten hours
    assert missed_slots(sched, last, created, now) == 10
    assert is_due(sched, last, created, now)
    # the one run starts now: the next slot counts from it, not from the missed ones
    assert next_due(sched, now, created) == now + H
    assert not is_due(sched, now, created, now + H - 1)
    assert missed_slots(sched, now, created, now + 1) == 0


def test_cron_next_due_and_missed_slots() -> None:
    sched = parse_schedule(cron="0 */6 * * *")
    created = ts("2026-01-01T01:30:00")
    assert next_due(sched, None, created) == ts("2026-01-01T06:00:00")
    assert not is_due(sched, None, created, ts("2026-01-01T05:59:59"))
    last = ts("2026-01-01T06:00:00")
    assert next_due(sched, last, created) == ts("2026-01-01T12:00:00")
    now = ts("2026-01-03T07:00:00")  # two days of downtime: 8 slots missed, one run
    assert missed_slots(sched, last, created, now) == 8
    assert is_due(sched, last, created, now)
    assert next_due(sched, now, created) == ts("2026-01-03T12:00:00")
    assert sched.typical_interval(created) == 6 * H


def test_adaptive_interval_shrinks_grows_and_is_clamped() -> None:
    lo, hi = 15 * 60.0, D
    assert adapt_interval(H, 3, lo, hi) == H / 2
    assert adapt_interval(H, 0, lo, hi) == 1.5 * H
    interval = H
    for _ in range(20):  # a busy feed settles at the minimum
        interval = adapt_interval(interval, 5, lo, hi)
    assert interval == lo
    for _ in range(40):  # a dead feed settles at the maximum
        interval = adapt_interval(interval, 0, lo, hi)
    assert interval == hi
    assert initial_interval(parse_schedule(every="5s"), lo, hi) == lo
    assert initial_interval(parse_schedule(every="6h"), lo, hi) == 6 * H
    assert initial_interval(parse_schedule(every="4w"), lo, hi) == hi


def test_revisit_schedule_parsing() -> None:
    assert parse_revisit_schedule("1h,6h,1d,7d") == RevisitSchedule((H, 6 * H, D, 7 * D))
    assert parse_revisit_schedule("1h,7d+") == RevisitSchedule((H, 7 * D), repeat=True)
    assert parse_revisit_schedule("never") == RevisitSchedule(())
    assert parse_revisit_schedule("1h,6h,1d,7d+").text() == "1h,6h,1d,1w+"
    for bad in ("1h,1h", "6h,1h", "1h,x", "1h,,2h"):
        with pytest.raises(ScheduleError):
            parse_revisit_schedule(bad)


def test_revisit_decay() -> None:
    steps = parse_revisit_schedule("1h,6h,1d,7d")
    first = ts("2026-01-01T00:00:00")
    # fetched once: next revisit one hour after first capture
    assert next_revisit(steps, first, first) == first + H
    assert not revisit_due(steps, first, first, first + H - 1)
    assert revisit_due(steps, first, first, first + H)
    # revisited at 1h: next at 6h
    assert next_revisit(steps, first, first + H + 5) == first + 6 * H
    # several steps passed while nobody crawled: one refetch, then the next step
    assert revisit_due(steps, first, first + H, first + 3 * D)
    assert next_revisit(steps, first, first + 3 * D) == first + 7 * D
    # after the last step: never again
    assert next_revisit(steps, first, first + 7 * D) is None
    assert not revisit_due(steps, first, first + 7 * D, first + 365 * D)
    # with a repeating last step: weekly forever
    weekly = parse_revisit_schedule("1h,7d+")
    assert next_revisit(weekly, first, first + 7 * D) == first + 14 * D
    assert next_revisit(weekly, first, first + 30 * D) == first + 35 * D
    assert not revisit_due(parse_revisit_schedule("never"), first, first, first + 999 * D)
