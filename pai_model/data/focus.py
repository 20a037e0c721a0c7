"""FOCUS 1.0, 1.1 and 1.2 exports (Alibaba's "Standard Bill FOCUS"), read through the front door.

The columns FOCUS 1.1 and 1.2 added are kept as their text (the kit reads none of them);
a column no version up to 1.2 defines, and not prefixed ``x_``, is kept too, all such
columns named in one :class:`~pai_model.errors.KeptColumnsWarning`. A table that breaks the
rules and holds no Alibaba Cloud PAI row (:mod:`~pai_model.data.focus_scope`) is refused
with one plain message naming whose rows it holds.

Each part of the source (:mod:`~pai_model.data.sources`) is read by
:func:`pai_model.data.tables.read_table` with
:class:`~pai_model.data.focus_schema.AlibabaFocusSchema`: the FOCUS 1.0 column rules with
Alibaba's documented deviations allowed. Every problem of every part is listed in one
:class:`~pai_model.errors.UsageError`, each with its file (``archive.zip!member.csv``),
line, column and value. Alibaba's ``x_`` columns (``x_BillingItemCode``,
``x_InstanceID``, ...) are kept.

The deviations met are listed (``attrs["deviations"]`` and one
:class:`FocusDeviationWarning`) with what the kit does about each:

====================  ===========================================================
column                what the kit does when it is null
====================  ===========================================================
ContractedCost        unknown: the kit compares ListCost and BilledCost
ContractedUnitPrice   unknown: as ContractedCost
ConsumedQuantity      the usage is read from PricingQuantity and PricingUnit
ConsumedUnit          as ConsumedQuantity
ListUnitPrice         a difference cannot be told apart as a price or a rule
PricingUnit           the duration is the charge period (one node)
====================  ===========================================================
"""

from __future__ import annotations

import dataclasses
import os
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data._csv import joined, split_header
from pai_model.data.focus_schema import ALIBABA_DEVIATIONS, AlibabaFocusSchema, focus_version
from pai_model.data.focus_scope import SCOPE_COLUMNS, frame_codes, no_pai_message, pai_mask
from pai_model.data.sources import Part, PartReader, expand, read_bytes
from pai_model.data.tables import read_table
from pai_model.errors import FocusDeviationWarning, KeptColumnsWarning, TableError, UsageError

ENGINES = ("pandas", "dask")
#: What the kit does about each deviation (see the module's table).
HANDLING = {
    "ContractedCost": "unknown; the kit compares ListCost and BilledCost",
    "ContractedUnitPrice": "unknown; as ContractedCost",
    "ConsumedQuantity": "usage read from PricingQuantity and PricingUnit",
    "ConsumedUnit": "usage read from PricingQuantity and PricingUnit",
    "ListUnitPrice": "a difference on these rows cannot be told apart as a price or a rule",
    "PricingUnit": "duration taken from the charge period",
}
_REQUIRED_BY_FOCUS = {
    "ContractedCost": None,
    "ContractedUnitPrice": ("Usage", "Purchase"),
    "ConsumedQuantity": ("Usage",),
    "ConsumedUnit": ("Usage",),
    "ListUnitPrice": ("Usage", "Purchase"),
    "PricingUnit": ("Usage", "Purchase"),
}


def read_focus(
    source: str | os.PathLike[str], *, engine: str = "pandas", client: Any = None
) -> Any:
    """Read Alibaba Cloud's FOCUS 1.0 export: FOCUS rows, costs exact, ``x_`` columns kept.

    Parameters
    ----------
    source : path-like or str
        A file (CSV, ``.csv.gz``, ``.zip`` of CSVs, Parquet), a folder of them, a glob,
        or an fsspec URL of any of these (``oss://bucket/bills/`` with ``ossfs``).
    engine : {"pandas", "dask"}, default "pandas"
        ``"dask"`` returns a Dask DataFrame with one partition per part, each read
        exactly as the pandas engine reads it.
    client : distributed.Client, optional
        A Dask client; implies ``engine="dask"``.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The FOCUS columns (decimals as their exact text, times in UTC), then every
        ``x_`` column (missing where a part has none). ``attrs`` (pandas):
        ``source``, ``parts``, ``deviations`` (records of :func:`deviations`:
        ``column``, ``rows``, ``alibaba``, ``handling``) and ``focus_version`` (1.0, 1.1
        or 1.2, told by the columns:
        :func:`~pai_model.data.focus_schema.focus_version`).

    Raises
    ------
    UsageError
        Listing every problem of every part: no file, an unreadable archive, a missing
        FOCUS column, a cell that is not a decimal or a time, a value FOCUS does not
        allow, a rule between columns broken.

    Warns
    -----
    FocusDeviationWarning
        Naming the documented deviations met and what the kit does about them.

    See Also
    --------
    pai_model.bills.usage.map_specs : The catalog's hardware of each row.
    pai_model.data.focus_schema.AlibabaFocusSchema : The rules checked.

    Examples
    --------
    >>> from pai_model import paths
    >>> rows = read_focus(paths.SAMPLE_DIR / "focus_sample.csv")  # doctest: +SKIP
    """
    if engine not in ENGINES:
        raise UsageError([f"engine must be {' or '.join(ENGINES)}; got {engine!r}"], "engine")
    parts = expand(source)
    if engine == "dask" or client is not None:
        import dask.dataframe as dd

        meta = read_part(parts[0]).iloc[:0]
        meta.attrs["source"] = os.fspath(source)
        return dd.from_map(read_part, parts, meta=meta, enforce_metadata=False)
    frames, problems = [], []
    for group in _same_header_groups(parts):
        try:
            frames.append(_read_group(group))
        except TableError as error:
            problems += error.problems
    if problems:
        raise UsageError(problems, os.fspath(source))
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    rows = note_deviations(rows, os.fspath(source), [p.name for p in parts])
    rows.attrs["focus_version"] = focus_version(rows.columns)
    return rows


def note_deviations(rows: pd.DataFrame, source: str, parts: list[str]) -> pd.DataFrame:
    """Put ``source``, ``parts`` and the deviations met in ``rows.attrs``; warn of them."""
    found = deviations(rows)
    # records, not a DataFrame: pandas compares attrs when it combines frames
    rows.attrs.update(source=source, parts=parts, deviations=found.to_dict("records"))
    warn_deviations(found, source, stacklevel=3)
    return rows


def _same_header_groups(parts: list[Part]) -> Iterator[list[tuple[Part, bytes | None]]]:
    """Runs of consecutive CSV parts with one header, each part with its bytes.

    Such a run (the members of one archive, the files of a folder) is read as one table:
    the fixed cost of a read (converting and validating every column) is paid once, not
    once per part. A part that cannot be read is a run of its own, its bytes ``None``.
    """
    run: list[tuple[Part, bytes | None]] = []
    header: bytes | None = None
    with PartReader() as reader:  # an archive is opened once for all its members
        for part in parts:
            try:
                data: bytes | None = reader.read(part)
            except TableError:
                data = None  # read again alone, to report its problem
            split = split_header(data) if data is not None else None
            here = split[0] if split is not None else None
            if run and (here is None or here != header):
                yield run
                run = []
            run.append((part, data))
            header = here
            if here is None:
                yield run
                run = []
    if run:
        yield run


def _read_group(group: list[tuple[Part, bytes | None]]) -> pd.DataFrame:
    """The parts of a run of :func:`_same_header_groups` as one table; problems name each
    part and its own lines."""
    if len(group) == 1:
        part, data = group[0]
        return read_part(part, data)
    splits = [split_header(data) for _, data in group]  # type: ignore[arg-type]
    data, starts = joined(splits[0][0], [s[1] for s in splits])  # type: ignore[index]
    first = group[0][0]
    try:
        frame = read_part(first, data)
    except TableError as error:
        moved = []
        for problem in error.problems:
            if problem.line is None or problem.line < 2:
                moved.append(problem)  # the header, the same in every part
                continue
            index = int(np.searchsorted(starts, problem.line, side="right")) - 1
            part, split = group[index][0], splits[index]
            line = problem.line - int(starts[index]) + 1 + split[2]  # type: ignore[index]
            moved.append(dataclasses.replace(problem, source=part.name, line=line))
        raise UsageError(moved, first.name) from None
    return frame


def read_part(part: Part, data: bytes | None = None) -> pd.DataFrame:
    """One part of a FOCUS export through :func:`~pai_model.data.tables.read_table`.

    ``data`` is the part's bytes when they have been read already (see
    :func:`~pai_model.data.sources.read_parts`).
    """
    import fsspec

    memory = fsspec.filesystem("memory")
    path = f"/pai-cost-usage/{uuid.uuid4().hex}"
    memory.pipe(path, read_bytes(part) if data is None else data)
    try:
        frame = read_focus_table(f"memory://{path}", part.name)
    finally:
        memory.rm(path)
    frame.attrs["source"] = part.name
    return frame


def warn_deviations(
    found: pd.DataFrame, source: str | os.PathLike[str], *, stacklevel: int = 2
) -> None:
    """One :class:`FocusDeviationWarning` naming the deviations ``found``, if any.

    ``stacklevel`` counts from the caller of this function, as :func:`warnings.warn`'s.
    """
    if len(found):
        listed = "; ".join(f"{r.column} {r.alibaba} on {r.rows:,} rows" for r in found.itertuples())
        warnings.warn(
            FocusDeviationWarning(
                f"{os.fspath(source)}: Alibaba's documented FOCUS deviations: {listed}"
                " (what the kit does: see rows.attrs['deviations'])"
            ),
            stacklevel=stacklevel + 1,
        )


def added_deviations(found: list[pd.DataFrame]) -> pd.DataFrame:
    """The :func:`deviations` of several parts of one source, as if of all their rows."""
    if not found:
        return pd.DataFrame(columns=["column", "rows", "alibaba", "handling"])
    table = pd.concat(found, ignore_index=True)
    table = table.groupby(["column", "alibaba", "handling"], sort=False)["rows"].sum()
    table = table.reset_index()[["column", "rows", "alibaba", "handling"]]
    order = {column: i for i, column in enumerate(_REQUIRED_BY_FOCUS)}
    return table.sort_values("column", key=lambda c: c.map(order)).reset_index(drop=True)


def read_focus_table(source: Any, name: str) -> pd.DataFrame:
    """A file or a DataFrame of text cells read with the rules of Alibaba's FOCUS export.

    A table that breaks them and holds no Alibaba Cloud PAI row (another provider's bill,
    another service's) is refused with one plain message saying whose rows it holds,
    not with its column problems.
    """
    with warnings.catch_warnings():
        # Alibaba's x_ columns are expected; columns the kit does not know are warned of
        warnings.filterwarnings("ignore", ".*columns of your own", KeptColumnsWarning)
        try:
            rows = read_table(source, AlibabaFocusSchema, name=name, error=UsageError)
        except TableError:
            message = _no_pai_rows(source, name)
            if message is None:
                raise
            raise UsageError([message], name) from None
    rows.attrs["focus_version"] = focus_version(rows.columns)
    return rows


def _no_pai_rows(source: Any, name: str) -> str | None:
    """The message for a table without an Alibaba Cloud PAI row, else None (it has some,
    or it does not say whose rows it holds). Only the columns that tell are read."""
    import io

    import fsspec

    wanted = set(SCOPE_COLUMNS)
    try:
        if isinstance(source, pd.DataFrame):
            raw = source[[c for c in source.columns if str(c).strip() in wanted]]
        else:
            with fsspec.open(source, "rb") as file:
                data = file.read()
            if data[:4] == b"PAR1":
                import pyarrow.parquet as pq

                names = pq.ParquetFile(io.BytesIO(data)).schema_arrow.names
                raw = pd.read_parquet(io.BytesIO(data), columns=[c for c in names if c in wanted])
            else:
                lines = [line for line in data.splitlines(True) if not line.startswith(b"#")]
                raw = pd.read_csv(
                    io.BytesIO(b"".join(lines)),
                    usecols=lambda c: str(c).strip() in wanted,
                    dtype=str,
                    encoding="utf-8-sig",
                )
        raw.columns = [str(c).strip() for c in raw.columns]
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if "ProviderName" not in raw or not len(raw):
        return None
    pai, others = pai_mask(frame_codes(raw), len(raw))
    return None if pai.any() else no_pai_message(others, name)


def deviations(rows: pd.DataFrame) -> pd.DataFrame:
    """The documented deviations met in ``rows``: column, rows, Alibaba's, the kit's.

    A deviation is met on a row where the column is null and FOCUS requires it (on every
    row, or on Usage and Purchase rows that are not corrections).
    """
    found = []
    category, correction = rows["ChargeCategory"], rows["ChargeClass"].notna()
    for column, categories in _REQUIRED_BY_FOCUS.items():
        needed = pd.Series(True, index=rows.index)
        if categories is not None:
            needed = category.isin(categories) & ~correction
        count = int((needed & rows[column].isna()).sum())
        if count:
            found.append((column, count, ALIBABA_DEVIATIONS[column], HANDLING[column]))
    return pd.DataFrame(found, columns=["column", "rows", "alibaba", "handling"])
