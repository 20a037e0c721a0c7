"""One front door for every table the kit reads: read, convert, validate, report.

:func:`read_table` takes a path, an fsspec URL (``memory://``, ``s3://`` where the
filesystem is installed, ...) or a DataFrame, and a model of :mod:`pai_model.data.schemas`.
Files are CSV or Parquet (told apart by Parquet's magic bytes). CSV is UTF-8 with or
without a byte order mark, ``\\n`` or ``\\r\\n`` line ends; a line whose first character
is ``#`` (outside a quoted field) is a comment, anywhere in the file; a ``#`` inside a
value is data; blank lines are skipped. Cells are stripped of surrounding spaces and an
empty cell is a missing value.

Columns are checked first: a duplicate column, an unknown column (with a "did you
mean"), a missing required column are problems. Columns of your own prefixed ``x_`` are
kept as they are and listed in a :class:`KeptColumnsWarning`. Then each column is
converted to the type its model declares (a cell that cannot be is a problem) and the
model validates the table, ``lazy=True``. Every problem is one
:class:`~pai_model.errors.Problem`, phrased the same way for every table::

    FILE: line N: column = 'value': what is wrong

``N`` is the physical line of the file (the header is line 1 of a file without leading
comments; a quoted field may span lines); row ``i`` of a DataFrame or a Parquet file is
line ``i + 2``, as if it had been written to a CSV file. Physical lines are worked out
only when there is a problem to report, so a clean file of millions of rows costs little
more than pandas' C reader. The problems are found and phrased by
:mod:`pai_model.data.problems`.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data._cells import MESSAGES, check_timezone, convert, stripped_already
from pai_model.data._csv import filled, layout, not_utf8, parse_problem, text_lines, without_lines
from pai_model.data.files import read_input
from pai_model.data.pandera_lean import pa
from pai_model.data.problems import (
    OWN_PREFIX,
    Lines,
    RowCheck,
    check_columns,
    problem_order,
    problems_from_failures,
    row_problems,
    unknown_columns,
)
from pai_model.errors import KeptColumnsWarning, Problem, TableError
from pai_model.formulas.arguments import wrong_type

Source = pd.DataFrame | str | os.PathLike[str]


def read_table(
    source: Source,
    schema: type[pa.DataFrameModel],
    *,
    name: str | None = None,
    error: type[TableError] = TableError,
    checks: Callable[[pd.DataFrame], Iterable[RowCheck]] | None = None,
    timezone: str | None = None,
    argument: str = "source",
) -> pd.DataFrame:
    """Read a table, convert its columns to their types and validate it.

    Parameters
    ----------
    source : pandas.DataFrame, path-like or str
        The table, a CSV or Parquet file, or an fsspec URL of one.
    schema : pandera.DataFrameModel subclass
        The table's model, from :mod:`pai_model.data.schemas`.
    name : str, optional
        What problems call the table. Default: the file, or ``error.kind`` for a
        DataFrame.
    error : type of TableError, default TableError
        The error raised, e.g. :class:`~pai_model.errors.CatalogError`.
    checks : callable, optional
        Checks that need more than the table (e.g. a catalog): called with the converted
        table (a cell that failed is missing), it returns ``(mask, column, message)``
        checks as :func:`~pai_model.data.problems.row_problems` takes; their problems are
        reported with the model's, one per cell (the model's first).
    timezone : str, optional
        The time zone of times written without a UTC offset (an IANA name such as
        ``Asia/Shanghai``). Times are returned in UTC. Without it, naive times are taken
        as UTC when no time of the table has an offset, and a table that mixes times
        with and without offsets is refused (each naive time is a problem). Times must
        lie from :data:`EARLIEST` to before :data:`LATEST`.
    argument : str, default "source"
        The caller's parameter that gave ``source``, named by the TypeError of a
        ``source`` that is no table, path or URL (e.g. ``path_or_df`` for read_catalog).

    Returns
    -------
    pandas.DataFrame
        The model's columns in its order, of its types (an optional column that is absent
        is all missing), then the ``x_`` columns; a fresh RangeIndex. ``attrs["source"]``
        is ``name``, ``attrs["lines"]`` maps row positions to lines (see
        :func:`~pai_model.data.problems.row_problems`).

    Raises
    ------
    TableError
        Of the class ``error``, listing every problem found.
    TypeError
        Naming ``argument``, for a ``source`` that is no DataFrame, str or path-like.

    Warns
    -----
    KeptColumnsWarning
        When the table has ``x_`` columns.

    See Also
    --------
    pai_model.data.problems.row_problems : problems found after the door, phrased the
        same way.

    Examples
    --------
    >>> from pai_model.data.schemas import FleetSchema
    >>> fleet = pd.DataFrame({"region_id": ["cn-beijing"], "hardware": ["gu108"],
    ...                       "quantity": [0], "usage_hours_per_day": [8], "months": [1]})
    >>> read_table(fleet, FleetSchema, name="fleet")
    Traceback (most recent call last):
    ...
    pai_model.errors.TableError: 1 problem in fleet:
      - fleet: line 2: quantity = '0': not a whole number of nodes from 1 to 100,000
    """
    if not isinstance(source, pd.DataFrame | str | os.PathLike):
        raise wrong_type(
            argument,
            f"the {name or error.kind}: a DataFrame, a path or a URL (str or os.PathLike)",
            source,
        )
    if timezone is not None:
        check_timezone(timezone)
    columns = schema.to_schema().columns
    if isinstance(source, pd.DataFrame):
        name = name or error.kind
        header = [str(c).strip() for c in source.columns]
        check_columns(header, schema, name, error)
        raw = source.set_axis(header, axis=1).reset_index(drop=True)
        raw = _normalized(raw, _model_columns(header, columns))
        lines = Lines(None)
    else:
        name = name or os.fspath(source)
        data = _read_bytes(source, name, error)
        if data[:4] == b"PAR1":
            raw = read_parquet_bytes(data, name, error)
            header = [str(c) for c in raw.columns]
            check_columns(header, schema, name, error)
            raw = _normalized(raw.set_axis(header, axis=1), _model_columns(header, columns))
            lines = Lines(None)
        else:
            raw, lines = _read_csv(
                data, schema, name, error, lambda: _read_bytes(source, name, error)
            )
            del data  # the lines of a clean file are never needed: it is not kept for them
    frame, failures = _converted(raw, columns, timezone)
    try:
        # in place: the frame is this call's own, and a copy of millions of rows costs
        # seconds and its size in memory (a model's parser sets whole columns, which
        # copy-on-write keeps from the table given)
        frame = schema.validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as errors:
        failures = pd.concat([failures, errors.failure_cases], ignore_index=True)
    frame.attrs.update(source=name, lines=lines)
    problems = []
    if len(failures):
        unique = tuple(schema.to_schema().unique or ())
        problems = problems_from_failures(failures, raw, lines, name, unique)
    if checks is not None:
        cells = {(p.line, p.column) for p in problems}
        more = row_problems(frame, checks(frame))
        problems += [p for p in more if (p.line, p.column) not in cells]
    if problems:
        raise error(sorted(problems, key=problem_order), name)
    own = [c for c in raw.columns if c.startswith(OWN_PREFIX)]
    if own:
        warnings.warn(
            KeptColumnsWarning(f"{name}: columns of your own kept as they are: {', '.join(own)}"),
            stacklevel=2,
        )
    metadata = getattr(schema.Config, "metadata", None) or {}
    unknown = unknown_columns(list(raw.columns), schema)
    if unknown:  # only where the model keeps unknown columns: else they were a problem
        warnings.warn(
            KeptColumnsWarning(
                f"{name}: {len(unknown)} columns the kit does not know, kept as they are:"
                f" {', '.join(unknown)}"
            ),
            stacklevel=2,
        )
    kept = [c for c in raw.columns if c in metadata.get("kept", ()) or c in unknown]
    own = kept + own
    result = pd.concat([frame[list(columns)], raw[own]], axis=1)
    result.attrs.update(source=name, lines=lines)
    return result


def _read_bytes(source: str | os.PathLike[str], name: str, error: type[TableError]) -> bytes:
    return read_input(source, name=name, error=error)


def read_parquet_bytes(data: bytes, name: str, error: type[TableError]) -> pd.DataFrame:
    """A Parquet file's table; a damaged or truncated file is one problem, never a crash.

    pyarrow and pandas fail on a damaged file in many ways (``ArrowInvalid``, ``OSError``,
    and a ``TypeError`` or ``AttributeError`` from metadata that is not what it claims).
    """
    try:
        return pd.read_parquet(io.BytesIO(data))
    except Exception as failure:
        reason = " ".join(str(failure).split()) or type(failure).__name__
        problem = Problem(name, f"not a readable Parquet file ({reason})")
        raise error([problem], name) from None


def _read_csv(
    data: bytes,
    schema: type[pa.DataFrameModel],
    name: str,
    error: type[TableError],
    reread: Callable[[], bytes],
) -> tuple[pd.DataFrame, Lines]:
    """Parse CSV bytes with pandas' C reader; the lines of records are worked out lazily.

    ``reread`` reads the bytes again when lines are asked for, so that a table does not
    keep its file in memory.
    """
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    found: tuple[np.ndarray, np.ndarray] | None = None
    try:
        if b"#" in data and (data.startswith(b"#", bom) or b"\n#" in data):
            found = layout(data, bom)
            body = without_lines(data, found[1])
        else:
            body = data
        header = next((row for row in csv.reader(text_lines(body)) if filled(row)), None)
    except UnicodeDecodeError:
        raise error([not_utf8(data, name)], name) from None
    if header is None:
        problem = Problem(name, "no header line; give the column names on the first line")
        raise error([problem], name)
    header = [c.strip() for c in header]
    check_columns(header, schema, name, error)
    columns = schema.to_schema().columns
    text = _text_columns(header, columns)
    read = {
        "header": 0,
        "names": header,
        "keep_default_na": False,
        "na_values": [""],
        "encoding": "utf-8-sig",
        # in C; the text columns lose trailing spaces below. A file without a space or a
        # tab has none to skip, and is read faster without asking
        "skipinitialspace": b" " in body or b"\t" in body,
    }
    try:
        # types are inferred (pandas' fastest path: asking for text costs seconds per
        # million rows); a text column that looked like numbers is read again as text
        with warnings.catch_warnings():
            # a first record longer than the header is cut short with only this warning
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(io.BytesIO(body), index_col=False, **read)
        kept = (getattr(schema.Config, "metadata", None) or {}).get("kept", ())
        # the model's text columns, and the columns it keeps unchecked: as their text
        # (an object column too: a 40-digit number is read as a Python int there)
        numeric = [
            c
            for c in [*text, *(c for c in header if c in kept)]
            if raw[c].dtype == object or not pd.api.types.is_string_dtype(raw[c].dtype)
        ]
        # a number column read as floats is read again as text, so that each cell is held
        # to the kit's one decimal rule ("1e3" is not a number); whole numbers read as
        # integers cannot hide an exponent and keep the fast path
        numeric += [
            c
            for c in header
            if c in columns and not _is_text(columns[c]) and raw[c].dtype == np.float64
        ]
        if numeric:
            as_text = pd.read_csv(
                io.BytesIO(body), usecols=numeric, dtype=dict.fromkeys(numeric, "str"), **read
            )
            for column in numeric:
                raw[column] = as_text[column]
    except UnicodeDecodeError:
        raise error([not_utf8(data, name)], name) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as parse_error:
        raise error([parse_problem(data, bom, body, header, name, parse_error)], name) from None
    raw = _normalized(raw, _text_columns(header, schema.to_schema().columns))

    def records() -> np.ndarray:
        return (found or layout(reread(), bom))[0]

    return raw, Lines(records)


def _text_columns(header: list[str], columns: dict[str, pa.Column]) -> list[str]:
    return [c for c in header if c in columns and _is_text(columns[c])]


def _model_columns(header: list[str], columns: dict[str, pa.Column]) -> list[str]:
    return [c for c in header if c in columns]


def _is_text(column: pa.Column) -> bool:
    return str(column.dtype) in ("str", "string", "string[pyarrow]", "string[python]", "object")


def _normalized(raw: pd.DataFrame, text: list[str]) -> pd.DataFrame:
    """Text cells stripped of surrounding spaces; an empty cell is missing."""
    raw = raw.copy(deep=False)
    for column in text:
        values = raw[column]
        if stripped_already(values):
            continue
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            try:
                stripped = values.str.strip()
            except AttributeError:  # objects of no text at all (Decimal, int): cell by cell
                stripped = values.map(lambda v: v.strip() if isinstance(v, str) else None)
            # a cell that is not text (a number in a DataFrame) is kept as it is
            raw[column] = stripped.where(stripped.notna() | values.isna(), values).mask(
                stripped == ""
            )
    return raw


def _converted(
    raw: pd.DataFrame, columns: dict[str, pa.Column], timezone: str | None
) -> tuple[pd.DataFrame, Any]:
    """The model's columns converted to their types, and pandera-shaped failure cases."""
    frame = pd.DataFrame(index=raw.index)
    failures = []
    naive_times = {}
    for column, spec in columns.items():
        if column not in raw.columns:
            frame[column] = pd.Series(index=raw.index, dtype=_empty_dtype(spec))
            continue
        values, failed = convert(raw[column], str(spec.dtype), timezone)
        frame[column] = values
        if failed and failed[-1][1] is None:
            naive_times[column] = failed.pop()[0]
        for mask, message in failed:
            rows = np.flatnonzero(mask)
            if len(rows):
                failures.append(
                    pd.DataFrame(
                        {
                            "column": column,
                            "check": message,
                            "failure_case": raw[column].iloc[rows].to_numpy(),
                            "index": rows,
                        }
                    )
                )
    # a table that mixes times with and without a UTC offset, without a time zone for
    # the naive ones, would compare clocks of different zones: every naive time is refused
    written = [
        c
        for c in naive_times
        if raw[c].dtype == object or pd.api.types.is_string_dtype(raw[c].dtype)
    ]
    has_offset = any((raw[c].notna().to_numpy() & ~naive_times[c]).any() for c in written)
    if timezone is None and has_offset:
        for column in written:
            rows = np.flatnonzero(naive_times[column])
            if len(rows):
                failures.append(
                    pd.DataFrame(
                        {
                            "column": column,
                            "check": MESSAGES["mixed"],
                            "failure_case": raw[column].iloc[rows].to_numpy(),
                            "index": rows,
                        }
                    )
                )
    empty = pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    return frame, pd.concat(failures, ignore_index=True) if failures else empty


def _empty_dtype(spec: pa.Column) -> str:
    dtype = str(spec.dtype)
    if _is_text(spec):
        return "str"
    return "datetime64[ns]" if dtype.startswith("datetime") else dtype
