"""Exchange rates: read exactly, applied exactly, shown wherever they were used.

The kit never compares money of two currencies silently. Where two money sources meet (a
bill and a catalog, held nodes and a catalog, several usage sources) and their currencies
differ, the kit refuses (:class:`~pai_model.errors.CurrencyError`) unless the user gives
the rate, on the command line as ``--fx CNY/USD=0.14`` (repeatable) and in Python as
``fx={"CNY/USD": "0.14"}``.

``FROM/TO=RATE`` means 1 FROM = RATE TO. The rate is decimal text (digits with an optional
decimal point: no exponent, sign, separator or underscore), positive and finite; it is
read as the :class:`~decimal.Decimal` it spells, never through a float. A rate converts
money of FROM into TO only: the kit does not invert it (1 / 0.14 is not exact), so a rate
given the other way round is refused with the rate that is needed.

Converting an amount multiplies it by the rate exactly and rounds the product once, half
up (ties away from zero), to the target currency's minor unit (:func:`minor_decimals`:
ISO 4217's exponent, 2 for CNY and USD, 0 for JPY). A unit price is rounded once, half
up, to :data:`~pai_model.formulas.arguments.PRICE_DECIMALS` places, the precision of every
price the kit reads.

Examples
--------
>>> rate = parse_rate("CNY/USD=0.14")
>>> rate
('CNY', 'USD', Decimal('0.14'))
>>> convert_amount("235.50", rate[2], "USD")  # 235.50 x 0.14 = 32.97
Decimal('32.97')
>>> convert_amount("0.25", Decimal("0.14"), "USD")  # 0.035: half up to 0.04
Decimal('0.04')
>>> rate_text(rate)
'1 CNY = 0.14 USD'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pai_model.errors import CurrencyError, InputError
from pai_model.formulas.arguments import DECIMAL_WORDS, PRICE_DECIMALS

#: A rate as (from currency, to currency, 1 FROM in TO).
Rate = tuple[str, str, Decimal]
#: Rates by (from, to).
Rates = dict[tuple[str, str], Decimal]

#: Currencies whose minor unit is not the cent (ISO 4217 exponent); every other has 2.
MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "IDR": 2, "KWD": 3, "BHD": 3}
#: The option (and Python argument) every message names.
OPTION = "--fx"
_PAIR = re.compile(r"([A-Z]{3})/([A-Z]{3})")
# the rate: ASCII digits with an optional decimal point, nothing else
_RATE = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_WRITE = "write FROM/TO=RATE, e.g. CNY/USD=0.14 (1 CNY = 0.14 USD)"


def minor_decimals(currency: str) -> int:
    """Decimal places of the currency's minor unit (ISO 4217 exponent).

    >>> minor_decimals("USD"), minor_decimals("CNY"), minor_decimals("JPY")
    (2, 2, 0)
    """
    return MINOR_UNITS.get(currency, 2)


def parse_rate(text: str, argument: str = OPTION) -> Rate:
    """One rate written ``FROM/TO=RATE``, read exactly.

    Raises
    ------
    InputError
        Naming ``argument`` and the text, when the text is not ``FROM/TO=RATE`` with two
        different ISO 4217 codes and a positive decimal rate.

    Examples
    --------
    >>> parse_rate("USD/JPY=155.5")
    ('USD', 'JPY', Decimal('155.5'))
    >>> parse_rate("CNY/USD=1e-1")
    Traceback (most recent call last):
    ...
    pai_model.errors.InputError: --fx: the rate of 'CNY/USD=1e-1' is not plain decimal text: ...
    """
    if not isinstance(text, str):
        raise InputError(argument, f"expected text such as 'CNY/USD=0.14', got {text!r}")
    pair, equals, value = text.partition("=")
    if not equals:
        raise InputError(argument, f"{text!r} has no '='; {_WRITE}")
    return _rate(pair, value, text, argument)


def _rate(pair: str, value: Any, text: str, argument: str) -> Rate:
    match = _PAIR.fullmatch(pair.strip())
    if match is None:
        raise InputError(
            argument, f"{pair.strip()!r} of {text!r} is not two currency codes; {_WRITE}"
        )
    source, target = match.groups()
    if source == target:
        raise InputError(argument, f"{text!r} converts {source} into itself")
    if isinstance(value, Decimal):
        rate = value
    elif isinstance(value, str) and _RATE.fullmatch(value.strip()):
        rate = Decimal(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        rate = Decimal(value)
    else:
        kind = "a float is not exact; give text" if isinstance(value, float) else "write"
        raise InputError(
            argument,
            f"the rate of {text!r} is not plain decimal text: {kind} ({DECIMAL_WORDS},"
            " no exponent, sign, separator or underscore)",
        )
    if not rate.is_finite() or rate <= 0:
        raise InputError(argument, f"the rate of {text!r} must be positive and finite")
    return source, target, rate


def fx_rates(fx: Mapping[str, Any] | Iterable[str] | None, argument: str = "fx") -> Rates:
    """Rates from ``--fx`` texts or a Python mapping, by (from, to).

    ``fx`` is None (no rates), texts ``"CNY/USD=0.14"``, or a mapping of ``"CNY/USD"`` (or
    ``("CNY", "USD")``) to
    the rate as decimal text, an int or a :class:`~decimal.Decimal` (a float is refused: it
    is not the number typed). Two rates for one pair are refused.

    >>> fx_rates({"CNY/USD": "0.14"})
    {('CNY', 'USD'): Decimal('0.14')}
    >>> fx_rates(["CNY/USD=0.14", "JPY/USD=0.0065"])[("JPY", "USD")]
    Decimal('0.0065')
    """
    if fx is None:
        return {}
    if isinstance(fx, str):
        raise InputError(argument, f"expected a mapping or a list of rates, got {fx!r}")
    if isinstance(fx, Mapping):
        # keys "CNY/USD", or ("CNY", "USD") as fx_rates returns them
        keys = ["/".join(k) if isinstance(k, tuple) else str(k) for k in fx]
        parsed = [_rate(k, v, f"{k}={v}", argument) for k, v in zip(keys, fx.values(), strict=True)]
    else:
        parsed = [parse_rate(t, argument) for t in fx]
    rates: Rates = {}
    for source, target, rate in parsed:
        if rates.get((source, target), rate) != rate:
            raise InputError(argument, f"two rates for {source}/{target}: give one")
        rates[(source, target)] = rate
    return rates


def rate_text(rate: Rate) -> str:
    """A rate as people read it: ``1 CNY = 0.14 USD``."""
    return f"1 {rate[0]} = {rate[2]} {rate[1]}"


def rates_label(rates: Rates) -> str:
    """Every rate, for a column or a metadata field ("" when none).

    >>> rates_label({("JPY", "USD"): Decimal("0.0065"), ("CNY", "USD"): Decimal("0.14")})
    '1 CNY = 0.14 USD; 1 JPY = 0.0065 USD'
    """
    return "; ".join(rate_text((s, t, r)) for (s, t), r in sorted(rates.items()))


def rates_text(rates: Rates) -> str:
    """Every rate used, for a note ("" when none).

    >>> rates_text({("CNY", "USD"): Decimal("0.14")})
    'exchange rate 1 CNY = 0.14 USD (given with --fx)'
    """
    if not rates:
        return ""
    return f"exchange rate{'s' if len(rates) > 1 else ''} {rates_label(rates)} (given with --fx)"


def convert_amount(amount: Any, rate: Decimal, target: str) -> Decimal:
    """``amount`` x ``rate``, rounded once half up to ``target``'s minor unit.

    ``amount`` is decimal text, an int or a Decimal (exact); the product is exact before
    the one rounding.

    >>> convert_amount("-0.25", Decimal("0.14"), "USD")  # -0.035: half away from zero
    Decimal('-0.04')
    >>> convert_amount("1000", Decimal("21.5"), "JPY")
    Decimal('21500')
    """
    return (Decimal(amount) * rate).quantize(
        Decimal(1).scaleb(-minor_decimals(target)), rounding=ROUND_HALF_UP
    )


def convert_price(price: Any, rate: Decimal) -> Decimal:
    """A unit price x ``rate``, rounded once half up to the kit's price precision.

    >>> convert_price("5.11", Decimal("0.14"))
    Decimal('0.715400')
    """
    return (Decimal(price) * rate).quantize(
        Decimal(1).scaleb(-PRICE_DECIMALS), rounding=ROUND_HALF_UP
    )


def needed_rates(pairs: Iterable[tuple[str, str]], sources: tuple[str, str], rates: Rates) -> Rates:
    """The rate converting each (from, to) currency pair met, or the refusal.

    ``pairs`` are the (currency of the first source, currency of the second) met side by
    side; pairs of one currency need nothing. ``sources`` names the two sources for the
    message. The first pair without a rate in ``rates`` raises
    :class:`~pai_model.errors.CurrencyError` naming both currencies and both sources.

    >>> needed_rates([("CNY", "USD"), ("USD", "USD")], ("bills.csv", "the catalog"),
    ...              {("CNY", "USD"): Decimal("0.14")})
    {('CNY', 'USD'): Decimal('0.14')}
    >>> needed_rates([("CNY", "USD")], ("bills.csv", "the catalog"), {})
    Traceback (most recent call last):
    ...
    pai_model.errors.CurrencyError: bills.csv is in CNY but the catalog is in USD; ...
    """
    used: Rates = {}
    for source, target in sorted(set(pairs)):
        if source == target or not (isinstance(source, str) and isinstance(target, str)):
            continue  # one currency, or one not known (a null cell): nothing to compare
        if not source or not target:
            continue
        if (source, target) not in rates:
            hint = f"give the rate with --fx {source}/{target}=RATE (1 {source} = RATE {target})"
            if (target, source) in rates:
                hint += f"; a {target}/{source} rate is not inverted"
            raise CurrencyError((source, target), sources, hint)
        used[(source, target)] = rates[(source, target)]
    return used
