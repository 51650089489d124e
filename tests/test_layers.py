"""The layers of docs/architecture.md hold: no module imports a layer above its own, and
no import hides inside a function to dodge a cycle.

From the bottom: `kmtracker.lib` (helpers that know no app), `jobs` (background
jobs), `teams` (tenancy), `mail` (e-mail as jobs), `kmtracker.lists` (the list and
export layer), `audit`, `activities`, `members` (invitations, the members page),
`evaluations`, `api` (the read API), `demo`, and the project itself (`kmtracker`: settings, URLs,
dashboard). Each may import its own layer and those below it only.
"""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Bottom first. A module belongs to the first entry its dotted name starts with.
LAYERS = [
    "kmtracker.lib",
    "jobs",
    "teams",
    "mail",
    "kmtracker.lists",
    "audit",
    "activities",
    "members",
    "evaluations",
    "api",
    "demo",
    "kmtracker",
]
PACKAGES = {
    *("kmtracker", "jobs", "teams", "mail", "activities", "members", "evaluations", "audit"),
    *("api", "demo"),
}


def layer_of(module):
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def app_modules():
    """(dotted name, parsed module) of every module of the apps, migrations aside."""
    for package in sorted(PACKAGES):
        for path in sorted((BASE / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(BASE).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(node):
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    else:
        return []
    return [name for name in names if name.split(".")[0] in PACKAGES]


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for module, tree in app_modules():
        rank = layer_of(module)
        for node in ast.walk(tree):
            for target in imported(node):
                target_rank = layer_of(target)
                if target_rank is not None and target_rank > rank:
                    upward.append(f"{module} imports {target}")
    assert sorted(set(upward)) == []


def test_no_import_is_deferred_into_a_function():
    """Apps' `ready()` is where Django wants receivers and lookups registered: the one
    place a project import may sit inside a function."""
    deferred = []
    for module, tree in app_modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if module.endswith(".apps") and function.name == "ready":
                continue
            for node in ast.walk(function):
                if imported(node):
                    deferred.append(f"{module}.{function.name}: line {node.lineno}")
    assert deferred == []


def test_the_layers_cover_every_app_module():
    assert [module for module, _ in app_modules() if layer_of(module) is None] == []
