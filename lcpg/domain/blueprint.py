"""The blueprint: the policy a county's partnership follows, loaded from a TOML file.

``load_blueprint(path)`` reads and validates a file such as ``lcpg/blueprints/kent.toml`` and
returns a frozen ``Blueprint``. Structure and types are checked by pydantic; cross-references (a
Local HWB naming an unknown district, a duplicated slug, an RRULE that does not parse) are checked
here.
Every mistake is reported together, each with the key that is wrong, e.g.
``districts[4].slug: field required``. Lists are counted from 1, as a reader counts the
``[[districts]]`` tables in the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dt_time
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lcpg.domain.model import Body, BodyKind, District
from lcpg.domain.policy_files import read_toml, validate
from lcpg.errors import BlueprintError

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CONFIG = {"extra": "forbid", "str_strip_whitespace": True}


def _slug_type() -> Any:
    from pydantic import StringConstraints

    return Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]


# pydantic validates these stdlib dataclasses through a TypeAdapter; ``__pydantic_config__``
# forbids unknown keys so that a misspelt key is reported rather than silently ignored.


@dataclass(frozen=True)
class Sector:
    """A membership sector (``police``) or invited seat (``kcc-member``)."""

    __pydantic_config__ = _CONFIG
    slug: str
    name: str


@dataclass(frozen=True)
class Role:
    """A role every LCPG must fill. ``sector``: the sector its holder must sit for, if any.
    ``per_linked_hwb``: one holder is needed per Local HWB the district links to."""

    __pydantic_config__ = _CONFIG
    slug: str
    name: str
    clause: str
    sector: str | None = None
    per_linked_hwb: bool = False


@dataclass(frozen=True)
class LocalHwb:
    """A Local Health and Wellbeing Board and the districts whose LCPGs report to it."""

    __pydantic_config__ = _CONFIG
    slug: str
    name: str
    districts: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class DistrictSpec:
    """A district as written in the blueprint."""

    __pydantic_config__ = _CONFIG
    slug: str
    name: str
    former_names: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class CountyBody:
    """A county-wide body (CHWB, Chairs Group, Safeguarding Group) and the clause behind it."""

    __pydantic_config__ = _CONFIG
    name: str
    short_name: str
    clause: str


@dataclass(frozen=True)
class Cadence:
    """The meeting cycle: CHWB dates from an RRULE, and how LCPGs and the Chairs Group fit.

    ``travel_gap_minutes``: the least time between the end of one meeting and the start of the
    next for a person who sits on both bodies; the planner books people by time, not by day.
    """

    __pydantic_config__ = _CONFIG
    chwb_rrule: str
    chwb_first: datetime
    cycle_weeks: int
    meetings_per_year: int
    days_after_chwb: int
    days_before_next_chwb: int
    max_gap_weeks: int
    meeting_minutes: int
    clause: str
    chairs_clause: str
    chwb_clause: str
    travel_gap_minutes: int = 60


@dataclass(frozen=True)
class Slot:
    """A default weekday and time for a body's meetings, and where they are held."""

    __pydantic_config__ = _CONFIG
    weekday: str
    time: str
    venue: str = ""

    @property
    def weekday_number(self) -> int:
        """Monday is 0."""
        return WEEKDAYS.index(self.weekday)

    @property
    def start_time(self) -> dt_time:
        return dt_time.fromisoformat(self.time)


@dataclass(frozen=True)
class RecurringSlot:
    """A body that meets on its own recurrence rule rather than the cycle's (the
    Safeguarding Group), anchored at ``first`` like the CHWB's rule."""

    __pydantic_config__ = _CONFIG
    rrule: str
    first: datetime
    venue: str = ""


@dataclass(frozen=True)
class Planning:
    """How the planner places meetings when a body has no preference of its own.

    ``term_dates``: term-date files (paths relative to the blueprint file), one per academic
    year; school holidays inside the years they cover are avoided.
    """

    __pydantic_config__ = _CONFIG
    lcpg: Slot
    chairs_group: Slot
    chwb_venue: str
    safeguarding_group: RecurringSlot
    term_dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleConfig:
    """A compliance rule as this blueprint sets it: severity, the clause it enforces (quoted
    from the source document), the kinds of body it applies to (None: the rule's own), its
    parameters, and whether it runs at all."""

    __pydantic_config__ = _CONFIG
    severity: Literal["error", "warning", "info"]
    clause: str
    applies_to: tuple[str, ...] | None = None
    params: dict[str, int | float | str | bool] = field(default_factory=dict)
    enabled: bool = True


@dataclass(frozen=True)
class MembershipPolicy:
    """Who must be represented on every LCPG and who must be invited."""

    __pydantic_config__ = _CONFIG
    clause: str
    invited_clause: str
    attendance_clause: str
    core_sectors: tuple[Sector, ...]
    invited: tuple[Sector, ...]
    additional_slug: str = "additional"


@dataclass(frozen=True)
class Blueprint:
    """A validated blueprint. Build one with ``load_blueprint``."""

    __pydantic_config__ = _CONFIG
    slug: str
    name: str
    timezone: str
    cadence: Cadence
    bodies: dict[str, CountyBody]
    districts: tuple[DistrictSpec, ...]
    local_hwbs: tuple[LocalHwb, ...]
    membership: MembershipPolicy
    roles: tuple[Role, ...]
    planning: Planning
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    source: str = ""
    holiday_country: str = "GB"
    holiday_subdivision: str | None = None
    path: str = field(default="", compare=False)

    @cached_property
    def zone(self) -> ZoneInfo:
        """The time zone that meeting times are written in."""
        return ZoneInfo(self.timezone)

    @property
    def term_date_paths(self) -> tuple[Path, ...]:
        """The term-date files, resolved against the blueprint file's folder."""
        folder = Path(self.path).parent
        return tuple(folder / name for name in self.planning.term_dates)

    @property
    def district_list(self) -> tuple[District, ...]:
        """The districts as domain records, in blueprint order."""
        return tuple(District(d.slug, d.name, d.former_names) for d in self.districts)

    @property
    def core_sector_slugs(self) -> tuple[str, ...]:
        """Slugs of the sectors every LCPG must have represented."""
        return tuple(s.slug for s in self.membership.core_sectors)

    @property
    def sector_slugs(self) -> tuple[str, ...]:
        """Every value a membership's ``sector`` may take: core, invited and additional."""
        return (
            *self.core_sector_slugs,
            *(s.slug for s in self.membership.invited),
            self.membership.additional_slug,
        )

    @property
    def role_slugs(self) -> tuple[str, ...]:
        """Slugs of the roles every LCPG must fill."""
        return tuple(r.slug for r in self.roles)

    def hwbs_for(self, district: str) -> tuple[LocalHwb, ...]:
        """The Local HWBs that ``district``'s LCPG reports to."""
        return tuple(h for h in self.local_hwbs if district in h.districts)

    def bodies_list(self) -> tuple[Body, ...]:
        """Every body the blueprint defines: county bodies, one LCPG a district, Local HWBs."""
        county_kinds = {
            "chwb": BodyKind.CHWB,
            "chairs-group": BodyKind.CHAIRS_GROUP,
            "safeguarding-group": BodyKind.SAFEGUARDING_GROUP,
        }
        return (
            *(Body(slug, self.bodies[slug].name, kind) for slug, kind in county_kinds.items()),
            *(
                Body(f"lcpg-{d.slug}", f"{d.name} LCPG", BodyKind.LCPG, d.slug)
                for d in self.districts
            ),
            *(Body(h.slug, h.name, BodyKind.LOCAL_HWB) for h in self.local_hwbs),
        )


REQUIRED_COUNTY_BODIES = ("chwb", "chairs-group", "safeguarding-group")


def load_blueprint(path: Path) -> Blueprint:
    """Read and validate the blueprint at ``path``.

    Raises ``BlueprintError`` listing every problem, each with the key that is wrong, when the
    file is missing, is not TOML, or does not describe a consistent blueprint.
    """
    return parse_blueprint(read_toml(path), path)


def parse_blueprint(raw: dict[str, Any], path: Path) -> Blueprint:
    """Validate an already-parsed TOML document; see ``load_blueprint``."""
    blueprint = validate(Blueprint, {**raw, "path": str(path)}, path)
    problems = _consistency_problems(blueprint)
    if problems:
        raise BlueprintError(path, problems)
    return blueprint


def _consistency_problems(bp: Blueprint) -> list[str]:
    """Every way ``bp`` (valid field by field) is inconsistent as a whole, as ``key: message``
    lines in a fixed order: slugs, sectors, Local HWBs, county bodies, roles, time zone,
    cadence, planning."""
    problems: list[str] = []
    problems.extend(_slug_problems("districts", [d.slug for d in bp.districts]))
    problems.extend(_slug_problems("local_hwbs", [h.slug for h in bp.local_hwbs]))
    problems.extend(
        _slug_problems("membership.core_sectors", [s.slug for s in bp.membership.core_sectors])
    )
    problems.extend(_slug_problems("membership.invited", [s.slug for s in bp.membership.invited]))
    problems.extend(_slug_problems("roles", [r.slug for r in bp.roles]))
    if not re.match(SLUG_PATTERN, bp.slug):
        problems.append(f"slug: {bp.slug!r} is not a slug (a-z, 0-9, hyphens)")

    sectors = list(bp.sector_slugs)
    for sector in sorted({s for s in sectors if sectors.count(s) > 1}):
        problems.append(f"membership: sector {sector!r} is both core and invited (or additional)")

    problems.extend(_local_hwb_problems(bp))
    problems.extend(_county_body_problems(bp))

    for index, role in enumerate(bp.roles, start=1):
        if role.sector is not None and role.sector not in sectors:
            problems.append(f"roles[{index}].sector: unknown sector {role.sector!r}")

    try:
        ZoneInfo(bp.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: unknown time zone {bp.timezone!r}")

    problems.extend(_cadence_problems(bp.cadence))
    problems.extend(_planning_problems(bp.planning))
    return problems


def _slug_problems(key: str, slugs: Sequence[str]) -> list[str]:
    """A problem for each of ``slugs`` (the list at ``key``, numbered from 1) that is not a
    slug, and for each that repeats an earlier one."""
    problems: list[str] = []
    seen: set[str] = set()
    for index, slug in enumerate(slugs, start=1):
        if not re.match(SLUG_PATTERN, slug):
            problems.append(f"{key}[{index}].slug: {slug!r} is not a slug (a-z, 0-9, hyphens)")
        if slug in seen:
            problems.append(f"{key}[{index}].slug: {slug!r} is used twice")
        seen.add(slug)
    return problems


def _local_hwb_problems(bp: Blueprint) -> list[str]:
    """A problem for each Local HWB of ``bp`` with no district, with a district ``bp`` does
    not define, or with a slug another body (an LCPG or a county body) has, in HWB order."""
    problems: list[str] = []
    district_slugs = {d.slug for d in bp.districts}
    taken = {f"lcpg-{d}" for d in district_slugs} | set(REQUIRED_COUNTY_BODIES)
    for index, hwb in enumerate(bp.local_hwbs, start=1):
        if not hwb.districts:
            problems.append(
                f"local_hwbs[{index}].districts: a Local HWB needs at least one district"
            )
        for district in hwb.districts:
            if district not in district_slugs:
                problems.append(f"local_hwbs[{index}].districts: unknown district {district!r}")
        if hwb.slug in taken:
            problems.append(f"local_hwbs[{index}].slug: {hwb.slug!r} clashes with another body")
    return problems


def _county_body_problems(bp: Blueprint) -> list[str]:
    """A problem for each required county body ``bp`` lacks, then for each body it has that
    is not one of them."""
    problems: list[str] = []
    for slug in REQUIRED_COUNTY_BODIES:
        if slug not in bp.bodies:
            problems.append(f"bodies.{slug}: required table is missing")
    for slug in bp.bodies:
        if slug not in REQUIRED_COUNTY_BODIES:
            problems.append(
                f"bodies.{slug}: unknown county body (expected {', '.join(REQUIRED_COUNTY_BODIES)})"
            )
    return problems


def _planning_problems(planning: Planning) -> list[str]:
    from dateutil.rrule import rrulestr

    problems: list[str] = []
    for key, slot in (("lcpg", planning.lcpg), ("chairs_group", planning.chairs_group)):
        if slot.weekday not in WEEKDAYS[:5]:
            problems.append(
                f"planning.{key}.weekday: {slot.weekday!r} is not a working day "
                "(mon, tue, wed, thu, fri)"
            )
        try:
            dt_time.fromisoformat(slot.time)
        except ValueError:
            problems.append(f"planning.{key}.time: {slot.time!r} is not a time like 10:00")
    try:
        rrulestr(planning.safeguarding_group.rrule, dtstart=planning.safeguarding_group.first)
    except (ValueError, TypeError) as exc:
        problems.append(f"planning.safeguarding_group.rrule: not a valid RRULE ({exc})")
    return problems


def _cadence_problems(cadence: Cadence) -> list[str]:
    from dateutil.rrule import rrulestr

    problems: list[str] = []
    try:
        rrulestr(cadence.chwb_rrule, dtstart=cadence.chwb_first)
    except (ValueError, TypeError) as exc:
        problems.append(f"cadence.chwb_rrule: not a valid RRULE ({exc})")
    for key in ("cycle_weeks", "meetings_per_year", "max_gap_weeks", "meeting_minutes"):
        if getattr(cadence, key) <= 0:
            problems.append(f"cadence.{key}: must be greater than 0")
    for key in ("days_after_chwb", "days_before_next_chwb", "travel_gap_minutes"):
        if getattr(cadence, key) < 0:
            problems.append(f"cadence.{key}: must not be negative")
    if cadence.days_after_chwb + cadence.days_before_next_chwb >= cadence.cycle_weeks * 7:
        problems.append(
            "cadence: days_after_chwb + days_before_next_chwb leave no room in the cycle"
        )
    return problems
