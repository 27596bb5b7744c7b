"""The synthetic national blueprint and the register built on it (``lcpg demo --scale``):
N counties of twelve districts, each with members, roles, held meetings and attendance, the
same every time."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date

import pytest

from lcpg.blueprints import KENT
from lcpg.demo import build_demo_register
from lcpg.demo.national import national_blueprint_text
from lcpg.domain.blueprint import Blueprint, parse_blueprint
from lcpg.domain.model import AttendanceStatus, BodyKind, MeetingStatus

TODAY = date(2026, 11, 22)
KENT_RAW = tomllib.loads(KENT.read_text(encoding="utf-8"))


def national(counties: int) -> Blueprint:
    # Parsed as if beside kent.toml, so that its term-date files resolve to the shipped ones.
    text = national_blueprint_text(KENT_RAW, counties)
    return parse_blueprint(tomllib.loads(text), KENT.with_name(f"national-{counties}.toml"))


def test_each_county_is_a_copy_of_the_source_districts_and_local_hwbs(kent: Blueprint) -> None:
    blueprint = national(3)
    assert blueprint.slug == "national-3"
    assert len(blueprint.districts) == 3 * 12 and len(blueprint.local_hwbs) == 3 * 7
    for county in ("c001", "c002", "c003"):
        slugs = {d.slug for d in blueprint.districts if d.slug.startswith(f"{county}-")}
        assert slugs == {f"{county}-{d.slug}" for d in kent.districts}
    # A county's Local HWBs link only to its own districts, as Kent's do to Kent's.
    swale = [h for h in blueprint.local_hwbs if "c002-swale" in h.districts]
    assert {h.slug for h in swale} == {"hwb-canterbury-and-coastal-c002", "hwb-swale-c002"}
    assert all(d.startswith("c002-") for h in swale for d in h.districts)
    # Everything but the districts is the source's.
    assert blueprint.cadence == kent.cadence
    assert blueprint.core_sector_slugs == kent.core_sector_slugs
    assert blueprint.term_date_paths == kent.term_date_paths
    assert [b.slug for b in blueprint.bodies_list() if b.kind is BodyKind.CHWB] == ["chwb"]


def test_the_register_has_members_held_meetings_and_attendance_in_every_district() -> None:
    blueprint = national(2)
    register = build_demo_register(blueprint, TODAY, 3)
    lcpgs = [b.slug for b in register.bodies if b.kind is BodyKind.LCPG]
    assert len(lcpgs) == 24
    members = Counter(m.body for m in register.memberships if m.is_current(TODAY))
    held = {m.id: m.body for m in register.meetings if m.status is MeetingStatus.HELD}
    held_per_body = Counter(held.values())
    attended = Counter(
        held[a.meeting_id]
        for a in register.attendance
        if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)
    )
    for slug in lcpgs:
        assert members[slug] >= len(blueprint.core_sector_slugs), slug
        assert held_per_body[slug] >= 3 * 4, slug  # three years, at least quarterly
        assert attended[slug] > held_per_body[slug], slug
    assert {a.meeting_id for a in register.attendance} <= set(held)
    assert len({p.email for p in register.people}) == len(register.people)
    assert all(p.email.endswith("@example.org") for p in register.people)
    assert held_per_body["chwb"] >= 3 * 5


def test_the_register_is_the_same_every_time() -> None:
    assert build_demo_register(national(2), TODAY, 2) == build_demo_register(national(2), TODAY, 2)


@pytest.mark.parametrize("counties", [0, -1, 1000])
def test_the_number_of_counties_is_checked(counties: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 999"):
        national_blueprint_text(KENT_RAW, counties)
