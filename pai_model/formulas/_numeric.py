"""Numeric inputs in, the same kind out (scalar, ndarray or Series), and exact decimals.

Private helpers shared by the formula modules. A "numeric" argument is a Python or
numpy scalar, a ``decimal.Decimal``, a list, an ndarray or a pandas Series; the result of
a formula is a scalar when every argument was a scalar, a Series carrying the index of
the first Series argument when any was a Series, and an ndarray otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from pai_model.errors import InputError
from pai_model.formulas.arguments import checked, precision_message, to_decimal

#: One number: a Python or numpy scalar, a ``Decimal``, or its text ("0.73").
Scalar: TypeAlias = float | Decimal | str | np.generic
#: Numbers in a list, a tuple or an ndarray (a Series is not one: Series in, Series out).
ArrayLike: TypeAlias = list[Any] | tuple[Any, ...] | np.ndarray
#: Any argument a formula takes.
Numeric: TypeAlias = Scalar | ArrayLike | pd.Series


class Kind:
    """Remembers how the arguments came in, to give the result back in the same form."""

    def __init__(self, *values: Any) -> None:
        self.scalar = all(np.ndim(v) == 0 and not isinstance(v, pd.Series) for v in values)
        series = [v for v in values if isinstance(v, pd.Series)]
        self.index = series[0].index if series else None
        # Series are combined element by element in the order of their rows; rows that
        # share a position but not a label would be mixed up, so the indexes must agree
        for other in series[1:]:
            if not other.index.equals(self.index):
                raise InputError(
                    "arguments",
                    "Series arguments have different indexes (the same labels in another"
                    " order, or other labels); align them first, e.g."
                    " second.reindex(first.index)",
                )

    def wrap(self, result: np.ndarray, name: str | None = None) -> Any:
        if self.scalar:
            return result.item() if np.ndim(result) == 0 else result.reshape(()).item()
        if self.index is not None:
            if result.ndim != 1 or len(result) != len(self.index):
                raise InputError(
                    "arguments",
                    f"Series arguments must broadcast to the Series length {len(self.index)};"
                    f" got shape {result.shape}",
                )
            return pd.Series(result, index=self.index, name=name)
        return result


def as_array(value: Any, argument: str) -> np.ndarray:
    """Return ``value`` as an ndarray without copying numeric data when possible.

    Booleans are refused, also inside a list (numpy would read ``True`` as 1). float16
    and float32 values are read as the decimal they print as (``np.float32(0.73)`` is
    0.73, not the binary 0.7300000190734863); longdouble values are read as float64.

    >>> as_array([0.73, True], "unit_price")
    Traceback (most recent call last):
    ...
    pai_model.errors.InputError: unit_price: expected numbers, got a boolean (True) at position 1
    >>> as_array(np.array([0.73], dtype=np.float32), "unit_price")
    array(['0.73'], dtype=object)
    """
    if isinstance(value, pd.Series):
        value = value.to_numpy()
    if isinstance(value, (list, tuple)):
        flat = np.asarray(value, dtype=object).ravel()
        for position, item in enumerate(flat):
            if isinstance(item, (bool, np.bool_)):
                raise InputError(
                    argument, f"expected numbers, got a boolean ({item!r}) at position {position}"
                )
    array = np.asarray(value)
    if array.dtype == bool:
        raise InputError(argument, "expected numbers, got booleans")
    if array.dtype.kind in "iu" or array.dtype in (np.float64,):
        return array
    if array.dtype.kind == "f":
        if array.dtype.itemsize > 8:  # longdouble: numba has no such type
            return array.astype(np.float64)
        return np.array([str(v) for v in array.ravel()], dtype=object).reshape(array.shape)
    if array.dtype.kind == "O" or array.dtype.kind in "US":
        return array.astype(object)
    raise InputError(argument, f"expected numbers, got values of type {array.dtype}")


def _first_bad(mask: np.ndarray, values: np.ndarray) -> str:
    position = int(np.flatnonzero(mask.ravel())[0])
    count = int(np.count_nonzero(mask))
    value = values.ravel()[position]
    value = value.item() if hasattr(value, "item") else value
    where = "" if values.ndim == 0 else f" at position {position}"
    more = f" ({count - 1} more)" if count > 1 else ""
    return f"{value!r}{where}{more}"


def check_finite_range(
    values: np.ndarray, argument: str, upper: float | None, *, positive: bool = False
) -> None:
    """Raise :class:`InputError` unless all values are finite, >= 0 (or > 0) and <= upper."""
    low_ok = values > 0 if positive else values >= 0
    bad = ~low_ok  # NaN compares False, so it is caught here too
    if upper is not None:
        bad |= values > upper
    if bad.any():
        floor = "greater than 0" if positive else "finite and not negative"
        bound = f" and at most {upper:,}" if upper is not None else ""
        raise InputError(argument, f"must be {floor}{bound}; got {_first_bad(bad, values)}")


def exact_floats(values: np.ndarray, argument: str, decimals: int, upper: float) -> np.ndarray:
    """Decimal, string and mixed inputs as float64, refusing more than ``decimals`` places.

    The float64 nearest to a number with at most 6 decimal places identifies it
    uniquely, so the billing engine reads it back exactly.
    """
    flat = values.ravel()
    out = np.empty(flat.shape, dtype=np.float64)
    for i, item in enumerate(flat):
        where = f" at position {i}" if values.ndim else ""
        number = checked(to_decimal(item, argument), item, argument, decimals, upper, where)
        out[i] = float(number)
    return out.reshape(values.shape)


def broadcast_shape(arrays: list[np.ndarray]) -> tuple[int, ...]:
    """The shape the arguments broadcast to, or :class:`InputError` naming their shapes."""
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InputError(
            "arguments",
            f"shapes {', '.join(str(a.shape) for a in arrays)} do not broadcast together",
        ) from None


def to_units(values: np.ndarray, argument: str, decimals: int, upper: float) -> np.ndarray:
    """Exact integer count of ``10**-decimals`` units in each value, as int64.

    A float is read as the decimal it is the nearest double of (``0.73`` is 0.73); a
    value with more than ``decimals`` decimal places raises :class:`InputError`, as do
    non-finite, negative and out-of-bound values. For small arrays: the billing engine
    has its own compiled path.
    """
    if values.dtype.kind == "O":
        values = exact_floats(values, argument, decimals, upper)
    check_finite_range(values, argument, upper)
    scale = float(10**decimals)
    units = np.rint(values * scale)
    bad = units / scale != values
    if bad.any():
        message = precision_message(argument, decimals)
        raise InputError(argument, f"{message}; got {_first_bad(bad, values)}")
    return units.astype(np.int64)


def to_float(values: np.ndarray, argument: str) -> np.ndarray:
    """Plain float64 values for non-money formulas; Decimal and strings are converted."""
    if values.dtype.kind == "O":
        return np.array([float(to_decimal(v, argument)) for v in values.ravel()]).reshape(
            values.shape
        )
    return values.astype(np.float64, copy=False)
