"""The comparison tables (break-even per offer pair, project lengths and crossovers), and
year terms and public resources through offers, the break-even table, quotes and the CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from pai_model import OrderError, paths, read_catalog
from pai_model.bills.quotes import price_order
from pai_model.cli import main
from pai_model.data.offers import chosen_offers, offer_pairs
from pai_model.decisions.comparison import (
    break_even_table,
    payg_bills,
    project_crossovers,
    project_length_table,
    year_price_per_month,
)

# Made-up prices for the tests:
# - g6 in Shanghai: a dedicated general spec, 150.00 a month or 1,500.00 a year, and the
#   DLC public resource of the same hardware at 0.6 an hour (the DLC example's price);
# - gu in Ulanqab: ml.a 23,932.70 a month, 240,000.00 a year, 0.73 a minute; ml.b has a
#   cheaper year (230,000.00) but its subscriptions are out of stock; ml.c no year price.
CATALOG = """\
region_id,resource_type,spec,hardware,subscription_price_per_month,subscription_price_per_year,payg_price_per_minute,payg_price_per_hour,currency,subscription_in_stock,source,as_of
cn-shanghai,general,ecs.g6.2xlarge-8c32g,g6,150.00,1500.00,,,USD,,console,2026-11-01
cn-shanghai,public,ecs.g6.2xlarge,g6,,,,0.6,USD,,dlc page,2026-10-01
cn-wulanchabu,lingjun,ml.a,gu,23932.70,240000.00,0.73,,USD,,console,2026-11-01
cn-wulanchabu,lingjun,ml.b,gu,23000.00,230000.00,,,USD,false,console,2026-11-01
cn-wulanchabu,lingjun,ml.c,gx,100.00,,0.01,,USD,,console,2026-11-01
"""


@pytest.fixture
def catalog_file(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_the_year_offer_is_chosen_by_the_same_rule(catalog_file):
    offers = chosen_offers(read_catalog(catalog_file)).set_index(["hardware", "method"])
    # ml.b's year is cheaper but cannot be bought: ml.a is the year offer a buyer compares
    year = offers.loc[("gu", "year")]
    assert (year["spec"], year["price"], year["price_unit"], year["offers"]) == (
        "ml.a",
        240000.0,
        "year",
        2,
    )
    assert ("gx", "year") not in offers.index


def test_public_pay_as_you_go_pairs_general_specs_only_when_asked(catalog_file):
    catalog = read_catalog(catalog_file)
    assert "g6" not in set(offer_pairs(catalog)["hardware"])
    pairs = offer_pairs(catalog, public_payg=True).set_index("hardware")
    g6 = pairs.loc["g6"]
    assert (g6["subscription_spec"], g6["payg_spec"], g6["payg_price_unit"]) == (
        "ecs.g6.2xlarge-8c32g",
        "ecs.g6.2xlarge",
        "hour",
    )
    assert g6["payg_price_per_hour"] == 0.6 and np.isnan(g6["payg_price_per_minute"])
    assert g6["payg_source"] == "dlc page" and g6["resource_type"] == "general"


def test_break_even_per_term(catalog_file):
    table = break_even_table(read_catalog(catalog_file), public_payg=True).set_index("hardware")
    g6, gu, gx = table.loc["g6"], table.loc["gu"], table.loc["gx"]
    # g6, month: 150.00 / (0.6 / 60 = 0.01 a minute) = 15,000 min = 15,000 / 43,800 of a
    # 730 h month = 34.2466 % = 8.2192 h/day; year: 1,500.00 / 12 = 125.00 a month,
    # 12,500 min = 28.5388 % = 6.8493 h/day
    assert g6["payg_price_per_minute"] == pytest.approx(0.01)
    assert g6["break_even_minutes"] == pytest.approx(15_000)
    assert g6["break_even_hours_per_day"] == pytest.approx(8.219178, abs=1e-6)
    assert g6["year_price_per_month"] == 125.0
    assert g6["year_break_even_minutes"] == pytest.approx(12_500)
    assert g6["year_break_even_hours_per_day"] == pytest.approx(6.849315, abs=1e-6)
    # gu: 240,000.00 / 12 = 20,000.00 a month; / 0.73 = 27,397.26 min
    assert gu["year_price_per_month"] == 20000.0
    assert gu["year_break_even_minutes"] == pytest.approx(27_397.260274, abs=1e-6)
    assert (gu["year_spec"], bool(gu["year_purchasable"])) == ("ml.a", True)
    # the month columns are as before: 23,932.70 / 0.73 = 32,784.52 min
    assert gu["break_even_minutes"] == pytest.approx(32_784.520548, abs=1e-6)
    # no year price: nothing derived
    assert np.isnan(gx["subscription_price_per_year"]) and np.isnan(gx["year_price_per_month"])
    assert gx["year_reason"] == "no year price in the catalog"


def test_year_price_per_month_rounds_half_up_to_six_decimals():
    # 100 / 12 = 8.3333333...; 0.000018 / 12 = 0.0000015 -> 0.000002 (a tie, up)
    assert year_price_per_month([100, 0.000018]).tolist() == [8.333333, 0.000002]


def test_payg_bills_bill_hourly_prices_exactly(catalog_file):
    table = break_even_table(read_catalog(catalog_file), public_payg=True)
    g6 = table[table["hardware"] == "g6"]
    # 0.6 a hour x 2 nodes x 1.25 minutes / 60 = 0.025 -> 0.03 (half up); x 730 h = 876.00
    amounts, cents = payg_bills(g6, 2, [1.25, 43_800], minor_units=True)
    assert amounts.tolist() == [[0.03, 876.0]] and cents.tolist() == [[3, 87_600]]


def test_quote_years_bills_the_year_price(catalog_file, tmp_path):
    # 2 nodes x 240,000.00 a year x 2 years = 960,000.00
    bill = price_order("cn-wulanchabu", "ml.a", 2, years=2, catalog=catalog_file, cache=tmp_path)
    assert bill.amount == Decimal("960000.00")
    assert bill.formula == "2 x 240,000.00 USD/year x 2 years = 960,000.00 USD"
    assert (bill.billing_method, bill.duration_unit) == ("subscription", "year")


def test_quote_bills_a_public_resource_per_minute_at_its_hourly_price(catalog_file, tmp_path):
    # the DLC example (PAI DLC billing): 1 x 0.6 / 60 x 1.25 = 0.0125 USD, shown below
    # the cent as Alibaba's example shows it (4 places for USD)
    bill = price_order(
        "cn-shanghai", "ecs.g6.2xlarge", 1, minutes=1.25, catalog=catalog_file, cache=tmp_path
    )
    assert bill.amount == Decimal("0.0125")
    assert bill.formula == "1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.0125 USD"


@pytest.mark.parametrize(
    ("spec", "kwargs", "fragment"),
    [
        ("ml.c", {"years": 1}, "no year price in the catalog"),
        ("ml.b", {"years": 1}, "out of stock"),
        ("ml.a", {"years": 11}, "needs a positive whole number of years (at most 10)"),
        ("ml.a", {"years": 1, "months": 1}, "one of them"),
    ],
)
def test_quote_years_refusals(catalog_file, tmp_path, spec, kwargs, fragment):
    with pytest.raises(
        (OrderError, ValueError), match=fragment.replace("(", r"\(").replace(")", r"\)")
    ):
        price_order("cn-wulanchabu", spec, 1, catalog=catalog_file, cache=tmp_path, **kwargs)


def test_a_public_resource_has_no_subscription(catalog_file, tmp_path):
    with pytest.raises(OrderError, match="public resources are pay-as-you-go only"):
        price_order(
            "cn-shanghai", "ecs.g6.2xlarge", 1, months=1, catalog=catalog_file, cache=tmp_path
        )


def test_the_quote_cache_carries_year_and_hourly_prices(catalog_file, tmp_path):
    first = price_order("cn-wulanchabu", "ml.a", 1, years=1, catalog=catalog_file, cache=tmp_path)
    (cached,) = tmp_path.glob("catalog-*.json")
    rows = {row["spec"]: row for row in json.loads(cached.read_text())["offers"]}
    assert rows["ml.a"]["year_price"] == "240000.000000"
    assert rows["ecs.g6.2xlarge"]["hourly_price"] == "0.600000"
    assert rows["ml.c"]["year_price"] is None
    # the fast path (from the file) bills the same
    again = price_order("cn-wulanchabu", "ml.a", 1, years=1, catalog=catalog_file, cache=tmp_path)
    assert again.amount == first.amount == Decimal("240000.00")


def test_cli_quote_years(catalog_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path))
    args = ["quote", "--catalog", str(catalog_file), "--region", "cn-shanghai"]
    assert main([*args, "--spec", "ecs.g6.2xlarge-8c32g", "--quantity", "3", "--years", "1"]) == 0
    # 3 x 1,500.00 x 1 = 4,500.00
    assert (
        capsys.readouterr().out.splitlines()[0] == "3 x 1,500.00 USD/year x 1 year = 4,500.00 USD"
    )


def test_cli_breakeven_shows_the_term_comparison_and_general_computing(catalog_file, capsys):
    assert main(["breakeven", "--catalog", str(catalog_file)]) == 0
    out = capsys.readouterr().out
    g6 = next(line for line in out.splitlines() if " g6 " in line).split()
    # month 150.00 against 0.60/h: 8.22 h/day; year 125.00 a month: 6.85 h/day
    assert g6[:2] == ["cn-shanghai", "g6"] and "0.60" in g6 and "USD/h" in g6
    assert "8.22" in g6 and "125.00" in g6 and "6.85" in g6
    gx = next(line for line in out.splitlines() if " gx " in line).split()
    assert gx.count("-") == 2  # no year price: none shown, none derived
    assert "Year term:" in out and "public resource of the same hardware" in out


# The break-even tables of the kit (moved from the formulas' tests), by hand: the billing
# page's GU108 offers, 23,932.70 USD/month / 0.73 USD/minute = 32,784.5205... minutes.
GU108_MINUTES = 32784.520547945205


def test_break_even_table_on_documented_catalog():
    table = break_even_table(read_catalog(paths.DOCUMENTED_CATALOG))
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["region_id"], row["hardware"]) == ("cn-wulanchabu", "gu7xf-8xGU108")
    assert (row["subscription_spec"], row["payg_spec"]) == (
        "ml.gu7xf.c96m1600.8-gu108",
        "ml.gu7xf.8xlarge-gu108",
    )
    assert row["break_even_minutes"] == pytest.approx(GU108_MINUTES, rel=1e-15)
    # 32,784.5205 / 43,800 x 24 = 17.96412085 h/day
    assert row["break_even_hours_per_day"] == pytest.approx(17.96412085, rel=1e-9)
    assert row["purchasable"]
    assert row["provenance"] == "documented"
    assert row["note"].startswith("ASSUMPTION")


def test_break_even_table_on_demo_catalog():
    catalog = read_catalog()
    table = break_even_table(catalog)
    # six Lingjun regions x four hardware types; general offers are subscription only
    assert len(table) == 24
    assert set(table["provenance"]) == {"documented", "illustrative"}
    # a pair with an out-of-stock offer is not purchasable now
    gone = catalog[~catalog["in_stock"] & (catalog["resource_type"] == "lingjun")]
    flagged = table.merge(gone[["region_id", "hardware"]], on=["region_id", "hardware"])
    assert len(flagged) == len(gone) and not flagged["purchasable"].any()


def test_project_length_table():
    # 2 GU108 nodes at full use: pay-as-you-go 0.73 x 2 x 1,440 = 2,102.40 a day;
    # subscription 47,865.40 a month (30.42 days), 95,730.80 for two.
    table = project_length_table(23932.70, 0.73, [10, 20, 25, 31], quantity=2)
    assert table["months_billed"].tolist() == [1, 1, 1, 2]
    assert table["payg_cost"].tolist() == [21024.0, 42048.0, 52560.0, 65174.4]
    assert table["subscription_cost"].tolist() == [47865.4, 47865.4, 47865.4, 95730.8]
    assert table["cheaper"].tolist() == ["payg", "payg", "subscription", "payg"]


def test_project_crossovers_match_the_cost_table():
    segments = project_crossovers(23932.70, 0.73, 200)
    days = np.linspace(0.5, 199.5, 399)
    table = project_length_table(23932.70, 0.73, days)
    for _, segment in segments.iterrows():
        inside = table[
            (table["days"] > segment["start_days"] + 0.01)
            & (table["days"] < segment["end_days"] - 0.01)
        ]
        assert (inside["cheaper"] == segment["cheaper"]).all()
    # the first crossover by hand: 23,932.70 / (0.73 x 1,440) = 22.767 days
    assert segments.loc[0, "end_days"] == pytest.approx(23932.70 / (0.73 * 1440), rel=1e-12)


def test_project_views_with_a_start_date_use_calendar_months():
    # from 1 January 2026: 31 days are one calendar month (a term to 1 February), 35 days
    # two; under the 730-hour convention (30.42 days a month) 31 days are two
    table = project_length_table(23932.70, 0.73, [31, 35], start="2026-01-01")
    assert table["months_billed"].tolist() == [1, 2]
    assert table["subscription_cost"].tolist() == [23932.70, 47865.40]
    assert project_length_table(23932.70, 0.73, [31])["months_billed"].tolist() == [2]
    # months end on days 31 (1 February) and 59 (1 March); pay-as-you-go (1,051.20 a day)
    # wins up to k x 23,932.70 / 1,051.20 = k x 22.767 days within billed month k
    crossovers = project_crossovers(23932.70, 0.73, 62, start="2026-01-01")
    assert crossovers["cheaper"].tolist() == ["payg", "subscription"] * 2 + ["payg"]
    np.testing.assert_allclose(
        crossovers["end_days"], [22.767028, 31.0, 45.534056, 59.0, 62.0], atol=1e-6
    )
