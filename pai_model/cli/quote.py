"""``pai-cost quote``: the bill for one order, with its formula written out.

Fast by design (:mod:`pai_model.bills.quotes`): once a catalog has been validated, a quote
loads neither pandas nor the compiled billing kernel.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from pai_model.cli._common import (
    add_buyable_months,
    add_catalog_option,
    add_public_decimals_option,
    max_age,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quote",
        help="price one order and show the formula",
        description=(
            "Price one order with the billing page's formula: unit price x quantity x"
            " duration. --months makes it a subscription, --years a year-term subscription"
            " at the catalog's year price, --minutes pay-as-you-go (a public resource at"
            " its hourly price / 60 per minute, billed below the cent: --public-decimals)."
        ),
        epilog="example: pai-cost quote --region cn-shanghai --spec ecs.g7.xlarge-4c16g"
        " --quantity 2 --months 1",
    )
    parser.add_argument(
        "--region", required=True, metavar="R", help="region id, e.g. cn-wulanchabu"
    )
    parser.add_argument("--spec", required=True, metavar="S", help="node specification")
    # numbers are passed on as typed and read by the kit's one decimal rule (so "4_5" or
    # "1e3" is not a number, as in an orders file)
    parser.add_argument("--quantity", required=True, metavar="N", help="number of nodes")
    duration = parser.add_mutually_exclusive_group(required=True)
    duration.add_argument("--months", metavar="M", help="subscription months (whole)")
    duration.add_argument(
        "--years", metavar="Y", help="year-term subscription years (whole, 1 to 10)"
    )
    duration.add_argument("--minutes", metavar="X", help="pay-as-you-go minutes (up to 3 decimals)")
    add_buyable_months(parser)
    add_public_decimals_option(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.bills.quotes import price_order

    bill = price_order(
        args.region,
        args.spec,
        args.quantity,
        months=args.months,
        minutes=args.minutes,
        years=args.years,
        catalog=args.catalog,
        buyable_months=args.buyable_months,
        public_decimals=args.public_decimals,
    )
    print(bill.formula)
    print(f"price source: {bill.price_source}")
    if bill.warning:
        print(f"pai-cost: note: {bill.warning}", file=sys.stderr)
    age = (datetime.now(UTC).date() - date.fromisoformat(bill.offer.as_of)).days
    if age > max_age(args):
        print(
            f"pai-cost: note: this price was read {age} days ago ({bill.offer.as_of}), more"
            f" than {args.max_age_days}: check it on the console before ordering",
            file=sys.stderr,
        )
    return 0
