"""Planning a year: Kent and 150 counties of twelve districts (issue 3's targets: under 0.5 s
and under 10 s for the planning itself). `lcpg plan` as a process is measured by
``bench/startup.py`` (Kent) and ``bench/scale.py`` (the national register)."""

from __future__ import annotations

from datetime import date

from bench.results import Result, median_seconds
from cycle.planner import plan_year
from lcpg.blueprints import KENT
from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import load_blueprint
from lcpg.services.planning import chwb_dates_for, day_rules

YEAR = 2027
TODAY = date(2026, 11, 22)
COUNTIES = 150


def run() -> list[Result]:
    blueprint = load_blueprint(KENT)
    register = build_demo_register(blueprint, TODAY)
    chwb = chwb_dates_for(YEAR, blueprint, register)

    def plan_kent() -> object:
        return plan_year(
            YEAR, chwb, blueprint, register, day_rules(blueprint, range(YEAR - 1, YEAR + 2)), TODAY
        )

    plan_kent()  # warm the holiday tables once, as a long-running process would have
    kent = median_seconds(plan_kent, runs=20)

    # 150 counties: each its own register of the demo's size (people, memberships, two years
    # of meetings) planned in turn, as a national deployment would.
    counties = [build_demo_register(blueprint, TODAY) for _ in range(COUNTIES)]

    def plan_all() -> None:
        for county in counties:
            plan_year(
                YEAR,
                chwb,
                blueprint,
                county,
                day_rules(blueprint, range(YEAR - 1, YEAR + 2)),
                TODAY,
            )

    national = median_seconds(plan_all, runs=3)

    return [
        Result("plan: Kent, one year (in process)", kent, 0.5, 20, "12 LCPGs, 7 cycles"),
        Result(f"plan: {COUNTIES} counties, one year each", national, 10.0, 3, "1,800 LCPGs"),
    ]
