"""Project and fleet figures: a fixed-length project's staircase against a line, a dated
project's cheapest plan, and a fleet's total under each plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.display.plotting._style import (
    HOVER_Y_MONEY,
    PAYG_COLOR,
    SUBSCRIPTION_COLOR,
    plot_text,
)
from pai_model.errors import InputError
from pai_model.formulas.money_text import format_money


def project_length_figure(
    table: pd.DataFrame,
    crossovers: pd.DataFrame,
    *,
    currency: str = "USD",
    title: str = "Project length: whole-month subscription against pay-as-you-go",
    subtitle: str = "",
) -> go.Figure:
    """Cost of a fixed-length project against its length: a staircase against a line.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~pai_model.decisions.comparison.project_length_table` over a fine grid of days.
    crossovers : pandas.DataFrame
        :func:`~pai_model.decisions.comparison.project_crossovers` over the same range.
    currency : str, default "USD"
        Currency of the costs.
    title, subtitle : str
        Figure title and a line under it (the nodes, usage and provenance, say).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces ``subscription`` (staircase), ``pay-as-you-go`` (line) and ``crossovers``
        (a marker where the cheaper method changes); the intervals where each method wins
        are shaded. x: project length [days]; y: project cost [currency].
    """
    changes = crossovers["start_days"].iloc[1:].to_numpy(dtype=float)
    # markers sit on the pay-as-you-go line (a straight line, so interpolation is exact);
    # at a month boundary the subscription jumps past it rather than meeting it
    at_change = np.interp(changes, table["days"], table["payg_cost"])
    fig = go.Figure(
        [
            go.Scatter(
                x=table["days"],
                y=table["subscription_cost"],
                mode="lines",
                line_shape="hv",
                name="subscription (whole months)",
                line={"color": SUBSCRIPTION_COLOR},
                customdata=table["months_billed"],
                hovertemplate=(
                    f"%{{x:.2f}} days: %{{customdata}} month(s),"
                    f" {HOVER_Y_MONEY} {currency}<extra>{LABELS[SUBSCRIPTION]}</extra>"
                ),
            ),
            go.Scatter(
                x=table["days"],
                y=table["payg_cost"],
                mode="lines",
                name=LABELS[PAYG],
                line={"color": PAYG_COLOR},
                hovertemplate=(
                    f"%{{x:.2f}} days: {HOVER_Y_MONEY} {currency}<extra>{LABELS[PAYG]}</extra>"
                ),
            ),
            go.Scatter(
                x=changes,
                y=at_change,
                mode="markers+text",
                name="crossovers",
                marker={"symbol": "diamond", "size": 10, "color": "black"},
                text=[f"{d:.1f} d" for d in changes],
                textposition="top left",
                hovertemplate="crossover at %{x:.2f} days<extra></extra>",
            ),
        ]
    )
    shade = {"payg": PAYG_COLOR, "subscription": SUBSCRIPTION_COLOR}
    for row in crossovers.itertuples(index=False):
        fig.add_vrect(
            x0=row.start_days,
            x1=row.end_days,
            fillcolor=shade[row.cheaper],
            opacity=0.08,
            line_width=0,
            layer="below",
        )
    fig.update_layout(
        title={
            "text": f"{plot_text(title)}<br><sup>{plot_text(subtitle)}{'; ' if subtitle else ''}"
            "shaded: orange where pay-as-you-go wins, blue where the subscription"
            " wins</sup>"
        },
        xaxis={"title": {"text": "project length [days]"}, "rangemode": "tozero"},
        yaxis={"title": {"text": f"project cost [{currency}]"}, "rangemode": "tozero"},
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "top", "y": -0.18},
        margin={"t": 100},
    )
    return fig


def project_plan_figure(
    plan: pd.DataFrame,
    *,
    currency: str = "USD",
    title: str = "The cheapest plan: calendar-month subscriptions and pay-as-you-go",
    subtitle: str = "",
) -> go.Figure:
    """A dated project's plan: its segments on a timeline, and its cost to date.

    Parameters
    ----------
    plan : pandas.DataFrame
        :func:`~pai_model.decisions.projects.plan_project`.
    currency : str, default "USD"
        Currency of the costs.
    title, subtitle : str
        Figure title and a line under it.

    Returns
    -------
    plotly.graph_objects.Figure
        Top: one bar per segment (trace ``subscription`` or ``pay-as-you-go`` per
        method), from its start to its end, labelled with its cost. Bottom: cost to date
        [currency] of the plan (trace ``cheapest plan``; a subscription is paid when it is
        bought), of all pay-as-you-go and of whole-month subscription. x: time.
    """
    if plan.empty:
        raise InputError("plan", "a plan without segments: nothing to draw")
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.3, 0.7], vertical_spacing=0.08
    )
    names = LABELS
    colors = {"subscription": SUBSCRIPTION_COLOR, "payg": PAYG_COLOR}
    for method in ("subscription", "payg"):
        part = plan[plan["method"] == method]
        if part.empty:
            continue
        milliseconds = (part["end"] - part["start"]).dt.total_seconds() * 1000.0
        fig.add_trace(
            go.Bar(
                x=milliseconds,
                base=part["start"],
                y=["plan"] * len(part),
                orientation="h",
                name=names[method],
                marker={"color": colors[method]},
                text=[format_money(c) for c in part["cost"]],
                textposition="inside",
                hovertemplate=f"{names[method]}: %{{text}} {plot_text(currency)}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    first, last = plan["start"].iloc[0], plan["end"].iloc[-1]
    times, costs, total = [first], [0.0], 0.0
    for row in plan.itertuples(index=False):
        if row.method == "subscription":  # prepaid when bought
            times.append(row.start)
            costs.append(total + row.cost)
        total += row.cost
        times.append(row.end)
        costs.append(total)
    whole = float(plan.attrs["subscription_total"])
    lines = [
        ("cheapest plan", times, costs, "black"),
        ("all pay-as-you-go", [first, last], [0.0, float(plan.attrs["payg_total"])], PAYG_COLOR),
        ("whole-month subscription", [first, first, last], [0.0, whole, whole], SUBSCRIPTION_COLOR),
    ]
    for name, x, y, color in lines:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=name,
                line={"color": color, "dash": "solid" if color == "black" else "dot"},
                hovertemplate=f"%{{x}}: {HOVER_Y_MONEY} {plot_text(currency)}<extra>{name}</extra>",
            ),
            row=2,
            col=1,
        )
    fig.update_yaxes(title_text=f"cost to date [{plot_text(currency)}]", rangemode="tozero", row=2)
    fig.update_yaxes(showticklabels=False, row=1)
    fig.update_xaxes(type="date")
    fig.update_layout(
        title={
            "text": f"{plot_text(title)}<br><sup>{plot_text(subtitle)}{'; ' if subtitle else ''}"
            f"total {format_money(plan.attrs['total'])} {plot_text(currency)}; subscriptions"
            " are paid when bought</sup>"
        },
        barmode="overlay",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12},
        margin={"t": 100},
    )
    return fig


def fleet_totals_figure(totals: pd.DataFrame, *, title: str = "Fleet cost by plan") -> go.Figure:
    """Bars of the fleet's total cost under each plan, one panel column per currency.

    Parameters
    ----------
    totals : pandas.DataFrame
        ``FleetPlan.totals`` of :func:`~pai_model.decisions.fleet.plan_fleet`: ``currency``,
        ``plan``,
        ``cost``.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per currency; x: plan, y: total cost [currency].
    """
    if totals.empty:
        raise InputError("totals", "no fleet row can be bought: no total to draw")
    currencies = list(dict.fromkeys(totals["currency"]))
    fig = make_subplots(
        rows=1, cols=len(currencies), subplot_titles=[plot_text(c) for c in currencies]
    )
    colors = [SUBSCRIPTION_COLOR, PAYG_COLOR, "#2ca02c"]
    for col, currency in enumerate(currencies, start=1):
        part = totals[totals["currency"] == currency]
        fig.add_trace(
            go.Bar(
                x=part["plan"],
                y=part["cost"],
                name=plot_text(currency),
                marker={"color": colors},
                text=[format_money(c) for c in part["cost"]],
                textposition="auto",
                hovertemplate=f"%{{x}}: {HOVER_Y_MONEY} {plot_text(currency)}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        fig.update_yaxes(title_text=f"total cost [{plot_text(currency)}]", row=1, col=col)
    fig.update_layout(
        title={
            "text": f"{plot_text(title)}<br><sup>rows offering one method are on it in every"
            " plan</sup>"
        },
        margin={"t": 100},
    )
    return fig
