"""The tables the planner reads, checked: job records, demand samples, demand tables.

Every bad record is listed at once, with its CSV line or DataFrame row. The checks are
the planner's own for now; the kit's common table reader is to take them over.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import JobError, PlanError
from ._arrays import pair_codes, pair_time_order, times_ns

JOB_COLUMNS = ("start", "end", "region_id", "hardware", "nodes")
SAMPLE_COLUMNS = ("region_id", "hardware", "time", "nodes")
DEMAND_COLUMNS = ("region_id", "hardware", "start", "end", "nodes")


def read_jobs(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a jobs CSV as text columns; :func:`checked_jobs` parses and checks them.

    Parameters
    ----------
    path : path-like
        CSV with a header row and the columns :data:`JOB_COLUMNS` (others are ignored).

    Returns
    -------
    pandas.DataFrame
        The records as strings; ``attrs["path"]`` is the file and ``attrs["first_line"]``
        the line number of the first record (2), so problems can name CSV lines.

    Raises
    ------
    JobError
        For a missing file or one that is not a UTF-8 CSV with a header row.

    See Also
    --------
    pai_model.planning.demand_from_jobs : Parses, checks and turns the records into demand.
    """
    file = Path(path)
    if not file.is_file():
        raise JobError([f"no such file: {file}"], str(file))
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise JobError(
            [f"cannot read {file.name} as a CSV with a header row ({error}); save it as UTF-8 CSV"],
            str(file),
        ) from error
    frame.attrs.update(path=str(file), first_line=2, source=f"jobs from {file.name}")
    return frame


@dataclass
class Records:
    """Checked records as arrays: times [ns], nodes, the code of each record's pair, and
    each pair's labels (see :func:`~pai_model.planning._arrays.pair_codes`)."""

    start: np.ndarray
    end: np.ndarray
    nodes: np.ndarray
    pair: np.ndarray
    regions: np.ndarray
    hardwares: np.ndarray


def checked_jobs(frame: pd.DataFrame, catalog: pd.DataFrame | None) -> Records:
    """Parse and check job records (see :func:`~pai_model.planning.demand_from_jobs`).

    Zero-length and overlapping jobs are valid; every other problem of every record is
    listed in one :class:`~pai_model.errors.JobError`.
    """
    label = _record_labels(frame)
    missing = [c for c in JOB_COLUMNS if c not in frame.columns]
    if missing:
        raise JobError(
            [
                f"missing column {c!r}; jobs need the columns {', '.join(JOB_COLUMNS)}"
                for c in missing
            ],
            frame.attrs.get("path", "jobs"),
        )
    starts, bad_start = times_ns(frame["start"])
    ends, bad_end = times_ns(frame["end"])
    nodes = pd.to_numeric(frame["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    bad_nodes = ~(nodes > 0) | (nodes != np.floor(nodes)) | (nodes > np.iinfo(np.int32).max)
    pair, regions, hardwares = pair_codes(frame["region_id"], frame["hardware"])
    region, hardware = regions[pair], hardwares[pair]
    no_region, no_hardware = region == "", hardware == ""
    reversed_ = ~bad_start & ~bad_end & (ends < starts)
    unknown = np.zeros(len(frame), dtype=bool)
    if catalog is not None:
        offered = pd.MultiIndex.from_frame(catalog[["region_id", "hardware"]].astype(str))
        unknown = ~pd.MultiIndex.from_arrays([regions, hardwares]).isin(offered)[pair]
        unknown &= ~no_region & ~no_hardware
    checks = [
        (bad_start, lambda i: f"start is not a time: {frame['start'].iloc[i]!r}"),
        (bad_end, lambda i: f"end is not a time: {frame['end'].iloc[i]!r}"),
        (
            reversed_,
            lambda i: f"end {frame['end'].iloc[i]} is before start {frame['start'].iloc[i]}",
        ),
        (
            bad_nodes,
            lambda i: f"nodes must be a positive whole number; got {frame['nodes'].iloc[i]!r}",
        ),
        (no_region, lambda i: "region_id is missing"),
        (no_hardware, lambda i: "hardware is missing"),
        (
            unknown,
            lambda i: (
                f"region_id {region[i]!r} with hardware {hardware[i]!r} is not offered in"
                " the catalog; fix the record or use a catalog that has it"
            ),
        ),
    ]
    problems = _record_problems(checks, label)
    if problems:
        raise JobError(problems, frame.attrs.get("path", "jobs"))
    return Records(starts, ends, nodes, pair, regions, hardwares)


def checked_samples(samples: pd.DataFrame) -> Records:
    """Parse and check a sampled series (see :func:`~pai_model.planning.demand_from_series`);
    ``start`` holds the sample times and ``end`` is empty."""
    label = _record_labels(samples)
    missing = [c for c in SAMPLE_COLUMNS if c not in samples.columns]
    if missing:
        raise JobError([f"missing column {c!r}" for c in missing], "demand samples")
    times, bad_time = times_ns(samples["time"])
    nodes = pd.to_numeric(samples["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    bad_nodes = ~(nodes >= 0) | (nodes != np.floor(nodes))
    pair, regions, hardwares = pair_codes(samples["region_id"], samples["hardware"])
    repeated = pd.DataFrame({"p": pair, "t": times}).duplicated(keep=False).to_numpy() & ~bad_time
    problems = _record_problems(
        [
            (bad_time, lambda i: f"time is not a time: {samples['time'].iloc[i]!r}"),
            (
                bad_nodes,
                lambda i: f"nodes must be a whole number >= 0; got {samples['nodes'].iloc[i]!r}",
            ),
            (repeated, lambda i: "time repeats within its region and hardware"),
        ],
        label,
    )
    if problems:
        raise JobError(problems, "demand samples")
    if len(samples) == 0:
        raise JobError(["no samples: give at least one"], "demand samples")
    return Records(times, np.zeros(0, dtype=np.int64), nodes, pair, regions, hardwares)


def checked_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """A demand table given directly, checked: whole nodes >= 0, intervals that end after
    they start and do not overlap within their pair."""
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
