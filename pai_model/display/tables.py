"""A report's display tables: shown to people in a notebook, or saved as CSV for programs.

Both write money and prices by the one formatter
(:func:`~pai_model.formulas.money_text.money_table`); a table shown is escaped as HTML, so
text from a file shows as the text it is.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from pai_model.formulas.money_text import money_table


def styled(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    """A display table as a notebook shows it: no index, money by the one formatter, escaped.

    >>> html_table = styled(pd.DataFrame({"region": ["<b>x</b>"]})).to_html()
    >>> "&lt;b&gt;x&lt;/b&gt;" in html_table, "<b>x</b>" in html_table
    (True, False)
    """
    return money_table(frame).style.hide(axis="index").format(escape="html")


def export_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Save a table as CSV for programs: money and prices as decimal text at their precision.

    Money and price columns are written by
    :func:`~pai_model.formulas.money_text.money_table` (``0.054``, never
    ``0.054000000000000006``); the file is written whole or not at all
    (:mod:`pai_model.data.files`).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> frame = pd.DataFrame({"payg_price_per_minute": [3.24 / 60], "nodes": [2]})
    >>> print(export_csv(frame, folder / "prices.csv").read_text(), end="")
    payg_price_per_minute,nodes
    0.054,2
    """
    from pai_model.data.files import check_output, replacing

    target = check_output(path, "export_dir")
    shown = money_table(table, grouping=False)
    with replacing(target, "export_dir") as temporary:
        shown.to_csv(temporary, index=False)
    return target
