"""Use cases: what each command does, between the command line and the core.

Each function takes the wired ``lcpg.bootstrap.App`` (and an explicit ``today`` where dates matter),
opens one unit of work, calls the pure core, and returns plain result records for the caller to
render. Nothing here prints.
"""
