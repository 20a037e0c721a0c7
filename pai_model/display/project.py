"""A project plan for people: its segments as a display table, its verdict in words.

Plain text (the command line prints it; notebooks escape it with
:func:`~pai_model.display.markdown.escape_markdown` or show it through
:func:`~pai_model.display.tables.styled`). For the project-length report, the lengths where
each method wins in Markdown (:func:`project_summary`) and the lengths a chart evaluates
(:func:`project_days`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.decisions.projects import plan_comparison
from pai_model.errors import PaiModelError
from pai_model.formulas.arguments import to_decimal
from pai_model.formulas.breakeven import HOURS_PER_MONTH
from pai_model.formulas.money_text import format_money
from pai_model.formulas.terms import months_to_cover, subscription_end, timestamps


def when(moment: pd.Timestamp) -> str:
    """A time as a buyer reads it: the date alone at midnight, with its zone if it has one.

    >>> when(pd.Timestamp("2026-02-01")), when(pd.Timestamp("2020-08-05 22:51:32", tz="UTC"))
    ('2026-02-01', '2020-08-05 22:51:32 UTC')
    """
    if pd.isna(moment):
        return "-"
    text = moment.strftime("%Y-%m-%d") if moment == moment.normalize() else str(moment)[:19]
    return f"{text} {moment.tzname()}" if moment.tz is not None else text


def plan_display(plan: pd.DataFrame, *, currency: str = "USD") -> pd.DataFrame:
    """The segments of :func:`~pai_model.decisions.projects.plan_project` with readable columns.

    >>> from pai_model.decisions.projects import plan_project
    >>> shown = plan_display(plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73))
    >>> shown.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['from', 'to', 'method', 'nodes', 'term', 'billed minutes per node', 'cost [USD]',
     'expires', 'renew by']
    >>> shown.iloc[1].astype(str).tolist()
    ['2026-02-01', '2026-02-05', 'pay-as-you-go', '1', '-', '5,760', '4,204.80', '-', '-']
    """
    subscription = plan["method"] == "subscription"
    return pd.DataFrame(
        {
            "from": plan["start"].map(when),
            "to": plan["end"].map(when),
            "method": plan["method"].map(LABELS),
            "nodes": plan["nodes"],
            "term": [
                f"{m} month{'s' if m != 1 else ''}" if sub else "-"
                for m, sub in zip(plan["months"], subscription, strict=True)
            ],
            "billed minutes per node": [
                "-" if sub else f"{m:,.3f}".rstrip("0").rstrip(".")
                for m, sub in zip(plan["minutes"], subscription, strict=True)
            ],
            f"cost [{currency}]": plan["cost"].map(format_money),
            "expires": plan["expires"].map(when),
            "renew by": plan["renew_by"].map(when),
        }
    )


def plan_summary(plan: pd.DataFrame, *, currency: str = "USD") -> list[str]:
    """The verdict of a plan: its total against the single-method plans, and renewals.

    Examples
    --------
    >>> from pai_model.decisions.projects import plan_project
    >>> for line in plan_summary(plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    cheapest plan: 28,137.50 USD (1 month subscribed, the rest pay-as-you-go)
    all pay-as-you-go: 36,792.00 USD (8,654.50 more)
    whole-month subscription (2 months): 47,865.40 USD (19,727.90 more)
    the subscription from 2026-01-01 expires 2026-02-01; renew by 2026-02-02 or its nodes
    are released (the plan continues on pay-as-you-go)
    """
    rows = plan_comparison(plan).set_index("plan")
    months = int(rows.loc["cheapest", "months"])
    if months == 0:
        shape = "all pay-as-you-go"
    elif (plan["method"] == "payg").any():
        shape = f"{_months(months)} subscribed, the rest pay-as-you-go"
    else:
        shape = "all subscription"
    whole = _months(int(rows.loc["subscription", "months"]))
    lines = [
        f"cheapest plan: {format_money(rows.loc['cheapest', 'cost'])} {currency} ({shape})",
        f"all pay-as-you-go: {_versus(rows.loc['payg'], currency)}",
        f"whole-month subscription ({whole}): {_versus(rows.loc['subscription'], currency)}",
    ]
    last = plan["end"].iloc[-1]
    renewed = set(plan.loc[plan["method"] == "subscription", "start"])
    for row in plan[plan["method"] == "subscription"].itertuples(index=False):
        if row.expires >= last:
            after = "the project ends by then"
        elif row.expires in renewed:
            after = "the plan renews it at its expiry with the next order"
        else:
            after = "the plan continues on pay-as-you-go"
        lines.append(
            f"the subscription from {when(row.start)} expires {when(row.expires)};"
            f" renew by {when(row.renew_by)} or its nodes are released ({after})"
        )
    return lines


def plan_assumptions(plan: pd.DataFrame) -> str:
    """What a plan assumed about node life and terms, in one line.

    >>> from pai_model.decisions.projects import plan_project
    >>> plan = plan_project("2026-01-01", "2026-01-11", 23932.70, 0.73, hours_per_day=8,
    ...                     overhead_minutes=15)
    >>> for part in plan_assumptions(plan).replace(" (", "; (").split("; "):
    ...     print(part)
    each node is bought and released every day, billed 8.25 h a day
    (8 h of use + 15 min per start for provisioning and release)
    subscription terms bought: 1-9 months and 1, 2, 3, 4 or 5 years
    (UNCONFIRMED for PAI)
    """
    from pai_model.formulas.arguments import buyable_text

    attrs = plan.attrs
    terms = buyable_text(tuple(attrs["buyable_months"]))
    if attrs["hours_per_day"] >= 24:
        life = "each node runs all day (24 h), no daily start"
    else:
        life = (
            f"each node is bought and released every day, billed"
            f" {attrs['billed_hours_per_day']:g} h a day ({attrs['hours_per_day']:g} h of use"
            f" + {attrs['overhead_minutes']:g} min per start for provisioning and release)"
        )
    return f"{life}; subscription terms bought: {terms} (UNCONFIRMED for PAI)"


def mix_sentence(plan: pd.DataFrame, single: float, *, currency: str = "USD") -> str:
    """The plan's total against the cheaper single method, in one sentence.

    >>> from pai_model.decisions.projects import plan_project
    >>> plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)
    >>> print(mix_sentence(plan, 36792.00))  # doctest: +NORMALIZE_WHITESPACE
    Cheapest mix of calendar months: 28,137.50 USD (1 month subscribed, the rest
    pay-as-you-go), 8,654.50 USD less than the cheaper single method.
    """
    total = plan.attrs["total"]
    if plan["method"].nunique() == 1:
        return (
            "Cheapest mix of calendar months: none beats a single method"
            f" ({format_money(total)} {currency})."
        )
    subscribed = int(plan.loc[plan["method"] == "subscription", "months"].sum())
    saving = to_decimal(single, "single") - total
    return (
        f"Cheapest mix of calendar months: {format_money(total)} {currency}"
        f" ({_months(subscribed)} subscribed, the rest pay-as-you-go), {format_money(saving)}"
        f" {currency} less than the cheaper single method."
    )


def plan_table_html(plan: pd.DataFrame, *, currency: str = "USD") -> str:
    """The plan's segments as an HTML table, every cell escaped.

    >>> from pai_model.decisions.projects import plan_project
    >>> text = plan_table_html(plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73))
    >>> text.startswith("<b>Cheapest plan</b><table"), "4,204.80" in text
    (True, True)
    """
    table = plan_display(plan, currency=currency).to_html(index=False, escape=True, border=0)
    return f"<b>Cheapest plan</b>{table}"


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


def _versus(row: pd.Series, currency: str) -> str:
    extra = row["extra"]
    tail = f"{format_money(extra)} more" if extra > 0 else "the same"
    return f"{format_money(row['cost'])} {currency} ({tail})"


def project_summary(crossovers: pd.DataFrame, *, currency: str = "USD") -> str:
    """Markdown listing the project lengths where each method wins.

    Examples
    --------
    >>> from pai_model.decisions.comparison import project_crossovers
    >>> print(project_summary(project_crossovers(23932.70, 0.73, 40)))
    - 0.0 to 22.8 days: pay-as-you-go is cheaper
    - 22.8 to 30.4 days: the subscription is cheaper
    - 30.4 to 40.0 days: pay-as-you-go is cheaper
    """
    names = {PAYG: LABELS[PAYG], SUBSCRIPTION: f"the {LABELS[SUBSCRIPTION]}"}
    return "\n".join(
        f"- {row.start_days:.1f} to {row.end_days:.1f} days: {names[row.cheaper]} is cheaper"
        for row in crossovers.itertuples(index=False)
    )


def project_days(
    max_days: float, *, hours_per_month: float = HOURS_PER_MONTH, start: object = None
) -> np.ndarray:
    """Project lengths to evaluate for a chart: a fine grid plus both sides of each month end.

    The subscription staircase steps just after each month end; evaluating there too puts
    the step where it belongs instead of at the next grid point. With a ``start`` date
    the month ends are those of calendar terms from it (31 January 2026 ends month 1 of a
    project from 1 January, day 31).

    Examples
    --------
    A 720-hour month ends at day 30:

    >>> days = project_days(35, hours_per_month=720)
    >>> len(days), days[(days > 29.99) & (days < 30.01)]
    (1203, array([30.   , 30.001]))
    >>> days = project_days(35, start="2026-01-01")
    >>> 31.0 in days, 31.001 in days
    (True, True)
    """
    if not 0 < max_days <= 3650:
        raise PaiModelError(f"max_days must be above 0 and at most 3650 days, got {max_days}")
    if not 0 < hours_per_month <= 744:
        raise PaiModelError(
            f"hours_per_month must be above 0 and at most 744 (31 days), got {hours_per_month}"
        )
    if start is None:
        days_per_month = hours_per_month / 24
        ends = np.arange(days_per_month, max_days, days_per_month)
    else:
        first = timestamps(start, "start")[0]
        count = months_to_cover(first, first + pd.Timedelta(days=max_days))
        terms = subscription_end(first, np.arange(1, count + 1))
        ends = (terms - first).total_seconds().to_numpy() / 86400.0
    grid = np.concatenate([np.linspace(0, max_days, 1201), ends, ends + 0.001])
    return np.unique(np.round(grid[grid <= max_days], 3))
