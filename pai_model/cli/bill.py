"""``pai-cost bill``: price an orders CSV exactly, print the lines and the totals."""

from __future__ import annotations

import argparse
import sys

from pai_model.cli._common import add_catalog_option, load, warn_illustrative
from pai_model.cli._usage import add_focus_out, write_focus_out

FORMATS = ("table", "csv", "json")
LINE_COLUMNS = ["region_id", "spec", "quantity", "billing_method", "formula", "amount", "currency"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bill",
        help="price an orders CSV: one exact line per order and the totals",
        description=(
            "Prices every order (region_id, spec, quantity, billing_method, months or"
            " minutes) with the billing page's formula, exactly to the cent, and prints"
            " the lines and the totals per currency."
        ),
        epilog="Example: pai-cost bill orders.csv --focus-out orders_focus.csv",
    )
    parser.add_argument("orders", metavar="ORDERS", help="orders CSV or Parquet file")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--period-start", metavar="TIME", default=None,
        help="with --focus-out: when the orders start (UTC ISO time; default: the first day"
        " of the current month)",
    )  # fmt: skip
    add_focus_out(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from pai_model.bills.orders import price_orders

    catalog = load(args)
    bill = price_orders(args.orders, catalog)
    if args.format == "csv":
        bill.lines.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(bill.lines.to_json(orient="records", indent=2, date_format="iso"))
    else:
        print(bill.lines[LINE_COLUMNS].to_string(index=False))
        print()
        print(bill.totals.to_string(index=False))
    warn_illustrative(catalog, bill.lines)
    start = args.period_start or pd.Timestamp.now(tz="UTC").strftime("%Y-%m-01")
    write_focus_out(args, bill.lines, period_start=start)
    return 0
