"""FOCUS values that are not what they look like are refused, naming column and value.

The rows are the embedded SYNTHETIC FOCUS sample with one cell changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import paths
from pai_model.cli import main
from pai_model.data.focus import read_focus
from pai_model.errors import FocusDeviationWarning, UsageError


def _sample(rows: int = 3) -> pd.DataFrame:
    return pd.read_csv(
        paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, keep_default_na=False, skiprows=1
    ).head(rows)


@pytest.mark.parametrize("column", ["PricingQuantity", "ListCost", "BilledCost", "ListUnitPrice"])
@pytest.mark.parametrize("value", ["1e400", "-1e400", "1E+309"])
def test_a_number_beyond_any_double_is_refused(tmp_path, column, value):
    if column == "ListUnitPrice" and value.startswith("-"):
        value = value[1:]  # a negative unit price is refused by its own rule
    table = _sample()
    table.loc[0, column] = value
    path = tmp_path / "bill.csv"
    table.to_csv(path, index=False)
    with pytest.raises(UsageError) as error:
        read_focus(path)
    assert error.value.messages == [
        f"{path}: line 2: {column} = '{value}': beyond any finite number (its exponent"
        " overflows a double, e.g. 1e400)"
    ]


def test_largest_double_and_tiny_exponents_still_read(tmp_path):
    table = _sample()
    table.loc[0, "PricingQuantity"] = "1.7e308"  # below the largest double, 1.797e308
    table.loc[1, "ListCost"] = "2.5e-3"
    path = tmp_path / "bill.csv"
    table.to_csv(path, index=False)
    with pytest.warns(FocusDeviationWarning):  # Alibaba's null ContractedCost, as sampled
        rows = read_focus(path)
    assert rows.loc[0, "PricingQuantity"] == "1.7e308"
    assert rows.loc[1, "ListCost"] == "2.5e-3"


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "4_5", "٤٥"])
def test_nan_and_other_non_decimals_refused(tmp_path, value):
    table = _sample()
    table.loc[0, "PricingQuantity"] = value
    path = tmp_path / "bill.csv"
    table.to_csv(path, index=False)
    with pytest.raises(UsageError, match=f"PricingQuantity = '{value}': not a decimal number"):
        read_focus(path)


def test_nan_and_infinity_in_parquet_refused(tmp_path):
    table = _sample()
    table["PricingQuantity"] = [np.nan, np.inf, 1.0]  # floats, as a Parquet writer keeps them
    path = tmp_path / "bill.parquet"
    table.to_parquet(path)
    with pytest.raises(UsageError) as error:
        read_focus(path)
    messages = "\n".join(error.value.messages)
    assert "line 2: PricingQuantity = '': empty on a Usage or Purchase row" in messages
    assert "line 3: PricingQuantity = 'inf': not a decimal number" in messages


def test_reconcile_command_refuses_in_one_line_each(tmp_path, capsys):
    table = _sample()
    table.loc[0, "PricingQuantity"] = "1e400"
    path = tmp_path / "bill.csv"
    table.to_csv(path, index=False)
    assert main(["reconcile", str(path)]) == 2
    err = capsys.readouterr().err
    assert "pai-cost: error: " in err and "PricingQuantity = '1e400'" in err
    assert "Traceback" not in err
