"""``pai-cost reconcile`` with a bill in another currency than the catalog, and ``--fx``.

The bill is the embedded SYNTHETIC FOCUS sample with its currency relabelled CNY (a
synthetic bill); the catalog is the embedded demo catalog (USD).
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from pai_model import paths
from pai_model.cli import main


@pytest.fixture(scope="module")
def cny_bill(tmp_path_factory):
    table = pd.read_csv(
        paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, keep_default_na=False, skiprows=1
    )
    table["BillingCurrency"] = "CNY"
    path = tmp_path_factory.mktemp("bills") / "cny_bill.csv"
    table.to_csv(path, index=False)
    return path, table


def test_mixed_currencies_refused_in_one_line(cny_bill, capsys):
    assert main(["reconcile", str(cny_bill[0])]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost: error: ")
    assert "cny_bill.csv is in CNY" in err and "demo.csv is in USD" in err
    assert "--fx CNY/USD=" in err


def test_fx_converts_exactly_and_shows_the_rate(cny_bill, capsys):
    path, table = cny_bill
    argv = ["reconcile", str(path), "--fx", "CNY/USD=0.14", "--by", "line", "--format", "csv"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    lines = pd.read_csv(io.StringIO(out), dtype=str)
    assert set(lines["exchange_rate"]) == {"1 CNY = 0.14 USD"}
    assert "exchange rate 1 CNY = 0.14 USD" in err
    mapped = lines["cause"] != "unmapped"
    assert set(lines.loc[mapped, "currency"]) == {"USD"}
    # each mapped line's ListCost x 0.14, rounded half up to the cent by Python's decimal
    usage = table[table["ChargeCategory"] == "Usage"].reset_index(drop=True)
    expected = [
        str((Decimal(c) * Decimal("0.14")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for c in usage["ListCost"]
    ]
    assert lines.loc[mapped, "billed_list_cost"].tolist() == [
        e for e, m in zip(expected, mapped, strict=True) if m
    ]
    # the first line by hand: 8353.19 CNY x 0.14 = 1169.4466 -> 1169.45 USD
    assert usage.loc[0, "ListCost"] == "8353.19"
    assert lines.loc[0, "billed_list_cost"] == "1169.45"


@pytest.mark.parametrize("rate", ["CNY/USD=1e-1", "CNY/USD=0_14", "CNY/USD=0", "CNY/USD=nan"])
def test_bad_rate_is_one_line_exit_2(cny_bill, rate, capsys):
    assert main(["reconcile", str(cny_bill[0]), "--fx", rate]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pai-cost: error: --fx: ") and "\n" not in err
