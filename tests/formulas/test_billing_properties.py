"""Property tests of the billing formulas: exact against Python's ``decimal``, or a clean error.

The reference is written here from the billing page's rule (unit price x quantity x
duration, rounded half up to the cent; DOMAIN.md), in ``decimal`` with enough precision,
independent of the kit's engine. Arguments are drawn inside and outside the documented
bounds (prices of at most 6 decimals up to 100,000, whole quantities up to 100,000, whole
months up to 120, minutes of at most 3 decimals up to 5,260,320) and as text, Decimal,
int and float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from decimal_cases import KINDS, as_given, decimals_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pai_model import payg_cost, subscription_cost
from pai_model.errors import InputError
from pai_model.formulas.exact import exact_amount

CENT = Decimal("0.01")


def reference(price: Decimal, quantity: Decimal, duration: Decimal) -> Decimal:
    with localcontext(prec=80):
        return (price * quantity * duration).quantize(CENT, rounding=ROUND_HALF_UP)


#: Significant digits a float holds for every decimal (``sys.float_info.dig``): a scalar
#: formula returns a float, exact up to these; ``exact_amount`` is exact at any size.
FLOAT_DIGITS = 15


def check_exact(amount, args, price, quantity, duration, per_minute: bool) -> None:
    expected = reference(price, quantity, duration)
    assert exact_amount(*args, per_minute=per_minute) == expected, (args, expected)
    if len(expected.as_tuple().digits) <= FLOAT_DIGITS:
        assert Decimal(repr(amount)) == expected, (args, amount, expected)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    price=st.one_of(decimals_of(2, -10, 120_000), decimals_of(6, 0, 1000), decimals_of(7, 0, 1)),
    quantity=st.one_of(decimals_of(0, -2, 110_000), decimals_of(1, 0, 10)),
    months=st.one_of(decimals_of(0, -2, 130), decimals_of(2, 0, 3)),
    kinds=st.tuples(KINDS, KINDS, KINDS),
)
def test_subscription_cost_is_exact_or_refused(price, quantity, months, kinds):
    inside = (
        0 <= price <= 100_000
        and price == price.quantize(Decimal("0.000001"))
        and 0 <= quantity <= 100_000
        and quantity == quantity.to_integral_value()
        and 0 <= months <= 120
        and months == months.to_integral_value()
    )
    args = [as_given(v, k) for v, k in zip((price, quantity, months), kinds, strict=True)]
    try:
        amount = subscription_cost(*args)
    except InputError as error:
        assert not inside or error.argument in ("unit_price", "quantity", "months"), error
        return
    check_exact(amount, args, price, quantity, months, per_minute=False)


@SETTINGS
@given(
    price=st.one_of(decimals_of(6, 0, 100), decimals_of(2, -1, 110_000), decimals_of(7, 0, 1)),
    quantity=decimals_of(0, -1, 110_000),
    minutes=st.one_of(
        decimals_of(3, 0, 100_000), decimals_of(0, -5, 6_000_000), decimals_of(4, 0, 10)
    ),
    kinds=st.tuples(KINDS, KINDS, KINDS),
)
def test_payg_cost_is_exact_or_refused(price, quantity, minutes, kinds):
    args = [as_given(v, k) for v, k in zip((price, quantity, minutes), kinds, strict=True)]
    try:
        amount = payg_cost(*args)
    except InputError as error:
        assert error.argument in ("unit_price", "quantity", "minutes"), error
        return
    # accepted: then it was inside the bounds, and the bill is exact to the cent
    assert 0 <= price <= 100_000 and price == price.quantize(Decimal("0.000001"))
    assert 0 <= quantity <= 100_000 and minutes == minutes.quantize(Decimal("0.001"))
    assert 0 <= minutes <= 5_260_320
    check_exact(amount, args, price, quantity, minutes, per_minute=True)


def test_the_billing_page_example_by_hand():
    # DOMAIN.md: Lingjun pay-as-you-go, 1 node x 0.73 USD/minute x 45 minutes = 32.85 USD
    assert reference(Decimal("0.73"), Decimal(1), Decimal(45)) == Decimal("32.85")
    assert payg_cost("0.73", 1, 45) == 32.85
