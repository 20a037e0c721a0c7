"""The load-duration levels of a demand table and the cost of every subscription count.

Let ``T(L)`` be the time during which demand is at least ``L`` nodes (the load-duration
curve). Subscribing ``k`` nodes serves every demand level ``L <= k``; the levels above
``k`` run on pay-as-you-go, level ``L`` for ``T(L)`` minutes. So, for every ``k`` at
once::

    cost(k) = subscription_cost(S, k, months) + sum over L > k of payg_cost(p, 1, T(L))

Each level ``L`` is billed as one pay-as-you-go line (one node slot used ``T(L)`` minutes,
rounded to the milli-minute) by the billing engine, which returns each line in exact
integer cents; the curve is a reverse cumulative sum of those integers, so every total
is exact. Node ``k`` is worth subscribing while the pay-as-you-go cost it replaces,
``payg_cost(p, 1, T(k))``, is at least its subscription price (the newsvendor rule);
``T`` never increases with ``L``, so the rule picks a prefix ``1..k*``, checked against
the minimum of the billed curve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import NS_PER_MINUTE, pair_codes, times_ns
from pai_model.errors import PlanError
from pai_model.formulas.arguments import MAX_QUANTITY
from pai_model.formulas.engine import bill_amounts, payg_bill_amounts
from pai_model.formulas.money_text import format_minor

#: Minor units of the currency: the planner bills to the cent.
CENTS = 100


@dataclass
class Levels:
    """Per pair, the time spent at each exact demand level, in one flat array.

    Pair ``p`` owns positions ``offset[p] .. offset[p+1]-1``, one per level
    ``0 .. peak[p]``.
    """

    region: np.ndarray
    hardware: np.ndarray
    peak: np.ndarray
    offset: np.ndarray
    at_level_ns: np.ndarray
    history_ns: np.ndarray

    @property
    def pair_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.peak)), self.peak + 1)

    @property
    def level(self) -> np.ndarray:
        return np.arange(self.offset[-1]) - self.offset[:-1][self.pair_of]

    def at_or_above_ns(self) -> np.ndarray:
        """``T(L)``: time with demand >= L, for every pair and level (L = 0: all time)."""
        return suffix_sums(self.at_level_ns, self.offset)


def suffix_sums(values: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Sum of ``values[i:]`` within each block ``offset[p] .. offset[p+1]``."""
    total = np.concatenate([np.cumsum(values[::-1])[::-1], np.zeros(1, dtype=values.dtype)])
    block_end = np.repeat(offset[1:], np.diff(offset))
    return total[:-1] - total[block_end]


def levels_of(demand: pd.DataFrame) -> Levels:
    """The levels of a checked demand table, pairs in the order of region, then hardware."""
    pair, regions, hardwares = pair_codes(demand["region_id"], demand["hardware"])
    start, _ = times_ns(demand["start"])
    end, _ = times_ns(demand["end"])
    nodes = demand["nodes"].to_numpy(dtype=np.int64)
    duration = end - start
    count = len(regions)
    peak = np.zeros(count, dtype=np.int64)
    np.maximum.at(peak, pair, nodes)
    too_many = np.flatnonzero(peak > MAX_QUANTITY)
    if len(too_many):
        raise PlanError(
            [
                f"{regions[p]} / {hardwares[p]}: demand peaks at {peak[p]:,} nodes; the kit"
                f" prices and plans up to {MAX_QUANTITY:,} nodes of one hardware at once"
                for p in too_many
            ]
        )
    offset = np.concatenate([[0], np.cumsum(peak + 1)])
    at_level = np.zeros(offset[-1], dtype=np.int64)
    np.add.at(at_level, offset[pair] + nodes, duration)  # int64: exact nanoseconds
    history = np.zeros(count, dtype=np.int64)
    np.add.at(history, pair, duration)
    return Levels(regions, hardwares, peak, offset, at_level, history)


def scaled_minutes(
    at_or_above_ns: np.ndarray, history_ns: np.ndarray, horizon: float
) -> np.ndarray:
    """History time scaled to the horizon, in minutes rounded to the milli-minute."""
    scale = horizon * 1000.0 / history_ns.astype(np.float64)
    return np.rint(at_or_above_ns.astype(np.float64) * scale) / 1000.0


def payg_cents(unit_price: Any, minutes: Any, hourly: Any = False) -> np.ndarray:
    """Exact cents (int64) of one node on pay-as-you-go for ``minutes``, from the engine.

    ``hourly`` marks prices per hour (a public resource: billed per minute at price / 60,
    fractional minutes priced, one exact product); the others are per minute.
    """
    return payg_bill_amounts(unit_price, 1, minutes, hourly=hourly, minor_units=True)[1]


def billed_payg_prices(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The pay-as-you-go price each planned pair is billed at, and which are per hour.

    A public resource's price is its (discounted) hourly price, ``payg_price_per_hour``;
    its ``payg_price_per_minute`` is only the per-minute equivalent, to compare.
    """
    hourly = (summary["payg_price_unit"] == "hour").to_numpy()
    prices = np.where(
        hourly, summary["payg_price_per_hour"].to_numpy(), summary["payg_price_per_minute"]
    )
    return prices.astype(np.float64), hourly


def subscription_cents(unit_price: Any, nodes: Any, months: int) -> np.ndarray:
    """Exact cents (int64) of ``nodes`` subscribed for ``months``, from the engine."""
    return bill_amounts(unit_price, nodes, months, per_minute=False, minor_units=True)[1]


def money(cents: Any) -> np.ndarray:
    """Integer cents as the float64 nearest to the amount.

    An int64 below 2**53 converts to float64 exactly and IEEE division rounds correctly,
    so ``cents / 100`` is the nearest float (negative savings included).
    """
    return np.asarray(cents) / CENTS


class Curve:
    """Cost of every subscription count for every pair, in integer cents."""

    def __init__(self, levels: Levels, line: np.ndarray, subscription: np.ndarray) -> None:
        self.levels = levels
        self.line = line
        self.subscription = subscription
        # payg(k) = sum of the lines of levels above k
        self.payg = suffix_sums(line, levels.offset) - line
        self.total = subscription + self.payg
        self.all_payg = self.payg[levels.offset[:-1]]

    def payg_at(self, k: np.ndarray) -> np.ndarray:
        return self.payg[self.levels.offset[:-1] + k]

    def subscription_at(self, k: np.ndarray) -> np.ndarray:
        return self.subscription[self.levels.offset[:-1] + k]

    def total_at(self, k: np.ndarray) -> np.ndarray:
        return self.total[self.levels.offset[:-1] + k]

    def plan_at(self, k: np.ndarray, payg_ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Subscription and pay-as-you-go parts of subscribing ``k`` per pair [cents];
        where pay-as-you-go cannot be bought it serves nothing, so its part is 0."""
        return self.subscription_at(k), np.where(payg_ok, self.payg_at(k), 0)

    def optimum(self, one_node: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """The newsvendor count, or the billed curve's minimum where rounding splits them."""
        levels = self.levels
        pair_of, level = levels.pair_of, levels.level
        worth = (level > 0) & (self.line >= one_node[pair_of])
        rule = np.bincount(pair_of[worth], minlength=len(levels.peak)).astype(np.int64)
        lowest = np.minimum.reduceat(self.total, levels.offset[:-1])
        at_min = np.where(self.total == lowest[pair_of], level, -1)
        curve_k = np.maximum.reduceat(at_min, levels.offset[:-1])
        differs = self.total_at(rule) != lowest
        notes = [
            f"{levels.region[p]} / {levels.hardware[p]}: the per-node rule gives {rule[p]}"
            f" nodes but whole-order rounding of the subscription makes {curve_k[p]} cheaper"
            f" by {format_minor(self.total_at(rule)[p] - lowest[p])}; the billed curve's"
            " minimum is used"
            for p in np.flatnonzero(differs)
        ]
        return np.where(differs, curve_k, rule), notes

    def frame(
        self, recommended: np.ndarray, at_or_above: np.ndarray, history_ns: np.ndarray
    ) -> pd.DataFrame:
        levels = self.levels
        pair_of, level = levels.pair_of, levels.level
        all_payg = self.all_payg[pair_of]
        return pd.DataFrame(
            {
                "region_id": levels.region[pair_of],
                "hardware": levels.hardware[pair_of],
                "nodes": level,
                "hours_at_or_above": at_or_above / (60.0 * NS_PER_MINUTE),
                "time_share_at_or_above": at_or_above / history_ns[pair_of].astype(np.float64),
                "subscription_cost": money(self.subscription),
                "payg_cost": money(self.payg),
                "total_cost": money(self.total),
                "total_cost_minor": self.total,
                "savings": money(all_payg - self.total),
                "recommended": level == recommended[pair_of],
            }
        )
