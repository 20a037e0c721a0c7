"""The billing engine: exact bill amounts of whole arrays, in one compiled pass.

Behind :func:`~pai_model.formulas.billing.subscription_cost`,
:func:`~pai_model.formulas.billing.payg_cost`
and the other formulas (the method is described in :mod:`pai_model.formulas.billing`); the
arithmetic itself runs in :mod:`pai_model.formulas._kernels`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pai_model.errors import InputError
from pai_model.formulas._numeric import as_array, broadcast_shape, exact_floats
from pai_model.formulas.arguments import (
    MAX_QUANTITY,
    PRICE_DECIMALS,
    PRICE_UNITS,
    bound_problem,
    check_fits,
    check_options,
    limits,
    resolve_unit,
)


def bill_amounts(
    unit_price: Any,
    quantity: Any,
    duration: Any,
    *,
    per_minute: bool | None = None,
    price_unit: str | None = None,
    decimals: int | None = 2,
    rounding: str = "half_up",
    minor_units: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Bill amounts as a flat or broadcast float64 array (and int64 minor units if asked).

    The engine behind :func:`subscription_cost`, :func:`payg_cost`,
    :func:`year_subscription_cost` and :func:`hourly_payg_cost`. ``price_unit`` ("month",
    "minute", "year" or "hour") selects the duration: whole months, minutes with 3
    decimals, whole years, or minutes billed at an hourly price / 60; ``per_minute``
    (True: "minute", False: "month") is the older spelling, give one of them.
    ``minor_units=True`` also returns the exact rounded amounts in ``10**-decimals``
    units, whose sums are exact totals.

    See Also
    --------
    exact_amount : The same amounts in Python's ``decimal`` (the reference it equals).
    minor_units_to_float : Minor units back to the nearest float64.
    """
    from pai_model.formulas import _kernels

    check_options(decimals, rounding)
    unit = resolve_unit(per_minute, price_unit)
    if minor_units and decimals is None:
        raise InputError("decimals", "minor units need a number of decimals")
    bills = limits(unit)
    arrays = [
        _numbers(value, argument, places, upper)
        for value, (argument, places, upper) in zip(
            (unit_price, quantity, duration), bills, strict=True
        )
    ]
    shape = broadcast_shape(arrays)
    size = int(np.prod(shape))
    flat = [
        a.reshape(-1) if a.size in (1, size) else np.broadcast_to(a, shape).reshape(-1)
        for a in arrays
    ]
    check_fits((float(np.max(values, initial=0)) for values in flat), decimals)
    (_, _, price_max), _, (_, duration_decimals, duration_max) = bills
    scale = PRICE_DECIMALS + duration_decimals
    bounds = (
        float(price_max),
        float(MAX_QUANTITY),
        float(10**duration_decimals),
        float(duration_max),
    )
    per = PRICE_UNITS[unit][4]
    amounts = np.empty(size, dtype=np.float64)
    minor = np.empty(size if minor_units else 0, dtype=np.int64)
    codes = np.zeros(size, dtype=np.uint8)
    inputs = [_compiled_input(values) for values in flat]
    if decimals is None:
        bad = _kernels.bill_unrounded(*inputs, *bounds, scale, per, amounts, codes)
    else:
        half_even = rounding == "half_even"
        bad = _kernels.bill(
            *inputs, *bounds, scale - decimals, per, decimals, half_even, amounts, minor, codes
        )
    if bad:
        _raise_first(codes, flat, unit, located=shape != ())
    return amounts.reshape(shape), (minor.reshape(shape) if minor_units else None)


def payg_bill_amounts(
    unit_price: Any,
    quantity: Any,
    minutes: Any,
    *,
    hourly: Any = False,
    minor_units: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Pay-as-you-go bills to the cent, each at its own price unit, broadcast together.

    ``hourly`` marks the prices that are per hour (public resources, billed per minute at
    price / 60 as one exact product); the others are per minute. Each unit goes through
    :func:`bill_amounts` once, so a mix of units costs two engine calls at most.

    Examples
    --------
    The DLC example (0.6 USD/hour for 1.25 minutes: 0.0125, 0.01 to the cent) beside the
    billing page's 0.73 USD/minute for 45 minutes (32.85):

    >>> amounts, cents = payg_bill_amounts([0.6, 0.73], 1, [1.25, 45],
    ...                                    hourly=[True, False], minor_units=True)
    >>> amounts.tolist(), cents.tolist()
    ([0.01, 32.85], [1, 3285])
    """
    flags = np.asarray(hourly, dtype=bool)
    if not flags.any():
        return bill_amounts(
            unit_price, quantity, minutes, price_unit="minute", minor_units=minor_units
        )
    price, nodes, duration, flags = np.broadcast_arrays(
        np.asarray(unit_price, dtype=np.float64),
        np.asarray(quantity),
        np.asarray(minutes, dtype=np.float64),
        flags,
    )
    amounts = np.empty(price.shape)
    cents = np.empty(price.shape, dtype=np.int64) if minor_units else None
    for unit, rows in (("hour", flags), ("minute", ~flags)):
        if rows.any():
            amount, minor = bill_amounts(
                price[rows], nodes[rows], duration[rows], price_unit=unit, minor_units=minor_units
            )
            amounts[rows] = amount
            if cents is not None:
                cents[rows] = minor
    return amounts, cents


def _numbers(value: Any, argument: str, decimals: int, upper: float) -> np.ndarray:
    array = as_array(value, argument)
    if array.dtype.kind == "O":
        return exact_floats(array, argument, decimals, upper)
    return array


#: Arrays up to this many elements are converted to float64 before the compiled loops.
SMALL = 65_536


def _compiled_input(values: np.ndarray) -> np.ndarray:
    """``values`` read-only, and float64 if small: fewer types for the compiled loops.

    numba compiles a loop again (seconds each, in every new process without a cache) for
    each mix of int64 and float64, writable and read-only arrays. A read-only view is
    free; a conversion of a small array is too, while a large one keeps its type (a copy
    of ten million rows would cost more than the bill). Integers convert exactly up to
    2**53, far beyond every bound checked, and a larger one is out of bounds either way
    (the error quotes the value given), so the bill is the same whichever loop runs.
    """
    converted = values.astype(np.float64, copy=False) if values.size <= SMALL else values
    converted = converted.view()
    converted.flags.writeable = False
    return converted


def _raise_first(codes: np.ndarray, flat: list[np.ndarray], unit: str, *, located: bool) -> None:
    bad = np.flatnonzero(codes)
    position = int(bad[0])
    index, argument, message = bound_problem(int(codes[position]), unit)
    values = flat[index]
    value = values[0 if values.size == 1 else position].item()
    where = f" at position {position}" if located else ""
    more = f" ({len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
    raise InputError(argument, f"{message}; got {value!r}{where}{more}")


def minor_units_to_float(minor: np.ndarray, decimals: int) -> np.ndarray:
    """Convert exact minor units to the float64 nearest to each ``minor / 10**decimals``.

    Parameters
    ----------
    minor : ndarray of int64
        Amounts in units of ``10**-decimals`` (cents for 2), not negative. [minor unit]
    decimals : int
        Decimal places of one minor unit, 0 to 6.

    Returns
    -------
    ndarray of float64
        The amounts [currency], each the double nearest to the exact decimal.

    See Also
    --------
    bill_amounts : Bills with their minor units (``minor_units=True``).
    exact_amount : One bill as an exact ``Decimal``.

    Examples
    --------
    >>> minor_units_to_float(np.array([15788, 4786540]), 2)
    array([  157.88, 47865.4 ])
    """
    from pai_model.formulas import _kernels

    minor = np.ascontiguousarray(minor, dtype=np.int64)
    out = np.empty(minor.shape, dtype=np.float64)
    _kernels.minor_to_float(minor.reshape(-1), decimals, out.reshape(-1))
    return out
