"""Dask results equal the single-machine path exactly, on a real distributed.LocalCluster
(the session's two worker processes bound to 127.0.0.1, tests/conftest.py)."""

from __future__ import annotations

import warnings

import dask.dataframe as dd
import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.orders import price_orders
from pai_model.bills.reconcile import reconcile
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.data.synthetic import synthetic_jobs
from pai_model.decisions.planning.dask_demand import demand_partitioned
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.errors import FocusDeviationWarning

SAMPLE = paths.SAMPLE_DIR / "focus_sample.csv"


@pytest.fixture
def client(dask_client):
    """The session's cluster (tests/conftest.py), dask's default scheduler in each test."""
    return dask_client


def test_price_orders_of_dask_equals_pandas(client):
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    orders = pd.DataFrame(
        {
            "region_id": ["cn-shanghai", "cn-wulanchabu", "cn-wulanchabu"] * 50,
            "spec": ["ecs.g7.xlarge-4c16g", "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108"]
            * 50,
            "quantity": [2, 2, 1] * 50,
            "billing_method": ["subscription", "subscription", "payg"] * 50,
            "months": [1, 1, None] * 50,
            "minutes": [None, None, 45] * 50,
        }
    )
    single = price_orders(orders, catalog)
    spread = price_orders(dd.from_pandas(orders, npartitions=4), catalog)
    pd.testing.assert_frame_equal(spread.lines, single.lines)
    pd.testing.assert_frame_equal(spread.totals, single.totals)
    # 50 x (157.88 + 47,865.40 + 32.85) = 2,402,806.50
    assert single.totals["amount"].tolist() == [2402806.5]


def test_demand_partitioned_by_pair_equals_pandas(client):
    jobs = synthetic_jobs(days=14, seed=3)
    single = demand_from_jobs(jobs)
    spread = demand_partitioned(dd.from_pandas(jobs.drop(columns="x_kind"), npartitions=5))
    pd.testing.assert_frame_equal(
        spread.astype({"region_id": str, "hardware": str}),
        single.astype({"region_id": str, "hardware": str}),
    )


def test_reconcile_of_dask_rows_equals_pandas(client):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        rows = read_focus(SAMPLE)
    catalog = read_catalog()
    single = reconcile(rows, catalog)
    spread = reconcile(dd.from_pandas(rows, npartitions=3), catalog)
    for name in ("by_spec", "by_month", "unmapped"):
        pd.testing.assert_frame_equal(
            getattr(spread, name), getattr(single, name), check_dtype=False
        )
    pd.testing.assert_frame_equal(spread.lines, single.lines, check_dtype=False)


def test_reconcile_command_on_the_cluster(client, capsys):
    address = client.scheduler.address
    assert main(["reconcile", str(SAMPLE), "--scheduler", address, "--format", "csv"]) == 0
    on_cluster = capsys.readouterr().out
    assert main(["reconcile", str(SAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out == on_cluster


def test_reconcile_command_streams_parquet_on_the_cluster(client, capsys):
    """A Parquet source is re-priced one part per task; the output is the CSV's in memory."""
    address = client.scheduler.address
    parquet = paths.SAMPLE_DIR / "focus_sample.parquet"
    assert main(["reconcile", str(parquet), "--scheduler", address, "--format", "csv"]) == 0
    on_cluster = capsys.readouterr().out
    assert main(["reconcile", str(SAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out == on_cluster
