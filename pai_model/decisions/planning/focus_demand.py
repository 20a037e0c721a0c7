"""Demand from FOCUS bill lines, streamed: part by part, row group by row group.

:func:`demand_from_focus` turns the Usage lines of a FOCUS export into the planner's
demand table without holding the lines: each batch of lines becomes job records as
:func:`~pai_model.bills.usage.usage_jobs` makes them (``nodes`` busy from
``ChargePeriodStart`` for node-minutes / nodes; a Committed line busy its whole charge
period), and each record is added to a grid of net changes of nodes per (region,
hardware) and minute. Memory is one row group and the grid (pairs x minutes of history:
a year of 20 pairs is 84 MB), whatever the number of lines; the demand equals
``demand_from_jobs(usage_jobs(map_specs(read_focus(source), catalog).rows))``.

Parquet parts are read with pyarrow, only the columns needed, text as dictionaries; other
parts (CSV, gzip, zip members, Parquet with times as text) through the kit's FOCUS reader
(:func:`~pai_model.data.focus.read_part`). With a ``distributed.Client``, the parts are
split among the workers, each adds its share to a grid of its own (reading with one
thread, as a Dask worker thread should), and the grids are added up.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import NS_PER_MINUTE, dictionary_codes
from pai_model.data.focus_schema import focus_version
from pai_model.data.focus_scope import SCOPE_COLUMNS, no_pai_message, pai_mask, table_codes
from pai_model.data.schemas import MAX_JOB_NODES
from pai_model.decisions.planning._grid import add_lines, judged_lines, line_records
from pai_model.decisions.planning.demand_windows import demand_from_grid
from pai_model.errors import Problem, TableError, UsageError

#: The columns read from each part (and the spec column, and ``x_Nodes`` where present).
COLUMNS = (
    "RegionId",
    "ChargeCategory",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "BillingCurrency",
)
#: Read where present: whether a line is a correction, and whether it is PAI's.
OPTIONAL_COLUMNS = ("ChargeClass", *SCOPE_COLUMNS)
#: Text columns read as dictionaries: few distinct values, many rows.
DICTIONARIES = (
    "RegionId",
    "ChargeCategory",
    "PricingCategory",
    "PricingUnit",
    "BillingCurrency",
    *OPTIONAL_COLUMNS,
)
#: The most cells (pairs x minutes) the grid may hold: 2 GiB of int64.
MAX_CELLS = 1 << 28
#: Why lines are not turned into demand.
NOT_USAGE, UNMAPPED, NO_TIME = (
    "not a Usage line (ChargeCategory)",
    "spec not in the catalog for its region",
    "no usage the planner can read (a correction, a refund, an empty line, or more"
    " nodes than a job may have)",
)
#: A correction of an earlier charge is not usage: it makes no demand, nor takes any away.
CORRECTION = "a correction of an earlier charge (ChargeClass Correction, or a negative quantity)"


@dataclass
class FocusDemand:
    """Result of :func:`demand_from_focus`."""

    #: The demand table (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`'s).
    demand: pd.DataFrame
    #: Lines read.
    lines: int
    #: Lines turned into demand.
    used: int
    #: Lines set aside: ``reason``, ``region_id``, ``spec``, ``rows``.
    set_aside: pd.DataFrame
    #: Lines of other services than PAI, by (provider, service).
    others: Counter = field(default_factory=Counter)
    #: The export's FOCUS version (:func:`~pai_model.data.focus_schema.focus_version`).
    focus_version: str = "1.0"
    #: The (region, spec, BillingCurrency) of the Usage lines the catalog maps.
    currencies: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class _Grid:
    """Net changes of nodes per pair (row) and minute (column from ``origin``)."""

    pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    delta: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    origin: int = 0
    #: The earliest record start and latest record end [ns]; None before any record.
    first: int | None = None
    last: int | None = None
    lines: int = 0
    used: int = 0
    #: Lines set aside, by (reason, region, spec).
    aside: dict[tuple[str, str, str], int] = field(default_factory=dict)
    #: Lines of other services than PAI, by (provider, service).
    others: Counter = field(default_factory=Counter)
    #: The columns of the parts read.
    columns: set = field(default_factory=set)
    #: (region, spec, currency) of the mapped Usage lines met.
    currencies: set[tuple[str, str, str]] = field(default_factory=set)

    def rows_of(self, keys: list[tuple[str, str] | None]) -> np.ndarray:
        """The row of each (region, hardware), added when new; -1 for None."""
        rows = [-1 if k is None else self.pairs.setdefault(k, len(self.pairs)) for k in keys]
        self._fit(len(self.pairs), self.origin, self.origin + self.delta.shape[1] - 1)
        return np.array(rows, dtype=np.int64)

    def cover(self, low: int, high: int) -> None:
        """Grow the grid, if need be, to hold minutes ``low`` .. ``high``."""
        if self.delta.shape[1]:
            low, high = min(low, self.origin), max(high, self.origin + self.delta.shape[1] - 1)
        self._fit(len(self.pairs), low, high)

    def _fit(self, rows: int, low: int, high: int) -> None:
        """Grow the grid to ``rows`` rows and minutes ``low`` .. ``high``, with room to spare."""
        have_rows, steps = self.delta.shape
        end = self.origin + steps - 1
        if rows <= have_rows and steps and low >= self.origin and high <= end:
            return
        if steps:
            spare = max(1440, (high - low) // 4)
            low = low - spare if low < self.origin else self.origin
            high = high + spare if high > end else end
        rows = max(rows, have_rows)
        cells = max(rows, 1) * (high - low + 1)
        if cells > MAX_CELLS:
            raise UsageError(
                [
                    f"the usage spans {rows:,} region and hardware pairs over"
                    f" {(high - low) / 1440:,.0f} days: {cells:,} pair-minutes, more than the"
                    f" {MAX_CELLS:,} the kit holds; read a shorter span of bills"
                ],
                "usage",
            )
        grown = np.zeros((rows, high - low + 1), dtype=np.int64)
        if steps:
            grown[:have_rows, self.origin - low : self.origin - low + steps] = self.delta
        self.delta, self.origin = grown, low

    def merged(self, other: _Grid) -> _Grid:
        """This grid with ``other``'s records and counts added."""
        for key in other.pairs:
            self.pairs.setdefault(key, len(self.pairs))
        if other.delta.shape[1]:
            rows = np.array([self.pairs[k] for k in other.pairs], dtype=np.int64)
            low = other.origin
            high = other.origin + other.delta.shape[1] - 1
            if self.delta.shape[1]:
                low = min(low, self.origin)
                high = max(high, self.origin + self.delta.shape[1] - 1)
            self._fit(len(self.pairs), low, high)
            at = other.origin - self.origin
            for i, r in enumerate(rows):  # row by row, in place: no copy of the grid
                self.delta[r, at : at + other.delta.shape[1]] += other.delta[i]
        else:
            self._fit(len(self.pairs), self.origin, self.origin + self.delta.shape[1] - 1)
        for edge, pick in (("first", min), ("last", max)):
            values = [v for v in (getattr(self, edge), getattr(other, edge)) if v is not None]
            setattr(self, edge, pick(values) if values else None)
        self.lines += other.lines
        self.used += other.used
        self.currencies |= other.currencies
        for key, count in other.aside.items():
            self.aside[key] = self.aside.get(key, 0) + count
        self.others.update(other.others)
        self.columns |= other.columns
        return self


def demand_from_focus(
    source: str | os.PathLike[str],
    catalog: pd.DataFrame,
    *,
    spec_column: str = "SkuId",
    client: Any = None,
    by_day: bool = False,
) -> FocusDemand:
    """The planner's demand table from the Usage lines of a FOCUS export, streamed.

    Parameters
    ----------
    source : path-like or str
        As :func:`~pai_model.data.focus.read_focus` takes it: a file (CSV, gzip, Parquet),
        a folder, a glob, a zip or an fsspec URL (``oss://``).
    catalog : pandas.DataFrame
        Maps each line's (``RegionId``, spec) to the catalog's ``hardware``
        (:func:`~pai_model.bills.usage.map_specs`'s rule).
    spec_column : str, default "SkuId"
        The column naming the node spec.
    client : distributed.Client, optional
        Split the parts among its workers; the grids come back and are added up.
    by_day : bool, default False
        Group each day's minutes by level
        (:func:`~pai_model.decisions.planning.demand_windows.demand_from_grid`): the plan,
        its scenarios and the backtest are the same, and the table far shorter.

    Returns
    -------
    FocusDemand
        ``demand`` (one minute grid, over the records' span), the lines read and used,
        and the lines set aside with why (``set_aside``).

    Raises
    ------
    UsageError
        No such file, a part that cannot be read, a missing column, every problem of the
        parts read through the FOCUS reader; no Usage line of a spec in the catalog.

    Examples
    --------
    The SYNTHETIC sample export: 1,306 lines, of which 2 name specs the demo catalog lacks.

    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     found = demand_from_focus(paths.SAMPLE_DIR / "focus_sample.csv.gz",
    ...                               read_catalog())
    >>> found.lines, found.used, found.set_aside["rows"].sum()
    (1306, 1304, np.int64(2))
    """
    from pai_model.data.sources import expand

    parts = expand(source)
    lookup = {
        (str(r), str(s)): str(h)
        for r, s, h in zip(catalog["region_id"], catalog["spec"], catalog["hardware"], strict=True)
    }
    if client is None:
        results = [_parts_grid(parts, lookup, spec_column, threads=True)]
    else:
        workers = max(1, sum(client.nthreads().values()))
        groups = [parts[i::workers] for i in range(min(workers, len(parts)))]
        futures = client.map(
            _parts_grid,
            groups,
            lookup=lookup,
            spec_column=spec_column,
            threads=False,
            pure=False,
        )
        results = client.gather(futures)
    problems = [p for _, found in results for p in found]
    if problems:
        raise UsageError(problems, os.fspath(source))
    grid = results[0][0]
    grid.delta = grid.delta.astype(np.int64, copy=False)  # sums of several grids
    for part_grid, _ in results[1:]:
        grid = grid.merged(part_grid)
    return _result(grid, os.fspath(source), by_day)


def _result(grid: _Grid, source: str, by_day: bool) -> FocusDemand:
    set_aside = pd.DataFrame(
        [(*key, rows) for key, rows in sorted(grid.aside.items())],
        columns=["reason", "region_id", "spec", "rows"],
    )
    if grid.others and sum(grid.others.values()) == grid.lines:
        raise UsageError([no_pai_message(grid.others, source)], source)
    if grid.first is None:
        raise UsageError(
            [f"{source}: no Usage line of a spec the catalog has, so there is no demand to plan"],
            source,
        )
    start = grid.first // NS_PER_MINUTE
    end = -(-grid.last // NS_PER_MINUTE)
    order = sorted(grid.pairs, key=grid.pairs.get)
    at = start - grid.origin
    delta = grid.delta[: len(order), at : at + end - start + 1]  # a view: rows in pair order
    name = f"bills {source}".strip()
    demand = demand_from_grid(
        delta,
        np.array([r for r, _ in order], dtype=object),
        np.array([h for _, h in order], dtype=object),
        start * NS_PER_MINUTE,
        NS_PER_MINUTE,
        source=name,
        by_day=by_day,
    )
    return FocusDemand(
        demand,
        grid.lines,
        grid.used,
        set_aside,
        others=grid.others,
        focus_version=focus_version(grid.columns),
        currencies=grid.currencies,
    )


def _parts_grid(
    parts: list[Any], lookup: dict[tuple[str, str], str], spec_column: str, threads: bool
) -> tuple[_Grid, list[Problem]]:
    """The grid of some parts, and the problems of those that could not be read.

    Without ``threads`` (a Dask worker's task: one thread per task), pyarrow, numba's
    parallel loops and Arrow's compute functions run on this thread alone while it works,
    so that workers do not fight over the cores.
    """
    import numba
    import pyarrow as pa

    grid, problems = _Grid(), []
    before = (numba.get_num_threads(), pa.cpu_count())
    if not threads:
        numba.set_num_threads(1)
        pa.set_cpu_count(1)
    try:
        for part in parts:
            try:
                for batch in _batches(part, spec_column, threads, grid.columns):
                    _add_batch(grid, batch, lookup, spec_column)
            except TableError as error:
                problems += list(error.problems)
    finally:
        if not threads:
            numba.set_num_threads(before[0])
            pa.set_cpu_count(before[1])
    small = np.iinfo(np.int32)
    if (
        not threads
        and grid.delta.size
        and small.min < grid.delta.min() <= grid.delta.max() < small.max
    ):
        grid.delta = grid.delta.astype(np.int32)  # half the bytes sent back by a worker
    return grid, problems


def _batches(part: Any, spec_column: str, threads: bool, columns: set) -> Any:
    """The part's lines as Arrow tables: row groups of a Parquet file whose columns have
    the types streamed, else the whole part read through the FOCUS reader. The part's
    columns are added to ``columns``."""
    import pyarrow as pa

    from pai_model.data.focus import read_part
    from pai_model.data.sources import open_parquet

    if part.member is None and part.path.lower().endswith((".parquet", ".pq")):
        with open_parquet(part) as first:
            schema = first.schema_arrow
            columns.update(schema.names)
            wanted = [*COLUMNS, spec_column]
            missing = [c for c in wanted if c not in schema.names]
            if missing:
                raise TableError(
                    [Problem(part.name, f"missing required column {c!r}") for c in missing]
                )
            wanted += [c for c in ("x_Nodes", *OPTIONAL_COLUMNS) if c in schema.names]
        if all(_streamable(name, schema.field(name).type) for name in wanted):
            dictionaries = [c for c in (*DICTIONARIES, spec_column) if c in wanted]
            with open_parquet(part, read_dictionary=dictionaries) as reader:
                for group in range(reader.num_row_groups):
                    yield reader.read_row_group(group, columns=wanted, use_threads=threads)
            return
    rows = read_part(part)
    columns.update(rows.columns)
    names = [*COLUMNS, spec_column] + [c for c in ("x_Nodes", *OPTIONAL_COLUMNS) if c in rows]
    chosen = rows[list(dict.fromkeys(names))]
    chosen.attrs = {}
    yield pa.Table.from_pandas(chosen, preserve_index=False)


def _streamable(name: str, kind: Any) -> bool:
    import pyarrow as pa

    if name in ("ChargePeriodStart", "ChargePeriodEnd"):
        return pa.types.is_timestamp(kind)
    if name == "x_Nodes":
        return pa.types.is_integer(kind) or pa.types.is_floating(kind) or _text(kind)
    return _text(kind) or pa.types.is_dictionary(kind)


def _text(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def _add_batch(
    grid: _Grid, table: Any, lookup: dict[tuple[str, str], str], spec_column: str
) -> None:
    """Add one batch's Usage lines to the grid as job records (``usage_jobs``' rule).

    Text is worked on as dictionary codes (each distinct value looked up once), the
    arithmetic of every line in compiled loops (:mod:`~pai_model.decisions.planning._grid`).
    """
    from pai_model.bills.usage import committed_nodes, unit_ratio
    from pai_model.data.decimals import text_floats

    grid.lines += table.num_rows
    table = _pai_usage(grid, table, spec_column)
    size = table.num_rows
    usage = _per_line(table["ChargeCategory"], lambda v: v == "Usage", size)
    region, regions = dictionary_codes(table["RegionId"])
    spec, specs = dictionary_codes(table[spec_column])
    width = max(len(specs), 1)
    combo = region * width + spec  # the few (region, spec) met, looked up once each
    met = np.flatnonzero(np.bincount(combo, minlength=len(regions) * width))
    labels = [(regions[c // width], specs[c % width]) for c in range(len(regions) * width)]
    keys: list[tuple[str, str] | None] = [None] * len(labels)
    for c in met:
        r, s = labels[c]
        found = None if r is None or s is None else lookup.get((str(r), str(s)))
        keys[c] = None if found is None else (str(r), found)
    row_of_combo = grid.rows_of(keys)
    # the currency of each mapped (region, spec), for the caller to compare with the catalog
    money, currencies = dictionary_codes(table["BillingCurrency"])
    mapped = usage & (row_of_combo[combo] >= 0)
    kinds = max(len(currencies), 1)
    for found in np.unique(combo[mapped] * kinds + money[mapped]):
        r, s = labels[found // kinds]
        grid.currencies.add((str(r), str(s), str(currencies[found % kinds])))
    start, end = (_ns(table[c]) for c in ("ChargePeriodStart", "ChargePeriodEnd"))
    timed = np.ones(size, dtype=bool)
    for name in ("ChargePeriodStart", "ChargePeriodEnd"):
        if table[name].null_count:
            timed &= np.asarray(table[name].is_valid())
    units = dictionary_codes(table["PricingUnit"])
    numerator, denominator = (r[units[0]] for r in unit_ratio(pd.Series(units[1], dtype=object)))
    committed = _per_line(table["PricingCategory"], lambda v: v == "Committed", size)
    given = np.ones(size, dtype=np.float64)
    if "x_Nodes" in table.column_names:
        nodes_given = pd.DataFrame({"x_Nodes": table["x_Nodes"].to_pandas()})
        given = committed_nodes(nodes_given, np.asarray(committed, dtype=bool))
    quantity = text_floats(table["PricingQuantity"])
    nodes, _, lasting = line_records(start, end, quantity, numerator, denominator, committed, given)
    good, aside, span = judged_lines(
        combo, row_of_combo, usage, timed, start, lasting, nodes, MAX_JOB_NODES
    )
    for c, counts in zip(*np.nonzero(aside.any(axis=1)), aside[aside.any(axis=1)], strict=True):
        region_name, spec_name = labels[c]
        for reason, count in zip((NOT_USAGE, UNMAPPED, NO_TIME), counts, strict=True):
            if count:
                key = (
                    reason,
                    "" if region_name is None else str(region_name),
                    "" if spec_name is None else str(spec_name),
                )
                grid.aside[key] = grid.aside.get(key, 0) + int(count)
    if not span[4]:
        return
    grid.first = int(span[0]) if grid.first is None else min(grid.first, int(span[0]))
    grid.last = int(span[1]) if grid.last is None else max(grid.last, int(span[1]))
    grid.used += int(span[4])
    grid.cover(int(span[2]), int(span[3]))
    add_lines(grid.delta, grid.origin, good, row_of_combo[combo], start, lasting, nodes)


def _pai_usage(grid: _Grid, table: Any, spec_column: str) -> Any:
    """The lines of ``table`` that may be PAI usage; the others counted in ``grid``.

    A line of another service is set aside (:mod:`pai_model.data.focus_scope`), and so is a
    correction: a line whose ChargeClass is Correction or whose quantity is negative, of
    any category (a refund of usage is not usage taken back at the time it corrects).
    """
    from pai_model.data.decimals import text_floats

    size = table.num_rows
    pai, others = pai_mask(table_codes(table), size)
    grid.others.update(others)
    for (provider, service), count in others.items():
        key = (f"not Alibaba Cloud PAI ({provider or '?'} / {service or '?'})", "", "")
        grid.aside[key] = grid.aside.get(key, 0) + count
    correction = text_floats(table["PricingQuantity"]) < 0
    if "ChargeClass" in table.column_names:
        correction |= _per_line(table["ChargeClass"], lambda v: v == "Correction", size)
    fixed = pai & correction
    if fixed.any():
        chosen = table.filter(fixed)
        pairs = pd.Series(
            list(zip(chosen["RegionId"].to_pylist(), chosen[spec_column].to_pylist(), strict=True))
        )
        for (region, spec), count in pairs.value_counts().items():
            key = (
                CORRECTION,
                "" if region is None else str(region),
                "" if spec is None else str(spec),
            )
            grid.aside[key] = grid.aside.get(key, 0) + int(count)
    kept = pai & ~correction
    return table if kept.all() else table.filter(kept)


def _per_line(column: Any, test: Any, size: int) -> np.ndarray:
    """``test`` of each line's value, worked out once per distinct value."""
    codes, values = dictionary_codes(column)
    if len(values) == 1:
        return np.full(size, bool(test(values[0])))
    return np.array([bool(test(v)) for v in values], dtype=bool)[codes]


def _ns(column: Any) -> np.ndarray:
    """A timestamp column as int64 nanoseconds since the epoch (UTC)."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    cast = column.cast(pa.timestamp("ns", column.type.tz))
    return cast.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
