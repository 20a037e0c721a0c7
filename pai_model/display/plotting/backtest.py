"""The backtest figure: per test month, what the planner's plan saved and what was possible."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pai_model.display.plotting._style import (
    PAYG_COLOR,
    PLAN_TOTAL_COLOR,
    SUBSCRIPTION_COLOR,
    plot_text,
)


def backtest_figure(by_fold: pd.DataFrame, *, title: str = "Backtest of the planner") -> go.Figure:
    """Realized against hindsight savings per test month, and the regret.

    Parameters
    ----------
    by_fold : pandas.DataFrame
        :attr:`~pai_model.decisions.backtest.Backtest.by_fold` (one currency).
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Bars ``realized savings`` and ``best in hindsight``, a line ``regret`` [currency].

    Examples
    --------
    >>> table = pd.DataFrame({"test_start": pd.to_datetime(["2026-02-01"]), "currency": "USD",
    ...     "realized_savings": [10.0], "hindsight_savings": [12.0], "regret": [2.0]})
    >>> [t.name for t in backtest_figure(table).data]
    ['realized savings', 'best in hindsight', 'regret']
    """
    month = by_fold["test_start"].dt.strftime("%Y-%m")
    currency = plot_text(", ".join(sorted(set(by_fold["currency"]))))
    figure = go.Figure(
        [
            go.Bar(
                x=month,
                y=by_fold["realized_savings"],
                name="realized savings",
                marker_color=PLAN_TOTAL_COLOR,
            ),
            go.Bar(
                x=month,
                y=by_fold["hindsight_savings"],
                name="best in hindsight",
                marker_color=SUBSCRIPTION_COLOR,
            ),
            go.Scatter(
                x=month,
                y=by_fold["regret"],
                name="regret",
                mode="lines+markers",
                line_color=PAYG_COLOR,
            ),
        ]
    )
    figure.update_layout(
        title=plot_text(title),
        barmode="group",
        xaxis_title="test month (plan made on the months before it)",
        yaxis_title=f"savings against all pay-as-you-go [{currency}]",
    )
    return figure
