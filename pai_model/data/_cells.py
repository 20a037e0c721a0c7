"""Cells of a table as their types: numbers, booleans and times (in UTC, in range).

Private to :mod:`pai_model.data.tables`, which reads a table and calls :func:`convert` per
column; a failed cell comes back in a mask with the message that names what is wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.decimals import is_decimal_text
from pai_model.errors import InputError

_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")
#: The times a table may hold: usage and prices of this century and the next.
EARLIEST = pd.Timestamp("1970-01-01")
LATEST = pd.Timestamp("2200-01-01")
#: A UTC offset at the end of an ISO 8601 time: Z, +08:00, -0500.
_UTC_OFFSET = r"(?:[Zz]|[+-]\d{2}:?\d{2})$"
_EARLIEST_US, _LATEST_US = (t.value // 1000 for t in (EARLIEST, LATEST))  # [us]
_NAT = np.iinfo(np.int64).min
MESSAGES = {
    "number": "not a number",
    "time": "not a time (ISO 8601, e.g. 2026-01-01T09:30 or 2026-01-01T09:30+08:00)",
    "time_range": f"outside the times the kit handles ({EARLIEST:%Y-%m-%d} to before"
    f" {LATEST:%Y-%m-%d})",
    "mixed": "a time without a UTC offset in a table whose other times have one; give"
    " every time an offset, or name the time zone of the others (--timezone)",
    "boolean": "not a boolean (use true or false)",
    "fold": "happens twice in {zone} (the clocks go back at the end of summer time), so it"
    " has two readings; give its UTC offset to say which one is meant",
    "gap": "does not exist in {zone} (the clocks skip it at the start of summer time);"
    " give its UTC offset, or the time as the clocks showed it",
}


def convert(
    values: pd.Series, dtype: str, timezone: str | None
) -> tuple[pd.Series, list[tuple[np.ndarray, str]]]:
    """``values`` as ``dtype``, and masks of the cells that fail, each with its message.

    Times come back with one more list entry, ``(mask, None)``: the cells written
    without a UTC offset (see :func:`_converted`, which refuses a table mixing them)."""
    if dtype.startswith("float") or dtype.startswith("int"):
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            if values.dtype.kind == "f" and values.dtype.itemsize < 8:
                # a float32 holds 0.1 as 0.100000001490116...: the number typed is the
                # shortest decimal of its own precision, as a scalar float32 is read
                # (formulas.arguments.to_decimal), not the wider float64 it widens to
                own = np.float16 if values.dtype.itemsize == 2 else np.float32
                held = values.to_numpy(dtype=own, na_value=np.nan)
                shortest = [np.format_float_positional(v) for v in held]
                numbers = pd.to_numeric(pd.Series(shortest), errors="coerce").to_numpy(np.float64)
            else:
                numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
            return pd.Series(numbers, index=values.index), []
        # text cells follow the one decimal rule ("1e3", "inf", "NaN", "4_5" are not
        # numbers); numbers held in an object column are taken as they are
        if values.dtype == object:
            text = np.array([isinstance(v, str) for v in values], dtype=bool)
            # True is not 1 node: a boolean among numbers is refused, not counted
            flags = np.array([isinstance(v, (bool, np.bool_)) for v in values], dtype=bool)
        else:
            text = np.ones(len(values), dtype=bool)
            flags = np.zeros(len(values), dtype=bool)
        plain = (~text & ~flags) | is_decimal_text(values).to_numpy()
        numbers = pd.to_numeric(values.where(plain), errors="coerce").astype(np.float64)
        return numbers, [((values.notna() & numbers.isna()).to_numpy(), MESSAGES["number"])]
    if dtype.startswith("datetime"):
        return _times(values, timezone)
    if dtype == "boolean":
        if pd.api.types.is_bool_dtype(values.dtype):
            return values.astype("boolean"), []
        text = values.astype("str").str.lower()
        flags = pd.Series(pd.NA, index=values.index, dtype="boolean")
        flags[text.isin(_TRUE).to_numpy()] = True
        flags[text.isin(_FALSE).to_numpy()] = False
        return flags, [((values.notna() & flags.isna()).to_numpy(), MESSAGES["boolean"])]
    return values.astype("str"), []


def _times(
    values: pd.Series, timezone: str | None
) -> tuple[pd.Series, list[tuple[np.ndarray, str]]]:
    """Times as naive UTC datetime64[ns], the cells that are not times in range, and
    (last, with no message) the cells written without a UTC offset."""
    failed: list[tuple[np.ndarray, Any]] = []
    skipped: list[tuple[np.ndarray, Any]] = []  # times of the fold and the gap
    naive = np.zeros(len(values), dtype=bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        times = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        times = values if timezone is None else _to_utc(values, timezone, skipped)
        failed += skipped
    else:
        times = _iso_without_offsets(values)
        if times is not None:  # every time naive: in UTC, or in the time zone given
            naive = values.notna().to_numpy()
            if timezone is not None:
                times = _to_utc(times, timezone, skipped)
        else:
            text = values.astype("str").where(values.notna())
            offset = text.str.contains(_UTC_OFFSET, na=False).to_numpy()
            naive = text.notna().to_numpy() & ~offset
            aware = pd.to_datetime(
                text.where(offset), errors="coerce", format="ISO8601", utc=True
            ).dt.tz_localize(None)
            local = pd.to_datetime(text.where(naive), errors="coerce", format="ISO8601")
            if timezone is not None:
                local = _to_utc(local, timezone, skipped)
            times = aware.where(offset, local)
        bad = (values.notna() & times.isna()).to_numpy().copy()
        for mask, _ in skipped:
            bad &= ~mask
        failed += [*skipped, (bad, MESSAGES["time"])]
    if times.dtype == "datetime64[ns]":  # as below, in int64 without a copy per step
        ns = times.to_numpy().view(np.int64)
        present = ns != _NAT
        micro = ns // 1000  # floored, as a cast to microseconds is
        outside = present & ((micro < _EARLIEST_US) | (micro >= _LATEST_US))
        kept = micro  # in place: each array of millions of times made once
        kept *= 1000
        kept[~present | outside] = _NAT
        kept = kept.view("datetime64[ns]")
        failed.append((outside, MESSAGES["time_range"]))
        return pd.Series(kept, index=times.index, name=times.name), [*failed, (naive, None)]
    times = times.astype("datetime64[us]")
    outside = (times.notna() & ((times < EARLIEST) | (times >= LATEST))).to_numpy()
    failed.append((outside, MESSAGES["time_range"]))
    # nanoseconds for the planner; the cells outside the range are left out
    return times.where(~outside).astype("datetime64[ns]"), [*failed, (naive, None)]


def stripped_already(values: pd.Series) -> bool:
    """Whether no cell of an Arrow-backed text column changes when stripped or is empty.

    True when every present cell starts and ends with printable ASCII other than a space
    (``!`` to ``~``: no definition of whitespace includes them), read from the Arrow
    buffers without making a string: millions of clean cells cost milliseconds, where
    stripping them makes every string anew. False says nothing: strip to know.
    """
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return False
    import pyarrow as pa

    array = pa.array(values)
    for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
        if chunk.type not in (pa.string(), pa.large_string()):
            return False
        _, offsets, data = chunk.buffers()
        width = np.int64 if chunk.type == pa.large_string() else np.int32
        bounds = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        starts, ends = bounds[:-1], bounds[1:]
        if chunk.null_count:
            present = chunk.is_valid().to_numpy(zero_copy_only=False)
            starts, ends = starts[present], ends[present]
        if np.any(ends <= starts):
            return False  # an empty cell
        if len(starts):
            text = np.frombuffer(data, dtype=np.uint8)
            for edge in (text[starts], text[ends - 1]):
                if np.any((edge < 0x21) | (edge > 0x7E)):
                    return False
    return True


def check_timezone(timezone: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "timezone",
            f"unknown time zone {timezone!r}; give an IANA name such as Asia/Shanghai or UTC",
        ) from None


def _iso_without_offsets(values: pd.Series) -> pd.Series | None:
    """Arrow's parse of ISO times (4x faster than pandas'), or None when any cell is not
    a plain ISO time without a UTC offset (Arrow refuses offsets for a naive type)."""
    if not pd.api.types.is_string_dtype(values.dtype):
        return None
    import pyarrow as pa

    read = _read_common_iso(pa.array(values, from_pandas=True))
    if read is not None:
        return pd.Series(read.view("datetime64[ns]"), index=values.index)
    try:
        parsed = pa.array(values).cast(pa.timestamp("ns"))
    except pa.ArrowException:
        return None
    return pd.Series(parsed.to_numpy(), index=values.index)


def _read_common_iso(text: Any) -> np.ndarray | None:
    """Nanoseconds of a column of ISO times all in the common form (NaT where missing),
    read by :func:`pai_model.data._isotimes.parse` chunk by chunk; None when any value has
    another form."""
    import pyarrow as pa

    from pai_model.data._isotimes import OTHER, parse
    from pai_model.data.decimals import text_buffers

    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    out = np.empty(len(text), dtype=np.int64)
    done = 0
    for chunk in chunks:
        buffers = text_buffers(chunk)
        if buffers is None:
            return None
        size = len(chunk)
        if size == 0:
            continue
        status = np.empty(size, dtype=np.uint8)
        parse(*buffers, out[done : done + size], status)
        if (status == OTHER).any():
            return None
        done += size
    return out


def _to_utc(times: pd.Series, timezone: str, skipped: list[tuple[np.ndarray, Any]]) -> pd.Series:
    """Naive local times of ``timezone`` as naive UTC times.

    A time the clocks pass twice (the autumn fold) or skip (the spring gap) has no one
    reading: it is missing here, and its cell is added to ``skipped`` with a message
    saying which, so that it is refused in those words, never guessed.
    """
    from zoneinfo import ZoneInfo

    local = times.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    lost = np.flatnonzero((times.notna() & local.isna()).to_numpy())
    if len(lost):
        zone = ZoneInfo(timezone)
        twice = np.zeros(len(times), dtype=bool)
        never = np.zeros(len(times), dtype=bool)
        for position in lost:
            wall = pd.Timestamp(times.iat[position]).to_pydatetime()
            first, second = (wall.replace(tzinfo=zone, fold=f) for f in (0, 1))
            if first.utcoffset() != second.utcoffset():
                round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(zone)
                if round_trip.replace(tzinfo=None) == wall:
                    twice[position] = True
                else:
                    never[position] = True
            else:
                never[position] = True
        skipped.append((twice, MESSAGES["fold"].format(zone=timezone)))
        skipped.append((never, MESSAGES["gap"].format(zone=timezone)))
    return local.dt.tz_convert("UTC").dt.tz_localize(None)
