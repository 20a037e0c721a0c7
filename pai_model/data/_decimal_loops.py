"""Compiled loops that read decimal text from Arrow's string buffers (numba).

Private to :mod:`pai_model.data.decimals`, which loads this module only when a column is
read with them, so reading a small table (a catalog, on a quote's cold start) does not
load numba.
"""

from __future__ import annotations

import numba as nb
import numpy as np

#: ``status`` of a value: read here, missing, or left to Arrow.
READ, MISSING, OTHER = 0, 1, 2
_MAX_DIGITS = 18
_EXACT = 2**53
_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)


@nb.njit(parallel=True, cache=True)
def parse(
    offsets: np.ndarray,
    data: np.ndarray,
    valid: np.ndarray,
    mantissa: np.ndarray,
    places: np.ndarray,
    status: np.ndarray,
) -> None:
    """Read value ``i`` (bytes ``offsets[i]:offsets[i + 1]``) as ``mantissa / 10**places``.

    ``valid`` has length 0 (no missing values) or one flag a value. ``status`` gets
    :data:`READ`, :data:`MISSING` or :data:`OTHER` (a form these loops do not read).
    """
    check = valid.size > 0
    for i in nb.prange(mantissa.size):
        mantissa[i] = 0
        places[i] = 0
        if check and not valid[i]:
            status[i] = MISSING
            continue
        j = offsets[i]
        end = offsets[i + 1]
        negative = j < end and data[j] == 45  # "-"
        if negative:
            j += 1
        value = 0
        digits = 0
        whole = 0  # digits before the point
        point = False
        good = j < end
        while j < end:
            c = data[j]
            if 48 <= c <= 57:
                if digits == _MAX_DIGITS:
                    good = False
                    break
                value = value * 10 + (c - 48)
                digits += 1
            elif c == 46 and not point and digits > 0:  # "."
                point = True
                whole = digits
            else:
                good = False
                break
            j += 1
        if (point and digits == whole) or (negative and value == 0):  # "5.", "-0": Arrow's
            good = False
        if not good:
            status[i] = OTHER
            continue
        mantissa[i] = -value if negative else value
        places[i] = digits - whole if point else 0
        status[i] = READ


@nb.njit(parallel=True, cache=True)
def to_units(
    mantissa: np.ndarray,
    places: np.ndarray,
    status: np.ndarray,
    decimals: int,
    most_places: int,
    out: np.ndarray,
) -> None:
    """Values as int64 units of ``10**-decimals``, ties away from zero (missing: 0).

    A value of ``10**(18 - decimals)`` units or more, or of more than ``most_places``
    decimal places, is flagged :data:`OTHER` for Arrow.
    """
    for i in nb.prange(out.size):
        out[i] = 0
        if status[i] != READ:
            continue
        m = mantissa[i]
        size = -m if m < 0 else m
        p = places[i]
        if p > most_places:
            status[i] = OTHER
            continue
        if p > decimals:
            divisor = _POW10[p - decimals]
            whole = size // divisor
            if 2 * (size - whole * divisor) >= divisor:
                whole += 1
        elif size < _POW10[18 - decimals + p]:
            whole = size * _POW10[decimals - p]
        else:
            status[i] = OTHER
            continue
        out[i] = -whole if m < 0 else whole


@nb.njit(parallel=True, cache=True)
def to_float(mantissa: np.ndarray, places: np.ndarray, status: np.ndarray, out: np.ndarray) -> None:
    """Values as the nearest float64 (missing: NaN); beyond ``2**53`` flagged for Arrow.

    Below ``2**53`` the mantissa and ``10**places`` (``places <= 18``) are exact doubles,
    so one IEEE division rounds once, as Arrow's correctly rounded reader does.
    """
    for i in nb.prange(out.size):
        if status[i] == MISSING:
            out[i] = np.nan
            continue
        out[i] = 0.0
        if status[i] != READ:
            continue
        m = mantissa[i]
        size = -m if m < 0 else m
        if size >= _EXACT:
            status[i] = OTHER
            continue
        value = size / (10.0 ** places[i])
        out[i] = -value if m < 0 else value
