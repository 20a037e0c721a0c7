"""The tables the planner reads, checked: job records, demand samples, demand tables.

Job records and demand samples come through the kit's table reader
(:func:`pai_model.data.tables.read_table`) and its schemas; every bad record is listed at once,
with its file, line, column and value. Demand tables given directly are checked here.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import pair_codes, pair_time_order, times_ns
from pai_model.data.problems import RowCheck
from pai_model.data.schemas import DemandSampleSchema, JobSchema
from pai_model.data.tables import read_table
from pai_model.errors import JobError, KeptColumnsWarning, PlanError

JOB_COLUMNS = ("start", "end", "region_id", "hardware", "nodes")
SAMPLE_COLUMNS = ("region_id", "hardware", "time", "nodes")
DEMAND_COLUMNS = ("region_id", "hardware", "start", "end", "nodes")


def read_jobs(
    source: str | os.PathLike[str] | pd.DataFrame, *, timezone: str | None = None
) -> pd.DataFrame:
    """Read job records through the kit's table reader, checked at the door.

    Parameters
    ----------
    source : path-like, str or pandas.DataFrame
        A CSV or Parquet file (or an fsspec URL of one) with the columns
        :data:`JOB_COLUMNS` (and any of your own prefixed ``x_``), or a DataFrame.
    timezone : str, optional
        Time zone of the times written without a UTC offset, e.g. ``Asia/Shanghai``
        (without it they are UTC, and a file mixing them with offset times is refused).

    Returns
    -------
    pandas.DataFrame
        ``start`` and ``end`` as datetimes (UTC for times with an offset), ``region_id``,
        ``hardware``, ``nodes``; ``attrs["source"]`` says where the jobs come from.

    Raises
    ------
    JobError
        Listing every problem, each with its file, line, column and value (see
        :func:`pai_model.data.tables.read_table` and :class:`pai_model.data.schemas.JobSchema`).

    See Also
    --------
    pai_model.decisions.planning.demand.demand_from_jobs : Turns the records into demand.
    """
    return _jobs_table(source, None, timezone)[0]


def _jobs_table(
    source: Any, catalog: pd.DataFrame | None, timezone: str | None, argument: str = "source"
) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The checked table and its :func:`~pai_model.data.arrays.pair_codes`, worked
    out once (for the catalog's check too)."""
    given = source.attrs if isinstance(source, pd.DataFrame) else {}
    pairs = []

    def checks(table: pd.DataFrame) -> list[RowCheck]:
        pairs.append(pair_codes(table["region_id"], table["hardware"]))
        return [_offered(*pairs[-1], table, catalog)]

    with warnings.catch_warnings():
        if given.get("synthetic"):  # the kit's own sample usage: its x_kind is no news
            warnings.simplefilter("ignore", KeptColumnsWarning)
        frame = read_table(
            source,
            JobSchema,
            error=JobError,
            checks=None if catalog is None else checks,
            timezone=timezone,
            argument=argument,
        )
    if "source" in given:  # a DataFrame says where it comes from (synthetic usage, say)
        frame.attrs.update(source=given["source"], synthetic=given.get("synthetic", False))
    else:
        frame.attrs["source"] = f"jobs from {Path(str(frame.attrs['source'])).name}"
    return frame, pairs[-1] if pairs else pair_codes(frame["region_id"], frame["hardware"])


def _offered(
    pair: np.ndarray,
    regions: np.ndarray,
    hardwares: np.ndarray,
    table: pd.DataFrame,
    catalog: pd.DataFrame,
) -> RowCheck:
    """Records whose (region, hardware) the catalog does not offer.

    Only the distinct pairs are looked up (millions of records name a few dozen); a
    missing label is "" in ``pair_codes``, which no catalog offers, and a record without
    a region is left to the check of missing cells.
    """
    offered = pd.MultiIndex.from_frame(catalog[["region_id", "hardware"]].astype(str))
    known = pd.MultiIndex.from_arrays([regions, hardwares]).isin(offered)
    unknown = ~known[pair] & table["region_id"].notna().to_numpy()
    region, hardware = table["region_id"], table["hardware"]
    return (
        unknown,
        "hardware",
        lambda i: (
            f"region_id {region.iat[i]!r} with hardware {hardware.iat[i]!r} is not offered in"
            " the catalog; fix the record or use a catalog that has it"
        ),
    )


@dataclass
class Records:
    """Checked records as arrays: times [ns], nodes, the code of each record's pair, and
    each pair's labels (see :func:`~pai_model.data.arrays.pair_codes`)."""

    start: np.ndarray
    end: np.ndarray
    nodes: np.ndarray
    pair: np.ndarray
    regions: np.ndarray
    hardwares: np.ndarray


def checked_jobs(
    source: Any, catalog: pd.DataFrame | None, timezone: str | None = None, argument: str = "jobs"
) -> tuple[Records, pd.DataFrame]:
    """Read and check job records (see
    :func:`~pai_model.decisions.planning.demand.demand_from_jobs`).

    Zero-length and overlapping jobs are valid; every other problem of every record is
    listed in one :class:`~pai_model.errors.JobError`. Returns the records as arrays and
    the checked table. A ``source`` of the wrong type is a TypeError naming ``argument``.
    """
    frame, (pair, regions, hardwares) = _jobs_table(source, catalog, timezone, argument)
    starts, _ = times_ns(frame["start"])
    ends, _ = times_ns(frame["end"])
    nodes = frame["nodes"].to_numpy(dtype=np.float64)
    return Records(starts, ends, nodes, pair, regions, hardwares), frame


def checked_samples(samples: pd.DataFrame) -> Records:
    """Read and check a sampled series (see
    :func:`~pai_model.decisions.planning.demand.demand_from_series`);
    ``start`` holds the sample times and ``end`` is empty."""
    table = read_table(samples, DemandSampleSchema, name="demand samples", error=JobError)
    if len(table) == 0:
        raise JobError(["no samples: give at least one"], "demand samples")
    times, _ = times_ns(table["time"])
    pair, regions, hardwares = pair_codes(table["region_id"], table["hardware"])
    nodes = table["nodes"].to_numpy(dtype=np.float64)
    return Records(times, np.zeros(0, dtype=np.int64), nodes, pair, regions, hardwares)


def fingerprint(demand: pd.DataFrame) -> tuple[Any, ...] | None:
    """A cheap summary of a demand table's values, to know a checked table unchanged.

    None when the table is not in the shape the kit builds (categorical pairs,
    nanosecond times, integer nodes): such a table is always checked.
    """
    try:
        region, hardware = demand["region_id"], demand["hardware"]
        if not (
            isinstance(region.dtype, pd.CategoricalDtype)
            and isinstance(hardware.dtype, pd.CategoricalDtype)
        ):
            return None
        start, end = demand["start"].to_numpy(), demand["end"].to_numpy()
        nodes = demand["nodes"].to_numpy()
        if (
            start.dtype != "datetime64[ns]"
            or end.dtype != "datetime64[ns]"
            or nodes.dtype.kind != "i"
        ):
            return None
    except KeyError:
        return None
    return (
        len(demand),
        tuple(region.cat.categories),
        tuple(hardware.cat.categories),
        int(region.cat.codes.to_numpy().sum()),
        int(hardware.cat.codes.to_numpy().sum()),
        int(start.view(np.int64).sum()),  # sums wrap around: still a fingerprint
        int(end.view(np.int64).sum()),
        int(nodes.sum()),
        int((start.view(np.int64) * np.arange(1, len(demand) + 1)).sum()),  # the order too
    )


def checked_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """A demand table given directly, checked: whole nodes >= 0, intervals that end after
    they start and do not overlap within their pair.

    A table the kit built (or checked) and nobody changed since is not checked again: its
    ``attrs["checked"]`` holds its :func:`fingerprint`.
    """
    mark = fingerprint(demand)
    if mark is not None and demand.attrs.get("checked") == mark:
        return demand
    missing = [c for c in DEMAND_COLUMNS if c not in demand.columns]
    if missing:
        raise PlanError(
            [
                f"demand has no column {c!r}: give the output of demand_from_jobs, or samples"
                f" with columns {', '.join(SAMPLE_COLUMNS)}"
                for c in missing
            ],
            "demand",
        )
    if len(demand) == 0:
        raise PlanError(["demand has no rows: give at least one interval"], "demand")
    nodes = pd.to_numeric(demand["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    # True is not 1 node: booleans are refused, not counted
    nodes[[isinstance(v, (bool, np.bool_)) for v in demand["nodes"]]] = np.nan
    start, bad_start = times_ns(demand["start"])
    end, bad_end = times_ns(demand["end"])
    # an interval starting before the previous one of its pair ends would count time twice
    pair, _, _ = pair_codes(demand["region_id"], demand["hardware"])
    order = pair_time_order(pair, start)
    overlaps = np.zeros(len(demand), dtype=bool)
    overlaps[order[1:]] = (pair[order[1:]] == pair[order[:-1]]) & (
        start[order[1:]] < end[order[:-1]]
    )
    problems = _record_problems(
        [
            (
                ~(nodes >= 0) | (nodes != np.floor(nodes)),
                lambda i: "nodes must be a whole number >= 0",
            ),
            (bad_start | bad_end | (end <= start), lambda i: "end must be a time after start"),
            (
                overlaps & ~bad_start & ~bad_end,
                lambda i: "overlaps the previous interval of its region and hardware",
            ),
        ],
        _record_labels(demand),
    )
    if problems:
        raise PlanError(problems, "demand")
    if mark is not None:
        demand.attrs["checked"] = mark
    return demand


def _record_labels(frame: pd.DataFrame) -> Callable[[int], str]:
    first = frame.attrs.get("first_line")
    if first is not None:
        return lambda i: f"line {i + first}"
    index = frame.index
    return lambda i: f"row {index[i]}"


def _record_problems(
    checks: list[tuple[np.ndarray, Callable[[int], str]]], label: Callable[[int], str]
) -> list[str]:
    """One message per bad record, all its reasons joined, in record order."""
    bad = np.zeros(len(checks[0][0]), dtype=bool)
    for mask, _ in checks:
        bad |= mask
    problems = []
    for i in np.flatnonzero(bad):  # only the bad records are visited
        reasons = [describe(i) for mask, describe in checks if mask[i]]
        problems.append(f"{label(i)}: {'; '.join(reasons)}")
    return problems
