"""``pai-cost plan``: how many nodes to subscribe per region and hardware, from usage."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pai_model.cli._common import (
    add_buyable_months,
    add_catalog_option,
    add_format_option,
    add_fx_option,
    add_overhead_minutes,
    emit,
    fx,
    load,
    output_path,
)
from pai_model.cli._usage import add_focus_out, add_synthetic_days, write_focus_out

#: The JOBS argument that asks for the kit's seeded synthetic usage instead of a file.


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="how many nodes to subscribe, from a usage history (commitment planner)",
        description=(
            "From job records, the number of nodes to subscribe per region and hardware so"
            " that subscription plus pay-as-you-go above it costs least; what it saves against"
            " all pay-as-you-go, coverage, utilization, break-even months, and how sure the"
            " savings are over resampled demand scenarios."
        ),
        epilog=(
            "JOBS is a CSV with the columns start, end (ISO 8601 times), region_id, hardware"
            " and nodes, or the word 'synthetic' for the kit's seeded synthetic usage (labelled"
            " as such). Example: pai-cost plan jobs.csv --months 3"
        ),
    )
    parser.add_argument("jobs", metavar="JOBS", help="jobs CSV, or 'synthetic'")
    parser.add_argument(
        "--months",
        type=int,
        default=1,
        metavar="M",
        help="whole months the subscription is bought for (default 1)",
    )
    add_format_option(parser)
    parser.add_argument(
        "--payg-percent-off",
        type=float,
        default=0.0,
        metavar="P",
        help="discount on pay-as-you-go prices, percent off (10 = 10%% off; default 0)",
    )
    parser.add_argument(
        "--subscription-percent-off",
        type=float,
        default=0.0,
        metavar="P",
        help="discount on subscription prices, percent off (10 = 10%% off; default 0)",
    )
    parser.add_argument(
        "--hours-per-month",
        type=float,
        default=730.0,
        metavar="H",
        help="month convention in hours (default 730 = 365 x 24 / 12)",
    )
    parser.add_argument(
        "--scenarios",
        type=int,
        default=1000,
        metavar="N",
        help="demand scenarios for the savings range (default 1000; 0: none)",
    )
    parser.add_argument(
        "--growth",
        type=float,
        nargs=2,
        default=(1.0, 1.0),
        metavar=("LOW", "HIGH"),
        help="demand growth factor range of the scenarios (default 1 1: as in the history)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the scenarios and the synthetic usage"
    )
    add_synthetic_days(parser, 28, "when JOBS is 'synthetic'")
    add_overhead_minutes(parser)
    add_buyable_months(parser)
    parser.add_argument(
        "--start",
        metavar="TIME",
        help="when the subscriptions are bought (ISO 8601; default: when the history ends);"
        " their ends and renewal deadlines are counted from it",
    )
    parser.add_argument(
        "--general-refund-percent",
        type=float,
        default=0.0,
        metavar="P",
        help="percent of the unused months refunded when a general computing subscription"
        " is left early (UNCONFIRMED; default 0: no refund). Lingjun: never refunded",
    )
    spot = parser.add_mutually_exclusive_group()
    spot.add_argument(
        "--spot-percent-paid",
        type=float,
        metavar="P",
        help="also plan with a preemptible tier priced at P percent of the list"
        " pay-as-you-go price (10 = pay 10%%; --payg-percent-off does not apply to it);"
        " reported in separate columns; off by default",
    )
    spot.add_argument(
        "--spot-percent-off",
        type=float,
        metavar="P",
        help="the same tier given as percent off the pay-as-you-go price (90 = pay 10%%)",
    )
    parser.add_argument(
        "--interruption-overhead",
        type=float,
        default=0.1,
        metavar="F",
        help="with a spot tier: share of preemptible work run again, 0 to 1 (default 0.1)",
    )
    parser.add_argument(
        "--flexible-share",
        type=float,
        default=1.0,
        metavar="F",
        help="with a spot tier: share of pay-as-you-go demand that may be interrupted,"
        " 0 to 1 (default 1)",
    )
    add_focus_out(parser)
    parser.add_argument(
        "--held",
        metavar="FILE",
        default=None,
        help="nodes already held by subscription (the CSV of `pai-cost subscriptions"
        " --format csv`: region_id, spec or hardware, nodes, expiry): the plan says how many"
        " to add beyond them and which to renew",
    )
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        default=None,
        help="time zone of job times written without a UTC offset, e.g. Asia/Shanghai"
        " (default: UTC; a file mixing such times with offset times needs it)",
    )
    add_catalog_option(parser)
    add_fx_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.decisions.planning.pipeline import plan_commitment
    from pai_model.decisions.planning.prices import Preemptible

    output_path(args, "--focus-out")
    for option in ("--interruption-overhead", "--flexible-share"):
        share = getattr(args, option[2:].replace("-", "_"))
        if not 0 <= share <= 1:  # checked even without a spot tier: no value goes unread
            from pai_model.errors import InputError

            raise InputError(option, f"must be from 0 to 1; got {share}")
    tier = None
    if args.spot_percent_paid is not None or args.spot_percent_off is not None:
        tier = Preemptible(
            percent_paid=args.spot_percent_paid,
            percent_off=args.spot_percent_off,
            interruption_overhead=args.interruption_overhead,
            flexible_share=args.flexible_share,
        )
    result = plan_commitment(
        args.jobs,  # a path, or "synthetic": plan_commitment knows the word
        load(args),
        months=args.months,
        payg_percent_off=args.payg_percent_off,
        subscription_percent_off=args.subscription_percent_off,
        hours_per_month=args.hours_per_month,
        preemptible=tier,
        scenarios=args.scenarios,
        growth=tuple(args.growth),
        timezone=args.timezone,
        held=args.held,
        seed=args.seed,
        synthetic_days=args.synthetic_days,
        overhead_minutes=args.overhead_minutes,
        start=args.start,
        general_refund_percent=args.general_refund_percent,
        buyable_months=args.buyable_months,
        fx=fx(args),
    )
    table = result.table
    if args.format == "table":
        print(render_table(table))
        print(render_renewals(result.plan.renewals))
    else:
        emit(table, args.format, json_dates=None)
    for note in result.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    if args.focus_out:
        from pai_model.decisions.planning.focus_lines import plan_lines

        write_focus_out(args, plan_lines(result.plan, result.demand))
    return 0


def render_renewals(renewals: Any) -> str:
    """When each planned subscription ends and by when it must be renewed."""
    from pai_model.display.planning import renewals_display
    from pai_model.formulas.terms import RELEASE_AFTER

    if renewals.empty:
        return "\nNo subscriptions to renew: the plan subscribes no nodes."
    hours = RELEASE_AFTER.total_seconds() / 3600
    return (
        f"\nSubscriptions end (renew by 'renew by', {hours:g} h after the end, or the nodes"
        f" are released):\n{renewals_display(renewals).to_string(index=False)}"
    )


def render_table(table: Any) -> str:
    """A fixed-width recommendation table for the terminal."""
    from pai_model.display.planning import recommendation_display

    shown = recommendation_display(table)
    lines = [
        f"Demand: {', '.join(sorted(set(table['demand_source'])))}",
        shown.to_string(index=False),
        "",
        "subscribe: recommended nodes of the peak; savings against all pay-as-you-go;"
        " coverage: share of node time on subscribed nodes; utilization: share of subscribed"
        " time used; break-even months: months of use that pay back the prepaid subscription.",
    ]
    if "payg_price_unit" in table and (table["payg_price_unit"] == "hour").any():
        lines.append(
            "pay-as-you-go side 'public resource': a general computing spec (subscription"
            " only) against the public resource of the same hardware (DLC/DSW, priced per"
            " hour, billed per minute at hourly price / 60)."
        )
    if "preemptible_plan_cost" in table:
        lines.append(
            "with spot: the plan when flexible pay-as-you-go demand runs on preemptible nodes"
            " (interruptions rerun; reported separately, the main plan does not assume it)."
        )
    if "unserved [node-h]" in shown:
        lines.append("unserved: node-hours of demand no purchasable offer serves (see the notes).")
    if "savings_p5" in table:
        lines.append(
            "savings 5th-95th pct: 5th to 95th percentile over demand scenarios; P(costs more):"
            " share of scenarios where the plan costs more than all pay-as-you-go."
        )
    return "\n".join(lines)
