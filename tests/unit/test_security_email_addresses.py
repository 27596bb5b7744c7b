"""Threat: one unusual e-mail address in the register stops every weekly e-mail.

Addresses such as ``"x,y"@...``, ``a;b@...``, a non-ASCII local part or one ending in an
invisible character used to be imported, and then building or sending the week's messages
failed for everyone. Every way in now passes the one normaliser
(``lcpg.domain.addresses.normalise_address``, on email-validator), and the workbook import reports
each refused address with its file, row and column. Fictional addresses at example.org.
"""

from __future__ import annotations

import pytest

from lcpg.blueprints import KENT
from lcpg.domain.addresses import AddressError, normalise_address
from lcpg.domain.blueprint import load_blueprint
from lcpg.domain.register import Register
from lcpg.errors import InputError
from lcpg.workbook import Table, Tables, parse_register
from lcpg.workbook.schema import TABLES

BLUEPRINT = load_blueprint(KENT)
BODIES = [body.slug for body in BLUEPRINT.bodies_list()]
COLUMNS = {
    spec.name: tuple(c for c in spec.columns if c not in ("id", "meeting_id")) for spec in TABLES
}

# (address, the telling part of the reason)
REFUSED = [
    pytest.param('"x,y"@example.org', "Quoting", id="quoted local part with a comma"),
    pytest.param("a;b@example.org", "';'", id="semicolon"),
    pytest.param("a:b@example.org", "':'", id="colon"),
    pytest.param("a(b)@example.org", "'('", id="comment"),
    pytest.param("zoë@example.org", "'ë'", id="non-ASCII local part"),
    pytest.param("ann@example.org\u200b", "ZERO WIDTH SPACE", id="ends in a zero-width space"),
    pytest.param("ann@example.org\u00a0", "NO-BREAK SPACE", id="ends in a no-break space"),
    pytest.param("ann\u00ad@example.org", "SOFT HYPHEN", id="soft hyphen"),
    pytest.param("ann@example.org\u202e", "RIGHT-TO-LEFT OVERRIDE", id="bidi override"),
    pytest.param("ann@example.org\r\nBcc: x@example.org", "", id="header injection"),
    pytest.param("a..b@example.org", "two periods", id="two dots"),
    pytest.param("ann@localhost", "period", id="no domain dot"),
    pytest.param("ann@[127.0.0.1]", "bracketed", id="domain literal"),
    pytest.param("Ann <ann@example.org>", "", id="display name"),
    pytest.param("cy.lane(at)example.org", "@-sign", id="no at sign"),
    pytest.param("ada@finch@example.org", "", id="two at signs"),
    pytest.param("", "required", id="empty"),
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_an_unusual_address_is_refused_with_its_reason(address: str, reason: str) -> None:
    with pytest.raises(AddressError, match="not an email address") as refused:
        normalise_address(address)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        (" Ada.Finch@Example.ORG ", "ada.finch@example.org"),
        ("ada+lcpg@example.org", "ada+lcpg@example.org"),
        ("o'brien@example.org", "o'brien@example.org"),
        # An internationalised domain is kept in its ASCII (IDNA) form, which every mail
        # server, header and file name takes; both spellings are the same person.
        ("ann@bücher.example.org", "ann@xn--bcher-kva.example.org"),
        ("ann@XN--BCHER-KVA.example.org", "ann@xn--bcher-kva.example.org"),
    ],
)
def test_a_usual_address_is_normalised(written: str, normalised: str) -> None:
    assert normalise_address(written) == normalised
    assert normalise_address(normalised) == normalised


def tables(**rows: list[list[str]]) -> Tables:
    return Tables("in", tuple(Table.from_rows(n, COLUMNS[n], r) for n, r in rows.items()))


@pytest.mark.parametrize(("address", "reason"), [p for p in REFUSED if p.values[0]])
def test_import_refuses_the_address_naming_file_row_and_column(address: str, reason: str) -> None:
    people = [["ada.finch@example.org", "Ada Finch", ""], [address, "Xan Wye", ""]]
    with pytest.raises(InputError) as raised:
        parse_register(tables(people=people), BLUEPRINT, BODIES, Register())
    [problem] = raised.value.problems
    assert (problem.file, problem.row, problem.column) == ("people.csv", 3, "email")
    assert problem.message.startswith(f"not an email address: {address!r}")
    assert reason in problem.message


def test_import_refuses_an_unusual_address_in_memberships_and_attendance_too() -> None:
    people = [["ada.finch@example.org", "Ada Finch", ""]]
    memberships = [["lcpg-sevenoaks", "a;b@example.org", "police", "", "2018-01-01", ""]]
    attendance = [["lcpg-sevenoaks", "2018-03-14T10:00", "zoë@example.org", "present"]]
    meetings = [["lcpg-sevenoaks", "2018-03-14T10:00", "", "", "held"]]
    with pytest.raises(InputError) as raised:
        parse_register(
            tables(
                people=people, memberships=memberships, meetings=meetings, attendance=attendance
            ),
            BLUEPRINT,
            BODIES,
            Register(),
        )
    where = {(p.file, p.row, p.column) for p in raised.value.problems}
    assert where == {("memberships.csv", 2, "email"), ("attendance.csv", 2, "email")}
