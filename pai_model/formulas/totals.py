"""Totals of money: exact sums of integer minor units, in any order of rows or batches."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def group_sums(
    group: np.ndarray, money: np.ndarray, kind: np.ndarray, kinds: int, out: np.ndarray
) -> None:
    """Add each row's ``money`` (rows x columns, int64) and a count of its ``kind`` to its group.

    ``out`` has one row per group: the money columns, then ``kinds`` counts, then the
    number of rows. Integer sums, so any order of rows or batches gives the same totals.
    """
    columns = money.shape[1]
    for i in range(group.size):
        g = group[i]
        for c in range(columns):
            out[g, c] += money[i, c]
        out[g, columns + kind[i]] += 1
        out[g, columns + kinds] += 1
