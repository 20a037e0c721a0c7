"""What the what-if panel shows of a result: the summary line, the price provenance, the
mixed plan and the chart (HTML and plotly; every catalog string escaped).

:func:`pai_model.decisions.whatif.evaluate` builds the result and calls these; the names are also
reachable from :mod:`pai_model.decisions.whatif`.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from pai_model.data.catalog import ILLUSTRATIVE
from pai_model.data.freshness import MAX_AGE_DAYS
from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.display.project import mix_sentence, plan_table_html, when
from pai_model.formulas.money_text import format_money, format_price
from pai_model.formulas.terms import timestamps

if TYPE_CHECKING:  # plotly is imported only when a figure is drawn
    import plotly.graph_objects as go

    from pai_model.decisions.whatif import WhatIfResult


def money(amount: float, currency: str) -> str:
    """``12,345.60 USD``: an amount to the cent with thousands separators."""
    return f"{format_money(amount)} {currency}"


def unit_price(price: float, currency: str, unit: str) -> str:
    """A unit price with as many decimals as it has (at least 2, at most 6)."""
    return f"{format_price(price)} {currency}/{unit}"


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}{'' if count == 1 else 's'}"


def summary_text(result: WhatIfResult) -> str:
    """One line stating which method is cheaper, both costs, the saving and break-even.

    Examples
    --------
    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.whatif import WhatIfState, evaluate, offer_pairs
    >>> pairs = offer_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> print(summary_text(evaluate(WhatIfState("cn-wulanchabu", "gu7xf-8xGU108"), pairs)))
    ... # doctest: +NORMALIZE_WHITESPACE
    At 8 h/day on 1 node for 1 month (a month = 730 h): pay-as-you-go is cheaper,
    10,658.00 USD against 23,932.70 USD by subscription, saving 13,274.70 USD.
    Break-even: 17.96 h/day (74.9% utilization).
    """
    state, currency = result.state, result.currency
    if result.end is not None:
        month = (
            f"calendar months from {when(timestamps(state.start, 'start')[0])} to"
            f" {when(result.end)}, {result.hours_per_month:g} h a month on average"
        )
    else:
        month = f"a month = {result.hours_per_month:g} h"
    setting = (
        f"At {state.usage_hours_per_day:g} h/day on {_plural(state.nodes, 'node')} for"
        f" {_plural(state.months, 'month')} ({month})"
    )
    sub, payg = money(result.subscription_cost, currency), money(result.payg_cost, currency)
    if result.cheaper == LABELS[PAYG]:
        verdict = (
            f"pay-as-you-go is cheaper, {payg} against {sub} by subscription,"
            f" saving {money(result.saving, currency)}."
        )
    elif result.cheaper == LABELS[SUBSCRIPTION]:
        verdict = (
            f"subscription is cheaper, {sub} against {payg} pay-as-you-go,"
            f" saving {money(result.saving, currency)}."
        )
    else:
        verdict = f"both cost {sub}; neither saves."
    hours, utilization = result.break_even_hours_per_day, result.break_even_utilization
    if hours <= 24:
        break_even = f"Break-even: {hours:.2f} h/day ({utilization:.1%} utilization)."
    else:
        break_even = (
            f"Break-even: none within 24 h/day (it would need {hours:.2f} h/day,"
            f" {utilization:.1%} utilization): pay-as-you-go is cheaper at any usage."
        )
    text = f"{setting}: {verdict} {break_even}"
    if result.public:
        text += (
            f" The pay-as-you-go side is the public resource {result.payg.spec} (DLC/DSW,"
            f" {unit_price(result.payg.price, currency, 'hour')}, billed per minute at the"
            " hourly price / 60): general computing nodes are sold by subscription only."
        )
    if state.held_nodes:
        held = min(state.held_nodes, state.nodes)
        text = (
            f"{_plural(state.held_nodes, 'node')} already held, so {held} of the"
            f" {state.nodes} cost nothing more; the costs are of the"
            f" {_plural(state.nodes - held, 'node')} beyond them. {text}"
        )
    if result.plan is not None:
        single = min(result.subscription_cost, result.payg_cost)
        text += f" {mix_sentence(result.plan, single, currency=currency)}"
    if result.provenance in (ILLUSTRATIVE, "mixed"):
        text += f" Built on {result.provenance} prices: not Alibaba Cloud quotes."
    return text


def plan_html(result: WhatIfResult) -> str:
    """The mixed plan's segments as an HTML table (escaped), or a line saying why none."""
    if result.end is None:
        return "Give a start date to see the cheapest mix of calendar months."
    if result.plan is None:
        return "No use (0 h/day): nothing to plan."
    return plan_table_html(result.plan, currency=result.currency)


def _age_days(as_of: str) -> int | None:
    try:
        return (datetime.now(UTC).date() - date.fromisoformat(as_of)).days
    except ValueError:
        return None


def provenance_html(result: WhatIfResult) -> str:
    """Where both prices come from, discounts applied, and any pairing assumption (HTML)."""
    lines = [f"<b>{html.escape(result.region_name)}, {html.escape(result.state.hardware)}</b>"]
    payg_label = "Pay-as-you-go, public resource (DLC/DSW)" if result.public else "Pay-as-you-go"
    for label, offer in (("Subscription", result.subscription), (payg_label, result.payg)):
        price = unit_price(offer.list_price, result.currency, offer.unit)
        kind = (
            "<b>illustrative</b> (made up for demonstration, not a quote)"
            if offer.provenance == ILLUSTRATIVE
            else f"documented: {html.escape(offer.source)}"
        )
        line = (
            f"{label}: <code>{html.escape(offer.spec)}</code> at {price}, {kind},"
            f" as of {html.escape(offer.as_of)}."
        )
        age = _age_days(offer.as_of)
        if age is not None and age > MAX_AGE_DAYS:
            line += (
                f" <b>Read {age} days ago</b> (more than {MAX_AGE_DAYS}): check it on the"
                " console before deciding."
            )
        if offer.discount:
            line += (
                f" With {offer.discount:g}% off: "
                f"{unit_price(offer.price, result.currency, offer.unit)}"
                " (discounted unit price rounded to 6 decimals)."
            )
        if offer.unit == "hour":
            line += (
                " Priced per hour, billed per minute at the hourly price / 60, fractional"
                " minutes priced."
            )
        if not offer.purchasable:
            line += f" <b>Cannot be purchased now</b>: {html.escape(offer.reason)}."
        lines.append(line)
    if result.subscription.spec != result.payg.spec:
        lines.append(
            "Pairing: two specs, compared because the catalog gives both the hardware key"
            f" <code>{html.escape(result.state.hardware)}</code>."
        )
    if result.note:
        lines.append(f"Catalog note: {html.escape(result.note)}")
    if result.subscription_only:
        specs = ", ".join(f"<code>{html.escape(h)}</code>" for h in result.subscription_only)
        lines.append(
            "Subscription only here (general computing with no public resource of the same"
            f" hardware in the catalog, so nothing to compare): {specs}."
        )
    return "<br>".join(lines)


def figure(result: WhatIfResult) -> go.Figure:
    """The chart of a result: both costs against usage, break-even and current usage marked.

    Drawn by :func:`~pai_model.display.plotting.costs.cost_vs_usage_figure` (always the same four
    traces)
    with the discounted prices; the subtitle states nodes, horizon, month convention and
    provenance.
    """
    from pai_model.display.plotting.costs import cost_vs_usage_figure

    state = result.state
    return cost_vs_usage_figure(
        result.subscription.price,
        result.payg.price,
        currency=result.currency,
        quantity=state.nodes,
        months=state.months,
        hours_per_month=result.hours_per_month,
        usage_hours_per_day=state.usage_hours_per_day,
        provenance=result.provenance,
        payg_price_unit=result.payg.unit,
        title=f"Subscription or pay-as-you-go: {result.region_name}, {state.hardware}",
    )


def figure_update(current: go.Figure, result: WhatIfResult) -> tuple[list[dict], dict]:
    """Property updates turning ``current`` (a figure of :func:`figure`) into ``result``'s.

    Returns
    -------
    (list of dict, dict)
        One dict per trace of ``current`` (in order) and one for the layout, to apply with
        ``trace.update(...)`` and ``layout.update(...)`` inside ``batch_update``. A property
        the new trace leaves unset is set to ``None`` so nothing stale survives (the
        break-even label disappears when break-even leaves the chart).
    """
    target = figure(result)
    updates = []
    for old, new in zip(current.data, target.data, strict=True):
        properties = new.to_plotly_json()
        for key in old.to_plotly_json():
            properties.setdefault(key, None)
        for key in ("type", "uid"):
            properties.pop(key, None)
        updates.append(properties)
    layout = target.layout.to_plotly_json()
    layout.pop("template", None)  # the same every time; resending it is 10 kB per move
    return updates, layout
