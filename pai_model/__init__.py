"""PAI cost kit: subscription or pay-as-you-go for Alibaba Cloud PAI computing nodes.

What a notebook user needs, one verb per kind of work:

- formulas: :func:`subscription_cost`, :func:`payg_cost`, :func:`hourly_payg_cost`,
  :func:`break_even_utilization`, :func:`subscription_end`;
- ``read_*`` reads a file into a checked table: :func:`read_catalog`, :func:`read_focus`,
  :func:`read_jobs`, :func:`read_fleet` (``recommend("synthetic")`` and
  :func:`plan_commitment` without jobs make usage up, labelled synthetic);
- ``price_*`` prices: :func:`price_order` (one order, with its formula),
  :func:`price_orders` (a table of them); :func:`reconcile` re-prices a bill,
  :func:`write_focus` writes priced lines as FOCUS rows;
- ``plan_*`` decides: :func:`break_even_table`, :func:`plan_project`, :func:`plan_fleet`,
  :func:`plan_commitment`, and :func:`backtest` tests the planner on the past;
- :func:`recommend` answers the buyer's question from usage: what to buy, renew or let
  go, and what it saves (the purchase list, its grand total and assumptions);
- :func:`render_report` renders a report notebook to offline HTML;
- every exception and warning class (:mod:`pai_model.errors` draws their hierarchy).

Everything else is internal. The package's layers (formulas, data, bills, account,
decisions, display, cli) are drawn in ARCHITECTURE.md at the repository's root.

Public names are imported on first use, so ``import pai_model`` stays fast (pandas,
pandera and plotly load only when a function needs them).
"""

from __future__ import annotations

import importlib
from typing import Any

from pai_model.errors import __all__ as _ERRORS

__version__ = "0.2.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "subscription_cost": "formulas.billing",
    "payg_cost": "formulas.billing",
    "hourly_payg_cost": "formulas.billing",
    "break_even_utilization": "formulas.breakeven",
    "subscription_end": "formulas.terms",
    "read_catalog": "data.catalog",
    "read_focus": "data.focus",
    "read_jobs": "data.jobs",
    "read_fleet": "decisions.fleet",
    "price_order": "bills.quotes",
    "price_orders": "bills.orders",
    "reconcile": "bills.reconcile",
    "write_focus": "bills.focus_export",
    "break_even_table": "decisions.comparison",
    "plan_project": "decisions.projects",
    "plan_fleet": "decisions.fleet",
    "plan_commitment": "decisions.planning.pipeline",
    "backtest": "decisions.backtest",
    "render_report": "display.reports.render",
    "recommend": "display.recommendation",
    **{name: "errors" for name in _ERRORS if name != "Problem"},
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pai_model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pai_model.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
