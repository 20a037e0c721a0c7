"""Time to render the default report end to end, and its size.

Renders ``breakeven_by_region`` on the embedded catalog (what the README's first command
does) into a temporary folder and prints the time of each step: kernel start, execution of
the cells, HTML conversion, and the total wall time of :func:`render_report` (which also
includes checking parameters, papermill's set-up and writing the files). As a reference
measured in the same run, papermill executes a one-cell notebook (``pass``): the floor any
notebook report pays for papermill and a kernel on this machine.

Targets (issue 3): under 15 s end to end on a 2-core machine, HTML under 8 MB.

Run: ``.venv/bin/python benchmarks/bench_report.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from pai_model.display.reports.render import render_report

TARGET_SECONDS = 15.0
TARGET_MEGABYTES = 8.0


def reference_seconds(folder: Path) -> float:
    """Wall time for papermill to run a notebook whose only cell is ``pass``."""
    import papermill

    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    notebook.cells = [nbformat.v4.new_code_cell("pass")]
    source, output = folder / "empty.ipynb", folder / "empty.out.ipynb"
    nbformat.write(notebook, source)
    started = time.perf_counter()
    papermill.execute_notebook(
        str(source),
        str(output),
        kernel_name="python3",
        progress_bar=False,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="renders to time (default 3)")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        reference = reference_seconds(Path(folder))
        for _ in range(args.repeat):
            report = render_report(out_dir=folder, progress=False)
            runs.append(report.timings)
        size = report.html.stat().st_size / 1e6
        notebook_size = report.notebook.stat().st_size / 1e6
    print(f"default report: {report.html.name}, {args.repeat} renders (median, min-max)")
    for step in ("kernel_start", "execution", "conversion", "total"):
        values = [run[step] for run in runs]
        print(
            f"  {step:<13} {statistics.median(values):6.2f} s"
            f"  ({min(values):.2f}-{max(values):.2f})"
        )
    total = statistics.median(run["total"] for run in runs)
    print(
        f"  reference: papermill on a one-cell notebook {reference:.2f} s;"
        f" the report takes {total / reference:.1f}x that"
    )
    print(f"  HTML {size:.2f} MB, executed notebook {notebook_size:.2f} MB")
    verdict = "meets" if total < TARGET_SECONDS and size < TARGET_MEGABYTES else "MISSES"
    print(f"  {verdict} the targets (< {TARGET_SECONDS:g} s, < {TARGET_MEGABYTES:g} MB HTML)")


if __name__ == "__main__":
    main()
