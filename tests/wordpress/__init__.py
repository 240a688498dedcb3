"""Opt-in suites against the real WordPress (a package, so its conftest does not shadow tests/conftest.py)."""
