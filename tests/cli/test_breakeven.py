"""``pai-cost breakeven --format csv``: money and prices at their precision, never a float's
tail (3.24 USD/hour / 60 is 0.054 USD/minute, not 0.054000000000000006)."""

from __future__ import annotations

import csv
import io
import re

from pai_model.cli import main
from pai_model.formulas.money_text import MONEY_COLUMN, PRICE_COLUMN


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
