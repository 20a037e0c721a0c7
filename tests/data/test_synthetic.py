"""synthetic_jobs: its ``pairs`` argument checked before any job is made."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from pai_model.data.synthetic import synthetic_jobs

WORDS = "pairs must be a list of (region_id, hardware) pairs of text"


@pytest.mark.parametrize(
    ("pairs", "got"),
    [
        (None, "got NoneType"),
        (3, "got int"),
        (b"cn-beijing", "got bytes"),
        ("cn-beijing", "got str"),
        (Decimal("NaN"), "got Decimal"),
        (pd.DataFrame({"region_id": ["cn-beijing"]}), "got DataFrame"),
        ([1, 2], "got an item int"),
        ([("cn-beijing", "gu108", "extra")], "got an item tuple"),
        ([("cn-beijing", 108)], "got an item tuple"),
    ],
)
def test_pairs_of_the_wrong_type_are_refused_naming_pairs(pairs, got):
    with pytest.raises(TypeError) as refused:
        synthetic_jobs(pairs, days=1)
    assert str(refused.value) == f"{WORDS}; {got}"


def test_pairs_as_lists_are_taken_as_tuples():
    jobs = synthetic_jobs([["cn-wulanchabu", "gu7xf-8xGU108"]], days=2, seed=1)
    assert set(zip(jobs["region_id"], jobs["hardware"], strict=True)) == {
        ("cn-wulanchabu", "gu7xf-8xGU108")
    }
