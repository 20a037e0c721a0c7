"""``pai-cost breakeven``: the break-even table by region and hardware."""

from __future__ import annotations

import argparse

from pai_model.cli._common import (
    add_catalog_option,
    add_format_option,
    emit,
    load,
    warn_illustrative,
)
from pai_model.errors import PaiModelError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "breakeven",
        help="break-even between subscription and pay-as-you-go, by region",
        description=(
            "For every region and hardware offered both by subscription and pay-as-you-go,"
            " the use per month at which both cost the same. Above it, subscribe. General"
            " computing specs (subscription only) are compared against the public resources"
            " of the same hardware (DLC/DSW pay-as-you-go, hourly price / 60 per minute);"
            " where the catalog prices a year term, its effective monthly price (year / 12)"
            " and break-even are shown beside the month's."
        ),
    )
    parser.add_argument(
        "--region", action="append", metavar="R", help="only this region (repeatable)"
    )
    parser.add_argument(
        "--hours-per-month",
        type=float,
        default=730.0,
        metavar="H",
        help="month convention in hours (default 730 = 365 x 24 / 12; a 30-day month is 720)",
    )
    add_format_option(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.decisions.comparison import break_even_table

    catalog = load(args)
    if args.region:
        unknown = sorted(set(args.region) - set(catalog["region_id"]))
        if unknown:
            raise PaiModelError(
                f"unknown region {', '.join(unknown)}; the catalog has"
                f" {', '.join(sorted(set(catalog['region_id'])))}"
            )
        catalog = catalog[catalog["region_id"].isin(args.region)]
    table = break_even_table(catalog, hours_per_month=args.hours_per_month, public_payg=True)
    if table.empty:
        raise PaiModelError(
            "no region and hardware has both a subscription and a pay-as-you-go offer in"
            " this selection (general computing resources are subscription only: add the"
            " public resource of the same hardware, resource_type public, to compare them)"
        )
    if args.format == "table":
        print(render_table(table, args.hours_per_month))
    else:
        emit(table, args.format, date_format="%Y-%m-%d")
    warn_illustrative(catalog, table)
    return 0


def render_table(table, hours_per_month: float) -> str:
    """A fixed-width table for the terminal."""
    from pai_model.display.breakeven import buyable_labels, payg_price_labels, year_labels
    from pai_model.formulas.money_text import format_price

    shown = table.assign(
        subscription=table["subscription_price_per_month"].map(format_price)
        + " "
        + table["currency"]
        + "/mo",
        payg=payg_price_labels(table, short=True),
        break_even_h_per_day=table["break_even_hours_per_day"].map("{:.2f}".format),
        utilization=table["break_even_utilization"].map("{:.1%}".format),
        buyable=buyable_labels(table),
    )
    columns = ["region_id", "hardware", "subscription", "payg", "break_even_h_per_day"]
    columns.append("utilization")
    years = table["subscription_price_per_year"].notna()
    if years.any():
        year, year_hours = year_labels(table)
        shown = shown.assign(year_per_mo=year, year_h_per_day=year_hours)
        columns += ["year_per_mo", "year_h_per_day"]
    lines = [
        shown[[*columns, "buyable", "provenance"]].to_string(index=False),
        "",
        f"Subscribe when a node runs more than break_even_h_per_day hours a day"
        f" (month = {hours_per_month:g} h).",
    ]
    if years.any():
        lines.append(
            "Year term: year_per_mo is the catalog's year price / 12 (half up to 6 decimals),"
            " year_h_per_day its break-even for use that lasts the year; '-' where the"
            " catalog has no year price (none is derived from a month price)."
        )
    if (table["payg_price_unit"] == "hour").any():
        lines.append(
            "General computing rows compare a dedicated subscription with the public"
            " resource of the same hardware (DLC/DSW pay-as-you-go, billed per minute at"
            " hourly price / 60)."
        )
    unbuyable = table[~table["purchasable"]]
    if not unbuyable.empty:
        lines.append("Cannot be purchased now:")
    for row in unbuyable.itertuples(index=False):
        reasons = "; ".join(r for r in (row.subscription_reason, row.payg_reason) if r)
        lines.append(f"  - {row.region_id} {row.hardware}: {reasons}")
    if table["note"].str.startswith("ASSUMPTION").any():
        lines.append(
            "Pairing note: rows marked documented pair two specs of the billing page as the"
            " same hardware, an assumption the page does not state."
        )
    return "\n".join(lines)
