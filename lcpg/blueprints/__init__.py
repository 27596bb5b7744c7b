"""Blueprint data files: the policy that the code enforces.

``kent.toml`` is the Kent LCPG blueprint (seed ``004_9ae06cc52e9ca0a2.txt``). Another county, or
an older arrangement, is described by another file of the same form and chosen with
``lcpg --blueprint PATH``. ``lcpg.domain.blueprint.load_blueprint`` reads and validates them.
"""

from pathlib import Path

KENT = Path(__file__).with_name("kent.toml")
