"""The cheapest plan for fixed-length work: calendar-month subscriptions, pay-as-you-go, or a mix.

A project runs ``nodes`` nodes from ``start`` to ``end``. Its months are calendar terms
anchored at the start (:func:`~pai_model.formulas.terms.subscription_end`): month ``k`` runs from
``start + k months`` to ``start + (k + 1) months``, the last one reaching or passing
``end``. A plan subscribes any set of these months and runs the rest on pay-as-you-go:

- consecutive subscribed months are bought as the fewest orders of buyable terms
  (:data:`~pai_model.formulas.arguments.BUYABLE_MONTHS`, Alibaba's usual 1-9 months and
  1-5 years, UNCONFIRMED for PAI: the ``buyable_months`` parameter), the first bought when
  the first month begins and each next one renewing it at its expiry (10 months are
  9 + 1); each order is billed ``unit price x nodes x months`` (one bill line, rounded
  once); a term ends by the calendar rule, which for a start on the 29th to 31st can fall a
  few days before the project's next month begins (a term bought on 28 February ends on
  28 March): those days are pay-as-you-go;
- time no term covers is pay-as-you-go, each uninterrupted stretch one bill line:
  ``unit price x nodes x minutes``, the minutes being ``hours_per_day / 24`` of the
  stretch's calendar time (a node that runs 12 hours a day is billed half of every
  stretch), rounded half up to 3 decimals of a minute. Below 24 hours a day, each node
  is taken as bought and released every day, and each start adds ``overhead_minutes``
  of billed life (provisioning and release; default 0, stated in the output).

A month is worth subscribing when its pay-as-you-go cost would exceed the subscription
price, so short months (February) and the project's last, partial month are the likely
pay-as-you-go ones. :func:`plan_project` finds the cheapest of all such plans exactly (to
the cent, by dynamic programming over the months; of equal plans, the one subscribing
fewer months), which
includes all pay-as-you-go and whole-term subscription as two of its candidates; the
search itself is :mod:`~pai_model.decisions.project_search`, and the offer a project is
planned with is chosen by :mod:`~pai_model.decisions.project_offers`.

Expiry: AI computing resource group nodes stop at the end of their term and are released
24 hours later unless renewed (PAI overdue-payment page), so every subscription segment
says when it ``expires`` and when it must be renewed by (``renew_by``) to keep the nodes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.decisions.project_search import (
    CENTS,
    PaygStretches,
    bill_cents,
    cheapest_runs,
    run_expiries,
    subscription_runs,
)
from pai_model.errors import InputError
from pai_model.formulas.arguments import MAX_MONTHS, MAX_QUANTITY, MAX_UNIT_PRICE, PRICE_DECIMALS
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.engine import minor_units_to_float
from pai_model.formulas.terms import RELEASE_AFTER, months_to_cover, subscription_end, timestamps
from pai_model.formulas.totals import exact_sum

__all__ = ["SEGMENT_COLUMNS", "plan_comparison", "plan_project"]

#: Columns of :func:`plan_project`.
SEGMENT_COLUMNS = (
    "start",
    "end",
    "method",
    "nodes",
    "months",
    "minutes",
    "cost",
    "expires",
    "renew_by",
)


def plan_project(
    start: Any,
    end: Any,
    subscription_price: float,
    payg_price: float,
    *,
    nodes: int = 1,
    hours_per_day: float = 24.0,
    payg_price_unit: str = "minute",
    buyable_months: Any = None,
    overhead_minutes: float = 0.0,
) -> pd.DataFrame:
    """Find the cheapest mix of calendar-month subscriptions and pay-as-you-go for a project.

    Parameters
    ----------
    start, end : datetime-like
        When the project starts and ends (``end`` exclusive, after ``start``, at most 120
        months later); both naive or both aware (``end`` is read in ``start``'s zone). [time]
    subscription_price : float
        Price of one node for one month. [currency/month]
    payg_price : float
        Price of one node for one minute, or for one hour with ``payg_price_unit``
        "hour". [currency/minute] or [currency/hour]
    nodes : int, default 1
        Nodes the project runs, all on the same plan. [nodes]
    hours_per_day : float, default 24
        Hours each node runs per day (24: full use), above 0, at most 2 decimals; billed
        pay-as-you-go time is this share of each stretch's calendar time. [hour/day]
    payg_price_unit : {"minute", "hour"}, default "minute"
        "hour" for a public resource (DLC/DSW, general computing's pay-as-you-go): each
        stretch is billed per minute at the hourly price / 60, fractional minutes priced,
        as one exact product (:func:`~pai_model.formulas.billing.hourly_payg_cost`).
    buyable_months : iterable of int or str, optional
        The terms a subscription can be bought for [month]; ``None`` is
        :data:`~pai_model.formulas.arguments.BUYABLE_MONTHS` (UNCONFIRMED for PAI). A run
        of subscribed months no term matches is bought as consecutive orders
        (:func:`~pai_model.formulas.arguments.split_buyable`: 10 months are 9 + 1, each
        order renewing the one before at its expiry); the last run may also be one longer
        term reaching past the end (12 months for the last 10), whichever costs less.
    overhead_minutes : float, default 0
        With ``hours_per_day`` below 24, the minutes each daily start adds to the billed
        life of a node (provisioning and release: pay-as-you-go bills from joining the
        resource group to release) [minute]; the daily billed time is ``hours_per_day``
        plus these minutes, at most 24 hours. The planner's ``overhead_minutes``
        (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`), per start.

    Returns
    -------
    pandas.DataFrame
        One row per segment in time order, columns :data:`SEGMENT_COLUMNS`: ``start`` and
        ``end`` (the part of the project it covers), ``method`` ("subscription" or
        "payg"), ``nodes``, ``months`` (term of a subscription, 0 for pay-as-you-go),
        ``minutes`` (billed minutes per node of pay-as-you-go, 0 for a subscription),
        ``cost`` (exact to the cent) [currency], and for subscriptions ``expires`` (the
        end of the term, which may pass the project's end) and ``renew_by`` (24 h later:
        the nodes are released then unless renewed; ``NaT`` for pay-as-you-go). The exact
        total is the sum of ``cost``. ``attrs`` hold ``total``, ``payg_total`` (all
        pay-as-you-go) and ``subscription_total`` (whole terms from the start) as
        ``Decimal``, ``subscription_months`` (the whole terms' months), ``hours_per_day``,
        ``overhead_minutes``, ``billed_hours_per_day`` (the two together, the node's daily
        life), ``buyable_months``, ``nodes`` and ``rule`` (the billing rules in words).

    Raises
    ------
    InputError
        For dates that are no dates, an end not after the start or beyond 120 months, a
        price, node count or hours per day out of range (each named).

    See Also
    --------
    pai_model.formulas.terms.subscription_end : When a term ends.
    pai_model.decisions.comparison.project_length_table : Costs over many project lengths.

    Examples
    --------
    A 35-day project from 1 January 2026 on one gu7xf GU108 node of the billing page
    (23,932.70 USD/month or 0.73 USD/minute): January is subscribed (a term from 1 January
    to 1 February) and the 4 days left are pay-as-you-go, 4 x 1,440 x 0.73 = 4,204.80;
    28,137.50 in all, against 47,865.40 for two months and 36,792.00 all pay-as-you-go.

    >>> plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)
    >>> for row in plan[["start", "end", "method", "cost"]].astype(str).values.tolist():
    ...     print(row)
    ['2026-01-01', '2026-02-01', 'subscription', '23932.7']
    ['2026-02-01', '2026-02-05', 'payg', '4204.8']
    >>> plan.attrs["total"], plan.attrs["subscription_total"], plan.attrs["payg_total"]
    (Decimal('28137.50'), Decimal('47865.40'), Decimal('36792.00'))
    >>> str(plan["renew_by"].iloc[0])
    '2026-02-02 00:00:00'
    """
    first, last = _period(start, end)
    count = months_to_cover(first, last)
    if count > MAX_MONTHS:
        raise InputError(
            "end", f"the project spans {count} months; plans cover at most {MAX_MONTHS}"
        )
    _check_price(subscription_price, "subscription_price")
    _check_price(payg_price, "payg_price")
    if payg_price_unit not in ("minute", "hour"):
        raise InputError("payg_price_unit", f"must be 'minute' or 'hour'; got {payg_price_unit!r}")
    quantity = _check_nodes(nodes)
    terms = buyable_months_of(buyable_months)
    hundredths = _billed_hundredths(_check_hours(hours_per_day), overhead_minutes)
    bounds = subscription_end(first, np.arange(count + 1))  # bounds[k]: month k begins
    runs, orders = subscription_runs(count, terms)
    run_ends = run_expiries(runs, orders, bounds)
    lengths = sorted({o for parts in orders.values() for o in parts})
    order_cents = dict(
        zip(
            lengths,
            bill_cents(subscription_price, quantity, lengths, "month").tolist(),
            strict=True,
        )
    )
    run_cents = {run: sum(order_cents[o] for o in orders[run]) for run in runs}
    stretches = PaygStretches(
        first, last, bounds, run_ends, (payg_price, payg_price_unit), quantity, hundredths
    )
    chosen = cheapest_runs(count, runs, run_ends, run_cents, stretches, last)
    table = _segments(chosen, first, last, orders, order_cents, stretches, quantity)
    total = exact_sum(table.pop("cents").to_numpy())
    table.attrs.update(
        total=_decimal(total),
        payg_total=_decimal(stretches.cents(first, last)),
        subscription_total=_decimal(run_cents[(0, count)]),
        subscription_months=int(count),
        hours_per_day=float(hours_per_day),
        overhead_minutes=float(overhead_minutes),
        billed_hours_per_day=hundredths / 100,
        buyable_months=terms,
        nodes=quantity,
        rule=RULE,
    )
    return table


def _billed_hundredths(hundredths: int, overhead_minutes: Any) -> int:
    """The node's billed hours a day in hundredths: use plus one start's overhead.

    Full use (24 h) starts no node a day, so no overhead is added; otherwise each daily
    start adds ``overhead_minutes`` (rounded half up to a hundredth of an hour), up to 24 h.
    """
    minutes = _check_overhead(overhead_minutes)
    if hundredths >= 2400:
        return hundredths
    extra = int((minutes * 100 / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(2400, hundredths + extra)


def _check_overhead(value: Any) -> Decimal:
    try:
        minutes = Decimal(str(value))
    except ArithmeticError:
        minutes = Decimal("NaN")
    if isinstance(value, bool) or not minutes.is_finite() or not 0 <= minutes <= 1440:
        raise InputError(
            "overhead_minutes", f"must be from 0 to 1,440 minutes a day; got {value!r}"
        )
    return minutes


#: The rules of :func:`plan_project`, in words, for the outputs that show a plan.
RULE = (
    "months are calendar terms from the project start (same day and time, month ends"
    " clamped); consecutive subscribed months are bought as the fewest buyable terms,"
    " each renewing the one before at its expiry; uncovered time is pay-as-you-go at the"
    " billed hours a day (use plus the overhead per start)/24 of its calendar time, each"
    " stretch billed once; subscription nodes are released 24 h after their term expires"
    " unless renewed"
)


def plan_comparison(plan: pd.DataFrame) -> pd.DataFrame:
    """The cheapest plan beside all pay-as-you-go and whole-term subscription.

    Parameters
    ----------
    plan : pandas.DataFrame
        A plan from :func:`plan_project`.

    Returns
    -------
    pandas.DataFrame
        Rows ``cheapest``, ``payg`` and ``subscription`` (whole terms from the start) in
        column ``plan``, with ``months`` subscribed, ``cost`` [currency] and ``extra``
        (what it costs more than the cheapest plan) [currency], both exact to the cent.

    Examples
    --------
    >>> plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)
    >>> for row in plan_comparison(plan).values.tolist():
    ...     print(row)
    ['cheapest', 1, 28137.5, 0.0]
    ['payg', 0, 36792.0, 8654.5]
    ['subscription', 2, 47865.4, 19727.9]
    """
    best = plan.attrs["total"]
    totals = [best, plan.attrs["payg_total"], plan.attrs["subscription_total"]]
    subscribed = plan.loc[plan["method"] == "subscription", "months"].sum()
    return pd.DataFrame(
        {
            "plan": ["cheapest", "payg", "subscription"],
            "months": [int(subscribed), 0, plan.attrs["subscription_months"]],
            "cost": [float(total) for total in totals],
            "extra": [float(total - best) for total in totals],
        }
    )


def _period(start: Any, end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    for value, name in ((start, "start"), (end, "end")):
        if np.ndim(value) != 0:
            raise InputError(name, "give one date or time, not several")
    first, last = timestamps(start, "start")[0], timestamps(end, "end")[0]
    if (first.tz is None) != (last.tz is None):
        raise InputError("end", "start and end must both be naive or both carry a time zone")
    if first.tz is not None:
        last = last.tz_convert(first.tz)
    if last <= first:
        raise InputError("end", f"must be after start; got end {last} and start {first}")
    return first, last


def _check_price(value: Any, name: str) -> None:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if (
        isinstance(value, bool)
        or number is None
        or not number.is_finite()
        or not 0 < number <= MAX_UNIT_PRICE
        or -number.as_tuple().exponent > PRICE_DECIMALS  # type: ignore[operator]
    ):
        raise InputError(
            name,
            f"must be a price above 0 and at most {MAX_UNIT_PRICE:,} with at most"
            f" {PRICE_DECIMALS} decimals; got {value!r}",
        )


def _check_nodes(nodes: Any) -> int:
    if isinstance(nodes, bool) or not isinstance(nodes, int | np.integer | float):
        raise InputError("nodes", f"must be a whole number of nodes; got {nodes!r}")
    if not (1 <= nodes <= MAX_QUANTITY and float(nodes).is_integer()):
        raise InputError(
            "nodes", f"must be a whole number from 1 to {MAX_QUANTITY:,}; got {nodes!r}"
        )
    return int(nodes)


def _check_hours(hours_per_day: Any) -> int:
    try:
        number = Decimal(str(hours_per_day))
    except ArithmeticError:
        number = Decimal("NaN")
    if (
        isinstance(hours_per_day, bool)
        or not number.is_finite()
        or not 0 < number <= 24
        or number * 100 != int(number * 100)
    ):
        raise InputError(
            "hours_per_day",
            f"must be above 0 and at most 24 with at most 2 decimals; got {hours_per_day!r}",
        )
    return int(number * 100)


def _decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-CENTS)


def _segments(
    chosen: list[tuple[int, int]],
    first: pd.Timestamp,
    last: pd.Timestamp,
    orders: dict[tuple[int, int], list[int]],
    order_cents: dict[int, int],
    stretches: PaygStretches,
    quantity: int,
) -> pd.DataFrame:
    rows = []
    cursor = first

    def payg(until: pd.Timestamp) -> None:
        if until > cursor:
            minutes = stretches.minutes(cursor, until)
            cents = stretches.cents(cursor, until)
            rows.append((cursor, until, "payg", 0, minutes, cents, pd.NaT))

    for j, m in chosen:
        begin = stretches.bounds[j]
        payg(begin)
        for term in orders[(j, m)]:  # each order renews the one before at its expiry
            expires = subscription_end(begin, term)
            rows.append(
                (begin, min(expires, last), "subscription", term, 0.0, order_cents[term], expires)
            )
            begin = expires
        cursor = min(begin, last)
    payg(last)
    frame = pd.DataFrame(
        rows, columns=["start", "end", "method", "months", "minutes", "cents", "expires"]
    )
    frame.insert(3, "nodes", quantity)
    frame["cost"] = minor_units_to_float(frame["cents"].to_numpy(np.int64), CENTS)
    frame["renew_by"] = frame["expires"] + RELEASE_AFTER
    return frame[[*SEGMENT_COLUMNS, "cents"]]
