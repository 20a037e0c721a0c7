"""``pai-cost project``: the cheapest plan for a project with dates, segment by segment."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pai_model.cli._common import (
    add_buyable_months,
    add_catalog_option,
    add_format_option,
    add_overhead_minutes,
    emit,
    load,
    warn_illustrative,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "project",
        help="the cheapest mix of monthly subscriptions and pay-as-you-go for a project",
        description=(
            "For a project from --start to --end on N nodes: the cheapest plan over all"
            " pay-as-you-go, whole-month subscription and any mix of calendar-month"
            " subscription terms with pay-as-you-go for the rest, each segment exact to the"
            " cent, with when each subscription expires and must be renewed."
        ),
        epilog=(
            "A subscription of N months bought at time t runs to the same day and time N"
            " months later (a month end clamps to a shorter month's last day). Example:"
            " pai-cost project --region cn-wulanchabu --hardware gu7xf-8xGU108 --start"
            " 2026-01-01 --end 2026-02-05"
        ),
    )
    parser.add_argument("--region", required=True, metavar="R", help="region id")
    parser.add_argument(
        "--hardware", required=True, metavar="H", help="hardware key of the catalog"
    )
    parser.add_argument(
        "--start", required=True, metavar="T", help="project start (ISO date or time)"
    )
    length = parser.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", metavar="T", help="project end, exclusive (ISO date or time)")
    length.add_argument("--days", type=float, metavar="D", help="project length in days")
    parser.add_argument(
        "--nodes", type=int, default=1, metavar="N", help="nodes the project runs (default 1)"
    )
    parser.add_argument(
        "--hours-per-day",
        type=float,
        default=24.0,
        metavar="H",
        help="hours each node runs per day (default 24: full use); below 24, each node is"
        " taken as bought and released every day, its billed life these hours plus"
        " --overhead-minutes",
    )
    add_overhead_minutes(parser)
    add_buyable_months(parser)
    add_format_option(parser)
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from pai_model.decisions.project_offers import offer_payg_price, project_offer
    from pai_model.decisions.projects import RULE, plan_comparison, plan_project
    from pai_model.display.project import plan_assumptions, plan_display, plan_summary
    from pai_model.errors import InputError
    from pai_model.formulas.money_text import format_price
    from pai_model.formulas.terms import timestamps

    catalog = load(args)
    offer = project_offer(catalog, args.region, args.hardware)
    payg_price, payg_unit = offer_payg_price(offer)
    end = args.end
    if args.days is not None:
        if not 0 < args.days <= 3660:
            raise InputError("--days", f"must be above 0 and at most 3,660; got {args.days:g}")
        end = timestamps(args.start, "--start")[0] + pd.Timedelta(days=args.days)
    try:
        plan = plan_project(
            args.start,
            end,
            offer["subscription_price_per_month"],
            payg_price,
            nodes=args.nodes,
            hours_per_day=args.hours_per_day,
            payg_price_unit=payg_unit,
            buyable_months=args.buyable_months,
            overhead_minutes=args.overhead_minutes,
        )
    except InputError as error:
        # name the option the user typed, not the function's argument
        option = "--" + error.argument.replace("_", "-")
        if option == "--end" and args.days is not None:
            option = "--days"
        raise InputError(option, str(error).removeprefix(f"{error.argument}: ")) from None
    currency = offer["currency"]
    if args.format == "csv":
        emit(plan.assign(currency=currency), "csv")
    elif args.format == "json":
        document = {
            "region_id": args.region,
            "hardware": args.hardware,
            "currency": currency,
            "subscription_spec": offer["subscription_spec"],
            "payg_spec": offer["payg_spec"],
            "payg_price_unit": payg_unit,
            "segments": _records(plan),
            "total": str(plan.attrs["total"]),
            "comparison": _records(plan_comparison(plan)),
            "rule": RULE,
            "assumed": plan_assumptions(plan),
        }
        print(json.dumps(document, indent=2))
    else:
        monthly = format_price(offer["subscription_price_per_month"])
        payg = f"{format_price(payg_price)} {currency}/{payg_unit}"
        if payg_unit == "hour":
            payg += " (a public resource, DLC/DSW: billed per minute at the hourly price / 60)"
        lines = [
            f"{args.hardware} in {args.region}, {args.nodes} node(s) at"
            f" {args.hours_per_day:g} h/day: subscription {offer['subscription_spec']} at"
            f" {monthly} {currency}/month, pay-as-you-go {offer['payg_spec']} at"
            f" {payg}",
            "",
            plan_display(plan, currency=currency).to_string(index=False),
            "",
            *plan_summary(plan, currency=currency),
            f"rule: {RULE}",
            f"assumed: {plan_assumptions(plan)}",
        ]
        print("\n".join(lines))
    warn_illustrative(catalog, pd.DataFrame([offer]))
    if offer["note"]:
        print(f"pai-cost: note: pairing: {offer['note']}", file=sys.stderr)
    return 0


def _records(table: Any) -> list[dict[str, Any]]:
    """Rows as JSON records, money as plain decimal text."""
    from pai_model.formulas.money_text import money_table

    shown = money_table(table, grouping=False)
    return json.loads(shown.to_json(orient="records", date_format="iso"))
