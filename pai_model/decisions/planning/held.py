"""Nodes the account already holds: what to add to them, and what to renew.

A plan says how many nodes of each (region, hardware) to subscribe in total (``k``).
Nodes already held by subscription are paid for: they serve the first demand levels at
no further cost, so the count to buy is what the plan wants beyond them, and none when
they cover it. A held subscription that ends within the horizon must be renewed to keep
serving (AI computing resource group nodes are released 24 hours after expiry unless
renewed): of the expiring nodes, as many are renewed as the plan needs beyond the ones
that last the whole horizon.

The held nodes come from the file ``pai-cost subscriptions --format csv`` writes (read
unchanged: the prepaid groups not ended are held), from
:func:`pai_model.account.subscriptions.committed_nodes`, from a CSV of the columns
``region_id``, ``hardware`` or ``spec``, ``nodes``, ``expiry``, or a DataFrame; a spec is
read as its catalog ``hardware``.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from pai_model.bills.exchange import bill_sources, checked_currencies
from pai_model.data.problems import row_problems
from pai_model.data.schemas import HeldSchema
from pai_model.data.tables import read_table
from pai_model.errors import PlanError
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.arguments import split_buyable
from pai_model.formulas.currency import fx_rates
from pai_model.formulas.terms import RELEASE_AFTER, months_to_cover

#: Columns the planner adds to its summary.
HELD_COLUMNS = ("held_nodes", "held_expiring", "first_expiry", "add_nodes", "renew_nodes")


#: Columns of :func:`held_groups`.
GROUP_COLUMNS = ("region_id", "hardware", "spec", "nodes", "expiry", "machine_group_id")


def held_groups(
    committed: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    start: pd.Timestamp | None = None,
    fx: Any = None,
) -> pd.DataFrame:
    """The held subscriptions, one row per group, with the catalog's hardware of each.

    ``committed`` is a DataFrame, or a CSV/Parquet path, read through the kit's table
    reader (:class:`pai_model.data.schemas.HeldSchema`): the few columns ``region_id``,
    ``spec`` (or ``hardware``), ``nodes``, ``expiry``, or the file ``pai-cost
    subscriptions --format csv`` writes, unchanged. Of the latter, only prepaid groups
    (``payment_type`` PREPAY) that have not ended (``status`` not Expired, Stopped or
    Stopping) are held; and with ``start``, a group that expired before it is not.

    Returns
    -------
    pandas.DataFrame
        :data:`GROUP_COLUMNS` (``expiry`` in UTC, naive; ``machine_group_id`` empty when
        the file has none), sorted by region, hardware and expiry.

    Raises
    ------
    PlanError
        Listing every bad row (file, line, column, value): a spec or hardware the catalog
        does not have in its region, a count that is not a whole number, a bad time, a
        held row without an expiry.

    Examples
    --------
    Of a subscriptions listing, the prepaid group that is ready is held; the
    pay-as-you-go one (no expiry) and the expired one are not:

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> listing = pd.DataFrame({"region_id": "cn-wulanchabu",
    ...     "machine_group_id": ["mg1", "mg2", "mg3"],
    ...     "spec": ["ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108", "nowhere"],
    ...     "nodes": [2, 4, 1], "payment_type": ["PREPAY", "PostPay", "PREPAY"],
    ...     "expiry": ["2026-08-22T00:00:00Z", None, "2026-01-01T00:00:00Z"],
    ...     "status": ["Ready", "Ready", "Expired"]})
    >>> groups = held_groups(listing, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> groups[["machine_group_id", "hardware", "nodes"]].values.tolist()
    [['mg1', 'gu7xf-8xGU108', 2]]
    """
    from pai_model.account.subscriptions import ENDED, PREPAID

    name = "held nodes" if isinstance(committed, pd.DataFrame) else None
    whole = read_table(committed, HeldSchema, name=name, error=PlanError)
    # the held file's own prices (``pai-cost subscriptions --catalog``) in another currency
    # than this catalog's: refused unless a rate is given (fx_rates, CurrencyError)
    used = {}
    if "currency" in whole and whole["currency"].notna().any():
        triples = zip(
            whole["region_id"],
            whole["spec"].fillna(whole["hardware"]),
            whole["currency"],
            strict=True,
        )
        sources = (str(whole.attrs["source"]), bill_sources(None, catalog)[1])
        used = checked_currencies(triples, catalog, sources, fx_rates(fx))
    paid = whole["payment_type"].isna() | whole["payment_type"].isin(PREPAID)
    keep = (paid & ~whole["status"].isin(ENDED)).to_numpy(dtype=bool, copy=True)
    if start is not None:
        moment = pd.Timestamp(start)
        moment = moment.tz_convert(None) if moment.tzinfo else moment
        expired = whole["expiry"] < moment
        keep &= ~expired.to_numpy(dtype=bool, na_value=False)
    whole["hardware"] = whole["hardware"].fillna(whole["spec"])
    table = whole[keep]
    by_spec = dict(
        zip(
            zip(catalog["region_id"], catalog["spec"], strict=True),
            catalog["hardware"],
            strict=True,
        )
    )
    keys = set(zip(catalog["region_id"], catalog["hardware"], strict=True))
    hardware = [
        key if (region, key) in keys else by_spec.get((region, key))
        for region, key in zip(table["region_id"], table["hardware"], strict=True)
    ]
    unknown, undated = np.zeros(len(whole), bool), np.zeros(len(whole), bool)
    unknown[keep] = [h is None for h in hardware]
    undated[keep] = table["expiry"].isna().to_numpy()
    if unknown.any() or undated.any():
        elsewhere = "neither a spec nor a hardware key of the catalog in this region"
        checks = [
            (unknown, "hardware", elsewhere),
            (undated, "expiry", "empty for a held subscription; give its expiry time"),
        ]
        raise PlanError(row_problems(whole, checks), str(whole.attrs["source"]))
    spec = table["spec"].fillna(table["hardware"])
    groups = (
        pd.DataFrame(
            {
                "region_id": table["region_id"].to_numpy(),
                "hardware": hardware,
                "spec": spec.to_numpy(),
                "nodes": table["nodes"].to_numpy(dtype=np.float64).astype(np.int64),
                "expiry": table["expiry"].to_numpy(),
                "machine_group_id": table["machine_group_id"].fillna("").to_numpy(),
            }
        )
        .sort_values(["region_id", "hardware", "expiry"], kind="stable")
        .reset_index(drop=True)
    )
    # the rates that let held prices of another currency stand beside this catalog
    groups.attrs["rates"] = used
    return groups


def held_per_pair(
    committed: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    horizon_end: pd.Timestamp,
    start: pd.Timestamp | None = None,
    fx: Any = None,
) -> pd.DataFrame:
    """Held nodes per (region, hardware): all, those expiring before ``horizon_end``, and
    the first expiry.

    ``committed`` is read by :func:`held_groups` (with ``start`` and ``fx``).

    Raises
    ------
    PlanError
        As :func:`held_groups`.
    """
    return pair_totals(held_groups(committed, catalog, start, fx), horizon_end)


def pair_totals(groups: pd.DataFrame, horizon_end: pd.Timestamp) -> pd.DataFrame:
    """Held nodes per (region, hardware) of :func:`held_groups`: all, those expiring
    before ``horizon_end``, and the first expiry (as :func:`held_per_pair`)."""
    nodes = groups["nodes"].to_numpy()
    frame = groups.assign(
        expiring=np.where((groups["expiry"] < horizon_end).to_numpy(), nodes, 0).astype(np.int64)
    )
    grouped = frame.groupby(["region_id", "hardware"], sort=True)
    per_pair = pd.DataFrame(
        {
            "held_nodes": grouped["nodes"].sum(),
            "held_expiring": grouped["expiring"].sum(),
            "first_expiry": grouped["expiry"].min(),
        }
    ).reset_index()
    per_pair.attrs["rates"] = groups.attrs.get("rates", {})
    return per_pair


def with_held(summary: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """The plan's summary with, per pair, the nodes held and what to add and renew.

    ``add_nodes`` = max(0, recommended - held); ``renew_nodes`` = of the held nodes that
    expire within the horizon, as many as the plan needs beyond those that last.

    Examples
    --------
    The plan wants 5; 2 are held to the end and 2 expire within the horizon: renew both
    and add 1. Another pair wants 1 and holds 3, 1 of them expiring: nothing to add or
    renew.

    >>> summary = pd.DataFrame({"region_id": ["r", "r"], "hardware": ["a", "b"],
    ...                         "recommended_nodes": [5, 1]})
    >>> held = pd.DataFrame({"region_id": ["r", "r"], "hardware": ["a", "b"],
    ...     "held_nodes": [4, 3], "held_expiring": [2, 1],
    ...     "first_expiry": pd.to_datetime(["2026-02-10", "2026-03-01"])})
    >>> with_held(summary, held)[["add_nodes", "renew_nodes"]].values.tolist()
    [[1, 2], [0, 0]]
    """
    out = summary.merge(held, on=["region_id", "hardware"], how="left")
    out["held_nodes"] = out["held_nodes"].fillna(0).astype(np.int64)
    out["held_expiring"] = out["held_expiring"].fillna(0).astype(np.int64)
    wanted = out["recommended_nodes"].to_numpy(dtype=np.int64)
    held_nodes, expiring = out["held_nodes"].to_numpy(), out["held_expiring"].to_numpy()
    lasting = held_nodes - expiring
    out["add_nodes"] = np.maximum(0, wanted - held_nodes)
    out["renew_nodes"] = np.minimum(expiring, np.maximum(0, wanted - lasting))
    return out


def held_notes(
    summary: pd.DataFrame,
    groups: pd.DataFrame | None = None,
    horizon_end: pd.Timestamp | None = None,
    buyable_months: Any = None,
) -> list[str]:
    """One line per pair with held nodes: what to add, what to renew and by when.

    With the held ``groups`` (:func:`held_groups`) and ``horizon_end``, each held
    subscription that expires within the horizon is named with its own expiry: the
    earliest are renewed first, each by its own deadline (expiry + 24 h) for the months
    from its expiry to the horizon's end in buyable terms; the others are let expire.
    Without them, the pair's first expiry is given.

    Examples
    --------
    Two subscriptions of one pair expire on different dates; the plan wants 2 of the 3
    nodes: the earlier one (2 nodes) is renewed, the later one let go.

    >>> summary = pd.DataFrame({"region_id": ["r"], "hardware": ["a"],
    ...                         "recommended_nodes": [2]})
    >>> groups = pd.DataFrame({"region_id": "r", "hardware": "a", "spec": "s",
    ...     "nodes": [2, 1], "expiry": pd.to_datetime(["2026-03-01", "2026-09-15"]),
    ...     "machine_group_id": ["mg-b", "mg-c"]})
    >>> end = pd.Timestamp("2027-01-31")
    >>> table = with_held(summary, pair_totals(groups, end))
    >>> notes = held_notes(table, groups, end)
    >>> notes[1].split(" by ")
    ['r / a: renew mg-b (2 node(s), expires 2026-03-01 00:00 UTC)', \
'2026-03-02 00:00 UTC for 11 months (9 + 2), or its nodes are released.']
    >>> print(notes[2])
    r / a: let mg-c (1 node(s)) expire on 2026-09-15 00:00 UTC: the plan does not need it.
    """
    notes = []
    for row in summary[summary["held_nodes"] > 0].itertuples(index=False):
        text = (
            f"{row.region_id} / {row.hardware}: {row.held_nodes} node(s) already held;"
            f" the plan wants {row.recommended_nodes}, so add {row.add_nodes}"
        )
        if row.held_expiring and groups is not None and horizon_end is not None:
            expiring = f"; {row.held_expiring} held node(s) expire before the horizon ends."
            notes.append(text + expiring)
            notes += _group_notes(row, groups, horizon_end, buyable_months)
            continue
        if row.held_expiring:
            renew_by = (row.first_expiry + RELEASE_AFTER).strftime("%Y-%m-%d %H:%M UTC")
            text += (
                f"; {row.held_expiring} held node(s) expire before the horizon ends (first on"
                f" {row.first_expiry:%Y-%m-%d %H:%M} UTC): renew {row.renew_nodes} of them"
                f" by {renew_by}, or they are released"
            )
        notes.append(text + ".")
    return notes


def _group_notes(
    row: Any, groups: pd.DataFrame, horizon_end: pd.Timestamp, buyable: Any
) -> list[str]:
    """Each expiring held group of a pair: renewed (the earliest first) or let expire."""
    mine = groups[
        (groups["region_id"] == row.region_id)
        & (groups["hardware"] == row.hardware)
        & (groups["expiry"] < horizon_end)
    ].sort_values("expiry", kind="stable")
    left, notes = int(row.renew_nodes), []
    for group in mine.itertuples(index=False):
        name = group.machine_group_id or group.spec
        expiry = pd.Timestamp(group.expiry)
        renewing = min(left, int(group.nodes))
        left -= renewing
        if renewing:
            months = max(1, int(months_to_cover(expiry, horizon_end)))
            terms = split_buyable(months, buyable_months_of(buyable))
            split = f" ({' + '.join(map(str, terms))})" if len(terms) > 1 else ""
            part = f"{renewing} of its " if renewing < group.nodes else ""
            notes.append(
                f"{row.region_id} / {row.hardware}: renew {part}{name} ({group.nodes} node(s),"
                f" expires {expiry:%Y-%m-%d %H:%M} UTC) by"
                f" {expiry + RELEASE_AFTER:%Y-%m-%d %H:%M} UTC for {months} month"
                f"{'s' if months != 1 else ''}{split}, or its nodes are released."
            )
        if renewing < group.nodes:
            going = int(group.nodes) - renewing
            notes.append(
                f"{row.region_id} / {row.hardware}: let {name} ({going} node(s)) expire on"
                f" {expiry:%Y-%m-%d %H:%M} UTC: the plan does not need it."
            )
    return notes
