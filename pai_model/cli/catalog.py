"""``pai-cost catalog``: check a catalog, fetch one from the account, discover, diff."""

from __future__ import annotations

import argparse
import sys

from pai_model.cli._account import add_account_options, add_site_option, session
from pai_model.cli._common import add_format_option, add_max_age_option, emit, output_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help="work with price catalogs",
        description="Validate price catalog CSV files (see catalogs/README.md for the"
        " columns), fetch one from your Alibaba Cloud account, list the product codes it"
        " sees, or compare two catalogs.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate a catalog and summarise it, or list every problem",
        description="Validate FILE. Prints a one-line summary, or every problem with its"
        " file, line, column and value (exit status 2).",
    )
    check.add_argument("file", metavar="FILE", help="catalog CSV to check")
    check.set_defaults(func=run_check)

    fetch = actions.add_parser(
        "fetch",
        help="write a catalog of the prices your account pays (BssOpenApi, PAI-DLC, PAI-DSW)",
        description="Fetch the node specs of each region (PAI-DLC ListEcsSpecs, Lingjun and"
        " ECS) and their prices (BssOpenApi GetSubscriptionPrice for 1 month and 1 year,"
        " GetPayAsYouGoPrice for Lingjun), and write a validated catalog: trade prices"
        " (after discounts) in the billing columns, list prices in x_list_* columns, with"
        " source and as_of on every row. If any offer fails, each is listed and nothing is"
        " written unless --partial is given.",
    )
    fetch.add_argument(
        "--region", action="append", required=True, metavar="R", help="region id (repeatable)"
    )
    fetch.add_argument("--out", required=True, metavar="FILE", help="catalog CSV to write")
    fetch.add_argument(
        "--partial",
        action="store_true",
        help="write the offers that could be fetched even if others failed (the file's"
        " notes name the absent ones)",
    )
    _add_site_and_mapping(fetch)
    add_account_options(fetch)
    fetch.set_defaults(func=run_fetch)

    discover = actions.add_parser(
        "discover",
        help="list the product codes and pricing modules your account sees",
        description="List BssOpenApi products (QueryProductList) and, for the PAI-related"
        " ones (or those given with --product), their pricing modules and the attributes"
        " each module's Config needs (DescribePricingModule), to fix"
        " pai_model/data/catalogs/alibaba_products.yaml without code.",
    )
    discover.add_argument(
        "--product",
        action="append",
        metavar="CODE",
        help="describe the modules of this product code (repeatable; default: the mapping's"
        " codes and products whose code or name mentions PAI, Lingjun, learn or eflo)",
    )
    add_format_option(discover)
    _add_site_and_mapping(discover)
    add_account_options(discover)
    discover.set_defaults(func=run_discover)

    diff = actions.add_parser(
        "diff",
        help="price changes, specs added and removed, stock changes between two catalogs",
        description="Compare catalog NEW with OLD: every price change (absolute and percent),"
        " every spec added or removed, every stock change; prices older than --max-age-days"
        " are flagged.",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier catalog CSV")
    diff.add_argument("new", metavar="NEW", help="the later catalog CSV")
    add_format_option(diff)
    add_max_age_option(diff)
    diff.set_defaults(func=run_diff)


def _add_site_and_mapping(parser: argparse.ArgumentParser) -> None:
    add_site_option(
        parser,
        "BssOpenApi site: cn (China site), intl (international), auto (China site,"
        " then international on NotApplicable; default)",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        help="product mapping YAML (default: the embedded"
        " pai_model/data/catalogs/alibaba_products.yaml)",
    )


def run_check(args: argparse.Namespace) -> int:
    from pai_model.data.catalog import describe_provenance, read_catalog

    catalog = read_catalog(args.file)
    regions = catalog["region_id"].nunique()
    out_of_stock = int((~catalog["in_stock"]).sum())
    print(
        f"{args.file}: OK: {describe_provenance(catalog)} {regions} regions,"
        f" {out_of_stock} out of stock."
    )
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    from pai_model.account.fetch import fetch_catalog, write_catalog
    from pai_model.account.mapping import load_mapping

    output_path(args, "--out")
    mapping = load_mapping(args.mapping)
    clients, caller = session(args)
    result = fetch_catalog(args.region, clients, caller, mapping, site=args.site)
    for note in result.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    catalog = write_catalog(result, args.out, partial=args.partial)
    if result.failures:
        print(
            f"pai-cost: warning: {len(result.failures)} offer(s) failed and are absent"
            " (--partial):",
            file=sys.stderr,
        )
        for failure in result.failures:
            print(f"pai-cost: warning: {failure}", file=sys.stderr)
    print(
        f"{args.out}: {len(catalog)} offers in {catalog['region_id'].nunique()} region(s),"
        f" {', '.join(sorted(set(catalog['currency'])))}, from the {result.site} site;"
        " trade prices in the billing columns, list prices in x_list_*."
    )
    return 0


def run_discover(args: argparse.Namespace) -> int:
    from pai_model.account.discover import discover_products
    from pai_model.account.mapping import load_mapping

    mapping = load_mapping(args.mapping)
    clients, caller = session(args)
    found = discover_products(clients, caller, mapping, products=args.product, site=args.site)
    for note in found.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    heading = f"Pricing modules ({found.site_name}):"
    emit(found.modules, args.format, heading=heading, empty="(none)", json_dates=None)
    if args.format == "table":
        print()
        heading = f"Products the account sees ({len(found.products)}):"
        emit(found.products, "table", heading=heading, empty="(none)")
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from pai_model.data.catalog import read_catalog
    from pai_model.data.catalog_diff import diff_catalogs

    old, new = read_catalog(args.old), read_catalog(args.new)
    result = diff_catalogs(old, new, max_age_days=args.max_age_days)
    emit(result.changes, args.format, heading=result.summary, empty="(none)", json_dates=None)
    for note in result.notes:
        print(f"pai-cost: warning: {note}", file=sys.stderr)
    return 0
