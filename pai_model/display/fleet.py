"""A fleet plan for people: the mixed plan against single-method plans, and its rows.

The plan is :func:`~pai_model.decisions.fleet.plan_fleet`'s; :func:`fleet_summary` says it
in Markdown, :func:`fleet_display` shows its rows as a display table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pai_model.data.catalog import ILLUSTRATIVE
from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.decisions.fleet import FleetPlan
from pai_model.display.markdown import escape_markdown, money_markdown
from pai_model.display.provenance import ILLUSTRATIVE_WARNING
from pai_model.formulas.engine import minor_units_to_float


def fleet_summary(plan: FleetPlan) -> str:
    r"""Markdown of a fleet plan: the mixed plan against single-method plans, and unbuyable rows.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.fleet import plan_fleet
    >>> from pai_model import paths
    >>> fleet = pd.DataFrame({"region_id": ["cn-wulanchabu"], "hardware": ["gu7xf-8xGU108"],
    ...                       "quantity": [2], "usage_hours_per_day": [8], "months": [3]})
    >>> text = fleet_summary(plan_fleet(fleet, read_catalog(paths.DOCUMENTED_CATALOG)))
    >>> print(text.replace(": ", ":\n").replace(" and ", "\nand ").replace("; ", ";\n"))
    - **USD**:
    the mixed plan costs 63,948.00 USD over 1 row:
    79,648.20 USD less than subscription first (143,596.20 USD)
    and 0.00 USD less than pay-as-you-go first (63,948.00 USD);
    0 rows on subscription, 1 on pay-as-you-go.
    """
    lines = []
    for currency, group in plan.totals.groupby("currency", sort=True):
        cost = dict(zip(group["plan"], group["cost"], strict=True))
        cents = dict(zip(group["plan"], group["cost_minor"], strict=True))
        mixed = cost["mixed: cheaper per row"]
        less = {
            p: float(minor_units_to_float(np.array([c - cents["mixed: cheaper per row"]]), 2)[0])
            for p, c in cents.items()
        }
        rows = plan.rows[(plan.rows["currency"] == currency) & (plan.rows["plan_method"] != "")]
        on_sub = int((rows["plan_method"] == "subscription").sum())
        count = int(group["rows"].iloc[0])
        others = [
            f"{money_markdown(less[p], currency)} less than {p}"
            f" ({money_markdown(cost[p], currency)})"
            for p in ("subscription first", "pay-as-you-go first")
        ]
        lines.append(
            f"- **{currency}**: the mixed plan costs {money_markdown(mixed, currency)} over {count}"
            f" row{'s' if count != 1 else ''}: {' and '.join(others)}; {on_sub} row"
            f"{'s' if on_sub != 1 else ''} on subscription, {len(rows) - on_sub} on"
            " pay-as-you-go."
        )
    if not plan.unbuyable.empty:
        lines.append(f"- **{len(plan.unbuyable)} row(s) cannot be bought** and are in no plan:")
        for row in plan.unbuyable.itertuples(index=False):
            what = escape_markdown(row.hardware or row.spec)
            lines.append(
                f"  - line {row.line}: {row.quantity} x {what} in"
                f" {escape_markdown(row.region_id)}: {escape_markdown(row.reason)}"
            )
    public = int((plan.rows["payg_price_unit"] == "hour").sum())
    if public:
        lines.append(
            f"- {public} general computing row(s) (sold by subscription only) are compared"
            " with the public resource of the same hardware (DLC/DSW pay-as-you-go, billed per"
            " minute at the hourly price / 60)."
        )
    illustrative = plan.rows["provenance"].isin([ILLUSTRATIVE, "mixed"]).sum()
    if illustrative:
        lines += [
            "",
            f"{illustrative} row(s) are priced with illustrative prices.",
            "",
            ILLUSTRATIVE_WARNING,
        ]
    return "\n".join(lines) if lines else "The fleet has no rows."


def fleet_display(rows: pd.DataFrame) -> pd.DataFrame:
    """Fleet plan rows with readable column names and units, for people."""

    def money(column: str) -> list[str]:
        return [
            "" if pd.isna(a) else money_markdown(a, c)
            for a, c in zip(rows[column], rows["currency"], strict=True)
        ]

    names = {**LABELS, "equal": "equal", "": ""}
    return pd.DataFrame(
        {
            "line": rows["line"],
            "region": rows["region_id"],
            "hardware": rows["hardware"].where(rows["hardware"] != "", rows["spec"]),
            "nodes": rows["quantity"],
            "usage [h/day]": rows["usage_hours_per_day"].map("{:g}".format),
            "months": rows["months"],
            LABELS[SUBSCRIPTION]: money("subscription_cost"),
            LABELS[PAYG]: money("payg_cost"),
            "cheaper": rows["cheaper"].map(names),
            "savings": [
                money_markdown(a, c) if cheaper else ""
                for a, c, cheaper in zip(
                    rows["savings"], rows["currency"], rows["cheaper"], strict=True
                )
            ],
            "plan": rows["plan_method"].map(names),
            "prices": rows["provenance"],
            "note": rows["reason"],
        }
    )
