"""Out-of-core reconciliation equals the in-memory one exactly, and its figures are the
hand calculations of tests/bills/test_reconcile.py (the billing page's 0.73 USD/minute
and 23,932.70 USD/month GU108 prices, the embedded 'documented' catalog)."""

from __future__ import annotations

import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bills.test_reconcile import CAUSES, COMMITTED, _row
from pai_model import paths
from pai_model.bills.reconcile import reconcile
from pai_model.bills.reconcile_files import reconcile_files
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.errors import FocusDeviationWarning, UsageError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)
SAMPLE = paths.SAMPLE_DIR / "focus_sample.csv"
MIN = pd.Timestamp("2026-01-01")


def _rows() -> pd.DataFrame:
    """Every cause, and the edges: no region, no spec, no currency, no unit, seconds,
    months, a row that is not Usage, a second month, a missing charge period end."""
    return pd.DataFrame(
        [
            *CAUSES,  # match, catalog price, rule, rounding, price or rule, hours, unmapped
            _row("1", "1", SkuId=None),  # unmapped, no spec
            _row("2", "2", RegionId=None),  # unmapped, no region
            _row("32.85", "32.85", BillingCurrency=None),
            _row("32.85", "32.85", quantity="2700", unit="Node-Seconds"),  # 45 minutes
            _row("32.85", "32.85", quantity=None, unit=None),  # the 45-minute period
            _row("5", "5", ChargeCategory="Tax"),  # not usage: left out
            _row("32.85", "32.85", BillingPeriodStart=pd.Timestamp("2026-02-01")),
            _row("32.85", "32.85", quantity="1e1"),  # 10 minutes: 7.30, a rule
            _row("32.85", "32.85", quantity=None, ChargePeriodEnd=pd.NaT),  # 0 minutes: a rule
            COMMITTED,  # 2 x 23,932.70: match
        ]
    )


def _write(rows: pd.DataFrame, folder, parts: int = 2, row_group_size: int = 3) -> None:
    size = -(-len(rows) // parts)
    for i in range(parts):
        table = pa.Table.from_pandas(rows.iloc[i * size : (i + 1) * size], preserve_index=False)
        pq.write_table(table, folder / f"part-{i}.parquet", row_group_size=row_group_size)


def _equal(got, expected) -> None:
    for name in ("by_spec", "by_month", "unmapped"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))
    assert got.notes == expected.notes
    assert got.lines is None


@pytest.mark.parametrize("period", [True, False], ids=["billing period", "charge month"])
def test_streamed_parquet_equals_in_memory(tmp_path, period):
    rows = _rows() if period else _rows().drop(columns="BillingPeriodStart")
    _write(rows, tmp_path)
    expected = reconcile(pd.read_parquet(tmp_path), DOCUMENTED)
    got = reconcile_files(tmp_path, DOCUMENTED)
    _equal(got, expected)
    key = ("cn-wulanchabu", "ml.gu7xf.8xlarge-gu108", "USD")
    spec = got.by_spec.set_index(["region_id", "spec", "currency"]).loc[key]
    # 0 + 3.28 + 0.73 + 0.01 + (40 - 32.85 = 7.15) + (0.75 - 32.85 = -32.10), the seconds,
    # no-unit and February rows at 0, 32.85 - 7.30 = 25.55 and 32.85 - 0
    assert spec["difference_micros"] == (328 + 73 + 1 + 715 - 3210 + 2555 + 3285) * 10**4
    assert spec["lines"] == 11 and spec["rule"] == 4 and spec["match"] == 4
    assert sorted(got.unmapped["spec"]) == ["", "ml.gu7xf.8xlarge-gu108", "oss.standard"]
    if period:
        # 16 usage lines: January in USD, January with no currency, February in USD
        assert got.by_month["lines"].tolist() == [14, 1, 1]


def test_validated_parts_equal_read_focus_and_warn_the_same(tmp_path):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", FocusDeviationWarning)
        rows = read_focus(SAMPLE)
        expected = reconcile(rows, read_catalog())
        got = reconcile_files(SAMPLE, read_catalog(), validate=True)
    _equal(got, expected)
    told = [str(w.message) for w in seen if w.category is FocusDeviationWarning]
    assert len(told) == 2 and told[0] == told[1]


def test_parquet_with_times_as_text_is_read_through_the_focus_rules(tmp_path):
    sample = paths.SAMPLE_DIR / "focus_sample.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        expected = reconcile(read_focus(sample), read_catalog())
    _equal(reconcile_files(sample, read_catalog()), expected)


def test_on_a_local_cluster_equals_one_process(tmp_path, dask_client):
    _write(_rows(), tmp_path, parts=4)
    alone = reconcile_files(tmp_path, DOCUMENTED)
    _equal(reconcile_files(tmp_path, DOCUMENTED, client=dask_client), alone)


def test_a_missing_column_is_one_problem_per_part(tmp_path):
    _write(_rows().drop(columns="ListCost"), tmp_path)
    with pytest.raises(UsageError) as error:
        reconcile_files(tmp_path, DOCUMENTED)
    assert [str(p) for p in error.value.problems] == [
        f"{tmp_path / f'part-{i}.parquet'}: missing required column 'ListCost'" for i in (0, 1)
    ]


def test_reconcile_command_on_parquet_equals_on_csv(tmp_path, capsys):
    """The command streams a Parquet source; its output is the in-memory one of the CSV."""
    parquet = paths.SAMPLE_DIR / "focus_sample.parquet"
    for view in ("spec", "month"):
        assert main(["reconcile", str(SAMPLE), "--by", view, "--format", "csv"]) == 0
        in_memory = capsys.readouterr()
        assert main(["reconcile", str(parquet), "--by", view, "--format", "csv"]) == 0
        streamed = capsys.readouterr()
        assert streamed.out == in_memory.out
        assert streamed.err.replace(str(parquet), "SOURCE") == in_memory.err.replace(
            str(SAMPLE), "SOURCE"
        )


def _jobs_in_parquet(folder, jobs: pd.DataFrame, parts: int = 3) -> None:
    jobs = jobs.copy()
    jobs.attrs = {}
    size = -(-len(jobs) // parts)
    for i in range(parts):
        table = pa.Table.from_pandas(jobs.iloc[i * size : (i + 1) * size], preserve_index=False)
        pq.write_table(table, folder / f"jobs-{i}.parquet", row_group_size=97)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"freq": None},
        {"freq": "15min", "overhead_minutes": 2.5},
        {"start": "2026-01-03", "end": "2026-01-09 12:00"},
        {"end": "2026-01-12 06:30"},
    ],
    ids=["default", "exact times", "15 min, overhead", "window", "end only"],
)
def test_demand_from_files_equals_demand_from_jobs(tmp_path, options):
    from pai_model.data.synthetic import synthetic_jobs
    from pai_model.decisions.planning.dask_demand import demand_files
    from pai_model.decisions.planning.demand import demand_from_jobs

    jobs = synthetic_jobs(days=14, seed=3).drop(columns="x_kind")
    _jobs_in_parquet(tmp_path, jobs)
    expected = demand_from_jobs(jobs, **options)
    got = demand_files(tmp_path, **options)
    pd.testing.assert_frame_equal(got, expected)
    for name in ("window", "freq", "overhead_minutes", "checked"):
        assert got.attrs[name] == expected.attrs[name]


def test_demand_from_files_names_each_bad_record_by_file_and_line(tmp_path):
    from pai_model.data.synthetic import synthetic_jobs
    from pai_model.decisions.planning.dask_demand import demand_files
    from pai_model.errors import JobError

    jobs = synthetic_jobs(days=3, seed=3).drop(columns="x_kind").reset_index(drop=True)
    jobs.loc[[5, len(jobs) - 1], "nodes"] = 0
    _jobs_in_parquet(tmp_path, jobs, parts=2)
    with pytest.raises(JobError) as error:
        demand_files(tmp_path)
    size = -(-len(jobs) // 2)
    # row 5 of the first file is its line 7; the last record is the last row of the second
    lines = [(p.source.rsplit("/", 1)[-1], p.line) for p in error.value.problems]
    assert lines == [("jobs-0.parquet", 7), ("jobs-1.parquet", len(jobs) - 1 - size + 2)]
