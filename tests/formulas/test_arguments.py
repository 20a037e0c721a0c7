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


# ------------------------------------------------------------------ buyable terms
# Alibaba's usual set (ALIBABA_APIS.md section 9): 1-9, 12, 24, 36, 48, 60 months.


def test_buyable_months_default_is_alibabas_usual_set():
    from pai_model.formulas.arguments import BUYABLE_MONTHS

    assert BUYABLE_MONTHS == (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60)


def test_buyable_months_reads_lists_and_ranges():
    from pai_model.formulas.arguments import buyable_months

    assert buyable_months("1-3,6, 12") == (1, 2, 3, 6, 12)
    assert buyable_months([12, 1, 1]) == (1, 12)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("x", "expected months"),
        ([2, 3], "must include 1 month"),
        ([1, 121], "from 1 to 120"),
        ([1, 2.5], "whole months"),
        ([1, True], "whole months"),
        (7, "a list"),
    ],
)
def test_buyable_months_refuses_bad_sets(value, words):
    from pai_model.formulas.arguments import buyable_months

    with pytest.raises(InputError, match=words) as caught:
        buyable_months(value)
    assert caught.value.argument == "buyable_months"


@pytest.mark.parametrize(
    ("months", "parts"),
    # hand-made: the fewest orders of buyable terms, the longest first
    [(9, [9]), (10, [9, 1]), (11, [9, 2]), (12, [12]), (13, [12, 1]), (23, [12, 9, 2]),
     (60, [60]), (84, [60, 24]), (120, [60, 60]), (0, [])],
)  # fmt: skip
def test_split_buyable(months, parts):
    from pai_model.formulas.arguments import split_buyable

    assert split_buyable(months) == parts


def test_term_problem_names_the_nearest_terms():
    from pai_model.formulas.arguments import term_problem

    assert term_problem(9) is None and term_problem(60) is None
    assert "the nearest are 9 months or 1 year" in term_problem(11)
    assert "the nearest is 5 years" in term_problem(84, unit="year")
    assert term_problem(11, (1, 11)) is None
