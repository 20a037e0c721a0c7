"""Columns of decimal text, read and written exactly: the column side of the one decimal rule.

The kit's notion of decimal text is one rule, :data:`~pai_model.formulas.arguments.DECIMAL`
(digits with an optional decimal point and minus sign), read for one value by
:func:`~pai_model.formulas.arguments.to_decimal`; here it is applied to whole columns:
:func:`is_decimal_text` (which cells follow it), :func:`text_units` (exact integer units:
catalog prices, bill amounts) and :func:`text_floats` (the nearest doubles).

Bills carry amounts as decimal text (``"32.85"``) in FOCUS's form, the rule with an
optional exponent. Arrow's cast to a 128-bit decimal reads them exactly but costs a
hundred nanoseconds a value; compiled loops read the common form,
``-?digits(.digits)?`` of at most 18 digits, from the offsets and bytes of an Arrow
string array in one pass. Any other text (an exponent, a ``+``, too many digits) is
flagged and read with Arrow, so the results are Arrow's on every value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.errors import UsageError
from pai_model.formulas.arguments import DECIMAL


def text_buffers(text: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The offsets, bytes and validity of an Arrow string array, as numpy views for the
    compiled readers (validity is empty when no value is missing); None for another type."""
    import pyarrow as pa

    if pa.types.is_string(text.type):
        wide = np.int32
    elif pa.types.is_large_string(text.type):
        wide = np.int64
    else:
        return None
    size = len(text)
    _, offsets, data = text.buffers()
    offsets = np.frombuffer(offsets, dtype=wide)[text.offset : text.offset + size + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    valid = text.is_valid().to_numpy(zero_copy_only=False) if text.null_count else np.zeros(0, bool)
    return offsets, data, valid


def units_text(units: np.ndarray, decimals: int) -> np.ndarray:
    """Integers of ``10**-decimals`` as plain decimal text, trailing zeros trimmed.

    >>> units_text(np.array([3285, -5, 4500, 0]), 2).tolist()
    ['32.85', '-0.05', '45', '0']
    """
    units = np.asarray(units, dtype=np.int64)
    scale = 10**decimals
    whole, part = np.divmod(np.abs(units), scale)
    sign = np.where(units < 0, "-", "")
    digits = np.char.zfill(part.astype(str), decimals)
    fraction = np.char.rstrip(digits, "0")
    dot = np.where(fraction == "", "", ".")
    return np.char.add(np.char.add(np.char.add(sign, whole.astype(str)), dot), fraction)


#: Most decimal places a text amount may have (Arrow's 128-bit decimals of 12 places).
MOST_PLACES = 12


def is_decimal_text(values: pd.Series) -> pd.Series:
    """True where a cell is decimal text by the one rule (spaces around it allowed; False
    where missing).

    >>> is_decimal_text(pd.Series(["23932.70", " -0.5", "1e3", "0,73", None])).tolist()
    [True, True, False, False, False]
    """
    text = values.astype("str").where(values.notna()).str.strip()
    return text.str.fullmatch(DECIMAL).fillna(False).astype(bool)


def text_units(
    values: pd.Series | Any, decimals: int, most_places: int = MOST_PLACES, *, compiled: bool = True
) -> np.ndarray:
    """Decimal text as exact integers of ``10**-decimals``, ties away from zero (null: 0).

    ``values`` is a Series or an Arrow array of text (dictionary-encoded or not). The
    common form (``-?digits(.digits)?``) is read by a compiled loop from Arrow's buffers;
    any other (``1e3``, ``+5``, ``.5``) by Arrow's cast to a 128-bit decimal, which
    refuses text that is not a decimal or has more than ``most_places`` places. Both
    give the same integers. ``compiled=False`` reads every value with Arrow (for a few
    values, such as a catalog's prices: no compiled loop is loaded).

    Returns
    -------
    ndarray
        int64; object (Python ints) when a value is beyond int64, so nothing wraps.

    Raises
    ------
    UsageError
        For text that is not a decimal number, or has more than ``most_places`` places.

    Examples
    --------
    >>> text_units(pd.Series(["32.85", "-0.0000005", "1e3", None]), 6).tolist()
    [32850000, -1, 1000000000, 0]
    >>> text_units(pd.Series(["9300000000000"]), 6).tolist()  # past int64 in micro-units
    [9300000000000000000]
    """
    text, indices = _text(values)
    if not compiled:
        return _taken(_arrow_units(text, decimals, most_places), indices, 0)
    from pai_model.data._decimal_loops import OTHER, to_units

    mantissa, places, status = _parsed(text)
    out = np.empty(len(text), dtype=np.int64)
    to_units(mantissa, places, status, decimals, most_places, out)
    other = status == OTHER
    if other.any():
        found = _arrow_units(text.filter(other), decimals, most_places)
        if found.dtype == object:
            out = out.astype(object)
        out[other] = found
    return _taken(out, indices, 0)


def text_floats(values: pd.Series | Any) -> np.ndarray:
    """Decimal text as the nearest float64 (NaN where missing), as Arrow's cast reads it.

    >>> text_floats(pd.Series(["0.73", "-2", "1e3", None])).tolist()
    [0.73, -2.0, 1000.0, nan]
    """
    import pyarrow as pa

    from pai_model.data._decimal_loops import OTHER, to_float

    text, indices = _text(values)
    mantissa, places, status = _parsed(text)
    out = np.empty(len(text), dtype=np.float64)
    to_float(mantissa, places, status, out)
    other = status == OTHER
    if other.any():
        out[other] = text.filter(other).cast(pa.float64()).to_numpy(zero_copy_only=False)
    return _taken(out, indices, np.nan)


def _arrow_units(text: Any, decimals: int, most_places: int) -> np.ndarray:
    """Arrow's exact reading of the values the loops leave; Python ints beyond int64."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Arrow's cast to decimal128 wraps around, silently, for some values of more than 38
    # digits at these places (a 40-digit amount read as a negative one): those, and any
    # exponent, are read by Python's decimal instead, exactly and of any size
    long = pc.greater(pc.utf8_length(text), 38 - most_places)
    exponent = pc.match_substring_regex(text, "[eE]")
    risky = np.asarray(pc.or_(long, exponent).fill_null(False).to_numpy(zero_copy_only=False))
    if risky.any():
        out = np.zeros(len(text), dtype=object)
        out[risky] = _decimal_units(text.filter(pa.array(risky)).to_pylist(), decimals, most_places)
        if not risky.all():
            safe = text.filter(pa.array(~risky))
            out[~risky] = _arrow_units(safe, decimals, most_places)
        return out
    try:
        parsed = text.cast(pa.decimal128(38, most_places))
    except pa.ArrowInvalid as failure:
        raise UsageError([f"an amount cannot be read exactly ({failure})"], "amounts") from None
    rounded = pc.round(parsed, decimals, round_mode="half_towards_infinity")
    scaled = rounded.cast(pa.decimal128(38, decimals))
    words = np.frombuffer(scaled.buffers()[1], dtype=np.int64)
    words = words[2 * scaled.offset : 2 * (scaled.offset + len(scaled))]
    low, high = words[::2].copy(), words[1::2]
    missing = np.asarray(text.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    low[missing] = 0
    # a 128-bit value fits int64 when its high word only extends the low word's sign
    beyond = (high != (low >> 63)) & ~missing
    if not beyond.any():
        return low
    out = low.astype(object)
    for position in np.flatnonzero(beyond):
        out[position] = int(scaled[int(position)].as_py().scaleb(decimals))
    return out


def _decimal_units(values: list[str | None], decimals: int, most_places: int) -> np.ndarray:
    """Exact minor units of decimal text of any size (Python ints), rounded half up.

    >>> _decimal_units(["123456789012345678901234567890123456789.125", None, "1e3"], 2, 9).tolist()
    [12345678901234567890123456789012345678913, 0, 100000]
    """
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

    out = np.zeros(len(values), dtype=object)
    with localcontext() as context:
        context.prec = max(28, *(len(v) + decimals + 2 for v in values if v))
        for position, value in enumerate(values):
            if value is None:
                continue
            try:
                given = Decimal(value.strip())
                number = given.scaleb(decimals)
            except InvalidOperation:
                message = f"an amount is not decimal text: {value!r}"
                raise UsageError([message], "amounts") from None
            if not number.is_finite():
                raise UsageError([f"an amount is not finite: {value!r}"], "amounts")
            if given.normalize().as_tuple().exponent < -most_places:  # type: ignore[operator]
                message = f"an amount has more than {most_places} decimal places: {value!r}"
                raise UsageError([message], "amounts")
            out[position] = int(number.to_integral_value(rounding=ROUND_HALF_UP))
    return out


def _text(values: Any) -> tuple[Any, np.ndarray | None]:
    """One Arrow string array of ``values`` and, if they were dictionary-encoded, the codes.

    The codes of missing values point one past the dictionary.
    """
    import pyarrow as pa

    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(values, type=pa.string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        codes = values.indices.fill_null(len(values.dictionary))
        return _text(values.dictionary)[0], codes.to_numpy(zero_copy_only=False)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.string())
    return values, None


def _parsed(text: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The compiled reading of an Arrow string array: mantissas, places and statuses."""
    from pai_model.data._decimal_loops import parse

    size = len(text)
    offsets, data, valid = text_buffers(text)
    mantissa = np.empty(size, dtype=np.int64)
    places = np.empty(size, dtype=np.int64)
    status = np.empty(size, dtype=np.uint8)
    if size:
        parse(offsets, data, valid, mantissa, places, status)
    return mantissa, places, status


def _taken(out: np.ndarray, codes: np.ndarray | None, missing: float) -> np.ndarray:
    if codes is None:
        return out
    return np.append(out, np.array(missing, dtype=out.dtype))[codes]
