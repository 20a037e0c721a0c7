"""The house rules of ARCHITECTURE.md: ranked layer folders, no upward import, no circle,
no private name taken from another folder.

The ranking is read from ARCHITECTURE.md (its one layer map) and printed. Every import
counts, including the ones made inside functions to keep start-up fast.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pai_model"
#: Modules outside the ranks: the lazy public API may name anything.
UNRANKED = {"pai_model", "pai_model.__main__"}


def layer_map(text: str) -> list[list[str]]:
    """The ranks of ARCHITECTURE.md, lowest first: the text block after the map's marker."""
    found = re.search(r"<!-- layer map[^>]*-->\s*```text\n(.*?)```", text, re.S)
    assert found, "ARCHITECTURE.md has no layer map block"
    return [line.split() for line in found.group(1).splitlines() if line.strip()]


RANKS = layer_map((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
RANK = {name: rank for rank, names in enumerate(RANKS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, source: str | None = None) -> list[tuple[str, str | None]]:
    """(module, name) of every pai_model import of ``path``; name is None for ``import m``.

    ``from pai_model.x import y`` where ``y`` is a module counts as an import of ``y``.
    """
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    own = module_name(path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == "pai_model"]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            if module.split(".")[0] != "pai_model":
                continue
            for alias in node.names:
                child = f"{module}.{alias.name}"
                found.append((child, None) if child in MODULES else (module, alias.name))
    return found


def folder(module: str) -> str:
    """The layer folder (or ground-floor module) a module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def is_private(module: str, name: str | None) -> bool:
    return any(part.startswith("_") and part != "__init__" for part in module.split(".")) or (
        name is not None and name.startswith("_")
    )


def test_the_map_is_printed_and_names_every_folder(capsys):
    print("layers, lowest first:", " < ".join("/".join(names) for names in RANKS))
    assert "errors/paths < formulas < data" in capsys.readouterr().out
    ranked = {folder(m) for m in MODULES if m not in UNRANKED}
    assert ranked <= set(RANK), f"put these in ARCHITECTURE.md's layer map: {ranked - set(RANK)}"
    assert ranked == set(RANK), f"the map names folders that do not exist: {set(RANK) - ranked}"


@pytest.mark.parametrize("module", sorted(set(MODULES) - UNRANKED))
def test_imports_go_down_and_take_no_private_name_from_another_folder(module):
    mine = folder(module)
    problems = []
    for target, name in imports(MODULES[module]):
        theirs = folder(target)
        if RANK[theirs] > RANK[mine]:
            problems.append(f"imports {target} ({theirs}) from below it, in {mine}")
        elif theirs != mine and is_private(target, name):
            problems.append(f"takes the private {target}{'.' + name if name else ''}")
    assert not problems, f"{module}: " + "; ".join(problems)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph: its strongly connected parts of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_circle():
    edges = {
        m: {t for t, _ in imports(p) if t in MODULES and t != m}
        for m, p in MODULES.items()
        if m not in UNRANKED
    }
    assert circles(edges) == []


def test_the_rules_catch_what_they_forbid():
    # an upward import, a private name and a private module from another folder
    billing = MODULES["pai_model.formulas.billing"]
    source = (
        "from pai_model.display.plotting import costs\n"
        "from pai_model.data.tables import _helper\n"
        "from ..data import _csv\n"
    )
    found = imports(billing, source)
    assert found == [
        ("pai_model.display.plotting.costs", None),
        ("pai_model.data.tables", "_helper"),
        ("pai_model.data._csv", None),
    ]
    assert RANK[folder(found[0][0])] > RANK["formulas"]
    assert is_private(*found[1]) and is_private(*found[2])
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# Tests laid out like the package: tests/<folder>/test_X.py tests pai_model/<folder>/X.py
# (or the private _X.py, or the sub-package X/; test_X_properties.py holds X's
# property-based tests). These test files are about the whole kit,
# not one module, and are the only exceptions.
WHOLE_PACKAGE_TESTS = {
    "tests/test_architecture.py",  # the house rules of every module
    "tests/test_bad_inputs.py",  # the bad-input corpus, through every command
    "tests/end_to_end/test_notebooks.py",  # the notebooks, from catalog to report
    "tests/end_to_end/test_scale.py",  # pricing, demand and reconciling on a Dask cluster
    "tests/end_to_end/test_safe_output.py",  # what every command prints is terminal-safe
    "tests/end_to_end/test_hostile_files.py",  # special and damaged files, through every reader
    "tests/test_public_api.py",  # every name of pai_model.__all__, given wrong types
}
TESTS = ROOT / "tests"
#: The browser tests drive the served pages and reports (a folder of their own).
BROWSER = TESTS / "browser"


def mirrored_module(test: Path) -> Path | None:
    """The module that ``tests/<folder>/test_X.py`` names, or None when there is none."""
    folder = PACKAGE / test.parent.relative_to(TESTS)
    # test_X_properties.py: the property-based (hypothesis) tests of X, kept apart
    stem = test.stem.removeprefix("test_").removesuffix("_properties")
    for candidate in (folder / f"{stem}.py", folder / f"_{stem}.py", folder / stem / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_every_test_file_mirrors_a_module_of_the_package(capsys):
    tests = sorted(p for p in TESTS.rglob("test_*.py") if BROWSER not in p.parents)
    names = {p.relative_to(ROOT).as_posix(): p for p in tests}
    print("whole-package test files:", *sorted(WHOLE_PACKAGE_TESTS), sep="\n  ")
    missing = WHOLE_PACKAGE_TESTS - names.keys()
    assert not missing, f"listed as whole-package tests but not found: {sorted(missing)}"
    unmirrored = [
        name
        for name, test in names.items()
        if name not in WHOLE_PACKAGE_TESTS and mirrored_module(test) is None
    ]
    print("test files that name no module:", *unmirrored, sep="\n  ")
    assert not unmirrored, f"{len(unmirrored)} test files name no module: {unmirrored}"


def test_the_mirror_rule_finds_modules_private_modules_and_packages():
    assert (
        mirrored_module(TESTS / "formulas" / "test_billing.py")
        == PACKAGE / "formulas" / "billing.py"
    )
    assert mirrored_module(TESTS / "cli" / "test_common.py") == PACKAGE / "cli" / "_common.py"
    assert mirrored_module(TESTS / "test_paths.py") == PACKAGE / "paths.py"
    assert mirrored_module(TESTS / "test_cli.py") == PACKAGE / "cli" / "__init__.py"
    assert mirrored_module(TESTS / "formulas" / "test_nothing_here.py") is None
