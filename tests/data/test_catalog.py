"""Price catalogs: the embedded ones load, and every broken rule is reported exactly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pai_model import CatalogError, paths, read_catalog
from pai_model.data.catalog import COLUMNS, describe_provenance

HEADER = (
    "region_id,resource_type,spec,hardware,subscription_price_per_month,"
    "payg_price_per_minute,currency,in_stock,source,as_of"
)
GOOD_GENERAL = (
    "cn-shanghai,general,ecs.g7.xlarge-4c16g,,78.94,,USD,true,console 2026-11-20,2026-11-20"
)
GOOD_LINGJUN = "cn-wulanchabu,lingjun,ml.x,gpu,23932.70,0.73,USD,false,illustrative,2026-11-20"


def write(tmp_path, *lines: str):
    path = tmp_path / "catalog.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_documented_catalog_holds_exactly_the_billing_page_offers():
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    assert list(catalog.columns) == list(COLUMNS)
    rows = catalog[["region_id", "spec", "subscription_price_per_month", "payg_price_per_minute"]]
    assert rows.fillna(-1).values.tolist() == [
        ["cn-shanghai", "ecs.g7.xlarge-4c16g", 78.94, -1],
        ["cn-wulanchabu", "ml.gu7xf.c96m1600.8-gu108", 23932.70, -1],
        ["cn-wulanchabu", "ml.gu7xf.8xlarge-gu108", -1, 0.73],
    ]
    assert (catalog["provenance"] == "documented").all()
    gu108 = catalog[catalog["resource_type"] == "lingjun"]
    assert gu108["hardware"].nunique() == 1
    assert gu108["note"].str.startswith("ASSUMPTION").all()


def test_default_catalog_is_the_demo_with_documented_rows_verbatim():
    demo = read_catalog()
    documented = read_catalog(paths.DOCUMENTED_CATALOG)
    assert demo.attrs["path"] == str(paths.DEFAULT_CATALOG)
    head = demo.iloc[: len(documented)].reset_index(drop=True)
    pd.testing.assert_frame_equal(head, documented, check_like=False, check_exact=True)
    rest = demo.iloc[len(documented) :]
    assert (rest["source"] == "illustrative").all()
    assert (rest["provenance"] == "illustrative").all()
    lingjun_regions = set(demo.loc[demo["resource_type"] == "lingjun", "region_id"])
    assert lingjun_regions == {
        "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-wulanchabu", "cn-shenzhen", "ap-southeast-1",
    }  # fmt: skip
    assert demo.loc[demo["resource_type"] == "general", "region_id"].nunique() == 14
    assert (~demo["in_stock"]).any()
    assert demo.loc[demo["resource_type"] == "general", "payg_price_per_minute"].isna().all()
    # illustrative year prices and public-resource rows, labelled illustrative
    public = demo[demo["resource_type"] == "public"]
    assert len(public) == 56 and public["payg_price_per_hour"].notna().all()
    assert (public["provenance"] == "illustrative").all()
    year = demo[demo["subscription_price_per_year"].notna()]
    assert len(year) > 0 and (year["provenance"] == "illustrative").all()
    assert year["note"].str.contains("invented year-term discount").all()


def test_demo_catalog_is_reproduced_by_its_seeded_script(tmp_path):
    out = tmp_path / "demo.csv"
    subprocess.run(
        [sys.executable, str(paths.PACKAGE.parent / "tools" / "make_demo_catalog.py"), str(out)],
        check=True,
    )
    assert out.read_bytes() == paths.DEFAULT_CATALOG.read_bytes()


def test_prices_are_parsed_exactly(tmp_path):
    path = write(tmp_path, HEADER, "cn-beijing,lingjun,ml.y,,0.1,0.000001,USD,,x,2026-01-01")
    catalog = read_catalog(path)
    assert catalog.loc[0, "subscription_price_per_month"] == 0.1
    assert catalog.loc[0, "payg_price_per_minute"] == 1e-6
    assert catalog.loc[0, "in_stock"]  # empty means in stock
    assert catalog.loc[0, "hardware"] == "ml.y"  # hardware defaults to spec


def test_describe_provenance_warns_about_illustrative_prices():
    line = describe_provenance(read_catalog())
    # 86 dedicated offers (3 documented) and 56 public ones (4 specs x 14 regions)
    assert line.startswith("142 offers: 3 documented, 139 illustrative.")
    assert "WARNING" in line


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [HEADER.replace("currency,", ""), GOOD_GENERAL.replace("USD,", "")],
            ["catalog.csv: missing required column 'currency'"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94", "abc")],
            ["line 2: subscription_price_per_month = 'abc': not a decimal number"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94", "0")],
            ["line 2: subscription_price_per_month = '0': must be greater than 0"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94", "-78.94")],
            ["line 2: subscription_price_per_month = '-78.94': must be greater than 0"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94", "78.9400001")],
            ["line 2: subscription_price_per_month = '78.9400001': more than 6 decimal places"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("general", "gpu")],
            ["line 2: resource_type = 'gpu': not a known resource type (general, lingjun or public)"],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94,,", "78.94,0.5,")],
            ["line 2: payg_price_per_minute = '0.5': pay-as-you-go price on a general computing spec"],
        ),
        (
            [HEADER, GOOD_GENERAL, GOOD_GENERAL.replace("78.94", "80")],
            [
                "line 2: spec = 'ecs.g7.xlarge-4c16g': duplicate (region_id, spec): each combination may appear once (also on line 3)",
                "line 3: spec = 'ecs.g7.xlarge-4c16g': duplicate (region_id, spec): each combination may appear once (also on line 2)",
            ],
        ),
        (
            [HEADER, GOOD_GENERAL.replace(",2026-11-20", ",2026-02-30")],
            ["line 2: as_of = '2026-02-30': not a date (YYYY-MM-DD)"],
        ),
        (
            [HEADER, GOOD_LINGJUN.replace("false", "maybe")],
            ["line 2: in_stock = 'maybe': not a boolean (use true or false)"],
        ),
        (
            [HEADER, GOOD_LINGJUN, GOOD_LINGJUN.replace("ml.x", "ml.z").replace("USD", "CNY")],
            [
                "line 2: currency = 'USD': mixed currencies within one (region_id, hardware)",
                "line 3: currency = 'CNY': mixed currencies within one (region_id, hardware)",
            ],
        ),
        (
            [HEADER, GOOD_LINGJUN.replace("23932.70,0.73", ",")],
            ["line 2: subscription_price_per_month = '': no price: give a subscription or a pay-as-you-go price"],
        ),
        (
            [HEADER, GOOD_LINGJUN.replace("illustrative", "")],
            ["line 2: source = '': empty, but the column is required"],
        ),
        (
            [HEADER, GOOD_LINGJUN.replace("cn-wulanchabu", "Ulanqab")],
            ["line 2: region_id = 'Ulanqab': not a region id such as cn-shanghai"],
        ),
        (
            [HEADER, GOOD_LINGJUN.replace("USD", "usd")],
            ["line 2: currency = 'usd': not an ISO 4217 currency code such as USD"],
        ),
    ],
    ids=[
        "missing-column", "unparsable-price", "zero-price", "negative-price", "seven-decimals",
        "unknown-resource-type", "payg-on-general", "duplicate-offer", "bad-date", "bad-boolean",
        "mixed-currency", "no-price", "empty-source", "bad-region", "bad-currency",
    ],
)  # fmt: skip
def test_bad_catalogs_report_each_problem(tmp_path, lines, expected):
    path = write(tmp_path, *lines)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    problems = caught.value.messages
    assert len(problems) == len(expected), problems
    for problem, fragment in zip(problems, expected, strict=True):
        assert problem.startswith(str(path) if fragment.startswith("line") else str(tmp_path))
        assert fragment in problem


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        HEADER,
        GOOD_GENERAL.replace("78.94", "abc"),
        GOOD_LINGJUN.replace("false", "maybe").replace("USD", "usd"),
    )
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    text = str(caught.value)
    assert text.startswith(f"3 problems in {path}:")
    assert "line 2: subscription_price_per_month = 'abc'" in text
    assert "line 3: currency = 'usd'" in text
    assert "line 3: in_stock = 'maybe'" in text


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        read_catalog(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CatalogError) as caught:
        read_catalog(empty)
    assert caught.value.messages == [
        f"{empty}: no header line; give the column names on the first line"
    ]


def test_types_of_a_loaded_catalog():
    catalog = read_catalog()
    assert catalog["subscription_price_per_month"].dtype == np.float64
    assert catalog["in_stock"].dtype == bool
    assert str(catalog["as_of"].dtype).startswith("datetime64")
