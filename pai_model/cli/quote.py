"""``pai-cost quote``: the bill for one order, with its formula written out."""

from __future__ import annotations

import argparse

from ._common import add_catalog_option, load, warn_illustrative


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quote",
        help="price one order and show the formula",
        description=(
            "Price one order with the billing page's formula: unit price x quantity x"
            " duration. --months makes it a subscription, --minutes pay-as-you-go."
        ),
        epilog="example: pai-cost quote --region cn-shanghai --spec ecs.g7.xlarge-4c16g"
        " --quantity 2 --months 1",
    )
    parser.add_argument(
        "--region", required=True, metavar="R", help="region id, e.g. cn-wulanchabu"
    )
    parser.add_argument("--spec", required=True, metavar="S", help="node specification")
    parser.add_argument(
        "--quantity", required=True, type=float, metavar="N", help="number of nodes"
    )
    duration = parser.add_mutually_exclusive_group(required=True)
    duration.add_argument("--months", type=float, metavar="M", help="subscription months (whole)")
    duration.add_argument(
        "--minutes", type=float, metavar="X", help="pay-as-you-go minutes (up to 3 decimals)"
    )
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..orders import price_orders

    catalog = load(args)
    order = pd.DataFrame(
        {
            "region_id": [args.region],
            "spec": [args.spec],
            "quantity": [args.quantity],
            "billing_method": ["subscription" if args.months is not None else "payg"],
            "months": [args.months],
            "minutes": [args.minutes],
        }
    )
    bill = price_orders(order, catalog)
    line = bill.lines.iloc[0]
    print(line["formula"])
    print(f"price source: {line['source']} ({line['as_of']:%Y-%m-%d}, {line['provenance']})")
    warn_illustrative(bill.lines)
    return 0
