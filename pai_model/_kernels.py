"""Compiled loops behind :mod:`pai_model.billing`: one pass per bill, exact integers.

numba compiles these on first use and caches the machine code beside this file, so a
bill over ten million rows reads each input once and writes each output once, instead
of the thirty array passes the same integer arithmetic costs in numpy. The method is
described in :mod:`pai_model.billing`; this module only makes it fast.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

PRICE_SCALE = 1_000_000.0  # prices are read in micro-units
#: Error codes written to ``codes`` for a bad element (0: fine).
PRICE_RANGE, PRICE_PRECISION, QUANTITY_RANGE, QUANTITY_WHOLE = 1, 2, 3, 4
DURATION_RANGE, DURATION_PRECISION, TOO_LARGE = 5, 6, 7
#: Rounding modes.
HALF_UP, HALF_EVEN, UNROUNDED = 0, 1, 2
_EXACT = 2**53
_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)
_LIMIT = 9.0e18  # below the int64 maximum (9.22e18), with room for the carry and rounding


@nb.njit(cache=True)
def nearest_float(minor: int, decimals: int, scale: float) -> float:
    """The float64 nearest to ``minor / 10**decimals`` for ``minor >= 0``.

    Below ``2**53`` IEEE division of two exact doubles rounds once. Above it, dividing
    by ``5**decimals`` is done in integers on a value shifted to at least 56 significant
    bits, with a sticky bit for any remainder, so the one int-to-float conversion rounds
    as the real quotient would; ``2**decimals`` is then applied exactly by ``ldexp``.
    ``scale`` is ``10.0**decimals``, computed once by the caller.
    """
    if minor < _EXACT or decimals == 0:
        return minor / scale
    five = 5**decimals
    whole = minor // five
    rest = minor - whole * five
    bits = 0
    probe = whole
    while probe > 0:
        probe >>= 1
        bits += 1
    shift = max(0, 57 - bits)
    shifted_rest = rest << shift
    scaled = (whole << shift) + shifted_rest // five
    sticky = 1 if shifted_rest % five != 0 else 0
    return math.ldexp(float(scaled * 2 + sticky), -(shift + 1 + decimals))


@nb.njit(parallel=True, cache=True)
def minor_to_float(minor: np.ndarray, decimals: int, out: np.ndarray) -> None:
    scale = 10.0**decimals
    for i in nb.prange(minor.size):
        out[i] = nearest_float(minor[i], decimals, scale)


@nb.njit(inline="always")
def _divmod(x: int, divisor: int, inverse: float) -> tuple[int, int]:
    """``divmod(x, divisor)`` for ``0 <= x < 2**63`` without an integer division.

    The float estimate of the quotient is off by at most a few units (three roundings of
    relative size 2**-53); integer corrections make it exact. Multiplications vectorise
    and pipeline where a 64-bit division by a run-time divisor stalls for ~40 cycles.
    """
    quotient = np.int64(float(x) * inverse)
    rest = x - quotient * divisor
    while rest < 0:
        quotient -= 1
        rest += divisor
    while rest >= divisor:
        quotient += 1
        rest -= divisor
    return quotient, rest


@nb.njit(parallel=True, cache=True)
def bill(
    price: np.ndarray,
    quantity: np.ndarray,
    duration: np.ndarray,
    price_max: float,
    quantity_max: float,
    duration_scale: float,
    duration_max: float,
    exponent: int,
    decimals: int,
    mode: int,
    amounts: np.ndarray,
    minor: np.ndarray,
    codes: np.ndarray,
) -> int:
    """Bill every row; return the number of bad rows (their codes are in ``codes``).

    ``price``, ``quantity`` and ``duration`` have length 1 (broadcast) or ``amounts.size``.
    The exact amount in units of ``10**-(6 + log10(duration_scale))`` is divided by
    ``10**exponent`` and rounded by ``mode`` to minor units of ``10**-decimals``.
    """
    n = amounts.size
    keep_minor = minor.size > 0
    bad = 0
    # a length-1 argument is broadcast: its stride is 0
    p_step = np.int64(price.size > 1)
    q_step = np.int64(quantity.size > 1)
    d_step = np.int64(duration.size > 1)
    divisor = _POW10[exponent]
    scale = 10.0**decimals
    unrounded_scale = float(divisor)
    inverse = 1.0 / unrounded_scale
    for i in nb.prange(n):
        p = float(price[i * p_step])
        q = float(quantity[i * q_step])
        d = float(duration[i * d_step])
        code = 0
        price_units = np.rint(p * PRICE_SCALE)
        duration_units = np.rint(d * duration_scale)
        if not (p >= 0.0 and p <= price_max):
            code = PRICE_RANGE
        elif price_units / PRICE_SCALE != p:
            code = PRICE_PRECISION
        elif not (q >= 0.0 and q <= quantity_max):
            code = QUANTITY_RANGE
        elif math.floor(q) != q:
            code = QUANTITY_WHOLE
        elif not (d >= 0.0 and d <= duration_max):
            code = DURATION_RANGE
        elif duration_units / duration_scale != d:
            code = DURATION_PRECISION
        elif price_units * q * inverse * duration_units >= _LIMIT:
            code = TOO_LARGE
        if code == 0:
            per_unit = np.int64(price_units) * np.int64(q)  # <= 1e11 x 1e5
            high, low = _divmod(per_unit, divisor, inverse)
            units = np.int64(duration_units)
            carry, rest = _divmod(low * units, divisor, inverse)  # < 1e9 x 5.3e9
            whole = high * units + carry
            if mode == UNROUNDED:
                amounts[i] = whole + rest / unrounded_scale
            else:
                twice = 2 * rest
                if twice > divisor or (twice == divisor and (mode == HALF_UP or whole % 2 == 1)):
                    whole += 1
                amounts[i] = nearest_float(whole, decimals, scale)
                if keep_minor:
                    minor[i] = whole
        else:
            codes[i] = code
            amounts[i] = np.nan
            bad += 1
    return bad
