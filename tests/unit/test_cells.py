"""CSV formula injection: guarded on the way out, exactly undone on the way in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lcpg.domain.cells import guard, unguard


@given(st.text(max_size=40))
def test_guard_then_unguard_gives_the_value_back(value: str) -> None:
    assert unguard(guard(value)) == value


@given(st.text(max_size=40))
def test_a_guarded_cell_never_starts_a_formula(value: str) -> None:
    assert not guard(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_examples() -> None:
    assert (
        guard('=HYPERLINK("http://evil.example.org")') == '\'=HYPERLINK("http://evil.example.org")'
    )
    assert guard("+44 1622 000000") == "'+44 1622 000000"
    assert guard("'=already quoted") == "''=already quoted"
    assert guard("Civic Centre") == "Civic Centre"
    assert guard("O'Brien") == "O'Brien" and unguard("O'Brien") == "O'Brien"
