"""The exact bill in Python's ``decimal``: the slow, obviously correct twin of the engine.

Free of numpy for scalar arguments, so a one-line quote starts fast.
"""

# The overloads resolve in order: all scalars, then array-likes, then anything with a
# Series. Each is narrower than the next, so their overlaps are intended (as in numpy's stubs).
# mypy: disable-error-code="overload-overlap"
# pyright: reportOverlappingOverload=false

from __future__ import annotations

import numbers
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from decimal import localcontext as _localcontext
from typing import TYPE_CHECKING, Any, overload

from pai_model.formulas.arguments import (
    PRICE_UNITS,
    check_fits,
    check_options,
    checked,
    limits,
    resolve_unit,
    to_decimal,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pai_model.formulas._numeric import ArrayLike, Numeric, Scalar

_DECIMAL_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (numbers.Number, Decimal, str))


def _exact_one(
    values: tuple[Any, Any, Any],
    unit: str,
    decimals: int | None,
    rounding: str,
    where: str = "",
) -> Decimal:
    bounds = limits(unit)
    given = [v.item() if hasattr(v, "item") else v for v in values]
    numbers_ = [to_decimal(v, name) for v, (name, _, _) in zip(given, bounds, strict=True)]
    check_fits((_top([n]) for n in numbers_), decimals)
    price, quantity, duration = (
        checked(n, v, name, places, upper, where)
        for n, v, (name, places, upper) in zip(numbers_, given, bounds, strict=True)
    )
    per = PRICE_UNITS[unit][4]
    with _localcontext(prec=60):  # the product has at most 26 significant digits
        amount = price * quantity * duration
        if per == 1:
            return amount if decimals is None else _rounded(amount, decimals, rounding)
        if decimals is None:
            return amount / per  # 60 significant digits of the exact rational
        return _rounded_ratio(amount, per, decimals, rounding)


def _rounded(amount: Decimal, decimals: int, rounding: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-decimals), _DECIMAL_ROUNDING[rounding])


def _rounded_ratio(amount: Decimal, per: int, decimals: int, rounding: str) -> Decimal:
    """``amount / per`` rounded once to ``decimals`` places, in integers (no double rounding).

    ``amount`` is exact; in units of ``10**-decimals`` the bill is the rational
    ``n / per`` with ``n`` an integer times a power of ten, so integer division with the
    remainder compared against half of the divisor rounds it exactly once.
    """
    numerator = amount.scaleb(decimals)
    scale = 0
    while numerator != numerator.to_integral_value():  # at most 9 digits to shift
        numerator, scale = numerator.scaleb(1), scale + 1
    divisor = per * 10**scale
    whole, rest = divmod(int(numerator), divisor)
    half = 2 * rest - divisor
    if half > 0 or (half == 0 and (rounding == "half_up" or whole % 2)):
        whole += 1
    return Decimal(whole).scaleb(-decimals)


@overload
def exact_amount(
    unit_price: Scalar,
    quantity: Scalar,
    duration: Scalar,
    *,
    per_minute: bool | None = ...,
    price_unit: str | None = ...,
    decimals: int | None = ...,
    rounding: str = ...,
) -> Decimal: ...
@overload
def exact_amount(
    unit_price: Scalar | ArrayLike,
    quantity: Scalar | ArrayLike,
    duration: Scalar | ArrayLike,
    *,
    per_minute: bool | None = ...,
    price_unit: str | None = ...,
    decimals: int | None = ...,
    rounding: str = ...,
) -> np.ndarray: ...
@overload
def exact_amount(
    unit_price: Numeric,
    quantity: Numeric,
    duration: Numeric,
    *,
    per_minute: bool | None = ...,
    price_unit: str | None = ...,
    decimals: int | None = ...,
    rounding: str = ...,
) -> pd.Series: ...
def exact_amount(
    unit_price: Any,
    quantity: Any,
    duration: Any,
    *,
    per_minute: bool | None = None,
    price_unit: str | None = None,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    r"""Compute a bill exactly in Python's ``decimal``: unit price x quantity x duration.

    The slow, obviously correct twin of the vectorized engine
    (:func:`~pai_model.formulas.billing.subscription_cost`,
    :func:`~pai_model.formulas.billing.payg_cost`):
    the same bounds, the same messages, and for every accepted input an amount equal to
    the engine's (whose float64 is the one nearest to this decimal). Without numpy for
    scalar arguments, so a one-line quote starts fast.

    .. math::

        \text{amount} = \operatorname{round}(p \times q \times d,\ \text{decimals})

    and for a price per hour billed per minute (``price_unit="hour"``), the one exact
    rational ``round(p x q x d / 60)``, never a rounded per-minute price.

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one price unit. [currency/month], [currency/minute],
        [currency/year] or [currency/hour]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    duration : numeric
        Whole months (price per month), whole years (price per year, at most 10), or
        minutes with at most 3 decimal places (price per minute or per hour).
        [month], [year] or [minute]
    per_minute : bool, optional
        Pay-as-you-go (``duration`` in minutes) rather than a subscription (months): the
        same as ``price_unit="minute"`` or ``"month"``.
    price_unit : {"month", "minute", "year", "hour"}, optional
        The unit of ``unit_price``; give this or ``per_minute``. A year price may be up
        to 1,200,000.
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the exact product.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded.

    Returns
    -------
    decimal.Decimal, ndarray or Series
        The bill [currency]: a ``Decimal`` for scalar arguments, otherwise an object
        ndarray (or a Series with the index of the first Series argument) of them.

    Raises
    ------
    InputError
        As the engine does: a non-finite, negative, out-of-bound or too precise argument,
        named (in an array, the first bad position is given).

    See Also
    --------
    pai_model.formulas.billing.subscription_cost : The vectorized bill of a subscription.
    pai_model.formulas.billing.payg_cost : The vectorized bill of pay-as-you-go use.
    pai_model.formulas.billing.discounted_price : A unit price after a discount.

    References
    ----------
    .. [1] Alibaba Cloud, "Platform For AI: Billing of AI computing resources": bill
       amount = unit price of the node spec x quantity x duration.

    Examples
    --------
    The billing page's three worked examples [1]_:

    >>> exact_amount(78.94, 2, 1, per_minute=False)
    Decimal('157.88')
    >>> exact_amount("23932.70", 2, 1, per_minute=False)
    Decimal('47865.40')
    >>> exact_amount(0.73, 1, 45, per_minute=True)
    Decimal('32.85')
    >>> exact_amount(1.005, 1, 1, per_minute=True, rounding="half_even")
    Decimal('1.00')
    >>> exact_amount([0.01, 0.73], 1, 1.25, per_minute=True, decimals=None)
    array([Decimal('0.0125'), Decimal('0.9125')], dtype=object)

    The PAI DLC public-resource example: 0.6 USD/hour for 1 min 15 s is
    1 x 0.6 / 60 x 1.25 = 0.0125 USD; at 2.02 CNY/hour, 2.02 x 1.25 / 60 = 0.0420833...
    rounds once to 0.042 (three decimals) and 0.04 (cents).

    >>> exact_amount(0.6, 1, 1.25, price_unit="hour", decimals=4)
    Decimal('0.0125')
    >>> exact_amount(2.02, 1, 1.25, price_unit="hour", decimals=3)
    Decimal('0.042')
    >>> exact_amount("287192.40", 2, 1, price_unit="year")
    Decimal('574384.80')
    """
    check_options(decimals, rounding)
    unit = resolve_unit(per_minute, price_unit)
    values = (unit_price, quantity, duration)
    if all(_is_scalar(v) for v in values):
        return _exact_one(values, unit, decimals, rounding)
    # arrays: the engine's broadcasting, fits check and result kinds, then row by row
    import numpy as np

    from pai_model.formulas._numeric import Kind, as_array, broadcast_shape

    bounds = limits(unit)
    arrays = [as_array(v, name) for v, (name, _, _) in zip(values, bounds, strict=True)]
    shape = broadcast_shape(arrays)
    flat = [np.broadcast_to(a, shape).reshape(-1).astype(object) for a in arrays]
    columns = zip(flat, (name for name, _, _ in bounds), strict=True)
    check_fits((_top([to_decimal(x, name) for x in f]) for f, name in columns), decimals)
    out = np.empty(len(flat[0]), dtype=object)
    for i, row in enumerate(zip(*flat, strict=True)):
        where = f" at position {i}" if shape else ""
        out[i] = _exact_one(row, unit, decimals, rounding, where)
    return Kind(*values).wrap(out.reshape(shape), "exact_amount")


def _top(column: list[Decimal]) -> float:
    """The largest value as the engine's fits check sees it: 0 if any is not finite."""
    if not all(d.is_finite() for d in column):
        return 0.0
    return max(0.0, *(float(d) for d in column))
