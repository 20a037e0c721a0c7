"""Bill amounts: the billing page's examples, every input kind, and exactness against decimal."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import InputError, payg_cost, subscription_cost
from pai_model.formulas.billing import discounted_price, hourly_payg_cost, year_subscription_cost
from pai_model.formulas.engine import bill_amounts, minor_units_to_float
from pai_model.formulas.exact import exact_amount

# The three worked examples of the billing page (seeds/000_cec44cf623ce86af.txt):
#   78.94 x 2 x 1 = 157.88 USD; 23,932.70 x 2 x 1 = 47,865.40 USD; 0.73 x 1 x 45 = 32.85 USD


def test_billing_page_general_subscription_example():
    assert subscription_cost(78.94, 2, 1) == 157.88


def test_billing_page_lingjun_subscription_example():
    assert subscription_cost(23932.70, 2, 1) == 47865.40


def test_billing_page_lingjun_payg_example():
    assert payg_cost(0.73, 1, 45) == 32.85


def test_dlc_example_prices_fractional_minutes_as_used():
    # PAI DLC billing example: 0.6 USD/hour = 0.01 USD/minute, 1 min 15 s = 1.25 min,
    # 1 x 0.01 x 1.25 = 0.0125 USD unrounded, 0.01 USD to the cent (half up).
    assert payg_cost(0.01, 1, 1.25, decimals=None) == 0.0125
    assert payg_cost(0.01, 1, 1.25) == 0.01


@pytest.mark.parametrize(
    "kind",
    [
        lambda v: v,  # list
        np.array,
        lambda v: pd.Series(v, index=["shanghai", "ulanqab"]),
    ],
    ids=["list", "ndarray", "series"],
)
def test_subscription_cost_accepts_every_numeric_kind(kind):
    prices = kind([78.94, 23932.70])
    result = subscription_cost(prices, 2, 1)
    assert list(result) == [157.88, 47865.40]
    if isinstance(prices, pd.Series):
        assert list(result.index) == ["shanghai", "ulanqab"]
    else:
        assert isinstance(result, np.ndarray)


@pytest.mark.parametrize("kind", [list, np.array, pd.Series], ids=["list", "ndarray", "series"])
def test_payg_cost_accepts_every_numeric_kind(kind):
    # 0.73 x 1 x 45 = 32.85; 0.73 x 3 x 60 = 131.40; 0.01 x 1 x 1.25 = 0.0125 -> 0.01
    result = payg_cost(kind([0.73, 0.73, 0.01]), kind([1, 3, 1]), kind([45, 60, 1.25]))
    assert list(result) == [32.85, 131.40, 0.01]


def test_scalar_in_scalar_out():
    assert isinstance(payg_cost(0.73, 1, 45), float)
    assert isinstance(subscription_cost(np.float64(78.94), np.int64(2), 1), float)


def test_broadcasting_matrix():
    # 2 prices x 3 durations: 78.94 x 1 x {1, 2, 12} and 10 x 1 x {1, 2, 12}
    result = subscription_cost(np.array([[78.94], [10.0]]), 1, np.array([1, 2, 12]))
    assert result.shape == (2, 3)
    assert result.tolist() == [[78.94, 157.88, 947.28], [10.0, 20.0, 120.0]]


def test_series_index_is_kept_when_broadcast_with_scalars():
    index = pd.Index(["a", "b", "c"], name="order")
    result = payg_cost(0.73, pd.Series([1, 2, 3], index=index), 45)
    assert result.index.equals(index)
    assert result.tolist() == [32.85, 65.70, 98.55]


def test_decimal_and_string_inputs_are_exact():
    assert subscription_cost(Decimal("23932.70"), 2, 1) == 47865.40
    assert payg_cost(["0.73"], [1], [Decimal("45")]).tolist() == [32.85]


def test_ties_round_half_up_by_default_and_half_even_on_request():
    # 1.005 x 1 x 1 is exactly 1.005: half up gives 1.01 (float rounding gives 1.0);
    # half even gives 1.00. 0.125 x 1 x 1 = 0.125: half up 0.13, half even 0.12.
    assert payg_cost(1.005, 1, 1) == 1.01
    assert payg_cost(1.005, 1, 1, rounding="half_even") == 1.0
    assert payg_cost([0.125, 0.135], 1, 1, rounding="half_even").tolist() == [0.12, 0.14]
    assert round(1.005, 2) == 1.0  # what naive float rounding does


def test_other_decimals():
    # 0.73 x 1 x 45.5 = 33.215: 0 decimals -> 33, 1 -> 33.2, 3 -> 33.215
    assert payg_cost(0.73, 1, 45.5, decimals=0) == 33.0
    assert payg_cost(0.73, 1, 45.5, decimals=1) == 33.2
    assert payg_cost(0.73, 1, 45.5, decimals=3) == 33.215


def test_largest_amount_within_bounds_is_exact():
    # 99,999.999999 x 99,999 x 5,260,319.999 = 52,602,673,957,474,073.260419999 (decimal),
    # to the cent 52,602,673,957,474,073.26; the nearest double is 52602673957474072.
    exact = Decimal("99999.999999") * 99999 * Decimal("5260319.999")
    assert exact == Decimal("52602673957474073.260419999")
    assert payg_cost(99999.999999, 99999, 5260319.999) == float(Decimal("52602673957474073.26"))


@pytest.mark.parametrize(
    ("args", "argument", "fragment"),
    [
        ((-1, 1, 1), "unit_price", "not negative"),
        ((float("nan"), 1, 1), "unit_price", "finite"),
        ((float("inf"), 1, 1), "unit_price", "finite"),
        ((100_000.01, 1, 1), "unit_price", "at most 100,000"),
        ((1.0000001, 1, 1), "unit_price", "more than 6 decimal places"),
        ((1, 1.5, 1), "quantity", "whole number"),
        ((1, -2, 1), "quantity", "not negative"),
        ((1, 100_001, 1), "quantity", "at most 100,000"),
        ((1, 1, 1.5), "months", "whole number"),
        ((1, 1, 121), "months", "at most 120"),
        ((1, 1, [1, np.nan]), "months", "position 1"),
        (("abc", 1, 1), "unit_price", "not a plain decimal number: 'abc'"),
        ((True, 1, 1), "unit_price", "booleans"),
    ],
)
def test_subscription_bad_inputs_raise_naming_the_argument(args, argument, fragment):
    with pytest.raises(InputError, match=fragment) as caught:
        subscription_cost(*args)
    assert caught.value.argument == argument
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("args", "kwargs", "argument", "fragment"),
    [
        ((0.73, 1, 45.0001), {}, "minutes", "more than 3 decimal places"),
        ((0.73, 1, 5_260_321), {}, "minutes", "at most 5,260,320"),
        ((0.73, 1, -1), {}, "minutes", "not negative"),
        ((0.73, 1, 45), {"rounding": "up"}, "rounding", "half_up, half_even"),
        ((0.73, 1, 45), {"decimals": 7}, "decimals", "from 0 to 6"),
        ((0.73, 1, 45), {"decimals": 2.5}, "decimals", "from 0 to 6"),
        (([1, 2], 1, [1, 2, 3]), {}, "arguments", "do not broadcast"),
    ],
)
def test_payg_bad_inputs_raise_naming_the_argument(args, kwargs, argument, fragment):
    with pytest.raises(InputError, match=fragment) as caught:
        payg_cost(*args, **kwargs)
    assert caught.value.argument == argument


def test_too_many_decimals_for_a_huge_amount_is_refused_not_wrong():
    # 100,000 x 100,000 x 5,260,320 = 5.26e16 USD is 5.26e22 micro-units: beyond int64.
    with pytest.raises(InputError, match="too large") as caught:
        payg_cost(100_000, 100_000, 5_260_320, decimals=6)
    assert caught.value.argument == "decimals"


# ---------------------------------------------------------------- exactness (hypothesis)

prices = st.decimals(
    min_value=0, max_value=100_000, places=6, allow_nan=False, allow_infinity=False
)
quantities = st.integers(min_value=0, max_value=100_000)
months = st.integers(min_value=0, max_value=120)
minutes = st.decimals(
    min_value=0, max_value=5_260_320, places=3, allow_nan=False, allow_infinity=False
)
roundings = st.sampled_from([("half_up", ROUND_HALF_UP), ("half_even", ROUND_HALF_EVEN)])


def reference(
    price: Decimal, quantity: int, duration: Decimal, mode: str, places: int = 2
) -> float:
    """Python's decimal: the exact product, rounded once, then the nearest double."""
    exact = price * quantity * duration
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=mode))


@settings(max_examples=400, deadline=None)
@given(prices, quantities, months, roundings)
def test_subscription_matches_decimal(price, quantity, duration, rounding):
    name, mode = rounding
    expected = reference(price, quantity, Decimal(duration), mode)
    assert subscription_cost(float(price), quantity, duration, rounding=name) == expected


@settings(max_examples=400, deadline=None)
@given(prices, quantities, minutes, roundings, st.integers(min_value=0, max_value=2))
def test_payg_matches_decimal(price, quantity, duration, rounding, places):
    name, mode = rounding
    expected = reference(price, quantity, duration, mode, places)
    got = payg_cost(float(price), quantity, float(duration), decimals=places, rounding=name)
    assert got == expected


@st.composite
def ties(draw):
    """(price, quantity, minutes) whose exact amount ends in exactly half a cent."""
    odd = 2 * draw(st.integers(min_value=0, max_value=49_999_999)) + 1
    if draw(st.booleans()):
        return Decimal(odd).scaleb(-3), 1, Decimal(1)  # x.xx5 x 1 x 1
    # whole cents x half a minute: odd / 100 x 0.5 = x.xx5; quantity 1 or 3 keeps it odd
    return Decimal(odd % 10**7).scaleb(-2), draw(st.sampled_from([1, 3])), Decimal("0.5")


@settings(max_examples=300, deadline=None)
@given(ties(), roundings)
def test_ties_match_decimal(case, rounding):
    price, quantity, duration = case
    name, mode = rounding
    expected = reference(price, quantity, duration, mode, 2)
    got = payg_cost(float(price), quantity, float(duration), rounding=name)
    assert got == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(prices, quantities, minutes), min_size=1, max_size=30))
def test_vectorized_rows_match_decimal_row_by_row(rows):
    price = [float(p) for p, _, _ in rows]
    quantity = [q for _, q, _ in rows]
    duration = [float(m) for _, _, m in rows]
    expected = [reference(p, q, m, ROUND_HALF_UP) for p, q, m in rows]
    assert payg_cost(price, quantity, duration).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**62), st.integers(min_value=0, max_value=6))
def test_minor_units_to_float_is_the_nearest_double(minor, places):
    # float(Decimal) is correctly rounded: the independent reference
    expected = float(Decimal(minor).scaleb(-places))
    assert minor_units_to_float(np.array([minor]), places)[0] == expected


def test_discounted_price_takes_percent_off():
    # hand calculations: 0.73 x 85 % = 0.6205; 23,932.70 x 87.5 % = 20,941.1125;
    # 0.000005 x 50 % = 0.0000025 -> 0.000003 (half up to 6 decimals); 78.94 x 0 % = 78.94
    assert discounted_price(0.73, 15) == 0.6205
    assert discounted_price(23932.70, 12.5) == 20941.1125
    assert discounted_price(0.000005, 50) == 0.000003
    assert discounted_price(78.94, 0) == 78.94
    # 0.73 x (100 - 12.3456) % = 0.63987712 -> 0.639877; 99.9999 % off 1 = 0.000001
    assert discounted_price(0.73, Decimal("12.3456")) == 0.639877
    assert discounted_price(1, 99.9999) == 0.000001


@pytest.mark.parametrize("kind", [list, np.array, pd.Series], ids=["list", "ndarray", "series"])
def test_discounted_price_kinds(kind):
    # 0.73 x 85 % = 0.6205; 0.73 x 90 % = 0.657
    result = discounted_price(kind([0.73, 0.73]), kind([15, 10]))
    assert list(result) == [0.6205, 0.657]
    assert isinstance(result, pd.Series if kind is pd.Series else np.ndarray)


@pytest.mark.parametrize(
    ("args", "kwargs", "argument", "fragment"),
    [
        ((1,), {"discount": 0.15}, "discount", "percent_off"),
        ((1,), {}, "percent_off", "missing"),
        ((1, 100), {}, "percent_off", "below 100"),
        ((1, [10, 150]), {}, "percent_off", "at most 100"),
        ((1, -5), {}, "percent_off", "not negative"),
        ((1, 12.34567), {}, "percent_off", "more than 4 decimal places"),
        ((-1, 10), {}, "unit_price", "not negative"),
    ],
    ids=["old-spelling", "missing", "hundred", "above-hundred", "negative", "too-precise", "price"],
)
def test_discounted_price_refuses_bad_input(args, kwargs, argument, fragment):
    with pytest.raises(InputError, match=fragment) as caught:
        discounted_price(*args, **kwargs)
    assert caught.value.argument == argument


# ------------------------------------------------- the scalar bill in decimal (exact_amount)


@pytest.mark.parametrize(
    ("args", "per_minute", "expected"),
    [
        ((78.94, 2, 1), False, "157.88"),
        ((23932.70, 2, 1), False, "47865.40"),
        ((0.73, 1, 45), True, "32.85"),
        (("23932.70", "2", Decimal(1)), False, "47865.40"),
    ],
    ids=["general", "lingjun-subscription", "lingjun-payg", "text-and-decimal"],
)
def test_exact_amount_billing_page_examples(args, per_minute, expected):
    # the billing page's three worked examples: 157.88, 47,865.40 and 32.85 USD
    amount = exact_amount(*args, per_minute=per_minute)
    assert amount == Decimal(expected) and isinstance(amount, Decimal)
    engine, minor = bill_amounts(*args, per_minute=per_minute, minor_units=True)
    assert engine.item() == float(expected) and minor.item() == int(Decimal(expected) * 100)


def test_exact_amount_kinds():
    # 0.73 x 1 x 45 = 32.85; 1.005 x 1 x 1 = 1.005 -> 1.01 (half up)
    index = pd.Index(["a", "b"])
    series = exact_amount(pd.Series([0.73, 1.005], index=index), 1, [45, 1], per_minute=True)
    assert series.index.equals(index) and series.tolist() == [Decimal("32.85"), Decimal("1.01")]
    array = exact_amount(np.array([[0.73], [1.005]]), 1, [45, 1], per_minute=True)
    assert array.shape == (2, 2) and array[1, 1] == Decimal("1.01")
    assert exact_amount(np.float64(0.73), np.int64(1), 45, per_minute=True) == Decimal("32.85")


@pytest.mark.parametrize(
    ("args", "per_minute", "kwargs"),
    [
        ((-1, 1, 1), False, {}),
        ((float("nan"), 1, 1), False, {}),
        ((100_000.01, 1, 1), True, {}),
        ((1.0000001, 1, 1), False, {}),
        ((Decimal("1.0000001"), 1, 1), False, {}),
        ((1, 1.5, 1), False, {}),
        ((1, 100_001, 1), True, {}),
        ((1, 1, 1.5), False, {}),
        ((1, 1, 121), False, {}),
        ((0.73, 1, 45.0001), True, {}),
        ((0.73, 1, -1), True, {}),
        (("abc", 1, 1), False, {}),
        ((True, 1, 1), False, {}),
        ((0.73, 1, 45), True, {"rounding": "up"}),
        ((0.73, 1, 45), True, {"decimals": 7}),
        ((100_000, 100_000, 5_260_320), True, {"decimals": 6}),
        (([1, 2], 1, [1, 2, 3]), True, {}),
        (([1, -1], 1, 1), True, {}),
    ],
)
def test_exact_amount_refuses_what_the_engine_refuses_in_the_same_words(args, per_minute, kwargs):
    with pytest.raises(InputError) as engine:
        bill_amounts(*args, per_minute=per_minute, **kwargs)
    with pytest.raises(InputError) as exact:
        exact_amount(*args, per_minute=per_minute, **kwargs)
    assert str(exact.value) == str(engine.value)
    assert exact.value.argument == engine.value.argument


@settings(max_examples=500, deadline=None)
@given(
    prices,
    st.sampled_from([float, str, Decimal]),
    quantities,
    st.booleans(),
    st.data(),
    roundings,
    st.integers(min_value=0, max_value=6),
)
def test_exact_amount_equals_the_engine(
    exact_price, kind, quantity, per_minute, data, rounding, places
):
    # the price as a float, as text or as a Decimal: each stands for the same decimal
    price = kind(exact_price)
    duration = data.draw(minutes.map(float) if per_minute else months)
    name, mode = rounding
    kwargs = {"per_minute": per_minute, "decimals": places, "rounding": name}
    try:
        engine, minor = bill_amounts(price, quantity, duration, minor_units=True, **kwargs)
    except InputError as refused:  # only amounts too large for minor units at > 2 decimals
        assert places > 2 and refused.argument == "decimals"
        with pytest.raises(InputError, match="too large"):
            exact_amount(price, quantity, duration, **kwargs)
        return
    amount = exact_amount(price, quantity, duration, **kwargs)
    # and both equal the independent reference: decimal's product, rounded once
    expected = exact_price * quantity * Decimal(repr(duration))
    assert amount == expected.quantize(Decimal(1).scaleb(-places), rounding=mode)
    assert float(amount) == engine.item()
    assert int(amount.scaleb(places)) == minor.item()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_shapes_broadcast_like_numpy(data):
    from hypothesis.extra.numpy import arrays, mutually_broadcastable_shapes

    shapes = data.draw(mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4))
    price = data.draw(
        arrays(np.float64, shapes.input_shapes[0], elements=st.sampled_from([0.73, 78.94, 1.005]))
    )
    quantity = data.draw(arrays(np.int64, shapes.input_shapes[1], elements=st.integers(0, 9)))
    minutes = data.draw(
        arrays(np.float64, shapes.input_shapes[2], elements=st.sampled_from([0.0, 45.0, 1.25]))
    )
    result = payg_cost(price, quantity, minutes)
    assert np.shape(result) == shapes.result_shape
    p, q, m = np.broadcast_arrays(price, quantity, minutes)
    expected = [
        reference(Decimal(repr(a)), int(b), Decimal(repr(c)), ROUND_HALF_UP)
        for a, b, c in zip(p.ravel().tolist(), q.ravel().tolist(), m.ravel().tolist(), strict=True)
    ]
    assert np.ravel(result).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(ties(), roundings)
def test_exact_amount_rounds_ties_as_the_engine(case, rounding):
    # ties end in exactly half a cent: where half up and half even differ
    price, quantity, duration = case
    name, mode = rounding
    amount = exact_amount(price, quantity, duration, per_minute=True, rounding=name)
    assert amount == (price * quantity * duration).quantize(Decimal("0.01"), rounding=mode)
    assert float(amount) == payg_cost(float(price), quantity, float(duration), rounding=name)


@settings(max_examples=500, deadline=None)
@given(prices, quantities, minutes, months)
def test_unrounded_amounts_are_the_nearest_double_to_the_exact_product(
    price, quantity, duration, whole_months
):
    # Fraction -> float is correctly rounded in Python: the independent reference
    exact_payg = Fraction(price) * quantity * Fraction(duration)
    assert payg_cost(float(price), quantity, float(duration), decimals=None) == float(exact_payg)
    exact_subscription = Fraction(price) * quantity * whole_months
    assert subscription_cost(float(price), quantity, whole_months, decimals=None) == float(
        exact_subscription
    )


def test_unrounded_tiny_and_huge_amounts():
    # 0.000001 x 1 x 0.001 = 1e-9 exactly; summing quotient and remainder as floats gave
    # 9.999999999886402e-10
    assert payg_cost(0.000001, 1, 0.001, decimals=None) == 1e-9
    # 0.123457 x 99,999 x 5,260,320 = 405,885,520,004,211 / 6,250 = 64,941,683,200.67376
    assert payg_cost(0.123457, 99_999, 5_260_320, decimals=None) == float(
        Fraction(405_885_520_004_211, 6_250)
    )


# ---------------------------------------------------------------- ambiguous numbers


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0,73", "not a plain decimal number: '0,73'"),
        ("1,000.5", "not a plain decimal number: '1,000.5'"),
        ("1_000", "not a plain decimal number: '1_000'"),
        ("7.3e-1", "not a plain decimal number: '7.3e-1'"),
        ("NaN", "not a plain decimal number: 'NaN'"),
        ("", "not a plain decimal number: ''"),
        ("0.73 USD", "not a plain decimal number: '0.73 USD'"),
    ],
)
def test_text_is_a_number_only_in_plain_decimal_notation(value, fragment):
    for call in (
        lambda: payg_cost(value, 1, 45),
        lambda: payg_cost([value], 1, 45),
        lambda: exact_amount(value, 1, 45, per_minute=True),
    ):
        with pytest.raises(InputError, match=re.escape(f"unit_price: {fragment}")):
            call()
    # plain text is read exactly: " 0.73 " is 0.73 (1 x 0.73 x 45 = 32.85)
    assert payg_cost(" 0.73 ", 1, 45) == 32.85


@pytest.mark.parametrize(
    "args",
    [([0.73, True], 1, 45), (0.73, [1, np.True_], 45), (0.73, 1, [45, False])],
    ids=["price", "quantity", "minutes"],
)
def test_booleans_are_refused_inside_lists(args):
    with pytest.raises(InputError, match="expected numbers, got a boolean"):
        payg_cost(*args)


def test_series_with_different_indexes_are_refused_not_combined_by_position():
    price = pd.Series([0.73, 0.5], index=["a", "b"])
    minutes = pd.Series([10, 20], index=["b", "a"])
    with pytest.raises(InputError, match="Series arguments have different indexes"):
        payg_cost(price, 1, minutes)
    # aligned: a = 0.73 x 20 = 14.60, b = 0.5 x 10 = 5.00
    aligned = payg_cost(price, 1, minutes.reindex(price.index))
    assert aligned.to_dict() == {"a": 14.6, "b": 5.0}


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.longdouble])
def test_other_float_widths_are_read_as_the_numbers_they_print_as(dtype):
    # np.float32(0.73) is 0.7300000190734863 in binary, but it prints (and was typed) as
    # 0.73: 1 x 0.73 x 45 = 32.85; 0.5 x 2 x 3 = 3.00
    assert payg_cost(dtype(0.73), 1, 45) == 32.85
    assert payg_cost(np.array([0.73], dtype=dtype), 1, 45).tolist() == [32.85]
    assert subscription_cost(np.array([0.5], dtype=dtype), 2, np.array([3], dtype=dtype)) == [3.0]


# Year terms and hourly public-resource prices: hand values, kinds, and exactness.


def test_dlc_public_resource_example_is_golden():
    # PAI DLC billing page: ecs.g6.2xlarge in Shanghai, 0.6 USD/hour, 1 min 15 s:
    # 1 x 0.6/60 x 1.25 = 0.0125 USD (0.01 to the cent, half up)
    assert hourly_payg_cost(0.6, 1, 1.25, decimals=4) == 0.0125
    assert hourly_payg_cost(0.6, 1, 1.25) == 0.01
    assert exact_amount(0.6, 1, 1.25, price_unit="hour", decimals=None) == Decimal("0.0125")
    # China site: 2.02 CNY/hour -> the page's 0.042 CNY: 2.02 x 1.25 / 60 = 0.04208333...
    assert exact_amount(2.02, 1, 1.25, price_unit="hour", decimals=3) == Decimal("0.042")


def test_hourly_price_is_never_rounded_per_minute():
    # 2.02/60 = 0.033666... per minute; rounding it to 6 places first (0.033667) and
    # billing 30,000 minutes would give 1,010.01; the exact bill is 2.02 x 500 h = 1,010.00
    assert hourly_payg_cost(2.02, 1, 30_000) == 1010.0
    # 3 nodes x 1.01/hour x 0.001 min = 0.00303/60 = 0.0000505 -> 0.000051 (half up, 6 places)
    assert hourly_payg_cost(1.01, 3, 0.001, decimals=6) == 0.000051
    assert hourly_payg_cost(1.01, 3, 0.001, decimals=6, rounding="half_even") == 0.00005


def test_hourly_ties_round_as_asked():
    # 0.3 x 1 x 1 / 60 = 0.005 exactly: half up 0.01, half even 0.00
    assert hourly_payg_cost(0.3, 1, 1) == 0.01
    assert hourly_payg_cost(0.3, 1, 1, rounding="half_even") == 0.0
    assert exact_amount(0.3, 1, 1, price_unit="hour", rounding="half_even") == Decimal("0.00")


def test_year_term_bills_the_year_price():
    # 287,192.40 a year x 2 nodes x 1 year = 574,384.80; x 3 years = 1,723,154.40
    assert year_subscription_cost(287192.40, 2, 1) == 574384.80
    assert year_subscription_cost(287192.40, 2, 3) == 1723154.40
    assert exact_amount("287192.40", 2, 3, price_unit="year") == Decimal("1723154.40")


def test_kinds():
    # 0.6/h: 60 min -> 0.60, 90 min -> 0.90; 800.10/y x 1 y, x 2 y = 800.10, 1,600.20
    index = pd.Index(["a", "b"])
    series = hourly_payg_cost(0.6, 1, pd.Series([60, 90], index=index))
    assert series.index.equals(index) and series.tolist() == [0.6, 0.9]
    assert year_subscription_cost(800.10, 1, [1, 2]).tolist() == [800.1, 1600.2]
    assert year_subscription_cost(np.array([[800.10]]), 1, 2).shape == (1, 1)
    assert isinstance(year_subscription_cost(800.10, 1, 1), float)


@pytest.mark.parametrize(
    ("function", "args", "argument", "fragment"),
    [
        (year_subscription_cost, (1, 1, 11), "years", "at most 10"),
        (year_subscription_cost, (1, 1, 1.5), "years", "whole number"),
        (year_subscription_cost, (1_200_000.01, 1, 1), "unit_price", "at most 1,200,000"),
        (hourly_payg_cost, (0.6, 1, 1.0001), "minutes", "3 decimal places"),
        (hourly_payg_cost, (100_000.01, 1, 1), "unit_price", "at most 100,000"),
    ],
)
def test_bounds(function, args, argument, fragment):
    with pytest.raises(InputError, match=fragment) as caught:
        function(*args)
    assert caught.value.argument == argument


def test_year_price_at_the_bound_is_exact():
    # 1,200,000 x 100,000 nodes x 10 years = 1.2e12 exactly (int64 minor units: 1.2e14)
    amount, minor = bill_amounts(1_200_000, 100_000, 10, price_unit="year", minor_units=True)
    assert amount.item() == 1.2e12 and minor.item() == 120_000_000_000_000


def test_a_unit_must_be_named_once():
    with pytest.raises(InputError, match="one of them"):
        bill_amounts(1, 1, 1)
    with pytest.raises(InputError, match="one of them"):
        exact_amount(1, 1, 1, per_minute=True, price_unit="hour")
    with pytest.raises(InputError, match="must be one of"):
        exact_amount(1, 1, 1, price_unit="day")


def _reference(value: Fraction, places: int, half_even: bool) -> Fraction:
    """The exact rational rounded once: the obviously correct slow way."""
    scaled = value * 10**places
    low = math.floor(scaled)
    rest = scaled - low
    up = rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (not half_even or low % 2 == 1))
    return Fraction(low + up, 10**places)


hourly_prices = st.decimals(min_value=0, max_value=100_000, places=6, allow_nan=False)


year_prices = st.decimals(min_value=0, max_value=1_200_000, places=6, allow_nan=False)


hourly_minutes = st.decimals(min_value=0, max_value=5_260_320, places=3, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(
    st.booleans(),
    st.data(),
    st.integers(min_value=0, max_value=100_000),
    st.booleans(),
    st.integers(min_value=0, max_value=6),
)
def test_engine_and_decimal_equal_the_rational_reference(hourly, data, quantity, even, places):
    price = data.draw(hourly_prices if hourly else year_prices)
    duration = data.draw(hourly_minutes if hourly else st.integers(min_value=0, max_value=10))
    unit = "hour" if hourly else "year"
    kwargs = {
        "price_unit": unit,
        "decimals": places,
        "rounding": "half_even" if even else "half_up",
    }
    exact = Fraction(price) * quantity * Fraction(Decimal(duration)) / (60 if hourly else 1)
    try:
        engine, minor = bill_amounts(
            float(price), quantity, float(duration), minor_units=True, **kwargs
        )
    except InputError as refused:  # amounts too large for minor units above 2 decimals
        assert places > 2 and refused.argument == "decimals"
        return
    expected = _reference(exact, places, even)
    amount = exact_amount(str(price), quantity, duration, **kwargs)
    assert Fraction(amount) == expected
    assert minor.item() == expected * 10**places
    assert engine.item() == float(expected)
