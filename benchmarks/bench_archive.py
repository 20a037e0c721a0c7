"""Benchmark: a zip of many small FOCUS CSV members against one file of the same rows.

Alibaba's bill subscriptions push archives of many small files; a reader that opened the
archive again for every member, or validated every member on its own, took minutes for
2,000 members. Both sources are read with :func:`pai_model.read_focus` in the same run
(machines here are shared and noisy: compare the ratio, not seconds); the target is a
ratio near 1 (issue 22: "roughly the speed of one file of the same total size").

The rows are SYNTHETIC: the kit's synthetic sample export (``focus_sample.csv``), cut
into members of a few lines each. Run from the repository root::

    .venv/bin/python benchmarks/bench_archive.py               # 2,000 members
    .venv/bin/python benchmarks/bench_archive.py --members 200
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from pai_model import paths, read_focus


def write_sources(folder: Path, members: int, rows_per_member: int) -> tuple[Path, Path]:
    """The same synthetic rows as one CSV file and as a zip of ``members`` CSV members."""
    lines = (paths.SAMPLE_DIR / "focus_sample.csv").read_bytes().splitlines(keepends=True)
    head, rows = b"".join(lines[:2]), lines[2:]  # the SYNTHETIC comment line, the header
    bodies = []
    for i in range(members):
        start = (i * rows_per_member) % (len(rows) - rows_per_member)
        bodies.append(b"".join(rows[start : start + rows_per_member]))
    one = folder / "one.csv"
    one.write_bytes(head + b"".join(bodies))
    archive = folder / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for i, body in enumerate(bodies):
            packed.writestr(f"bill-{i:05d}.csv", head + body)
    return one, archive


def best_of(repeats: int, source: Path) -> tuple[float, pd.DataFrame]:
    times, rows = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        rows = read_focus(source)
        times.append(time.perf_counter() - began)
    return min(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--rows-per-member", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the sample's documented FOCUS deviations
    with tempfile.TemporaryDirectory() as folder:
        one, archive = write_sources(Path(folder), args.members, args.rows_per_member)
        read_focus(one)  # warm up: imports and compiled helpers are not the reader's cost
        single, expected = best_of(args.repeats, one)
        zipped, got = best_of(args.repeats, archive)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)  # the same rows
        size = one.stat().st_size
        print(
            f"{args.members:,} members of {args.rows_per_member} rows ({len(got):,} rows,"
            f" {size / 1e6:.1f} MB as one file), best of {args.repeats}:"
        )
        print(f"  one file      {single:8.3f} s")
        print(f"  zip archive   {zipped:8.3f} s")
        print(f"  ratio         {zipped / single:8.2f}  (target: about 1)")


if __name__ == "__main__":
    main()
