"""CHWB dates from the blueprint's RRULE and the cycles they cut."""

from __future__ import annotations

from datetime import date, datetime

from cycle.chwb import REGISTER, RULE, ChwbDate, chwb_dates, merge_chwb_dates
from cycle.windows import cycles_between
from lcpg.domain.blueprint import Blueprint


def test_kent_chwb_is_second_wednesday_of_odd_months(kent: Blueprint) -> None:
    dates = chwb_dates(kent.cadence, date(2018, 1, 1), date(2018, 12, 31))
    assert [d.date() for d in dates] == [
        date(2018, 1, 10),
        date(2018, 3, 14),
        date(2018, 5, 9),
        date(2018, 7, 11),
        date(2018, 9, 12),
        date(2018, 11, 14),
    ]
    assert all(d.weekday() == 2 and 8 <= d.day <= 14 and d.hour == 14 for d in dates)


def test_chwb_range_is_inclusive_at_both_ends(kent: Blueprint) -> None:
    assert [d.date() for d in chwb_dates(kent.cadence, date(2018, 3, 14), date(2018, 5, 9))] == [
        date(2018, 3, 14),
        date(2018, 5, 9),
    ]
    assert chwb_dates(kent.cadence, date(2018, 3, 15), date(2018, 5, 8)) == []


def test_cycles_run_from_one_chwb_to_the_next(kent: Blueprint) -> None:
    chwb = [datetime(2018, 3, 14, 14), datetime(2018, 1, 10, 14), datetime(2018, 5, 9, 14)]
    cycles = cycles_between(chwb, kent.cadence)
    assert [(c.chwb.date(), c.next_chwb.date()) for c in cycles] == [
        (date(2018, 1, 10), date(2018, 3, 14)),
        (date(2018, 3, 14), date(2018, 5, 9)),
    ]
    first = cycles[0]
    assert first.lcpg_earliest == date(2018, 1, 17)
    assert first.chairs_deadline == date(2018, 3, 7)
    assert first.label == "CHWB 2018-01-10"


def test_fewer_than_two_chwb_meetings_make_no_cycle(kent: Blueprint) -> None:
    assert cycles_between([datetime(2018, 1, 10, 14)], kent.cadence) == []


def test_a_recorded_chwb_corrects_the_rule_within_its_own_year() -> None:
    rule = [datetime(2027, 9, 8, 14), datetime(2027, 11, 10, 14), datetime(2028, 1, 12, 14)]
    recorded = [datetime(2027, 9, 15, 14), datetime(2027, 12, 15, 14)]
    # 15 Dec 2027 is four weeks from 12 Jan 2028, but a December CHWB does not stand in for
    # January's: that would leave 2028 without its January CHWB.
    assert merge_chwb_dates(rule, recorded) == [
        ChwbDate(datetime(2027, 9, 15, 14), REGISTER),
        ChwbDate(datetime(2027, 11, 10, 14), RULE),
        ChwbDate(datetime(2027, 12, 15, 14), REGISTER),
        ChwbDate(datetime(2028, 1, 12, 14), RULE),
    ]
