"""Cost against usage: one offer pair, every pair of a break-even table, and the
break-even utilization by region.

Costs are exact bills (:func:`~pai_model.formulas.billing.subscription_cost`,
:func:`~pai_model.formulas.billing.payg_cost`); every figure states its month convention and
whether its prices are illustrative.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.display.plotting._style import (
    GROUP_COLORS,
    HOVER_Y_MONEY,
    PAYG_COLOR,
    PROVENANCE_PATTERN,
    SUBSCRIPTION_COLOR,
    USAGE_GRID,
    cost_axis,
    horizon_note,
    month_note,
    offer_flags,
    plot_text,
    provenance_note,
    region_colors,
    table_provenance_note,
)
from pai_model.errors import InputError
from pai_model.formulas.billing import subscription_cost
from pai_model.formulas.breakeven import break_even_hours_per_day, monthly_minutes
from pai_model.formulas.engine import bill_amounts


class _Curves(NamedTuple):
    """Costs of n offer pairs over :data:`USAGE_GRID`, computed in one pass. [currency]"""

    subscription: np.ndarray  # (n,) flat cost over the horizon
    payg: np.ndarray  # (n, len(USAGE_GRID)) pay-as-you-go cost at each usage
    break_even_hours: np.ndarray  # (n,) break-even usage [h/day]
    at_usage: np.ndarray | None  # (n,) pay-as-you-go cost at the current usage


def _cost_curves(
    subscription_prices: np.ndarray,
    payg_prices: np.ndarray,
    *,
    quantity: int,
    months: int,
    hours_per_month: float,
    usage_hours_per_day: float | None,
    hourly: np.ndarray | None = None,
) -> _Curves:
    """Exact bills for every pair and usage with one call of each billing formula.

    One call per figure rather than per trace: each call has a fixed cost that would
    otherwise dominate a chart of many regions. ``hourly`` marks the pay-as-you-go prices
    that are per hour (public resources, billed per minute at price / 60).
    """
    sub_prices = np.atleast_1d(np.asarray(subscription_prices, dtype=np.float64))
    payg_prices = np.atleast_1d(np.asarray(payg_prices, dtype=np.float64))
    hourly = np.zeros(len(payg_prices), dtype=bool) if hourly is None else hourly
    usages = (
        USAGE_GRID if usage_hours_per_day is None else np.append(USAGE_GRID, usage_hours_per_day)
    )
    minutes = monthly_minutes(usages, months=months, hours_per_month=hours_per_month)
    payg = np.empty((len(payg_prices), len(minutes)))
    for unit, rows in (("hour", hourly), ("minute", ~hourly)):
        if rows.any():
            payg[rows] = bill_amounts(payg_prices[rows, None], quantity, minutes, price_unit=unit)[
                0
            ]
    per_minute = np.where(hourly, payg_prices / 60.0, payg_prices)
    hours = break_even_hours_per_day(sub_prices, per_minute, hours_per_month=hours_per_month)
    return _Curves(
        subscription=subscription_cost(sub_prices, quantity, months),
        payg=payg[:, : len(USAGE_GRID)],
        break_even_hours=np.asarray(hours),
        at_usage=None if usage_hours_per_day is None else payg[:, -1],
    )


def _offer_traces(
    curves: _Curves,
    i: int,
    *,
    currency: str,
    usage_hours_per_day: float | None,
    name: str,
    subscription_color: str,
    payg_color: str,
    legendgroup: str | None = None,
    showlegend: bool = True,
    label_break_even: bool = True,
    hover_note: str = "",
) -> list[go.Scatter]:
    """The four traces of offer pair ``i`` of ``curves``, always in this order and present.

    ``subscription`` (flat), ``pay-as-you-go`` (rising), ``break-even`` (one marker, empty
    beyond 24 h/day) and ``at <usage> h/day`` (empty without a usage). A fixed set lets a
    ``FigureWidget`` be updated trace by trace. Shared by :func:`cost_vs_usage_figure` and
    :func:`breakeven_by_region_figure`. ``hover_note`` (e.g. "illustrative prices") is
    added to every hover label.
    """
    prefix = f"{plot_text(name)}: " if name else ""
    unit = plot_text(currency) + (f"<br>{hover_note}" if hover_note else "")
    note = f"<br>{hover_note}" if hover_note else ""
    subscription = float(curves.subscription[i])
    hours = float(curves.break_even_hours[i])
    marked = hours <= 24
    usage = [] if usage_hours_per_day is None else [usage_hours_per_day] * 2
    at_usage = [] if curves.at_usage is None else [subscription, float(curves.at_usage[i])]
    usage_label = (
        "current usage" if usage_hours_per_day is None else f"{usage_hours_per_day:g} h/day"
    )
    return [
        go.Scatter(
            x=[0.0, 24.0],
            y=[subscription, subscription],
            mode="lines",
            name=f"{prefix}{LABELS[SUBSCRIPTION]}",
            line={"color": subscription_color, "dash": "dash"},
            legendgroup=legendgroup,
            showlegend=showlegend,
            hovertemplate=(
                f"{prefix}{LABELS[SUBSCRIPTION]}<br>{HOVER_Y_MONEY} {unit}<extra></extra>"
            ),
        ),
        go.Scatter(
            x=USAGE_GRID,
            y=curves.payg[i],
            mode="lines",
            name=f"{prefix}{LABELS[PAYG]}",
            line={"color": payg_color},
            legendgroup=legendgroup,
            showlegend=showlegend,
            hovertemplate=(
                f"{prefix}{LABELS[PAYG]}<br>%{{x:.2f}} h/day: {HOVER_Y_MONEY} {unit}<extra></extra>"
            ),
        ),
        go.Scatter(
            x=[hours] if marked else [],
            y=[subscription] if marked else [],
            mode="markers+text" if label_break_even else "markers",
            name=f"{prefix}break-even",
            marker={
                "symbol": "diamond",
                "size": 11,
                "color": subscription_color,
                "line": {"color": "black", "width": 1},
            },
            text=[f"break-even {hours:.1f} h/day"] if marked and label_break_even else None,
            textposition="top left",
            legendgroup=legendgroup,
            showlegend=False,
            hovertemplate=f"{prefix}break-even<br>%{{x:.2f}} h/day{note}<extra></extra>",
        ),
        go.Scatter(
            x=usage,
            y=at_usage,
            mode="markers+lines",
            name=f"{prefix}at {usage_label}",
            line={"color": "gray", "dash": "dot"},
            marker={"size": 9, "color": [subscription_color, payg_color]},
            legendgroup=legendgroup,
            showlegend=False,
            hovertemplate=f"{prefix}at %{{x:g}} h/day<br>{HOVER_Y_MONEY} {unit}<extra></extra>",
        ),
    ]


def cost_vs_usage_figure(
    subscription_price: float,
    payg_price: float,
    *,
    currency: str = "USD",
    quantity: int = 1,
    months: int = 1,
    hours_per_month: float = 730,
    usage_hours_per_day: float | None = None,
    name: str = "",
    provenance: str | None = None,
    title: str | None = None,
    payg_price_unit: str = "minute",
) -> go.Figure:
    """Cost of one offer pair against usage: subscription flat, pay-as-you-go rising.

    The what-if panel and the break-even report draw the same picture with this function
    (the report's per-region chart shares its traces). Costs are exact bills
    (:func:`~pai_model.formulas.billing.subscription_cost`,
    :func:`~pai_model.formulas.billing.payg_cost`).

    Parameters
    ----------
    subscription_price : float
        Subscription price of one node (apply any discount before). [currency/month]
    payg_price : float
        Pay-as-you-go price of one node (apply any discount before). [currency/minute],
        or [currency/hour] with ``payg_price_unit`` "hour"
    currency : str, default "USD"
        ISO 4217 code shown on the axis and in hovers.
    quantity : int, default 1
        Number of nodes; costs are for all of them. [nodes]
    months : int, default 1
        Horizon: whole months subscribed, and months of pay-as-you-go use at the same
        daily usage. [month]
    hours_per_month : float, default 730
        Hours in a month (730 = 365 x 24 / 12), the convention turning h/day into
        minutes of use per month. [h/month]
    usage_hours_per_day : float or None, default None
        Current usage; when given, a dotted marker pair shows both costs at it. [h/day]
    name : str, default ""
        Label prefixed to the trace names (``"<name>: subscription"``).
    provenance : {"documented", "illustrative", "mixed"} or None, default None
        Where the prices come from, stated under the title.
    title : str or None, default None
        Figure title; "Cost against usage" (with ``name``) when None.
    payg_price_unit : {"minute", "hour"}, default "minute"
        "hour" for a public resource (DLC/DSW): billed per minute at the price / 60.

    Returns
    -------
    plotly.graph_objects.Figure
        Always four traces, in this order, so a ``go.FigureWidget`` made from it can be
        updated in place trace by trace (``fw.data[i].update(x=..., y=...)`` inside
        ``fw.batch_update()``, taking the values from a fresh call):

        0. ``subscription``: two points, flat over 0-24 h/day;
        1. ``pay-as-you-go``: usage 0-24 h/day in quarter hours (:data:`USAGE_GRID`);
        2. ``break-even``: one diamond at (break-even usage, subscription cost), empty
           when the break-even usage exceeds 24 h/day (pay-as-you-go always cheaper);
        3. ``at <usage> h/day``: both costs at the current usage, empty when
           ``usage_hours_per_day`` is None.

        x: usage [h/day]; y: cost over the horizon [currency].

    Examples
    --------
    The two Ulanqab GU108 offers of the billing page: 23,932.70 USD/month against
    0.73 USD/minute break even at 23,932.70 / 0.73 = 32,784.52 minutes a month, that is
    32,784.52 / 60 / (730 / 24) = 17.96 h/day. At 8 h/day pay-as-you-go costs
    0.73 x 8 x 60 x 730 / 24 = 0.73 x 14,600 = 10,658.00 USD a month.

    >>> fig = cost_vs_usage_figure(23932.70, 0.73, usage_hours_per_day=8)
    >>> [trace.name for trace in fig.data]
    ['subscription', 'pay-as-you-go', 'break-even', 'at 8 h/day']
    >>> round(fig.data[2].x[0], 2), fig.data[3].y
    (17.96, (23932.7, 10658.0))
    """
    curves = _cost_curves(
        subscription_price,
        payg_price,
        quantity=quantity,
        months=months,
        hours_per_month=hours_per_month,
        usage_hours_per_day=usage_hours_per_day,
        hourly=np.array([payg_price_unit == "hour"]),
    )
    traces = _offer_traces(
        curves,
        0,
        currency=currency,
        usage_hours_per_day=usage_hours_per_day,
        name=name,
        subscription_color=SUBSCRIPTION_COLOR,
        payg_color=PAYG_COLOR,
    )
    fig = go.Figure(traces)
    heading = plot_text(
        title if title is not None else "Cost against usage" + (f": {name}" if name else "")
    )
    fig.update_layout(
        title={
            "text": f"{heading}<br><sup>{horizon_note(quantity, months, hours_per_month)}"
            f"{provenance_note(provenance)}</sup>"
        },
        xaxis={"title": {"text": "usage [h/day]"}, "range": [0, 24.5], "dtick": 2},
        yaxis={"title": {"text": cost_axis(currency, months)}, "rangemode": "tozero"},
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.18},
        margin={"t": 80},
    )
    return fig


def breakeven_by_region_figure(
    table: pd.DataFrame,
    *,
    usage_hours_per_day: float | None = None,
    hours_per_month: float | None = None,
    title: str = "Monthly cost per node against usage",
) -> go.Figure:
    """Cost per node-month against usage for every offer pair of a break-even table.

    One panel per hardware; in each, one trace group per region (the four traces of
    :func:`cost_vs_usage_figure`, named ``"<region name>: <trace>"``, in the region's
    colour: subscription dashed, pay-as-you-go solid, break-even diamond, current usage
    dotted). Clicking a region in the legend toggles it in every panel. Each hover label
    says where the prices come from and whether the pair is out of stock; the subtitle
    counts the illustrative pairs.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`~pai_model.decisions.comparison.break_even_table`.
    usage_hours_per_day : float or None, default None
        Usage to mark on every pair. [h/day]
    hours_per_month : float or None, default None
        The month convention [h/month]; None takes ``table.attrs["hours_per_month"]``
        (730 when absent).
    title : str
        Figure title; the month convention and the provenance are added below it.

    Returns
    -------
    plotly.graph_objects.Figure
        ``4 x len(table)`` traces, ordered by hardware then region as in ``table``.
    """
    if table.empty:
        raise InputError("table", "the break-even table is empty: select at least one offer pair")
    hours_per_month = hours_per_month or float(table.attrs.get("hours_per_month", 730))
    hardware = list(dict.fromkeys(table["hardware"]))
    currencies = {
        h: "/".join(sorted(set(table.loc[table["hardware"] == h, "currency"]))) for h in hardware
    }
    fig = make_subplots(
        rows=len(hardware),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.22 / len(hardware),
        subplot_titles=[plot_text(f"{h} [{currencies[h]}]") for h in hardware],
    )
    colors = region_colors(table["region_id"])
    # a public offer (general computing's pay-as-you-go) is billed at its hourly price
    hourly = (table["payg_price_unit"] == "hour").to_numpy()
    curves = _cost_curves(
        table["subscription_price_per_month"].to_numpy(),
        np.where(hourly, table["payg_price_per_hour"], table["payg_price_per_minute"]),
        quantity=1,
        months=1,
        hours_per_month=hours_per_month,
        usage_hours_per_day=usage_hours_per_day,
        hourly=hourly,
    )
    shown: set[str] = set()
    for panel, key in enumerate(hardware, start=1):
        for i in np.flatnonzero((table["hardware"] == key).to_numpy()):
            row = table.iloc[i]
            region = row["region_id"]
            traces = _offer_traces(
                curves,
                int(i),
                currency=row["currency"],
                usage_hours_per_day=usage_hours_per_day,
                name=row["region_name"] or region,
                subscription_color=colors[region],
                payg_color=colors[region],
                legendgroup=region,
                showlegend=region not in shown,
                label_break_even=False,
                hover_note=offer_flags(row),
            )
            shown.add(region)
            for trace in traces:
                fig.add_trace(trace, row=panel, col=1)
        fig.update_yaxes(
            title_text=plot_text(f"cost [{currencies[key]}/month]"),
            rangemode="tozero",
            row=panel,
            col=1,
        )
    fig.update_xaxes(range=[0, 24.5], dtick=2)
    fig.update_xaxes(title_text="usage [h/day]", row=len(hardware), col=1)
    fig.update_layout(
        title={
            "text": f"{plot_text(title)}<br><sup>dashed: subscription, solid: pay-as-you-go,"
            f" diamond: break-even; {month_note(hours_per_month)}"
            f"{table_provenance_note(table)}</sup>"
        },
        height=200 + 300 * len(hardware),
        hovermode="closest",
        legend={"title": {"text": "region"}},
        margin={"t": 100},
    )
    return fig


def break_even_utilization_figure(
    table: pd.DataFrame,
    *,
    title: str = "Break-even utilization by region",
) -> go.Figure:
    """Horizontal bars of break-even utilization per region, one bar colour per hardware.

    Regions are sorted by their lowest break-even utilization, the region where a
    subscription pays off soonest on top. Bars of illustrative prices are hatched (``/``),
    of a documented and an illustrative price cross-hatched (``x``); unbuyable pairs are
    marked in the hover and the bar text.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`~pai_model.decisions.comparison.break_even_table`.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per hardware; x: break-even utilization [%] (100 % = the node runs
        all month; above it pay-as-you-go always wins), y: region name.
    """
    if table.empty:
        raise InputError("table", "the break-even table is empty: select at least one offer pair")
    hours_per_month = float(table.attrs.get("hours_per_month", 730))
    data = table.assign(
        label=table["region_name"]
        .where(table["region_name"] != "", table["region_id"])
        .map(plot_text),
        percent=table["break_even_utilization"] * 100,
    )
    order = data.groupby("label")["percent"].min().sort_values(ascending=False).index.tolist()
    fig = go.Figure()
    for i, (hardware, group) in enumerate(data.groupby("hardware", sort=True)):
        text = [
            f"{p:.1f}% ({h:.1f} h/day)" + ("" if ok else ", out of stock")
            for p, h, ok in zip(
                group["percent"],
                group["break_even_hours_per_day"],
                group["purchasable"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Bar(
                x=group["percent"],
                y=group["label"],
                orientation="h",
                name=plot_text(hardware),
                text=text,
                textposition="auto",
                marker={
                    "color": GROUP_COLORS[i % len(GROUP_COLORS)],
                    "pattern": {
                        "shape": [PROVENANCE_PATTERN.get(p, "x") for p in group["provenance"]]
                    },
                },
                customdata=np.stack(
                    [group["provenance"].map(plot_text), group["currency"].map(plot_text)],
                    axis=-1,
                ),
                hovertemplate=(
                    f"%{{y}} · {plot_text(hardware)}<br>break-even %{{x:.1f}}% of the month"
                    "<br>%{text}<br>prices: %{customdata[0]}<extra></extra>"
                ),
            )
        )
    fig.add_vline(
        x=100,
        line={"color": "gray", "dash": "dot"},
        annotation_text="100%: runs all month",
        annotation_position="top",
    )
    fig.update_layout(
        title={
            "text": f"{plot_text(title)}<br><sup>lower: a subscription pays off at less use;"
            f" {month_note(hours_per_month)}{table_provenance_note(table)}"
            "; hatched: illustrative</sup>"
        },
        barmode="group",
        xaxis={
            "title": {"text": "break-even utilization [% of the month]"},
            "range": [0, max(105.0, float(data["percent"].max()) * 1.05)],
        },
        yaxis={"categoryorder": "array", "categoryarray": order},
        height=180 + 28 * len(data),
        legend={"title": {"text": "hardware"}},
        margin={"t": 100},
    )
    return fig
