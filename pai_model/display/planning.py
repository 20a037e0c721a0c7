"""The commitment planner's recommendation for people: a display table and its reasons.

Presentation of :mod:`pai_model.decisions.planning`: :func:`recommendation_display` turns
:func:`~pai_model.decisions.planning.pipeline.recommendation_table` into readable text columns
(show it
with :func:`~pai_model.display.tables.styled`), :func:`explain_recommendation` says in words
why a pair's count, and :func:`notes_markdown` lists a plan's notes. Text from catalogs
is escaped on its way into Markdown. :func:`renewals_display` lists when each planned
subscription ends and by when to renew it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from pai_model.data.methods import BILLING_METHODS, LABELS
from pai_model.decisions.backtest import MONEY_COLUMNS
from pai_model.decisions.planning.plan import CommitmentPlan
from pai_model.display.markdown import escape_markdown
from pai_model.errors import PlanError
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.money_text import format_minor, format_money, format_price
from pai_model.formulas.totals import exact_sum


def notes_markdown(notes: Iterable[str]) -> str:
    """A plan's notes as a Markdown list, each note escaped (they quote catalog text).

    >>> print(notes_markdown(["cn-x / h_100: out of stock", "Horizon: 1 month"]))
    - cn-x / h\\_100: out of stock
    - Horizon: 1 month
    """
    return "\n".join(f"- {escape_markdown(note)}" for note in notes)


#: Rows of a report's key table; the full table follows it.
KEY_ROWS = 10


def _cents(amounts: pd.Series) -> int:
    """The exact sum of amounts of whole cents, in cents."""
    return exact_sum(np.round(amounts.to_numpy(dtype=float) * 100).astype(np.int64))


def plan_answer(table: pd.DataFrame, *, rows: int = KEY_ROWS) -> str:
    """A commitment plan's answer: one paragraph, then the key table (Markdown).

    The paragraph: how many nodes to subscribe in how many pairs, and what the plans
    save against all pay-as-you-go (exact sums of the pairs' cents, per currency). The
    table: the ``rows`` pairs that save most, with the count, the plan's cost and saving,
    coverage and utilization; the full table follows in the report.

    Examples
    --------
    >>> table = pd.DataFrame({"region_id": ["cn-a", "cn-b", "cn-c"], "hardware": "h",
    ...     "currency": "USD", "recommended_nodes": [2, 1, 0], "peak_nodes": [3, 2, 1],
    ...     "plan_cost": [100.10, 50.05, 9.99], "all_payg_cost": [150.15, 60.05, 9.99],
    ...     "savings": [50.05, 10.00, 0.0], "coverage": [0.8, 0.5, 0.0],
    ...     "utilization": [0.9, 0.7, float("nan")]})
    >>> print(plan_answer(table))  # doctest: +NORMALIZE_WHITESPACE
    Subscribe **3 nodes** in 2 of the 3 region and hardware pairs planned: the plans save
    60.05 USD against all pay-as-you-go (220.19 USD), the rest stays on pay-as-you-go.
    <BLANKLINE>
    | region | hardware | subscribe (of peak) | plan cost | saving | coverage | utilization |
    |---|---|---:|---:|---:|---:|---:|
    | cn-a | h | 2 of 3 | 100.10 USD | 50.05 USD | 80% | 90% |
    | cn-b | h | 1 of 2 | 50.05 USD | 10.00 USD | 50% | 70% |
    """
    if table.empty:
        return "Nothing to plan: the usage names no pair the catalog sells both ways."
    buying = table[table["recommended_nodes"] > 0]
    if buying.empty:
        return (
            f"Subscribe nothing: for each of the {len(table)} region and hardware pairs"
            " planned, pay-as-you-go costs least for this usage."
        )
    totals = []
    for currency, mine in table.groupby("currency", sort=True):
        saved = format_minor(_cents(mine["savings"]))
        payg = format_minor(_cents(mine["all_payg_cost"]))
        totals.append(f"{saved} {currency} against all pay-as-you-go ({payg} {currency})")
    nodes = int(buying["recommended_nodes"].sum())
    lines = [
        f"Subscribe **{nodes} node{'s' if nodes != 1 else ''}** in {len(buying)} of the"
        f" {len(table)} region and hardware pairs planned: the plans save {'; '.join(totals)},"
        " the rest stays on pay-as-you-go.",
        "",
        "| region | hardware | subscribe (of peak) | plan cost | saving | coverage | utilization |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    top = buying.sort_values("savings", ascending=False, kind="stable").head(rows)
    for row in top.itertuples(index=False):
        utilization = "" if pd.isna(row.utilization) else f"{row.utilization:.0%}"
        lines.append(
            f"| {escape_markdown(row.region_id)} | {escape_markdown(row.hardware)} |"
            f" {row.recommended_nodes} of {row.peak_nodes} |"
            f" {format_money(row.plan_cost)} {row.currency} |"
            f" {format_money(row.savings)} {row.currency} | {row.coverage:.0%} | {utilization} |"
        )
    if len(buying) > rows:
        lines += ["", f"The {len(buying) - rows} other pairs to subscribe are in the table below."]
    return "\n".join(lines)


def recommendation_display(table: pd.DataFrame) -> pd.DataFrame:
    """The recommendation table with readable columns, for a notebook or report.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~pai_model.decisions.planning.pipeline.recommendation_table` output.

    Returns
    -------
    pandas.DataFrame
        Text columns: region, hardware, the count to subscribe of the peak, the plan's
        cost against all pay-as-you-go and all subscribed, savings, coverage,
        utilization, break-even months, price provenance (and stock), and the
        preemptible and scenario columns when the table has them.

    See Also
    --------
    explain_recommendation : Why one pair's count, in words.
    """
    money = format_money
    shown = pd.DataFrame(
        {
            "region": table["region_id"],
            "hardware": table["hardware"],
            "subscribe (of peak)": table["recommended_nodes"].astype(str)
            + " of "
            + table["peak_nodes"].astype(str),
            "plan cost": table["plan_cost"].map(money) + " " + table["currency"],
            "all pay-as-you-go": table["all_payg_cost"].map(money),
            "all subscribed at peak": table["all_subscription_cost"].map(money),
            "savings": table["savings"].map(money)
            + _shown(table["savings_percent"], " ({:.1f} %)", ""),
            "coverage": _shown(table["coverage"], "{:.0%}", "no demand"),
            "utilization": _shown(table["utilization"], "{:.0%}", "none subscribed"),
            "break-even months": _shown(table["break_even_months"], "{:.2f}", ""),
            "prices": table["provenance"],
        }
    )
    if "preemptible_plan_cost" in table:
        shown["with spot"] = (
            table["preemptible_recommended_nodes"].astype(str)
            + " subscribed, saves "
            + table["preemptible_savings"].map(money)
        )
    if "savings_p5" in table:
        shown["savings 5th-95th pct"] = (
            table["savings_p5"].map(money) + " to " + table["savings_p95"].map(money)
        )
        shown["P(costs more)"] = _shown(table["probability_loss"], "{:.0%}", "")
    public = table["payg_price_unit"] == "hour" if "payg_price_unit" in table else None
    if public is not None and public.any():
        # a general spec's pay-as-you-go side is a public resource: say so on its row
        shown["pay-as-you-go side"] = public.map(
            {True: "public resource (DLC/DSW), per hour", False: "per minute"}
        )
    for method in BILLING_METHODS:
        out = ~table[f"{method}_purchasable"].to_numpy(dtype=bool)
        shown.loc[out, "prices"] += f" ({LABELS[method]} out of stock)"
    if (table["unserved_node_hours"] > 0).any():
        shown["unserved [node-h]"] = table["unserved_node_hours"].map("{:,.1f}".format)
    return shown


def _shown(values: pd.Series, form: str, missing: str) -> pd.Series:
    """``values`` formatted, and ``missing`` (words, or nothing) where there is no value.

    A share of nothing (the utilization of no subscribed node, the coverage of no demand)
    has no value; it is said in words rather than printed as ``nan%``.

    >>> _shown(pd.Series([0.5, float("nan")]), "{:.0%}", "none subscribed").tolist()
    ['50%', 'none subscribed']
    """
    return values.map(lambda value: missing if pd.isna(value) else form.format(value))


def renewals_display(renewals: pd.DataFrame) -> pd.DataFrame:
    """When each planned subscription ends and by when to renew it, as readable text.

    Nodes are released 24 h after their term ends unless renewed, so ``renew by`` is the
    last moment to keep them.

    Parameters
    ----------
    renewals : pandas.DataFrame
        :attr:`~pai_model.decisions.planning.plan.CommitmentPlan.renewals`.

    Returns
    -------
    pandas.DataFrame
        ``region``, ``hardware``, ``term``, ``nodes``, ``ends``, ``renew by`` (UTC,
        ``YYYY-MM-DD HH:MM``) and ``within horizon`` ("yes" when the term ends before
        the horizon does, so the nodes must be renewed to keep serving it).

    Examples
    --------
    >>> renewals = pd.DataFrame({"region_id": ["cn-x"], "hardware": ["h"],
    ...     "term": ["month"], "nodes": [2], "start": [pd.Timestamp("2026-01-31")],
    ...     "end": [pd.Timestamp("2026-02-28")], "renew_by": [pd.Timestamp("2026-03-01")],
    ...     "ends_within_horizon": [True]})
    >>> renewals_display(renewals).values.tolist()
    [['cn-x', 'h', 'month', 2, '2026-02-28 00:00', '2026-03-01 00:00', 'yes']]
    """
    return pd.DataFrame(
        {
            "region": renewals["region_id"],
            "hardware": renewals["hardware"],
            "term": renewals["term"],
            "nodes": renewals["nodes"],
            "ends": renewals["end"].dt.strftime("%Y-%m-%d %H:%M"),
            "renew by": renewals["renew_by"].dt.strftime("%Y-%m-%d %H:%M"),
            "within horizon": renewals["ends_within_horizon"].map({True: "yes", False: "no"}),
        }
    )


def explain_recommendation(plan: CommitmentPlan, region_id: str, hardware: str) -> str:
    """Why the plan subscribes the nodes it does, in a few sentences (Markdown).

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`~pai_model.decisions.planning.plan.size_commitment`.
    region_id, hardware : str
        The pair to explain.

    Returns
    -------
    str
        Markdown: the break-even share of the horizon, the demand levels around the
        recommended count, and what the plan costs and saves (amounts of the plan's
        exact totals).

    Raises
    ------
    PlanError
        When the pair is not in the plan.

    See Also
    --------
    recommendation_display : The plan of every pair as a table.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> from pai_model.decisions.planning.demand import demand_from_jobs
    >>> from pai_model.decisions.planning.plan import size_commitment
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2026-01-31", "2026-01-21"], "region_id": "cn-wulanchabu",
    ...     "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> plan = size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    >>> text = explain_recommendation(plan, "cn-wulanchabu", "gu7xf-8xGU108")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    A subscribed node costs 23,932.70 USD for 1 month; on pay-as-you-go at 0.73 USD/min
    the same money buys 546.4 hours, 74.9% of the 730-hour horizon. ... Demand reached
    2 nodes 100.0% of the time and 3 nodes 66.7%: subscribe **2** of the peak 3. That costs
    69,181.40 USD with pay-as-you-go above it, ... 16,082.60 saved (18.9 %).
    """
    summary, curves = plan.summary, plan.curves
    row = summary[(summary["region_id"] == region_id) & (summary["hardware"] == hardware)]
    if row.empty:
        raise PlanError([f"{region_id} / {hardware} is not in the plan"])
    row = row.iloc[0]
    mine = curves[(curves["region_id"] == region_id) & (curves["hardware"] == hardware)]
    share = mine.set_index("nodes")["time_share_at_or_above"]
    k, peak, currency = int(row["recommended_nodes"]), int(row["peak_nodes"]), row["currency"]
    months = int(row["months"])
    threshold = row["break_even_hours"] / row["horizon_hours"]
    one_node = bill_amounts(row["subscription_price_per_month"], 1, months, per_minute=False)[0]
    if row.get("payg_price_unit") == "hour":
        payg = (
            f"on the public resource {escape_markdown(row['payg_spec'])} (DLC/DSW"
            f" pay-as-you-go, {format_price(row['payg_price_per_hour'])} {currency}/hour,"
            " billed per minute at the hourly price / 60)"
        )
    else:
        payg = f"on pay-as-you-go at {format_price(row['payg_price_per_minute'])} {currency}/min"
    parts = [
        f"A subscribed node costs {format_money(one_node)} {currency}"
        f" for {months} month{'s' if months != 1 else ''}; {payg} the same money buys"
        f" {row['break_even_hours']:,.1f} hours, {threshold:.1%} of the"
        f" {row['horizon_hours']:,.0f}-hour horizon. So node k is worth subscribing when"
        " demand reaches k at least that share of the time."
    ]
    if k > 0:
        reached = f"Demand reached {k} node{'s' if k != 1 else ''} {share[k]:.1%} of the time"
        if k < peak:
            reached += f" and {k + 1} nodes {share[k + 1]:.1%}"
    else:  # the first node is the one that did not pay off: no "k + 1" to add
        reached = f"Demand reached 1 node only {share.get(1, 0.0):.1%} of the time"
    parts.append(f"{reached}: subscribe **{k}** of the peak {peak}.")
    parts.append(
        f"That costs {format_money(row['plan_cost'])} {currency} with pay-as-you-go above it,"
        f" against {format_money(row['all_payg_cost'])} all pay-as-you-go and"
        f" {format_money(row['all_subscription_cost'])} subscribing the peak:"
        f" {format_money(row['savings'])} saved ({row['savings_percent']:.1f} %)."
    )
    if not row["subscription_purchasable"]:
        parts.append(f"**Nothing is subscribed: {escape_markdown(row['subscription_reason'])}.**")
    if not row["payg_purchasable"]:
        left = (
            f" {row['unserved_node_hours']:,.1f} node-hours of demand are left unserved."
            if row["unserved_node_hours"] > 0
            else " The plan subscribes the peak so that no demand is left to it."
        )
        reason = escape_markdown(row["payg_reason"])
        parts.append(f"**Pay-as-you-go cannot be bought: {reason}.**{left}")
    return " ".join(parts)


def backtest_answer(totals: pd.DataFrame, folds: int) -> str:
    """A backtest's answer: one paragraph, then the key table of its totals (Markdown).

    Parameters
    ----------
    totals : pandas.DataFrame
        :attr:`~pai_model.decisions.backtest.Backtest.totals` (one row per currency, exact
        ``*_minor`` cents beside each amount).
    folds : int
        Test months.

    Examples
    --------
    >>> totals = pd.DataFrame({"currency": ["USD"], "all_payg_cost_minor": [83355190],
    ...     "plan_cost_minor": [81410065], "hindsight_cost_minor": [81257283],
    ...     "realized_savings_minor": [1945125], "hindsight_savings_minor": [2097907],
    ...     "regret_minor": [152782], "capture": [1945125 / 2097907]})
    >>> lines = backtest_answer(totals, 1).splitlines()
    >>> print(lines[0])  # doctest: +NORMALIZE_WHITESPACE
    Over 1 test month the planner's plans saved **19,451.25 USD** against all
    pay-as-you-go; the best plans in hindsight would have saved 20,979.07 USD: the plans
    captured 92.7% of it (regret 1,527.82 USD).
    >>> print(lines[-1])
    | USD | 833,551.90 | 814,100.65 | 812,572.83 | 19,451.25 | 20,979.07 | 1,527.82 | 92.7% |
    """
    if totals.empty:
        return "Nothing was tested: the history is too short for one training and one test month."
    months = f"{folds} test month{'s' if folds != 1 else ''}"
    sentences = []
    for row in totals.itertuples(index=False):
        cur = row.currency
        capture = (
            f": the plans captured {row.capture:.1%} of it"
            if not pd.isna(row.capture)
            else " (nothing to capture)"
        )
        sentences.append(
            f"Over {months} the planner's plans saved"
            f" **{format_minor(row.realized_savings_minor)} {cur}** against all pay-as-you-go;"
            f" the best plans in hindsight would have saved"
            f" {format_minor(row.hindsight_savings_minor)} {cur}{capture}"
            f" (regret {format_minor(row.regret_minor)} {cur})."
        )
    lines = [
        " ".join(sentences),
        "",
        "| currency | all pay-as-you-go | the plans | best in hindsight | realized saving"
        " | hindsight saving | regret | capture |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in totals.itertuples(index=False):
        capture = "" if pd.isna(row.capture) else f"{row.capture:.1%}"
        amounts = " | ".join(format_minor(getattr(row, f"{name}_minor")) for name in MONEY_COLUMNS)
        lines.append(f"| {escape_markdown(row.currency)} | {amounts} | {capture} |")
    return "\n".join(lines)


def backtest_folds_display(folds: pd.DataFrame) -> pd.DataFrame:
    """A backtest's folds for people: the test month, the pair, nodes, money with currency.

    Money is written from the exact cents (``*_minor``) at the currency's precision.
    """

    def money(name: str) -> list[str]:
        return [
            f"{format_minor(cents)} {currency}"
            for cents, currency in zip(folds[f"{name}_minor"], folds["currency"], strict=True)
        ]

    return pd.DataFrame(
        {
            "test month": pd.to_datetime(folds["test_start"]).dt.strftime("%Y-%m"),
            "trained from": pd.to_datetime(folds["train_start"]).dt.strftime("%Y-%m-%d"),
            "region": folds["region_id"],
            "hardware": folds["hardware"],
            "nodes (plan / hindsight)": folds["recommended_nodes"].astype(str)
            + " / "
            + folds["hindsight_nodes"].astype(str),
            "all pay-as-you-go": money("all_payg_cost"),
            "the plan": money("plan_cost"),
            "realized saving": money("realized_savings"),
            "hindsight saving": money("hindsight_savings"),
            "regret": money("regret"),
        }
    )
