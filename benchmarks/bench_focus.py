"""Benchmark: re-pricing FOCUS-shaped lines from partitioned Parquet out of core, demand from
job records out of core, and a 2-worker LocalCluster against 1. SYNTHETIC data; every
figure beside a reference measured in the same run.

    .venv/bin/python benchmarks/bench_focus.py [--lines N] [--partitions P] [--jobs J]
        [--data DIR]

1. pyarrow reading the 13 columns re-pricing needs from every file (the floor), against
   the kit reading them and re-pricing every line with the engine, keeping exact sums
   (``pai_model.bills.reconcile_files.reconcile_files``); each in a process of its own, with its
   peak memory. The kit's sums are compared with the in-memory ``reconcile`` on the
   first file.
2. ``reconcile_files`` on a LocalCluster of 2 worker processes against 1 (one task per
   file; only the sums come back); the sums are compared with the single process's.
3. Demand from ``J`` job records in Parquet, out of core (``pai_model.decisions.planning.dask_demand.demand_files``),
   in a process of its own, with its peak memory; against ``demand_from_jobs`` in memory
   on the first file, which it must equal.

Data are written once, file by file (never all in memory), to ``--data`` (kept and
reused by the next run with the same sizes) or to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

COLUMNS = [
    "RegionId",
    "SkuId",
    "ListCost",
    "BilledCost",
    "ListUnitPrice",
    "PricingQuantity",
    "PricingUnit",
    "ChargeCategory",
    "PricingCategory",
    "BillingCurrency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "BillingPeriodStart",
]
ROWS_PER_JOB_FILE = 2_000_000


def _catalog():
    from pai_model import paths
    from pai_model.data.catalog import read_catalog

    return read_catalog(paths.DEFAULT_CATALOG)


def _decimal(units: np.ndarray, places: int) -> pa.Array:
    """Exact decimal text of ``units / 10**places`` (units >= 0), built by Arrow."""
    whole = pc.cast(pa.array(units // 10**places), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(units % 10**places), pa.string()), places, "0")
    return pc.binary_join_element_wise(whole, rest, ".")


def write_lines(folder: Path, lines: int, partitions: int) -> None:
    """FOCUS-shaped pay-as-you-go lines at the catalog's prices, one file at a time."""
    from pai_model.formulas.engine import bill_amounts

    catalog = _catalog()
    offers = catalog[catalog["payg_price_per_minute"].notna()]
    prices = offers["payg_price_per_minute"].to_numpy()
    price_text = pa.array([np.format_float_positional(p, trim="-") for p in prices])
    regions, specs = pa.array(offers["region_id"].astype(str)), pa.array(offers["spec"].astype(str))
    rng = np.random.default_rng(0)
    per = lines // partitions
    for p in range(partitions):
        pick = rng.integers(0, len(offers), per)
        milli = rng.integers(1_000, 600_000, per)  # 1 to 600 minutes, milli-minute steps
        cents = bill_amounts(prices[pick], 1, milli / 1000, per_minute=True, minor_units=True)[1]
        start = np.datetime64("2026-01-01", "us") + rng.integers(0, 86400 * 90, per) * 10**6
        cost = _decimal(cents, 2)
        take = pa.array(pick)
        table = pa.table(
            {
                "RegionId": regions.take(take),
                "SkuId": specs.take(take),
                "ListCost": cost,
                "BilledCost": cost,
                "ListUnitPrice": price_text.take(take),
                "PricingQuantity": _decimal(milli, 3),
                "PricingUnit": pa.repeat("Node-Minutes", per).cast(pa.string()),
                "ChargeCategory": pa.repeat("Usage", per).cast(pa.string()),
                "PricingCategory": pa.repeat("Standard", per).cast(pa.string()),
                "BillingCurrency": pa.repeat("USD", per).cast(pa.string()),
                "ChargePeriodStart": pa.array(start),
                "ChargePeriodEnd": pa.array(start + (milli * 60_000).astype("timedelta64[us]")),
                "BillingPeriodStart": pa.array(
                    start.astype("datetime64[M]").astype("datetime64[us]")
                ),
            }
        )
        pq.write_table(table, folder / f"part-{p:04d}.parquet")


def write_jobs(folder: Path, jobs: int) -> None:
    """Job records of 20 (region, hardware) pairs over a year, one file at a time."""
    catalog = _catalog()
    pairs = catalog[["region_id", "hardware"]].astype(str).drop_duplicates().head(20)
    regions, hardwares = pa.array(pairs["region_id"]), pa.array(pairs["hardware"])
    rng = np.random.default_rng(1)
    for i, first in enumerate(range(0, jobs, ROWS_PER_JOB_FILE)):
        size = min(ROWS_PER_JOB_FILE, jobs - first)
        pick = pa.array(rng.integers(0, len(pairs), size))
        start = np.datetime64("2026-01-01", "us") + rng.integers(0, 365 * 86400, size) * 10**6
        minutes = rng.integers(1, 600, size)
        table = pa.table(
            {
                "start": pa.array(start),
                "end": pa.array(start + (minutes * 60_000_000).astype("timedelta64[us]")),
                "region_id": regions.take(pick),
                "hardware": hardwares.take(pick),
                "nodes": pa.array(rng.integers(1, 9, size)),
            }
        )
        pq.write_table(table, folder / f"jobs-{i:04d}.parquet")


def _stage(name: str, folder: Path) -> dict:
    """One measured step, run in this process (``--stage``)."""
    lines, jobs = str(folder / "part-*.parquet"), str(folder / "jobs-*.parquet")
    if name == "pyarrow":
        began = time.perf_counter()
        count = sum(
            pq.read_table(f, columns=COLUMNS).num_rows for f in sorted(folder.glob("part-*"))
        )
        seconds = time.perf_counter() - began
    elif name == "pyarrow, text as dictionaries":
        from pai_model.bills.reconcile_files import DICTIONARIES

        began = time.perf_counter()
        count = sum(
            pq.read_table(f, columns=COLUMNS, read_dictionary=list(DICTIONARIES)).num_rows
            for f in sorted(folder.glob("part-*"))
        )
        seconds = time.perf_counter() - began
    elif name == "kit":
        from pai_model.bills.reconcile_files import reconcile_files

        catalog = _catalog()
        reconcile_files(sorted(folder.glob("part-*"))[0], catalog)  # compile and warm up
        began = time.perf_counter()
        result = reconcile_files(lines, catalog)
        seconds = time.perf_counter() - began
        count = int(result.by_month["lines"].sum())
    elif name == "demand":
        from pai_model.decisions.planning.dask_demand import demand_files

        began = time.perf_counter()
        demand = demand_files(jobs)
        seconds = time.perf_counter() - began
        count = len(demand)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {"seconds": seconds, "count": count, "peak_gib": peak}


def measured(name: str, folder: Path, script: str = __file__) -> dict:
    """The stage ``name`` of the benchmark ``script``, run in a process of its own."""
    command = [sys.executable, script, "--stage", name, "--data", str(folder)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def data_folder(
    data: Path | None,
    marker: str,
    patterns: tuple[str, ...],
    write: Callable[[Path], None],
    what: str,
) -> Iterator[Path]:
    """``data``, or a temporary folder, with the SYNTHETIC files of ``write``: written once,
    then kept while the ``marker`` file of their sizes is there (``patterns``: their names)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        done = folder / marker
        if not done.exists():
            for old in [f for pattern in patterns for f in folder.glob(pattern)]:
                old.unlink()
            began = time.perf_counter()
            write(folder)
            done.touch()
            print(f"SYNTHETIC {what} written in {time.perf_counter() - began:.0f} s to {folder}")
        yield folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, help="folder to write the data to once and reuse")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.data)))
        return

    def write(folder: Path) -> None:
        write_lines(folder, args.lines, args.partitions)
        write_jobs(folder, args.jobs)

    marker = f"written-{args.lines}-{args.partitions}-{args.jobs}"
    patterns = ("part-*.parquet", "jobs-*.parquet")
    with data_folder(args.data, marker, patterns, write, "data") as folder:
        run(folder)


def run(folder: Path) -> None:
    floor = measured("pyarrow", folder)
    coded = measured("pyarrow, text as dictionaries", folder)
    kit = measured("kit", folder)
    files = sorted(folder.glob("part-*.parquet"))
    print(f"{kit['count']:,} lines in {len(files)} Parquet files")
    print(
        f"pyarrow reading the 13 columns: {floor['seconds']:.2f} s, process peak"
        f" {floor['peak_gib']:.2f} GiB; with the 6 text columns the kit reads as dictionaries"
        f" read so: {coded['seconds']:.2f} s"
    )
    print(
        f"kit reading and re-pricing (reconcile_files): {kit['seconds']:.2f} s ="
        f" {kit['seconds'] / floor['seconds']:.2f}x pyarrow"
        f" ({kit['seconds'] / coded['seconds']:.2f}x the dictionary read);"
        f" {kit['count'] / kit['seconds'] / 1e6:.2f} M lines/s; process peak"
        f" {kit['peak_gib']:.2f} GiB; sums equal to the in-memory reconcile on"
        f" {files[0].name}: {same_as_in_memory(files[0])}"
    )
    cluster_speedup(folder)
    demand = measured("demand", folder)
    jobs = sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("jobs-*.parquet"))
    seconds, same, per_job = demand_reference(sorted(folder.glob("jobs-*.parquet"))[0])
    print(
        f"demand from {jobs:,} job records out of core (demand_files): {demand['seconds']:.2f} s"
        f" ({demand['count']:,} intervals), process peak {demand['peak_gib']:.2f} GiB;"
        f" per record {demand['seconds'] / jobs * 1e6:.2f} us against {per_job * 1e6:.2f} us"
        f" for demand_from_jobs in memory on the first file ({seconds:.2f} s); equal: {same}"
    )


def same_as_in_memory(path: Path) -> bool:
    import pandas as pd

    from pai_model.bills.reconcile import reconcile
    from pai_model.bills.reconcile_files import reconcile_files

    catalog = _catalog()
    streamed = reconcile_files(path, catalog)
    whole = reconcile(pd.read_parquet(path, columns=COLUMNS), catalog)
    return all(
        getattr(streamed, name).equals(getattr(whole, name))
        for name in ("by_spec", "by_month", "unmapped")
    )


def cluster_speedup(folder: Path) -> None:
    from pai_model.bills.reconcile_files import reconcile_files
    from pai_model.cli._usage import local_client

    catalog = _catalog()
    times, results = {}, {}
    for workers in (1, 2):
        with local_client(workers) as client:
            reconcile_files(sorted(folder.glob("part-*"))[0], catalog, client=client)  # warm up
            began = time.perf_counter()
            results[workers] = reconcile_files(
                str(folder / "part-*.parquet"), catalog, client=client
            )
            times[workers] = time.perf_counter() - began
    same = results[1].by_spec.equals(results[2].by_spec)
    print(
        f"reconcile_files on a LocalCluster: 1 worker {times[1]:.2f} s, 2 workers"
        f" {times[2]:.2f} s = {times[1] / times[2]:.2f}x speed-up; equal: {same}"
    )


def demand_reference(path: Path) -> tuple[float, bool, float]:
    import pandas as pd

    from pai_model.decisions.planning.dask_demand import demand_files
    from pai_model.decisions.planning.demand import demand_from_jobs

    jobs = pd.read_parquet(path)
    began = time.perf_counter()
    whole = demand_from_jobs(jobs)
    seconds = time.perf_counter() - began
    return seconds, demand_files(path).equals(whole), seconds / len(jobs)


if __name__ == "__main__":
    main()
