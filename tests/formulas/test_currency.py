"""Exchange rates: read exactly, refused when malformed, applied with one half-up rounding.

Expected values are Python ``decimal`` hand calculations written beside each case.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pai_model.errors import CurrencyError, InputError
from pai_model.formulas.currency import (
    convert_amount,
    convert_price,
    fx_rates,
    minor_decimals,
    needed_rates,
    parse_rate,
    rates_label,
)


def test_rate_read_exactly():
    assert parse_rate("CNY/USD=0.14") == ("CNY", "USD", Decimal("0.14"))
    # 0.1 + 0.2 in floats is 0.30000000000000004; the text is kept as it is
    assert parse_rate("CNY/USD=0.30000000000000000001")[2] == Decimal("0.30000000000000000001")
    assert fx_rates(["CNY/USD=0.14", "JPY/USD=.0065"]) == {
        ("CNY", "USD"): Decimal("0.14"),
        ("JPY", "USD"): Decimal("0.0065"),
    }
    assert fx_rates({"CNY/USD": Decimal("0.14")}) == {("CNY", "USD"): Decimal("0.14")}
    assert fx_rates(None) == {}


@pytest.mark.parametrize(
    "text",
    [
        "CNY/USD=0",  # not positive
        "CNY/USD=-0.14",
        "CNY/USD=+0.14",
        "CNY/USD=1e-1",  # exponent
        "CNY/USD=inf",
        "CNY/USD=nan",
        "CNY/USD=0_14",  # underscore, which Decimal() accepts
        "CNY/USD=0,14",
        "CNY/USD=٠.١٤",  # Arabic-Indic digits, which Decimal() accepts
        "CNY/USD=",
        "CNY/USD 0.14",  # no '='
        "CNYUSD=0.14",
        "cny/usd=0.14",
        "CNY/CNY=1",
    ],
)
def test_bad_rate_refused_naming_the_option_and_text(text):
    with pytest.raises(InputError) as error:
        parse_rate(text)
    message = str(error.value)
    assert message.startswith("--fx: ") and "\n" not in message


def test_python_mapping_refuses_floats_bools_and_two_rates():
    with pytest.raises(InputError, match=r"^fx: .*a float is not exact"):
        fx_rates({"CNY/USD": 0.14})
    with pytest.raises(InputError, match=r"^fx: "):
        fx_rates({"CNY/USD": True})
    with pytest.raises(InputError, match="two rates for CNY/USD"):
        fx_rates(["CNY/USD=0.14", "CNY/USD=0.15"])
    with pytest.raises(InputError, match=r"^fx: "):
        fx_rates("CNY/USD=0.14")


def test_conversion_rounds_once_half_up_to_the_minor_unit():
    # 229.95 x 0.14 = 32.193 -> 32.19; 0.05 x 0.5 = 0.025 -> 0.03 (half even would give 0.02)
    assert convert_amount("229.95", Decimal("0.14"), "USD") == Decimal("32.19")
    assert convert_amount("0.05", Decimal("0.5"), "USD") == Decimal("0.03")
    assert convert_amount("-0.05", Decimal("0.5"), "USD") == Decimal("-0.03")
    # JPY has no minor unit: 100.00 USD x 155.55 = 15555.0 -> 15555; 0.01 x 150 = 1.5 -> 2
    assert minor_decimals("JPY") == 0
    assert convert_amount("100.00", Decimal("155.55"), "JPY") == Decimal("15555")
    assert convert_amount("0.01", Decimal("150"), "JPY") == Decimal("2")
    # a sum far past float precision stays exact: 10**20 + 0.01 CNY at 0.14
    assert convert_amount("100000000000000000000.01", Decimal("0.14"), "USD") == Decimal(
        "14000000000000000000.00"
    )
    # unit prices keep six places: 5.11 x 0.14 = 0.7154; 0.0000025 x 1 = half up 0.000003
    assert convert_price("5.11", Decimal("0.14")) == Decimal("0.715400")
    assert convert_price("0.0000025", Decimal("1")) == Decimal("0.000003")


def test_mixed_currencies_refused_naming_both_and_both_sources():
    with pytest.raises(CurrencyError) as error:
        needed_rates([("CNY", "USD")], ("bills.csv", "the catalog prices.csv"), {})
    message = str(error.value)
    for part in ("bills.csv", "prices.csv", "CNY", "USD", "--fx CNY/USD="):
        assert part in message
    assert error.value.currencies == ("CNY", "USD")
    # a rate the other way round is not inverted
    with pytest.raises(CurrencyError, match="USD/CNY rate is not inverted"):
        needed_rates([("CNY", "USD")], ("a", "b"), {("USD", "CNY"): Decimal("7.1")})
    assert needed_rates([("USD", "USD")], ("a", "b"), {}) == {}
    assert rates_label({("CNY", "USD"): Decimal("0.14")}) == "1 CNY = 0.14 USD"
