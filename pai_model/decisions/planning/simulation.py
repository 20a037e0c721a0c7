"""How sure the savings are: a plan judged under resampled and scaled demand.

Each scenario builds a horizon of days by a seeded circular block bootstrap of the
history's whole days and scales every demand level by a growth factor; the plan's
subscribed count and the best count of the scenario are priced as the plan is, in the
billing engine's integer cents. A history shorter than a day is drawn by the hour (or,
shorter than an hour, by the minute), with a warning that the range is then wide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pai_model.data.arrays import (
    NS_PER_DAY,
    NS_PER_MINUTE,
    is_whole,
    number,
    pair_codes,
    times_ns,
)
from pai_model.decisions.planning.curve import (
    Levels,
    billed_payg_prices,
    levels_of,
    money,
    payg_cents,
    subscription_cents,
)
from pai_model.decisions.planning.demand import as_demand
from pai_model.decisions.planning.plan import CommitmentPlan, buyable_count
from pai_model.decisions.planning.prices import horizon
from pai_model.errors import InputError, PlanError

#: Arguments of the old signature, which priced the plan again: the plan holds them now.


@dataclass(frozen=True)
class PlanSimulation:
    """Result of :func:`simulate_plan`."""

    #: One row per (region, hardware): the savings distribution (see :func:`simulate_plan`).
    summary: pd.DataFrame
    #: One row per pair and scenario: ``region_id``, ``hardware``, ``scenario``,
    #: ``growth``, ``all_payg_cost``, ``savings`` (at the chosen count; and
    #: ``baseline_savings`` at the baseline count, when one is given),
    #: ``optimal_nodes`` and ``optimal_savings``.
    scenarios: pd.DataFrame
    notes: list[str] = field(default_factory=list)


#: Scenarios of one run: enough for stable percentiles, few enough for this machine's memory.
MAX_SCENARIOS = 10_000


def simulate_plan(
    demand: pd.DataFrame,
    plan: CommitmentPlan,
    *,
    nodes: int | Mapping[tuple[str, str], int] | None = None,
    scenarios: int = 1000,
    growth: float | tuple[float, float] = 1.0,
    block_days: int = 7,
    seed: int = 0,
    baseline: int | Mapping[tuple[str, str], int] | None = None,
) -> PlanSimulation:
    """How sure the savings are: the plan under resampled and scaled demand.

    Each scenario builds a horizon of days by a seeded circular block bootstrap of the
    history's whole days (blocks of ``block_days`` consecutive days keep the weekly
    pattern; a history shorter than a day is drawn in whole hours, or whole minutes when
    shorter than an hour, each on its own, with a warning in the notes that the range is
    wide), scales every demand level by the scenario's growth factor (rounded to the
    nearest whole node) and prices it with the plan's prices, horizon and month
    convention. All scenarios of a pair are computed at once, as matrices.

    Parameters
    ----------
    demand : pandas.DataFrame
        The demand the plan was made from.
    plan : CommitmentPlan
        From :func:`~pai_model.decisions.planning.plan.size_commitment` on ``demand``: its prices
        (discounts applied), months and month convention are used, not computed again.
    nodes : int or mapping, optional
        The subscription count judged: one count for every pair, or a mapping
        ``(region_id, hardware) -> count``. By default the plan's recommended count.
    scenarios : int, default 1000
        Number of scenarios.
    growth : float or (float, float), default 1.0
        Demand factor (1.2: 20 % more nodes; 0.8: 20 % fewer); a pair of numbers draws
        each scenario's factor uniformly between them. [fraction]
    block_days : int, default 7
        Length of the bootstrap blocks (capped at the history's whole days). [day]
    seed : int, default 0
        Seed of the random generator: the same seed gives the same scenarios.
    baseline : int or mapping, optional
        A second count to judge in the same scenarios (as ``nodes``), e.g. the nodes
        held now: ``scenarios`` then has ``baseline_savings`` beside ``savings``.

    Returns
    -------
    PlanSimulation
        ``summary`` per pair: ``nodes`` judged, ``savings_median``, ``savings_p5``,
        ``savings_p95``, ``probability_loss`` (share of scenarios where the plan costs
        more than all pay-as-you-go), and for the optimal count of each scenario
        ``optimal_nodes_median``, ``optimal_nodes_p5``, ``optimal_nodes_p95``,
        ``optimal_savings_median``, ``optimal_savings_p5``, ``optimal_savings_p95``;
        ``all_payg_median``, ``currency``. ``scenarios``: every scenario.

    Raises
    ------
    PlanError
        For a plan not made from ``demand``.
    InputError
        For a bad count, scenario number, growth or block length, or arguments of the
        old signature (``catalog``, ``months``, discounts: give the plan instead).

    See Also
    --------
    pai_model.decisions.planning.plan.size_commitment : The plan judged here.

    Examples
    --------
    Two nodes all the time for 14 days: every scenario is the same month, and
    subscribing both saves 2 x (43,800 x 0.73 - 23,932.70) = 16,082.60 USD in each.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> from pai_model.decisions.planning.demand import demand_from_jobs
    >>> from pai_model.decisions.planning.plan import size_commitment
    >>> jobs = pd.DataFrame({"start": ["2026-01-01"], "end": ["2026-01-15"],
    ...     "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108", "nodes": [2]})
    >>> demand = demand_from_jobs(jobs)
    >>> plan = size_commitment(demand, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> row = simulate_plan(demand, plan, scenarios=10).summary.iloc[0]
    >>> print(row.nodes, row.savings_p5, row.savings_p95, row.probability_loss)
    2 16082.6 16082.6 0.0
    """
    if not isinstance(plan, CommitmentPlan):
        raise InputError(
            "plan",
            "simulate_plan takes the plan, not the catalog:"
            " simulate_plan(demand, size_commitment(demand, catalog, ...))",
        )
    months, horizon_min = horizon(plan.months, plan.hours_per_month)
    if not is_whole(scenarios) or not 1 <= scenarios <= MAX_SCENARIOS:
        raise InputError(
            "scenarios",
            f"must be a whole number from 1 to {MAX_SCENARIOS:,}; got {scenarios!r}",
        )
    if not is_whole(seed) or seed < 0:
        raise InputError("seed", f"must be a whole number of at least 0; got {seed!r}")
    if not is_whole(block_days) or block_days < 1:
        raise InputError(
            "block_days", f"must be a whole number of days, at least 1; got {block_days!r}"
        )
    bounds = np.ravel(np.asarray(growth, dtype=object))
    low, high = (bounds[0], bounds[-1]) if bounds.size in (1, 2) else (np.nan, np.nan)
    low, high = number(low, "growth"), number(high, "growth")
    if not 0 < low <= high <= 100:
        raise InputError(
            "growth", f"must be a factor above 0 (or a range low <= high); got {growth!r}"
        )
    table = as_demand(demand)
    levels = levels_of(table)
    summary = plan.summary
    _check_plan_of(summary, levels)
    chosen = _chosen_counts(nodes, summary)
    second = None if baseline is None else _chosen_counts(baseline, summary)
    payg_prices, hourly = billed_payg_prices(summary)
    rng = np.random.default_rng(seed)
    factors = (
        rng.uniform(low, high, size=int(scenarios))
        if high > low
        else np.full(int(scenarios), float(low))
    )
    unit = _unit_ns(table, levels)
    block = int(block_days) if unit == NS_PER_DAY else 1
    unit_minutes = unit / NS_PER_MINUTE
    days_by_pair = _day_levels(table, levels, unit)
    frames, rows = [], []
    for p, day_minutes in enumerate(days_by_pair):
        counts = _bootstrap_counts(
            rng, day_minutes.shape[0], horizon_min / unit_minutes, int(scenarios), block
        )
        result = _simulate_pair(
            day_minutes,
            counts,
            factors,
            (horizon_min, unit_minutes),
            summary["subscription_price_per_month"].iloc[p],
            (float(payg_prices[p]), bool(hourly[p])),
            months,
            (int(chosen[p]), None if second is None else int(second[p])),
            (
                bool(summary["subscription_purchasable"].iloc[p]),
                bool(summary["payg_purchasable"].iloc[p]),
            ),
        )
        key = {"region_id": levels.region[p], "hardware": levels.hardware[p]}
        frames.append(
            pd.DataFrame(
                {**key, "scenario": np.arange(int(scenarios)), "growth": factors, **result}
            )
        )
        rows.append(
            {
                **key,
                "currency": summary["currency"].iloc[p],
                "nodes": int(chosen[p]),
                **_distribution(result),
            }
        )
    drawn = f"blocks of {block} days" if unit == NS_PER_DAY else f"whole {_UNITS[unit]}s"
    notes = [
        *[n for n in plan.notes if not n.startswith("Each demand level")],
        f"{int(scenarios)} scenarios (seed {seed}): {drawn} drawn from the history with"
        f" replacement; demand x growth {_growth_text(low, high)}, rounded to whole nodes.",
    ]
    if unit != NS_PER_DAY:
        notes.append(
            f"WARNING: the history is shorter than a day, so the scenarios draw whole"
            f" {_UNITS[unit]}s of it instead of days: the daily and weekly pattern is unknown"
            " and the savings range is wide; read it as a rough guide and plan again with"
            " a longer history."
        )
    return PlanSimulation(pd.DataFrame(rows), pd.concat(frames, ignore_index=True), notes)


def _growth_text(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"uniform from {low:g} to {high:g}"


def _chosen_counts(
    nodes: int | Mapping[tuple[str, str], int] | None, summary: pd.DataFrame
) -> np.ndarray:
    if nodes is None:
        return summary["recommended_nodes"].to_numpy()
    if isinstance(nodes, Mapping):
        keys = list(zip(summary["region_id"], summary["hardware"], strict=True))
        unknown = [k for k in nodes if tuple(k) not in keys]
        if unknown:
            raise InputError("nodes", f"pairs not in the demand: {unknown}")
        counts = np.array(
            [nodes.get(k, r) for k, r in zip(keys, summary["recommended_nodes"], strict=True)]
        )
    else:
        counts = np.full(len(summary), nodes)
    if (counts < 0).any() or (counts != np.floor(counts)).any():
        raise InputError("nodes", f"must be whole numbers >= 0; got {nodes!r}")
    return counts.astype(np.int64)


def _check_plan_of(summary: pd.DataFrame, levels: Levels) -> None:
    """Refuse a plan made from other demand (other pairs or other peaks)."""
    same = (
        len(summary) == len(levels.peak)
        and (summary["region_id"].to_numpy() == levels.region).all()
        and (summary["hardware"].to_numpy() == levels.hardware).all()
        and (summary["peak_nodes"].to_numpy() == levels.peak).all()
    )
    if not same:
        raise PlanError(
            [
                "the plan was not made from this demand (its pairs or peaks differ);"
                " give simulate_plan the demand given to size_commitment"
            ]
        )


NS_PER_HOUR = 60 * NS_PER_MINUTE
#: Units of history the scenarios draw, by their length in nanoseconds.
_UNITS = {NS_PER_DAY: "day", NS_PER_HOUR: "hour", NS_PER_MINUTE: "minute"}


def _unit_ns(demand: pd.DataFrame, levels: Levels) -> int:
    """The unit scenarios draw: a day, or for a history shorter than a day an hour (or a
    minute, for one shorter than an hour); the shortest pair's history decides."""
    shortest = int(levels.history_ns.min()) if len(levels.history_ns) else NS_PER_DAY
    return next(unit for unit in _UNITS if shortest >= unit or unit == NS_PER_MINUTE)


def _day_levels(demand: pd.DataFrame, levels: Levels, unit: int = NS_PER_DAY) -> list[np.ndarray]:
    """Per pair, minutes at each exact level in each whole ``unit`` (a day by default) of
    its history."""
    pair, _, _ = pair_codes(demand["region_id"], demand["hardware"])
    start, _ = times_ns(demand["start"])
    end, _ = times_ns(demand["end"])
    nodes = demand["nodes"].to_numpy(dtype=np.int64)
    order = np.argsort(pair, kind="stable")
    bounds = np.searchsorted(pair[order], np.arange(len(levels.peak) + 1))
    out = []
    for p in range(len(levels.peak)):
        mine = order[bounds[p] : bounds[p + 1]]
        origin = start[mine].min()
        a, b, level = start[mine] - origin, end[mine] - origin, nodes[mine]
        days = max(1, int((b.max()) // unit))
        # split intervals at each unit's edge (from the history's start) so each piece is in one
        first, last = a // unit, (b - 1) // unit
        pieces = last - first + 1
        row = np.repeat(np.arange(len(a)), pieces)
        day = first[row] + np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        piece = np.minimum(b[row], (day + 1) * unit) - np.maximum(a[row], day * unit)
        whole = day < days  # a final partial day is left out
        grid = np.zeros((days, levels.peak[p] + 1), dtype=np.int64)
        np.add.at(grid, (day[whole], level[row][whole]), piece[whole])
        out.append(grid / NS_PER_MINUTE)
    return out


def _bootstrap_counts(
    rng: np.random.Generator, days: int, horizon_units: float, scenarios: int, block: int
) -> np.ndarray:
    """How often each history day (or unit) appears in each scenario (scenarios x days)."""
    length = max(1, int(np.ceil(horizon_units)))
    block = min(block, days)
    blocks = -(-length // block)
    first = rng.integers(0, days, size=(scenarios, blocks))
    day = (first[:, :, None] + np.arange(block)) % days
    day = day.reshape(scenarios, blocks * block)[:, :length]
    flat = (np.arange(scenarios)[:, None] * days + day).ravel()
    return np.bincount(flat, minlength=scenarios * days).reshape(scenarios, days)


def _simulate_pair(
    day_minutes: np.ndarray,
    counts: np.ndarray,
    factors: np.ndarray,
    horizon: tuple[float, float],
    sub_price: float,
    payg_price: tuple[float, bool],
    months: int,
    counts_judged: tuple[int, int | None],
    purchasable: tuple[bool, bool],
) -> dict[str, np.ndarray]:
    """Each scenario's all-pay-as-you-go cost, savings at the count judged (and at a
    baseline count: ``counts_judged``) and best count
    (among what can be bought: ``purchasable`` is (subscription, pay-as-you-go));
    ``payg_price`` is (price, whether it is per hour: a public resource); ``horizon`` is
    (horizon minutes, minutes of one unit drawn)."""
    horizon_minutes, unit_minutes = horizon
    scenarios, peak = counts.shape[0], day_minutes.shape[1] - 1
    at_level = counts @ day_minutes  # scenarios x levels, minutes
    at_level *= horizon_minutes / (counts.sum(axis=1, keepdims=True) * unit_minutes)
    if (factors == 1.0).all():  # no growth: every level stays itself
        scaled, width = at_level, peak + 1
    else:
        new_level = np.floor(np.arange(peak + 1)[None, :] * factors[:, None] + 0.5)
        new_level = new_level.astype(np.int64)
        width = int(new_level.max()) + 1
        flat = (np.arange(scenarios)[:, None] * width + new_level).ravel()
        scaled = np.bincount(flat, weights=at_level.ravel(), minlength=scenarios * width)
        scaled = scaled.reshape(scenarios, width)
    at_or_above = np.cumsum(scaled[:, ::-1], axis=1)[:, ::-1][:, 1:]  # levels 1 .. width-1
    # capped at the horizon rounded as every line is: a horizon of, say, 730.00001-hour
    # months has more than the 3 decimal places of a minute the billing formulas take
    minutes = np.minimum(np.rint(at_or_above * 1000.0), np.rint(horizon_minutes * 1000.0)) / 1000.0
    line = payg_cents(payg_price[0], minutes, payg_price[1])
    one_node = int(subscription_cents(sub_price, 1, months))
    served = np.concatenate(
        [np.zeros((scenarios, 1), dtype=np.int64), np.cumsum(line, axis=1)], axis=1
    )
    all_payg = served[:, -1]
    chosen, second = counts_judged

    def saving_at(count: int) -> np.ndarray:
        return served[:, min(count, width - 1)] - int(subscription_cents(sub_price, count, months))

    savings = saving_at(chosen)
    sub_ok, payg_ok = purchasable
    optimal = buyable_count(
        (line >= one_node).sum(axis=1), (minutes > 0).sum(axis=1), sub_ok, payg_ok
    )
    optimal_savings = served[np.arange(scenarios), optimal] - subscription_cents(
        sub_price, optimal, months
    )
    result = {
        "all_payg_cost": money(all_payg),
        "savings": money(savings),
        "optimal_nodes": optimal,
        "optimal_savings": money(optimal_savings),
    }
    if second is not None:
        result["baseline_savings"] = money(saving_at(second))
    return result


def _distribution(result: dict[str, np.ndarray]) -> dict[str, float]:
    savings, optimal, best = result["savings"], result["optimal_nodes"], result["optimal_savings"]
    return {
        "savings_median": float(np.median(savings)),
        "savings_p5": float(np.percentile(savings, 5)),
        "savings_p95": float(np.percentile(savings, 95)),
        "probability_loss": float(np.mean(savings < 0)),
        "optimal_nodes_median": float(np.median(optimal)),
        "optimal_nodes_p5": float(np.percentile(optimal, 5)),
        "optimal_nodes_p95": float(np.percentile(optimal, 95)),
        "optimal_savings_median": float(np.median(best)),
        "optimal_savings_p5": float(np.percentile(best, 5)),
        "optimal_savings_p95": float(np.percentile(best, 95)),
        "all_payg_median": float(np.median(result["all_payg_cost"])),
    }
