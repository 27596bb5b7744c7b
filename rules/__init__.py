"""Compliance rules over a register snapshot, evaluated as of an explicit date (pure).

The rules engine and ``lcpg check`` arrive with the compliance issue; nothing is checked yet.
"""
