"""Cells converted to the model's types: float32 numbers read as the decimals they were typed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pai_model
from pai_model.data._cells import convert


@pytest.mark.parametrize("dtype", [np.float32, np.float16, "Float32"])
def test_a_narrow_float_is_the_decimal_typed_not_its_widened_binary(dtype):
    # float32(0.1) is 0.100000001490116...; its shortest decimal at its own precision is 0.1
    values = pd.Series(
        pd.array([0.1, 0.5, None], dtype=dtype)
        if dtype == "Float32"
        else np.array([0.1, 0.5, np.nan], dtype=dtype)
    )
    numbers, failures = convert(values, "float64", None)
    assert numbers.tolist()[:2] == [0.1, 0.5]
    assert np.isnan(numbers.tolist()[2])
    assert failures == []


def test_float32_minutes_price_as_typed():
    orders = pd.DataFrame(
        {
            "region_id": ["cn-wulanchabu"] * 3,
            "spec": ["ml.gu7xf.8xlarge-gu108"] * 3,
            "quantity": [1] * 3,
            "billing_method": ["payg"] * 3,
            "months": [None] * 3,
            "minutes": np.array([0.1, 0.123, 2.5], dtype=np.float32),
        }
    )
    bill = pai_model.price_orders(orders, "documented")
    # 0.73 USD/minute (the billing page's Lingjun price), rounded half up to the cent by hand:
    # x 0.1 = 0.073 -> 0.07; x 0.123 = 0.08979 -> 0.09; x 2.5 = 1.825 -> 1.83
    assert bill.lines["amount_minor"].tolist() == [7, 9, 183]


@pytest.mark.parametrize("frame", [False, True], ids=["text", "datetime64"])
def test_a_naive_time_of_the_fold_or_the_gap_is_refused_in_those_words(frame):
    from pai_model.data.jobs import read_jobs
    from pai_model.errors import JobError

    # New York, 2026: clocks go back at 02:00 on 1 November (01:30 happens twice) and
    # forward at 02:00 on 8 March (02:30 never happens); 2026-06-01 is an ordinary day
    starts = ["2026-11-01T01:30:00", "2026-03-08T02:30:00", "2026-06-01T01:30:00"]
    ends = ["2026-11-01T04:00:00", "2026-03-08T04:00:00", "2026-06-01T04:00:00"]
    jobs = pd.DataFrame(
        {
            "start": pd.to_datetime(starts) if frame else starts,
            "end": pd.to_datetime(ends) if frame else ends,
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": 1,
        }
    )
    with pytest.raises(JobError) as refused:
        read_jobs(jobs, timezone="America/New_York")
    messages = [m.split(": ", 3)[-1] for m in refused.value.messages]
    assert messages == [
        "happens twice in America/New_York (the clocks go back at the end of summer time),"
        " so it has two readings; give its UTC offset to say which one is meant",
        "does not exist in America/New_York (the clocks skip it at the start of summer"
        " time); give its UTC offset, or the time as the clocks showed it",
    ]
    assert [m.split(": ")[1] for m in refused.value.messages] == ["line 2", "line 3"]
