"""Compiled loops behind :mod:`pai_model.formulas.billing`: one pass per bill, exact integers.

numba compiles these on first use and caches the machine code beside this file, so a
bill over ten million rows reads each input once and writes each output once, instead
of the thirty array passes the same integer arithmetic costs in numpy. The method is
described in :mod:`pai_model.formulas.billing`; this module only makes it fast.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

# Error codes written to ``codes`` for a bad element (0: fine), shared with the scalar
# bill of :mod:`pai_model.formulas.exact`, which checks in the same order.
from pai_model.formulas.arguments import (
    DURATION_PRECISION,
    DURATION_RANGE,
    PRICE_PRECISION,
    PRICE_RANGE,
    QUANTITY_RANGE,
    QUANTITY_WHOLE,
)

PRICE_SCALE = 1_000_000.0  # prices are read in micro-units
_EXACT = 2**53
#: Significant bits that make one int-to-float conversion round as the exact value would.
_WIDE = 2**55
_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)


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


@nb.njit(cache=True)
def nearest_quotient(whole: int, rest: int, denominator: int) -> float:
    """The float64 nearest to ``whole + rest / denominator`` (``0 <= rest < denominator``).

    The unrounded bill: one rounding of the exact amount, never two. From ``2**53`` on,
    doubles are at least 2 apart and every halfway point is a whole number, so the
    fraction only tells which side of ``whole`` the amount lies (``2 whole + 1``, halved,
    rounds the same). Below it the fraction is expanded into quotient bits by long
    division until there are at least 56 significant bits, a sticky bit stands for what
    is left, and one conversion rounds. ``denominator`` is below ``2**37`` (``10**9``
    times 60 at most), so ``rest`` shifted by 26 bits stays within int64.
    """
    if rest == 0:
        return float(whole)
    if whole >= _EXACT:
        return float(2 * whole + 1) * 0.5
    acc = whole
    rem = rest
    shift = 0
    while rem != 0 and acc < _WIDE:
        bits = 0
        probe = acc
        while probe > 0:
            probe >>= 1
            bits += 1
        step = min(26, 56 - bits)
        rem <<= step
        acc = (acc << step) + rem // denominator
        rem %= denominator
        shift += step
    return math.ldexp(float(acc | (1 if rem != 0 else 0)), -shift)


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


@nb.njit(inline="always")
def _divmod_pow10(x: int, divisor: int, inverse: float) -> tuple[int, int]:
    """``divmod(x, divisor)`` with literal divisors for bills to the cent.

    Pay-as-you-go to the cent divides by 10**7 and subscriptions by 10**4; a literal
    divisor compiles to a multiply-and-shift, about twice as fast as :func:`_divmod`.
    """
    if divisor == 10_000_000:
        quotient = np.int64(np.uint64(x) // np.uint64(10_000_000))
        return quotient, x - quotient * 10_000_000
    if divisor == 10_000:
        quotient = np.int64(np.uint64(x) // np.uint64(10_000))
        return quotient, x - quotient * 10_000
    return _divmod(x, divisor, inverse)


@nb.njit(inline="always")
def _exact_row(
    p: float,
    q: float,
    d: float,
    price_max: float,
    quantity_max: float,
    duration_scale: float,
    duration_max: float,
    divisor: int,
    inverse: float,
) -> tuple[int, int, int]:
    """(error code, quotient, remainder) of ``p x q x d`` in price-duration units by ``divisor``."""
    price_units = np.rint(p * PRICE_SCALE)
    duration_units = np.rint(d * duration_scale)
    code = 0
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
    if code != 0:
        return code, 0, 0
    per_unit = np.int64(price_units) * np.int64(q)  # <= 1e11 x 1e5
    high, low = _divmod_pow10(per_unit, divisor, inverse)
    units = np.int64(duration_units)
    carry, rest = _divmod_pow10(low * units, divisor, inverse)  # < 1e9 x 5.3e9
    return 0, high * units + carry, rest


@nb.njit(inline="always")
def _per_price_unit(whole: int, rest: int, divisor: int, per: int) -> tuple[int, int]:
    """(quotient, remainder) of ``(whole x divisor + rest) / per`` in units of ``divisor x per``.

    For a price per hour billed per minute (``per`` = 60): the exact product was divided
    by ``divisor`` and is now divided by 60 as well, so the bill is still one rational
    rounded once. The remainder stays below ``60 x divisor`` (at most 6e10).
    """
    if per == 1:
        return whole, rest
    quotient = whole // per
    return quotient, (whole - quotient * per) * divisor + rest


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
    per: int,
    decimals: int,
    half_even: bool,
    amounts: np.ndarray,
    minor: np.ndarray,
    codes: np.ndarray,
) -> int:
    """Bill every row, rounded once; return the number of bad rows (codes in ``codes``).

    ``price``, ``quantity`` and ``duration`` have length 1 (broadcast) or ``amounts.size``.
    The exact amount in units of ``10**-(6 + log10(duration_scale))`` is divided by
    ``10**exponent x per`` (``per``: duration units per price unit, 60 for a price per
    hour billed per minute, else 1) and rounded half up (or half even) to minor units of
    ``10**-decimals``, written to ``minor`` too when it is not empty.
    """
    keep_minor = minor.size > 0
    p_step, q_step, d_step = _steps(price, quantity, duration)
    divisor = _POW10[exponent]
    inverse = 1.0 / divisor
    full = divisor * per
    scale = 10.0**decimals
    half_up = np.int64(not half_even)
    bad = 0
    for i in nb.prange(amounts.size):
        code, whole, rest = _exact_row(
            float(price[i * p_step]),
            float(quantity[i * q_step]),
            float(duration[i * d_step]),
            price_max,
            quantity_max,
            duration_scale,
            duration_max,
            divisor,
            inverse,
        )
        if code == 0:
            whole, rest = _per_price_unit(whole, rest, divisor, per)
            twice = 2 * rest
            # branch-free rounding: up above half, and at half when half up or when odd
            whole += np.int64(twice > full) | (np.int64(twice == full) & (half_up | (whole & 1)))
            amounts[i] = nearest_float(whole, decimals, scale)
            if keep_minor:
                minor[i] = whole
        else:
            codes[i] = code
            amounts[i] = np.nan
            bad += 1
    return bad


@nb.njit(parallel=True, cache=True)
def bill_unrounded(
    price: np.ndarray,
    quantity: np.ndarray,
    duration: np.ndarray,
    price_max: float,
    quantity_max: float,
    duration_scale: float,
    duration_max: float,
    exponent: int,
    per: int,
    amounts: np.ndarray,
    codes: np.ndarray,
) -> int:
    """As :func:`bill` with no rounding: the float64 nearest to the exact amount.

    A loop of its own rather than a mode flag in :func:`bill`: a run-time rounding-mode
    branch inside the hot loop measured 2.5x slower; the row arithmetic is shared
    through :func:`_exact_row`.
    """
    p_step, q_step, d_step = _steps(price, quantity, duration)
    divisor = _POW10[exponent]
    inverse = 1.0 / divisor
    full = divisor * per
    bad = 0
    for i in nb.prange(amounts.size):
        code, whole, rest = _exact_row(
            float(price[i * p_step]),
            float(quantity[i * q_step]),
            float(duration[i * d_step]),
            price_max,
            quantity_max,
            duration_scale,
            duration_max,
            divisor,
            inverse,
        )
        if code == 0:
            whole, rest = _per_price_unit(whole, rest, divisor, per)
            amounts[i] = nearest_quotient(whole, rest, full)
        else:
            codes[i] = code
            amounts[i] = np.nan
            bad += 1
    return bad


@nb.njit(inline="always")
def _steps(price: np.ndarray, quantity: np.ndarray, duration: np.ndarray) -> tuple[int, int, int]:
    # a length-1 argument is broadcast: its stride is 0
    return np.int64(price.size > 1), np.int64(quantity.size > 1), np.int64(duration.size > 1)
