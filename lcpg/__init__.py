"""The lcpg application: everything around the pure core (cycle, rules, calendars) and the
command (cli.py)."""
