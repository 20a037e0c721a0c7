"""Fleet plans: each row under both methods, the mixed plan, unbuyable rows with reasons.

Hand calculations on tests/data/report_catalog.csv (730-hour months: 24 h/day is 43,800
minutes a month, 8 h/day 14,600).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.fleet import EXAMPLE_FLEET, plan_fleet, read_fleet
from pai_model.display.fleet import fleet_summary
from pai_model.errors import FleetError

TEST_CATALOG = Path(__file__).resolve().parents[1] / "data" / "report_catalog.csv"


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return read_catalog(TEST_CATALOG)


def fleet(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["region_id", "hardware", "spec", "quantity", "usage_hours_per_day", "months"]
    )


def test_rows_totals_and_reasons(catalog):
    plan = plan_fleet(
        fleet(
            ("cn-wulanchabu", "gu108", "", 1, 20, 2),  # subscription wins
            ("cn-beijing", "", "ml.test.gu108", 3, 4, 1),  # spec read as its hardware
            ("cn-shanghai", "ecs.g7.xlarge-4c16g", "", 2, 24, 12),  # general: subscription only
            ("cn-beijing", "gpux", "", 1, 8, 1),  # out of stock
            ("cn-shanghai", "", "nope", 1, 8, 1),  # no such spec in that region
        ),
        catalog,
    )
    rows = plan.rows
    assert rows["line"].tolist() == [2, 3, 4, 5, 6]
    # 20 h/day = 36,500 min x 0.73 = 26,645.00 a month, x 2 = 53,290.00;
    # subscription 2 x 23,932.70 = 47,865.40, saving 5,424.60
    assert rows.loc[0, ["subscription_cost", "payg_cost", "cheaper", "savings"]].tolist() == [
        47865.40,
        53290.00,
        "subscription",
        5424.60,
    ]
    # 3 nodes, 4 h/day = 7,300 min x 0.50 x 3 = 10,950.00 against 3 x 17,520.00 = 52,560.00
    assert rows.loc[1, "hardware"] == "gu108"
    assert rows.loc[
        1, ["subscription_cost", "payg_cost", "plan_method", "provenance"]
    ].tolist() == [52560.00, 10950.00, "payg", "illustrative"]
    # 2 x 78.94 x 12 = 1,894.56 (the billing page's price); no pay-as-you-go for general
    assert rows.loc[2, "subscription_cost"] == 1894.56
    assert np.isnan(rows.loc[2, "payg_cost"])
    assert rows.loc[2, ["cheaper", "savings", "plan_method"]].tolist() == ["", 0.0, "subscription"]
    assert rows.loc[2, "reason"] == (
        "pay-as-you-go is not offered (general computing resources are subscription only)"
    )
    assert plan.unbuyable[["line", "reason"]].values.tolist() == [
        [
            5,
            "subscription offer ml.test.gpux is out of stock in cn-beijing: it cannot be"
            " purchased now; pay-as-you-go offer ml.test.gpux is out of stock in cn-beijing:"
            " it cannot be purchased now",
        ],
        [6, "no offer of spec 'nope' in this region"],
    ]
    # subscription first: 47,865.40 + 52,560.00 + 1,894.56 = 102,319.96
    # pay-as-you-go first: 53,290.00 + 10,950.00 + 1,894.56 = 66,134.56
    # mixed: 47,865.40 + 10,950.00 + 1,894.56 = 60,709.96
    assert plan.totals.values.tolist() == [
        ["USD", "subscription first", 102319.96, 10_231_996, 3],
        ["USD", "pay-as-you-go first", 66134.56, 6_613_456, 3],
        ["USD", "mixed: cheaper per row", 60709.96, 6_070_996, 3],
    ]


def test_totals_are_exact_to_the_cent(catalog):
    # 0.1 + 0.2 style float drift must not reach a total: 3 rows of 78.94 x 1 = 236.82
    plan = plan_fleet(fleet(*[("cn-shanghai", "ecs.g7.xlarge-4c16g", "", 1, 1, 1)] * 3), catalog)
    assert plan.totals["cost"].tolist() == [236.82, 236.82, 236.82]


def test_bad_fleet_lists_every_problem(tmp_path):
    path = tmp_path / "fleet.csv"
    path.write_text(
        "# a comment line\n"
        "region_id,hardware,quantity,usage_hours_per_day,months\n"
        "cn-beijing,gu108,0,8,1\n"
        ",gu108,1,25,1.5\n"
        "cn-beijing,,2,x,121\n"
    )
    with pytest.raises(FleetError) as caught:
        read_fleet(path)
    assert caught.value.messages == [
        f"{path}: line 3: quantity = '0': not a whole number of nodes from 1 to 100,000",
        f"{path}: line 4: months = '1.5': not a whole number of months from 1 to 120",
        f"{path}: line 4: region_id = '': empty, but the column is required",
        f"{path}: line 4: usage_hours_per_day = '25': not a number of hours per day from 0 to 24",
        f"{path}: line 5: hardware = '': empty and so is spec; give the hardware key or a spec of the catalog",
        f"{path}: line 5: months = '121': not a whole number of months from 1 to 120",
        f"{path}: line 5: usage_hours_per_day = 'x': not a number",
    ]


def test_missing_columns(tmp_path):
    with pytest.raises(FleetError, match="fleet: missing column: give hardware or spec"):
        read_fleet(
            pd.DataFrame(
                {"region_id": ["a"], "quantity": [1], "usage_hours_per_day": [1], "months": [1]}
            )
        )


def test_example_fleet_is_labelled_and_loads():
    assert EXAMPLE_FLEET.read_text().startswith("# ILLUSTRATIVE")
    assert len(read_fleet(EXAMPLE_FLEET)) == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header line; give the column names on the first line"),
        ("# only a comment\n", "no header line; give the column names on the first line"),
        # 7 fields under a 5-column header: pandas would silently drop the last two
        (
            "region_id,hardware,quantity,usage_hours_per_day,months\ncn-beijing,gu108,1,8,1,9,9\n",
            "line 2: 7 fields, but the header has 5 columns; give one value per column (quote a value that holds a comma)",
        ),
    ],
)
def test_unreadable_fleet_files_are_fleet_errors(tmp_path, text, message):
    path = tmp_path / "fleet.csv"
    path.write_text(text)
    with pytest.raises(FleetError) as caught:
        read_fleet(path)
    assert caught.value.messages == [f"{path}: {message}"]


def test_non_utf8_fleet_file_is_a_fleet_error(tmp_path):
    path = tmp_path / "fleet.csv"
    path.write_bytes(
        b"region_id,hardware,quantity,usage_hours_per_day,months\ncn-beijing,g\xe9,1,8,1\n"
    )  # latin-1 e-acute
    with pytest.raises(FleetError) as caught:
        read_fleet(path)
    assert caught.value.messages == [
        f"{path}: line 2: not UTF-8 (byte 0xe9); save the file as UTF-8"
    ]


def test_missing_cells_of_a_dataframe_are_empty_values():
    with pytest.raises(FleetError) as caught:
        read_fleet(
            pd.DataFrame(
                {
                    "region_id": [None],
                    "hardware": ["gu108"],
                    "quantity": [1],
                    "usage_hours_per_day": [8],
                    "months": [1],
                }
            )
        )
    assert caught.value.messages == [
        "fleet: line 2: region_id = '': empty, but the column is required"
    ]


def test_overhead_minutes_bill_the_whole_life_of_a_node(catalog):
    rows = fleet(
        ("cn-wulanchabu", "gu108", "", 1, 8, 1),
        ("cn-wulanchabu", "gu108", "", 1, 23.9, 1),
        ("cn-wulanchabu", "gu108", "", 1, 0, 1),
    )
    plan = plan_fleet(rows, catalog, overhead_minutes=30)
    # 8 h/day + 30 min = 8.5 h/day: 8.5 / 24 x 43,800 = 15,512.5 min x 0.73 = 11,324.125
    # -> 11,324.13; 23.9 h + 30 min passes 24 h: billed 24 h, 43,800 x 0.73 = 31,974.00;
    # no use, no job: 0.00
    assert plan.rows["payg_cost"].tolist() == [11324.13, 31974.00, 0.0]
    assert plan.rows.attrs["overhead_minutes"] == 30.0
    assert plan.totals.attrs["overhead_minutes"] == 30.0
    # the default is no overhead: 8 h/day = 14,600 min x 0.73 = 10,658.00
    default = plan_fleet(rows, catalog)
    assert default.rows["payg_cost"].tolist()[0] == 10658.00
    assert default.rows.attrs["overhead_minutes"] == 0.0


@pytest.mark.parametrize("overhead", [-1, 1441, float("nan")])
def test_overhead_out_of_range_is_an_input_error(catalog, overhead):
    from pai_model.errors import InputError

    with pytest.raises(InputError, match="overhead_minutes: must be from 0 to 1,440"):
        plan_fleet(
            fleet(("cn-wulanchabu", "gu108", "", 1, 8, 1)), catalog, overhead_minutes=overhead
        )


def test_general_rows_are_priced_against_their_public_resource():
    # tests/data/whatif_public_catalog.csv (illustrative): the general ecs.g6.2xlarge-8c32g
    # at 150.00 USD a month, the DLC public resource of hardware g6 at 0.61 USD an hour
    # (billed per minute at 0.61 / 60); g7 (300.00 a month) has no public resource
    catalog = read_catalog(TEST_CATALOG.with_name("whatif_public_catalog.csv"))
    plan = plan_fleet(
        fleet(
            ("cn-shanghai", "g6", "", 2, 8, 3),
            ("cn-shanghai", "", "ecs.g6.2xlarge-8c32g", 1, 24, 1),
            ("cn-shanghai", "g7", "", 1, 8, 1),
        ),
        catalog,
    )
    rows = plan.rows
    # line 2: 2 x 150.00 x 3 = 900.00; 8 h/day x 3 months = 43,800 min a node:
    # 0.61 x 2 x 43,800 / 60 = 890.60, saving 9.40
    assert rows.loc[0, ["subscription_cost", "payg_cost", "cheaper", "savings"]].tolist() == [
        900.00,
        890.60,
        "payg",
        9.40,
    ]
    assert rows.loc[0, ["payg_spec", "payg_price_unit"]].tolist() == ["ecs.g6.2xlarge", "hour"]
    # line 3: 24 h/day = 43,800 min: 0.61 x 43,800 / 60 = 445.30 against 150.00
    assert rows.loc[1, ["payg_cost", "plan_method"]].tolist() == [445.30, "subscription"]
    # line 4: no public resource of g7: subscription only, and said why
    assert np.isnan(rows.loc[2, "payg_cost"]) and rows.loc[2, "payg_price_unit"] == ""
    assert rows.loc[2, "reason"] == (
        "pay-as-you-go is not offered (general computing resources are subscription only)"
    )
    # subscription first 900.00 + 150.00 + 300.00; pay-as-you-go first 890.60 + 445.30 +
    # 300.00; mixed 890.60 + 150.00 + 300.00
    assert plan.totals["cost"].tolist() == [1350.00, 1635.90, 1340.60]
    assert "2 general computing row(s) (sold by subscription only) are compared with the" in (
        fleet_summary(plan)
    )
    # 15 minutes of overhead a job: 8.25 h/day = 15,056.25 min a month, 45,168.75 in 3;
    # 0.61 x 2 x 45,168.75 / 60 = 918.43125 -> 918.43
    with_overhead = plan_fleet(
        fleet(("cn-shanghai", "g6", "", 2, 8, 3)), catalog, overhead_minutes=15
    )
    assert with_overhead.rows["payg_cost"].tolist() == [918.43]
