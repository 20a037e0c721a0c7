"""Property test of ``price_order``: the quote is exact against Python's ``decimal``.

The offer is the billing page's Lingjun pay-as-you-go example (0.73 USD per minute,
DOMAIN.md: 1 node x 45 minutes = 32.85 USD); quantities and minutes are drawn inside and
outside their bounds (whole nodes 1 to 100,000; minutes above 0, at most 3 decimals, up to
5,260,320), as text, Decimal, int and float. Accepted orders bill
0.73 x nodes x minutes, rounded half up to the cent; the others end in the kit's error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from decimal_cases import KINDS, as_given, decimals_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pai_model import price_order
from pai_model.errors import PaiModelError

LINGJUN = ("cn-wulanchabu", "ml.gu7xf.8xlarge-gu108")
PRICE = Decimal("0.73")  # USD/minute, the billing page's example


def test_the_billing_page_example():
    assert price_order(*LINGJUN, 1, minutes=45).amount == Decimal("32.85")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quantity=st.one_of(decimals_of(0, -2, 110_000), decimals_of(1, 0, 5)),
    minutes=st.one_of(
        decimals_of(3, -1, 100_000), decimals_of(0, 0, 6_000_000), decimals_of(4, 0, 2)
    ),
    kinds=st.tuples(KINDS, KINDS),
)
def test_price_order_is_exact_or_refused(quantity, minutes, kinds):
    nodes, duration = as_given(quantity, kinds[0]), as_given(minutes, kinds[1])
    inside = (
        1 <= quantity <= 100_000
        and quantity == quantity.to_integral_value()
        and 0 < minutes <= 5_260_320
        and minutes == minutes.quantize(Decimal("0.001"))
    )
    try:
        quote = price_order(*LINGJUN, nodes, minutes=duration)
    except PaiModelError as error:
        assert not inside, f"refused an order inside the bounds: {error}"
        return
    assert inside, f"accepted an order outside the bounds: {nodes!r} x {duration!r}"
    with localcontext(prec=80):
        expected = (PRICE * quantity * minutes).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert quote.amount == expected, (nodes, duration, quote.amount, expected)
    assert quote.currency == "USD"
