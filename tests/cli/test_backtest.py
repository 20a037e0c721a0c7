"""``pai-cost backtest`` of a bill in another currency than the catalog.

The bill is the embedded SYNTHETIC FOCUS sample relabelled CNY (synthetic); the catalog is
the embedded demo catalog (USD).
"""

from __future__ import annotations

import io

import pandas as pd

from pai_model import paths
from pai_model.cli import main


def test_a_cny_bill_is_refused_unless_a_rate_is_given(tmp_path, capsys):
    table = pd.read_csv(
        paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, keep_default_na=False, skiprows=1
    )
    table["BillingCurrency"] = "CNY"
    bills = tmp_path / "cny.csv"
    table.to_csv(bills, index=False)
    assert main(["backtest", str(bills)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost: error: ") and "cny.csv is in CNY" in err
    assert "--fx CNY/USD=" in err
    assert main(["backtest", str(bills), "--fx", "CNY/USD=0.14", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "exchange rate 1 CNY = 0.14 USD" in err
    # the same usage as the USD sample: the folds are the same
    assert main(["backtest", str(paths.SAMPLE_DIR / "focus_sample.csv"), "--format", "csv"]) == 0
    same = capsys.readouterr().out
    assert pd.read_csv(io.StringIO(out)).equals(pd.read_csv(io.StringIO(same)))
