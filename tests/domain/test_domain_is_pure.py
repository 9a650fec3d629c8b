"""The domain is plain Python: no Django, no REST framework (hotline.domain docstring)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import hotline.domain

DOMAIN = Path(hotline.domain.__file__).parent
FORBIDDEN = ("django", "rest_framework")
SOURCES = sorted(DOMAIN.rglob("*.py"))


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.append(str(node.args[0].value))
    return names


def test_there_are_domain_modules_to_check():
    assert len(SOURCES) > 10
    assert DOMAIN / "assessment.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(DOMAIN).as_posix())
def test_domain_module_imports_neither_django_nor_rest_framework(path):
    offending = [
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offending == []


def test_importing_every_domain_module_leaves_django_unloaded():
    script = """
import importlib, pkgutil, sys
import hotline.domain as domain
names = [m.name for m in pkgutil.walk_packages(domain.__path__, "hotline.domain.")]
for name in names:
    importlib.import_module(name)
assert len(names) > 10, names
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "rest_framework"))
print(len(names), loaded)
sys.exit(1 if loaded else 0)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(DOMAIN.parent.parent), "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("[]")
