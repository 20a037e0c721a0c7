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
more than pandas' C reader.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data._cells import MESSAGES, check_timezone, convert, stripped_already
from pai_model.data._csv import filled, layout, not_utf8, parse_problem, text_lines, without_lines
from pai_model.data.files import read_input
from pai_model.data.pandera_lean import pa
from pai_model.data.schemas import BUILTIN_MESSAGES, ROW_CHECK_COLUMNS
from pai_model.errors import KeptColumnsWarning, Problem, TableError
from pai_model.formulas.arguments import wrong_type

#: Prefix of the columns of your own that a table may carry.
OWN_PREFIX = "x_"
Source = pd.DataFrame | str | os.PathLike[str]
#: A check of rows made after the door: (mask of bad rows, column quoted, message or a
#: function of the row position giving it).
RowCheck = tuple[np.ndarray, str, str | Callable[[int], str]]


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
        checks as :func:`row_problems` takes; their problems are reported with the
        model's, one per cell (the model's first).
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
        :func:`row_problems`).

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
    row_problems : problems found after the door, phrased the same way.

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
        _check_columns(header, schema, name, error)
        raw = source.set_axis(header, axis=1).reset_index(drop=True)
        raw = _normalized(raw, _model_columns(header, columns))
        lines = _Lines(None)
    else:
        name = name or os.fspath(source)
        data = _read_bytes(source, name, error)
        if data[:4] == b"PAR1":
            raw = read_parquet_bytes(data, name, error)
            header = [str(c) for c in raw.columns]
            _check_columns(header, schema, name, error)
            raw = _normalized(raw.set_axis(header, axis=1), _model_columns(header, columns))
            lines = _Lines(None)
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
        raise error(sorted(problems, key=_order), name)
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


def problems_from_failures(
    failures: pd.DataFrame,
    raw: pd.DataFrame,
    lines: Callable[[np.ndarray], np.ndarray],
    name: str,
    unique: tuple[str, ...] = (),
) -> list[Problem]:
    """Turn pandera failure cases into :class:`~pai_model.errors.Problem` records.

    Parameters
    ----------
    failures : pandas.DataFrame
        pandera's ``failure_cases`` (columns ``column``, ``check``, ``failure_case``,
        ``index``), a check's error text in ``check``.
    raw : pandas.DataFrame
        The table as read, whose cells are quoted.
    lines : callable
        Row positions to line numbers.
    name : str
        The table's name, first on every problem.
    unique : tuple of str
        The columns that are unique together (the schema's ``Config.unique``).

    Returns
    -------
    list of Problem
        One per cell (the first failure of a cell: a cell that could not be converted
        fails no other check), sorted by line, then column.
    """
    failures = failures[["column", "check", "failure_case", "index"]]
    kept = failures["check"].map(ROW_CHECK_COLUMNS).fillna(failures["column"])
    failures = failures[(kept == failures["column"]) | failures["index"].isna()]
    table_wide = failures[failures["index"].isna()]
    found = {
        (0, str(f.column), str(f.check)): Problem(
            name, f"check could not run ({f.failure_case})", column=str(f.column)
        )
        for f in table_wide.itertuples(index=False)
    }
    per_row = failures[failures["index"].notna()]
    if len(per_row):
        rows = per_row["index"].to_numpy(np.int64)
        numbers = lines(rows)
        uniqueness = per_row["check"] == "multiple_fields_uniqueness"
        twins = _twin_lines(raw, unique, rows[uniqueness.to_numpy()], lines) if unique else {}
        cells: set[tuple[int, str]] = set()
        for row, line, column, check in zip(
            rows, numbers, per_row["column"], per_row["check"], strict=True
        ):
            if check == "multiple_fields_uniqueness":
                if column != unique[-1]:
                    continue
                message = (
                    f"duplicate ({', '.join(unique)}): each combination may appear once"
                    f" (also on line {twins[row]})"
                )
            else:
                message = BUILTIN_MESSAGES.get(check, check)
            if (line, column) in cells:
                continue  # one problem per cell: a cell that cannot be read fails no check
            cells.add((line, column))
            value = _cell_text(raw[column].iat[row]) if column in raw.columns else ""
            found[(int(line), column, message)] = Problem(
                name, message, line=int(line), column=column, value=value
            )
    return sorted(found.values(), key=_order)


def row_problems(frame: pd.DataFrame, checks: Iterable[RowCheck]) -> list[Problem]:
    """Problems of rows that fail checks made after the door, e.g. against a catalog.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from :func:`read_table` (its ``attrs`` name the source and the lines).
    checks : iterable of (mask, column, message)
        ``mask`` is True for each bad row; ``column`` is the column quoted; ``message``
        is the text, or a function of the row position giving it.

    Returns
    -------
    list of Problem
        Sorted by line, then column.

    Examples
    --------
    >>> from pai_model.data.schemas import FleetSchema
    >>> fleet = read_table(pd.DataFrame({"region_id": ["cn-beijing", "mars-1"],
    ...     "hardware": "gu108", "quantity": 1, "usage_hours_per_day": 8, "months": 1}),
    ...     FleetSchema, name="fleet")
    >>> [str(p) for p in row_problems(fleet, [(fleet["region_id"] == "mars-1", "region_id",
    ...                                        "not in the catalog")])]
    ["fleet: line 3: region_id = 'mars-1': not in the catalog"]
    """
    name, lines = frame.attrs["source"], frame.attrs["lines"]
    found = []
    for mask, column, message in checks:
        rows = np.flatnonzero(mask)
        for row, line in zip(rows, lines(rows), strict=True):
            text = message(int(row)) if callable(message) else message
            value = _cell_text(frame[column].iat[row])
            found.append(Problem(name, text, line=int(line), column=column, value=value))
    return sorted(found, key=_order)


def _order(problem: Problem) -> tuple[int, str, str]:
    """Problems of the whole table first, then by line, column and message."""
    return (problem.line or 0, problem.column or "", problem.message)


class _Lines:
    """Row positions to line numbers: physical lines of a CSV file, or position + 2.

    ``records`` gives the physical line of the header and of each record in order; it is
    called (once) only when a line is asked for.
    """

    def __init__(self, records: Callable[[], np.ndarray] | None) -> None:
        self._records = records
        self._lines: np.ndarray | None = None

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if self._records is None or rows.size == 0:  # no line asked: no scan of the file
            return rows + 2
        if self._lines is None:
            self._lines = self._records()[1:]
        return self._lines[rows]

    def __deepcopy__(self, memo: dict[int, Any]) -> _Lines:
        return self  # pandas deep-copies attrs on every operation; the lines never change


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
) -> tuple[pd.DataFrame, _Lines]:
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
    _check_columns(header, schema, name, error)
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

    return raw, _Lines(records)


def _check_columns(
    header: list[str], schema: type[pa.DataFrameModel], name: str, error: type[TableError]
) -> None:
    columns = schema.to_schema().columns
    metadata = getattr(schema.Config, "metadata", None) or {}
    problems = [
        Problem(name, f"duplicate column {c!r}; give each column once")
        for c, n in Counter(header).items()
        if n > 1
    ]
    unknown = unknown_columns(header, schema)
    if unknown and metadata.get("unknown") != "keep":
        problems.append(Problem(name, _unknown_message(unknown, list(columns))))
    problems += [
        Problem(name, f"missing required column {c!r}")
        for c, column in columns.items()
        if column.required and c not in header
    ]
    problems += [
        Problem(name, f"missing column: give {' or '.join(group)}")
        for group in metadata.get("one_of", ())
        if not set(group) & set(header)
    ]
    if problems:
        raise error(problems, name)


def unknown_columns(header: list[str], schema: type[pa.DataFrameModel]) -> list[str]:
    """The columns of ``header`` that ``schema`` neither has nor keeps, nor prefixed ``x_``.

    A model keeps columns it does not check when its ``Config.metadata`` names them in
    ``kept`` (the FOCUS columns of later versions, for example).
    """
    columns = schema.to_schema().columns
    kept = (getattr(schema.Config, "metadata", None) or {}).get("kept", ())
    return [
        c
        for c in dict.fromkeys(header)
        if c not in columns and c not in kept and not c.startswith(OWN_PREFIX)
    ]


def _unknown_message(unknown: list[str], known: list[str]) -> str:
    """One problem naming every unknown column once, each with its "did you mean"."""

    def hinted(column: str, single: bool) -> str:
        close = difflib.get_close_matches(column, known, n=1)
        if not close:
            return repr(column)
        return (
            f"{column!r}; did you mean {close[0]!r}?"
            if single
            else (f"{column!r} (did you mean {close[0]!r}?)")
        )

    if len(unknown) == 1:
        return (
            f"unknown column {hinted(unknown[0], True)} (known: {', '.join(known)}; name a"
            f" column of your own {OWN_PREFIX}... to keep it)"
        )
    return (
        f"{len(unknown)} unknown columns: {', '.join(hinted(c, False) for c in unknown)}"
        f" (known: {', '.join(known)}; name columns of your own {OWN_PREFIX}... to keep them)"
    )


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


def _twin_lines(
    raw: pd.DataFrame,
    unique: tuple[str, ...],
    rows: np.ndarray,
    lines: Callable[[np.ndarray], np.ndarray],
) -> dict[int, str]:
    """For each duplicated row, the other lines with the same values of ``unique``."""
    keys = raw[list(unique)].astype("str").fillna("").agg("\x1f".join, axis=1)
    groups = keys[keys.isin(set(keys.iloc[rows]))].groupby(keys).indices
    twins = {}
    for row in rows:
        same = groups[keys.iat[row]]
        twins[int(row)] = ", ".join(str(n) for n in lines(same[same != row]))
    return twins


def _cell_text(value: Any) -> str:
    """A cell as the text it was written as: '' if missing, 121 for a number read as 121.0."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
