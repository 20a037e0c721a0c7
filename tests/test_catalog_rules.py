"""Catalog columns for year terms and public resources, and the rules Alibaba's own follow."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pandas as pd
import pytest

from pai_model import CatalogError, read_catalog
from pai_model.errors import CatalogWarning, PaiModelWarning

HEADER = (
    "region_id,resource_type,spec,hardware,subscription_price_per_month,"
    "subscription_price_per_year,payg_price_per_minute,payg_price_per_hour,currency,source,"
    "as_of,note"
)
GENERAL = "cn-shanghai,general,ecs.g6.2xlarge-8c32g,g6-8c32g,78.94,800.10,,,USD,console,2026-03-24,"
PUBLIC = "cn-shanghai,public,ecs.g6.2xlarge,g6-8c32g,,,,0.6,USD,dlc page,2026-03-24,"
LINGJUN = "cn-wulanchabu,lingjun,ml.gu7xf.c96m1600.8-gu108,gu,23932.70,,0.73,,USD,x,2026-03-24,"


def write(tmp_path, *rows: str):
    path = tmp_path / "catalog.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def messages(tmp_path, *rows: str) -> list[str]:
    path = write(tmp_path, *rows)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    return [m.removeprefix(f"{path}: ") for m in caught.value.messages]


def test_year_and_hourly_prices_are_exact_and_carry_the_row_source(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        catalog = read_catalog(write(tmp_path, GENERAL, PUBLIC))
    general, public = catalog.iloc[0], catalog.iloc[1]
    # the year price is the catalog's text exactly, never 12 x 78.94 = 947.28
    assert general["subscription_price_per_year"] == 800.10
    assert public["payg_price_per_hour"] == 0.6
    assert pd.isna(public["payg_price_per_minute"]) and pd.isna(general["payg_price_per_hour"])
    assert public["source"] == "dlc page" and str(public["as_of"].date()) == "2026-03-24"


def test_no_year_price_is_invented(tmp_path):
    catalog = read_catalog(write(tmp_path, GENERAL.replace(",800.10,", ",,")))
    assert catalog["subscription_price_per_year"].isna().all()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            GENERAL.replace("78.94,800.10", ",800.10"),
            "line 2: subscription_price_per_year = '800.10': a year price without a month price",
        ),
        (
            GENERAL.replace("800.10", "1200000.01"),
            "line 2: subscription_price_per_year = '1200000.01': above the supported maximum of"
            " 1,200,000 a year",
        ),
        (
            LINGJUN.replace("0.73,,", "0.73,0.5,"),
            "line 2: payg_price_per_hour = '0.5': an hourly price on a dedicated",
        ),
        (
            PUBLIC.replace(",,,,0.6", ",1,,,0.6"),
            "line 2: resource_type = 'public': a public-resource row needs payg_price_per_hour",
        ),
        (
            LINGJUN.replace("cn-wulanchabu", "ap-northeast-1"),
            "line 2: region_id = 'ap-northeast-1': Lingjun resources are not sold in this region",
        ),
        (
            GENERAL.replace("2026-03-24", "2999-01-01"),
            "line 2: as_of = '2999-01-01': a date in the future",
        ),
        (
            GENERAL.replace("ecs.g6.2xlarge-8c32g", "g6.2xlarge"),
            "line 2: spec = 'g6.2xlarge': not named as its resource type's specs are",
        ),
        (
            LINGJUN.replace("ml.gu7xf", "ecs.gu7xf"),
            "line 2: spec = 'ecs.gu7xf.c96m1600.8-gu108': not named as its resource type's",
        ),
    ],
    ids=[
        "year-without-month", "year-bound", "hourly-on-lingjun", "public-with-month",
        "lingjun-in-tokyo", "future", "general-name", "lingjun-name",
    ],
)  # fmt: skip
def test_rules(tmp_path, row, expected):
    found = messages(tmp_path, row)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_tomorrow_is_not_the_future(tmp_path):
    # a price read in UTC+8 just after midnight is dated a day after the UTC date
    tomorrow = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert len(read_catalog(write(tmp_path, GENERAL.replace("2026-03-24", tomorrow)))) == 1


def test_a_note_turns_a_spec_name_into_a_listed_warning(tmp_path):
    row = GENERAL.replace("ecs.g6.2xlarge-8c32g", "g6.2xlarge").removesuffix(",")
    path = write(tmp_path, row + ",console lists it without the ecs. prefix")
    with pytest.warns(CatalogWarning, match=r"line 2: spec = 'g6.2xlarge': .*note vouches"):
        assert len(read_catalog(path)) == 1


def test_an_unknown_region_is_a_warning_never_an_error(tmp_path):
    path = write(tmp_path, LINGJUN.replace("cn-wulanchabu", "cn-newcity"))
    with pytest.warns(PaiModelWarning, match="line 2: region_id = 'cn-newcity': a region the kit"):
        assert read_catalog(path)["region_id"].tolist() == ["cn-newcity"]


def test_catalog_check_lists_warnings_as_notes(tmp_path):
    path = write(tmp_path, GENERAL.replace("cn-shanghai", "xx-new-1"))
    result = subprocess.run(
        [sys.executable, "-m", "pai_model.cli", "catalog", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"pai-cost: note: {path}: line 2: region_id = 'xx-new-1'")
    assert "OK: 1 offers" in result.stdout
