"""Demand from FOCUS lines, streamed (``demand_from_focus``), equals the in-memory path:
``demand_from_jobs(usage_jobs(map_specs(read_focus(...))))``, on the SYNTHETIC sample export
and on Parquet parts written with typed times (streamed row group by row group), in one
process and on a real ``distributed.LocalCluster``."""

from __future__ import annotations

import warnings

import focus_cases as fc
import numpy as np
import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.usage import map_specs, usage_jobs
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.focus_demand import (
    CORRECTION,
    NO_TIME,
    NOT_USAGE,
    demand_from_focus,
)
from pai_model.errors import UsageError

SAMPLE = paths.SAMPLE_DIR


@pytest.fixture(scope="module")
def catalog():
    return read_catalog()


def in_memory(source, catalog):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = read_focus(source)
    return demand_from_jobs(usage_jobs(map_specs(rows, catalog).rows))


def typed_parts(folder, catalog, parts=3):
    """The sample's rows as Parquet parts with typed times and small row groups, plus a
    Committed line of 3 nodes (x_Nodes) for a whole day and a Tax line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = read_focus(SAMPLE / "focus_sample.csv")
    committed = rows.iloc[[0]].assign(
        PricingCategory="Committed",
        x_Nodes="3",
        PricingUnit="Node-Months",
        ChargePeriodStart=pd.Timestamp("2026-02-01"),
        ChargePeriodEnd=pd.Timestamp("2026-02-02"),
    )
    tax = rows.iloc[[1]].assign(ChargeCategory="Tax")
    rows = pd.concat([rows.assign(x_Nodes=None), committed, tax], ignore_index=True)
    rows.attrs = {}
    for i, part in enumerate(np.array_split(np.arange(len(rows)), parts)):
        rows.iloc[part].to_parquet(folder / f"part-{i}.parquet", row_group_size=100)
    return rows


def test_the_sample_export_streamed_equals_the_in_memory_demand(catalog):
    for name in ("focus_sample.csv", "focus_sample.csv.gz", "focus_sample.parquet"):
        found = demand_from_focus(SAMPLE / name, catalog)
        pd.testing.assert_frame_equal(found.demand, in_memory(SAMPLE / name, catalog))
        # 1,306 Usage lines, two of specs the catalog lacks (an OSS line, an unknown spec)
        assert (found.lines, found.used) == (1306, 1304)
        assert sorted(found.set_aside["spec"]) == ["ml.gu9xf.8xlarge-gu200", "oss.standard"]


def test_typed_parquet_is_streamed_by_row_group_and_equals_the_in_memory_path(
    tmp_path, catalog, monkeypatch
):
    rows = typed_parts(tmp_path, catalog)

    def whole_part(part):
        raise AssertionError(f"{part.name} was read whole, not streamed")

    monkeypatch.setattr("pai_model.data.focus.read_part", whole_part)
    found = demand_from_focus(tmp_path, catalog)
    monkeypatch.undo()
    expected = demand_from_jobs(usage_jobs(map_specs(rows, catalog).rows))
    pd.testing.assert_frame_equal(found.demand, expected)
    assert found.lines == len(rows)
    aside = dict(zip(found.set_aside["reason"], found.set_aside["rows"], strict=False))
    assert aside["not a Usage line (ChargeCategory)"] == 1
    # the Committed line: 3 nodes busy its whole day, on top of the sample's demand
    day = found.demand[
        (found.demand["start"] >= "2026-02-01") & (found.demand["end"] <= "2026-02-02")
    ]
    assert (day["nodes"] >= 3).any()


def test_corrections_and_refunds_are_set_aside_not_planned(tmp_path, catalog):
    rows = typed_parts(tmp_path, catalog, parts=1)
    rows.iloc[[5]].assign(PricingQuantity="-30.5").to_parquet(tmp_path / "part-9.parquet")
    found = demand_from_focus(tmp_path, catalog)
    aside = dict(zip(found.set_aside["reason"], found.set_aside["rows"], strict=False))
    # a negative quantity is a correction: set aside as such, not planned
    assert aside[CORRECTION] == 1 and NO_TIME not in aside


def test_on_a_local_cluster_equals_one_process(tmp_path, catalog, dask_client):
    typed_parts(tmp_path, catalog, parts=4)
    alone = demand_from_focus(tmp_path, catalog)
    shared = demand_from_focus(tmp_path, catalog, client=dask_client)
    pd.testing.assert_frame_equal(shared.demand, alone.demand)
    assert (shared.lines, shared.used) == (alone.lines, alone.used)


def test_problems_of_every_part_are_listed(tmp_path, catalog):
    rows = typed_parts(tmp_path, catalog, parts=2)
    rows.drop(columns="PricingUnit").to_parquet(tmp_path / "part-0.parquet")
    (tmp_path / "part-5.csv").write_text("not,a\nfocus,file\n")
    with pytest.raises(UsageError) as caught:
        demand_from_focus(tmp_path, catalog)
    text = "\n".join(caught.value.messages)
    assert "part-0.parquet: missing required column 'PricingUnit'" in text
    assert "part-5.csv" in text


def test_an_export_without_plannable_lines_says_so(tmp_path, catalog):
    rows = typed_parts(tmp_path, catalog, parts=1)
    rows.assign(SkuId="oss.standard").to_parquet(tmp_path / "part-0.parquet")
    with pytest.raises(UsageError, match="no Usage line of a spec the catalog has"):
        demand_from_focus(tmp_path, catalog)


def test_demand_grouped_by_day_gives_the_same_plans_scenarios_and_backtest(catalog):
    # grouping each day's minutes by level keeps how long each level lasts in every day,
    # month and window: the recommendation made from it is the same, to the cent
    from pai_model.decisions.recommend import advise

    exact = demand_from_focus(SAMPLE / "focus_sample.csv", catalog)
    grouped = demand_from_focus(SAMPLE / "focus_sample.csv", catalog, by_day=True)
    assert len(grouped.demand) < len(exact.demand) and grouped.demand.attrs["by_day"]
    found = [
        advise(table.demand, catalog, scenarios=200, held=None, today=None)
        for table in (exact, grouped)
    ]
    pd.testing.assert_frame_equal(found[0].actions, found[1].actions)
    assert found[0].totals == found[1].totals
    assert found[0].totals["backtest_months"] == 3 and found[0].totals["saving_p5"] is not None


def test_grouped_by_day_with_a_window_that_starts_and_ends_within_days(catalog, tmp_path):
    # lines from 13:37 on one day to 09:05 some days later: the scenarios count days from
    # the lookback's start, which no midnight bounds; the answer is still the same
    rows = typed_parts(tmp_path, catalog, parts=1)
    shifted = rows.assign(
        ChargePeriodStart=rows["ChargePeriodStart"] + pd.Timedelta(hours=13, minutes=37),
        ChargePeriodEnd=rows["ChargePeriodEnd"] + pd.Timedelta(hours=13, minutes=37),
    )
    shifted.to_parquet(tmp_path / "part-0.parquet")
    from pai_model.decisions.recommend import advise

    answers = [
        advise(
            demand_from_focus(tmp_path, catalog, by_day=grouped).demand,
            catalog,
            scenarios=100,
            lookback_days=9,
        )
        for grouped in (False, True)
    ]
    assert answers[0].totals == answers[1].totals


def test_recommend_on_a_local_cluster_gives_the_same_answer(tmp_path, catalog, dask_client):
    # the demand streamed by the workers and the backtest's months shared among them
    import pai_model as pm

    typed_parts(tmp_path, catalog, parts=4)
    alone = pm.recommend(tmp_path, catalog=catalog, scenarios=100)
    shared = pm.recommend(tmp_path, catalog=catalog, scenarios=100, client=dask_client)
    assert shared.to_json() == alone.to_json()
    assert shared.totals["backtest_months"] == 3


# ---- a real-shaped export (SYNTHETIC, tests/focus_cases.py): PAI usage only is demand ----

MIXED = [
    fc.row(),  # 45 node-minutes on 10 January
    fc.ecs(),
    fc.row(
        PricingQuantity="60",
        ChargePeriodStart="2026-01-11T00:00:00Z",
        ChargePeriodEnd="2026-01-11T01:00:00Z",
    ),  # 60 node-minutes
    fc.oss(),
    fc.row(
        PricingQuantity="30",
        ChargePeriodStart="2026-02-03T00:00:00Z",
        ChargePeriodEnd="2026-02-03T00:30:00Z",
    ),  # 30 node-minutes
    # an upward correction of 10 January and a refund of 15 minutes of 11 January: neither
    # is usage at the time it corrects
    fc.row(
        ChargeClass="Correction",
        PricingQuantity="20",
        BilledCost="14.60",
        ListCost="14.60",
        EffectiveCost="14.60",
    ),
    fc.refund(ChargePeriodStart="2026-01-11T00:00:00Z", ChargePeriodEnd="2026-01-11T00:15:00Z"),
    # a credit takes no usage hours away
    fc.credit(),
    fc.oss(),
]


def _node_minutes(demand):
    minutes = (demand["end"] - demand["start"]).dt.total_seconds() / 60
    return float((minutes * demand["nodes"]).sum())


def test_a_mixed_export_plans_the_pai_usage_only(tmp_path):
    documented = read_catalog(paths.DOCUMENTED_CATALOG)
    path = fc.write(fc.table(MIXED, "1.2"), tmp_path / "bill.csv")
    found = demand_from_focus(path, documented)
    # by hand: 45 + 60 + 30 node-minutes; the corrections and the credit add or take none
    assert _node_minutes(found.demand) == 135.0
    assert (found.lines, found.used) == (9, 3)
    assert found.focus_version == "1.2"
    aside = dict(zip(found.set_aside["reason"], found.set_aside["rows"], strict=True))
    assert aside == {
        CORRECTION: 2,
        NOT_USAGE: 1,
        "not Alibaba Cloud PAI (Alibaba Cloud / Elastic Compute Service)": 1,
        "not Alibaba Cloud PAI (Alibaba Cloud / Object Storage Service)": 2,
    }
    # the in-memory path (read_focus, usage_jobs) and a real LocalCluster agree
    assert _node_minutes(in_memory(path, documented)) == 135.0
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        shared = demand_from_focus(path, documented, client=client)
    pd.testing.assert_frame_equal(shared.demand, found.demand)


def test_an_export_without_pai_rows_says_whose_rows_it_holds(tmp_path):
    path = fc.write(fc.table([fc.ecs(), fc.oss()], "1.1"), tmp_path / "bill.csv")
    with pytest.raises(UsageError) as caught:
        demand_from_focus(path, read_catalog(paths.DOCUMENTED_CATALOG))
    assert caught.value.messages == [
        f"{path}: no Alibaba Cloud PAI rows: 2 rows of provider Alibaba Cloud / services"
        " Elastic Compute Service, Object Storage Service"
    ]
