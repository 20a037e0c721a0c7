"""Hypothesis strategies of the decimal arguments of the property tests, and the kinds a
caller gives them as (text, Decimal, int, float)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st


def decimals_of(places: int, low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals with ``places`` decimals from ``low`` to ``high`` (both may be out of bounds)."""
    return st.integers(low * 10**places, high * 10**places).map(
        lambda n: Decimal(n).scaleb(-places)
    )


def as_given(value: Decimal, kind: str):
    """The value as a caller might give it."""
    if kind == "str":
        return str(value)
    if kind == "float":
        return float(value)  # its shortest repr is the same decimal (at most 15 digits)
    if kind == "int" and value == value.to_integral_value():
        return int(value)
    return value


#: The kinds of value a caller gives (``as_given``).
KINDS = st.sampled_from(["str", "Decimal", "float", "int"])
