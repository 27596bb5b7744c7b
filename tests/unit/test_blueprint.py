"""The blueprint loader: Kent as DESIGN.md section 2 describes it, a second county, and errors
that name the key that is wrong."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from lcpg.blueprints import KENT
from lcpg.domain.blueprint import Blueprint, load_blueprint, parse_blueprint
from lcpg.domain.model import BodyKind
from lcpg.errors import BlueprintError
from tests.conftest import FIXTURES

KENT_DISTRICTS = [
    "ashford",
    "canterbury",
    "dartford",
    "dover",
    "folkestone-and-hythe",
    "gravesham",
    "maidstone",
    "sevenoaks",
    "swale",
    "thanet",
    "tonbridge-and-malling",
    "tunbridge-wells",
]
KENT_SECTORS = [
    "district-council",
    "schools-fe",
    "social-care",
    "ccg",
    "early-years",
    "early-help",
    "voluntary-sector",
    "police",
    "childrens-commissioning",
    "public-health",
    "housing",
    "education",
]


def kent_raw() -> dict:
    return tomllib.loads(KENT.read_text(encoding="utf-8"))


def test_kent_has_the_twelve_districts_sectors_and_four_roles(kent: Blueprint) -> None:
    assert [d.slug for d in kent.districts] == KENT_DISTRICTS
    assert list(kent.core_sector_slugs) == KENT_SECTORS
    assert [s.slug for s in kent.membership.invited] == ["kcc-member", "district-councillor"]
    assert list(kent.role_slugs) == ["chair", "coordinator", "safeguarding-lead", "hwb-link"]
    assert kent.sector_slugs[-1] == "additional"
    folkestone = next(d for d in kent.districts if d.slug == "folkestone-and-hythe")
    assert folkestone.name == "Folkestone & Hythe"
    assert folkestone.former_names == ("Shepway",)


def test_kent_local_hwbs_and_their_districts(kent: Blueprint) -> None:
    links = {h.slug: list(h.districts) for h in kent.local_hwbs}
    assert links == {
        "hwb-ashford": ["ashford"],
        "hwb-canterbury-and-coastal": ["canterbury", "swale"],
        "hwb-dartford-gravesham-and-swanley": ["dartford", "gravesham", "sevenoaks"],
        "hwb-south-kent-coast": ["dover", "folkestone-and-hythe"],
        "hwb-swale": ["swale"],
        "hwb-thanet": ["thanet"],
        "hwb-west-kent": ["maidstone", "sevenoaks", "tonbridge-and-malling", "tunbridge-wells"],
    }
    # Sevenoaks and Swale each link to two boards.
    assert [h.slug for h in kent.hwbs_for("sevenoaks")] == [
        "hwb-dartford-gravesham-and-swanley",
        "hwb-west-kent",
    ]
    assert len(kent.hwbs_for("swale")) == 2
    assert len(kent.hwbs_for("thanet")) == 1


def test_kent_bodies_are_county_bodies_twelve_lcpgs_and_seven_hwbs(kent: Blueprint) -> None:
    bodies = kent.bodies_list()
    slugs = [b.slug for b in bodies]
    assert slugs[:3] == ["chwb", "chairs-group", "safeguarding-group"]
    assert slugs[3:15] == [f"lcpg-{d}" for d in KENT_DISTRICTS]
    assert len(slugs) == 22 and len(set(slugs)) == 22
    gravesham = bodies[slugs.index("lcpg-gravesham")]
    assert (gravesham.name, gravesham.kind, gravesham.district) == (
        "Gravesham LCPG",
        BodyKind.LCPG,
        "gravesham",
    )
    assert sum(b.kind is BodyKind.LOCAL_HWB for b in bodies) == 7


def test_kent_cadence(kent: Blueprint) -> None:
    cadence = kent.cadence
    assert cadence.chwb_rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE"
    assert cadence.chwb_first == datetime(2016, 1, 13, 14, 0)
    assert (cadence.cycle_weeks, cadence.meetings_per_year) == (8, 6)
    assert cadence.days_after_chwb > 0 and cadence.days_before_next_chwb > 0
    assert "every two months" in cadence.clause


def test_a_second_blueprint_loads() -> None:
    wessex = load_blueprint(FIXTURES / "blueprints" / "wessex.toml")
    assert wessex.slug == "wessex"
    assert [b.slug for b in wessex.bodies_list()] == [
        "chwb",
        "chairs-group",
        "safeguarding-group",
        "lcpg-casterbridge",
        "lcpg-budmouth",
        "lcpg-sandbourne",
        "hwb-south-wessex",
        "hwb-east-wessex",
    ]
    assert wessex.sector_slugs == (
        "council",
        "schools",
        "health",
        "county-councillor",
        "additional",
    )


def problems_for(raw: dict) -> list[str]:
    with pytest.raises(BlueprintError) as caught:
        parse_blueprint(raw, Path("bad.toml"))
    return caught.value.problems


def test_missing_key_is_named_with_its_path() -> None:
    raw = kent_raw()
    del raw["districts"][3]["slug"]
    assert problems_for(raw) == ["districts[4].slug: required key is missing"]


def test_misspelt_key_is_reported_not_ignored() -> None:
    raw = kent_raw()
    raw["cadence"]["days_after_chbw"] = raw["cadence"].pop("days_after_chwb")
    problems = problems_for(raw)
    assert "cadence.days_after_chbw: unknown key (check the spelling)" in problems
    assert "cadence.days_after_chwb: required key is missing" in problems


def test_wrong_type_is_reported() -> None:
    raw = kent_raw()
    raw["cadence"]["cycle_weeks"] = "eight"
    (problem,) = problems_for(raw)
    assert problem.startswith("cadence.cycle_weeks: ")
    assert "integer" in problem


def test_inconsistent_references_are_all_reported() -> None:
    raw = kent_raw()
    raw["local_hwbs"][0]["districts"] = ["ashfrod"]
    raw["districts"][1]["slug"] = "ashford"
    raw["roles"][2]["sector"] = "district-counsil"
    raw["cadence"]["chwb_rrule"] = "FREQ=FORTNIGHTLY"
    raw["timezone"] = "Europe/Londinium"
    problems = problems_for(raw)
    assert "local_hwbs[1].districts: unknown district 'ashfrod'" in problems
    assert "districts[2].slug: 'ashford' is used twice" in problems
    assert "roles[3].sector: unknown sector 'district-counsil'" in problems
    assert any(p.startswith("cadence.chwb_rrule: not a valid RRULE") for p in problems)
    assert "timezone: unknown time zone 'Europe/Londinium'" in problems


def test_bad_slug_and_missing_county_body() -> None:
    raw = kent_raw()
    raw["districts"][0]["slug"] = "Ashford Town"
    del raw["bodies"]["chairs-group"]
    problems = problems_for(raw)
    assert "districts[1].slug: 'Ashford Town' is not a slug (a-z, 0-9, hyphens)" in problems
    assert "bodies.chairs-group: required table is missing" in problems


def test_cadence_that_leaves_no_room_is_refused() -> None:
    raw = kent_raw()
    raw["cadence"]["days_after_chwb"] = 40
    raw["cadence"]["days_before_next_chwb"] = 20
    assert problems_for(raw) == [
        "cadence: days_after_chwb + days_before_next_chwb leave no room in the cycle"
    ]


def test_travel_gap_is_a_cadence_parameter_with_a_default() -> None:
    raw = kent_raw()
    assert raw["cadence"]["travel_gap_minutes"] == 60  # Kent states it
    del raw["cadence"]["travel_gap_minutes"]
    assert parse_blueprint(raw, Path("kent.toml")).cadence.travel_gap_minutes == 60
    raw["cadence"]["travel_gap_minutes"] = -15
    assert problems_for(raw) == ["cadence.travel_gap_minutes: must not be negative"]


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(BlueprintError, match="file not found"):
        load_blueprint(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("slug = \n", encoding="utf-8")
    with pytest.raises(BlueprintError, match=r"broken\.toml is not valid:\n  not valid TOML"):
        load_blueprint(broken)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "Caf\xe9"\n')
    with pytest.raises(BlueprintError, match="not UTF-8"):
        load_blueprint(latin)
