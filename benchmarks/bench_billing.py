"""Benchmark: exact bills for 10 million order rows and break-even for 1 million price pairs.

Every figure is printed beside references measured in the same run on the same data,
because the machines here are shared and noisy: compare ratios, not seconds.

- float floor: ``price * quantity * duration`` in float64 over the same arrays (the
  memory-bandwidth floor; wrong in the last cent, e.g. 1.005 -> 1.00);
- decimal loop: Python's ``decimal`` row by row over a sample (exact, slow);
- pandas apply: a row-wise ``DataFrame.apply`` over a sample (what a notebook user writes).

Targets (issue 2): exact pricing within 3x the float floor, at least 25x faster per row
than the decimal loop, peak memory under 1.5 GB for 10 million rows, ``import pai_model``
under 0.5 s. Run from the repository root::

    .venv/bin/python benchmarks/bench_billing.py            # full size
    .venv/bin/python benchmarks/bench_billing.py --rows 1e6  # quicker
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from pai_model import break_even_utilization, payg_cost, subscription_cost
from pai_model.formulas.breakeven import break_even_minutes

SEED = 20261126


def best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def make_orders(rows: int) -> dict[str, np.ndarray]:
    """Synthetic orders: half subscriptions (months), half pay-as-you-go (minutes)."""
    rng = np.random.default_rng(SEED)
    half = rows // 2
    return {
        "sub_price": np.round(rng.uniform(50, 60_000, half), 2),
        "sub_quantity": rng.integers(1, 65, half),
        "months": rng.integers(1, 37, half),
        "payg_price": np.round(rng.uniform(0.01, 3, rows - half), 4),
        "payg_quantity": rng.integers(1, 65, rows - half),
        "minutes": np.round(rng.uniform(1, 200_000, rows - half), 3),
    }


def exact(orders: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return (
        subscription_cost(orders["sub_price"], orders["sub_quantity"], orders["months"]),
        payg_cost(orders["payg_price"], orders["payg_quantity"], orders["minutes"]),
    )


def floor(orders: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return (
        orders["sub_price"] * orders["sub_quantity"] * orders["months"],
        orders["payg_price"] * orders["payg_quantity"] * orders["minutes"],
    )


def decimal_loop(prices, quantities, durations) -> list[float]:
    cent = Decimal("0.01")
    return [
        float((Decimal(repr(p)) * int(q) * Decimal(repr(d))).quantize(cent, rounding=ROUND_HALF_UP))
        for p, q, d in zip(prices.tolist(), quantities.tolist(), durations.tolist(), strict=True)
    ]


def import_seconds(statement: str) -> float:
    """Best of five fresh interpreters running ``statement``."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=10e6, help="order rows (default 1e7)")
    parser.add_argument("--pairs", type=float, default=1e6, help="price pairs (default 1e6)")
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the slow references")
    args = parser.parse_args()
    rows, pairs = int(args.rows), int(args.pairs)

    print(f"data: {rows:,} synthetic order rows (seed {SEED}), {pairs:,} price pairs")
    orders = make_orders(rows)
    exact({k: v[:10] for k, v in orders.items()})  # compile or load the kernel once

    tracemalloc.start()
    exact(orders)
    _, exact_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t_exact = best_of(3, lambda: exact(orders))
    t_floor = best_of(3, lambda: floor(orders))

    sample = slice(0, args.sample)
    sub_decimal = decimal_loop(
        orders["sub_price"][sample], orders["sub_quantity"][sample], orders["months"][sample]
    )
    start = time.perf_counter()
    payg_decimal = decimal_loop(
        orders["payg_price"][sample], orders["payg_quantity"][sample], orders["minutes"][sample]
    )
    t_decimal_row = (time.perf_counter() - start) / args.sample

    frame = pd.DataFrame(
        {
            "price": orders["payg_price"][sample],
            "quantity": orders["payg_quantity"][sample],
            "minutes": orders["minutes"][sample],
        }
    )
    start = time.perf_counter()
    frame.apply(lambda r: round(r["price"] * r["quantity"] * r["minutes"], 2), axis=1)
    t_apply_row = (time.perf_counter() - start) / args.sample

    sub_exact, payg_exact = exact(orders)
    agree = (
        sub_exact[sample].tolist() == sub_decimal and payg_exact[sample].tolist() == payg_decimal
    )
    float_wrong = int(np.sum(np.round(floor(orders)[1][sample], 2) != np.array(payg_decimal)))

    rng = np.random.default_rng(SEED + 1)
    sub_prices = np.round(rng.uniform(50, 60_000, pairs), 2)
    payg_prices = np.round(rng.uniform(0.01, 3, pairs), 4)
    t_break_even = best_of(
        3,
        lambda: (
            break_even_minutes(sub_prices, payg_prices),
            break_even_utilization(sub_prices, payg_prices),
        ),
    )
    t_break_even_floor = best_of(
        3, lambda: (sub_prices / payg_prices, sub_prices / payg_prices / 43_800)
    )

    t_python = import_seconds("pass")
    t_import = import_seconds("import pai_model")
    t_first_bill = import_seconds("import pai_model; pai_model.payg_cost(0.73, 1, 45)")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB

    exact_rate = rows / t_exact
    ratio_floor = t_exact / t_floor
    ratio_decimal = t_decimal_row / (t_exact / rows)
    lines = [
        ("exact pricing", f"{t_exact:.3f} s for {rows:,} rows = {exact_rate / 1e6:.1f} M rows/s"),
        (
            "  float floor",
            f"{t_floor:.3f} s = {rows / t_floor / 1e6:.1f} M rows/s -> exact is {ratio_floor:.2f}x the floor (target <= 3x)",
        ),
        (
            "  decimal loop",
            f"{t_decimal_row * 1e6:.2f} us/row -> exact is {ratio_decimal:,.0f}x faster per row (target >= 25x)",
        ),
        (
            "  pandas apply",
            f"{t_apply_row * 1e6:.2f} us/row -> exact is {t_apply_row / (t_exact / rows):,.0f}x faster per row",
        ),
        (
            "  exact = decimal",
            f"{agree} on {args.sample:,} sampled rows of each method; float rounding missed {float_wrong} of them",
        ),
        (
            "  memory",
            f"pricing call peak {exact_peak / 2**20:,.0f} MiB (tracemalloc); process peak RSS {peak_rss:.2f} GiB (target < 1.5 GB)",
        ),
        (
            "break-even",
            f"{t_break_even:.3f} s for {pairs:,} pairs = {pairs / t_break_even / 1e6:.1f} M pairs/s (float division floor {t_break_even_floor:.3f} s)",
        ),
        ("import pai_model", f"{t_import:.3f} s (bare python {t_python:.3f} s; target < 0.5 s)"),
        (
            "  first bill",
            f"{t_first_bill:.3f} s in a fresh process (imports numpy, loads the cached kernel)",
        ),
    ]
    width = max(len(name) for name, _ in lines)
    for name, text in lines:
        print(f"{name:<{width}}  {text}")
    met = ratio_floor <= 3 and ratio_decimal >= 25 and peak_rss < 1.5 and t_import < 0.5 and agree
    print("targets met" if met else "TARGETS NOT MET")


if __name__ == "__main__":
    main()
