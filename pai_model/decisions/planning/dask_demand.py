"""Demand at scale: job records on Dask partitions or in Parquet files, results equal.

Each function runs the planner's own pandas function on one pair's jobs or one row group
at a time, so the demand equals the single-machine table. Give ``--scheduler ADDRESS`` on
the command line (or make a ``distributed.Client`` before calling) to run on a cluster.

- :func:`demand_partitioned`: :func:`~pai_model.decisions.planning.demand.demand_from_jobs` with
  the jobs
  shuffled by (region, hardware), so each pair's demand is built within one partition;
- :func:`demand_files`: the same demand from job records in Parquet files, out of core:
  one row group at a time, only each pair's net changes of nodes kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd


def demand_partitioned(jobs: Any, **options: Any) -> pd.DataFrame:
    """Demand per (region, hardware) from a Dask DataFrame of jobs, one pair per partition.

    The history window is the whole table's (its earliest start and latest end, on the
    ``freq`` grid) unless ``start`` and ``end`` are given, as
    :func:`~pai_model.decisions.planning.demand.demand_from_jobs` would choose it for all jobs at
    once.

    Returns
    -------
    pandas.DataFrame
        Equal to ``demand_from_jobs(jobs.compute(), **options)``.
    """
    from pai_model.decisions.planning.demand import demand_from_jobs

    freq = options.get("freq", "1min")
    if options.get("start") is None or options.get("end") is None:
        times = (
            jobs[["start", "end"]]
            .map_partitions(_as_times)
            .reduction(
                lambda t: pd.DataFrame({"start": [t["start"].min()], "end": [t["end"].max()]}),
                lambda t: pd.DataFrame({"start": [t["start"].min()], "end": [t["end"].max()]}),
            )
            .compute()
        )
        first, last = times["start"].iloc[0], times["end"].iloc[0]
        if freq is not None:
            first, last = first.floor(freq), last.ceil(freq)
        options = dict(options)
        if options.get("start") is None:
            options["start"] = first
        if options.get("end") is None:
            options["end"] = last
    keyed = jobs.assign(_pair=jobs["region_id"].astype(str) + "\x1f" + jobs["hardware"].astype(str))
    shuffled = keyed.shuffle("_pair")

    def demand_of(part: pd.DataFrame) -> pd.DataFrame:
        part = part.drop(columns="_pair").reset_index(drop=True)
        if not len(part):
            return _empty_demand()
        demand = demand_from_jobs(part, **options)
        return demand.astype({"region_id": "str", "hardware": "str"})

    parts = shuffled.map_partitions(demand_of, meta=_empty_demand()).compute()
    demand = parts.sort_values(["region_id", "hardware", "start"], kind="stable")
    demand = demand.reset_index(drop=True)
    for column in ("region_id", "hardware"):
        demand[column] = pd.Categorical(demand[column], categories=sorted(set(demand[column])))
    return demand


def demand_files(source: str | os.PathLike[str], **options: Any) -> pd.DataFrame:
    """Demand per (region, hardware) from job records in Parquet files, out of core.

    Parameters
    ----------
    source : path-like or str
        A Parquet file, a folder of them or a glob (local or an fsspec URL), with the
        columns of :data:`~pai_model.data.jobs.JOB_COLUMNS`.
    **options
        As :func:`~pai_model.decisions.planning.demand.demand_from_jobs` takes them (``freq``,
        ``start``,
        ``end``, ``catalog``, ``timezone``, ``overhead_minutes``).

    Returns
    -------
    pandas.DataFrame
        Equal to ``demand_from_jobs`` of all the records at once; memory is that of one
        row group and of the demand table, not of the records.

    Raises
    ------
    JobError
        Every problem of every record, named by its file and line (row ``i`` is line
        ``i + 2``); a part that is not Parquet.
    """
    from pai_model.data.sources import expand
    from pai_model.decisions.planning.demand import demand_from_batches
    from pai_model.errors import JobError, Problem

    parts = expand(source)
    others = [p.name for p in parts if p.member is not None or not _is_parquet(p.path)]
    if others:
        raise JobError([Problem(name, "not a Parquet file") for name in others], os.fspath(source))
    name = f"jobs from {Path(os.fspath(source)).name}"
    return demand_from_batches(_row_groups(parts), source=name, **options)


def _row_groups(parts: list[Any]) -> Any:
    """Each row group of each part as a DataFrame naming its file and first row."""
    from pai_model.data.sources import open_parquet
    from pai_model.errors import JobError

    for part in parts:
        with open_parquet(part, JobError) as reader:
            first = 0
            for group in range(reader.num_row_groups):
                frame = reader.read_row_group(group).to_pandas()
                frame.attrs = {"source": part.name, "first_row": first}
                first += len(frame)
                yield frame


def _is_parquet(path: str) -> bool:
    return path.lower().endswith((".parquet", ".pq"))


def _as_times(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("start", "end"):
        out[column] = pd.to_datetime(out[column], format="ISO8601", utc=True).dt.tz_localize(None)
    return out


def _empty_demand() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_id": pd.Series(dtype="str"),
            "hardware": pd.Series(dtype="str"),
            "start": pd.Series(dtype="datetime64[ns]"),
            "end": pd.Series(dtype="datetime64[ns]"),
            "nodes": pd.Series(dtype="int64"),
        }
    )
