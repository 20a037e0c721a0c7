"""Billing methods: their names, how text names them, and what an order of each needs.

The one table of billing-method labels (:data:`LABELS`) and the one set of checks and
messages of an order: :class:`~pai_model.data.schemas.OrderSchema` and
:func:`~pai_model.bills.orders.price_orders` check a table of orders with them (vectorized),
:func:`~pai_model.bills.quotes.price_order` checks one order with :func:`size_problems`
and :func:`offer_problems`, so ``pai-cost bill`` and ``pai-cost quote`` say the same
thing about the same bad order. Pure Python, so a quote loads no pandas.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pai_model.errors import InputError
from pai_model.formulas.arguments import (
    MAX_MINUTES,
    MAX_MONTHS,
    MAX_QUANTITY,
    MAX_YEARS,
    MINUTE_DECIMALS,
    to_decimal,
)

SUBSCRIPTION, PAYG = "subscription", "payg"
#: Billing methods, in the order the kit shows them.
BILLING_METHODS = (SUBSCRIPTION, PAYG)
#: The year term: a subscription chosen like a method, shown beside the month term.
YEAR = "year"
#: How text names each billing method (and the year term).
LABELS = {SUBSCRIPTION: "subscription", PAYG: "pay-as-you-go", YEAR: "year-term subscription"}

#: What is wrong with an order, in the words of every command that prices one.
QUANTITY = f"must be a positive whole number of nodes (at most {MAX_QUANTITY:,})"
METHOD = f"must be {' or '.join(BILLING_METHODS)}"
MONTHS = f"a subscription needs a positive whole number of months (at most {MAX_MONTHS})"
YEARS = f"a year-term subscription needs a positive whole number of years (at most {MAX_YEARS})"
MINUTES = f"pay-as-you-go needs a positive number of minutes (at most {MAX_MINUTES:,})"
MINUTE_PLACES = f"more than {MINUTE_DECIMALS} decimal places"
NOT_A_NUMBER = "not a number"
GENERAL_PAYG = "pay-as-you-go is not offered for general computing resources (subscription only)"
PUBLIC_PAYG_ONLY = "public resources are pay-as-you-go only (priced per hour): give minutes"
NO_YEAR_PRICE = (
    "no year price in the catalog (subscription_price_per_year); the kit never derives one"
    " from the month price: add the year-term price from the console"
)


def no_price(method: str) -> str:
    """The catalog has no price for ``method`` ("no pay-as-you-go price in the catalog")."""
    return f"no {LABELS[method]} price in the catalog"


def out_of_stock(method: str) -> str:
    """``method``'s offer cannot be bought now."""
    return f"{LABELS[method]} is out of stock; it cannot be purchased"


def unknown_region(region: str, regions: Iterable[str]) -> str:
    """A region the catalog does not have, with the closest one and the list of all.

    >>> unknown_region("cn-shangai", ["cn-shanghai", "cn-wulanchabu"])
    "not in the catalog; did you mean 'cn-shanghai'? (regions: cn-shanghai, cn-wulanchabu)"
    """
    known = sorted(set(regions))
    return f"not in the catalog{_did_you_mean(region, known)} (regions: {', '.join(known)})"


def unknown_spec(region: str, spec: str, specs: Iterable[str], elsewhere: Iterable[str]) -> str:
    """A spec ``region`` does not offer: the regions that do, or the closest spec there.

    >>> unknown_spec("cn-wulanchabu", "ecs.g7.xlarge-4c16g", [], ["cn-shanghai"])
    'not offered in cn-wulanchabu; offered in cn-shanghai'
    >>> unknown_spec("cn-wulanchabu", "ml.gu7xf.8xlarge", ["ml.gu7xf.8xlarge-gu108"], [])
    "not offered in cn-wulanchabu; did you mean 'ml.gu7xf.8xlarge-gu108'?"
    """
    regions = sorted(set(elsewhere))
    where = f"; offered in {', '.join(regions)}" if regions else ""
    return f"not offered in {region}{where}{_did_you_mean(spec, sorted(set(specs)))}"


def size_problems(quantity: Any, duration_name: str, duration: Any) -> list[tuple[str, str]]:
    """(column, message) of what is wrong with one order's quantity and duration.

    ``duration_name`` is ``months``, ``years`` or ``minutes``. Text is read by the one
    decimal rule (:func:`~pai_model.formulas.arguments.to_decimal`): ``4_5`` or ``1e3``
    is not a number.

    >>> size_problems("0", "months", "1.5")
    [('quantity', 'must be a positive whole number of nodes (at most 100,000)'), \
('months', 'a subscription needs a positive whole number of months (at most 120)')]
    >>> size_problems(1, "minutes", "4_5")
    [('minutes', 'not a number')]
    """
    found = []
    nodes = _read(quantity)
    if nodes is NOT_A_NUMBER:
        found.append(("quantity", NOT_A_NUMBER))
    elif not _whole(nodes, MAX_QUANTITY):
        found.append(("quantity", QUANTITY))
    length = _read(duration)
    if length is NOT_A_NUMBER:
        found.append((duration_name, NOT_A_NUMBER))
    elif duration_name == "months" and not _whole(length, MAX_MONTHS):
        found.append((duration_name, MONTHS))
    elif duration_name == "years" and not _whole(length, MAX_YEARS):
        found.append((duration_name, YEARS))
    elif duration_name == "minutes":
        if length is None or not 0 < length <= MAX_MINUTES:
            found.append((duration_name, MINUTES))
        elif length != round(length, MINUTE_DECIMALS):
            found.append((duration_name, MINUTE_PLACES))
    return found


def offer_problems(
    method: str,
    resource_type: str,
    in_stock: bool,
    has_price: bool,
    *,
    years: bool = False,
) -> list[tuple[str, str]]:
    """(column, message) of why an offer cannot be bought by ``method``.

    The checks of :func:`~pai_model.bills.orders.price_orders` against the catalog, for one
    order; ``years`` asks for the year term (a subscription at the year price).

    >>> offer_problems("payg", "general", True, False)
    [('billing_method', 'pay-as-you-go is not offered for general computing resources \
(subscription only)')]
    """
    if method == PAYG and resource_type == "general":
        return [("billing_method", GENERAL_PAYG)]
    if method == SUBSCRIPTION and resource_type == "public":
        return [("billing_method", PUBLIC_PAYG_ONLY)]
    if not has_price:
        return [("spec", NO_YEAR_PRICE if years else no_price(method))]
    return [] if in_stock else [("spec", out_of_stock(method))]


def shown(value: Any) -> str:
    """A value as a problem quotes it: as typed, a whole float without its ``.0``.

    >>> shown("4_5"), shown(2.0), shown(1e30), shown(float("nan"))
    ('4_5', '2', '1e+30', 'nan')
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _read(value: Any) -> Decimal | str | None:
    """The finite decimal ``value`` stands for, :data:`NOT_A_NUMBER` for text that is not
    decimal text, else None (a missing, infinite or non-numeric value)."""
    try:
        number = to_decimal(value, "")
    except InputError:
        return NOT_A_NUMBER if isinstance(value, str) else None
    return number if number.is_finite() else None


def _whole(number: Decimal | str | None, upper: int) -> bool:
    return (
        isinstance(number, Decimal)
        and 1 <= number <= upper
        and number == number.to_integral_value()
    )


def _did_you_mean(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
