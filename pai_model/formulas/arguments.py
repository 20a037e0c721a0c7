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


def wrong_type(argument: str, expected: str, value: Any) -> TypeError:
    """The one TypeError of an argument of the wrong type: it names the argument.

    >>> wrong_type("pairs", "a list of (region_id, hardware) pairs", 3)
    TypeError('pairs must be a list of (region_id, hardware) pairs; got int')
    """
    return TypeError(f"{argument} must be {expected}; got {type(value).__name__}")


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


#: The subscription terms that can be bought [month]: 1 to 9 months, 1, 2, 3, 4 and 5
#: years. This is Alibaba's usual set (E-MapReduce's ``PaymentDuration``; ALIBABA_APIS.md
#: section 9); PAI's own list is UNCONFIRMED, so every function that chooses a term takes
#: it as the parameter ``buyable_months`` (CLI ``--buyable-months``) with this default.
BUYABLE_MONTHS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60)


def buyable_months(value: Any = None) -> tuple[int, ...]:
    """A checked set of buyable terms in months, sorted; :data:`BUYABLE_MONTHS` for None.

    ``value`` is an iterable of whole months from 1 to :data:`MAX_MONTHS`, or text such as
    ``"1-9,12,24"`` (ranges and single months, comma separated). It must hold 1 month, so
    that every whole number of months can be bought as a run of terms.

    >>> buyable_months("1-3, 6,12")
    (1, 2, 3, 6, 12)
    >>> buyable_months()[-3:]
    (36, 48, 60)
    """
    if value is None:
        return BUYABLE_MONTHS
    items: list[Any]
    if isinstance(value, str):
        items = []
        for part in value.split(","):
            low, dash, high = part.strip().partition("-")
            try:
                first = int(low)
                items.extend(range(first, int(high) + 1) if dash else [first])
            except ValueError:
                raise InputError(
                    "buyable_months",
                    f"expected months such as '1-9,12,24,36,48,60'; got {value!r}",
                ) from None
    else:
        try:
            items = list(value)
        except TypeError:
            raise InputError(
                "buyable_months", f"expected a list of whole months; got {value!r}"
            ) from None
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            raise InputError("buyable_months", f"expected whole months; got {item!r}")
        if not 1 <= item <= MAX_MONTHS:
            raise InputError(
                "buyable_months", f"each term must be from 1 to {MAX_MONTHS} months; got {item!r}"
            )
    terms = tuple(sorted({int(item) for item in items}))
    if 1 not in terms:
        raise InputError(
            "buyable_months",
            f"must include 1 month, so that any number of months can be bought; got {terms}",
        )
    return terms


def _months_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def nearest_buyable(months: int, buyable: tuple[int, ...] = BUYABLE_MONTHS) -> list[int]:
    """The buyable terms nearest to ``months``: the longest below and the shortest above.

    >>> nearest_buyable(11), nearest_buyable(84), nearest_buyable(10)
    ([9, 12], [60], [9, 12])
    """
    below = [m for m in buyable if m < months]
    above = [m for m in buyable if m > months]
    return [*below[-1:], *above[:1]]


def term_problem(
    months: int, buyable: tuple[int, ...] = BUYABLE_MONTHS, *, unit: str = "month"
) -> str | None:
    """Why a subscription of ``months`` cannot be bought as one term, or None if it can.

    ``unit`` "year" words the message in years (``months`` is then 12 x the years).

    >>> term_problem(11).split(": ")[1]
    'the nearest are 9 months or 1 year (or buy 11 months as 9 + 2)'
    >>> term_problem(84, unit="year").split(": ")[1]
    'the nearest is 5 years (or buy 7 years as 5 years + 2 years)'
    >>> term_problem(12) is None
    True
    """
    if months in buyable:
        return None
    nearest = [_months_text(m) for m in nearest_buyable(months, buyable)]
    parts = split_buyable(months, buyable)
    if unit == "year":
        split = " + ".join(_months_text(p) for p in parts)
    else:
        split = " + ".join(str(p) for p in parts)
    return (
        f"a subscription of {_months_text(months) if unit == 'year' else f'{months} months'}"
        f" cannot be bought; buyable terms are {buyable_text(buyable)}:"
        f" the nearest {'is' if len(nearest) == 1 else 'are'} {' or '.join(nearest)}"
        f" (or buy {_months_text(months) if unit == 'year' else f'{months} months'} as {split})"
    )


def buyable_text(buyable: tuple[int, ...] = BUYABLE_MONTHS) -> str:
    """The buyable terms in words.

    >>> buyable_text((1, 2, 3, 6, 12, 24))
    '1-3 or 6 months and 1 or 2 years'
    """
    months = [m for m in buyable if m % 12]
    years = [m // 12 for m in buyable if not m % 12]
    runs: list[str] = []
    for m in months:
        if runs and runs[-1].split("-")[-1] == str(m - 1):
            runs[-1] = f"{runs[-1].split('-')[0]}-{m}"
        else:
            runs.append(str(m))
    words = []
    if runs:
        words.append(f"{_joined(runs)} months")
    if years:
        words.append(f"{_joined([str(y) for y in years])} year{'s' if years != [1] else ''}")
    return " and ".join(words)


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def split_buyable(months: int, buyable: tuple[int, ...] = BUYABLE_MONTHS) -> list[int]:
    """``months`` as consecutive buyable terms, the fewest orders, longest first.

    A run of months that no single term matches is bought as one term renewed by others
    (10 months: 9 + 1). Of splits with equally few orders, the one whose first term is
    longest.

    >>> split_buyable(10), split_buyable(11), split_buyable(13), split_buyable(84)
    ([9, 1], [9, 2], [12, 1], [60, 24])
    >>> split_buyable(120)
    [60, 60]
    """
    if months < 0 or months != int(months):
        raise InputError("months", f"must be a whole number of months; got {months!r}")
    fewest: list[list[int] | None] = [[]] + [None] * months
    for total in range(1, months + 1):
        for term in reversed(buyable):
            rest = fewest[total - term] if term <= total else None
            if rest is not None and (
                fewest[total] is None or len(rest) + 1 < len(fewest[total])  # type: ignore[arg-type]
            ):
                fewest[total] = [term, *rest]
    found = fewest[months]
    if found is None:  # pragma: no cover - buyable_months keeps 1 month in every set
        raise InputError("months", f"{months} months cannot be bought with terms {buyable}")
    return sorted(found, reverse=True)
