"""Nodes the account already holds: what to add to them, and what to renew.

A plan says how many nodes of each (region, hardware) to subscribe in total (``k``).
Nodes already held by subscription are paid for: they serve the first demand levels at
no further cost, so the count to buy is what the plan wants beyond them, and none when
they cover it. A held subscription that ends within the horizon must be renewed to keep
serving (AI computing resource group nodes are released 24 hours after expiry unless
renewed): of the expiring nodes, as many are renewed as the plan needs beyond the ones
that last the whole horizon.

The held nodes come from ``pai-cost subscriptions``
(:func:`pai_model.account.subscriptions.committed_nodes`:
``region_id``, ``hardware`` or ``spec``, ``nodes``, ``expiry``), from a CSV of those
columns, or a DataFrame; a spec is read as its catalog ``hardware``.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from pai_model.data.schemas import HeldSchema
from pai_model.data.tables import read_table, row_problems
from pai_model.errors import PlanError
from pai_model.formulas.terms import RELEASE_AFTER

#: Columns the planner adds to its summary.
HELD_COLUMNS = ("held_nodes", "held_expiring", "first_expiry", "add_nodes", "renew_nodes")


def held_per_pair(
    committed: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    horizon_end: pd.Timestamp,
) -> pd.DataFrame:
    """Held nodes per (region, hardware): all, those expiring before ``horizon_end``, and
    the first expiry.

    ``committed`` is a DataFrame, or a CSV/Parquet path, read through the kit's table
    reader (:class:`pai_model.data.schemas.HeldSchema`).

    Raises
    ------
    PlanError
        Listing every bad row (file, line, column, value): a spec or hardware the catalog
        does not have in its region, a count that is not a whole number, a bad time.
    """
    name = "held nodes" if isinstance(committed, pd.DataFrame) else None
    table = read_table(committed, HeldSchema, name=name, error=PlanError)
    table["hardware"] = table["hardware"].fillna(table["spec"])
    by_spec = dict(
        zip(
            zip(catalog["region_id"], catalog["spec"], strict=True),
            catalog["hardware"],
            strict=True,
        )
    )
    keys = set(zip(catalog["region_id"], catalog["hardware"], strict=True))
    hardware, problems = [], []
    for row, (region, key) in enumerate(zip(table["region_id"], table["hardware"], strict=True)):
        found = key if (region, key) in keys else by_spec.get((region, key))
        if found is None:
            problems.append(row)
        hardware.append(found)
    if problems:
        rows = np.array(problems)
        raise PlanError(
            row_problems(
                table,
                [
                    (
                        np.isin(np.arange(len(table)), rows),
                        "hardware",
                        "neither a spec nor a hardware key of the catalog in this region",
                    )
                ],
            ),
            str(table.attrs["source"]),
        )
    nodes = table["nodes"].to_numpy(dtype=np.float64)
    expiry = table["expiry"]
    frame = pd.DataFrame(
        {
            "region_id": table["region_id"].to_numpy(),
            "hardware": hardware,
            "nodes": nodes.astype(np.int64),
            "expiring": np.where((expiry < horizon_end).to_numpy(), nodes, 0).astype(np.int64),
            "expiry": expiry,
        }
    )
    grouped = frame.groupby(["region_id", "hardware"], sort=True)
    return pd.DataFrame(
        {
            "held_nodes": grouped["nodes"].sum(),
            "held_expiring": grouped["expiring"].sum(),
            "first_expiry": grouped["expiry"].min(),
        }
    ).reset_index()


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


def held_notes(summary: pd.DataFrame) -> list[str]:
    """One line per pair with held nodes: what to add, what to renew and by when."""
    notes = []
    for row in summary[summary["held_nodes"] > 0].itertuples(index=False):
        text = (
            f"{row.region_id} / {row.hardware}: {row.held_nodes} node(s) already held;"
            f" the plan wants {row.recommended_nodes}, so add {row.add_nodes}"
        )
        if row.held_expiring:
            renew_by = (row.first_expiry + RELEASE_AFTER).strftime("%Y-%m-%d %H:%M UTC")
            text += (
                f"; {row.held_expiring} held node(s) expire before the horizon ends (first on"
                f" {row.first_expiry:%Y-%m-%d %H:%M} UTC): renew {row.renew_nodes} of them"
                f" by {renew_by}, or they are released"
            )
        notes.append(text + ".")
    return notes
