"""Benchmarks: speed and memory targets are checked here, never by timed tests.

``bench/run`` runs every benchmark and writes ``BENCHMARKS.md``. Each module has a
``run() -> list[Result]``.
"""
