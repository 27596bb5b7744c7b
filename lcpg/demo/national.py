"""A synthetic national blueprint: N counties, each a copy of one county's districts.

``lcpg demo --scale COUNTIES`` and the benchmarks use it to hold a whole country in one
database: the blueprint is the source county's with every district and Local HWB repeated per
county (slugs ``c001-ashford`` ..., ``hwb-west-kent-c001`` ...), and everything else (the CHWB,
its cadence, the sectors, roles and rules) kept as it is. The demo register built against it
(``build_demo_register(blueprint, today, years)``) then has N counties of twelve districts.

Pure: it takes the source blueprint's parsed TOML and returns the new file's text.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import tomli_w

MAX_COUNTIES = 999
"""Slugs carry the county as three digits."""


def county_prefix(number: int) -> str:
    """The slug prefix of county ``number`` (1-based): ``c001``."""
    return f"c{number:03d}"


def national_blueprint_slug(counties: int) -> str:
    """The synthetic blueprint's slug, also the stem of its file name: ``national-150``."""
    return f"national-{counties}"


def national_blueprint_text(source: Mapping[str, Any], counties: int) -> str:
    """The TOML text of a blueprint of ``counties`` copies of ``source``'s districts and Local
    HWBs (``source`` is a blueprint file as ``tomllib`` parses it).

    Each district keeps its name with the county added (``Ashford (c001)``); former names are
    dropped, since they belong to the real county. Term-date paths are kept as they are:
    the caller puts the term-date files beside the new file. Raises ``ValueError`` when
    ``counties`` is not between 1 and ``MAX_COUNTIES``.
    """
    if not 1 <= counties <= MAX_COUNTIES:
        raise ValueError(f"the number of counties must be between 1 and {MAX_COUNTIES}")
    data = copy.deepcopy(dict(source))
    districts = data.pop("districts", [])
    hwbs = data.pop("local_hwbs", [])
    national_districts = []
    national_hwbs = []
    for number in range(1, counties + 1):
        prefix = county_prefix(number)
        for district in districts:
            national_districts.append(
                {"slug": f"{prefix}-{district['slug']}", "name": f"{district['name']} ({prefix})"}
            )
        for hwb in hwbs:
            national_hwbs.append(
                {
                    **hwb,
                    "slug": f"{hwb['slug']}-{prefix}",
                    "name": f"{hwb['name']} ({prefix})",
                    "districts": [f"{prefix}-{slug}" for slug in hwb["districts"]],
                }
            )
    data["slug"] = national_blueprint_slug(counties)
    data["name"] = f"Synthetic national register: {counties} counties of {data['name']}"
    data["districts"] = national_districts
    data["local_hwbs"] = national_hwbs
    header = (
        f"# A synthetic blueprint of {counties} counties, written by `lcpg demo --scale`.\n"
        f"# Every county is a copy of the districts and Local HWBs of {source['name']};\n"
        "# the CHWB, cadence, sectors, roles and rules are that blueprint's.\n\n"
    )
    return header + tomli_w.dumps(data)
