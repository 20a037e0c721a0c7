"""Nodes already held by subscription: the plan adds beyond them and renews what expires."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model import paths
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.pipeline import plan_commitment
from pai_model.errors import PlanError

# The pipeline's hand-made month: 2 nodes for 30 days and 1 more for 20 days; subscribing
# 2 GU108 nodes is the plan (23,932.70 a month against 0.73 x 43,200 = 31,536.00 for the
# node busy all month, and 0.73 x 28,800 = 21,024.00 for the third: not worth it).
JOBS = pd.DataFrame(
    {
        "start": ["2026-01-01", "2026-01-01"],
        "end": ["2026-01-31", "2026-01-21"],
        "region_id": "cn-wulanchabu",
        "hardware": "gu7xf-8xGU108",
        "nodes": [2, 1],
    }
)
SPEC = "ml.gu7xf.c96m1600.8-gu108"  # the subscription spec of that hardware


def held(nodes, expiry):
    return pd.DataFrame(
        {"region_id": "cn-wulanchabu", "spec": SPEC, "nodes": nodes, "expiry": expiry}
    )


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(paths.DOCUMENTED_CATALOG)


def test_held_nodes_that_last_are_subtracted(catalog):
    # 1 node held past the horizon's end: add 1 more, renew none
    result = plan_commitment(JOBS, catalog, scenarios=0, held=held([1], ["2027-01-01"]))
    row = result.table.iloc[0]
    assert (row.recommended_nodes, row.held_nodes, row.add_nodes, row.renew_nodes) == (2, 1, 1, 0)
    assert result.notes[-1] == (
        "cn-wulanchabu / gu7xf-8xGU108: 1 node(s) already held; the plan wants 2, so add 1."
    )


def test_held_nodes_that_expire_are_renewed_as_far_as_the_plan_needs(catalog):
    # 3 held, 1 to the end and 2 expiring on 2026-02-05 (the horizon runs into February):
    # the plan wants 2, the lasting one covers 1, so renew 1 of the 2 and add none
    result = plan_commitment(
        JOBS,
        catalog,
        scenarios=0,
        held=held([1, 2], ["2027-01-01T00:00:00Z", "2026-02-05T08:00:00Z"]),
    )
    row = result.table.iloc[0]
    assert (row.held_nodes, row.held_expiring, row.add_nodes, row.renew_nodes) == (3, 2, 0, 1)
    assert any(
        "by 2026-02-06 08:00 UTC for 1 month, or its nodes are released" in note
        for note in result.notes
    )


def test_bad_held_rows_are_listed(catalog, tmp_path):
    file = tmp_path / "held.csv"
    file.write_text(
        "region_id,spec,nodes,expiry\n"
        "cn-wulanchabu,no-such-spec,1,2026-06-01\n"
        "cn-wulanchabu,ml.gu7xf.c96m1600.8-gu108,1,2026-06-01\n"
    )
    with pytest.raises(PlanError) as caught:
        plan_commitment(JOBS, catalog, scenarios=0, held=file)
    assert caught.value.messages == [
        f"{file}: line 2: hardware = 'no-such-spec': neither a spec nor a hardware key of the"
        " catalog in this region"
    ]


def test_cli_plan_takes_held_nodes(tmp_path, capsys):
    jobs, file = tmp_path / "jobs.csv", tmp_path / "held.csv"
    JOBS.to_csv(jobs, index=False)
    held([1], ["2027-01-01"]).to_csv(file, index=False)
    args = ["plan", str(jobs), "--catalog", str(paths.DOCUMENTED_CATALOG), "--scenarios", "0"]
    assert main([*args, "--held", str(file), "--format", "csv"]) == 0
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert out.loc[0, ["held_nodes", "add_nodes", "renew_nodes"]].tolist() == [1, 1, 0]
    file.write_text("region_id,spec,nodes,expiry\ncn-wulanchabu,x,1.5,soon\n")
    assert main([*args, "--held", str(file)]) == 2
    err = capsys.readouterr().err
    assert "line 2: nodes = '1.5': not a whole number" in err and "Traceback" not in err


# 2 GU108 nodes busy the whole of January 2026: the plan subscribes both (23,932.70 a
# month against 0.73 x 43,200 = 31,536.00 on pay-as-you-go).
TWO_BUSY_NODES = pd.DataFrame(
    {
        "start": ["2026-01-01"],
        "end": ["2026-01-31"],
        "region_id": "cn-wulanchabu",
        "hardware": "gu7xf-8xGU108",
        "nodes": [2],
    }
)


def test_two_held_groups_expiring_on_different_dates_are_renewed_each_by_its_own_date():
    # two subscriptions of one node each; the 12-month horizon runs from 2026-01-31 (the
    # history's end) to 2027-01-31. By hand (terms 1-9, 12-60 months, ALIBABA_APIS.md 9):
    # mg-b expires 2026-03-01: renew by 2026-03-02 00:00 for 11 months (+10 months is
    # 2027-01-01, short of the end), bought as 9 + 2; mg-c expires 2026-09-15: renew by
    # 2026-09-16 00:00 for 5 months (+4 months is 2027-01-15, short of the end).
    held = pd.DataFrame(
        {
            "region_id": "cn-wulanchabu",
            "spec": "ml.gu7xf.c96m1600.8-gu108",
            "machine_group_id": ["mg-b", "mg-c"],
            "nodes": [1, 1],
            "expiry": ["2026-03-01T00:00:00Z", "2026-09-15T00:00:00Z"],
        }
    )
    result = plan_commitment(
        TWO_BUSY_NODES, read_catalog(paths.DOCUMENTED_CATALOG), months=12, scenarios=0, held=held
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
