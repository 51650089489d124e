"""Every import of a project name resolves, and every attribute read on an imported project
module exists, wherever it sits: in the apps, the tests, the benchmarks and the load
test, inside functions too. A name that moved between modules
fails here at once, not in the one command that happens to run it last."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PACKAGES = {
    "kmtracker", "jobs", "teams", "mail", "activities", "members", "evaluations", "audit", "demo",
    "bench", "loadtest",
}  # fmt: skip
ROOTS = sorted(PACKAGES | {"tests"})


def project_imports():
    """(file, line, module, name or None) of every absolute import of a project module."""
    for root in ROOTS:
        for path in sorted((BASE / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module.split(".")[0] in PACKAGES:
                        for alias in node.names:
                            yield path, node.lineno, node.module, alias.name
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] in PACKAGES:
                            yield path, node.lineno, alias.name, None


def module_attributes():
    """(file, line, module, attribute) of every `module.attribute` read on a name that an
    import in the same file bound to a project module."""
    for root in ROOTS:
        for path in sorted((BASE / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            bound = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module.split(".")[0] in PACKAGES:
                        for alias in node.names:
                            bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.asname and alias.name.split(".")[0] in PACKAGES:
                            bound[alias.asname] = alias.name
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in bound
                ):
                    yield path, node.lineno, bound[node.value.id], node.attr


def test_every_project_import_resolves():
    unresolved = []
    for path, line, module_name, name in project_imports():
        where = f"{path.relative_to(BASE)}:{line}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            unresolved.append(f"{where}: {module_name} ({error})")
            continue
        if name is None or name == "*" or hasattr(module, name):
            continue
        try:  # `from package import submodule`
            importlib.import_module(f"{module_name}.{name}")
        except ImportError:
            unresolved.append(f"{where}: {name} from {module_name}")
    assert not unresolved, "\n".join(unresolved)


def test_every_attribute_read_on_a_project_module_exists():
    missing = []
    for path, line, module_name, attribute in module_attributes():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # a class or function imported by name, not a module
        if not hasattr(module, attribute):
            missing.append(f"{path.relative_to(BASE)}:{line}: {module_name}.{attribute}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("root", ["bench", "loadtest"])
def test_the_checker_sees_the_tools(root):
    assert any(path.parts[-2] == root or root in path.parts for path, *_ in project_imports())
