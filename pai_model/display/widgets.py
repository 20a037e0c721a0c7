"""The what-if panel for JupyterLab and Voila: controls wired to :mod:`pai_model.decisions.whatif`.

All numbers, texts and figures come from :mod:`pai_model.decisions.whatif`; this module only builds
the controls, reads them into a :class:`~pai_model.decisions.whatif.WhatIfState` and applies the
result to the chart (in place, inside ``batch_update``) and the text boxes.

Every control carries a stable CSS class (``pai-whatif-<name>``, see :data:`CSS_CLASSES`)
so that browser tests and custom styles can find it.
"""

from __future__ import annotations

import html
from dataclasses import asdict, replace
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from pai_model.decisions import whatif
from pai_model.display.whatif import figure, figure_update, plan_html, provenance_html, summary_text
from pai_model.errors import PaiModelError
from pai_model.formulas.breakeven import MONTH_CONVENTIONS

#: CSS class of each part of the panel, by the name of its attribute in ``panel.controls``
#: (controls) or on the panel (``chart``, ``summary``, ``provenance``).
CSS_CLASSES = {
    "region_id": "pai-whatif-region",
    "hardware": "pai-whatif-hardware",
    "usage_hours_per_day": "pai-whatif-usage",
    "nodes": "pai-whatif-nodes",
    "months": "pai-whatif-months",
    "subscription_percent_off": "pai-whatif-subscription-percent-off",
    "payg_percent_off": "pai-whatif-payg-percent-off",
    "month_convention": "pai-whatif-month-convention",
    "start": "pai-whatif-start",
    "held_nodes": "pai-whatif-held-nodes",
    "chart": "pai-whatif-chart",
    "plan": "pai-whatif-plan",
    "summary": "pai-whatif-summary",
    "provenance": "pai-whatif-provenance",
}

_WIDE = {"description_width": "initial"}


class WhatIfPanel(widgets.VBox):
    """The panel: controls, the summary line, then the chart with the prices' provenance.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        One control per :class:`~pai_model.decisions.whatif.WhatIfState` field, by field name.
    figure : plotly.graph_objects.FigureWidget
        The chart, updated in place.
    summary, provenance : ipywidgets.HTML
        The summary line and the provenance of both prices.
    plan : ipywidgets.HTML
        With a start date, the cheapest mix of calendar months and pay-as-you-go: its
        segments, with expiry and renew-by dates.
    result : pai_model.decisions.whatif.WhatIfResult
        What the panel shows now.
    """

    def __init__(
        self,
        pairs: pd.DataFrame,
        state: whatif.WhatIfState,
        held: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.pairs = pairs
        #: Nodes held per (region, hardware), when the panel was given held subscriptions:
        #: choosing a pair sets its held count.
        self.held = held or {}
        self._quiet = False
        self.controls = _controls(pairs, state)
        for name, control in self.controls.items():
            control.add_class(CSS_CLASSES[name])
        self.result = whatif.evaluate(state, pairs)
        self.figure = go.FigureWidget(figure(self.result))
        self.summary = widgets.HTML(summary_text(self.result), style={"font_size": "1.1em"})
        self.summary.add_class(CSS_CLASSES["summary"])
        self.provenance = widgets.HTML(
            provenance_html(self.result), layout=widgets.Layout(width="30%", padding="0 0 0 1em")
        )
        self.provenance.add_class(CSS_CLASSES["provenance"])
        self.plan = widgets.HTML(plan_html(self.result))
        self.plan.add_class(CSS_CLASSES["plan"])
        chart = widgets.Box([self.figure], layout=widgets.Layout(width="70%"))
        chart.add_class(CSS_CLASSES["chart"])
        c = self.controls
        rows = [
            widgets.HBox([c["region_id"], c["hardware"]]),
            widgets.HBox([c["usage_hours_per_day"], c["nodes"], c["months"], c["held_nodes"]]),
            widgets.HBox(
                [c["subscription_percent_off"], c["payg_percent_off"], c["month_convention"]]
            ),
            c["start"],
            self.summary,
            widgets.HBox([chart, self.provenance]),
            self.plan,
        ]
        super().__init__(rows)
        c["region_id"].observe(self._on_region, names="value")
        if self.held:
            c["hardware"].observe(self._on_pair, names="value")
        for name, control in c.items():
            if name != "region_id":
                control.observe(self._on_change, names="value")

    def state(self) -> whatif.WhatIfState:
        """The settings the controls show now."""
        return whatif.WhatIfState(**{k: c.value for k, c in self.controls.items()})

    def _on_region(self, change: dict) -> None:
        hardware = self.controls["hardware"]
        options = whatif.hardware_options(self.pairs, change["new"])
        keep = hardware.value if hardware.value in [v for _, v in options] else options[0][1]
        # Replacing the options resets the value; one refresh after both is enough.
        self._quiet = True
        try:
            hardware.options = options
            hardware.value = keep
        finally:
            self._quiet = False
        self.refresh()

    def _on_pair(self, change: dict) -> None:
        pair = (self.controls["region_id"].value, self.controls["hardware"].value)
        self.controls["held_nodes"].value = self.held.get(pair, 0)

    def _on_change(self, change: dict) -> None:
        if not self._quiet:
            self.refresh()

    def refresh(self) -> None:
        """Recompute from the controls and update chart and texts in place.

        A start date that is no date leaves the chart as it is and says what to change.
        """
        try:
            self.result = whatif.evaluate(self.state(), self.pairs)
        except PaiModelError as error:
            self.summary.value = f"<b>Cannot compute</b>: {html.escape(str(error))}"
            return
        traces, layout = figure_update(self.figure, self.result)
        with self.figure.batch_update():
            for trace, properties in zip(self.figure.data, traces, strict=True):
                trace.update(properties, overwrite=True)
            self.figure.layout.update(layout, overwrite=True)
        self.summary.value = summary_text(self.result)
        self.provenance.value = provenance_html(self.result)
        self.plan.value = plan_html(self.result)


def _controls(pairs: pd.DataFrame, state: whatif.WhatIfState) -> dict[str, widgets.Widget]:
    values = asdict(state)
    return {
        "region_id": widgets.Dropdown(
            options=whatif.region_options(pairs),
            value=values["region_id"],
            description="Region",
            style=_WIDE,
        ),
        "hardware": widgets.Dropdown(
            options=whatif.hardware_options(pairs, values["region_id"]),
            value=values["hardware"],
            description="Hardware",
            style=_WIDE,
            layout=widgets.Layout(width="auto"),
        ),
        "usage_hours_per_day": widgets.FloatSlider(
            value=values["usage_hours_per_day"],
            min=0,
            max=24,
            step=0.25,
            description="Usage [h/day]",
            style=_WIDE,
            continuous_update=False,
        ),
        "nodes": widgets.BoundedIntText(
            value=values["nodes"],
            min=1,
            max=whatif.MAX_NODES,
            description="Nodes",
            style=_WIDE,
            layout=widgets.Layout(width="10em"),
        ),
        "months": widgets.IntSlider(
            value=values["months"],
            min=1,
            max=whatif.MAX_MONTHS,
            description="Horizon [months]",
            style=_WIDE,
            continuous_update=False,
        ),
        "subscription_percent_off": _percent_off(
            values["subscription_percent_off"], "Subscription price: % off"
        ),
        "payg_percent_off": _percent_off(values["payg_percent_off"], "Pay-as-you-go price: % off"),
        "month_convention": widgets.Dropdown(
            options=list(MONTH_CONVENTIONS),
            value=values["month_convention"],
            description="Month",
            style=_WIDE,
        ),
        "held_nodes": widgets.BoundedIntText(
            value=values["held_nodes"],
            min=0,
            max=whatif.MAX_NODES,
            description="Held",
            tooltip="nodes of this pair already held by subscription",
            style=_WIDE,
            layout=widgets.Layout(width="8em"),
        ),
        "start": widgets.Text(
            value=values["start"],
            placeholder="e.g. 2026-01-01 (optional)",
            description="Start date: calendar months and the cheapest mix",
            style=_WIDE,
            continuous_update=False,
            layout=widgets.Layout(width="36em"),
        ),
    }


def _percent_off(value: float, description: str) -> widgets.BoundedFloatText:
    """A price's discount control: percent off, in half-percent steps up to the bound."""
    return widgets.BoundedFloatText(
        value=value,
        min=0,
        max=whatif.MAX_DISCOUNT_PERCENT,
        step=0.5,
        description=description,
        style=_WIDE,
        layout=widgets.Layout(width="20em"),
    )


def what_if(
    catalog: pd.DataFrame | str | Any | None = None, *, held: Any = None, **initial: Any
) -> WhatIfPanel:
    """The what-if panel: subscription or pay-as-you-go for one offer pair, live.

    Parameters
    ----------
    catalog : DataFrame, path or None, default None
        A loaded catalog, a catalog CSV to load and validate, or None for the embedded
        default (``demo``: documented and illustrative prices, labelled).
    **initial
        Starting settings, any field of :class:`~pai_model.decisions.whatif.WhatIfState`:
        ``region_id``, ``hardware``, ``usage_hours_per_day``, ``nodes``, ``months``,
        ``subscription_percent_off``, ``payg_percent_off``, ``month_convention``,
        ``start`` (an ISO date: calendar months from it, and the cheapest mix),
        ``held_nodes``.
    held : DataFrame or path, optional
        Subscriptions the account holds (``pai-cost subscriptions --format csv``, or
        :func:`pai_model.account.subscriptions.committed_nodes`): each pair starts with its held
        nodes, which cost nothing more (see :mod:`pai_model.decisions.planning.held`).

    Returns
    -------
    WhatIfPanel
        An ``ipywidgets.VBox``; display it in a notebook cell.

    Raises
    ------
    CatalogError
        When the catalog file is invalid.
    PaiModelError
        For an unknown setting, a value out of range, or a catalog without any
        region and hardware offered both ways.

    Examples
    --------
    >>> from pai_model import paths
    >>> panel = what_if(paths.DOCUMENTED_CATALOG, usage_hours_per_day=20)
    >>> panel.controls["usage_hours_per_day"].value = 10
    >>> panel.result.payg_cost, panel.figure.data[3].y
    (13322.5, (23932.7, 13322.5))
    """
    catalog = whatif.as_catalog(catalog)
    pairs = whatif.offer_pairs(catalog)
    counts = {}
    if held is not None:
        from pai_model.decisions.planning.held import held_per_pair

        table = held_per_pair(held, catalog, pd.Timestamp.max.floor("D"))
        counts = dict(
            zip(
                zip(table["region_id"], table["hardware"], strict=True),
                table["held_nodes"].astype(int),
                strict=True,
            )
        )
    state = whatif.initial_state(pairs, **initial)
    if held is not None and "held_nodes" not in initial:
        state = replace(state, held_nodes=counts.get((state.region_id, state.hardware), 0))
    return WhatIfPanel(pairs, state, counts)
