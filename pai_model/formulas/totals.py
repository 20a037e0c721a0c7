"""Totals of money: exact sums of integer minor units, at any size, in any order of rows.

Every total the kit shows is summed here: the bill's totals per currency
(:mod:`pai_model.bills.orders`, pandas and Dask), reconciliation sums per spec and month
(:mod:`pai_model.bills.reconcile`, and part by part in
:mod:`pai_model.bills.reconcile_files`), the backtest's folds, a fleet's plans and the
commands' own totals. Amounts arrive as integer minor units (cents, or micro-units of a
bill), each exact; their sum must be exact too, however large.

An int64 sum is exact as long as it cannot pass ``2**63 - 1``. Each function first checks
that bound (the number of values times the largest magnitude) and then sums in int64, the
fast path. When the bound could be passed, each value is split into two 32-bit words,
``value = high * 2**32 + low``; each word is summed in int64 (exact for fewer than
``2**31`` values a pass) and the words are joined in Python integers. Values that are
already Python integers (an amount beyond int64 itself) are summed as Python integers.
Results are int64 where every total fits, else Python ``int`` objects: never a float,
never wrapped around. :func:`minor_to_float` and :func:`minor_to_decimal` turn them into
amounts; :func:`pai_model.formulas.money_text.format_minor` writes them digit for digit.

Examples
--------
100,000 bill lines of the largest subscription the kit prices (100,000 nodes at 100,000
a month for 120 months: 1,200,000,000,000.00 each) total 120,000,000,000,000,000.00,
which is 1.2e19 cents, past int64's 9.2e18:

>>> lines = np.full(100_000, 120_000_000_000_000, dtype=np.int64)  # cents
>>> exact_sum(lines) == 100_000 * 1_200_000_000_000 * 100
True
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numba as nb
import numpy as np
import pandas as pd

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
_WORD = 2**32
#: Most values summed in one pass of 32-bit words (each word sum stays below 2**63).
_PASS = 2**30


def exact_sum(values: Any) -> int:
    """The exact sum of integers (an int64 array, or Python ints) as a Python ``int``.

    >>> exact_sum(np.array([INT64_MAX, INT64_MAX, 2], dtype=np.int64))
    18446744073709551616
    """
    return int(sums_by_group(np.zeros(len(values), dtype=np.int64), values, 1)[0])


def sums_by_group(codes: np.ndarray, values: Any, groups: int) -> np.ndarray:
    """Exact sums of ``values`` per group code ``0 .. groups - 1``.

    Parameters
    ----------
    codes : ndarray of int
        The group of each value.
    values : ndarray of int64, or of Python ints (object)
        The values [minor unit].
    groups : int
        Number of groups.

    Returns
    -------
    ndarray
        int64 when every sum fits, else object (Python ints).

    Examples
    --------
    >>> sums_by_group(np.array([0, 1, 0]), np.array([2**62, 5, 2**62]), 2)
    array([9223372036854775808, 5], dtype=object)
    >>> sums_by_group(np.array([0, 1, 0]), np.array([1, 5, 2]), 2)
    array([3, 5])
    """
    codes = np.asarray(codes, dtype=np.int64)
    values = np.asarray(values)
    if values.dtype == object:
        out = np.zeros(groups, dtype=object)
        for code, value in zip(codes.tolist(), values.tolist(), strict=True):
            out[code] += int(value)
        return fitting(out)
    values = values.astype(np.int64, copy=False)
    if _fits(values):
        out = np.zeros(groups, dtype=np.int64)
        np.add.at(out, codes, values)
        return out
    high = np.zeros(groups, dtype=object)
    low = np.zeros(groups, dtype=object)
    for start in range(0, len(values), _PASS):
        part = values[start : start + _PASS]
        where = codes[start : start + _PASS]
        for total, word in ((high, part >> 32), (low, part & (_WORD - 1))):
            sums = np.zeros(groups, dtype=np.int64)
            np.add.at(sums, where, word)
            total += sums.astype(object)
    return fitting(high * _WORD + low)


def sum_table(
    table: pd.DataFrame, keys: list[str], columns: list[str], *, sort: bool = True
) -> pd.DataFrame:
    """Exact sums of integer ``columns`` per group of ``keys`` (missing keys are a group).

    Columns whose sums cannot pass int64 are summed by pandas in one pass; the others
    by :func:`sums_by_group`. Each result column is int64 where every sum fits, else
    Python ints.

    Examples
    --------
    >>> table = pd.DataFrame({"currency": ["USD", "CNY", "USD"], "cents": [2**62, 7, 2**62]})
    >>> sum_table(table, ["currency"], ["cents"]).values.tolist()
    [['CNY', 7], ['USD', 9223372036854775808]]
    """
    grouped = table.groupby(keys, sort=sort, dropna=False)
    fast = [c for c in columns if table[c].dtype != object and _fits(table[c].to_numpy())]
    result = grouped[fast].sum() if fast else grouped.size().to_frame("_size")[[]]
    result = result.reset_index()
    slow = [c for c in columns if c not in fast]
    if slow:
        codes = grouped.ngroup().to_numpy()
        for column in slow:
            result[column] = sums_by_group(codes, table[column].to_numpy(), len(result))
    return result[[*keys, *columns]]


def fitting(values: np.ndarray) -> np.ndarray:
    """Python integers as int64 when every one fits, else as they are (object)."""
    if all(INT64_MIN <= v <= INT64_MAX for v in values.tolist()):
        return values.astype(np.int64)
    return values


def joined(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Sums of 32-bit words (:func:`group_sums`) joined: ``high * 2**32 + low``, exact."""
    return fitting(np.asarray(high).astype(object) * _WORD + np.asarray(low).astype(object))


def minor_to_float(minor: Any, decimals: int) -> np.ndarray:
    """Minor units (int64 or Python ints) as the float64 nearest to each amount.

    >>> minor_to_float(np.array([15788, -5, 12 * 10**21], dtype=object), 2).tolist()
    [157.88, -0.05, 1.2e+20]
    """
    minor = np.asarray(minor)
    if minor.dtype == object:
        scale = 10**decimals
        return np.array([int(v) / scale for v in minor.tolist()], dtype=np.float64)
    from pai_model.formulas.engine import minor_units_to_float

    minor = minor.astype(np.int64, copy=False)
    nearest = minor_units_to_float(np.abs(minor), decimals)
    return np.where(minor < 0, -nearest, nearest)


def minor_to_decimal(minor: Any, decimals: int) -> Decimal:
    """Minor units as the exact ``Decimal`` amount.

    >>> minor_to_decimal(4786540, 2), minor_to_decimal(10**40 + 1, 2)
    (Decimal('47865.40'), Decimal('100000000000000000000000000000000000000.01'))
    """
    return Decimal(f"{int(minor)}E-{decimals}")  # from text: exact at any size


def _fits(values: np.ndarray) -> bool:
    """Whether no sum of ``values`` can leave int64: count x largest magnitude in bounds."""
    if len(values) == 0:
        return True
    largest = max(abs(int(values.max())), abs(int(values.min())))
    return largest * len(values) <= INT64_MAX


@nb.njit(cache=True)
def group_sums(
    group: np.ndarray,
    money: np.ndarray,
    kind: np.ndarray,
    kinds: int,
    high: np.ndarray,
    low: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Add each row's ``money`` (rows x columns, int64) and a count of its ``kind`` to its group.

    The money is added in two 32-bit words, ``high`` (``value >> 32``) and ``low``
    (``value & (2**32 - 1)``), each groups x columns, exact for fewer than ``2**31``
    rows a call; :func:`joined` gives the totals. ``counts`` has one row per group:
    ``kinds`` counts, then the number of rows. Integer sums, so any order of rows or
    batches gives the same totals.
    """
    columns = money.shape[1]
    for i in range(group.size):
        g = group[i]
        for c in range(columns):
            value = money[i, c]
            high[g, c] += value >> 32
            low[g, c] += value & 0xFFFFFFFF
        counts[g, kind[i]] += 1
        counts[g, kinds] += 1
