"""Every problem of a table phrased one way: the header's, the cells' and the rows'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import CatalogError, FleetError, OrderError, paths, price_orders, read_catalog
from pai_model.data.problems import Lines, check_columns, problems_from_failures, row_problems
from pai_model.data.schemas import FleetSchema
from pai_model.decisions.fleet import read_fleet
from tests.data.test_tables import CATALOG_HEADER, CATALOG_ROW, FLEET_HEADER, problems, write


def test_every_table_kind_gives_the_same_shape_of_message(tmp_path):
    catalog = write(tmp_path, f"{CATALOG_HEADER}\n{CATALOG_ROW.replace('78.94', 'abc')}\n", "c.csv")
    orders = write(
        tmp_path,
        "region_id,spec,quantity,billing_method,months\n"
        "cn-shanghai,ecs.g7.xlarge-4c16g,abc,subscription,1\n",
        "o.csv",
    )
    fleet = write(tmp_path, f"{FLEET_HEADER}\ncn-beijing,gu108,abc,8,1\n", "f.csv")
    documented = read_catalog(paths.DOCUMENTED_CATALOG)
    assert problems(read_catalog, catalog) == [
        f"{catalog}: line 2: subscription_price_per_month = 'abc': not a decimal number"
        " (digits with an optional decimal point, e.g. 23932.70)"
    ]
    assert problems(price_orders, orders, documented) == [
        f"{orders}: line 2: quantity = 'abc': not a number"
    ]
    assert problems(read_fleet, fleet) == [f"{fleet}: line 2: quantity = 'abc': not a number"]
    with pytest.raises(OrderError):
        price_orders(orders, documented)
    with pytest.raises(FleetError):
        read_fleet(fleet)
    with pytest.raises(CatalogError):
        read_catalog(catalog)


def test_duplicate_and_unknown_columns(tmp_path):
    path = write(
        tmp_path,
        "region_id,resource_type,spec,spec,subscription_price_per_month,currency,in_stok,"
        "source,as_of,colour\ncn-shanghai,general,a,a,1,USD,true,x,2026-01-01,red\n",
    )
    known = (
        "region_id, region_name, resource_type, spec, hardware, vcpu, memory_gib, gpu_model,"
        " gpu_count, subscription_price_per_month, subscription_price_per_year,"
        " payg_price_per_minute, payg_price_per_hour, currency, in_stock,"
        " subscription_in_stock, payg_in_stock, stock_known, source, as_of, note"
    )
    assert problems(read_catalog, path) == [
        f"{path}: duplicate column 'spec'; give each column once",
        # one problem names every unknown column once, the known ones listed once
        f"{path}: 2 unknown columns: 'in_stok' (did you mean 'in_stock'?), 'colour' (known:"
        f" {known}; name columns of your own x_... to keep them)",
    ]


# --- the parts, on hand-written tables (synthetic values) ----------------------------


def test_pandera_failures_become_one_problem_per_cell():
    # a table as read: line 2 and 3 repeat (region_id, spec); quantity 121.0 was written 121
    raw = pd.DataFrame(
        {"region_id": ["r", "r", "r"], "spec": ["a", "a", "b"], "quantity": [121.0, None, 5.5]}
    )
    uniqueness = "multiple_fields_uniqueness"
    failures = pd.DataFrame(
        [
            ("quantity", "synthetic check A", 121.0, 0),
            ("quantity", "not_nullable", None, 1),
            ("quantity", "synthetic check B", None, 1),
            ("region_id", uniqueness, "r", 0),
            ("spec", uniqueness, "a", 0),
            ("region_id", uniqueness, "r", 1),
            ("spec", uniqueness, "a", 1),
            ("quantity", "synthetic check C", "TypeError", float("nan")),
        ],
        columns=["column", "check", "failure_case", "index"],
    )
    found = problems_from_failures(failures, raw, Lines(None), "t", ("region_id", "spec"))
    duplicate = "duplicate (region_id, spec): each combination may appear once"
    assert [str(p) for p in found] == [
        # the whole table's first (no line), then by line and column
        "t: quantity: check could not run (TypeError)",
        "t: line 2: quantity = '121': synthetic check A",
        f"t: line 2: spec = 'a': {duplicate} (also on line 3)",
        # the first failure of a cell only: check B of the same cell is not repeated
        "t: line 3: quantity = '': empty, but the column is required",
        f"t: line 3: spec = 'a': {duplicate} (also on line 2)",
    ]


def test_lines_are_physical_lines_worked_out_once_and_only_when_asked():
    calls = []

    def records():
        calls.append(1)
        return np.array([1, 3, 6])  # header on line 1, records on lines 3 and 6

    lines = Lines(records)
    assert lines(np.array([], dtype=np.int64)).tolist() == [] and calls == []
    assert lines([1, 0]).tolist() == [6, 3]
    assert lines([0]).tolist() == [3] and calls == [1]
    # a DataFrame's or Parquet file's row i is line i + 2, as if written to a CSV file
    assert Lines(None)([0, 4]).tolist() == [2, 6]


def test_row_problems_quote_the_cell_and_name_the_line():
    frame = pd.DataFrame({"quantity": [1.0, 121.0, 7.0]})
    frame.attrs.update(source="t", lines=Lines(None))
    checks = [
        (np.array([False, True, False]), "quantity", lambda row: f"row {row} is too many"),
        (np.array([True, False, False]), "quantity", "too few"),
    ]
    assert [str(p) for p in row_problems(frame, checks)] == [
        "t: line 2: quantity = '1': too few",
        "t: line 3: quantity = '121': row 1 is too many",
    ]


def test_a_header_without_required_columns_lists_each():
    with pytest.raises(FleetError) as caught:
        check_columns(["region_id", "hardware", "quantity"], FleetSchema, "f.csv", FleetError)
    assert caught.value.messages == [
        "f.csv: missing required column 'usage_hours_per_day'",
        "f.csv: missing required column 'months'",
    ]
