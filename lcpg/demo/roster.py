"""The demo's people and their dated seats on the LCPGs.

Every LCPG gets one member per core sector, the invited seats (KCC Local Member, lead District
Councillor) and one to three additional members, one of whom is the co-ordinator. Seats start
when the district's group was founded, a few years before ``today``, and stay open unless a
scenario (see ``lcpg.demo.scenarios``) or an ordinary change of staff ends them. Roles ride on the
membership rows, so a change of role is a new dated row ("co-ordinator until September").

Membership of the Chairs Group and the Safeguarding Group is not written: the register derives
it from the ``chair`` and ``safeguarding-lead`` roles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lcpg.demo.calendar_math import last_day_before, months_before
from lcpg.demo.names import NameBook
from lcpg.demo.organisations import Organisations
from lcpg.demo.scenarios import (
    CHAIR,
    CO_CHAIR_DISTRICT,
    COORDINATOR,
    COORDINATOR_HANDOVER_DISTRICT,
    COORDINATOR_LEFT_MONTHS_AGO,
    HISTORY_YEARS,
    HWB_LINK,
    LAPSED_MONTHS_AGO,
    LAPSED_SECTOR,
    MISSING_SECTORS,
    MISSING_SECTORS_DISTRICT,
    NEW_CHAIR_DISTRICT,
    SAFEGUARDING_LEAD,
    VACANT_COORDINATOR_DISTRICT,
)
from lcpg.demo.seeding import rng_for
from lcpg.domain.blueprint import Blueprint, LocalHwb
from lcpg.domain.model import District, Membership, Person

# Sectors whose members are asked to chair or to attend the Local HWB, in order of preference.
# Police and Housing are left out so that Swale's missing sectors never take a role with them.
CHAIR_SECTORS: tuple[str, ...] = (
    "voluntary-sector",
    "schools-fe",
    "early-help",
    "public-health",
    "education",
    "early-years",
)
HWB_LINK_SECTORS: tuple[str, ...] = (
    "ccg",
    "public-health",
    "childrens-commissioning",
    "early-help",
    "social-care",
)

# A chance of one ordinary change of staff in a core seat, so that ended-and-replaced rows are
# common, not only where a scenario needs them.
TURNOVER_CHANCE = 0.5

Span = tuple[date, date | None, tuple[str, ...]]


@dataclass(frozen=True)
class HwbLink:
    """A membership row that carries ``hwb-link`` and the Local HWB its holder attends.

    The register's role has no board attached (the rule only counts holders); the demo keeps
    the pairing so that Local HWB meetings can be attended by the right person.
    """

    hwb: str
    membership: Membership


@dataclass(frozen=True)
class Roster:
    """Everyone in the demo register and their LCPG memberships, in district order."""

    people: tuple[Person, ...]
    memberships: tuple[Membership, ...]
    hwb_links: tuple[HwbLink, ...]


def build_roster(blueprint: Blueprint, today: date, years: int = HISTORY_YEARS) -> Roster:
    """People and dated LCPG memberships for every district of ``blueprint`` as of ``today``.

    Deterministic: a district's draws come from its own seeded generator, so the same
    ``blueprint`` and ``today`` always give equal rosters.
    """
    book = NameBook()
    people: list[Person] = []
    memberships: list[Membership] = []
    links: list[HwbLink] = []
    for district in blueprint.district_list:
        builder = _DistrictRoster(blueprint, district, today, book, years)
        builder.build()
        people.extend(builder.people)
        memberships.extend(builder.memberships)
        links.extend(builder.links)
    return Roster(tuple(people), tuple(memberships), tuple(links))


def _sorted_roles(*roles: str) -> tuple[str, ...]:
    return tuple(sorted(roles))


class _DistrictRoster:
    """Builds one district's seats; used once, through ``build``."""

    def __init__(
        self,
        blueprint: Blueprint,
        district: District,
        today: date,
        book: NameBook,
        years: int = HISTORY_YEARS,
    ) -> None:
        self.blueprint = blueprint
        self.district = district
        self.today = today
        self.book = book
        self.rng = rng_for("roster", district.slug)
        self.body = f"lcpg-{district.slug}"
        self.orgs = Organisations(blueprint, district)
        # Founded in some month of the year before the history starts: every meeting of the
        # history (``years`` long, two by default) has a full membership.
        self.founding = date(today.year - years - 1, self.rng.randint(1, 12), 1)
        self.people: list[Person] = []
        self.memberships: list[Membership] = []
        self.links: list[HwbLink] = []
        # Filled by ``_core_roles``: who chairs, and which sector links to which Local HWB.
        self.chair_sectors: list[str] = []
        self.link_sectors: dict[str, LocalHwb] = {}

    def build(self) -> None:
        roles = self._core_roles()
        self._core_seats(roles)
        for invited in self.blueprint.membership.invited:
            self._seat(invited.slug, self.orgs.for_sector(invited.slug, self.rng))
        self._additional_seats()

    # -- roles ------------------------------------------------------------------------------

    def _safeguarding_sector(self) -> str | None:
        """The sector the safeguarding lead must sit for (the District Council in Kent)."""
        role = next((r for r in self.blueprint.roles if r.slug == SAFEGUARDING_LEAD), None)
        return role.sector if role is not None else None

    def _core_roles(self) -> dict[str, list[str]]:
        """Which core sector's member holds which roles; also records the HWB link pairing."""
        core = self.blueprint.core_sector_slugs
        safeguarding = self._safeguarding_sector()
        roles: dict[str, list[str]] = {sector: [] for sector in core}
        if safeguarding in roles:
            roles[safeguarding].append(SAFEGUARDING_LEAD)
        candidates = [s for s in CHAIR_SECTORS if s in roles and s != safeguarding]
        chair_count = 2 if self.district.slug == CO_CHAIR_DISTRICT else 1
        self.chair_sectors = self.rng.sample(candidates, k=min(chair_count, len(candidates)))
        for sector in self.chair_sectors:
            roles[sector].append(CHAIR)
        link_candidates = [s for s in HWB_LINK_SECTORS if s in roles and not roles[s]]
        self.link_sectors = dict(
            zip(link_candidates, self.blueprint.hwbs_for(self.district.slug), strict=False)
        )
        for sector in self.link_sectors:
            roles[sector].append(HWB_LINK)
        return roles

    # -- seats ------------------------------------------------------------------------------

    def _seat(
        self, sector: str, organisation: str, spans: Sequence[Span] | None = None
    ) -> list[Membership]:
        """A new person sitting for ``sector``, one membership row per span (default: open)."""
        person = self.book.new_person(self.rng, organisation)
        self.people.append(person)
        rows = [
            Membership(self.body, person.email, sector, _sorted_roles(*roles), start, end)
            for start, end, roles in (spans or [(self.founding, None, ())])
        ]
        self.memberships.extend(rows)
        return rows

    def _core_seats(self, roles: dict[str, list[str]]) -> None:
        missing = MISSING_SECTORS if self.district.slug == MISSING_SECTORS_DISTRICT else ()
        turnover = self._turnover(roles, missing)
        new_chair_day = date(self.today.year, 1, 1)
        for sector, held in roles.items():
            if sector in missing and sector != LAPSED_SECTOR:
                continue  # never had a member
            organisation = self.orgs.for_sector(sector, self.rng)
            spans: list[Span]
            if sector in missing:
                left = months_before(self.today, LAPSED_MONTHS_AGO) - timedelta(days=1)
                spans = [(self.founding, left, tuple(held))]
            elif (
                self.district.slug == NEW_CHAIR_DISTRICT
                and self.chair_sectors
                and sector == self.chair_sectors[0]
            ):
                # Already a member; took the chair on 1 January: one row per span of roles.
                before = tuple(r for r in held if r != CHAIR)
                spans = [
                    (self.founding, new_chair_day - timedelta(days=1), before),
                    (new_chair_day, None, tuple(held)),
                ]
            elif turnover is not None and sector == turnover[0]:
                change = turnover[1]
                self._seat(sector, organisation, [(self.founding, change - timedelta(days=1), ())])
                spans = [(change, None, ())]
                organisation = self.orgs.for_sector(sector, self.rng)
            else:
                spans = [(self.founding, None, tuple(held))]
            rows = self._seat(sector, organisation, spans)
            if sector in self.link_sectors:
                self.links.extend(
                    HwbLink(self.link_sectors[sector].slug, row)
                    for row in rows
                    if HWB_LINK in row.roles
                )

    def _turnover(
        self, roles: dict[str, list[str]], missing: Sequence[str]
    ) -> tuple[str, date] | None:
        """Maybe one core seat (holding no role) whose member left and was replaced: the
        sector and the successor's first day, between a year after founding and two months
        before ``today``."""
        if self.rng.random() >= TURNOVER_CHANCE:
            return None
        candidates = [s for s, held in roles.items() if not held and s not in missing]
        if not candidates:
            return None
        earliest = self.founding + timedelta(days=365)
        latest = self.today - timedelta(days=60)
        return (
            self.rng.choice(candidates),
            earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1)),
        )

    def _additional_seats(self) -> None:
        additional = self.blueprint.membership.additional_slug
        self._coordinator_seats(additional)
        slug = self.district.slug
        if slug == NEW_CHAIR_DISTRICT:
            # The chair until 31 December: an additional member who then left the group.
            last_day = date(self.today.year, 1, 1) - timedelta(days=1)
            self._seat(
                additional,
                self.orgs.for_sector(additional, self.rng),
                [(self.founding, last_day, (CHAIR,))],
            )
        # One to three current additional members in all, counting the co-ordinator (Dover,
        # whose co-ordinator has gone, gets at least one other).
        others = self.rng.randint(1 if slug == VACANT_COORDINATOR_DISTRICT else 0, 2)
        for _ in range(others):
            start = (
                self.founding
                if self.rng.random() < 0.6
                else months_before(self.today, self.rng.randint(3, 20))
            )
            self._seat(additional, self.orgs.for_sector(additional, self.rng), [(start, None, ())])

    def _coordinator_seats(self, additional: str) -> None:
        role = (COORDINATOR,)
        slug = self.district.slug
        if slug == COORDINATOR_HANDOVER_DISTRICT:
            handover = last_day_before(self.today, 9, 30)
            self._seat(
                additional, self.orgs.for_coordinator(self.rng), [(self.founding, handover, role)]
            )
            successor_start = handover + timedelta(days=1)
            self._seat(
                additional, self.orgs.for_coordinator(self.rng), [(successor_start, None, role)]
            )
        elif slug == VACANT_COORDINATOR_DISTRICT:
            left = months_before(self.today, COORDINATOR_LEFT_MONTHS_AGO) - timedelta(days=1)
            self._seat(
                additional, self.orgs.for_coordinator(self.rng), [(self.founding, left, role)]
            )
        else:
            self._seat(
                additional, self.orgs.for_coordinator(self.rng), [(self.founding, None, role)]
            )
