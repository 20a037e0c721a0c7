"""``pai-cost plan``: how many nodes to subscribe per region and hardware, from usage."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import add_catalog_option, load

FORMATS = ("table", "csv", "json")
#: The JOBS argument that asks for the kit's seeded synthetic usage instead of a file.
SYNTHETIC = "synthetic"


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
        "--months", type=int, default=1, metavar="M",
        help="whole months the subscription is bought for (default 1)",
    )  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--payg-discount", type=float, default=0.0, metavar="D",
        help="discount on pay-as-you-go prices, a fraction (0.1 = 10%% off; default 0)",
    )  # fmt: skip
    parser.add_argument(
        "--subscription-discount", type=float, default=0.0, metavar="D",
        help="discount on subscription prices, a fraction (default 0)",
    )  # fmt: skip
    parser.add_argument(
        "--hours-per-month", type=float, default=730.0, metavar="H",
        help="month convention in hours (default 730 = 365 x 24 / 12)",
    )  # fmt: skip
    parser.add_argument(
        "--scenarios", type=int, default=1000, metavar="N",
        help="demand scenarios for the savings range (default 1000; 0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--growth", type=float, nargs=2, default=(1.0, 1.0), metavar=("LOW", "HIGH"),
        help="demand growth factor range of the scenarios (default 1 1: as in the history)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the scenarios and the synthetic usage"
    )
    parser.add_argument(
        "--synthetic-days", type=int, default=28, metavar="DAYS",
        help="days of synthetic usage when JOBS is 'synthetic' (default 28)",
    )  # fmt: skip
    parser.add_argument(
        "--spot-discount", type=float, metavar="F",
        help="also plan with a preemptible tier: its price as a fraction of the pay-as-you-go"
        " price (0.1 = pay 10%%); reported in separate columns; off by default",
    )  # fmt: skip
    parser.add_argument(
        "--interruption-overhead", type=float, default=0.1, metavar="F",
        help="with --spot-discount: share of preemptible work run again (default 0.1)",
    )  # fmt: skip
    parser.add_argument(
        "--flexible-share", type=float, default=1.0, metavar="F",
        help="with --spot-discount: share of pay-as-you-go demand that may be interrupted"
        " (default 1)",
    )  # fmt: skip
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..planning import (
        Preemptible,
        demand_from_jobs,
        plan_commitment,
        plannable_pairs,
        recommendation_table,
        simulate_plan,
    )

    if args.scenarios < 0:
        raise InputError("--scenarios", f"must be 0 or more; got {args.scenarios}")
    catalog = load(args)
    if args.jobs == SYNTHETIC:
        from ..synthetic import synthetic_jobs

        jobs = synthetic_jobs(plannable_pairs(catalog), days=args.synthetic_days, seed=args.seed)
    else:
        jobs = args.jobs
    demand = demand_from_jobs(jobs, catalog=catalog)
    options = {
        "months": args.months,
        "payg_discount": args.payg_discount,
        "subscription_discount": args.subscription_discount,
        "hours_per_month": args.hours_per_month,
    }
    tier = None
    if args.spot_discount is not None:
        tier = Preemptible(args.spot_discount, args.interruption_overhead, args.flexible_share)
    plan = plan_commitment(demand, catalog, preemptible=tier, **options)
    simulation = None
    if args.scenarios:
        simulation = simulate_plan(
            demand, catalog, scenarios=args.scenarios, growth=tuple(args.growth), seed=args.seed,
            **options,
        )  # fmt: skip
    table = recommendation_table(plan, simulation)
    notes = plan.notes if simulation is None else simulation.notes
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(table.to_json(orient="records", indent=2))
    else:
        print(render_table(table))
    for note in notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return 0


def render_table(table: Any) -> str:
    """A fixed-width recommendation table for the terminal."""
    from ..summaries import recommendation_display

    lines = [
        f"Demand: {', '.join(sorted(set(table['demand_source'])))}",
        recommendation_display(table).to_string(index=False),
        "",
        "subscribe: recommended nodes of the peak; savings against all pay-as-you-go;"
        " coverage: share of node time on subscribed nodes; utilization: share of subscribed"
        " time used; break-even months: months of use that pay back the prepaid subscription.",
    ]
    if "preemptible_plan_cost" in table:
        lines.append(
            "with spot: the plan when flexible pay-as-you-go demand runs on preemptible nodes"
            " (interruptions rerun; reported separately, the main plan does not assume it)."
        )
    if "savings_p5" in table:
        lines.append(
            "savings 5th-95th pct: 5th to 95th percentile over demand scenarios; P(costs more):"
            " share of scenarios where the plan costs more than all pay-as-you-go."
        )
    return "\n".join(lines)
