"""Fictional names for the demo's people, and the addresses made from them.

The lists were written for the demo. They deliberately leave out every surname of the real
people named in the seed documents (``000_*.txt``, ``001_*.txt``), so that no demo person can be
mistaken for one of them; ``tests/unit/test_demo_register.py`` checks this.
"""

from __future__ import annotations

import random

from lcpg.domain.model import Person

EMAIL_DOMAIN = "example.org"

FIRST_NAMES: tuple[str, ...] = (
    "Abigail", "Adrian", "Aisha", "Alan", "Alison", "Amara", "Andrew", "Angela", "Anita",
    "Barry", "Bethany", "Brian", "Caroline", "Catherine", "Chloe", "Claire", "Craig", "Daniel",
    "Deborah", "Declan", "Dominic", "Eleanor", "Emma", "Fiona", "Gareth", "Georgina", "Graham",
    "Hannah", "Harriet", "Imran", "Isobel", "Jasmine", "Joanna", "Karen", "Kevin", "Laura",
    "Leon", "Lucy", "Malcolm", "Marcus", "Megan", "Nadia", "Naomi", "Neil", "Nicola", "Oliver",
    "Olivia", "Owen", "Patrick", "Priya", "Rachel", "Rebecca", "Richard", "Rosalind", "Rupert",
    "Samantha", "Sanjay", "Sarah", "Simon", "Sophie", "Stephen", "Tamsin", "Teresa", "Thomas",
    "Vanessa", "Victoria", "Wendy", "William", "Yusuf", "Zoe",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Ashdown", "Bamford", "Barlow", "Bellamy", "Bishop", "Blackwood", "Bramley", "Brennan",
    "Buckland", "Caldwell", "Carver", "Chandler", "Chowdhury", "Colville", "Cooke", "Crane",
    "Dalton", "Darby", "Dempsey", "Doyle", "Draper", "Eastwood", "Ellery", "Farrant", "Fenwick",
    "Fletcher", "Forsyth", "Fowler", "Garside", "Gillespie", "Goddard", "Greaves", "Hadley",
    "Halloran", "Harcourt", "Hartley", "Haywood", "Hendry", "Holloway", "Hussain", "Ingram",
    "Jarvis", "Kapoor", "Keane", "Kendrick", "Lambert", "Langley", "Larkin", "Lindqvist",
    "Lockwood", "Lowther", "Maddox", "Malik", "Marsden", "Mayhew", "Mercer", "Merritt", "Moss",
    "Nakamura", "Newbold", "Norris", "Nwosu", "Okafor", "Osei", "Padgett", "Palmer", "Pemberton",
    "Pickering", "Prescott", "Quinlan", "Radcliffe", "Rahman", "Ramsay", "Redfern", "Rowntree",
    "Sadler", "Saunders", "Sefton", "Sharma", "Sinclair", "Stanhope", "Sutcliffe", "Tait",
    "Thackeray", "Thornton", "Threlfall", "Tranter", "Underwood", "Vickers", "Wadsworth",
    "Wainwright", "Warrington", "Whitlock", "Winslow", "Yates", "Yeo",
)  # fmt: skip


def email_for(first: str, last: str) -> str:
    """``firstname.lastname@example.org``, lower case (addresses are the register's keys)."""
    return f"{first}.{last}@{EMAIL_DOMAIN}".lower()


# Draws before numbering an address instead: plenty for Kent's 200 people from 6,720 names.
REDRAWS = 20


class NameBook:
    """Hands out people with fictional names whose addresses are unique across the register.

    Uniqueness is kept by drawing again, so Kent's addresses keep the ``firstname.lastname``
    shape. The lists allow 6,720 names; the demo needs about 200, so a few redraws at most. A
    national benchmark register needs tens of thousands: those are numbered (``jane.doe2@``).
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def new_person(self, rng: random.Random, organisation: str) -> Person:
        """A person not yet in the book, with a name drawn from ``rng``.

        After ``REDRAWS`` names already taken (a register far larger than Kent's, where the
        lists run out), the address is numbered as organisations do: ``jane.doe2@``.
        """
        for _ in range(REDRAWS):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            email = email_for(first, last)
            if email not in self._taken:
                break
        number = 2
        while email in self._taken:
            email = email_for(first, f"{last}{number}")
            number += 1
        self._taken.add(email)
        return Person(email=email, name=f"{first} {last}", organisation=organisation)
