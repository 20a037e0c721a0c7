"""What-if logic of the subscription-or-pay-as-you-go panel: a state in, numbers and a figure out.

The panel (:mod:`pai_model.display.widgets`) only wires controls to these functions, so everything
it shows can be computed and tested without a browser or a kernel:

- :func:`offer_pairs` lists the (region, hardware) pairs a user can choose: those with both
  a subscription and a pay-as-you-go offer
  (:func:`~pai_model.decisions.comparison.break_even_table`),
  a general computing spec's pay-as-you-go being the public resource of its hardware
  (DLC/DSW, priced per hour, billed per minute at the hourly price / 60);
  :func:`subscription_only` the general specs with none, which the panel lists;
- :func:`evaluate` turns a :class:`WhatIfState` into a :class:`WhatIfResult`: discounted
  prices, the exact bill of each method over the horizon, which is cheaper, the saving and
  the break-even usage, with a one-line summary and the provenance of both prices;
- :func:`figure` draws the result with
  :func:`~pai_model.display.plotting.costs.cost_vs_usage_figure`,
  and :func:`figure_update` gives the property updates that turn one such figure into
  another in place (what a ``go.FigureWidget`` needs inside ``batch_update``).

Every amount comes from the billing engine (:func:`~pai_model.formulas.engine.bill_amounts`, whose
exact minor units give the saving), :func:`~pai_model.formulas.breakeven.break_even_minutes`,
:func:`~pai_model.formulas.breakeven.break_even_utilization` and
:func:`~pai_model.formulas.breakeven.monthly_minutes`: the panel shows the numbers the package gives
from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.catalog import ACCOUNT, provenance_of, read_catalog
from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.data.offers import offer_pairs as all_offer_pairs
from pai_model.decisions.comparison import break_even_table
from pai_model.decisions.projects import plan_project
from pai_model.errors import InputError, PaiModelError
from pai_model.formulas.billing import discounted_price
from pai_model.formulas.breakeven import (
    MONTH_CONVENTIONS,
    break_even_minutes,
    break_even_utilization,
    monthly_minutes,
)
from pai_model.formulas.engine import bill_amounts, minor_units_to_float
from pai_model.formulas.terms import subscription_end, timestamps

#: The month convention a new panel starts with.
DEFAULT_MONTH_CONVENTION = next(iter(MONTH_CONVENTIONS))
#: Control ranges. 60 months of 744-hour months at 24 h/day is 2,678,400 minutes, within
#: the pay-as-you-go bound of :func:`~pai_model.formulas.billing.payg_cost` (ten years of minutes).
MAX_MONTHS = 60
MAX_NODES = 1000
#: A discount of 100% would make a price 0, for which break-even is undefined.
MAX_DISCOUNT_PERCENT = 99.0
#: Usage is read to the hundredth of an hour: a slider's float steps (1.9999999999999998)
#: then mean what the slider shows.
USAGE_DECIMALS = 2


@dataclass(frozen=True)
class WhatIfState:
    """The settings of the what-if panel.

    Attributes
    ----------
    region_id : str
        Region of the offer pair, e.g. ``cn-wulanchabu``.
    hardware : str
        Hardware key of the offer pair in that region (the catalog's ``hardware``).
    usage_hours_per_day : float
        Hours each node runs per day, 0 to 24, read to 0.01 h. [hour/day]
    nodes : int
        Number of nodes, 1 to :data:`MAX_NODES`. [nodes]
    months : int
        Horizon: whole months subscribed, and months of pay-as-you-go use at the same
        daily usage, 1 to :data:`MAX_MONTHS`. [month]
    subscription_percent_off : float
        Negotiated discount on the subscription price, 0 to 99. [percent]
    payg_percent_off : float
        Negotiated discount on the pay-as-you-go price, 0 to 99. [percent]
    month_convention : str
        A key of :data:`pai_model.formulas.breakeven.MONTH_CONVENTIONS` (hours in a month).
    start : str
        When the horizon starts (ISO date or time), or "" for none. With a start, the
        horizon is ``months`` calendar months from it (:mod:`pai_model.formulas.terms`), the month
        convention is the horizon's average month, and the panel also shows the cheapest
        mix of subscription months and pay-as-you-go
        (:func:`~pai_model.decisions.projects.plan_project`).
    held_nodes : int
        Nodes of this pair the account already holds by subscription (``pai-cost
        subscriptions``), 0 to :data:`MAX_NODES`. They serve the first of ``nodes`` at no
        further cost, so both costs are of the nodes beyond them. [nodes]
    """

    region_id: str
    hardware: str
    usage_hours_per_day: float = 8.0
    nodes: int = 1
    months: int = 1
    subscription_percent_off: float = 0.0
    payg_percent_off: float = 0.0
    month_convention: str = DEFAULT_MONTH_CONVENTION
    start: str = ""
    held_nodes: int = 0


#: Names a caller may give to :func:`initial_state` and ``widgets.what_if``.
STATE_FIELDS = tuple(f.name for f in fields(WhatIfState))


@dataclass(frozen=True)
class Offer:
    """One priced offer of a pair, with where its price comes from."""

    spec: str
    #: Catalog price. [currency/month], [currency/minute] or (a public resource) [currency/hour]
    list_price: float
    #: Price after the discount, rounded to 6 decimals, in ``unit``.
    price: float
    discount: float
    unit: str
    source: str
    as_of: str
    provenance: str
    #: Whether it can be bought now, and why not (see :mod:`pai_model.data.offers`).
    purchasable: bool = True
    reason: str = ""


@dataclass(frozen=True)
class WhatIfResult:
    """Everything the panel shows for one state.

    Costs are exact bills over the whole horizon for all nodes [currency]; break-even is
    per node and month and does not depend on usage, nodes or horizon.
    """

    state: WhatIfState
    region_name: str
    currency: str
    hours_per_month: float
    subscription: Offer
    payg: Offer
    purchasable: bool
    note: str
    #: Pay-as-you-go use of one node over the horizon. [minute]
    payg_minutes: float
    subscription_cost: float
    payg_cost: float
    #: "subscription", "pay-as-you-go" or "neither" (equal cost).
    cheaper: str
    #: Cost of the dearer method minus that of the cheaper one. [currency]
    saving: float
    break_even_minutes: float
    break_even_hours_per_day: float
    break_even_utilization: float
    #: With a start date: the cheapest plan's segments
    #: (:func:`~pai_model.decisions.projects.plan_project`), or None (no start, or no use).
    plan: pd.DataFrame | None = None
    #: The horizon's end with a start date, else None.
    end: pd.Timestamp | None = None
    #: Hardware of the region sold by subscription only: general computing specs the
    #: catalog has no public resource of (:func:`subscription_only`), so not comparable.
    subscription_only: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        """Whether the pay-as-you-go side is a public resource (DLC/DSW, priced per hour)."""
        return self.payg.unit == "hour"

    @property
    def provenance(self) -> str:
        """Where the two prices come from: documented, illustrative or mixed (one of each)."""
        kinds = {self.subscription.provenance, self.payg.provenance}
        return kinds.pop() if len(kinds) == 1 else "mixed"


def as_catalog(catalog: pd.DataFrame | str | Any | None) -> pd.DataFrame:
    """A loaded catalog: ``None`` is the embedded default, a path is loaded and validated."""
    if isinstance(catalog, pd.DataFrame):
        return catalog
    return read_catalog(catalog)


def offer_pairs(catalog: pd.DataFrame) -> pd.DataFrame:
    """The (region, hardware) pairs the panel offers: both billing methods priced.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.

    Returns
    -------
    pandas.DataFrame
        :func:`~pai_model.decisions.comparison.break_even_table` of the catalog (730-hour months;
        the panel recomputes break-even for the chosen convention), general computing
        specs paired with the public resource of their hardware (DLC/DSW, priced per
        hour: ``payg_price_unit`` "hour"). ``attrs["subscription_only"]``: the
        (region_id, hardware) of general specs with no public resource to compare.

    Raises
    ------
    PaiModelError
        When no region and hardware has both a subscription and a pay-as-you-go offer.
    """
    pairs = break_even_table(catalog, public_payg=True)
    pairs.attrs["subscription_only"] = subscription_only(catalog)
    if pairs.empty:
        raise PaiModelError(
            f"the catalog {catalog.attrs.get('path', '')} has no region and hardware with both"
            " a subscription and a pay-as-you-go price; the what-if panel compares the two,"
            " so add both offers for at least one hardware key"
        )
    return pairs


def subscription_only(catalog: pd.DataFrame) -> list[tuple[str, str]]:
    """The (region_id, hardware) of general computing specs with no public resource.

    General computing nodes are sold by subscription only; without the public resource
    of the same hardware (DLC/DSW) in the catalog there is nothing to compare them with.
    """
    every = all_offer_pairs(catalog, both=False, public_payg=True)
    alone = every[(every["resource_type"] == "general") & (every["payg_offers"] == 0)]
    return list(zip(alone["region_id"], alone["hardware"], strict=True))


def region_options(pairs: pd.DataFrame) -> list[tuple[str, str]]:
    """Dropdown options ``(label, region_id)``, one per region with at least one pair."""
    regions = pairs.drop_duplicates("region_id")
    return [
        (f"{name} - {region}" if name else region, region)
        for region, name in zip(regions["region_id"], regions["region_name"], strict=True)
    ]


def hardware_options(pairs: pd.DataFrame, region_id: str) -> list[tuple[str, str]]:
    """Dropdown options ``(label, hardware)`` of one region, naming both specs."""
    rows = pairs[pairs["region_id"] == region_id]
    options = []
    for hardware, sub, payg, unit in zip(
        rows["hardware"],
        rows["subscription_spec"],
        rows["payg_spec"],
        rows["payg_price_unit"],
        strict=True,
    ):
        specs = sub if sub == payg else f"{sub} / {payg}"
        label = hardware if hardware == specs else f"{hardware}: {specs}"
        options.append((f"{label} (public resource)" if unit == "hour" else label, hardware))
    return options


def initial_state(pairs: pd.DataFrame, **initial: Any) -> WhatIfState:
    """The state a new panel starts in: the given settings over sensible defaults.

    Without a hardware, the first pair (of the region, when one is given) whose prices
    are both documented is chosen, or the first pair when none is; a hardware without a
    region picks the first region offering it.

    Raises
    ------
    PaiModelError
        For an unknown setting name, region or hardware, or a value out of range.
    """
    unknown = sorted(set(initial) - set(STATE_FIELDS))
    if unknown:
        raise PaiModelError(
            f"unknown what-if setting {', '.join(map(repr, unknown))}; use any of"
            f" {', '.join(STATE_FIELDS)}"
        )
    region, hardware = initial.get("region_id"), initial.get("hardware")
    if hardware is None:
        candidates = pairs if region is None else pairs[pairs["region_id"] == region]
        documented = candidates[candidates["provenance"].isin(["documented", ACCOUNT])]
        chosen = documented if not documented.empty else candidates
        if not chosen.empty:
            region, hardware = chosen["region_id"].iloc[0], chosen["hardware"].iloc[0]
    elif region is None:
        having = pairs.loc[pairs["hardware"] == hardware, "region_id"]
        if having.empty:
            raise PaiModelError(
                f"no region offers hardware {hardware!r} both by subscription and"
                f" pay-as-you-go; such hardware: {', '.join(sorted(pairs['hardware'].unique()))}"
            )
        region = having.iloc[0]
    settings = {k: v for k, v in initial.items() if k not in ("region_id", "hardware")}
    state = WhatIfState(region_id=region, hardware=hardware, **settings)
    validate(state, pairs)
    return state


def validate(state: WhatIfState, pairs: pd.DataFrame) -> pd.Series:
    """Check a state against the ranges and the pairs; return the chosen pair's row."""
    row = pairs[(pairs["region_id"] == state.region_id) & (pairs["hardware"] == state.hardware)]
    if row.empty and (state.region_id, state.hardware) in pairs.attrs.get("subscription_only", []):
        raise PaiModelError(
            f"{state.hardware} in {state.region_id} is general computing, sold by subscription"
            " only, and the catalog has no public resource (DLC/DSW pay-as-you-go) of that"
            " hardware there: it stays subscription-only, with nothing to compare; add the"
            " public resource's row (resource_type public) to compare them"
        )
    if row.empty:
        known = ", ".join(sorted(pairs["region_id"].unique()))
        raise PaiModelError(
            f"no offer pair for region {state.region_id!r} and hardware {state.hardware!r};"
            f" regions with both billing methods: {known}"
        )
    checks = [
        ("usage_hours_per_day", state.usage_hours_per_day, 0, 24),
        ("nodes", state.nodes, 1, MAX_NODES),
        ("months", state.months, 1, MAX_MONTHS),
        ("subscription_percent_off", state.subscription_percent_off, 0, MAX_DISCOUNT_PERCENT),
        ("payg_percent_off", state.payg_percent_off, 0, MAX_DISCOUNT_PERCENT),
        ("held_nodes", state.held_nodes, 0, MAX_NODES),
    ]
    for name, value, low, high in checks:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise PaiModelError(f"{name} must be a number from {low} to {high}; got {value!r}")
        if not low <= value <= high:
            raise PaiModelError(f"{name} must be from {low} to {high}; got {value!r}")
    for name in ("nodes", "months", "held_nodes"):
        if getattr(state, name) != int(getattr(state, name)):
            raise PaiModelError(f"{name} must be a whole number; got {getattr(state, name)!r}")
    if state.month_convention not in MONTH_CONVENTIONS:
        raise PaiModelError(
            f"unknown month convention {state.month_convention!r}; use one of"
            f" {', '.join(map(repr, MONTH_CONVENTIONS))}"
        )
    if not isinstance(state.start, str):
        raise PaiModelError(
            f"start must be an ISO date such as '2026-01-01' or ''; got {state.start!r}"
        )
    if state.start.strip():
        try:
            timestamps(state.start.strip(), "start")
        except InputError as error:
            raise PaiModelError(str(error)) from None
    return row.iloc[0]


def percent_off(price: float, discount_percent: float) -> float:
    """A unit price after a percentage discount, via
    :func:`~pai_model.formulas.billing.discounted_price`.

    ``price x (100 - discount) / 100`` can need more decimals than a catalog price may
    have (0.73 at 12.345% off is 0.6398815); the bill formulas take at most 6, so the
    discounted unit price is rounded half up to 6 decimals before it is billed. Panels
    state this.

    Examples
    --------
    >>> percent_off(0.73, 12.345), percent_off(23932.70, 12.5)
    (0.639882, 20941.1125)
    """
    return discounted_price(price, discount_percent)


def evaluate(state: WhatIfState, pairs: pd.DataFrame) -> WhatIfResult:
    """The numbers, summary and provenance the panel shows for ``state``.

    Parameters
    ----------
    state : WhatIfState
        The settings.
    pairs : pandas.DataFrame
        The offer pairs, from :func:`offer_pairs`.

    Returns
    -------
    WhatIfResult

    Raises
    ------
    PaiModelError
        When the state names no pair or a value is out of range.

    Examples
    --------
    The billing page's Ulanqab GU108 offers, 8 h/day on one node for one 730-hour month:
    0.73 x 8 x 60 x 730 / 24 = 0.73 x 14,600 = 10,658.00 USD against 23,932.70 USD.

    >>> from pai_model import paths
    >>> pairs = offer_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> result = evaluate(WhatIfState("cn-wulanchabu", "gu7xf-8xGU108"), pairs)
    >>> result.cheaper, result.payg_cost, result.subscription_cost, result.saving
    ('pay-as-you-go', 10658.0, 23932.7, 13274.7)
    """
    row = validate(state, pairs)
    usage = round(float(state.usage_hours_per_day), USAGE_DECIMALS)
    state = replace(state, usage_hours_per_day=usage, start=state.start.strip())
    hours_per_month = MONTH_CONVENTIONS[state.month_convention]
    subscription = _offer(row, "subscription", state.subscription_percent_off, "month")
    # a public resource (general computing's pay-as-you-go) is priced per hour
    payg = _offer(row, "payg", state.payg_percent_off, str(row["payg_price_unit"]))
    per_minute = payg.price / 60.0 if payg.unit == "hour" else payg.price
    # nodes already held are paid for: the methods compete for the ones beyond them
    nodes = max(0, int(state.nodes) - int(state.held_nodes))
    plan, end = None, None
    if state.start:
        first = timestamps(state.start, "start")[0]
        end = subscription_end(first, state.months)
        hours = (end - first).total_seconds() / 3600.0
        # pay-as-you-go over the calendar horizon; break-even and the chart take its
        # average month (at most 744 h: a daylight-saving hour is not a longer month)
        minutes = round(hours * 60.0 * usage / 24.0, 3)
        hours_per_month = min(hours / state.months, 744.0)
        if usage > 0 and nodes > 0:
            plan = plan_project(
                first,
                end,
                subscription.price,
                payg.price,
                nodes=nodes,
                hours_per_day=usage,
                payg_price_unit=payg.unit,
            )
    else:
        minutes = round(
            float(monthly_minutes(usage, months=state.months, hours_per_month=hours_per_month)),
            3,
        )
    sub_cost, sub_minor = _bill(subscription.price, nodes, state.months, "month")
    payg_total, payg_minor = _bill(payg.price, nodes, minutes, payg.unit)
    cheaper = (
        LABELS[PAYG]
        if payg_minor < sub_minor
        else LABELS[SUBSCRIPTION]
        if sub_minor < payg_minor
        else "neither"
    )
    # the saving is the difference of the engine's exact minor units (whole cents)
    saving = float(minor_units_to_float(np.array([abs(sub_minor - payg_minor)]), 2)[0])
    be_minutes = float(break_even_minutes(subscription.price, per_minute))
    utilization = float(
        break_even_utilization(subscription.price, per_minute, hours_per_month=hours_per_month)
    )
    return WhatIfResult(
        state=state,
        region_name=str(row["region_name"] or row["region_id"]),
        currency=str(row["currency"]),
        hours_per_month=hours_per_month,
        subscription=subscription,
        payg=payg,
        purchasable=bool(row["purchasable"]),
        note=str(row["note"] or ""),
        payg_minutes=minutes,
        subscription_cost=sub_cost,
        payg_cost=payg_total,
        cheaper=cheaper,
        saving=saving,
        break_even_minutes=be_minutes,
        # a month of hours_per_month hours has hours_per_month / 24 days
        break_even_hours_per_day=utilization * 24.0,
        break_even_utilization=utilization,
        plan=plan,
        end=end,
        subscription_only=tuple(
            h for r, h in pairs.attrs.get("subscription_only", []) if r == state.region_id
        ),
    )


def _bill(price: float, nodes: int, duration: float, unit: str) -> tuple[float, int]:
    """One exact bill [currency] and the same amount in whole cents; ``unit`` is the
    price's ("month", "minute", or "hour": minutes billed at the hourly price / 60)."""
    amount, minor = bill_amounts(price, nodes, duration, price_unit=unit, minor_units=True)
    return float(amount), int(minor)


def _offer(row: pd.Series, method: str, discount: float, unit: str) -> Offer:
    column = {
        "month": "subscription_price_per_month",
        "minute": "payg_price_per_minute",
        "hour": "payg_price_per_hour",
    }[unit]
    list_price = float(row[column])
    source = str(row[f"{method}_source"])
    as_of = row[f"{method}_as_of"]
    return Offer(
        spec=str(row[f"{method}_spec"]),
        list_price=list_price,
        price=percent_off(list_price, discount) if discount else list_price,
        discount=float(discount),
        unit=unit,
        source=source,
        as_of=as_of.strftime("%Y-%m-%d") if hasattr(as_of, "strftime") else str(as_of),
        provenance=provenance_of(str(source)),
        purchasable=bool(row[f"{method}_purchasable"]),
        reason=str(row[f"{method}_reason"]),
    )


__all__ = [
    "STATE_FIELDS",
    "Offer",
    "PaiModelError",
    "WhatIfResult",
    "WhatIfState",
    "as_catalog",
    "evaluate",
    "hardware_options",
    "initial_state",
    "offer_pairs",
    "percent_off",
    "region_options",
    "subscription_only",
    "validate",
]
