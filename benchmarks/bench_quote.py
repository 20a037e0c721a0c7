"""Benchmark: wall time of ``pai-cost quote`` against ``python -c "import pandas"``.

Each figure is the median of ``--repeat`` fresh processes, all measured in this one run
(the machines here are shared and noisy: read the ratio):

- reference: ``python -c "import pandas"``, the start-up any pandas-based tool pays;
- cold quote: the README's quote with an empty cache folder (full catalog validation
  with pandas and pandera, then the cache is written);
- warm quote: the same quote again (the cache is read; no pandas, pandera or numba).

Target (issue 8): a warm quote takes at most 1.5x the reference. Run from the
repository root: ``.venv/bin/python benchmarks/bench_quote.py [--repeat N]``.
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

TARGET_RATIO = 1.5
QUOTE = (
    "quote --region cn-wulanchabu --spec ml.gu7xf.c96m1600.8-gu108 --quantity 2 --months 1"
).split()
EXPECTED = "2 x 23,932.70 USD/month x 1 month = 47,865.40 USD"


def pai_cost() -> list[str]:
    """The console script beside this interpreter, as a user runs it (else ``-m``)."""
    script = Path(sys.executable).with_name("pai-cost")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pai_model.cli"]


def wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    elapsed = time.perf_counter() - started
    if command[-len(QUOTE) :] == QUOTE and result.stdout.splitlines()[0] != EXPECTED:
        raise SystemExit(f"unexpected quote: {result.stdout!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="processes per figure (default 9)")
    args = parser.parse_args()
    quote = [*pai_cost(), *QUOTE]
    reference, cold, warm = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PAI_COST_CACHE_DIR": str(Path(folder) / "warm")}
        wall(quote, env)  # fills the warm cache (and any compiled bytecode)
        for i in range(args.repeat):  # interleaved, so that noise hits all three alike
            reference.append(wall([sys.executable, "-c", "import pandas"], env))
            empty = {**env, "PAI_COST_CACHE_DIR": str(Path(folder) / f"cold-{i}")}
            cold.append(wall(quote, empty))
            warm.append(wall(quote, env))
    t_reference, t_cold, t_warm = (statistics.median(t) for t in (reference, cold, warm))
    ratio = t_warm / t_reference
    print(f"pai-cost {' '.join(QUOTE)}  (median of {args.repeat} processes each)")
    print(f"  python -c 'import pandas'  {t_reference:.3f} s")
    print(f"  cold quote (empty cache)   {t_cold:.3f} s = {t_cold / t_reference:.2f}x")
    print(f"  warm quote                 {t_warm:.3f} s = {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    print("target met" if ratio <= TARGET_RATIO else "TARGET NOT MET")


if __name__ == "__main__":
    main()
