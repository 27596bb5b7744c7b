"""The ``lcpg`` commands, one module per command group, each with its own report formatting.

``COMMANDS`` is the index ``cli.LcpgGroup`` loads them by: a command's module is imported only
when that command runs (or its own ``--help`` is asked for), and ``lcpg --help`` lists them
from the summaries here. A command module parses options with the shared decorators of
``cli.py``, calls one use case in ``lcpg.services`` and renders its result; heavy modules are
imported inside the command function. To add a command: a module here, a row in ``COMMANDS``
(the test ``tests/cli/test_cli_lazy_commands.py`` checks the summary against the command's
help), and a CliRunner test in ``tests/cli/``.
"""

from __future__ import annotations

from typing import NamedTuple


class Lazy(NamedTuple):
    """Where a command is defined (``module:attribute``), and the first paragraph of its help,
    which ``lcpg --help`` shortens as click would (a test keeps the two in step)."""

    path: str
    summary: str


COMMANDS = {
    "bodies": Lazy(
        "lcpg.commands.bodies:bodies",
        "The bodies that meet: CHWB, Chairs Group, Safeguarding Group, LCPGs, Local HWBs.",
    ),
    "calendar": Lazy(
        "lcpg.commands.calendar:calendar",
        "Draw the year at a glance: every body's meetings, windows, holidays and problems.",
    ),
    "check": Lazy("lcpg.commands.check:check", "Check the register against the blueprint's rules."),
    "demo": Lazy(
        "lcpg.commands.demo:demo",
        "Load the fictional Kent demo register (if the database is empty) and show it.",
    ),
    "email": Lazy(
        "lcpg.commands.email:email",
        "The weekly compliance e-mails: to the team, and to each district's chair and "
        "co-ordinator.",
    ),
    "export": Lazy(
        "lcpg.commands.register:export",
        "Write the register to PATH: an .xlsx workbook, or else a folder of CSV files.",
    ),
    "feeds": Lazy("lcpg.commands.feeds:feeds", "Personal calendar feeds."),
    "history": Lazy(
        "lcpg.commands.check:history",
        "Recorded checks (`lcpg check --record`): list them, or show one as it was.",
    ),
    "ics": Lazy(
        "lcpg.commands.ics:ics",
        "Calendar feeds to subscribe to, and calendar files to record meetings from.",
    ),
    "import": Lazy(
        "lcpg.commands.register:import_",
        "Import a folder of CSV files or an .xlsx workbook: all of it, or nothing.",
    ),
    "init": Lazy(
        "lcpg.commands.init:init", "Create or upgrade the database and add the blueprint's bodies."
    ),
    "meetings": Lazy(
        "lcpg.commands.meetings:meetings",
        "Meetings of every body: planned, confirmed, held and cancelled.",
    ),
    "members": Lazy(
        "lcpg.commands.members:members",
        "Who sits on which body, for which sector, with which roles.",
    ),
    "plan": Lazy(
        "lcpg.commands.plan:plan",
        "Plan the year's cycle: CHWB, then every LCPG, then the Chairs Group.",
    ),
    "rules": Lazy(
        "lcpg.commands.check:rules",
        "List every compliance rule with its severity, the bodies it applies to and its clause.",
    ),
    "scheduler": Lazy(
        "lcpg.commands.scheduler:scheduler",
        "The weekly e-mails and nightly feed export, on a schedule.",
    ),
    "serve": Lazy(
        "lcpg.commands.serve:serve",
        "Serve the calendar feeds and the dashboard (waitress, a production WSGI server).",
    ),
    "terms": Lazy(
        "lcpg.commands.terms:terms",
        "School term dates: the planner avoids the holidays between terms.",
    ),
}
"""Every command defined in ``lcpg.commands``, by name. (A command added to the group with
``@cli.main.command`` works too, but is imported with ``cli``, on every start.)"""
