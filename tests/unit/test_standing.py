"""Where a district stands in words (``rules.standing``): shared by the dashboard and e-mail."""

from __future__ import annotations

from datetime import date

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Body, BodyKind
from rules.standing import (
    NO_MEETINGS,
    cadence_words,
    district_name,
    missing_sectors,
    vacant_roles,
)
from tests.unit.rules_fixtures import AS_OF, GRAVESHAM, compliant, without_sectors


def test_a_district_is_named_as_the_blueprint_names_it(kent: Blueprint) -> None:
    # The register's body may be renamed; the district keeps the blueprint's name.
    body = Body(GRAVESHAM, "Gravesham Partnership", BodyKind.LCPG, "gravesham")
    assert district_name(kent, body) == "Gravesham"


def test_a_district_unknown_to_the_blueprint_is_named_from_its_body(kent: Blueprint) -> None:
    body = Body("lcpg-elsewhere", "Elsewhere LCPG", BodyKind.LCPG, "elsewhere")
    assert district_name(kent, body) == "Elsewhere"


def test_a_compliant_district_lacks_no_sector_and_no_role(kent: Blueprint) -> None:
    register = compliant(kent)
    body = next(b for b in register.bodies if b.slug == GRAVESHAM)
    assert missing_sectors(register, kent, GRAVESHAM, AS_OF) == ()
    assert vacant_roles(register, kent, body, AS_OF) == ()


def test_a_missing_sector_is_named(kent: Blueprint) -> None:
    register = without_sectors(compliant(kent), "police")
    police = next(s.name for s in kent.membership.core_sectors if s.slug == "police")
    assert missing_sectors(register, kent, GRAVESHAM, AS_OF) == (police,)


def test_a_body_that_held_no_meetings_says_so(kent: Blueprint) -> None:
    register = compliant(kent)
    window = (date(2010, 1, 1), date(2010, 12, 31))
    assert cadence_words(register, GRAVESHAM, [], window) == (NO_MEETINGS, None)
