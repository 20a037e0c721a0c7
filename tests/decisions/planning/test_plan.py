"""The planner's spot tier: a share of the list price, never discounted again."""

from __future__ import annotations

import pandas as pd

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.prices import Preemptible


def test_spot_is_a_share_of_the_list_price_and_discounts_do_not_apply():
    # golden value (ALIBABA_APIS.md section 9): list 0.73 USD/minute, 10 % paid, a 10 %
    # pay-as-you-go discount -> pay-as-you-go 0.657, spot 0.073 (not 0.9 x 0.073 = 0.0657)
    jobs = pd.DataFrame({"start": ["2026-01-01"], "end": ["2026-01-02"],
                         "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108",
                         "nodes": [1]})  # fmt: skip
    plan = size_commitment(
        demand_from_jobs(jobs),
        read_catalog(paths.DOCUMENTED_CATALOG),
        payg_percent_off=10,
        preemptible=Preemptible(percent_paid=10),
    )
    row = plan.summary.iloc[0]
    assert row.payg_price_per_minute == 0.657
    assert row.preemptible_spot_price_per_minute == 0.073
