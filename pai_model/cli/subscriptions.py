"""``pai-cost subscriptions``: the nodes the account already holds."""

from __future__ import annotations

import argparse
import sys

from pai_model.cli._account import add_account_options, session
from pai_model.cli._common import add_format_option, add_max_age_option, emit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "subscriptions",
        help="the nodes your account already holds (PAI resource groups)",
        description="List the machine groups of every PAI resource group in each region"
        " (PaiStudio ListResourceGroups, ListResourceGroupMachineGroups): spec, count,"
        " payment type and term, start, expiry, status. With --catalog, each subscribed"
        " spec's monthly price is shown beside it, and prices older than --max-age-days"
        " are flagged.",
    )
    parser.add_argument(
        "--region", action="append", required=True, metavar="R", help="region id (repeatable)"
    )
    add_format_option(parser)
    parser.add_argument(
        "--partial",
        action="store_true",
        help="show what could be listed even if some listings failed (each is named)",
    )
    parser.add_argument(
        "--catalog", metavar="FILE", help="price catalog to show each held spec's price from"
    )
    add_max_age_option(parser, "a catalog price")
    add_account_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.account.subscriptions import list_subscriptions
    from pai_model.data.catalog import read_catalog
    from pai_model.data.freshness import stale_note

    catalog = read_catalog(args.catalog) if args.catalog else None
    clients, caller = session(args)
    held = list_subscriptions(args.region, clients, caller, partial=args.partial)
    table = held.table
    if catalog is not None:
        prices = catalog[["region_id", "spec", "subscription_price_per_month", "currency"]]
        table = table.merge(prices, on=["region_id", "spec"], how="left")
    if args.format == "table":
        shown = table.assign(
            start=table["start"].dt.strftime("%Y-%m-%d").fillna(""),
            expiry=table["expiry"].dt.strftime("%Y-%m-%d").fillna(""),
        )
        emit(shown, "table", empty="(no machine groups)")
    else:
        emit(table, args.format, date_format="%Y-%m-%dT%H:%M:%SZ")
    for failure in held.failures:
        print(f"pai-cost: warning: not listed (--partial): {failure}", file=sys.stderr)
    if catalog is not None:
        used = catalog[catalog["spec"].isin(table["spec"])]
        note = stale_note(used, args.max_age_days, name=args.catalog)
        if note:
            print(f"pai-cost: warning: {note}", file=sys.stderr)
    return 0
