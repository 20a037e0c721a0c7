"""Project and fleet figures: a fixed-length project's staircase against a line, and a
fleet's total under each plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..errors import InputError
from ._style import PAYG_COLOR, SUBSCRIPTION_COLOR, plot_text


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
        :func:`~pai_model.comparison.project_length_table` over a fine grid of days.
    crossovers : pandas.DataFrame
        :func:`~pai_model.comparison.project_crossovers` over the same range.
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
                    f" %{{y:,.2f}} {currency}<extra>subscription</extra>"
                ),
            ),
            go.Scatter(
                x=table["days"],
                y=table["payg_cost"],
                mode="lines",
                name="pay-as-you-go",
                line={"color": PAYG_COLOR},
                hovertemplate=(
                    f"%{{x:.2f}} days: %{{y:,.2f}} {currency}<extra>pay-as-you-go</extra>"
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


def fleet_totals_figure(totals: pd.DataFrame, *, title: str = "Fleet cost by plan") -> go.Figure:
    """Bars of the fleet's total cost under each plan, one panel column per currency.

    Parameters
    ----------
    totals : pandas.DataFrame
        ``FleetPlan.totals`` of :func:`~pai_model.fleet.plan_fleet`: ``currency``, ``plan``,
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
                text=[f"{c:,.2f}" for c in part["cost"]],
                textposition="auto",
                hovertemplate=f"%{{x}}: %{{y:,.2f}} {plot_text(currency)}<extra></extra>",
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
