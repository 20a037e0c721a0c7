"""Price catalogs: the embedded ones load, and every broken rule is reported exactly."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from cli_runs import pai_cost

from pai_model import CatalogError, paths, read_catalog
from pai_model.data.catalog import COLUMNS, describe_provenance
from pai_model.errors import CatalogWarning, PaiModelWarning

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
        "cn-hangzhou",
        "cn-shanghai",
        "cn-beijing",
        "cn-wulanchabu",
        "cn-shenzhen",
        "ap-southeast-1",
    }
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
            [
                "line 2: resource_type = 'gpu': not a known resource type (general, lingjun or public)"
            ],
        ),
        (
            [HEADER, GOOD_GENERAL.replace("78.94,,", "78.94,0.5,")],
            [
                "line 2: payg_price_per_minute = '0.5': pay-as-you-go price on a general computing spec"
            ],
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
            [
                "line 2: subscription_price_per_month = '': no price: give a subscription or a pay-as-you-go price"
            ],
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
        "missing-column",
        "unparsable-price",
        "zero-price",
        "negative-price",
        "seven-decimals",
        "unknown-resource-type",
        "payg-on-general",
        "duplicate-offer",
        "bad-date",
        "bad-boolean",
        "mixed-currency",
        "no-price",
        "empty-source",
        "bad-region",
        "bad-currency",
    ],
)
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


# Catalog columns for year terms and public resources, and the rules Alibaba's own follow.

RULES_HEADER = (
    "region_id,resource_type,spec,hardware,subscription_price_per_month,"
    "subscription_price_per_year,payg_price_per_minute,payg_price_per_hour,currency,source,"
    "as_of,note"
)


GENERAL = "cn-shanghai,general,ecs.g6.2xlarge-8c32g,g6-8c32g,78.94,800.10,,,USD,console,2026-03-24,"


PUBLIC = "cn-shanghai,public,ecs.g6.2xlarge,g6-8c32g,,,,0.6,USD,dlc page,2026-03-24,"


LINGJUN = "cn-wulanchabu,lingjun,ml.gu7xf.c96m1600.8-gu108,gu,23932.70,,0.73,,USD,x,2026-03-24,"


def write_rules(tmp_path, *rows: str):
    path = tmp_path / "catalog.csv"
    path.write_text("\n".join([RULES_HEADER, *rows]) + "\n")
    return path


def messages(tmp_path, *rows: str) -> list[str]:
    path = write_rules(tmp_path, *rows)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    return [m.removeprefix(f"{path}: ") for m in caught.value.messages]


def test_year_and_hourly_prices_are_exact_and_carry_the_row_source(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        catalog = read_catalog(write_rules(tmp_path, GENERAL, PUBLIC))
    general, public = catalog.iloc[0], catalog.iloc[1]
    # the year price is the catalog's text exactly, never 12 x 78.94 = 947.28
    assert general["subscription_price_per_year"] == 800.10
    assert public["payg_price_per_hour"] == 0.6
    assert pd.isna(public["payg_price_per_minute"]) and pd.isna(general["payg_price_per_hour"])
    assert public["source"] == "dlc page" and str(public["as_of"].date()) == "2026-03-24"


def test_no_year_price_is_invented(tmp_path):
    catalog = read_catalog(write_rules(tmp_path, GENERAL.replace(",800.10,", ",,")))
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
        "year-without-month",
        "year-bound",
        "hourly-on-lingjun",
        "public-with-month",
        "lingjun-in-tokyo",
        "future",
        "general-name",
        "lingjun-name",
    ],
)
def test_rules(tmp_path, row, expected):
    found = messages(tmp_path, row)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_tomorrow_is_not_the_future(tmp_path):
    # a price read in UTC+8 just after midnight is dated a day after the UTC date
    tomorrow = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert len(read_catalog(write_rules(tmp_path, GENERAL.replace("2026-03-24", tomorrow)))) == 1


def test_a_note_turns_a_spec_name_into_a_listed_warning(tmp_path):
    row = GENERAL.replace("ecs.g6.2xlarge-8c32g", "g6.2xlarge").removesuffix(",")
    path = write_rules(tmp_path, row + ",console lists it without the ecs. prefix")
    with pytest.warns(CatalogWarning, match=r"line 2: spec = 'g6.2xlarge': .*note vouches"):
        assert len(read_catalog(path)) == 1


def test_an_unknown_region_is_a_warning_never_an_error(tmp_path):
    path = write_rules(tmp_path, LINGJUN.replace("cn-wulanchabu", "cn-newcity"))
    with pytest.warns(PaiModelWarning, match="line 2: region_id = 'cn-newcity': a region the kit"):
        assert read_catalog(path)["region_id"].tolist() == ["cn-newcity"]


def test_catalog_check_lists_warnings_as_notes(tmp_path):
    path = write_rules(tmp_path, GENERAL.replace("cn-shanghai", "xx-new-1"))
    result = pai_cost("catalog", "check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"pai-cost: note: {path}: line 2: region_id = 'xx-new-1'")
    assert "OK: 1 offers" in result.stdout


DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG).drop(
    columns=["provenance", "stock_known", "subscription_in_stock", "payg_in_stock"]
)


def test_unknown_stock_is_compared_but_not_known():
    table = DOCUMENTED.assign(in_stock=["unknown", "false", "TRUE"])
    catalog = read_catalog(table)
    assert catalog["in_stock"].tolist() == [True, False, True]
    assert catalog["stock_known"].tolist() == [False, True, True]
    # a method's own stock inherits the unknown, or overrides it
    assert catalog["subscription_in_stock"].tolist() == [True, False, True]
    known = read_catalog(table.assign(subscription_in_stock="true", payg_in_stock="true"))
    assert known["stock_known"].tolist() == [True, True, True]
    payg_unknown = read_catalog(table.assign(in_stock="true", payg_in_stock="unknown"))
    assert payg_unknown["stock_known"].tolist() == [False, False, False]


def test_a_loaded_catalog_read_again_keeps_saying_unknown():
    catalog = read_catalog(DOCUMENTED.assign(in_stock=["unknown", "true", "true"]))
    again = read_catalog(catalog.drop(columns="provenance").assign(in_stock=catalog["in_stock"]))
    assert again["stock_known"].tolist() == [False, True, True]


@pytest.mark.parametrize("word", ["maybe", "2", "n/a"])
def test_other_stock_words_refused(word):
    with pytest.raises(CatalogError, match=f"in_stock = '{word}': not a boolean"):
        read_catalog(DOCUMENTED.assign(in_stock=word))


@pytest.mark.parametrize(
    ("value", "got"),
    [(b"prices.csv", "bytes"), ([1, 2], "list"), (float("inf"), "float"), (10**40, "int")],
)
def test_a_catalog_of_the_wrong_type_names_path_or_df(value, got):
    with pytest.raises(TypeError) as refused:
        read_catalog(value)
    assert str(refused.value) == (
        "path_or_df must be the catalog: a DataFrame, a path or a URL (str or os.PathLike);"
        f" got {got}"
    )


def test_a_file_read_again_is_validated_once_and_warns_again(tmp_path, monkeypatch):
    from pai_model.data import catalog as catalog_module

    validations = []
    validate = catalog_module._validated
    monkeypatch.setattr(
        catalog_module, "_validated", lambda source: validations.append(source) or validate(source)
    )
    path = write(tmp_path, HEADER, GOOD_GENERAL.replace("cn-shanghai", "cn-newcity"))
    for _ in range(3):
        with pytest.warns(CatalogWarning, match="region_id = 'cn-newcity'"):
            first = read_catalog(path)
        assert first.loc[0, "subscription_price_per_month"] == 78.94
    assert len(validations) == 1
    # each read is the caller's own: changing one changes no later read
    first.loc[0, "subscription_price_per_month"] = 1.0
    first.attrs["path"] = "changed"
    with pytest.warns(CatalogWarning, match="region_id = 'cn-newcity'"):
        again = read_catalog(path)
    assert again.loc[0, "subscription_price_per_month"] == 78.94
    assert again.attrs["path"] == str(path)
    assert len(validations) == 1


def test_a_file_that_changes_is_read_afresh(tmp_path):
    path = write(tmp_path, HEADER, GOOD_GENERAL)
    assert read_catalog(path).loc[0, "subscription_price_per_month"] == 78.94
    write(tmp_path, HEADER, GOOD_GENERAL.replace("78.94", "80.15"))
    assert read_catalog(path).loc[0, "subscription_price_per_month"] == 80.15
    write(tmp_path, HEADER, GOOD_GENERAL.replace("78.94", "0"))
    for _ in range(2):  # a refused file is refused every time
        with pytest.raises(CatalogError, match="subscription_price_per_month = '0'"):
            read_catalog(path)
