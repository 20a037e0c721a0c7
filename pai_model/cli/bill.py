"""``pai-cost bill``: price an orders CSV exactly, print the lines and the totals."""

from __future__ import annotations

import argparse

from pai_model.cli._common import (
    add_buyable_months,
    add_catalog_option,
    add_format_option,
    add_public_decimals_option,
    emit,
    load,
    output_path,
    warn_illustrative,
)
from pai_model.cli._usage import add_focus_out, write_focus_out

LINE_COLUMNS = [
    "region_id",
    "spec",
    "quantity",
    "billing_method",
    "formula",
    "amount",
    "amount_minor",
    "amount_decimals",
    "currency",
]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bill",
        help="price an orders CSV: one exact line per order and the totals",
        description=(
            "Prices every order (region_id, spec, quantity, billing_method, months or"
            " minutes) with the billing page's formula, exactly to the cent (a public"
            " resource below it, as Alibaba's examples show: --public-decimals), and prints"
            " the lines and the totals per currency."
        ),
        epilog="Example: pai-cost bill orders.csv --focus-out orders_focus.csv",
    )
    parser.add_argument("orders", metavar="ORDERS", help="orders CSV or Parquet file")
    add_format_option(parser)
    parser.add_argument(
        "--period-start",
        metavar="TIME",
        default=None,
        help="with --focus-out: when the orders start (UTC ISO time; default: the first day"
        " of the current month)",
    )
    add_focus_out(parser)
    add_public_decimals_option(parser)
    add_buyable_months(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from pai_model.bills.orders import price_orders

    output_path(args, "--focus-out")
    catalog = load(args)
    bill = price_orders(
        args.orders,
        catalog,
        public_decimals=args.public_decimals,
        buyable_months=args.buyable_months,
    )
    if args.format == "table":
        emit(bill.lines[LINE_COLUMNS], "table")
        print()
        emit(bill.totals, "table")
    else:
        emit(bill.lines, args.format)
    warn_illustrative(catalog, bill.lines)
    start = args.period_start or pd.Timestamp.now(tz="UTC").strftime("%Y-%m-01")
    write_focus_out(args, bill.lines, period_start=start)
    return 0
