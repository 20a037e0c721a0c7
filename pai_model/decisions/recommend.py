"""One question, one answer: what to buy, renew or let go, and what it saves.

:func:`advise` joins the kit's decisions into one purchase list for a usage history and
the nodes already held: the commitment plan of the last ``lookback_days`` of usage
(:func:`~pai_model.decisions.planning.plan.size_commitment`: count and term per region and
hardware, among what can be bought), the actions that take the account from what it
holds to that plan (:mod:`~pai_model.decisions.actions`), how sure the saving is
(:func:`~pai_model.decisions.planning.simulation.simulate_plan`: the 5th to 95th
percentile and the probability of a loss), and what the same rule would have saved over
the history, walking forward month by month, beside the best commitment chosen in
hindsight (:func:`~pai_model.decisions.backtest.backtest_demand`): their ratio is the
**capture**, how much of the possible saving the advice really gets.

DataFrames and dicts out, money as :class:`decimal.Decimal`; words for people are made by
:mod:`pai_model.display.recommendation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import is_whole
from pai_model.data.freshness import MAX_AGE_DAYS
from pai_model.data.offers import offer_pairs, used_offers
from pai_model.decisions.actions import (
    ACTION_COLUMNS,
    ACTIONS,
    PAIR_COLUMNS,
    pair_actions,
    pair_costs,
)
from pai_model.decisions.backtest import Backtest, backtest_demand
from pai_model.decisions.planning.demand_windows import DemandIndex
from pai_model.decisions.planning.held import held_groups
from pai_model.decisions.planning.plan import CommitmentPlan, size_commitment
from pai_model.decisions.planning.prices import plannable_pairs
from pai_model.decisions.planning.simulation import PlanSimulation, simulate_plan
from pai_model.errors import InputError, PlanError
from pai_model.formulas.breakeven import HOURS_PER_MONTH
from pai_model.formulas.currency import rates_text
from pai_model.formulas.terms import subscription_end

#: Days of usage the plan is made from, by default (the backtest's training window too).
DEFAULT_LOOKBACK_DAYS = 30
_CENT = Decimal("0.01")
#: What "cost now" means, said wherever it is shown.
NOW_MEANS = (
    "now: the nodes held today kept at their monthly subscription price, the demand above"
    " them on pay-as-you-go"
)


@dataclass(frozen=True)
class Advice:
    """Result of :func:`advise`."""

    #: One row per action: :data:`~pai_model.decisions.actions.ACTION_COLUMNS`, largest
    #: monthly saving first (money as Decimal).
    actions: pd.DataFrame
    #: One row per (region, hardware) planned: :data:`~pai_model.decisions.actions.PAIR_COLUMNS`.
    pairs: pd.DataFrame
    #: The grand total: cost per month now and after, saving with its range, coverage,
    #: utilization, the backtest and its capture (see :func:`advise`).
    totals: dict[str, Any]
    #: Lookback window, price sources and their age, stock, currency, conventions.
    assumptions: dict[str, Any]
    #: What a reader must know (the plan's, the scenarios', the backtest's notes).
    notes: list[str] = field(default_factory=list)
    plan: CommitmentPlan | None = None
    simulation: PlanSimulation | None = None
    backtest: Backtest | None = None
    #: The demand planned (the lookback window).
    demand: pd.DataFrame | None = None


def advise(
    demand: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    held: Any = None,
    start: Any = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    months: int = 1,
    scenarios: int = 1000,
    seed: int = 0,
    hours_per_month: float = HOURS_PER_MONTH,
    backtest: bool = True,
    today: date | None = None,
    max_age_days: int = MAX_AGE_DAYS,
    client: Any = None,
    buyable_months: Any = None,
    fx: Any = None,
) -> Advice:
    """The purchase list for a usage history: actions, grand total, assumptions.

    Parameters
    ----------
    demand : pandas.DataFrame
        The usage history as a demand table on the one-minute grid
        (:func:`~pai_model.decisions.usage_history.read_usage`,
        :func:`~pai_model.decisions.planning.demand.demand_from_jobs`).
    catalog : pandas.DataFrame
        Price catalog (:func:`~pai_model.data.catalog.read_catalog`). Pairs it does not
        offer both ways are not planned (the notes say which).
    held : pandas.DataFrame or path-like, optional
        Nodes already held by subscription, as
        :func:`~pai_model.decisions.planning.held.held_groups` reads them (the CSV of
        ``pai-cost subscriptions --format csv``, unchanged).
    start : time-like, optional
        When the purchases are made; default: when the history ends. Held groups expired
        before it are not held; those expiring within the horizon are renewed or let go.
    lookback_days : int, default 30
        Days of usage, up to the history's end, the plan is made from; the backtest's
        plans use as many days before each month they are tested on. A shorter history
        is used whole (a history shorter than a day is planned with a warning). [day]
    months : int, default 1
        Horizon: months the subscriptions are bought for (the money per month is the
        horizon's divided by it). [month]
    scenarios : int, default 1000
        Demand scenarios of the saving's range; 0 for none.
    seed : int, default 0
        Seed of the scenarios.
    hours_per_month : float, default 730
        The month convention. [hour/month]
    backtest : bool, default True
        Walk the same rule forward over the history (needs two calendar months).
    today : datetime.date, optional
        The day prices' ages are counted to; default today (UTC).
    max_age_days : int, default 30
        Prices read more than this long ago are flagged. [day]
    client : distributed.Client, optional
        Share the backtest's months among its workers (the answer is the same).
    buyable_months : iterable of int or str, optional
        The terms a subscription can be bought for [month]; ``None`` is
        :data:`~pai_model.formulas.arguments.BUYABLE_MONTHS` (UNCONFIRMED for PAI).
        Purchases and renewals longer than one term are bought as the fewest buyable
        orders (10 months: 9 + 1), as the ``term`` column says.
    fx : mapping or list of str, optional
        Exchange rates (:func:`~pai_model.formulas.currency.fx_rates`): a held file priced
        in another currency than the catalog is refused without one.

    Returns
    -------
    Advice
        ``actions``, ``pairs``, ``totals`` (``currency``, ``monthly_cost_now``,
        ``monthly_cost_after``, ``monthly_saving`` and its ``saving_p5``, ``saving_p95``,
        ``probability_of_loss``, ``coverage_after`` and ``utilization_after`` [fraction],
        ``backtest_saving``, ``hindsight_saving``, ``capture``, ``backtest_months``,
        ``backtest_reason``; money as Decimal per month, the backtest's over its months),
        ``assumptions`` and ``notes``.

    Raises
    ------
    PlanError
        No demand of a pair the catalog offers both ways; pairs priced in several
        currencies; a held file with bad rows.
    InputError
        A bad ``lookback_days``, ``months`` or ``scenarios``.

    Examples
    --------
    Two GU108 nodes busy all the time for 30 days, a third 2 hours a day: subscribe the
    two. Each costs 23,932.70 a month against 730 x 60 x 0.73 = 31,974.00 on
    pay-as-you-go, saving 2 x 8,041.30 = 16,082.60 a month.

    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.planning.demand import demand_from_jobs
    >>> days = pd.date_range("2026-01-01", periods=30, freq="D")
    >>> jobs = pd.concat([
    ...     pd.DataFrame({"start": days[:1], "end": days[-1:] + pd.Timedelta(days=1),
    ...                   "nodes": [2]}),
    ...     pd.DataFrame({"start": days + pd.Timedelta(hours=9),
    ...                   "end": days + pd.Timedelta(hours=11), "nodes": 1})])
    >>> jobs = jobs.assign(region_id="cn-wulanchabu", hardware="gu7xf-8xGU108")
    >>> advice = advise(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG),
    ...                 scenarios=0, today=date(2026, 4, 1))
    >>> advice.actions[["action", "nodes", "monthly_saving"]].values.tolist()
    [['buy', 2, Decimal('16082.60')]]
    """
    _check(lookback_days, months, scenarios)
    index = DemandIndex(demand)
    keep, notes = _offered(index, set(plannable_pairs(catalog)))
    window = index.attrs["window"]
    history = index.clip(window[0], window[1], keep=keep)
    since = max(pd.Timestamp(window[0]), pd.Timestamp(window[1]) - pd.Timedelta(days=lookback_days))
    planned = index.clip(since, window[1], keep=keep)
    plan = size_commitment(
        planned,
        catalog,
        months=months,
        hours_per_month=hours_per_month,
        start=start,
        buyable_months=buyable_months,
    )
    begin = pd.Timestamp(plan.summary["subscription_start"].iloc[0])
    horizon_end = subscription_end(begin, months)
    groups = _held(held, catalog, begin, plan, notes, fx)
    currencies = sorted(set(plan.summary["currency"]))
    if len(currencies) > 1:
        raise PlanError(
            [
                f"the usage is priced in {' and '.join(currencies)}; recommend one currency at a"
                " time (read the usage of one site's regions, or use a catalog of one currency)"
            ]
        )
    pairs = offer_pairs(catalog, public_payg=True).set_index(["region_id", "hardware"])
    lines, rows = [], []
    for costs in pair_costs(plan):
        key = (costs.row.region_id, costs.row.hardware)
        mine = groups[(groups["region_id"] == key[0]) & (groups["hardware"] == key[1])]
        offer = pairs.loc[key]
        specs = {"month": offer["subscription_spec"], "year": offer.get("year_spec", "")}
        found, pair = pair_actions(
            costs,
            mine,
            start=begin,
            horizon_end=horizon_end,
            specs=specs,
            gpu=_gpu_text(catalog, key[0], offer["subscription_spec"]),
        )
        lines += found
        rows.append(pair)
    actions = _sorted(pd.DataFrame(lines, columns=list(ACTION_COLUMNS)))
    table = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    simulation = _simulated(planned, plan, table, scenarios, seed)
    rule = (lookback_days, months, hours_per_month)
    tested = _backtest(history, catalog, rule, client) if backtest else None
    totals = _totals(table, currencies[0], simulation, tested, months)
    if isinstance(tested, str):
        tested = None
    notes += plan.notes
    if simulation is not None:
        notes += [n for n in simulation.notes if n not in plan.notes]
    if tested is not None:
        notes += tested.notes
    assumptions = _assumptions(history, planned, plan, catalog, currencies[0], today, max_age_days)
    assumptions["held"] = _held_source(held, groups)
    return Advice(actions, table, totals, assumptions, notes, plan, simulation, tested, planned)


def _check(lookback_days: Any, months: Any, scenarios: Any) -> None:
    if not is_whole(lookback_days) or not 1 <= lookback_days <= 3660:
        raise InputError(
            "lookback_days",
            f"must be a whole number of days from 1 to 3,660; got {lookback_days!r}",
        )
    if not is_whole(months) or months < 1:
        raise InputError("months", f"must be a whole number of months, at least 1; got {months!r}")
    if not is_whole(scenarios) or scenarios < 0:
        raise InputError("scenarios", f"must be a whole number, 0 or more; got {scenarios!r}")


def _offered(index: DemandIndex, offered: set[tuple[str, str]]) -> tuple[np.ndarray, list[str]]:
    """Which pairs of the demand the catalog offers both ways, and a note of the others."""
    keys = list(zip(index.regions, index.hardwares, strict=True))
    inside = np.array([k in offered for k in keys], dtype=bool)
    notes = []
    if not inside.all():
        others = [k for k, i in zip(keys, inside, strict=True) if not i]
        notes.append(
            "Usage of pairs the catalog does not offer both by subscription and pay-as-you-go"
            " is not planned: " + ", ".join(f"{r} / {h}" for r, h in others)
        )
    if not inside.any():
        raise PlanError(
            [
                "no usage is of a region and hardware the catalog offers both by subscription"
                " and pay-as-you-go, so there is nothing to choose; check the catalog"
                " (--catalog) or the usage's regions and specs"
            ]
        )
    return inside, notes


def _held(
    held: Any,
    catalog: pd.DataFrame,
    begin: pd.Timestamp,
    plan: CommitmentPlan,
    notes: list[str],
    fx: Any = None,
) -> pd.DataFrame:
    """The held groups of the planned pairs; a note for those of other pairs."""
    if held is None:
        return pd.DataFrame(
            {
                "region_id": pd.Series(dtype=str),
                "hardware": pd.Series(dtype=str),
                "spec": pd.Series(dtype=str),
                "nodes": pd.Series(dtype=np.int64),
                "expiry": pd.Series(dtype="datetime64[ns]"),
                "machine_group_id": pd.Series(dtype=str),
            }
        )
    groups = held_groups(held, catalog, begin, fx)
    if groups.attrs.get("rates"):
        notes.append(
            f"{rates_text(groups.attrs['rates'])}: the held file's prices are in another"
            " currency than the catalog; the held nodes are priced with the catalog's."
        )
    planned = set(zip(plan.summary["region_id"], plan.summary["hardware"], strict=True))
    inside = np.array(
        [k in planned for k in zip(groups["region_id"], groups["hardware"], strict=True)],
        dtype=bool,
    )
    if not inside.all():
        other = groups[~inside]
        notes.append(
            "Held nodes of pairs without usage in the lookback window, or not offered both"
            " ways, are left as they are (no usage says whether they are needed): "
            + ", ".join(
                f"{r.nodes} x {r.spec} in {r.region_id} (expires {pd.Timestamp(r.expiry):%Y-%m-%d})"
                for r in other.itertuples(index=False)
            )
        )
    return groups[inside]


def _held_source(held: Any, groups: pd.DataFrame) -> dict[str, Any]:
    """Where the held nodes come from, and how many of them the plan uses."""
    from pai_model.decisions.usage_history import is_sample

    if held is None:
        source = "none given"
    elif isinstance(held, pd.DataFrame):
        source = str(held.attrs.get("source", "a table of held nodes"))
    else:
        source = str(held)
    return {
        "source": source,
        "synthetic": held is not None and not isinstance(held, pd.DataFrame) and is_sample(held),
        "groups": len(groups),
        "nodes": int(groups["nodes"].sum()) if len(groups) else 0,
    }


def _gpu_text(catalog: pd.DataFrame, region: str, spec: str) -> str:
    row = catalog[(catalog["region_id"] == region) & (catalog["spec"] == spec)]
    if row.empty or pd.isna(row["gpu_count"].iloc[0]) or not row["gpu_count"].iloc[0]:
        return ""
    count, model = int(row["gpu_count"].iloc[0]), str(row["gpu_model"].iloc[0])
    return f"{count} x {model}" if model else f"{count} accelerators"


def _sorted(actions: pd.DataFrame) -> pd.DataFrame:
    """Largest monthly saving first; then by kind, date, region and hardware."""
    if actions.empty:
        return actions
    order = actions.assign(
        _saving=[-float(s) for s in actions["monthly_saving"]],
        _kind=actions["action"].map({a: i for i, a in enumerate(ACTIONS)}),
    ).sort_values(["_saving", "_kind", "date", "region_id", "hardware"], kind="stable")
    return order.drop(columns=["_saving", "_kind"]).reset_index(drop=True)


def _simulated(
    planned: pd.DataFrame, plan: CommitmentPlan, table: pd.DataFrame, scenarios: int, seed: int
) -> PlanSimulation | None:
    """The plan under scenarios at the counts after, with the per-scenario saving against
    the counts held now (in the same scenarios) in ``attrs["saving_cents"]``."""
    if not scenarios:
        return None
    keys = list(zip(table["region_id"], table["hardware"], strict=True))
    after = simulate_plan(
        planned,
        plan,
        nodes=dict(zip(keys, table["nodes_after"], strict=True)),
        baseline=dict(zip(keys, table["held_nodes"], strict=True)),
        scenarios=scenarios,
        seed=seed,
    )
    cents = np.rint(after.scenarios["savings"].to_numpy() * 100) - np.rint(
        after.scenarios["baseline_savings"].to_numpy() * 100
    )
    by_scenario = np.bincount(after.scenarios["scenario"].to_numpy(), weights=cents)
    after.scenarios.attrs["saving_cents"] = by_scenario / plan.months
    return after


def _backtest(
    history: pd.DataFrame, catalog: pd.DataFrame, rule: tuple[int, int, float], client: Any
) -> Backtest | str:
    """The walk-forward backtest of the same rule (lookback days, months, month
    convention), or why there is none."""
    lookback, months, hours = rule
    try:
        return backtest_demand(
            history,
            catalog,
            horizon=months,
            train_days=lookback,
            hours_per_month=hours,
            client=client,
        )
    except PlanError as error:
        return "; ".join(error.messages)


def _totals(
    table: pd.DataFrame,
    currency: str,
    simulation: PlanSimulation | None,
    tested: Backtest | str | None,
    months: int,
) -> dict[str, Any]:
    now = sum(table["monthly_cost_now"], Decimal("0.00"))
    after = sum(table["monthly_cost_after"], Decimal("0.00"))
    saving = sum(table["monthly_saving"], Decimal("0.00"))
    demand, served = table["demand_hours"].sum(), table["served_hours"].sum()
    capacity = table["capacity_hours"].sum()
    totals: dict[str, Any] = {
        "currency": currency,
        "monthly_cost_now": now,
        "monthly_cost_after": after,
        "monthly_saving": saving,
        "saving_p5": None,
        "saving_p95": None,
        "probability_of_loss": None,
        "coverage_after": float(served / demand) if demand > 0 else None,
        "utilization_after": float(served / capacity) if capacity > 0 else None,
        "scenarios": 0,
        "backtest_saving": None,
        "hindsight_saving": None,
        "capture": None,
        "backtest_months": 0,
        "backtest_reason": "",
    }
    if simulation is not None:
        per = simulation.scenarios.attrs["saving_cents"]
        totals.update(
            saving_p5=_cents_money(np.percentile(per, 5)),
            saving_p95=_cents_money(np.percentile(per, 95)),
            probability_of_loss=float(np.mean(per < 0)),
            scenarios=len(per),
        )
    if isinstance(tested, str):
        totals["backtest_reason"] = tested
    elif tested is not None:
        row = tested.totals[tested.totals["currency"] == currency]
        realized = _cents_money(round(float(row["realized_savings"].sum()) * 100))
        best = _cents_money(round(float(row["hindsight_savings"].sum()) * 100))
        totals.update(
            backtest_saving=realized,
            hindsight_saving=best,
            capture=float(realized / best) if best > 0 else None,
            backtest_months=int(tested.by_fold["fold"].nunique()) * months,
        )
        if best <= 0:
            totals["backtest_reason"] = (
                "no commitment would have saved anything over the history, so there is no"
                " capture to measure"
            )
    return totals


def _cents_money(cents: float) -> Decimal:
    return (Decimal(repr(float(cents))) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def _assumptions(
    history: pd.DataFrame,
    planned: pd.DataFrame,
    plan: CommitmentPlan,
    catalog: pd.DataFrame,
    currency: str,
    today: date | None,
    max_age_days: int,
) -> dict[str, Any]:
    day = pd.Timestamp(today or datetime.now(UTC).date())
    summary = plan.summary
    used = used_offers(catalog, summary).copy()
    used["age_days"] = (day - pd.to_datetime(used["as_of"])).dt.days
    prices = [
        {
            "region_id": r.region_id,
            "spec": r.spec,
            "resource_type": r.resource_type,
            "source": r.source,
            "provenance": r.provenance,
            "as_of": pd.Timestamp(r.as_of).strftime("%Y-%m-%d"),
            "age_days": int(r.age_days),
            "stale": bool(r.age_days > max_age_days),
        }
        for r in used.itertuples(index=False)
    ]
    stock = [
        f"{r.region_id} / {r.hardware}: {reason}"
        for r in summary.itertuples(index=False)
        for reason in (r.subscription_reason, r.payg_reason)
        if reason
    ]
    first, last = (pd.Timestamp(t) for t in history.attrs["window"])
    since, until = (pd.Timestamp(t) for t in planned.attrs["window"])
    return {
        "usage": str(history.attrs.get("source", "usage")),
        "synthetic": bool(history.attrs.get("synthetic", False)),
        "history": {"start": first, "end": last, "days": (last - first) / pd.Timedelta(days=1)},
        "lookback": {"start": since, "end": until, "days": (until - since) / pd.Timedelta(days=1)},
        "purchase_date": pd.Timestamp(summary["subscription_start"].iloc[0]),
        "months": plan.months,
        "hours_per_month": plan.hours_per_month,
        "currency": currency,
        "now_means": NOW_MEANS,
        "prices": prices,
        "max_age_days": max_age_days,
        "stock": stock,
    }
