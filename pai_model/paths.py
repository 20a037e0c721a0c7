"""Where the kit's files live: the one place that knows the repository layout."""

from __future__ import annotations

from pathlib import Path

#: The repository root (the kit is installed in editable mode from a clone).
ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "catalogs"
#: The embedded default catalog: documented prices plus illustrative ones, labelled.
DEFAULT_CATALOG = CATALOG_DIR / "demo.csv"
#: Only the offers the billing page documents.
DOCUMENTED_CATALOG = CATALOG_DIR / "documented.csv"
NOTEBOOK_DIR = ROOT / "notebooks"
#: Small synthetic usage samples (bills, FOCUS exports), made by samples/make_samples.py.
SAMPLE_DIR = ROOT / "samples"
REPORT_DIR = ROOT / "reports"
