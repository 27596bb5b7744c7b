"""cycle.one_per_cycle: which new meetings would be their body's second in a cycle."""

from __future__ import annotations

from datetime import datetime, timedelta

from cycle.one_per_cycle import second_meetings
from lcpg.blueprints import KENT
from lcpg.domain.blueprint import load_blueprint
from lcpg.domain.model import Meeting, MeetingStatus, meeting_identity

CADENCE = load_blueprint(KENT).cadence
CHWB_DAYS = [datetime(2027, 1, 13, 14), datetime(2027, 3, 10, 14), datetime(2027, 5, 12, 14)]


def meeting(body: str, start: datetime, status: MeetingStatus = MeetingStatus.PLANNED) -> Meeting:
    return Meeting(
        meeting_identity(body, start), body, start, start + timedelta(hours=2), "", status
    )


CHWB = [meeting("chwb", day, MeetingStatus.HELD) for day in CHWB_DAYS]
JANUARY = meeting("lcpg-gravesham", datetime(2027, 1, 25, 14))


def seconds(*new: Meeting, stored: tuple[Meeting, ...] = (*CHWB, JANUARY)) -> list[Meeting]:
    found = second_meetings([*stored, *new], [m.id for m in new], "chwb", CADENCE)
    return [f.meeting for f in found]


def test_a_new_meeting_in_a_cycle_its_body_already_meets_in_is_a_second() -> None:
    old_copy = meeting("lcpg-gravesham", datetime(2027, 1, 20, 14))
    [found] = second_meetings([*CHWB, JANUARY, old_copy], [old_copy.id], "chwb", CADENCE)
    assert (found.meeting, found.already, found.cycle.chwb) == (old_copy, JANUARY, CHWB_DAYS[0])


def test_a_new_meeting_in_another_cycle_or_of_another_body_is_not() -> None:
    assert seconds(meeting("lcpg-gravesham", datetime(2027, 3, 22, 14))) == []
    assert seconds(meeting("lcpg-dover", datetime(2027, 1, 20, 14))) == []


def test_cancelled_meetings_count_for_nothing() -> None:
    cancelled = meeting("lcpg-gravesham", datetime(2027, 1, 20, 14), MeetingStatus.CANCELLED)
    assert seconds(cancelled) == []
    stored = (*CHWB, meeting("lcpg-gravesham", datetime(2027, 1, 25, 14), MeetingStatus.CANCELLED))
    assert seconds(meeting("lcpg-gravesham", datetime(2027, 1, 20, 14)), stored=stored) == []


def test_of_two_new_meetings_in_one_cycle_the_second_is_reported() -> None:
    first = meeting("lcpg-dover", datetime(2027, 3, 17, 14))
    second = meeting("lcpg-dover", datetime(2027, 3, 24, 14))
    assert seconds(first, second) == [second]


def test_the_last_cycle_runs_cycle_weeks_after_the_last_chwb() -> None:
    stored = (*CHWB, meeting("lcpg-gravesham", datetime(2027, 5, 24, 14)))
    inside = meeting("lcpg-gravesham", datetime(2027, 5, 19, 14))
    beyond = meeting("lcpg-gravesham", datetime(2027, 7, 21, 14))  # 10 weeks on
    assert seconds(inside, stored=stored) == [inside]
    assert seconds(beyond, stored=stored) == []


def test_meetings_before_the_first_chwb_are_never_reported() -> None:
    stored = (*CHWB, meeting("lcpg-gravesham", datetime(2026, 12, 1, 14)))
    assert seconds(meeting("lcpg-gravesham", datetime(2026, 12, 2, 14)), stored=stored) == []


def test_a_new_chwb_meeting_between_two_recorded_ones_is_a_second() -> None:
    between = meeting("chwb", datetime(2027, 2, 10, 14))
    after = meeting("chwb", datetime(2027, 7, 14, 14))
    assert seconds(between) == [between]
    assert seconds(after) == []
