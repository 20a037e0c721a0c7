"""The exact search for the cheapest plan of a project, in cents.

:func:`~pai_model.decisions.projects.plan_project` subscribes runs of the project's
calendar months and bills the rest pay-as-you-go. Here: every run a plan can subscribe
with its orders of buyable terms (:func:`subscription_runs`), when each run's last order
expires (:func:`run_expiries`), the pay-as-you-go bill of every uncovered stretch a plan
can hold, computed at once (:class:`PaygStretches`), and the cheapest set of runs by
dynamic programming over the months (:func:`cheapest_runs`). Every bill is in cents
(:func:`bill_cents`), so totals are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.formulas.arguments import split_buyable
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.terms import subscription_end

__all__ = [
    "CENTS",
    "PaygStretches",
    "bill_cents",
    "cheapest_runs",
    "run_expiries",
    "subscription_runs",
]

#: Decimals of every bill of a plan: cents.
CENTS = 2
#: Billed minutes per stretch are ``ns x H / _NS_PER_MILLI_MINUTE_DAY`` milli-minutes, with
#: ``H`` the hours per day in hundredths: 100 x 24 h x 60e9 ns/min / 1000.
_NS_PER_MILLI_MINUTE_DAY = 100 * 24 * 60 * 10**9 // 1000


def subscription_runs(
    count: int, terms: tuple[int, ...]
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], list[int]]]:
    """Every run ``(first month, months)`` a plan can subscribe, with its orders.

    A run inside the project is bought as the fewest buyable terms back to back; a run to
    the project's end whose length is no term can also be one longer term past the end.
    """
    runs = [(j, m) for j in range(count) for m in range(1, count - j + 1)]
    orders = {run: split_buyable(run[1], terms) for run in runs}
    for j in range(count):
        longer = [t for t in terms if t > count - j]
        if count - j not in terms and longer:
            runs.append((j, longer[0]))
            orders[(j, longer[0])] = [longer[0]]
    return runs, orders


def run_expiries(
    runs: list[tuple[int, int]],
    orders: dict[tuple[int, int], list[int]],
    bounds: pd.DatetimeIndex,
) -> dict[tuple[int, int], pd.Timestamp]:
    """When each run's last order expires: each order renews the one before at its end."""
    ends = pd.Series(bounds[[j for j, _ in runs]])
    for step in range(max(len(parts) for parts in orders.values())):
        mask = np.array([len(orders[run]) > step for run in runs])
        terms = [orders[run][step] for run, m in zip(runs, mask, strict=True) if m]
        ends[mask] = subscription_end(pd.DatetimeIndex(ends[mask]), terms)
    return dict(zip(runs, ends, strict=True))


def bill_cents(price: float, quantity: int, durations: Any, unit: str) -> np.ndarray:
    """Bills of ``quantity`` nodes for each of ``durations`` in ``unit`` [cent], exactly.

    ``unit`` is "month" (a subscription order), "minute" or "hour" (pay-as-you-go); each
    bill is rounded once, half up, to the cent (:func:`~pai_model.formulas.engine.bill_amounts`).
    """
    _, minor = bill_amounts(
        price, quantity, durations, price_unit=unit, decimals=CENTS, minor_units=True
    )
    assert minor is not None
    return np.atleast_1d(minor)


class PaygStretches:
    """Pay-as-you-go bills of every uncovered stretch a plan can hold, computed at once."""

    def __init__(
        self,
        first: pd.Timestamp,
        last: pd.Timestamp,
        bounds: pd.DatetimeIndex,
        run_ends: dict[tuple[int, int], pd.Timestamp],
        price: tuple[float, str],
        quantity: int,
        hundredths: int,
    ) -> None:
        self.first, self.bounds = first, bounds
        # a stretch runs from the start or a term's end to a month's beginning or the end
        froms = [first, *(e for e in run_ends.values() if e < last)]
        tos = [*bounds[1:-1], last]
        pairs = sorted({(a, b) for a in froms for b in tos if b > a})
        ns = np.array([(b - a).value for a, b in pairs], dtype=np.int64)
        # ns x H / K milli-minutes rounded half up, without forming ns x H (past int64)
        whole, rest = np.divmod(ns, _NS_PER_MILLI_MINUTE_DAY)
        milli = whole * hundredths + (2 * rest * hundredths + _NS_PER_MILLI_MINUTE_DAY) // (
            2 * _NS_PER_MILLI_MINUTE_DAY
        )
        unit_price, unit = price  # per minute, or per hour (a public resource)
        cents = bill_cents(unit_price, quantity, milli / 1000.0, unit) if pairs else milli
        self._bills = {
            pair: (int(c), m / 1000.0) for pair, c, m in zip(pairs, cents, milli, strict=True)
        }

    def cents(self, a: pd.Timestamp, b: pd.Timestamp) -> int:
        """The bill of the stretch from ``a`` to ``b`` [cent]; 0 when it is empty."""
        return self._bills[(a, b)][0] if b > a else 0

    def minutes(self, a: pd.Timestamp, b: pd.Timestamp) -> float:
        """The billed minutes per node of the stretch from ``a`` to ``b``. [minute]"""
        return self._bills[(a, b)][1]


def cheapest_runs(
    count: int,
    runs: list[tuple[int, int]],
    run_ends: dict[tuple[int, int], pd.Timestamp],
    run_cents: dict[tuple[int, int], int],
    stretches: PaygStretches,
    last: pd.Timestamp,
) -> list[tuple[int, int]]:
    """The subscription orders ``(first month, months)`` of the cheapest plan, in order.

    ``before[j]`` is the cheapest cost of the project up to the beginning of month ``j``
    for a plan whose next order starts there (so month ``j - 1`` is not subscribed, or
    that order would be longer), with the order before it; a run ``(j, m)`` then costs
    ``before[j] + run_cents[(j, m)]`` up to its last term's end. Of plans that cost the
    same, the one that subscribes fewer months wins (a month is subscribed only when it
    saves money).
    """
    start = stretches.first
    # costs are (cents, subscribed months): the cheaper plan, and of equal ones the one
    # that subscribes less
    before: list[tuple[tuple[int, int], tuple[int, int] | None]] = []
    upto: dict[tuple[int, int], tuple[int, int]] = {}
    starting: dict[int, list[tuple[int, int]]] = {}
    for run in runs:
        starting.setdefault(run[0], []).append(run)
    for j in range(count):
        begin = stretches.bounds[j]
        best: tuple[tuple[int, int], tuple[int, int] | None] = (
            (stretches.cents(start, begin), 0),
            None,
        )
        for prior in runs:
            if prior[0] + prior[1] < j and prior in upto:
                cents, months = upto[prior]
                cost = (cents + stretches.cents(run_ends[prior], begin), months)
                if cost < best[0]:
                    best = (cost, prior)
        before.append(best)
        (cents, months), _ = best
        for run in starting[j]:
            upto[run] = (cents + run_cents[run], months + run[1])
    total, order = (stretches.cents(start, last), 0), None
    for run in runs:
        cents, months = upto[run]
        cost = (cents + stretches.cents(run_ends[run], last), months)
        if cost < total:
            total, order = cost, run
    chosen = []
    while order is not None:
        chosen.append(order)
        order = before[order[0]][1]
    return chosen[::-1]
