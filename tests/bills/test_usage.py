"""Reading Alibaba's FOCUS export: formats, folders, globs, URLs, deviations, malformed files,
unmapped specs. Samples are generated here (pai_model.data.synthetic_bills) or committed
(pai_model/data/samples/, written by tools/make_samples.py)."""

from __future__ import annotations

import gzip
import warnings
import zipfile

import fsspec
import numpy as np
import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.usage import map_specs, micros, usage_jobs
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.data.synthetic_bills import synthetic_focus
from pai_model.errors import FocusDeviationWarning, UsageError

CSV = paths.SAMPLE_DIR / "focus_sample.csv"


def _rows() -> pd.DataFrame:
    jobs = pd.DataFrame(
        {
            # the second job crosses into February: two rows, 60 + 30 minutes
            "start": ["2026-01-10T00:00:00", "2026-01-31T23:00:00"],
            "end": ["2026-01-10T00:45:00", "2026-02-01T00:30:00"],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [1, 2],
        }
    )
    return synthetic_focus(
        jobs,
        read_catalog(paths.DOCUMENTED_CATALOG),
        discount_percent=10,
        wrong_price_every=1000,
        rounded_every=1000,
        null_unit_every=1000,
    )


def _write(rows: pd.DataFrame, path) -> None:
    rows.to_csv(path, index=False)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "bill.csv"
    _write(_rows(), path)
    return path


def _read(source, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        return read_focus(source, **kwargs)


def test_rows_costs_exact_and_alibaba_x_columns_kept(sample):
    rows = _read(sample)
    # 45 min x 0.73 = 32.85 list, 10 % off: 29.565 -> 29.57 (half up)
    assert rows["ListCost"].tolist()[:3] == [
        "32.85",
        "87.6",
        "43.8",
    ]  # 2 x 60 x 0.73; 2 x 30 x 0.73
    assert rows["BilledCost"].iloc[0] == "29.57"
    assert rows["PricingQuantity"].tolist()[:3] == ["45", "120", "60"]
    assert str(rows["ChargePeriodStart"].iloc[2]) == "2026-02-01 00:00:00"
    assert {"x_BillingItemCode", "x_CommodityCode", "x_InstanceID", "x_Label"} <= set(rows.columns)
    assert rows["x_Label"].iloc[0] == "synthetic"


def test_deviations_listed_with_what_the_kit_does(sample):
    with pytest.warns(FocusDeviationWarning, match="ContractedCost always null"):
        rows = read_focus(sample)
    found = pd.DataFrame(rows.attrs["deviations"]).set_index("column")
    assert set(found.index) == {
        "ContractedCost",
        "ContractedUnitPrice",
        "ConsumedQuantity",
        "ConsumedUnit",
    }
    assert found.loc["ContractedCost", "rows"] == 5  # 3 rows + the 2 strays
    assert "ListCost and BilledCost" in found.loc["ContractedCost", "handling"]


def test_the_same_rows_from_gzip_zip_parquet_folder_glob_and_url(sample, tmp_path):
    expected = _read(sample)
    data = sample.read_bytes()
    (tmp_path / "bill.csv.gz").write_bytes(gzip.compress(data))
    with zipfile.ZipFile(tmp_path / "bill.zip", "w") as archive:
        archive.writestr("123_1_FOCUS_202601.csv", data)
    pd.read_csv(sample, dtype=str).to_parquet(tmp_path / "bill.parquet")
    memory = fsspec.filesystem("memory")
    memory.pipe("/bills/2026/bill.csv", data)
    for source in ("bill.csv.gz", "bill.zip", "bill.parquet"):
        got = _read(tmp_path / source)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    both = _read(str(tmp_path / "bill.c*"))
    assert len(both) == 2 * len(expected)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.csv").write_bytes(data)
    (folder / "notes.txt").write_text("not a bill")
    assert len(_read(folder)) == len(expected)
    got = _read("memory://bills/")
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    memory.rm("/bills", recursive=True)


def test_committed_samples_agree():
    csv = _read(CSV)
    for other in ("focus_sample.csv.gz", "focus_sample.parquet"):
        pd.testing.assert_frame_equal(_read(paths.SAMPLE_DIR / other), csv, check_dtype=False)
    assert (csv["x_Label"] == "synthetic").all()
    assert CSV.read_text().startswith("# SYNTHETIC")


def test_committed_samples_are_what_the_script_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_samples", paths.PACKAGE.parent / "tools" / "make_samples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.sample_text() == CSV.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda t: t.replace("ChargeCategory,", "Category,", 1),
            "missing required column 'ChargeCategory'",
        ),
        (
            lambda t: t.replace(",32.85,", ",32.85 USD,", 1),
            "ListCost = '32.85 USD': not a decimal number",
        ),
        (lambda t: t.replace(",Usage,", ",Usage charge,", 1), "not a charge category"),
        (
            lambda t: t.replace("2026-01-10T00:45:00Z", "soon", 1),
            "ChargePeriodEnd = 'soon': not a time",
        ),
        (lambda t: t.replace(",USD,", ",dollars,", 1), "not an ISO 4217 currency"),
    ],
    ids=["missing column", "bad decimal", "bad category", "bad time", "bad currency"],
)
def test_malformed_rows_named_by_file_line_column(tmp_path, change, message):
    path = tmp_path / "bad.csv"
    text = _rows().to_csv(index=False)
    path.write_text(change(text))
    with pytest.raises(UsageError) as caught:
        _read(path)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert all(str(path) in m for m in caught.value.messages)


def test_every_bad_part_is_listed(tmp_path):
    text = _rows().to_csv(index=False)
    (tmp_path / "a.csv").write_text(text.replace(",USD,", ",usd,", 1))
    (tmp_path / "b.csv").write_text(text.replace(",Usage,", ",Use,", 1))
    with pytest.raises(UsageError) as caught:
        _read(tmp_path)
    text = "\n".join(caught.value.messages)
    assert "a.csv: line 2" in text and "b.csv: line 2" in text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.zip", b"PK\x03\x04 not really", "not a readable zip archive"),
        ("broken.csv.gz", b"\x1f\x8b\x08 truncated", "cannot be read"),
        ("empty.zip", None, "a zip archive with no CSV"),
        ("broken.parquet", b"PAR1 no footer", "not a readable Parquet file"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "nothing")
    else:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        _read(path)


def test_nothing_to_read(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        _read(tmp_path / "missing.csv")
    with pytest.raises(UsageError, match="matches no file"):
        _read(str(tmp_path / "*.csv"))
    with pytest.raises(UsageError, match="a folder with no usage files"):
        _read(tmp_path)
    with pytest.raises(UsageError, match="engine must be"):
        _read(tmp_path, engine="spark")


def test_oss_without_ossfs_says_how_to_install():
    try:
        import ossfs  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError, match=r"pai-cost-kit\[oss\]"):
            _read("oss://bucket/bills/")
    else:
        pytest.skip("ossfs is installed: the message for its absence cannot be shown")


def test_unmapped_specs_listed_never_dropped(sample):
    rows = _read(sample)
    mapped = map_specs(rows, read_catalog(paths.DOCUMENTED_CATALOG))
    assert len(mapped.rows) == len(rows)
    assert mapped.rows["hardware"].tolist()[:3] == ["gu7xf-8xGU108"] * 3
    unmapped = mapped.unmapped.set_index("spec")
    assert sorted(unmapped.index) == ["ml.gu9xf.8xlarge-gu200", "oss.standard"]
    # each stray copies the first row: 32.85 list
    assert unmapped.loc["oss.standard", "list_cost"] == 32.85
    assert unmapped.loc["oss.standard", "reason"] == "spec not in the catalog for this region"


def test_usage_jobs_from_bills(sample):
    mapped = map_specs(_read(sample), read_catalog(paths.DOCUMENTED_CATALOG))
    jobs = usage_jobs(mapped.rows)
    # 120 node-minutes over a 60-minute charge period: 2 nodes for 60 minutes
    assert jobs["nodes"].tolist() == [1, 2, 2]
    assert [str(t) for t in jobs["end"]] == [
        "2026-01-10 00:45:00",
        "2026-02-01 00:00:00",
        "2026-02-01 00:30:00",
    ]


def test_micros_exact_against_decimal():
    from decimal import ROUND_HALF_UP, Decimal

    texts = ["0.0000005", "123456.1234565", "-2.5e-7", "9999999.999999", "0"]
    expected = [
        int((Decimal(t) * 10**6).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for t in texts
    ]
    assert micros(pd.Series(texts)).tolist() == expected


def test_x_columns_of_parts_that_lack_them_are_missing(tmp_path):
    rows = _rows()
    rows.to_csv(tmp_path / "a.csv", index=False)
    rows.drop(columns=["x_Label"]).to_csv(tmp_path / "b.csv", index=False)
    both = _read(tmp_path)
    assert both["x_Label"].isna().sum() == len(rows)


def test_dask_engine_equals_pandas(sample):
    dask_rows = _read(sample, engine="dask").compute()
    pd.testing.assert_frame_equal(
        dask_rows.reset_index(drop=True), _read(sample), check_dtype=False
    )


DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)


def _committed(nodes):
    rows = pd.DataFrame(
        {
            "RegionId": "cn-wulanchabu",
            "SkuId": "ml.gu7xf.c96m1600.8-gu108",
            "ListCost": "47865.40",
            "BillingCurrency": "USD",
            "ChargeCategory": "Usage",
            "PricingCategory": "Committed",
            "PricingQuantity": "2",
            "PricingUnit": "Node-Months",
            "ChargePeriodStart": pd.to_datetime(["2026-01-01"]),
            "ChargePeriodEnd": pd.to_datetime(["2026-01-02"]),
            "x_Nodes": pd.Series(nodes, dtype=object),
        }
    )
    return map_specs(rows, DOCUMENTED).rows


@pytest.mark.parametrize("nodes", [["true"], ["false"], [True], [np.True_], ["2.5"], ["1e400"]])
def test_x_nodes_not_a_count_refused_naming_the_value(nodes):
    with pytest.raises(UsageError) as error:
        usage_jobs(_committed(nodes))
    [message] = error.value.messages
    assert message.startswith(f"x_Nodes = {str(nodes[0])!r}: not a whole number of nodes")


def test_x_nodes_read_when_whole_and_one_when_empty():
    assert usage_jobs(_committed(["2"]))["nodes"].tolist() == [2]
    assert usage_jobs(_committed([None]))["nodes"].tolist() == [1]
