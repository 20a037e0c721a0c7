"""``pai-cost offers``: every node you can buy, cheapest first."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pai_model.cli._common import add_catalog_option, add_format_option, load


def register(subparsers: argparse._SubParsersAction) -> None:
    from pai_model.data.vocabulary import OFFER_MEANING

    parser = subparsers.add_parser(
        "offers",
        help="every node you can buy, cheapest pay-as-you-go GPU-hour first",
        description=(
            "One row per offer: region, spec, resource type, GPU model, GPUs per node, vCPU,"
            " memory, pay-as-you-go per node-hour and subscription per node-month, both per"
            " GPU-hour, the break-even utilization of the subscription against pay-as-you-go"
            " of the same hardware, stock, and the price's source (documented, account or"
            f" illustrative) and age. Sorted by pay-as-you-go per GPU-hour, cheapest first."
            f" The count printed is of offers: {OFFER_MEANING}; `catalog check`, `breakeven`"
            " and `plan` count them the same way."
        ),
        epilog=(
            "Examples: pai-cost offers --gpu GU108:8 --in-stock;"
            " pai-cost offers --region cn-wulanchabu --resource-type lingjun --format csv"
        ),
    )
    parser.add_argument(
        "--gpu",
        metavar="MODEL[:COUNT]",
        help="only offers of this GPU model (any case), with COUNT GPUs per node",
    )
    parser.add_argument(
        "--region", action="append", metavar="R", help="only this region (repeatable)"
    )
    parser.add_argument(
        "--resource-type",
        choices=("general", "lingjun", "public"),
        help="only this resource type",
    )
    parser.add_argument(
        "--in-stock",
        action="store_true",
        help="only offers known to be in stock now; an offer whose stock is unknown (a"
        " fetched spec without IsAvailable, shown as 'unknown') is left out",
    )
    parser.add_argument(
        "--hours-per-month",
        type=float,
        default=730.0,
        metavar="H",
        help="month convention of the subscription's price per GPU-hour and of the break-even"
        " (default 730)",
    )
    add_format_option(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.data.catalog import describe_provenance
    from pai_model.data.offer_list import list_offers
    from pai_model.data.offers import used_offers
    from pai_model.errors import InputError

    if not 0 < args.hours_per_month <= 744:
        raise InputError(
            "--hours-per-month", f"must be above 0 and at most 744; got {args.hours_per_month:g}"
        )
    catalog = load(args)
    table = list_offers(
        catalog,
        gpu=args.gpu,
        regions=args.region,
        resource_type=args.resource_type,
        in_stock=args.in_stock,
        hours_per_month=args.hours_per_month,
    )
    if args.format == "csv":
        _plain(table).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(_plain(table).to_json(orient="records", indent=2, force_ascii=False))
    else:
        print(render_table(table, args.hours_per_month))
    shown = used_offers(catalog, table)
    print(f"pai-cost: note: {describe_provenance(shown)}", file=sys.stderr)
    return 0


def _plain(table: Any) -> Any:
    """Prices as decimal text (exact), for CSV and JSON."""
    out = table.copy()
    for column in out.columns:
        if column.endswith(("_hour", "_month")):
            out[column] = [None if v is None else str(v) for v in out[column]]
    out["break_even_utilization"] = out["break_even_utilization"].round(6)
    return out


def render_table(table: Any, hours_per_month: float) -> str:
    """A fixed-width table for the terminal: prices per node and per GPU-hour."""
    import pandas as pd

    from pai_model.display.recommendation import terminal_text
    from pai_model.formulas.money_text import format_price

    if table.empty:
        return "No offer matches."

    def price(value: Any) -> str:
        return "-" if value is None else format_price(value)

    def gpus(row: Any) -> str:
        if pd.isna(row.gpu_count):
            return f"? x {row.gpu_model}" if row.gpu_model else "?"
        if not row.gpu_count:
            return "CPU"
        return f"{row.gpu_count} x {row.gpu_model}" if row.gpu_model else f"{row.gpu_count} acc."

    def share(value: Any) -> str:
        return "-" if value is None or pd.isna(value) else f"{value:.1%}"

    rows = [
        {
            "region": terminal_text(r.region_id),
            "spec": terminal_text(r.spec),
            "type": r.resource_type,
            "gpus": terminal_text(gpus(r)),
            "payg/node-h": price(r.payg_price_per_node_hour),
            "sub/node-mo": price(r.subscription_price_per_node_month),
            "payg/GPU-h": price(r.payg_price_per_gpu_hour),
            "sub/GPU-h": price(r.subscription_price_per_gpu_hour),
            "break-even": share(r.break_even_utilization),
            "stock": ("yes" if r.stock_known else "unknown") if r.in_stock else "no",
            "price": f"{r.provenance}, {r.age_days} d",
        }
        for r in table.itertuples(index=False)
    ]
    currencies = ", ".join(sorted(set(table["currency"])))
    return "\n".join(
        [
            pd.DataFrame(rows).to_string(index=False),
            "",
            f"Prices in {currencies}; per GPU-hour: the node's price / GPUs (a month of"
            f" {hours_per_month:g} hours), half up to 6 decimals; '-': not offered that way"
            " (general computing is subscription only, public resources pay-as-you-go only)."
            " break-even: the utilization above which the hardware's subscription costs less"
            " than its pay-as-you-go.",
        ]
    )
