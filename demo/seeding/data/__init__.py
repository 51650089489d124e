"""The fixed content of the demo: plain lists, dicts and plans, no code that runs.

These modules are data, not logic: they may grow past the ~600 lines a module of code
keeps to. `demo.large` draws on them too, so that the large dataset has the demo's shape.
"""
