"""Write the committed usage samples: small, seeded and SYNTHETIC (made up, not real bills).

    .venv/bin/python tools/make_samples.py

- ``focus_sample.csv``: an Alibaba-style FOCUS 1.0 export of 4 months of the kit's
  synthetic usage of two Lingjun pairs, billed at the demo catalog's pay-as-you-go
  prices with the differences a reconciliation should find (see
  :mod:`pai_model.data.synthetic_bills`);
- ``focus_sample.csv.gz`` and ``focus_sample.parquet``: the same rows, gzipped and as
  Parquet.

A test checks that the committed files are what this script writes.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.data.synthetic import synthetic_jobs
from pai_model.data.synthetic_bills import synthetic_focus

PAIRS = (("cn-wulanchabu", "gu7xf-8xGU108"), ("ap-southeast-1", "gu7xf-8xGU108"))
HEADER = (
    "# SYNTHETIC sample: a made-up Alibaba Cloud FOCUS 1.0 export written by"
    " tools/make_samples.py (seeded), not a real bill\n"
)


def sample_text() -> str:
    """The CSV sample as text."""
    jobs = synthetic_jobs(
        PAIRS, days=120, start="2026-01-05", seed=7, jobs_per_day=3.0, service_nodes=(1, 3)
    )
    rows = synthetic_focus(jobs, read_catalog(paths.DEFAULT_CATALOG))
    return HEADER + rows.to_csv(index=False, lineterminator="\n")


def main(folder: Path = paths.SAMPLE_DIR) -> None:
    import pandas as pd

    text = sample_text()
    (folder / "focus_sample.csv").write_text(text, encoding="utf-8")
    with gzip.GzipFile(folder / "focus_sample.csv.gz", "wb", mtime=0) as file:
        file.write(text.encode("utf-8"))
    frame = pd.read_csv(io.StringIO(text), comment="#", dtype=str)
    frame.to_parquet(folder / "focus_sample.parquet", index=False)


if __name__ == "__main__":
    main()
