"""pai-cost breakeven: the table in text, JSON and CSV, on the documented and demo catalogs."""

from __future__ import annotations

import csv
import io
import json
import re

from cli_runs import pai_cost

from pai_model import paths
from pai_model.cli import main
from pai_model.formulas.money_text import MONEY_COLUMN, PRICE_COLUMN

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


def test_breakeven_table_and_formats():
    table = pai_cost("breakeven", "--catalog", DOCUMENTED)
    assert table.returncode == 0, table.stderr
    assert "cn-wulanchabu" in table.stdout and "17.96" in table.stdout and "74.9%" in table.stdout
    assert "assumption" in table.stdout
    records = json.loads(pai_cost("breakeven", "--catalog", DOCUMENTED, "--format", "json").stdout)
    assert len(records) == 1
    # 23,932.70 / 0.73 = 32,784.52 minutes (hand calculation)
    assert round(records[0]["break_even_minutes"], 2) == 32784.52
    csv = pai_cost(
        "breakeven", "--catalog", DOCUMENTED, "--format", "csv", "--hours-per-month", "720"
    )
    header, row = csv.stdout.strip().splitlines()
    values = dict(zip(header.split(","), row.split(","), strict=False))
    # 32,784.52 / 43,200 minutes in a 720-hour month = 0.7589
    assert round(float(values["break_even_utilization"]), 4) == 0.7589


def test_breakeven_on_default_catalog_warns_about_illustrative_prices():
    result = pai_cost("breakeven", "--region", "cn-beijing", "--region", "cn-wulanchabu")
    assert result.returncode == 0
    rows = [line.split()[0] for line in result.stdout.split("\n\n")[0].splitlines()[1:]]
    # 4 Lingjun hardware keys and 4 general ones (against their public resources) each
    assert rows.count("cn-beijing") == 8 and rows.count("cn-wulanchabu") == 8
    # the demo catalog's out-of-stock Beijing hardware is named with the reason
    assert (
        "  - cn-beijing gp7vf-16xAccelerator: subscription offer ml.gp7vf.16.40xlarge is out of"
        " stock in cn-beijing: it cannot be purchased now;" in result.stdout
    )
    assert "WARNING: illustrative prices" in result.stderr


def test_breakeven_csv_writes_money_and_prices_at_their_precision(capsys):
    assert main(["breakeven", "--format", "csv", "--region", "ap-northeast-1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    for row in rows:
        for column, value in row.items():
            assert value.lower() != "nan", (column, row)
            if value and PRICE_COLUMN.fullmatch(column):
                assert re.fullmatch(r"-?\d+(\.\d{1,6})?", value), (column, value)
            elif value and MONEY_COLUMN.fullmatch(column):
                assert re.fullmatch(r"-?\d+\.\d{2}", value), (column, value)
    # the public resource of ecs.c7.8xlarge in Tokyo: 3.24 USD/hour (the embedded catalog),
    # billed per minute at 3.24 / 60 = 0.054 USD
    tokyo = next(r for r in rows if r["hardware"] == "ecs.c7.8xlarge-32c64g")
    assert (tokyo["payg_price_per_hour"], tokyo["payg_price_per_minute"]) == ("3.24", "0.054")
