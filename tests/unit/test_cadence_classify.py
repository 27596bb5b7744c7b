"""Reading a body's cadence from the dates of its meetings."""

from __future__ import annotations

from datetime import date, timedelta

from rules.cadence import Cadence, classify

AS_OF = date(2018, 3, 20)


def every(days: int, count: int, last: date = date(2018, 3, 14)) -> list[date]:
    return sorted(last - timedelta(days=days * i) for i in range(count))


def test_every_eight_or_nine_weeks_is_bimonthly() -> None:
    reading = classify(every(63, 6), AS_OF)
    assert reading.detected is Cadence.BIMONTHLY
    assert reading.held == 6 and set(reading.gaps_days) == {63}
    assert reading.open_gap_days == 6


def test_the_seed_quarterly_months_are_quarterly() -> None:
    # Sevenoaks, seed 000: June, September, December, March.
    held = [date(2017, 6, 14), date(2017, 9, 13), date(2017, 12, 13), date(2018, 3, 14)]
    assert classify(held, AS_OF).detected is Cadence.QUARTERLY


def test_quarterly_months_placed_in_eight_week_cycles_are_still_quarterly() -> None:
    # Gaps alternate ten and sixteen weeks when quarterly meetings sit in bi-monthly windows.
    held = [date(2025, 6, 4), date(2025, 9, 24), date(2025, 12, 3), date(2026, 3, 25)]
    assert classify(held, date(2026, 4, 1)).detected is Cadence.QUARTERLY


def test_one_cancelled_meeting_keeps_the_bimonthly_reading() -> None:
    intended = every(63, 5)
    held = [d for d in intended if d != intended[1]]
    reading = classify(held, AS_OF, cancelled=[intended[1]])
    assert reading.detected is Cadence.BIMONTHLY
    assert max(reading.gaps_days) == 126  # the gap actually left is still reported


def test_one_meeting_missing_without_record_is_tolerated_with_four_gaps() -> None:
    intended = every(63, 6)
    held = [d for d in intended if d != intended[2]]
    assert classify(held, AS_OF).detected is Cadence.BIMONTHLY


def test_one_moved_meeting_evens_out() -> None:
    held = every(63, 6)
    held[2] += timedelta(days=25)
    assert classify(held, AS_OF).detected is Cadence.BIMONTHLY


def test_bunched_meetings_are_irregular() -> None:
    held = [
        date(2017, 4, 1),
        date(2017, 4, 15),
        date(2017, 11, 1),
        date(2017, 11, 15),
        date(2018, 3, 1),
    ]
    assert classify(held, AS_OF).detected is Cadence.IRREGULAR


def test_too_few_meetings_is_insufficient_data() -> None:
    reading = classify([date(2017, 12, 1), date(2018, 2, 1)], AS_OF)
    assert reading.detected is Cadence.INSUFFICIENT_DATA
    assert reading.how == "2 held meetings are too few to tell"
    assert classify([], AS_OF).open_gap_days is None
