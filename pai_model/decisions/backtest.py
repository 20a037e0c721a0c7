"""Walk-forward backtest of the commitment planner on a usage history.

For each fold ``m``: plan on calendar months ``1..m``
(:func:`~pai_model.decisions.planning.plan.size_commitment`
with ``months=horizon``), then bill months ``m+1..m+horizon`` twice from the *actual*
usage of those months: with the plan's subscribed nodes (pay-as-you-go above them), and
with every node on pay-as-you-go. The best plan in hindsight is the planner run on the
test months themselves (their time at each level billed as it was, not scaled). Every
amount is the billing engine's exact cents, carried from the plans (never rebuilt from a
float) and summed exactly (:mod:`pai_model.formulas.totals`).

Realized savings = all pay-as-you-go - plan; hindsight savings = all pay-as-you-go - best;
regret = plan - best (never negative: the best plan is the cheapest count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import is_whole
from pai_model.data.jobs import JOB_COLUMNS
from pai_model.decisions.planning.curve import subscription_cents
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.demand_windows import DemandIndex
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.prices import plannable_pairs
from pai_model.errors import InputError, PlanError
from pai_model.formulas.totals import minor_to_float, sum_table

FOLD_COLUMNS = (
    "fold",
    "train_start",
    "test_start",
    "test_end",
    "region_id",
    "hardware",
    "currency",
    "recommended_nodes",
    "hindsight_nodes",
    "all_payg_cost",
    "plan_cost",
    "hindsight_cost",
    "realized_savings",
    "hindsight_savings",
    "regret",
)
_MONEY = ("all_payg_cost", "plan_cost", "hindsight_cost")
_DERIVED = ("realized_savings", "hindsight_savings", "regret")
#: Every money column, summed and carried in exact cents (``{column}_minor``).
MONEY_COLUMNS = [*_MONEY, *_DERIVED]


@dataclass(frozen=True)
class Backtest:
    """Result of :func:`backtest`."""

    #: One row per fold and pair: :data:`FOLD_COLUMNS` (money [currency]), then each money
    #: column's exact cents as ``<column>_minor``.
    folds: pd.DataFrame
    #: Sums per fold (all pairs, one currency each): the chart's table (with ``_minor``).
    by_fold: pd.DataFrame
    #: The whole backtest per currency: sums (with ``_minor``) and ``capture`` (realized /
    #: hindsight savings).
    totals: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def backtest(
    jobs: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    min_train_months: int = 1,
    horizon: int = 1,
    train_days: int | None = None,
    **plan_options: Any,
) -> Backtest:
    """Walk-forward test of the planner on job records: plan on the past, bill the future.

    Parameters
    ----------
    jobs : pandas.DataFrame
        Job records (``start``, ``end``, ``region_id``, ``hardware``, ``nodes``): the
        kit's synthetic usage, a jobs CSV read with :func:`~pai_model.data.jobs.read_jobs`,
        or bills through :func:`~pai_model.bills.usage.usage_jobs`.
    catalog : pandas.DataFrame
        A catalog; only pairs it offers both ways are planned (the others are noted).
    min_train_months : int, default 1
        Calendar months in the first training window. [month]
    horizon : int, default 1
        Months each plan is bought and billed for. [month]
    train_days : int, optional
        Plan on the last ``train_days`` days before each test month only (a lookback
        window, as :mod:`~pai_model.decisions.recommend` plans); by default on every month
        before it. [day]
    **plan_options
        Passed to :func:`~pai_model.decisions.planning.plan.size_commitment` (``payg_percent_off``,
        ``subscription_percent_off``, ``hours_per_month``) for the plans made.

    Returns
    -------
    Backtest
        ``folds``, ``by_fold``, ``totals`` and ``notes``.

    Raises
    ------
    TypeError, ValueError
        Naming ``jobs``, when it is not a DataFrame or lacks a column of job records.
    PlanError
        When the history has fewer than ``min_train_months + horizon`` calendar months, or
        no pair of the catalog is offered both ways.

    See Also
    --------
    backtest_demand : The same from a demand table.

    Examples
    --------
    Two GU108 nodes busy all January and February, a third all February. The plan made
    on January (31 days scaled to 730 hours: 43,800 minutes x 0.73 = 31,974.00 per node,
    above a subscription of 23,932.70) subscribes 2. In February (28 days: 40,320 minutes
    x 0.73 = 29,433.60 per node) the best plan subscribes all 3, 71,798.10; the plan pays
    2 x 23,932.70 + 29,433.60 = 77,299.00:

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-02-01"], "end": ["2026-03-01",
    ...     "2026-03-01"], "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108",
    ...     "nodes": [2, 1]})
    >>> result = backtest(jobs, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> row = result.folds.iloc[0]
    >>> print(row.recommended_nodes, row.hindsight_nodes, row.plan_cost, row.hindsight_cost)
    2 3 77299.0 71798.1
    """
    from pai_model.data.catalog import catalog_table

    catalog = catalog_table(catalog)
    if not isinstance(jobs, pd.DataFrame):
        raise TypeError(f"jobs must be a DataFrame of job records; got {type(jobs).__name__}")
    missing = [c for c in JOB_COLUMNS if c not in jobs.columns]
    if missing:
        raise ValueError(
            f"jobs must be job records with the columns {', '.join(JOB_COLUMNS)};"
            f" missing {', '.join(missing)}"
        )
    pairs = set(plannable_pairs(catalog))
    jobs = jobs.copy()
    jobs["start"] = pd.to_datetime(jobs["start"], format="ISO8601", utc=True).dt.tz_localize(None)
    jobs["end"] = pd.to_datetime(jobs["end"], format="ISO8601", utc=True).dt.tz_localize(None)
    offered = [(r, h) in pairs for r, h in zip(jobs["region_id"], jobs["hardware"], strict=True)]
    notes = []
    dropped = jobs[~np.asarray(offered, dtype=bool)]
    if len(dropped):
        which = sorted(set(zip(dropped["region_id"], dropped["hardware"], strict=True)))
        notes.append(
            f"{len(dropped):,} job records of pairs not offered both ways are not planned: "
            + ", ".join(f"{r} / {h}" for r, h in which)
        )
    kept = jobs[np.asarray(offered, dtype=bool)]
    if not len(kept):
        raise PlanError(["no job record is of a pair the catalog offers both ways"], "usage")
    result = backtest_demand(
        demand_from_jobs(kept),
        catalog,
        min_train_months=min_train_months,
        horizon=horizon,
        train_days=train_days,
        **plan_options,
    )
    notes += result.notes
    if jobs.attrs.get("synthetic") or "x_kind" in jobs:
        notes.insert(0, "SYNTHETIC usage: generated by pai_model.data.synthetic, not real usage.")
    return Backtest(result.folds, result.by_fold, result.totals, notes)


def backtest_demand(
    demand: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    min_train_months: int = 1,
    horizon: int = 1,
    train_days: int | None = None,
    client: Any = None,
    **plan_options: Any,
) -> Backtest:
    """:func:`backtest` of a demand table (one minute grid), such as a streamed bill's.

    Pairs the catalog does not offer both ways are left out (noted). The folds, the
    plans and the bills are :func:`backtest`'s: each window of the demand is cut from it
    (:class:`~pai_model.decisions.planning.demand_windows.DemandIndex`), never rebuilt
    from jobs. With a ``distributed.Client``, the folds are shared among its workers
    (the demand sent once to each); the result is the same.

    Raises
    ------
    PlanError
        As :func:`backtest`.
    """
    if train_days is not None and not (is_whole(train_days) and train_days >= 1):
        raise InputError(
            "train_days", f"must be a whole number of days, at least 1; got {train_days!r}"
        )
    pairs = set(plannable_pairs(catalog))
    index = DemandIndex(demand)
    keys = list(zip(index.regions, index.hardwares, strict=True))
    keep = np.array([k in pairs for k in keys], dtype=bool)
    notes = []
    if not keep.all():
        notes.append(
            "Demand of pairs not offered both ways is not planned: "
            + ", ".join(f"{r} / {h}" for (r, h), k in zip(keys, keep, strict=True) if not k)
        )
    if not keep.any():
        raise PlanError(["no demand is of a pair the catalog offers both ways"], "usage")
    window = index.attrs.get("window") or (index.start.min(), index.end.max())
    first = pd.Timestamp(window[0]).to_period("M").start_time
    last = pd.Timestamp(window[1])
    # only whole months are billed: a month the history ends within is left out
    after = last.to_period("M").start_time
    if after != last:
        notes.append(f"The history ends within {after:%Y-%m}; that month is not tested.")
    edges = pd.date_range(first, after, freq="MS")
    months = len(edges) - 1
    if months < min_train_months + horizon:
        raise PlanError(
            [
                f"the history covers {months} calendar month(s); a backtest needs at least"
                f" {min_train_months + horizon} (min_train_months + horizon)"
            ],
            "usage",
        )
    windows = []
    for fold, m in enumerate(range(min_train_months, months - horizon + 1), start=1):
        since = edges[0]
        if train_days is not None:
            since = max(since, edges[m] - pd.Timedelta(days=int(train_days)))
        windows.append((fold, since, edges[m], edges[m + horizon]))
    if client is None:
        rows = _windows_rows(index, keep, catalog, windows, horizon, plan_options)
    else:
        workers = max(1, sum(client.nthreads().values()))
        shared = client.scatter(demand, broadcast=True)
        futures = [
            client.submit(
                _windows_rows,
                shared,
                keep,
                catalog,
                windows[i::workers],
                horizon,
                plan_options,
                pure=False,
            )
            for i in range(min(workers, len(windows)))
        ]
        rows = sorted((r for part in client.gather(futures) for r in part), key=lambda r: r[0])
    folds = pd.DataFrame(rows, columns=[c for c in FOLD_COLUMNS if c not in _DERIVED])
    folds["realized_savings"] = folds["all_payg_cost"] - folds["plan_cost"]
    folds["hindsight_savings"] = folds["all_payg_cost"] - folds["hindsight_cost"]
    folds["regret"] = folds["plan_cost"] - folds["hindsight_cost"]
    by_fold = _amounts(sum_table(folds, ["fold", "test_start", "currency"], MONEY_COLUMNS))
    totals = _amounts(sum_table(folds, ["currency"], MONEY_COLUMNS))
    folds = _amounts(folds)
    totals["capture"] = np.where(
        totals["hindsight_savings"] != 0,
        totals["realized_savings"] / totals["hindsight_savings"],
        np.nan,
    )
    trained = "months 1..m" if train_days is None else f"the last {int(train_days)} days before m+1"
    notes.append(
        f"{by_fold['fold'].nunique()} folds: plans made on {trained}, each billed on the next"
        f" {horizon} month(s) of actual usage; the best plan in hindsight is planned on the"
        " test months themselves. Amounts are exact cents."
    )
    if index.attrs.get("synthetic"):
        notes.insert(0, "SYNTHETIC usage: generated by pai_model.data.synthetic, not real usage.")
    exact = [f"{c}_minor" for c in MONEY_COLUMNS]
    return Backtest(folds[[*FOLD_COLUMNS, *exact]], by_fold, totals, notes)


def _windows_rows(
    demand: Any,
    keep: np.ndarray,
    catalog: pd.DataFrame,
    windows: list[tuple[int, Any, Any, Any]],
    horizon: int,
    plan_options: dict[str, Any],
) -> list[tuple[Any, ...]]:
    """The fold rows of ``windows`` (fold, train start, test start, test end): each
    fold's plan on its training window, billed on its test window."""
    index = demand if isinstance(demand, DemandIndex) else DemandIndex(demand)
    rows = []
    for fold, since, start, end in windows:
        train = _plan(index, keep, catalog, since, start, horizon, plan_options)
        test = _plan(index, keep, catalog, start, end, horizon, {}, actual=True)
        rows += _fold_rows(fold, since, start, end, train, test, horizon)
    return rows


def _plan(
    index: DemandIndex,
    keep: np.ndarray,
    catalog: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    horizon: int,
    options: dict[str, Any],
    *,
    actual: bool = False,
) -> Any:
    """The plan of the demand within ``[start, end)``, None when there is none there."""
    window = index.clip(start, end, drop_idle=True, keep=keep)
    if not len(window):
        return None
    if actual:  # the test months billed as they were: horizon = their own length
        options = {"hours_per_month": (end - start) / pd.Timedelta(hours=1) / horizon}
    return size_commitment(window, catalog, months=horizon, **options)


def _fold_rows(
    fold: int, first: Any, start: Any, end: Any, train: Any, test: Any, horizon: int
) -> list[tuple[Any, ...]]:
    """One row per pair of the fold, money in cents."""
    planned = (
        {}
        if train is None
        else {(r.region_id, r.hardware): r for r in train.summary.itertuples(index=False)}
    )
    actual = (
        {}
        if test is None
        else {(r.region_id, r.hardware): r for r in test.summary.itertuples(index=False)}
    )
    totals = (
        {}
        if test is None
        else {
            key: group["total_cost_minor"].to_numpy()
            for key, group in test.curves.groupby(["region_id", "hardware"], sort=False)
        }
    )
    rows = []
    for pair in sorted(set(planned) | set(actual)):
        plan, best = planned.get(pair), actual.get(pair)
        k = 0 if plan is None else int(plan.recommended_nodes)
        info = plan if best is None else best
        if best is None:
            payg, best_cost, best_k = 0, 0, 0
            cost = int(subscription_cents(plan.subscription_price_per_month, k, horizon))
        else:
            payg = int(best.all_payg_cost_minor)
            best_cost, best_k = int(best.plan_cost_minor), int(best.recommended_nodes)
            if k <= int(best.peak_nodes):
                cost = int(totals[pair][k])  # the curve's nodes run 0 .. peak
            else:
                cost = int(subscription_cents(best.subscription_price_per_month, k, horizon))
        rows.append(
            (fold, first, start, end, *pair, info.currency, k, best_k, payg, cost, best_cost)
        )
    return rows


def _amounts(table: pd.DataFrame) -> pd.DataFrame:
    """Money columns of exact cents as the nearest floats [currency], the cents kept beside
    (``<column>_minor``)."""
    table = table.copy()
    for column in MONEY_COLUMNS:
        table[f"{column}_minor"] = table[column]
        table[column] = minor_to_float(table[column].to_numpy(), 2)
    return table


def history(
    source: Any,
    catalog: pd.DataFrame,
    *,
    synthetic_days: int = 120,
    seed: int = 0,
    spec_column: str = "SkuId",
    fx: Any = None,
) -> pd.DataFrame:
    """Job records of a usage history: ``"synthetic"``, a FOCUS export, or a jobs table.

    A source with FOCUS columns is read by :func:`~pai_model.data.focus.read_focus` and turned
    into jobs by :func:`~pai_model.bills.usage.usage_jobs`; the unmapped are noted in
    ``attrs["unmapped"]``. Anything else is job records (:func:`~pai_model.data.jobs.read_jobs`).
    A FOCUS export billed in another currency than the catalog's row of a line is refused
    (:class:`~pai_model.errors.CurrencyError`) unless ``fx`` gives the rate
    (:func:`~pai_model.formulas.currency.fx_rates`); the rates used are in ``attrs["rates"]``.
    """
    from pai_model.bills.usage import map_specs, usage_jobs
    from pai_model.data.focus import read_focus
    from pai_model.data.jobs import read_jobs
    from pai_model.data.sources import expand, read_bytes
    from pai_model.data.synthetic import synthetic_jobs

    if isinstance(source, pd.DataFrame):
        return source
    if str(source) == "synthetic":
        # the sample stays on two per-minute (Lingjun) pairs, as before general computing
        # was planned against public resources: its figures do not move
        pairs = plannable_pairs(catalog, public_payg=False)[:2]
        return synthetic_jobs(pairs, days=synthetic_days, seed=seed)
    head = read_bytes(expand(source)[0])[:4096]
    if b"ChargePeriodStart" not in head and not head.startswith(b"PAR1"):
        return read_jobs(source)
    from pai_model.bills.exchange import bill_sources, checked_currencies
    from pai_model.formulas.currency import fx_rates

    rows = read_focus(source)
    mapped = map_specs(rows, catalog, spec_column=spec_column)
    known = mapped.rows[mapped.rows["hardware"].notna()]
    triples = zip(known["region_id"], known["spec"], known["BillingCurrency"], strict=True)
    rates = checked_currencies(triples, catalog, bill_sources(rows, catalog), fx_rates(fx))
    jobs = usage_jobs(mapped.rows)
    jobs.attrs["unmapped"] = mapped.unmapped.to_dict("records")
    jobs.attrs["rates"] = rates
    return jobs
