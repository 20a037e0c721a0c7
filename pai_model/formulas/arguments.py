"""The arguments of a bill: their bounds, their checks and their messages, without numpy.

The vectorized engine (:mod:`pai_model.formulas.engine`), the exact decimal twin
(:mod:`pai_model.formulas.exact`) and the fast quote (:mod:`pai_model.bills.quotes`) share
these constants, checks and messages, so a scalar bill and a vectorized one accept the same
inputs and refuse the others with the same words. One number given as text, a float or a
``Decimal`` becomes the decimal it stands for in one place: :func:`to_decimal`.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from pai_model.errors import InputError

PRICE_DECIMALS = 6
MINUTE_DECIMALS = 3
MAX_UNIT_PRICE = 100_000
MAX_QUANTITY = 100_000
MAX_MONTHS = 120
#: Year terms: up to ten years (as months go up to 120), at a year price up to twelve
#: times the largest month price (so a bill's exact product stays as small as a month's).
MAX_YEARS = 10
MAX_YEAR_PRICE = 12 * MAX_UNIT_PRICE
#: Ten years of minutes: 3,653 days (ten years with three leap days) x 1,440.
MAX_MINUTES = 5_260_320
MAX_DECIMALS = 6
ROUNDING_MODES = ("half_up", "half_even")
#: Days before a job window whose PAI-DLC jobs are asked for too (ListJobs filters on
#: creation time; :mod:`pai_model.account.dlc_jobs`), and at most (a year of jobs).
LOOKBACK_DAYS = 30
MAX_LOOKBACK_DAYS = 366


#: Codes of a bad bill row (0: fine), in the order the checks run: the range, then the
#: precision, of the unit price, the quantity and the duration.
PRICE_RANGE, PRICE_PRECISION, QUANTITY_RANGE, QUANTITY_WHOLE = 1, 2, 3, 4
DURATION_RANGE, DURATION_PRECISION = 5, 6


#: What each price unit bills: (largest unit price, the duration's argument, its decimal
#: places and upper bound, minutes per price unit). A price per hour is billed per minute
#: at hourly price / 60 (the DLC and DSW public resources), as one exact product.
PRICE_UNITS: dict[str, tuple[int, str, int, int, int]] = {
    "month": (MAX_UNIT_PRICE, "months", 0, MAX_MONTHS, 1),
    "minute": (MAX_UNIT_PRICE, "minutes", MINUTE_DECIMALS, MAX_MINUTES, 1),
    "year": (MAX_YEAR_PRICE, "years", 0, MAX_YEARS, 1),
    "hour": (MAX_UNIT_PRICE, "minutes", MINUTE_DECIMALS, MAX_MINUTES, 60),
}


def resolve_unit(per_minute: bool | None, unit: str | None) -> str:
    """The price unit of a bill: ``unit``, or "minute"/"month" from ``per_minute``."""
    if (per_minute is None) == (unit is None):
        raise InputError("price_unit", "give per_minute or price_unit, one of them")
    if unit is None:
        return "minute" if per_minute else "month"
    if unit not in PRICE_UNITS:
        raise InputError("price_unit", f"must be one of {', '.join(PRICE_UNITS)}; got {unit!r}")
    return unit


def limits(unit: str) -> tuple[tuple[str, int, int], ...]:
    """(argument, decimal places, upper bound) of the unit price, quantity and duration."""
    top, argument, places, upper, _ = PRICE_UNITS[unit]
    return (
        ("unit_price", PRICE_DECIMALS, top),
        ("quantity", 0, MAX_QUANTITY),
        (argument, places, upper),
    )


def range_message(upper: float) -> str:
    return f"must be finite, not negative and at most {upper:,}"


def precision_message(argument: str, places: int) -> str:
    if places:
        return f"has more than {places} decimal places"
    return "must be a whole number of nodes" if argument == "quantity" else "must be a whole number"


def bound_problem(code: int, unit: str) -> tuple[int, str, str]:
    """(position among price, quantity, duration; argument name; message) of an error code."""
    position = (code - 1) // 2
    argument, places, upper = limits(unit)[position]
    message = range_message(upper) if code % 2 else precision_message(argument, places)
    return position, argument, message


def check_lookback(days: Any, argument: str = "lookback_days") -> int:
    """Refuse a look-back that is not a whole number of days from 0 to 366.

    >>> check_lookback(30)
    30
    """
    if (
        isinstance(days, bool)
        or not isinstance(days, numbers.Integral)
        or not (0 <= days <= MAX_LOOKBACK_DAYS)
    ):
        raise InputError(
            argument, f"must be a whole number from 0 to {MAX_LOOKBACK_DAYS}; got {days!r}"
        )
    return int(days)


def check_options(decimals: int | None, rounding: str) -> None:
    """Refuse an unknown rounding mode or a number of decimals outside 0 to 6."""
    if rounding not in ROUNDING_MODES:
        raise InputError(
            "rounding", f"must be one of {', '.join(ROUNDING_MODES)}; got {rounding!r}"
        )
    if decimals is not None and (
        isinstance(decimals, bool)
        or not isinstance(decimals, numbers.Integral)
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise InputError(
            "decimals",
            f"must be None or a whole number from 0 to {MAX_DECIMALS}; got {decimals!r}",
        )


def check_fits(tops: Iterable[float], decimals: int | None) -> None:
    """Refuse amounts that would leave int64 in minor units (reachable only above 2 decimals).

    ``tops`` are the largest unit price, quantity and duration (non-finite values count
    as 0: they are refused by the range checks).
    """
    if decimals is None or decimals <= 2:
        return
    largest = 1.0
    for top in tops:
        largest *= top if top - top == 0 else 0.0  # NaN and infinities give NaN
    if largest * 10.0**decimals >= 9.0e18:
        raise InputError(
            "decimals",
            f"amounts up to {largest:,.0f} are too large to hold exactly in units of"
            f" 10**-{decimals}; use 2 decimals or fewer",
        )


#: Decimal text, the kit's one rule for a number written as text: ASCII digits with an
#: optional decimal point (a digit on at least one side) and an optional minus sign:
#: ``23932.70``, ``0.73``, ``-5``, ``5.``, ``.5``. No ``+``, exponent, thousands separator,
#: decimal comma, underscore or other script's digits. Columns of it are read by
#: :mod:`pai_model.data.decimals`; FOCUS files add an exponent (``focus_schema``).
DECIMAL = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
#: The rule in words, for messages.
DECIMAL_WORDS = "digits with an optional decimal point, e.g. 23932.70"
_DECIMAL = re.compile(DECIMAL)


def is_decimal(text: Any) -> bool:
    """Whether ``text`` is decimal text by the one rule (surrounding spaces allowed).

    >>> [is_decimal(t) for t in ("23932.70", " 0.73 ", "-5", "+5", "1e3", "0,73", "٣")]
    [True, True, True, False, False, False, False]
    """
    return isinstance(text, str) and _DECIMAL.fullmatch(text.strip()) is not None


def to_decimal(item: Any, argument: str) -> Decimal:
    """One number as the decimal it stands for: a float as its shortest repr (0.73 is 0.73)."""
    if isinstance(item, Decimal):
        return item
    if isinstance(item, bool):
        raise InputError(argument, "expected numbers, got booleans")
    if isinstance(item, numbers.Integral):
        return Decimal(int(item))
    if getattr(getattr(item, "dtype", None), "kind", "") == "f" and item.dtype.itemsize < 8:
        # a numpy float16/float32 (numpy is not imported here): the shortest decimal of
        # its own precision, the number that was typed
        return Decimal(str(item))
    if isinstance(item, numbers.Real):
        # repr gives the shortest decimal that round-trips: the number the user typed
        return Decimal(repr(float(item)))
    if isinstance(item, str):
        if is_decimal(item):
            return Decimal(item.strip())
        raise InputError(
            argument,
            f"not a plain decimal number: {item!r}; write {DECIMAL_WORDS} (no thousands"
            " separators, decimal commas, underscores or exponents)",
        )
    raise InputError(argument, f"expected a number, got {item!r}")


def checked(
    number: Decimal, item: Any, argument: str, places: int, upper: float, where: str = ""
) -> Decimal:
    """``number`` if it is finite, from 0 to ``upper`` and has at most ``places`` decimals.

    ``item`` is the value as given, quoted in the message; ``where`` locates it
    (" at position 3") in an array.
    """
    if not number.is_finite() or number < 0 or number > upper:
        raise InputError(argument, f"{range_message(upper)}; got {item!r}{where}")
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN):
        raise InputError(argument, f"{precision_message(argument, places)}; got {item!r}{where}")
    return number
