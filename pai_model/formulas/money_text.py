"""Money and bill lines as text: floats or ``Decimal`` amounts, the same digits.

Pure Python, so the fast quote (:mod:`pai_model.bills.quotes`) writes its line without loading
numpy or pandas; :mod:`pai_model.bills.orders` writes every bill line with the same functions.
"""

from __future__ import annotations

from decimal import Decimal


def format_money(amount: float | Decimal, decimals: int = 2) -> str:
    """``47865.4`` as ``'47,865.40'``: thousands separators, fixed decimals.

    >>> format_money(47865.4), format_money(0.73, 6)
    ('47,865.40', '0.730000')
    """
    return f"{amount:,.{decimals}f}"


def format_price(price: float | Decimal) -> str:
    """A unit price with at least 2 and at most 6 decimals, as typed in a catalog.

    >>> format_price(78.94), format_price(23932.7), format_price(0.012345)
    ('78.94', '23,932.70', '0.012345')
    """
    text = f"{price:,.6f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def format_formula(
    quantity: float | Decimal,
    unit_price: float | Decimal,
    price_unit: str,
    duration: float | Decimal,
    duration_unit: str,
    amount: float | Decimal,
    currency: str,
    *,
    per: int = 1,
) -> str:
    """The billing page's formula written out for one bill line.

    ``per`` divides the product (60: an hourly price billed per minute).

    >>> format_formula(2, 78.94, "USD/month", 1, "month", 157.88, "USD")
    '2 x 78.94 USD/month x 1 month = 157.88 USD'
    >>> format_formula(1, 0.6, "USD/hour", 1.25, "minute", 0.01, "USD", per=60)
    '1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.01 USD'
    """
    plural = "" if duration == 1 else "s"
    shown = f"{duration:,.3f}".rstrip("0").rstrip(".")
    divided = f" / {per}" if per != 1 else ""
    return (
        f"{int(quantity)} x {format_price(unit_price)} {price_unit}"
        f" x {shown} {duration_unit}{plural}{divided} = {format_money(amount)} {currency}"
    )
