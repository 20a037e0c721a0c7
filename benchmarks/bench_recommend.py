"""Benchmark: ``recommend`` from a year of FOCUS lines of a large organization, SYNTHETIC,
against pyarrow reading the same files in the same run; a 2-worker LocalCluster against
1; and the capture of the default rule on four synthetic workloads.

    .venv/bin/python benchmarks/bench_recommend.py [--lines N] [--partitions P] [--data DIR]

1. pyarrow reading the columns the recommendation reads (``RegionId``, ``SkuId``,
   ``ChargeCategory``, ``PricingCategory``, ``PricingQuantity``, ``PricingUnit``,
   ``ChargePeriodStart``, ``ChargePeriodEnd``) from every file (the floor), against
   ``pai_model.recommend`` on the folder: streamed demand, the plan of the last 30 days,
   1,000 demand scenarios and the walk-forward backtest of every month; each in a process
   of its own, with its peak memory (target: at most 2.5x the read, under 4 GB).
2. The same ``recommend`` with ``--engine dask`` semantics (a ``distributed.Client``) on a
   LocalCluster of 2 single-threaded worker processes against 1 (target: 1.6x faster).
3. The capture of the default rule (plan on the last 30 days, buy for a month; and with a
   7-day lookback) walking forward over 12 months of each synthetic workload (steady,
   seasonal, growing, bursty): realized saving / hindsight-best saving (aim: 90 %).

The lines are SYNTHETIC: hourly bill lines of 2026 (one line per node and hour, its
node-minutes in ``PricingQuantity``), spread over the demo catalog's per-minute
pay-as-you-go (Lingjun) specs, written file by file (never all in memory) to ``--data`` (kept and reused by the next run
with the same sizes) or to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from bench_focus import _catalog, _decimal, data_folder, measured

READ = [
    "RegionId",
    "SkuId",
    "ChargeCategory",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ChargePeriodStart",
    "ChargePeriodEnd",
]
HOURS = 365 * 24


def write_lines(folder: Path, lines: int, partitions: int) -> None:
    """Hourly FOCUS lines of 2026 at the demo catalog's pay-as-you-go prices, file by file."""
    catalog = _catalog()
    offers = catalog[catalog["payg_price_per_minute"].notna()]
    regions, specs = pa.array(offers["region_id"].astype(str)), pa.array(offers["spec"].astype(str))
    prices = offers["payg_price_per_minute"].to_numpy()
    rng = np.random.default_rng(0)
    weight = rng.uniform(0.2, 1.0, len(offers))
    weight /= weight.sum()
    per = lines // partitions
    for p in range(partitions):
        pick = rng.choice(len(offers), per, p=weight)
        hour = rng.integers(0, HOURS, per)
        milli = rng.integers(1_000, 60_001, per)  # 1 to 60 node-minutes in the hour
        cents = np.rint(prices[pick] * milli / 10).astype(np.int64)  # list cost, to the cent
        start = np.datetime64("2026-01-01", "us") + hour * 3_600_000_000
        take = pa.array(pick)
        cost = _decimal(cents, 2)
        table = pa.table(
            {
                "RegionId": regions.take(take),
                "SkuId": specs.take(take),
                "ChargeCategory": pa.repeat("Usage", per).cast(pa.string()),
                "PricingCategory": pa.repeat("Standard", per).cast(pa.string()),
                "PricingQuantity": _decimal(milli, 3),
                "PricingUnit": pa.repeat("Node-Minutes", per).cast(pa.string()),
                "ChargePeriodStart": pa.array(start),
                "ChargePeriodEnd": pa.array(start + np.timedelta64(3600, "s")),
                "ListCost": cost,
                "BilledCost": cost,
                "BillingCurrency": pa.repeat("USD", per).cast(pa.string()),
            }
        )
        pq.write_table(table, folder / f"part-{p:04d}.parquet", row_group_size=1_000_000)


def _stage(name: str, folder: Path) -> dict:
    """One measured step, run in this process (``--stage``)."""
    files = sorted(folder.glob("part-*.parquet"))
    extra: dict = {}
    if name == "pyarrow":
        began = time.perf_counter()
        count = sum(pq.read_table(f, columns=READ).num_rows for f in files)
        seconds = time.perf_counter() - began
    elif name == "kit":
        import warnings

        import pai_model as pm

        warnings.simplefilter("ignore")
        catalog = _catalog()
        pm.recommend(files[0], catalog=catalog, scenarios=10, backtest=False)  # warm up
        began = time.perf_counter()
        answer = pm.recommend(folder, catalog=catalog)
        seconds = time.perf_counter() - began
        count = len(answer.actions)
        extra = {
            "headline": answer.headline,
            "capture": answer.totals["capture"],
            "saving": str(answer.totals["monthly_saving"]),
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {"seconds": seconds, "count": count, "peak_gib": peak, **extra}


def cluster_speedup(folder: Path) -> None:
    import warnings

    import pai_model as pm
    from pai_model.cli._usage import local_client

    warnings.simplefilter("ignore")
    catalog = _catalog()
    files = sorted(folder.glob("part-*.parquet"))
    times, answers = {}, {}
    for workers in (1, 2):
        with local_client(workers) as client:
            pm.recommend(files[0], catalog=catalog, client=client, scenarios=10, backtest=False)
            began = time.perf_counter()
            answers[workers] = pm.recommend(folder, catalog=catalog, client=client)
            times[workers] = time.perf_counter() - began
    same = answers[1].to_json() == answers[2].to_json()
    print(
        f"recommend on a LocalCluster (--engine dask): 1 worker {times[1]:.1f} s, 2 workers"
        f" {times[2]:.1f} s = {times[1] / times[2]:.2f}x speed-up; same answer: {same}"
    )


def captures() -> None:
    import warnings

    from pai_model.data.synthetic_workloads import WORKLOADS, synthetic_workload
    from pai_model.decisions.backtest import backtest_demand
    from pai_model.decisions.planning.demand import demand_from_jobs

    warnings.simplefilter("ignore")
    catalog = _catalog()
    print(
        "capture of the default rule (SYNTHETIC workloads, 12 months, 2 GU108 pairs each;"
        " realized / hindsight-best saving over 11 walk-forward months):"
    )
    for kind in WORKLOADS:
        demand = demand_from_jobs(synthetic_workload(kind))
        shown = []
        for days in (30, 7):
            totals = backtest_demand(demand, catalog, train_days=days).totals.iloc[0]
            shown.append(
                f"lookback {days} d: {totals['capture']:.1%} ({totals['realized_savings']:,.2f}"
                f" of {totals['hindsight_savings']:,.2f} USD)"
            )
        print(f"  {kind:9s} " + "; ".join(shown))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=10)
    parser.add_argument("--data", type=Path, help="folder to write the data to once and reuse")
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.data)))
        return

    def write(folder: Path) -> None:
        write_lines(folder, args.lines, args.partitions)

    marker = f"written-{args.lines}-{args.partitions}"
    with data_folder(args.data, marker, ("part-*.parquet",), write, "lines") as folder:
        run(folder, args.skip_cluster)


def run(folder: Path, skip_cluster: bool) -> None:
    floor = measured("pyarrow", folder, __file__)
    kit = measured("kit", folder, __file__)
    files = sorted(folder.glob("part-*.parquet"))
    size = sum(f.stat().st_size for f in files) / 2**30
    print(
        f"{floor['count']:,} SYNTHETIC FOCUS lines of 2026 in {len(files)} Parquet files"
        f" ({size:.2f} GiB)"
    )
    print(
        f"pyarrow reading the {len(READ)} columns: {floor['seconds']:.1f} s, process peak"
        f" {floor['peak_gib']:.2f} GiB"
    )
    print(
        f"recommend (streamed demand, plan, 1,000 scenarios, backtest): {kit['seconds']:.1f} s"
        f" = {kit['seconds'] / floor['seconds']:.2f}x pyarrow; process peak"
        f" {kit['peak_gib']:.2f} GiB; {kit['count']} actions: {kit['headline']}; backtest"
        f" capture {kit['capture']}"
    )
    if not skip_cluster:
        cluster_speedup(folder)
    captures()


if __name__ == "__main__":
    main()
