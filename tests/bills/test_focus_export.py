"""FOCUS out: the kit's lines as FOCUS 1.0 rows, and every MUST the FOCUS schema encodes.

Expected amounts are the billing page's examples (157.88, 47,865.40, 32.85) or hand
calculations in comments.
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest
from golden import golden_orders

from pai_model import paths
from pai_model.bills.focus_export import check_focus, to_focus, write_focus
from pai_model.bills.orders import price_orders
from pai_model.data.catalog import read_catalog
from pai_model.data.focus_schema import FocusSchema
from pai_model.data.focus_schema import FocusSchema as FromSchemas
from pai_model.decisions.planning.focus_lines import plan_lines
from pai_model.errors import PaiModelError, TableError

ORDERS = golden_orders()


@pytest.fixture(scope="module")
def rows():
    bill = price_orders(ORDERS, read_catalog(paths.DOCUMENTED_CATALOG))
    return to_focus(bill.lines, period_start="2026-01-31T08:00:00+08:00")


def test_schemas_module_gives_the_focus_model():
    assert FromSchemas is FocusSchema


def test_golden_examples_as_focus_rows(rows):
    assert rows["BilledCost"].tolist() == ["157.88", "47865.40", "32.85"]
    assert (rows["ListCost"] == rows["BilledCost"]).all()
    assert (rows["ContractedCost"] == rows["BilledCost"]).all()
    assert rows["PricingCategory"].tolist() == ["Committed", "Committed", "Standard"]
    assert rows["PricingUnit"].tolist() == ["Node-Months", "Node-Months", "Node-Minutes"]
    # 2 nodes x 1 month; 1 node x 45 minutes
    assert rows["PricingQuantity"].tolist() == ["2", "2", "45"]
    assert rows["ListUnitPrice"].tolist() == ["78.94", "23932.7", "0.73"]
    assert rows["ChargeFrequency"].tolist() == ["Recurring", "Recurring", "Usage-Based"]
    assert rows["CommitmentDiscountId"].iloc[0] == "subscription/cn-shanghai/ecs.g7.xlarge-4c16g"
    assert rows["CommitmentDiscountId"].isna().iloc[2]


def test_times_are_utc_and_terms_calendar_months(rows):
    # 08:00 at UTC+8 is midnight UTC; a month from Jan 31 ends on Feb 28 (clipped)
    assert str(rows["ChargePeriodStart"].iloc[0]) == "2026-01-31 00:00:00"
    assert str(rows["ChargePeriodEnd"].iloc[0]) == "2026-02-28 00:00:00"
    assert str(rows["ChargePeriodEnd"].iloc[2]) == "2026-01-31 00:45:00"
    assert str(rows["BillingPeriodStart"].iloc[2]) == "2026-01-01 00:00:00"
    assert str(rows["BillingPeriodEnd"].iloc[2]) == "2026-02-01 00:00:00"


def test_x_columns_come_after_the_focus_columns(rows):
    names = list(rows.columns)
    focus = list(FocusSchema.to_schema().columns)
    assert names[: len(focus)] == focus
    assert {"x_BillingMethod", "x_Nodes", "x_Provenance"} <= set(names[len(focus) :])
    assert all(n.startswith("x_") for n in names[len(focus) :])


def test_csv_and_parquet_written_in_utc(rows, tmp_path):
    write_focus(rows, tmp_path / "rows.csv")
    text = (tmp_path / "rows.csv").read_text()
    assert "2026-01-31T00:00:00Z" in text and "2026-02-28T00:00:00Z" in text
    write_focus(rows, tmp_path / "rows.parquet")
    back = pd.read_parquet(tmp_path / "rows.parquet")
    assert str(back["ChargePeriodStart"].dt.tz) == "UTC"
    assert back["BilledCost"].tolist() == ["157.88", "47865.40", "32.85"]


def test_rows_that_are_not_focus_rows_are_refused_naming_rows(rows, tmp_path):
    with pytest.raises(ValueError) as refused:
        write_focus(pd.DataFrame({"x": [1]}), tmp_path / "rows.csv")
    assert str(refused.value) == (
        "rows: must be FOCUS rows (focus_rows gives them); missing ChargePeriodStart,"
        " ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd"
    )
    as_text = rows.assign(ChargePeriodEnd=rows["ChargePeriodEnd"].astype(str))
    with pytest.raises(ValueError) as refused:
        write_focus(as_text, tmp_path / "rows.csv")
    assert str(refused.value) == (
        "rows: must be FOCUS rows (focus_rows gives them): ChargePeriodEnd must be times in UTC"
        " without a time zone (datetime64)"
    )
    assert list(tmp_path.iterdir()) == []


def test_lines_without_times_need_a_period_start():
    bill = price_orders(ORDERS, read_catalog(paths.DOCUMENTED_CATALOG))
    with pytest.raises(PaiModelError, match="period_start"):
        to_focus(bill.lines)


def test_plan_lines_sum_to_the_plan_cost():
    from pai_model.decisions.planning.pipeline import plan_commitment

    jobs = pd.DataFrame(
        {
            "start": ["2026-01-01", "2026-01-01"],
            "end": ["2026-01-31", "2026-01-21"],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [2, 1],
        }
    )
    result = plan_commitment(jobs, read_catalog(paths.DOCUMENTED_CATALOG), scenarios=0)
    lines = plan_lines(result.plan, result.demand)
    rows = to_focus(lines)
    # plan_commitment's example: 2 x 23,932.70 + 29,200 min x 0.73 = 47,865.40 + 21,316.00
    assert rows["BilledCost"].tolist() == ["47865.40", "21316.00"]
    assert rows["PricingCategory"].tolist() == ["Committed", "Standard"]
    assert str(rows["ChargePeriodStart"].iloc[0]) == "2026-01-31 00:00:00"


# ---- every MUST the schema encodes: a valid row broken one rule at a time ----


@functools.cache
def _valid_rows() -> pd.DataFrame:
    bill = price_orders(ORDERS, read_catalog(paths.DOCUMENTED_CATALOG))
    return to_focus(bill.lines, period_start="2026-01-01")


def _valid() -> pd.DataFrame:
    return _valid_rows().copy()


def _set(column, value, row=2):
    def change(frame):
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
        return frame

    return change


def _both(*changes):
    def change(frame):
        for one in changes:
            frame = one(frame)
        return frame

    return change


MUSTS = [
    # (rule, change, column named, message)
    (
        "BilledCost not null",
        _set("BilledCost", None),
        "BilledCost",
        "empty, but the column is required",
    ),
    ("EffectiveCost not null", _set("EffectiveCost", None), "EffectiveCost", "empty"),
    ("ListCost not null", _set("ListCost", None), "ListCost", "empty"),
    ("ContractedCost not null", _set("ContractedCost", None), "ContractedCost", "empty"),
    ("costs are decimals", _set("BilledCost", "32,85 USD"), "BilledCost", "not a decimal number"),
    ("E-notation allowed", _set("BilledCost", "3.285E1"), None, None),
    ("decimals are finite", _set("PricingQuantity", "1e400"), "PricingQuantity", "beyond any"),
    (
        "quantities are decimals",
        _set("PricingQuantity", "45 min"),
        "PricingQuantity",
        "not a decimal",
    ),
    (
        "consumed quantity is a decimal",
        _set("ConsumedQuantity", "many"),
        "ConsumedQuantity",
        "not a decimal",
    ),
    ("unit prices >= 0", _set("ListUnitPrice", "-0.73"), "ListUnitPrice", "at least 0"),
    (
        "contracted unit price >= 0",
        _set("ContractedUnitPrice", "-1"),
        "ContractedUnitPrice",
        "at least 0",
    ),
    ("unit format", _set("PricingUnit", "node minutes!"), "PricingUnit", "not a FOCUS unit"),
    (
        "consumed unit format",
        _set("ConsumedUnit", "Node-Minutes!"),
        "ConsumedUnit",
        "not a FOCUS unit",
    ),
    (
        "charge category allowed values",
        _set("ChargeCategory", "Fee"),
        "ChargeCategory",
        "not a charge category",
    ),
    (
        "charge class allowed values",
        _set("ChargeClass", "Refund"),
        "ChargeClass",
        "not a charge class",
    ),
    (
        "charge frequency allowed values",
        _set("ChargeFrequency", "Daily"),
        "ChargeFrequency",
        "not a charge frequency",
    ),
    (
        "pricing category allowed values",
        _set("PricingCategory", "Spot"),
        "PricingCategory",
        "not a pricing category",
    ),
    (
        "service category allowed values",
        _set("ServiceCategory", "GPU"),
        "ServiceCategory",
        "not a FOCUS service category",
    ),
    (
        "commitment category allowed values",
        _set("CommitmentDiscountCategory", "Time", row=0),
        "CommitmentDiscountCategory",
        "Spend or Usage",
    ),
    (
        "commitment status allowed values",
        _set("CommitmentDiscountStatus", "Partly", row=0),
        "CommitmentDiscountStatus",
        "Used or Unused",
    ),
    ("currency ISO 4217", _set("BillingCurrency", "usd"), "BillingCurrency", "ISO 4217"),
    ("tags are a JSON object", _set("Tags", "team=ml"), "Tags", "JSON object"),
    (
        "charge period end exclusive, after start",
        _set("ChargePeriodEnd", pd.Timestamp("2026-01-01")),
        "ChargePeriodEnd",
        "not after ChargePeriodStart",
    ),
    (
        "billing period end after start",
        _set("BillingPeriodEnd", pd.Timestamp("2026-01-01")),
        "BillingPeriodEnd",
        "not after BillingPeriodStart",
    ),
    (
        "charge period start not null",
        _set("ChargePeriodStart", pd.NaT),
        "ChargePeriodStart",
        "empty",
    ),
    (
        "billing period start not null",
        _set("BillingPeriodStart", pd.NaT),
        "BillingPeriodStart",
        "empty",
    ),
    ("charge category not null", _set("ChargeCategory", None), "ChargeCategory", "empty"),
    ("service name not null", _set("ServiceName", None), "ServiceName", "empty"),
    ("service category not null", _set("ServiceCategory", None), "ServiceCategory", "empty"),
    ("provider not null", _set("ProviderName", None), "ProviderName", "empty"),
    ("publisher not null", _set("PublisherName", None), "PublisherName", "empty"),
    ("invoice issuer not null", _set("InvoiceIssuerName", None), "InvoiceIssuerName", "empty"),
    ("billing account not null", _set("BillingAccountId", None), "BillingAccountId", "empty"),
    ("currency not null", _set("BillingCurrency", None), "BillingCurrency", "empty"),
    (
        "pricing quantity on usage",
        _set("PricingQuantity", None),
        "PricingQuantity",
        "empty on a Usage or Purchase row",
    ),
    (
        "pricing unit on usage",
        _set("PricingUnit", None),
        "PricingUnit",
        "empty on a Usage or Purchase row",
    ),
    (
        "no pricing quantity on tax",
        _both(
            _set("ChargeCategory", "Tax"),
            _set("ConsumedQuantity", None),
            _set("ConsumedUnit", None),
        ),
        "PricingQuantity",
        "given on a Tax row",
    ),
    (
        "list unit price on usage",
        _set("ListUnitPrice", None),
        "ListUnitPrice",
        "empty on a Usage or Purchase row that is not a Correction",
    ),
    (
        "contracted unit price on usage",
        _set("ContractedUnitPrice", None),
        "ContractedUnitPrice",
        "empty on a Usage or Purchase row",
    ),
    (
        "corrections may omit unit prices",
        _both(
            _set("ChargeClass", "Correction"),
            _set("ListUnitPrice", None),
            _set("ContractedUnitPrice", None),
            _set("ConsumedQuantity", None),
            _set("ConsumedUnit", None),
        ),
        None,
        None,
    ),
    (
        "consumed quantity on usage",
        _set("ConsumedQuantity", None),
        "ConsumedQuantity",
        "empty on a Usage row",
    ),
    ("consumed unit on usage", _set("ConsumedUnit", None), "ConsumedUnit", "empty on a Usage row"),
    (
        "consumed quantity only on usage",
        _set("ChargeCategory", "Adjustment"),
        "ConsumedQuantity",
        "only Usage is consumed",
    ),
    (
        "committed iff commitment id",
        _set("PricingCategory", "Standard", row=0),
        "PricingCategory",
        "Committed exactly when",
    ),
    (
        "commitment type iff id",
        _set("CommitmentDiscountType", None, row=0),
        "CommitmentDiscountType",
        "given exactly when",
    ),
    (
        "commitment status on committed usage",
        _set("CommitmentDiscountStatus", None, row=0),
        "CommitmentDiscountStatus",
        "say Used or Unused",
    ),
    (
        "purchases are not usage-based",
        _both(
            _set("ChargeCategory", "Purchase"),
            _set("ConsumedQuantity", None),
            _set("ConsumedUnit", None),
        ),
        "ChargeFrequency",
        "Usage-Based on a Purchase row",
    ),
]


@pytest.mark.parametrize("rule, change, column, message", MUSTS, ids=[m[0] for m in MUSTS])
def test_each_must(rule, change, column, message):
    frame = change(_valid())
    if column is None:
        check_focus(frame, "rows")
        return
    with pytest.raises(TableError) as caught:
        check_focus(frame, "rows")
    found = [p for p in caught.value.problems if p.column == column and message in p.message]
    assert found, caught.value.messages
    # the row is named as a CSV line: the header is line 1, row 2 is line 4
    assert found[0].line in (2, 4)


def test_every_check_of_the_schema_is_tested():
    schema = FocusSchema.to_schema()
    errors = {c.error for c in schema.checks}
    for column in schema.columns.values():
        errors |= {c.error for c in column.checks}
    tested = " | ".join(m[3] for m in MUSTS if m[3])
    untested = sorted(e for e in errors if not any(part in e for part in tested.split(" | ")))
    assert not untested, untested
    required = {c for c, spec in schema.columns.items() if not spec.nullable}
    tested_null = {m[2] for m in MUSTS if m[3] and m[3].startswith("empty")}
    assert required <= tested_null | {"ChargePeriodEnd", "BillingPeriodEnd"}, required - tested_null


def test_custom_columns_must_be_prefixed_and_last():
    frame = _valid()
    frame.insert(0, "x_first", "a")
    frame["Extra"] = "b"
    with pytest.raises(TableError) as caught:
        check_focus(frame, "rows")
    text = "\n".join(caught.value.messages)
    assert "'Extra' is not a FOCUS column" in text and "x_ columns must come after" in text
