"""A report's display tables: shown with money by the one formatter, saved as exact CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model.display.tables import export_csv, styled
from pai_model.errors import InputError


def test_styled_shows_money_with_separators_and_no_index():
    # DOMAIN.md's billing-page example: two GU108 nodes for a month, 2 x 23,932.70 = 47,865.40
    html_table = styled(pd.DataFrame({"amount": [47865.4], "region": ["cn-wulanchabu"]})).to_html()
    assert ">47,865.40</td>" in html_table
    assert "row_heading" not in html_table  # the index is hidden


def test_export_csv_writes_exact_cents_past_float_precision(tmp_path):
    # 1,234,567,890,123,456,789 cents: 12345678901234567.89 units, more digits than a
    # float holds (as a float it is 1.2345678901234568e+16)
    table = pd.DataFrame(
        {"spec": ["a"], "amount": [0.0], "amount_minor": [1_234_567_890_123_456_789]}
    )
    written = export_csv(table, tmp_path / "bill.csv")
    assert written.read_text() == "spec,amount\na,12345678901234567.89\n"


def test_export_csv_refuses_a_folder_before_writing(tmp_path):
    with pytest.raises(InputError, match=r"export_dir: .* is a folder; give a file name"):
        export_csv(pd.DataFrame({"amount": [1.0]}), tmp_path)
    assert list(tmp_path.iterdir()) == []
