"""Compliance rules over a register snapshot, evaluated as of an explicit date (pure).

``findings`` holds what a check produces (``Finding``, ``Report``), ``registry`` the rule
records and the one registry that checks them and the blueprint's rule tables, the concept
modules listed in ``catalogue`` the rules of DESIGN.md section 3, ``engine.check`` runs them,
and ``reporters`` turn a report into text, JSON, CSV or HTML. Nothing here does I/O or reads
the clock.

To add a rule: write a ``check`` function in the module for its concept, register it with
``@rule("family.name", title, advice=..., applies_to=..., params=...)``, make its findings with
``settings.finding(...)``, give it a ``[rules."family.name"]`` table in the blueprint with its
severity and the clause it enforces, and add a good and a bad case in ``tests/unit``.
"""
