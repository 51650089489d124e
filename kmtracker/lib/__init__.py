"""Helpers shared by every app, which know nothing of teams, activities or evaluations.

Nothing here imports an app of the project: the apps build on these, never the
other way round (docs/architecture.md, tests/test_layers.py).
"""
