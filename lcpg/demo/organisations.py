"""Plausible organisations for demo members, by sector, and the county's naming conventions.

Names are generic or invented ("KCC Early Help and Preventative Services", "Weald and Coast
Homes"); none is taken from the seed documents' lists of local providers. Templates are filled
from the blueprint (district and Local HWB names), so another county's blueprint still gets
sensible, if generic, organisations.
"""

from __future__ import annotations

import random

from lcpg.domain.blueprint import Blueprint, LocalHwb
from lcpg.domain.model import District

# Kent's districts are boroughs, a city or districts; anything not listed (another county's
# blueprint) falls back to "District Council", which is the commonest style.
_COUNCIL_STYLES: dict[str, str] = {
    "ashford": "Borough Council",
    "canterbury": "City Council",
    "dartford": "Borough Council",
    "gravesham": "Borough Council",
    "maidstone": "Borough Council",
    "swale": "Borough Council",
    "tonbridge-and-malling": "Borough Council",
    "tunbridge-wells": "Borough Council",
}

_HWB_SUFFIX = " Local Health and Wellbeing Board"

# Placeholders: {county} "Kent", {cc} "KCC", {council} "Dover District Council",
# {district} "Dover", {ccg} "South Kent Coast".
SECTOR_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "district-council": ("{council}",),
    "schools-fe": (
        "{district} Primary Headteachers' Forum",
        "{district} Secondary Heads' Group",
        "{district} Further Education College",
    ),
    "social-care": ("{cc} Children's Social Work Services",),
    "ccg": ("NHS {ccg} CCG",),
    "early-years": (
        "Little Acorns Pre-School, {district}",
        "Ladybird Lane Day Nursery, {district}",
        "{district} Early Years Providers' Network",
    ),
    "early-help": ("{cc} Early Help and Preventative Services",),
    "voluntary-sector": (
        "{district} Youth Trust",
        "{district} Family Mentoring Project",
        "{county} Young Carers Network",
    ),
    "police": ("{county} Police",),
    "childrens-commissioning": ("{cc} Strategic Commissioning",),
    "public-health": ("{cc} Public Health",),
    "housing": ("{council} Housing Options", "Weald and Coast Homes", "Downland Housing Trust"),
    "education": ("{cc} Education and Young People's Services",),
    "kcc-member": ("{county} County Council",),
    "district-councillor": ("{council}",),
    "additional": (
        "{county} Fire and Rescue Service",
        "{cc} Youth Service",
        "{county} Community Health NHS Trust (School Nursing)",
        "Jobcentre Plus, {district}",
        "{district} Children's Centres",
        "{county} Libraries",
    ),
}

# The co-ordinator is an officer who services the group, employed by the county or the district.
COORDINATOR_ORGANISATIONS: tuple[str, ...] = (
    "{cc} Early Help and Preventative Services",
    "{council}",
)


def county_name(blueprint: Blueprint) -> str:
    """The county's name from the blueprint slug: ``"kent"`` -> ``"Kent"``."""
    return blueprint.slug.replace("-", " ").title()


def council_name(district: District) -> str:
    """The district's council: ``"Canterbury City Council"``, ``"Dover District Council"``."""
    return f"{district.name} {_COUNCIL_STYLES.get(district.slug, 'District Council')}"


def ccg_area(blueprint: Blueprint, district: District) -> str:
    """The CCG area a district's health members come from, named after one of its Local HWBs.

    A board named after the district wins (Swale -> "Swale"); otherwise the board covering most
    districts, the wider CCG (Sevenoaks -> "West Kent").
    """
    boards = blueprint.hwbs_for(district.slug)
    if not boards:
        return district.name
    named = [b for b in boards if district.name in b.name]
    board: LocalHwb = named[0] if named else max(boards, key=lambda b: len(b.districts))
    return board.name.removesuffix(_HWB_SUFFIX)


class Organisations:
    """Fills the organisation templates for one district."""

    def __init__(self, blueprint: Blueprint, district: District) -> None:
        county = county_name(blueprint)
        self._fields = {
            "county": county,
            "cc": f"{county[:1]}CC",
            "council": council_name(district),
            "district": district.name,
            "ccg": ccg_area(blueprint, district),
        }

    def for_sector(self, sector: str, rng: random.Random) -> str:
        """An organisation for a member sitting for ``sector`` (any of the blueprint's slugs)."""
        templates = SECTOR_ORGANISATIONS.get(sector, ("{district} partnership member",))
        return rng.choice(templates).format(**self._fields)

    def for_coordinator(self, rng: random.Random) -> str:
        """The employer of a co-ordinator."""
        return rng.choice(COORDINATOR_ORGANISATIONS).format(**self._fields)
