"""The package's layer rule: a module imports only modules of its own layer or lower ones.

The layers are those of the README's "Where things live" section. Every import counts,
including the ones made inside functions to keep start-up fast.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pai_model"

#: Layer of each top-level module or subpackage of pai_model, lowest first.
LAYERS = {
    "foundation": ("errors", "paths"),
    "formulas": (
        "_exact",
        "_decimals",
        "_format",
        "_numeric",
        "_kernels",
        "_engine",
        "billing",
        "breakeven",
        "terms",
    ),
    "data": (
        "regions",
        "_isotimes",
        "_cells",
        "_csv",
        "schemas",
        "tables",
        "catalog",
        "offers",
        "orders",
        "comparison",
        "projects",
        "fleet",
        "planning",
        "synthetic",
        "quotes",
        "focus_schema",
        "focus",
        "usage",
        "reconcile",
        "streaming",
        "backtest",
        "scale",
        "account",
    ),
    "presentation": (
        "plotting",
        "summaries",
        "project_display",
        "recommendations",
        "reports",
        "whatif_display",
        "whatif",
        "widgets",
        "cli",
    ),
}
RANK = {name: rank for rank, names in enumerate(LAYERS.values()) for name in names}
LAYER_NAMES = list(LAYERS)


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def _top(path: Path) -> str:
    """The top-level module or subpackage a file belongs to: ``planning/plan.py`` -> planning."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported(path: Path) -> set[str]:
    """Top-level pai_model modules that ``path`` imports (relative or absolute imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["pai_model", *path.relative_to(PACKAGE).parts[:-1]]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [(alias.name.split("."), ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            targets = [(module, tuple(alias.name for alias in node.names))]
        else:
            continue
        for module, names in targets:
            if module[:1] != ["pai_model"]:
                continue
            # "from pai_model import plotting" imports the module named by each alias
            found.update(module[1:2] or names)
    found.discard(_top(path))
    return found


def test_every_module_has_a_layer():
    unplaced = sorted({_top(p) for p in _modules()} - set(RANK))
    assert not unplaced, f"put these modules in a layer of LAYERS (and the README): {unplaced}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_only_to_the_same_or_lower_layers(path):
    mine = RANK[_top(path)]
    higher = sorted(m for m in _imported(path) if RANK.get(m, -1) > mine)
    assert not higher, (
        f"{path.relative_to(PACKAGE)} ({LAYER_NAMES[mine]}) imports higher layers: "
        + ", ".join(f"{m} ({LAYER_NAMES[RANK[m]]})" for m in higher)
    )


def test_the_rule_catches_an_upward_import(monkeypatch):
    # a formula module importing plotting must be reported
    fake = PACKAGE / "billing.py"
    source = "from .plotting import cost_vs_usage_figure\nfrom . import summaries\n"
    monkeypatch.setattr(Path, "read_text", lambda self, **_: source)
    assert _imported(fake) == {"plotting", "summaries"}
