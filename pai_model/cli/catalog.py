"""``pai-cost catalog check FILE``: validate a price catalog."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help="work with price catalogs",
        description="Validate price catalog CSV files (see catalogs/README.md for the columns).",
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


def run_check(args: argparse.Namespace) -> int:
    from ..catalog import describe_provenance, load_catalog

    catalog = load_catalog(args.file)
    regions = catalog["region_id"].nunique()
    out_of_stock = int((~catalog["in_stock"]).sum())
    print(
        f"{args.file}: OK: {describe_provenance(catalog)} {regions} regions,"
        f" {out_of_stock} out of stock."
    )
    return 0
