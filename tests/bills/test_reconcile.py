"""Reconcile a real-shaped export (SYNTHETIC rows, tests/focus_cases.py): corrections and
credits summed apart (a correction in the month it corrects), only the PAI rows re-priced,
the rows of other services counted and set aside; the same exact totals in memory
(pandas), partition by partition on a real ``distributed.LocalCluster`` (Dask) and streamed
part by part (``reconcile_files``).

Hand calculation (billing page's pay-as-you-go price, 0.73 USD a node-minute):

=========================================  =======  ===========================
line                                        month    billed
=========================================  =======  ===========================
45 min, January                             Jan      45 x 0.73 = 32.85
60 min, January                             Jan      60 x 0.73 = 43.80
30 min, February                            Feb      30 x 0.73 = 21.90
correction of 15 min of January, billed     Jan      -15 x 0.73 = -10.95
in February's bill                                   (correction_cost)
credit in January's bill                    Jan      -5.00 (credit_cost)
=========================================  =======  ===========================

January: billed 32.85 + 43.80 = 76.65; net 76.65 - 10.95 - 5.00 = 60.70.
February: billed 21.90; net 21.90. Set aside: 1 ECS row, 2 OSS rows.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from focus_cases import ecs, oss, row, table, write

from pai_model import paths
from pai_model.bills.reconcile import reconcile
from pai_model.bills.reconcile_files import reconcile_files
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.errors import UsageError

CATALOG = read_catalog(paths.DOCUMENTED_CATALOG)
FEBRUARY = {
    "BillingPeriodStart": "2026-02-01T00:00:00Z",
    "BillingPeriodEnd": "2026-03-01T00:00:00Z",
}
ROWS = [
    row(),
    ecs(),
    row(BilledCost="43.80", EffectiveCost="43.80", ListCost="43.80", PricingQuantity="60",
        ChargePeriodStart="2026-01-11T00:00:00Z", ChargePeriodEnd="2026-01-11T01:00:00Z"),
    oss(),
    row(BilledCost="21.90", EffectiveCost="21.90", ListCost="21.90", PricingQuantity="30",
        ChargePeriodStart="2026-02-03T00:00:00Z", ChargePeriodEnd="2026-02-03T00:30:00Z",
        **FEBRUARY),
    # February's bill corrects 15 minutes of a January charge
    row(ChargeClass="Correction", BilledCost="-10.95", EffectiveCost="-10.95",
        ListCost="-10.95", PricingQuantity="-15", ChargePeriodStart="2026-01-11T00:00:00Z",
        ChargePeriodEnd="2026-01-11T00:15:00Z", **FEBRUARY),
    row(ChargeCategory="Credit", ChargeFrequency="One-Time", BilledCost="-5.00",
        EffectiveCost="-5.00", ListCost="-5.00", ListUnitPrice=None, PricingQuantity=None,
        PricingUnit=None),
    oss(BilledCost="2.00", EffectiveCost="2.00", ListCost="2.00"),
]  # fmt: skip
#: (month, billed, correction, credit, net) in micro-units, and the lines, by hand.
BY_MONTH = [
    (pd.Timestamp("2026-01-01"), 76_650_000, -10_950_000, -5_000_000, 60_700_000, 4),
    (pd.Timestamp("2026-02-01"), 21_900_000, 0, 0, 21_900_000, 1),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The mixed export as a FOCUS 1.2 CSV file and as a Parquet file with typed times."""
    folder = tmp_path_factory.mktemp("bills")
    csv = write(table(ROWS, "1.2"), folder / "bill.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = read_focus(csv)
    rows.attrs = {}
    parquet = folder / "parquet"
    parquet.mkdir()
    rows.iloc[:4].to_parquet(parquet / "part-0.parquet", row_group_size=2)
    rows.iloc[4:].to_parquet(parquet / "part-1.parquet", row_group_size=2)
    return csv, parquet


def _by_month(result):
    table = result.by_month
    return [
        (m, b, c, k, b + c + k, n)
        for m, b, c, k, n in zip(
            table["month"], table["billed_micros"], table["correction_micros"],
            table["credit_micros"], table["lines"], strict=True,
        )
    ]  # fmt: skip


def _check(result):
    assert _by_month(result) == BY_MONTH
    assert result.by_month["net_billed_cost"].tolist() == [60.70, 21.90]
    # corrections and credits are not differences
    assert result.by_month["difference_micros"].tolist() == [0, 0]
    assert result.by_month["match"].tolist() == [2, 1]
    assert result.by_month["correction"].tolist() == [1, 0]
    assert result.by_month["credit"].tolist() == [1, 0]
    # the ECS and OSS rows are set aside, not "unmapped" PAI lines
    assert result.unmapped.empty
    assert result.set_aside.values.tolist() == [
        ["Alibaba Cloud", "Object Storage Service", 2],
        ["Alibaba Cloud", "Elastic Compute Service", 1],
    ]
    assert result.focus_version == "1.2"
    text = "\n".join(result.notes)
    assert "FOCUS 1.2 export" in text
    assert (
        "3 rows of other services set aside (not PAI compute): Alibaba Cloud / Object"
        " Storage Service 2, Alibaba Cloud / Elastic Compute Service 1." in text
    )
    assert "1 corrections" in text and "1 credits" in text


def test_in_memory(export):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = reconcile(read_focus(export[0]), CATALOG)
    _check(result)
    lines = result.lines.set_index("cause")
    # the correction counts in January, the month it corrects, though billed in February
    assert lines.loc["correction", "month"] == pd.Timestamp("2026-01-01")
    assert lines.loc["correction", "billed_in"] == pd.Timestamp("2026-02-01")
    assert lines.loc["correction", "correction_micros"] == -10_950_000
    assert lines.loc["correction", "kit_list_micros"] == 0


def test_dask_on_a_local_cluster(export):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                     host="127.0.0.1", dashboard_address=None) as cluster,
        Client(cluster),
    ):  # fmt: skip
        result = reconcile(read_focus(export[1], engine="dask"), CATALOG)
    _check(result)


@pytest.mark.parametrize("source", ["csv", "parquet"])
def test_streamed(export, source):
    path = export[0] if source == "csv" else export[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = reconcile_files(path, CATALOG)
    assert result.lines is None
    _check(result)


def test_an_export_of_other_services_only_says_so(tmp_path):
    path = write(table([ecs(), oss(), oss()], "1.1"), tmp_path / "bill.csv")
    message = (
        f"{path}: no Alibaba Cloud PAI rows: 3 rows of provider Alibaba Cloud / services"
        " Object Storage Service, Elastic Compute Service"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(UsageError) as in_memory:
            reconcile(read_focus(path), CATALOG)
        with pytest.raises(UsageError) as streamed:
            reconcile_files(path, CATALOG)
    assert in_memory.value.messages == [message]
    assert streamed.value.messages == [message]
