"""Decimal text of any size read exactly: no silent wrap-around past Arrow's 38 digits."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model.data.decimals import text_units
from pai_model.errors import UsageError

#: (text, its micro-units written out by hand)
CASES = [
    ("1000000000000000000000000000000000000007", 1000000000000000000000000000000000000007_000000),
    ("123456789012345678901234567.5", 123456789012345678901234567_500000),
    ("-99999999999999999999999999999.0000005", -99999999999999999999999999999_000001),
    ("1e30", 10**36),
    ("32.85", 32_850000),
]


@pytest.mark.parametrize("compiled", [True, False])
def test_long_amounts_are_exact_not_wrapped(compiled):
    got = text_units(pd.Series([t for t, _ in CASES] + [None]), 6, compiled=compiled)
    assert got.tolist() == [units for _, units in CASES] + [0]


def test_too_many_places_in_a_long_amount_is_refused():
    with pytest.raises(UsageError, match="more than 12 decimal places"):
        text_units(pd.Series(["1000000000000000000000000000000000.0000000000001"]), 6)
