"""Colours, patterns and subtitle notes shared by the kit's figures, and text escaping.

plotly draws titles, trace names, tick labels and hover labels from a small HTML dialect
(``<br>``, ``<b>``, links); every string that comes from a file or a parameter goes
through :func:`plot_text` first, so it is shown as text and never becomes markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pai_model.formulas.money_text import HOVER_MONEY

#: Usage axis of the cost-versus-usage charts: 0 to 24 h/day in quarter hours, so that
#: hovering anywhere on a line reads an exact bill.
USAGE_GRID = np.round(np.arange(0, 24.0001, 0.25), 2)
#: A hover label's money: the y value by the one money format (plotly's d3 format).
HOVER_Y_MONEY = f"%{{y:{HOVER_MONEY}}}"
SUBSCRIPTION_COLOR = "#1f77b4"
PAYG_COLOR = "#ff7f0e"
#: Colours of trace groups (one per region) when several offers share a panel.
GROUP_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
#: Bar patterns telling prices apart: solid for documented, hatched otherwise.
PROVENANCE_PATTERN = {"documented": "", "account": "", "illustrative": "/", "mixed": "x"}
#: Commitment planner: the total cost curve and the demand.
PLAN_TOTAL_COLOR = "#2ca02c"
PLAN_DEMAND_COLOR = "#555555"


def plot_text(value: object) -> str:
    """Text from a file or parameter, escaped for plotly's HTML dialect.

    >>> plot_text("<a href='x'>cn</a> & co")
    "&lt;a href='x'&gt;cn&lt;/a&gt; &amp; co"
    """
    return html.escape(str(value), quote=False)


def month_note(hours_per_month: float) -> str:
    return f"a month = {hours_per_month:g} h"


def provenance_note(provenance: str | None) -> str:
    """Suffix of a subtitle saying where prices come from ("" when unknown)."""
    if provenance is None:
        return ""
    if provenance in ("documented", "account"):
        return f"; {provenance} prices"
    return f"; {plot_text(provenance)} prices (illustrative, not quotes)"


def horizon_note(quantity: int, months: int, hours_per_month: float) -> str:
    nodes = f"{quantity} node{'s' if quantity != 1 else ''}"
    horizon = f"{months} month{'s' if months != 1 else ''}"
    return f"{nodes}, {horizon}, {month_note(hours_per_month)}"


def cost_axis(currency: str, months: int) -> str:
    if months == 1:
        return f"monthly cost [{plot_text(currency)}]"
    return f"cost over {months} months [{plot_text(currency)}]"


def region_colors(region_ids: Sequence[str]) -> dict[str, str]:
    """One colour per region, the same in every panel and figure."""
    ordered = sorted(set(region_ids))
    return {r: GROUP_COLORS[i % len(GROUP_COLORS)] for i, r in enumerate(ordered)}


def offer_flags(row: pd.Series) -> str:
    """Where a table row's prices come from, and whether it can be bought now."""
    flags = [f"{plot_text(row['provenance'])} prices"]
    if not row["purchasable"]:
        flags.append("out of stock")
    return ", ".join(flags)


def table_provenance_note(table: pd.DataFrame) -> str:
    """Which pairs of a break-even table have documented prices; the rest are illustrative."""
    documented = table[table["provenance"].isin(["documented", "account"])]
    if len(documented) == len(table):
        return "; documented prices"
    names = [
        plot_text(f"{r.region_name or r.region_id} {r.hardware}") for r in documented.itertuples()
    ]
    listed = f" (documented: {', '.join(names)})" if 0 < len(names) <= 3 else ""
    return (
        f"; {len(table) - len(documented)} of {len(table)} pairs use illustrative prices,"
        f" not quotes{listed}"
    )
