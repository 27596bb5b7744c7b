"""Dated memberships and roles, and the register snapshot's lookups."""

from __future__ import annotations

from datetime import date, datetime

from lcpg.domain.model import Meeting, Membership, normalise_email
from lcpg.domain.register import Register


def test_membership_span_is_inclusive_and_open_ended() -> None:
    m = Membership("lcpg-dover", "a@example.org", "police", (), date(2017, 1, 1), date(2017, 9, 30))
    assert m.is_current(date(2017, 1, 1)) and m.is_current(date(2017, 9, 30))
    assert not m.is_current(date(2016, 12, 31)) and not m.is_current(date(2017, 10, 1))
    assert Membership("lcpg-dover", "a@example.org", "police").is_current(date(1990, 1, 1))


def test_roles_carry_the_membership_dates() -> None:
    m = Membership(
        "lcpg-dover",
        "a@example.org",
        "early-help",
        ("chair", "coordinator"),
        None,
        date(2017, 9, 30),
    )
    roles = m.role_assignments()
    assert [r.role for r in roles] == ["chair", "coordinator"]
    assert all(r.end == date(2017, 9, 30) and r.start is None for r in roles)
    assert not roles[1].is_current(date(2017, 10, 1))


def test_co_chairs_are_both_role_holders() -> None:
    register = Register(
        memberships=(
            Membership("lcpg-maidstone", "a@example.org", "police", ("chair",)),
            Membership("lcpg-maidstone", "b@example.org", "housing", ("chair",)),
            Membership(
                "lcpg-maidstone", "c@example.org", "ccg", ("chair",), None, date(2015, 1, 1)
            ),
        )
    )
    holders = register.role_holders("lcpg-maidstone", "chair", date(2018, 1, 1))
    assert [h.email for h in holders] == ["a@example.org", "b@example.org"]
    assert register.role_holders("lcpg-maidstone", "coordinator", date(2018, 1, 1)) == ()


def test_meetings_of_a_body_are_in_time_order() -> None:
    later = Meeting("2", "chwb", datetime(2018, 3, 14, 14), datetime(2018, 3, 14, 16))
    earlier = Meeting("1", "chwb", datetime(2018, 1, 10, 14), datetime(2018, 1, 10, 16))
    register = Register(meetings=(later, earlier))
    assert register.meetings_of("chwb") == (earlier, later)
    assert register.meetings_of("chairs-group") == ()


def test_emails_are_keys_in_lower_case() -> None:
    assert normalise_email("  Ada.Finch@Example.ORG ") == "ada.finch@example.org"


def test_group_attendees_derive_from_lcpg_roles_unless_rows_say_otherwise() -> None:
    from lcpg.domain.model import Body, BodyKind

    bodies = (
        Body("chairs-group", "LCPG Chairs Group", BodyKind.CHAIRS_GROUP),
        Body("safeguarding-group", "LCPG Safeguarding Group", BodyKind.SAFEGUARDING_GROUP),
        Body("lcpg-dover", "Dover LCPG", BodyKind.LCPG, "dover"),
        Body("lcpg-thanet", "Thanet LCPG", BodyKind.LCPG, "thanet"),
    )
    memberships = (
        Membership("lcpg-dover", "chair@example.org", "police", ("chair",)),
        Membership("lcpg-dover", "lead@example.org", "district-council", ("safeguarding-lead",)),
        Membership("lcpg-thanet", "old@example.org", "ccg", ("chair",), None, date(2017, 1, 1)),
        Membership("lcpg-thanet", "new@example.org", "ccg", ("chair",), date(2017, 1, 2)),
    )
    register = Register(bodies=bodies, memberships=memberships)
    on = date(2018, 1, 1)
    assert register.attendees("chairs-group", on) == {"chair@example.org", "new@example.org"}
    assert register.attendees("safeguarding-group", on) == {"lead@example.org"}
    assert register.attendees("lcpg-dover", on) == {"chair@example.org", "lead@example.org"}
    # Explicit rows for the Chairs Group replace the derived membership.
    explicit = Register(
        bodies=bodies,
        memberships=(*memberships, Membership("chairs-group", "x@example.org", "additional")),
    )
    assert explicit.attendees("chairs-group", on) == {"x@example.org"}


def test_a_body_and_its_memberships_are_found_by_slug_and_follow_a_replaced_register() -> None:
    from dataclasses import replace

    from lcpg.domain.model import Body, BodyKind

    dover = Membership("lcpg-dover", "a@example.org", "police", (), None, date(2017, 9, 30))
    thanet = Membership("lcpg-thanet", "b@example.org", "ccg")
    later = Membership("lcpg-dover", "c@example.org", "housing", (), date(2017, 10, 1))
    register = Register(
        bodies=(Body("lcpg-dover", "Dover LCPG", BodyKind.LCPG, "dover"),),
        memberships=(dover, thanet, later),
    )
    assert register.memberships_of("lcpg-dover") == (dover, later)  # in register order
    assert register.memberships_of("lcpg-dover", date(2017, 10, 1)) == (later,)
    assert register.memberships_of("lcpg-swale") == ()
    assert register.body("lcpg-dover") is not None and register.body("lcpg-swale") is None
    # The lookups are indexes built with the register: a changed copy has its own.
    changed = replace(register, memberships=(thanet,), bodies=())
    assert changed.memberships_of("lcpg-dover") == () and changed.body("lcpg-dover") is None
    assert changed.memberships_of("lcpg-thanet") == (thanet,)
