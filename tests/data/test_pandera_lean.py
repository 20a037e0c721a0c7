"""Reading a catalog imports only what it uses: no dask, hypothesis or playwright.

Each check runs in a fresh interpreter (this one has imported them all for other tests).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("dask", "distributed", "hypothesis", "playwright")


def imported_after(code: str) -> list[str]:
    check = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=True
    )
    return eval(result.stdout.strip().splitlines()[-1])  # a list of module names


@pytest.mark.parametrize(
    "code",
    [
        "import pai_model",
        "import pai_model.data.catalog, pai_model.data.schemas",
        # building the models and validating a table: pandera's own lookups happen here
        "import pai_model; pai_model.read_catalog()",
        "import pai_model; pai_model.price_order('cn-wulanchabu', 'ml.gu7xf.8xlarge-gu108', 1,"
        " minutes=45)",
        "import pai_model.data.focus_schema, pai_model.bills.focus_export",
    ],
)
def test_nothing_heavy_is_imported(code):
    assert imported_after(code) == []


def test_dask_and_hypothesis_still_import_afterwards():
    code = (
        "import pai_model; pai_model.read_catalog()\n"
        "import dask.dataframe, hypothesis.strategies\n"
        "import pandas as pd\n"
        "frame = dask.dataframe.from_pandas(pd.DataFrame({'a': [1, 2, 3]}), npartitions=2)\n"
        "assert int(frame['a'].sum().compute()) == 6"
    )
    assert {"dask", "hypothesis"} <= set(imported_after(code))
