"""One notion of decimal text: the scalar rule and the column rule accept the same texts.

The rule (``formulas.arguments.DECIMAL``): ASCII digits, an optional decimal point with a
digit on at least one side, an optional minus sign. The reference below is written
independently of the kit's regular expression: Python's ``decimal`` must read the text,
and the text may hold nothing but ASCII digits, one point and a leading minus.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.data.decimals import is_decimal_text, text_units
from pai_model.errors import CatalogError, InputError
from pai_model.formulas.arguments import is_decimal, to_decimal


def reference(text: str) -> bool:
    body = text.strip().removeprefix("-")
    if not body or set(body) - set("0123456789.") or body.count(".") > 1 or body == ".":
        return False
    try:
        Decimal(body)
    except InvalidOperation:
        return False
    return True


_texts = st.one_of(
    st.text("0123456789.-+eE_, ", max_size=8),
    st.sampled_from(["23932.70", "0.73", "-5", "5.", ".5", "+5", "1e3", "٣", "1_000", "NaN"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_texts, max_size=20))
def test_scalar_and_column_rules_agree_with_the_reference(texts):
    expected = [reference(t) for t in texts]
    assert [is_decimal(t) for t in texts] == expected
    assert is_decimal_text(pd.Series(texts, dtype=object)).tolist() == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("23932.70", Decimal("23932.70")),
        ("-5", Decimal(-5)),
        ("5.", Decimal(5)),
        (".5", Decimal("0.5")),
    ],
)
def test_decimal_text_is_read_as_the_number_it_shows(text, value):
    assert to_decimal(text, "x") == value
    # the column reader gives the same number, in micro-units
    assert text_units(pd.Series([text]), 6).tolist() == [int(value * 10**6)]


@pytest.mark.parametrize("text", ["+5", "1e3", "1_000", "0,73", "٣", "NaN", "inf"])
def test_other_text_is_refused_with_the_rule_in_words(text):
    with pytest.raises(InputError, match=r"not a plain decimal number.*digits with an optional"):
        to_decimal(text, "unit_price")


def test_a_catalog_price_follows_the_same_rule(tmp_path):
    catalog = read_catalog(paths.DOCUMENTED_CATALOG).drop(columns="provenance")
    prices = catalog.astype({"subscription_price_per_month": object})
    prices.loc[0, "subscription_price_per_month"] = "78.94"
    prices.loc[1, "subscription_price_per_month"] = ".5"  # decimal text: 0.5
    assert read_catalog(prices)["subscription_price_per_month"].tolist()[:2] == [78.94, 0.5]
    prices.loc[1, "subscription_price_per_month"] = "+5"
    with pytest.raises(CatalogError, match=r"line 3: subscription_price_per_month = '\+5': not a"):
        read_catalog(prices)
