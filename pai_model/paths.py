"""Where the kit's files live: the one module that knows the layout.

The embedded catalogs, samples and notebooks are package data, so an installed kit (a wheel,
``pip install .``) finds them from any folder. Reports are written to ``reports/`` of the
source checkout the kit runs from, or of the current folder when the kit is installed.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: The embedded price catalogs (package data).
CATALOG_DIR = PACKAGE / "data" / "catalogs"
#: The embedded default catalog: documented prices plus illustrative ones, labelled.
DEFAULT_CATALOG = CATALOG_DIR / "demo.csv"
#: Only the offers the billing page documents.
DOCUMENTED_CATALOG = CATALOG_DIR / "documented.csv"
#: Embedded catalogs a ``--catalog`` option may name instead of a file.
CATALOGS = {"demo": DEFAULT_CATALOG, "documented": DOCUMENTED_CATALOG}
#: Small SYNTHETIC usage samples (bills, FOCUS exports), written by tools/make_samples.py.
SAMPLE_DIR = PACKAGE / "data" / "samples"
#: The report notebooks, also served by ``pai-cost app`` (package data).
NOTEBOOK_DIR = PACKAGE / "display" / "notebooks"
#: A Jupyter data folder (for JUPYTER_PATH) holding the dashboard's Voila template.
DASHBOARD_DATA = PACKAGE / "display" / "dashboard"
#: The name of that template (``voila/templates/<name>/`` in :data:`DASHBOARD_DATA`).
DASHBOARD_TEMPLATE = "pai_dashboard"
#: The source checkout the package runs from, or None when it is installed.
CHECKOUT = PACKAGE.parent if (PACKAGE.parent / "pyproject.toml").is_file() else None
#: Where reports are written by default.
REPORT_DIR = (CHECKOUT or Path.cwd()) / "reports"


def catalog_path(catalog: str | Path | None) -> Path | str | None:
    """A ``--catalog`` value as a path: an embedded catalog's name, or the value as given.

    A file of that name in the current folder wins over an embedded catalog.

    Examples
    --------
    >>> catalog_path("documented") == DOCUMENTED_CATALOG
    True
    >>> catalog_path("my_prices.csv")
    'my_prices.csv'
    """
    if isinstance(catalog, str) and catalog in CATALOGS and not Path(catalog).exists():
        return CATALOGS[catalog]
    return catalog
