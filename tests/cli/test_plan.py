"""``pai-cost plan --held`` with a held file priced in another currency than the catalog.

The held file is the embedded SYNTHETIC subscriptions sample with a CNY price column
added (synthetic); the catalog is the embedded demo catalog (USD).
"""

from __future__ import annotations

import pandas as pd

from pai_model import paths
from pai_model.cli import main


def test_held_file_in_another_currency_refused_unless_a_rate_is_given(tmp_path, capsys):
    held = pd.read_csv(paths.SAMPLE_DIR / "subscriptions_SYNTHETIC.csv", comment="#", dtype=str)
    held["subscription_price_per_month"] = "170000.00"
    held["currency"] = "CNY"
    path = tmp_path / "held.csv"
    held.to_csv(path, index=False)
    argv = ["plan", "synthetic", "--held", str(path), "--scenarios", "0", "--format", "csv"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost: error: ") and "held.csv is in CNY" in err
    assert "demo.csv is in USD" in err and "--fx CNY/USD=" in err
    assert main([*argv, "--fx", "CNY/USD=0.14"]) == 0
    assert "exchange rate 1 CNY = 0.14 USD" in capsys.readouterr().err
