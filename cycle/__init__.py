"""Cadence arithmetic: CHWB dates, the cycles they cut, and (later) the annual planner.

Pure: functions take plain data and explicit dates, and never read the clock or do I/O.
"""
