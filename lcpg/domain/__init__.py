"""The domain: plain, immutable data for the partnership and the blueprint that governs it.

Nothing here does I/O apart from ``blueprint.load_blueprint`` reading the file it is given.
Every other layer speaks in these types.
"""
