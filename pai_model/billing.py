"""Bill amounts of PAI computing nodes, exact to the cent.

The billing page ("Platform For AI: Billing of AI computing resources") gives one formula
for both billing methods::

    amount = unit price of the node spec x quantity x duration

with the duration in months for a subscription and in minutes for pay-as-you-go.

How the amount is made exact
----------------------------
Prices are read as whole micro-units (``10**-6``) and minutes as whole milli-minutes, so
the exact product is an integer ``P``. The bill in minor units (cents for ``decimals=2``)
is ``P / 10**e`` rounded once, with ``e = 6 + 3 - decimals`` for pay-as-you-go and
``6 - decimals`` for subscriptions. ``P`` can reach about ``5e25``, beyond int64, so it is
never formed: with ``a = price x quantity`` split as ``a = a1 * 10**e + a0``,
``P / 10**e = a1 * duration + (a0 * duration) / 10**e`` and each product fits in int64
within the documented bounds. The rounded minor units are then turned into the float64
nearest to the exact amount (see :func:`minor_units_to_float`).

Bounds (checked, :class:`~pai_model.errors.InputError` beyond them): unit prices up to
100,000 with at most 6 decimal places, quantities up to 100,000 whole nodes, subscriptions
up to 120 whole months, pay-as-you-go up to ten years of minutes (5,260,320 minutes) with
at most 3 decimal places, ``decimals`` from 0 to 6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._numeric import Kind, as_array, exact_floats, to_units
from .errors import InputError

PRICE_DECIMALS = 6
MINUTE_DECIMALS = 3
MAX_UNIT_PRICE = 100_000
MAX_QUANTITY = 100_000
MAX_MONTHS = 120
#: Ten years of minutes: 3,653 days (ten years with three leap days) x 1,440.
MAX_MINUTES = 5_260_320
MAX_DECIMALS = 6
ROUNDING_MODES = ("half_up", "half_even")


def subscription_cost(
    unit_price: Any,
    quantity: Any,
    months: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Bill amount of a subscription: unit price x quantity x subscription duration.

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one month. [currency/month]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    months : numeric
        Subscription duration, a whole number of months. [month]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded (``half_up``: 0.005 -> 0.01; ``half_even``: to the even cent).

    Returns
    -------
    numeric
        Bill amount [currency]: a float for scalar arguments, a Series with the index of
        the first Series argument, an ndarray otherwise. The float64 is the one nearest to
        the exact rounded amount.

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    Examples
    --------
    The general computing example of the billing page: two ``ecs.g7.xlarge-4c16g`` nodes
    in China (Shanghai) at 78.94 USD/month for one month.

    >>> subscription_cost(78.94, 2, 1)
    157.88
    >>> subscription_cost([23932.70, 78.94], 2, [1, 12])
    array([47865.4 ,  1894.56])
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, months, per_minute=False, decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, months).wrap(amounts, "subscription_cost")


def payg_cost(
    unit_price: Any,
    quantity: Any,
    minutes: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Bill amount of pay-as-you-go use: unit price x quantity x usage duration.

    Fractional minutes are priced as used (the PAI DLC billing example prices 1 min 15 s
    as 1.25 minutes), up to 3 decimal places of a minute.

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one minute. [currency/minute]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    minutes : numeric
        Usage duration, at most 3 decimal places. [minute]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded.

    Returns
    -------
    numeric
        Bill amount [currency], in the kind of the arguments (see
        :func:`subscription_cost`).

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    Examples
    --------
    The Lingjun pay-as-you-go example of the billing page: one ``ml.gu7xf.8xlarge-gu108``
    node in China (Ulanqab) at 0.73 USD/minute for 45 minutes.

    >>> payg_cost(0.73, 1, 45)
    32.85

    The PAI DLC example: 0.6 USD/hour is 0.01 USD/minute, for 1 min 15 s.

    >>> payg_cost(0.01, 1, 1.25, decimals=None)
    0.0125
    >>> payg_cost(1.005, 1, 1), payg_cost(1.005, 1, 1, rounding="half_even")
    (1.01, 1.0)
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, minutes, per_minute=True, decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, minutes).wrap(amounts, "payg_cost")


def discounted_price(unit_price: Any, discount: Any) -> Any:
    """A unit price after a discount, rounded half up to 6 decimal places.

    Negotiated rates and spot prices are stated as a fraction off (or of) the list price;
    the discounted price is rounded once to the catalog's precision so the billing
    formulas can price it exactly.

    Parameters
    ----------
    unit_price : numeric
        List price of one node. [currency/month] or [currency/minute]
    discount : numeric
        Fraction taken off, from 0 to 1, at most 6 decimal places (0.15: 15 % off).
        [fraction]

    Returns
    -------
    numeric
        Discounted unit price, in the unit of ``unit_price``.

    Examples
    --------
    0.73 x (1 - 0.15) = 0.6205; 23,932.70 x 0.875 = 20,941.1125; 0.0001 x 0.5 = 0.00005
    rounds half up to 0.000050 exactly.

    >>> discounted_price(0.73, 0.15), discounted_price(23932.70, 0.125)
    (0.6205, 20941.1125)
    >>> discounted_price([0.0001, 0.000003], 0.5)
    array([5.e-05, 2.e-06])
    """
    kind = Kind(unit_price, discount)
    price = to_units(
        as_array(unit_price, "unit_price"), "unit_price", PRICE_DECIMALS, MAX_UNIT_PRICE
    )
    off = to_units(as_array(discount, "discount"), "discount", PRICE_DECIMALS, 1)
    scale = 10**PRICE_DECIMALS
    micro = (price * (scale - off) + scale // 2) // scale  # <= 1e11 x 1e6: fits in int64
    return kind.wrap(np.asarray(micro / float(scale)), "discounted_price")


def _check_options(decimals: int | None, rounding: str) -> None:
    if rounding not in ROUNDING_MODES:
        raise InputError(
            "rounding", f"must be one of {', '.join(ROUNDING_MODES)}; got {rounding!r}"
        )
    if decimals is not None and (
        isinstance(decimals, bool)
        or not isinstance(decimals, (int, np.integer))
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise InputError(
            "decimals",
            f"must be None or a whole number from 0 to {MAX_DECIMALS}; got {decimals!r}",
        )


def bill_amounts(
    unit_price: Any,
    quantity: Any,
    duration: Any,
    *,
    per_minute: bool,
    decimals: int | None = 2,
    rounding: str = "half_up",
    minor_units: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Bill amounts as a flat or broadcast float64 array (and int64 minor units if asked).

    The engine behind :func:`subscription_cost` and :func:`payg_cost` (``per_minute``
    selects the duration: minutes with 3 decimals, or whole months). ``minor_units=True``
    also returns the exact rounded amounts in ``10**-decimals`` units, whose sums are
    exact totals.
    """
    from . import _kernels

    _check_options(decimals, rounding)
    if minor_units and decimals is None:
        raise InputError("decimals", "minor units need a number of decimals")
    duration_name = "minutes" if per_minute else "months"
    duration_decimals = MINUTE_DECIMALS if per_minute else 0
    arrays = [
        _numbers(unit_price, "unit_price", PRICE_DECIMALS, MAX_UNIT_PRICE),
        _numbers(quantity, "quantity", 0, MAX_QUANTITY),
        _numbers(
            duration, duration_name, duration_decimals, MAX_MINUTES if per_minute else MAX_MONTHS
        ),
    ]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InputError(
            "arguments",
            f"shapes {', '.join(str(a.shape) for a in arrays)} do not broadcast together",
        ) from None
    size = int(np.prod(shape))
    flat = [
        a.reshape(-1) if a.size in (1, size) else np.broadcast_to(a, shape).reshape(-1)
        for a in arrays
    ]
    scale = PRICE_DECIMALS + duration_decimals
    duration_max = float(MAX_MINUTES if per_minute else MAX_MONTHS)
    if decimals is not None and decimals > 2:
        _check_fits(flat, decimals)
    bounds = (
        float(MAX_UNIT_PRICE),
        float(MAX_QUANTITY),
        float(10**duration_decimals),
        duration_max,
    )
    amounts = np.empty(size, dtype=np.float64)
    minor = np.empty(size if minor_units else 0, dtype=np.int64)
    codes = np.zeros(size, dtype=np.uint8)
    if decimals is None:
        bad = _kernels.bill_unrounded(*flat, *bounds, scale, amounts, codes)
    else:
        half_even = rounding == "half_even"
        bad = _kernels.bill(
            *flat, *bounds, scale - decimals, decimals, half_even, amounts, minor, codes
        )
    if bad:
        _raise_first(codes, flat, duration_name, duration_decimals)
    return amounts.reshape(shape), (minor.reshape(shape) if minor_units else None)


def _check_fits(flat: list[np.ndarray], decimals: int) -> None:
    """Refuse amounts that would leave int64 in minor units (reachable only above 2 decimals)."""
    largest = 1.0
    for values in flat:
        top = float(np.max(values, initial=0))
        largest *= top if np.isfinite(top) else 0.0  # non-finite values are refused later
    if largest * 10.0**decimals >= 9.0e18:
        raise InputError(
            "decimals",
            f"amounts up to {largest:,.0f} are too large to hold exactly in units of"
            f" 10**-{decimals}; use 2 decimals or fewer",
        )


def _numbers(value: Any, argument: str, decimals: int, upper: float) -> np.ndarray:
    array = as_array(value, argument)
    if array.dtype.kind == "O":
        return exact_floats(array, argument, decimals, upper)
    return array


def _raise_first(codes: np.ndarray, flat: list[np.ndarray], duration: str, places: int) -> None:
    from . import _kernels as k

    bad = np.flatnonzero(codes)
    position = int(bad[0])
    code = int(codes[position])
    argument, index, message = {
        k.PRICE_RANGE: (
            "unit_price",
            0,
            f"must be finite, not negative and at most {MAX_UNIT_PRICE:,}",
        ),
        k.PRICE_PRECISION: ("unit_price", 0, f"has more than {PRICE_DECIMALS} decimal places"),
        k.QUANTITY_RANGE: (
            "quantity",
            1,
            f"must be finite, not negative and at most {MAX_QUANTITY:,}",
        ),
        k.QUANTITY_WHOLE: ("quantity", 1, "must be a whole number of nodes"),
        k.DURATION_RANGE: (
            duration,
            2,
            f"must be finite, not negative and at most {MAX_MINUTES if places else MAX_MONTHS:,}",
        ),
        k.DURATION_PRECISION: (
            duration,
            2,
            f"has more than {places} decimal places" if places else "must be a whole number",
        ),
    }[code]
    values = flat[index]
    value = values[0 if values.size == 1 else position].item()
    more = f" ({len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
    raise InputError(argument, f"{message}; got {value!r} at position {position}{more}")


def minor_units_to_float(minor: np.ndarray, decimals: int) -> np.ndarray:
    """The float64 nearest to each ``minor / 10**decimals`` (int64 ``minor`` >= 0).

    >>> minor_units_to_float(np.array([15788, 4786540]), 2)
    array([  157.88, 47865.4 ])
    """
    from . import _kernels

    minor = np.ascontiguousarray(minor, dtype=np.int64)
    out = np.empty(minor.shape, dtype=np.float64)
    _kernels.minor_to_float(minor.reshape(-1), decimals, out.reshape(-1))
    return out
