"""``pai-cost usage``: the account's bills and PAI-DLC jobs, written for reconcile and plan."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pai_model.cli._account import add_account_options, add_site_option, session
from pai_model.cli._common import add_catalog_option, emit, load, output_path
from pai_model.formulas.arguments import LOOKBACK_DAYS, MAX_LOOKBACK_DAYS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "usage",
        help="read your account's bills (BssOpenApi) or PAI-DLC jobs into files",
        description="Read the account's usage through Alibaba Cloud's official SDKs: daily"
        " bill lines (BssOpenApi DescribeInstanceBill) as a FOCUS file that `pai-cost"
        " reconcile` and `pai-cost backtest` read, or PAI-DLC jobs (ListJobs) as a jobs"
        " file that `pai-cost plan` reads.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    bills = actions.add_parser(
        "bills",
        help="daily bill lines of billing cycles as FOCUS rows (BssOpenApi DescribeInstanceBill)",
        description="Ask DescribeInstanceBill for every day of the billing cycles from --start"
        " to --end (Granularity DAILY, billing-item level, every NextToken page) and write"
        " the lines as FOCUS 1.0 rows (CSV; Parquet for .parquet). Only the last 18 billing"
        " cycles can be read. Region display names become region ids; specs the catalog"
        " lacks are kept and listed.",
        epilog="Then: pai-cost reconcile FILE --catalog C; pai-cost backtest FILE --catalog C",
    )
    bills.add_argument("--start", required=True, metavar="YYYY-MM", help="first billing cycle")
    bills.add_argument("--end", metavar="YYYY-MM", help="last billing cycle (default: --start)")
    bills.add_argument("--out", required=True, metavar="FILE", help="FOCUS file to write")
    bills.add_argument(
        "--region",
        action="append",
        metavar="R",
        help="keep the lines of this region id only (repeatable; lines whose region name is"
        " not known are kept)",
    )
    bills.add_argument(
        "--product-code",
        action="append",
        metavar="CODE",
        help="ask for this ProductCode only (repeatable; e.g. bccluster, learn; default all)",
    )
    bills.add_argument(
        "--subscription-type",
        choices=("Subscription", "PayAsYouGo"),
        help="ask for one subscription type only",
    )
    add_site_option(
        bills,
        "BssOpenApi site: cn, intl, or auto (China site, then international on"
        " NotApplicable; default)",
    )
    bills.add_argument(
        "--bill-timezone",
        default="Asia/Shanghai",
        metavar="TZ",
        help="time zone of a billing day (default Asia/Shanghai, UTC+8; UNCONFIRMED: the"
        " API does not say)",
    )
    add_catalog_option(bills)
    add_account_options(bills)
    bills.set_defaults(func=run_bills)

    jobs = actions.add_parser(
        "jobs",
        help="PAI-DLC jobs of a time window as job records for pai-cost plan (ListJobs)",
        description="List every PAI-DLC job that ran between --start and --end in each"
        " region (ListJobs, every page, asked for the jobs created from --lookback-days"
        " before --start, as ListJobs filters on creation time) and write one job record per"
        " role, clipped to the window (start, end, region_id,"
        " hardware, nodes = PodCount, UTC times), EcsSpec mapped to the catalog's hardware."
        " Records the catalog cannot map are listed (and written to --unmapped-out), not"
        " planned.",
        epilog="Then: pai-cost plan FILE --catalog C",
    )
    jobs.add_argument(
        "--region", action="append", required=True, metavar="R", help="region id (repeatable)"
    )
    jobs.add_argument(
        "--start", required=True, metavar="TIME", help="window start (UTC if no offset)"
    )
    jobs.add_argument("--end", required=True, metavar="TIME", help="window end, excluded")
    jobs.add_argument("--out", required=True, metavar="FILE", help="jobs CSV to write")
    jobs.add_argument(
        "--start-field",
        default="GmtRunningTime",
        choices=("GmtRunningTime", "GmtSubmittedTime", "GmtCreateTime"),
        help="the job time a record starts at (default GmtRunningTime; UNCONFIRMED when"
        " billing starts)",
    )
    jobs.add_argument(
        "--lookback-days",
        type=int,
        default=LOOKBACK_DAYS,
        metavar="D",
        help=f"also ask for jobs created up to D days before --start (default {LOOKBACK_DAYS},"
        f" at most {MAX_LOOKBACK_DAYS}): one created earlier that ran into the window is"
        " counted from the window start; one created before that bound is not seen",
    )
    jobs.add_argument("--workspace-id", metavar="ID", help="list this workspace's jobs only")
    jobs.add_argument(
        "--unmapped-out", metavar="FILE", help="also write the records not in the catalog (CSV)"
    )
    add_catalog_option(jobs)
    add_account_options(jobs)
    jobs.set_defaults(func=run_jobs)


def run_bills(args: argparse.Namespace) -> int:
    from pai_model.account.bills import billing_cycles, fetch_instance_bills
    from pai_model.bills.focus_export import write_focus

    end = args.end or args.start
    billing_cycles(args.start, end, timezone=args.bill_timezone)  # at the door
    output_path(args, "--out")
    catalog = load(args)
    clients, caller = session(args)
    rows = fetch_instance_bills(
        args.start,
        end,
        clients=clients,
        caller=caller,
        site=args.site,
        regions=args.region,
        product_codes=args.product_code,
        subscription_type=args.subscription_type,
        catalog=catalog,
        bill_timezone=args.bill_timezone,
    )
    write_focus(rows, args.out, option="--out")
    print(
        f"wrote {len(rows):,} bill lines ({rows.attrs['requests']:,} requests) to {args.out}:"
        f" {_totals(rows)}"
    )
    _show_unmapped(rows.attrs["unmapped"], ["region_id", "spec", "reason", "rows", "list_cost"])
    for note in rows.attrs["notes"]:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return 0


def run_jobs(args: argparse.Namespace) -> int:
    import pandas as pd

    from pai_model.account.dlc_jobs import fetch_dlc_jobs, job_window
    from pai_model.formulas.arguments import check_lookback

    job_window(args.start, args.end)  # at the door
    check_lookback(args.lookback_days, "--lookback-days")
    out, unmapped_out = output_path(args, "--out"), output_path(args, "--unmapped-out")
    catalog = load(args)
    clients, caller = session(args)
    jobs = fetch_dlc_jobs(
        args.region,
        args.start,
        args.end,
        catalog=catalog,
        clients=clients,
        caller=caller,
        start_field=args.start_field,
        workspace_id=args.workspace_id,
        lookback_days=args.lookback_days,
    )
    times = {c: jobs[c].dt.strftime("%Y-%m-%dT%H:%M:%SZ") for c in ("start", "end")}
    written = jobs.assign(**times, nodes=jobs["nodes"].astype("int64"))
    _write_csv(written, out, "--out")
    hours = ((jobs["end"] - jobs["start"]).dt.total_seconds() / 3600 * jobs["nodes"]).sum()
    print(
        f"wrote {len(jobs):,} job records ({jobs.attrs['requests']:,} requests) to {args.out}:"
        f" {hours:,.2f} node-hours"
    )
    unmapped = jobs.attrs["unmapped"]
    if args.unmapped_out:
        frame = pd.DataFrame(
            unmapped,
            columns=["region_id", "spec", "reason", "job_id", "role", "start", "end", "nodes"],
        )
        _write_csv(frame, unmapped_out, "--unmapped-out")
    _show_unmapped(unmapped, ["region_id", "spec", "reason", "job_id", "role", "nodes"])
    notes = list(jobs.attrs["notes"])
    if len(jobs):
        notes.append(
            f"pai-cost plan takes the history as the records' span ({times['start'].min()} to"
            f" {times['end'].max()}), not the window asked for"
        )
    for note in notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return 0


def _write_csv(table: Any, path: Any, option: str) -> None:
    """Write ``table`` as CSV to ``path``, whole or not at all."""
    from pai_model.data.files import replacing

    with replacing(path, option) as temporary:
        table.to_csv(temporary, index=False)


def _totals(rows: Any) -> str:
    """List and billed cost per currency, exact sums of the lines' decimals."""
    from pai_model.bills.usage import MICRO_DECIMALS, micros
    from pai_model.formulas.money_text import format_minor
    from pai_model.formulas.totals import exact_sum

    parts = []
    for currency, group in rows.groupby("BillingCurrency", sort=True):
        listed, billed = (
            format_minor(exact_sum(micros(group[c])), MICRO_DECIMALS, grouping=False, places=2)
            for c in ("ListCost", "BilledCost")
        )
        parts.append(f"list {listed} {currency}, billed {billed} {currency}")
    return "; ".join(parts) or "no lines"


def _show_unmapped(records: list[dict[str, Any]], columns: list[str]) -> None:
    if not records:
        return
    import pandas as pd

    print(f"\nNot in the catalog ({len(records):,}; kept and listed, not mapped to hardware):")
    emit(pd.DataFrame(records)[columns], "table")
