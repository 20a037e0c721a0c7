"""Benchmark: re-pricing FOCUS-shaped lines from partitioned Parquet, out-of-core demand,
and a 2-worker LocalCluster against 1. Ratios against references measured in the same run.

    .venv/bin/python benchmarks/bench_focus.py [--lines N] [--partitions P]

1. pyarrow reading the columns re-pricing needs (the floor) against the kit reading them
   and re-pricing every line with the engine (``pai_model.reconcile.reprice_lines``),
   partition by partition, in one process; peak memory of the process.
2. Demand from job records in Parquet, built with Dask partitioned by (region, hardware)
   (``pai_model.scale.demand_partitioned``), against pandas on the whole table.
3. ``reconcile`` of the Parquet lines on a LocalCluster of 2 workers against 1 worker.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from pai_model import paths
from pai_model.billing import bill_amounts
from pai_model.catalog import load_catalog
from pai_model.focus import decimal_text

COLUMNS = ["RegionId", "SkuId", "ListCost", "BilledCost", "ListUnitPrice", "PricingQuantity",
           "PricingUnit", "ChargeCategory", "PricingCategory", "BillingCurrency",
           "ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart"]  # fmt: skip


def write_lines(folder: Path, lines: int, partitions: int, catalog: pd.DataFrame) -> None:
    """FOCUS-shaped pay-as-you-go lines at the catalog's prices, ``partitions`` files."""
    offers = catalog[catalog["payg_price_per_minute"].notna()]
    rng = np.random.default_rng(0)
    per = lines // partitions
    for p in range(partitions):
        pick = rng.integers(0, len(offers), per)
        price = offers["payg_price_per_minute"].to_numpy()[pick]
        milli = rng.integers(1_000, 600_000, per)  # 1 to 600 minutes, milli-minute steps
        cents = bill_amounts(price, 1, milli / 1000, per_minute=True, minor_units=True)[1]
        text = {p: np.format_float_positional(p, trim="-") for p in np.unique(price)}
        start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 86400 * 90, per), "s")
        frame = pd.DataFrame({
            "RegionId": offers["region_id"].to_numpy()[pick],
            "SkuId": offers["spec"].to_numpy()[pick],
            "ListCost": decimal_text(cents, 2), "BilledCost": decimal_text(cents, 2),
            "ListUnitPrice": pd.Series(price).map(text).to_numpy(),
            "PricingQuantity": decimal_text(milli, 3), "PricingUnit": "Node-Minutes",
            "ChargeCategory": "Usage", "PricingCategory": "Standard", "BillingCurrency": "USD",
            "ChargePeriodStart": start, "ChargePeriodEnd": start + pd.to_timedelta(milli / 1000, "min"),
            "BillingPeriodStart": start.to_period("M").start_time,
        })  # fmt: skip
        frame.to_parquet(folder / f"part-{p:04d}.parquet", index=False)


def timed(function, *args):
    began = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    args = parser.parse_args()
    from pai_model.reconcile import reprice_lines

    catalog = load_catalog(paths.DEFAULT_CATALOG)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_lines(folder, args.lines, args.partitions, catalog)
        files = sorted(folder.glob("*.parquet"))
        reprice_lines(pd.read_parquet(files[0]).head(1000), catalog)  # compile the kernel
        floor, _ = timed(lambda: [pq.read_table(f, columns=COLUMNS) for f in files])

        def kit():
            count = 0
            for f in files:
                count += len(reprice_lines(pd.read_parquet(f, columns=COLUMNS), catalog))
            return count

        seconds, count = timed(kit)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"{count:,} lines in {len(files)} Parquet files")
        print(f"pyarrow reading the columns: {floor:.2f} s")
        print(f"kit reading and re-pricing:  {seconds:.2f} s = {seconds / floor:.2f}x pyarrow;"
              f" {count / seconds / 1e6:.2f} M lines/s; process peak {peak:.2f} GiB")  # fmt: skip
        cluster_speedup(folder, catalog)
        demand_out_of_core(folder)


def cluster_speedup(folder: Path, catalog: pd.DataFrame) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from pai_model.reconcile import reconcile

    times = {}
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster),
        ):
            rows = dd.read_parquet(str(folder / "*.parquet"), columns=COLUMNS)
            times[workers], _ = timed(reconcile, rows, catalog)  # fmt: skip
    print(f"reconcile on a LocalCluster: 1 worker {times[1]:.2f} s, 2 workers {times[2]:.2f} s"
          f" = {times[1] / times[2]:.2f}x speed-up")  # fmt: skip


def demand_out_of_core(folder: Path) -> None:
    import dask.dataframe as dd

    from pai_model.planning import demand_from_jobs
    from pai_model.scale import demand_partitioned
    from pai_model.synthetic import synthetic_jobs

    jobs = synthetic_jobs(days=365, seed=1, jobs_per_day=200.0).drop(columns="x_kind")
    jobs.attrs = {}  # Parquet keeps attrs as JSON metadata; the timestamps there are not JSON
    for i, rows in enumerate(np.array_split(np.arange(len(jobs)), 10)):
        jobs.iloc[rows].to_parquet(folder / f"jobs-{i}.parquet", index=False)
    single, expected = timed(demand_from_jobs, jobs)
    spread, got = timed(lambda: demand_partitioned(dd.read_parquet(str(folder / "jobs-*.parquet"))))
    same = got.astype({"region_id": str, "hardware": str}).equals(
        expected.astype({"region_id": str, "hardware": str}))  # fmt: skip
    print(f"demand from {len(jobs):,} jobs: pandas {single:.2f} s, Dask partitioned by pair"
          f" {spread:.2f} s ({spread / single:.2f}x); equal: {same}")  # fmt: skip


if __name__ == "__main__":
    main()
