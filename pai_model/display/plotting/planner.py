"""Figures of the commitment planner (:mod:`pai_model.decisions.planning`) for one (region,
hardware) pair; titles say when the demand is synthetic and when prices are illustrative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pai_model.display.plotting._style import (
    PAYG_COLOR,
    PLAN_DEMAND_COLOR,
    PLAN_TOTAL_COLOR,
    SUBSCRIPTION_COLOR,
    plot_text,
)
from pai_model.errors import PlanError


def _of_pair(table: pd.DataFrame, region_id: str, hardware: str) -> pd.DataFrame:
    return table[(table["region_id"] == region_id) & (table["hardware"] == hardware)]


def _plan_row(summary: pd.DataFrame, region_id: str, hardware: str) -> pd.Series:
    chosen = _of_pair(summary, region_id, hardware)
    if chosen.empty:
        raise PlanError([f"no plan for {region_id} / {hardware}; pick a pair of the summary"])
    return chosen.iloc[0]


def _plan_labels(row: pd.Series) -> str:
    """Subtitle: pair, where the demand and the prices come from."""
    parts = [plot_text(f"{row['region_id']} / {row['hardware']}")]
    if "synthetic" in str(row["demand_source"]).lower():
        parts.append("SYNTHETIC demand")
    if row["provenance"] in ("illustrative", "mixed"):
        parts.append(f"{plot_text(row['provenance'])} prices (not quotes)")
    return "; ".join(parts)


def _plan_title(text: str, row: pd.Series) -> dict:
    return {"text": f"{text}<br><sup>{_plan_labels(row)}</sup>"}


def demand_figure(
    demand: pd.DataFrame, summary: pd.DataFrame, region_id: str, hardware: str
) -> go.Figure:
    """Nodes in use over the history, with the recommended subscription level drawn on it.

    Parameters
    ----------
    demand : pandas.DataFrame
        Demand table (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`).
    summary : pandas.DataFrame
        ``CommitmentPlan.summary``.
    region_id, hardware : str
        The pair to draw.
    """
    row = _plan_row(summary, region_id, hardware)
    mine = _of_pair(demand, region_id, hardware)
    mine = mine.sort_values("start")
    # a step line: each level holds from its start to the next start, the last to its end
    x = pd.concat([mine["start"], mine["end"].iloc[-1:]], ignore_index=True)
    y = np.append(mine["nodes"].to_numpy(), mine["nodes"].to_numpy()[-1:])
    recommended = int(row["recommended_nodes"])
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                line={"shape": "hv", "color": PLAN_DEMAND_COLOR, "width": 1},
                name="nodes in use",
            ),
            go.Scatter(
                x=[x.iloc[0], x.iloc[-1]],
                y=[recommended, recommended],
                mode="lines",
                line={"color": SUBSCRIPTION_COLOR, "width": 3, "dash": "dash"},
                name=f"subscribe {recommended} nodes",
            ),
        ]
    )
    figure.update_layout(
        title=_plan_title("Demand and the recommended subscription", row),
        xaxis_title="time",
        yaxis_title="nodes",
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def cost_curve_figure(
    curves: pd.DataFrame, summary: pd.DataFrame, region_id: str, hardware: str
) -> go.Figure:
    """Cost over the horizon for every subscribed count, with the recommended one marked.

    The recommended count is the cheapest one unless an offer cannot be bought now (see
    :func:`~pai_model.decisions.planning.plan.size_commitment`).

    Parameters
    ----------
    curves : pandas.DataFrame
        ``CommitmentPlan.curves``.
    summary : pandas.DataFrame
        ``CommitmentPlan.summary``.
    region_id, hardware : str
        The pair to draw.
    """
    row = _plan_row(summary, region_id, hardware)
    mine = _of_pair(curves, region_id, hardware)
    currency, months = row["currency"], int(row["months"])
    best = mine[mine["recommended"]].iloc[0]
    figure = go.Figure(
        [
            go.Scatter(
                x=mine["nodes"],
                y=mine["total_cost"],
                mode="lines+markers",
                name="total",
                line={"color": PLAN_TOTAL_COLOR, "width": 3},
            ),
            go.Scatter(
                x=mine["nodes"],
                y=mine["subscription_cost"],
                mode="lines",
                name="subscription part",
                line={"color": SUBSCRIPTION_COLOR},
            ),
            go.Scatter(
                x=mine["nodes"],
                y=mine["payg_cost"],
                mode="lines",
                name="pay-as-you-go part",
                line={"color": PAYG_COLOR},
            ),
            go.Scatter(
                x=[best["nodes"]],
                y=[best["total_cost"]],
                mode="markers+text",
                marker={"size": 14, "color": "black", "symbol": "star"},
                text=[f"recommended: {int(best['nodes'])} nodes"],
                textposition="top center",
                name="recommended",
            ),
        ]
    )
    figure.add_hline(
        y=row["all_payg_cost"],
        line_dash="dot",
        line_color=PAYG_COLOR,
        annotation_text="all pay-as-you-go",
        annotation_position="bottom right",
    )
    figure.update_layout(
        title=_plan_title(
            f"Cost of subscribing k nodes for {months} month{'s' * (months != 1)}", row
        ),
        xaxis_title="subscribed nodes k",
        yaxis_title=f"cost over the horizon [{plot_text(currency)}]",
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def load_duration_figure(
    curves: pd.DataFrame, summary: pd.DataFrame, region_id: str, hardware: str
) -> go.Figure:
    """The load-duration curve: share of time demand is at least k, for every k.

    Node k pays for its subscription when demand reaches k at least the break-even share
    of the time (``break_even_hours`` / hours in the horizon); the vertical line marks
    that share, and the nodes to its right are the ones worth subscribing.

    Parameters
    ----------
    curves, summary : pandas.DataFrame
        ``CommitmentPlan.curves`` and ``CommitmentPlan.summary``.
    region_id, hardware : str
        The pair to draw.
    """
    row = _plan_row(summary, region_id, hardware)
    mine = _of_pair(curves, region_id, hardware)
    mine = mine[mine["nodes"] > 0]
    threshold = row["break_even_hours"] / row["horizon_hours"]
    worth = mine["time_share_at_or_above"] >= threshold
    figure = go.Figure(
        [
            go.Bar(
                x=mine["time_share_at_or_above"],
                y=mine["nodes"],
                orientation="h",
                marker_color=np.where(worth, SUBSCRIPTION_COLOR, PAYG_COLOR),
                name="share of time demand >= k",
                hovertemplate="k = %{y}: demand >= k %{x:.1%} of the time<extra></extra>",
            )
        ]
    )
    figure.add_vline(
        x=threshold,
        line_dash="dash",
        line_color="black",
        annotation_text=f"break-even {threshold:.1%}",
        annotation_position="top",
    )
    figure.update_layout(
        title=_plan_title("Load-duration curve: subscribe the nodes busy beyond break-even", row),
        xaxis_title="share of the time demand is at least k",
        yaxis_title="node k",
        xaxis_tickformat=".0%",
        showlegend=False,
    )
    return figure


def savings_distribution_figure(
    scenarios: pd.DataFrame, summary: pd.DataFrame, region_id: str, hardware: str
) -> go.Figure:
    """Savings against all pay-as-you-go across demand scenarios.

    Parameters
    ----------
    scenarios : pandas.DataFrame
        ``PlanSimulation.scenarios``.
    summary : pandas.DataFrame
        ``CommitmentPlan.summary`` (for the labels and the currency).
    region_id, hardware : str
        The pair to draw.
    """
    row = _plan_row(summary, region_id, hardware)
    mine = _of_pair(scenarios, region_id, hardware)
    figure = go.Figure(
        [
            go.Histogram(
                x=mine["savings"],
                name=f"subscribe {int(row['recommended_nodes'])} nodes",
                marker_color=SUBSCRIPTION_COLOR,
                opacity=0.7,
            ),
            go.Histogram(
                x=mine["optimal_savings"],
                name="best count of each scenario",
                marker_color=PLAN_TOTAL_COLOR,
                opacity=0.5,
            ),
        ]
    )
    figure.add_vline(x=0, line_color="black", annotation_text="break even")
    figure.update_layout(
        barmode="overlay",
        title=_plan_title(f"Savings over {len(mine)} demand scenarios", row),
        xaxis_title=f"savings against all pay-as-you-go [{plot_text(row['currency'])}]",
        yaxis_title="scenarios",
        legend={"orientation": "h", "y": -0.2},
    )
    return figure
