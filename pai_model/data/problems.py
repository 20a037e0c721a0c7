"""Every problem of a table, phrased one way: of its header, its cells and its rows.

A table's problems are :class:`~pai_model.errors.Problem` records, one line each::

    FILE: line N: column = 'value': what is wrong

The header is checked first (:func:`check_columns`: a duplicate column, an unknown column
with a "did you mean", a missing required column; columns of your own prefixed
:data:`OWN_PREFIX` are never a problem); then pandera's failure cases become problems, one
per cell (:func:`problems_from_failures`), and so do checks made after the door, e.g.
against a catalog (:func:`row_problems`). :class:`Lines` turns row positions into the
lines problems name: physical lines of a CSV file, worked out only when there is a problem
to report. :func:`~pai_model.data.tables.read_table` reads every table through these.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.pandera_lean import pa
from pai_model.data.schemas import BUILTIN_MESSAGES, ROW_CHECK_COLUMNS
from pai_model.errors import Problem, TableError

#: Prefix of the columns of your own that a table may carry.
OWN_PREFIX = "x_"
#: A check of rows made after the door: (mask of bad rows, column quoted, message or a
#: function of the row position giving it).
RowCheck = tuple[np.ndarray, str, str | Callable[[int], str]]


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
    return sorted(found.values(), key=problem_order)


def row_problems(frame: pd.DataFrame, checks: Iterable[RowCheck]) -> list[Problem]:
    """Problems of rows that fail checks made after the door, e.g. against a catalog.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from :func:`~pai_model.data.tables.read_table` (its ``attrs`` name the
        source and the lines).
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
    >>> from pai_model.data.tables import read_table
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
    return sorted(found, key=problem_order)


def problem_order(problem: Problem) -> tuple[int, str, str]:
    """Sort key of problems: the whole table's first, then by line, column and message."""
    return (problem.line or 0, problem.column or "", problem.message)


class Lines:
    """Row positions to line numbers: physical lines of a CSV file, or position + 2.

    A table from :func:`~pai_model.data.tables.read_table` holds one in ``attrs["lines"]``.

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

    def __deepcopy__(self, memo: dict[int, Any]) -> Lines:
        return self  # pandas deep-copies attrs on every operation; the lines never change


def check_columns(
    header: list[str], schema: type[pa.DataFrameModel], name: str, error: type[TableError]
) -> None:
    """Refuse a header with a duplicate, unknown or missing column: every problem at once.

    Raises ``error`` naming the table ``name``; an unknown column is no problem where the
    model keeps unknown columns (``Config.metadata["unknown"]`` is "keep").
    """
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
