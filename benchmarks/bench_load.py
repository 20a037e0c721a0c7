"""Benchmark of big inputs through the command line: a 5-million-row jobs CSV and a 200 MB catalog.

Targets on the 2-core machine (issue 9): ``pai-cost plan`` on 5,000,000 job rows in under
10 s and 1.5 GB; ``pai-cost catalog check`` on a 200 MB catalog within 1 GB. Each command
runs in its own process; its wall time and peak RSS are measured from outside
(``os.wait4``), beside a reference measured in the same run: a bare ``pandas.read_csv`` of
the same file in a fresh process (the floor any reader of the file pays). The machine is
shared and its timings swing by a third from run to run, so each command runs
``--repeat`` times (after one untimed warm-up run that fills numba's cache and the page
cache) and the median is reported, with the range.

The data is SYNTHETIC (random jobs on the demo catalog's pairs, made-up catalog rows),
written to a temporary folder and deleted afterwards.

Usage::

    .venv/bin/python benchmarks/bench_load.py            # full size (about five minutes)
    .venv/bin/python benchmarks/bench_load.py --quick    # 200,000 jobs, 20 MB catalog
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAI_COST = [sys.executable, "-m", "pai_model.cli"]


def measure(command: list[str]) -> tuple[float, float, int]:
    """Wall time [s], peak RSS [MiB] and exit status of one command in its own process.

    Linux carries a process's peak RSS across exec, so this process stays small (the data
    is written by a child of its own) for the child's peak to be the command's.
    """
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.stderr.write(process.stderr.read().decode()[-2000:])
    return wall, usage.ru_maxrss / 1024, process.returncode


def measure_runs(command: list[str], repeat: int) -> tuple[list[float], float, int]:
    """Wall times of ``repeat`` runs after an untimed warm-up, the largest peak RSS
    [MiB] and the worst exit status."""
    measure(command)
    runs = [measure(command) for _ in range(repeat)]
    return [w for w, _, _ in runs], max(r for _, r, _ in runs), max(s for _, _, s in runs)


def write_jobs(path: Path, rows: int) -> None:
    """SYNTHETIC job records on every pair the demo catalog offers both ways: starts over a
    year at whole minutes, lengths of minutes to days, 1 to 4 nodes."""
    import numpy as np
    import pandas as pd

    from pai_model.data.catalog import read_catalog
    from pai_model.decisions.comparison import break_even_table

    start_of_year = np.datetime64("2026-01-01T00:00")
    pairs = break_even_table(read_catalog())[["region_id", "hardware"]].to_numpy()
    rng = np.random.default_rng(0)
    start = start_of_year + rng.integers(0, 365 * 1440, rows).astype("timedelta64[m]")
    end = start + np.clip(rng.lognormal(np.log(240), 1.2, rows), 1, 7 * 1440).astype(
        "timedelta64[m]"
    )
    pair = pairs[rng.integers(0, len(pairs), rows)]
    frame = pd.DataFrame(
        {
            "start": np.datetime_as_string(start, unit="m"),
            "end": np.datetime_as_string(end, unit="m"),
            "region_id": pair[:, 0],
            "hardware": pair[:, 1],
            "nodes": rng.integers(1, 5, rows),
        }
    )
    frame.to_csv(path, index=False)


def write_catalog(path: Path, megabytes: float) -> None:
    """A SYNTHETIC catalog of unique specs across the Lingjun regions, about ``megabytes``."""
    import numpy as np

    regions = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-wulanchabu", "cn-shenzhen"]
    row = (
        "{region},China,lingjun,ml.synthetic.{i},hw{h},96,1600,GU108,8,{sub},{payg},USD,"
        "true,illustrative,2026-11-01,a synthetic offer for the load benchmark\n"
    )
    header = (
        "region_id,region_name,resource_type,spec,hardware,vcpu,memory_gib,gpu_model,"
        "gpu_count,subscription_price_per_month,payg_price_per_minute,currency,in_stock,"
        "source,as_of,note\n"
    )
    rng = np.random.default_rng(0)
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        written, i = len(header), 0
        while written < target:
            text = row.format(
                region=regions[i % len(regions)],
                i=i,
                h=i % 97,
                sub=f"{rng.integers(1_000_00, 4_000_000) / 100:.2f}",
                payg=f"{rng.integers(1, 2_000_000) / 1_000_000:.6f}",
            )
            out.write(text)
            written += len(text)
            i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each command (default 3)"
    )
    parser.add_argument("--write", nargs=2, metavar=("FOLDER", "SIZE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if options.write:  # the child that writes the data
        folder, size = Path(options.write[0]), options.write[1]
        rows, megabytes = (200_000, 20.0) if size == "quick" else (5_000_000, 200.0)
        write_jobs(folder / "jobs.csv", rows)
        write_catalog(folder / "catalog.csv", megabytes)
        return
    rows = 200_000 if options.quick else 5_000_000
    with tempfile.TemporaryDirectory(prefix="pai-bench-load-") as folder:
        jobs, catalog = Path(folder) / "jobs.csv", Path(folder) / "catalog.csv"
        size = "quick" if options.quick else "full"
        subprocess.run([sys.executable, __file__, "--write", folder, size], check=True)
        read = "import sys, pandas; pandas.read_csv(sys.argv[1])"
        cases = [
            (
                f"plan, {rows:,} job rows ({jobs.stat().st_size / 1e6:.0f} MB CSV)",
                [*PAI_COST, "plan", str(jobs)],
                (10.0, 1536),
                [sys.executable, "-c", read, str(jobs)],
            ),
            (
                f"catalog check, {catalog.stat().st_size / 1e6:.0f} MB catalog",
                [*PAI_COST, "catalog", "check", str(catalog)],
                (None, 1024),
                [sys.executable, "-c", read, str(catalog)],
            ),
        ]
        print(
            "SYNTHETIC data; times are wall seconds (median of"
            f" {options.repeat} runs after a warm-up, range in brackets), memory is peak RSS"
            " of the process."
        )
        for label, command, (time_target, memory_target), reference in cases:
            walls, rss, status = measure_runs(command, options.repeat)
            ref_walls, ref_rss, _ = measure_runs(reference, options.repeat)
            wall, ref_wall = statistics.median(walls), statistics.median(ref_walls)
            verdict = "ok" if status == 0 else f"FAILED (exit {status})"
            targets = ", ".join(
                t
                for t in (
                    f"< {time_target:g} s" if time_target else "",
                    f"< {memory_target:,} MiB",
                )
                if t
            )
            print(
                f"{label}: {wall:.2f} s [{min(walls):.2f}-{max(walls):.2f}], {rss:,.0f} MiB"
                f" [{verdict}; target {targets}]"
                f" | pandas.read_csv alone: {ref_wall:.2f} s, {ref_rss:,.0f} MiB"
                f" | ratio {wall / ref_wall:.1f}x time, {rss / ref_rss:.2f}x memory"
            )


if __name__ == "__main__":
    main()
