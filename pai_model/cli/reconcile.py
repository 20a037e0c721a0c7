"""``pai-cost reconcile``: re-price billed lines with the kit, differences per line, spec, month."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pai_model.cli._common import add_catalog_option, load
from pai_model.cli._usage import add_engine_options, add_focus_out, engine, write_focus_out

FORMATS = ("table", "csv", "json")
VIEWS = ("spec", "month", "line")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reconcile",
        help="re-price a bill (Alibaba's FOCUS export) with the kit and explain the differences",
        description=(
            "Re-prices every billed usage line of a FOCUS export with the kit's engine and"
            " lists the differences from the billed list cost per spec, per month or per"
            " line, each with its cause: a wrong catalog price, a rule the kit lacks, or"
            " (without a unit price) the two not told apart; discounts are shown apart."
        ),
        epilog="Example: pai-cost reconcile bills/ --catalog my_prices.csv --by month",
    )
    parser.add_argument("bills", metavar="BILLS", help="FOCUS export: a file, folder, glob or URL")
    parser.add_argument("--by", choices=VIEWS, default="spec", help="rows of the table shown")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_engine_options(parser)
    add_focus_out(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.bills.reconcile import reconcile
    from pai_model.data.focus import read_focus

    catalog = load(args)
    with engine(args) as chosen:
        if args.by != "line" and not args.focus_out and _all_parquet(args.bills):
            # only the sums are shown: each part is read (its FOCUS rules checked),
            # re-priced and let go, so memory is that of one part
            from pai_model.bills.reconcile_files import reconcile_files

            client = _client() if args.scheduler else None
            result = reconcile_files(
                args.bills, catalog, spec_column=args.spec_column, validate=True, client=client
            )
        else:
            rows = read_focus(args.bills, engine=chosen)
            result = reconcile(rows, catalog, spec_column=args.spec_column)
    shown = {"spec": result.by_spec, "month": result.by_month, "line": result.lines}[args.by]
    shown = shown[[c for c in shown.columns if not c.endswith("_micros")]]
    if args.format == "csv":
        shown.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(shown.to_json(orient="records", indent=2, date_format="iso"))
    else:
        print(shown.to_string(index=False))
        if len(result.unmapped):
            print("\nUnmapped (not in the catalog; kept, not re-priced):")
            print(result.unmapped[["region_id", "spec", "lines", "billed_list_cost"]]
                  .to_string(index=False))  # fmt: skip
    for note in result.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    if result.lines is None:
        return 0
    priced = result.lines[result.lines["cause"] != "unmapped"].copy()
    priced["amount"] = priced["kit_list_cost"]
    priced["duration"] = priced["quantity"]
    priced["quantity"] = 1
    priced["x_BilledListCost"] = priced["billed_list_cost"]
    priced["x_Difference"] = priced["difference"]
    priced["x_Cause"] = priced["cause"]
    write_focus_out(args, priced)
    return 0


def _all_parquet(source: str) -> bool:
    """Whether every part of ``source`` is a Parquet file (not a member of an archive)."""
    from pai_model.data.sources import expand

    parts = expand(source)
    return all(p.member is None and p.path.lower().endswith((".parquet", ".pq")) for p in parts)


def _client() -> Any:
    from distributed import get_client

    return get_client()
