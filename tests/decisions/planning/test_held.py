"""Renewal advice per held subscription: each group expires on its own date."""

from __future__ import annotations

import pandas as pd

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.pipeline import plan_commitment

# 2 GU108 nodes busy the whole of January 2026: the plan subscribes both (23,932.70 a
# month against 0.73 x 43,200 = 31,536.00 on pay-as-you-go).
JOBS = pd.DataFrame({"start": ["2026-01-01"], "end": ["2026-01-31"],
                     "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108", "nodes": [2]})  # fmt: skip


def test_two_held_groups_expiring_on_different_dates_are_renewed_each_by_its_own_date():
    # two subscriptions of one node each; the 12-month horizon runs from 2026-01-31 (the
    # history's end) to 2027-01-31. By hand (terms 1-9, 12-60 months, ALIBABA_APIS.md 9):
    # mg-b expires 2026-03-01: renew by 2026-03-02 00:00 for 11 months (+10 months is
    # 2027-01-01, short of the end), bought as 9 + 2; mg-c expires 2026-09-15: renew by
    # 2026-09-16 00:00 for 5 months (+4 months is 2027-01-15, short of the end).
    held = pd.DataFrame({"region_id": "cn-wulanchabu", "spec": "ml.gu7xf.c96m1600.8-gu108",
                         "machine_group_id": ["mg-b", "mg-c"], "nodes": [1, 1],
                         "expiry": ["2026-03-01T00:00:00Z", "2026-09-15T00:00:00Z"]})  # fmt: skip
    result = plan_commitment(
        JOBS, read_catalog(paths.DOCUMENTED_CATALOG), months=12, scenarios=0, held=held
    )
    row = result.table.iloc[0]
    assert (row.recommended_nodes, row.held_expiring, row.renew_nodes) == (2, 2, 2)
    renewals = [note for note in result.notes if ": renew " in note]
    assert renewals == [
        "cn-wulanchabu / gu7xf-8xGU108: renew mg-b (1 node(s), expires 2026-03-01 00:00 UTC)"
        " by 2026-03-02 00:00 UTC for 11 months (9 + 2), or its nodes are released.",
        "cn-wulanchabu / gu7xf-8xGU108: renew mg-c (1 node(s), expires 2026-09-15 00:00 UTC)"
        " by 2026-09-16 00:00 UTC for 5 months, or its nodes are released.",
    ]
