"""``pai-cost reconcile``: re-price billed lines with the kit, differences per line, spec, month."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pai_model.cli._common import (
    add_catalog_option,
    add_format_option,
    add_fx_option,
    emit,
    fx,
    load,
    output_path,
    with_rates,
)
from pai_model.cli._usage import add_engine_options, add_focus_out, engine, write_focus_out

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
            " Corrections and credits are summed apart, each correction in the month it"
            " corrects. Only Alibaba Cloud PAI rows are read: the rows of other services"
            " are counted and set aside. FOCUS 1.0, 1.1 and 1.2 files are read."
        ),
        epilog="Example: pai-cost reconcile bills/ --catalog my_prices.csv --by month",
    )
    parser.add_argument("bills", metavar="BILLS", help="FOCUS export: a file, folder, glob or URL")
    parser.add_argument("--by", choices=VIEWS, default="spec", help="rows of the table shown")
    add_format_option(parser)
    add_engine_options(parser)
    add_focus_out(parser)
    add_catalog_option(parser)
    add_fx_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.bills.reconcile import reconcile
    from pai_model.bills.usage import MICRO_DECIMALS
    from pai_model.data.focus import read_focus
    from pai_model.formulas.money_text import format_minor

    output_path(args, "--focus-out")
    rates = fx(args)
    catalog = load(args)
    with engine(args) as chosen:
        if args.by != "line" and not args.focus_out and not rates and _all_parquet(args.bills):
            # only the sums are shown: each part is read (its FOCUS rules checked),
            # re-priced and let go, so memory is that of one part
            from pai_model.bills.reconcile_files import reconcile_files

            client = _client() if args.scheduler else None
            result = reconcile_files(
                args.bills, catalog, spec_column=args.spec_column, validate=True, client=client
            )
        else:
            rows = read_focus(args.bills, engine=chosen)
            result = reconcile(rows, catalog, spec_column=args.spec_column, fx=rates)
    shown = {"spec": result.by_spec, "month": result.by_month, "line": result.lines}[args.by]
    emit(with_rates(shown, rates), args.format, exact=_exact(shown))
    if args.format == "table" and len(result.unmapped):
        print("\nUnmapped (not in the catalog; kept, not re-priced):")
        unmapped = result.unmapped[["region_id", "spec", "lines", "billed_list_cost"]]
        emit(unmapped, "table", exact=_exact(result.unmapped))
    for note in result.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    if result.lines is None:
        return 0
    # the kit's price of each line it re-priced (not of corrections and credits)
    repriced = ~result.lines["cause"].isin(["unmapped", "correction", "credit"])
    priced = result.lines[repriced].copy()
    priced["amount"] = priced["kit_list_cost"]
    # the engine's exact cents (its micro-units are whole cents x 10**4)
    priced["amount_minor"] = priced["kit_list_micros"] // 10 ** (MICRO_DECIMALS - 2)
    priced["duration"] = priced["quantity"]
    priced["quantity"] = 1
    for column, micros in (
        ("x_BilledListCost", "billed_list_micros"),
        ("x_Difference", "difference_micros"),
    ):
        priced[column] = [
            format_minor(m, MICRO_DECIMALS, grouping=False, places=2) for m in priced[micros]
        ]
    priced["x_Cause"] = priced["cause"]
    write_focus_out(args, priced)
    return 0


def _exact(table: Any) -> dict[str, tuple[Any, int]]:
    """The money columns of a reconciliation and their exact micro-units."""
    from pai_model.bills.usage import MICRO_DECIMALS

    kinds = ("billed_list", "kit_list", "billed", "correction", "credit")
    micros = {name: table[f"{name}_micros"] for name in kinds}
    micros["difference"] = table["difference_micros"]
    micros["discount"] = micros["billed_list"] - micros["billed"]
    micros["net_billed"] = micros["billed"] + micros["correction"] + micros["credit"]
    names = {"billed_list": "billed_list_cost", "kit_list": "kit_list_cost"}
    names |= {"billed": "billed_cost", "difference": "difference", "discount": "discount"}
    names |= {name: f"{name}_cost" for name in ("correction", "credit", "net_billed")}
    return {names[key]: (values, MICRO_DECIMALS) for key, values in micros.items()}


def _all_parquet(source: str) -> bool:
    """Whether every part of ``source`` is a Parquet file (not a member of an archive)."""
    from pai_model.data.sources import expand

    parts = expand(source)
    return all(p.member is None and p.path.lower().endswith((".parquet", ".pq")) for p in parts)


def _client() -> Any:
    from distributed import get_client

    return get_client()
