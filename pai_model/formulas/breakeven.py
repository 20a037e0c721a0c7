"""Break-even between a subscription and pay-as-you-go for one node.

A subscribed node costs ``subscription_price`` per month whatever its use; the same node
on pay-as-you-go costs ``payg_price`` per minute of use. Both cost the same at::

    break_even_minutes = subscription_price / payg_price          [node-minutes per month]
    break_even_utilization = break_even_minutes / (60 x hours_per_month)

Above that use, the subscription is cheaper. A utilization above 1 means pay-as-you-go
is cheaper even running all month.

The month convention is a parameter everywhere: ``hours_per_month=730`` (365 x 24 / 12,
as ec2instances.info and Infracost use) by default; a 30-day calendar month is 720.
"""

# The overloads resolve in order: all scalars, then array-likes, then anything with a
# Series. Each is narrower than the next, so their overlaps are intended (as in numpy's stubs).
# mypy: disable-error-code="overload-overlap"
# pyright: reportOverlappingOverload=false

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

import numpy as np

from pai_model.formulas._numeric import Kind, as_array, check_finite_range, to_float, to_units
from pai_model.formulas.arguments import MAX_MONTHS, MAX_UNIT_PRICE, MINUTE_DECIMALS

if TYPE_CHECKING:
    import pandas as pd

    from pai_model.formulas._numeric import ArrayLike, Numeric, Scalar

HOURS_PER_MONTH = 730.0
#: Named month conventions: hours in one billing month.
MONTH_CONVENTIONS = {
    "730 h (365 x 24 / 12)": 730.0,
    "30-day month (720 h)": 720.0,
    "31-day month (744 h)": 744.0,
    "28-day month (672 h)": 672.0,
}


def _prices(subscription_price: Any, payg_price: Any) -> tuple[np.ndarray, np.ndarray]:
    subscription = to_float(
        as_array(subscription_price, "subscription_price"), "subscription_price"
    )
    payg = to_float(as_array(payg_price, "payg_price"), "payg_price")
    check_finite_range(subscription, "subscription_price", MAX_UNIT_PRICE, positive=True)
    check_finite_range(payg, "payg_price", MAX_UNIT_PRICE, positive=True)
    return subscription, payg


def _hours(hours_per_month: Any) -> np.ndarray:
    hours = to_float(as_array(hours_per_month, "hours_per_month"), "hours_per_month")
    check_finite_range(hours, "hours_per_month", 31 * 24, positive=True)
    return hours


@overload
def break_even_minutes(subscription_price: Scalar, payg_price: Scalar) -> float: ...
@overload
def break_even_minutes(
    subscription_price: Scalar | ArrayLike,
    payg_price: Scalar | ArrayLike,
) -> np.ndarray: ...
@overload
def break_even_minutes(subscription_price: Numeric, payg_price: Numeric) -> pd.Series: ...
def break_even_minutes(subscription_price: Any, payg_price: Any) -> Any:
    r"""Compute the node-minutes per month at which both billing methods cost the same.

    .. math::

        m^* = \frac{\text{subscription price}}{\text{pay-as-you-go price}}

    Parameters
    ----------
    subscription_price : numeric
        Subscription price of one node for one month. [currency/month]
    payg_price : numeric
        Pay-as-you-go price of one node for one minute. [currency/minute]

    Returns
    -------
    numeric
        Break-even use, in the kind of the arguments (a float for scalars, a Series
        with the first Series argument's index, an ndarray otherwise). [minute/month]

    Raises
    ------
    InputError
        For a price that is not finite, not greater than 0 or above 100,000 (named).

    See Also
    --------
    break_even_utilization : The same point as a share of the month.
    break_even_hours_per_day : The same point as hours a day.
    pai_model.formulas.billing.subscription_cost : The bill of a subscription.

    Examples
    --------
    The billing page's gu7xf GU108 offers in China (Ulanqab), paired as the same
    hardware (an assumption): 23,932.70 / 0.73 = 32,784.52... minutes.

    >>> round(break_even_minutes(23932.70, 0.73), 4)
    32784.5205
    """
    kind = Kind(subscription_price, payg_price)
    subscription, payg = _prices(subscription_price, payg_price)
    return kind.wrap(np.asarray(subscription / payg), "break_even_minutes")


@overload
def break_even_utilization(
    subscription_price: Scalar,
    payg_price: Scalar,
    *,
    hours_per_month: Scalar = ...,
) -> float: ...
@overload
def break_even_utilization(
    subscription_price: Scalar | ArrayLike,
    payg_price: Scalar | ArrayLike,
    *,
    hours_per_month: Scalar | ArrayLike = ...,
) -> np.ndarray: ...
@overload
def break_even_utilization(
    subscription_price: Numeric,
    payg_price: Numeric,
    *,
    hours_per_month: Numeric = ...,
) -> pd.Series: ...
def break_even_utilization(
    subscription_price: Any, payg_price: Any, *, hours_per_month: Any = HOURS_PER_MONTH
) -> Any:
    r"""Compute the share of the month a node must run for the subscription to pay off.

    .. math::

        u^* = \frac{\text{subscription price}}{\text{pay-as-you-go price}
              \times 60 \times \text{hours per month}}

    Parameters
    ----------
    subscription_price : numeric
        Subscription price of one node for one month. [currency/month]
    payg_price : numeric
        Pay-as-you-go price of one node for one minute. [currency/minute]
    hours_per_month : numeric, default 730
        The month convention. [hour/month]

    Returns
    -------
    numeric
        Break-even utilization [fraction], in the kind of the arguments; above 1,
        pay-as-you-go always wins.

    Raises
    ------
    InputError
        For a price or a month length out of range (named).

    See Also
    --------
    break_even_minutes : The same point in minutes per month.
    break_even_hours_per_day : The same point as hours a day.
    monthly_minutes : Minutes of use at a daily use, to bill pay-as-you-go.

    Examples
    --------
    32,784.52 minutes of a 43,800-minute month (730 h):

    >>> round(break_even_utilization(23932.70, 0.73), 6)
    0.748505
    """
    kind = Kind(subscription_price, payg_price, hours_per_month)
    subscription, payg = _prices(subscription_price, payg_price)
    hours = _hours(hours_per_month)
    return kind.wrap(np.asarray(subscription / payg / (hours * 60.0)), "break_even_utilization")


@overload
def break_even_hours_per_day(
    subscription_price: Scalar,
    payg_price: Scalar,
    *,
    hours_per_month: Scalar = ...,
) -> float: ...
@overload
def break_even_hours_per_day(
    subscription_price: Scalar | ArrayLike,
    payg_price: Scalar | ArrayLike,
    *,
    hours_per_month: Scalar | ArrayLike = ...,
) -> np.ndarray: ...
@overload
def break_even_hours_per_day(
    subscription_price: Numeric,
    payg_price: Numeric,
    *,
    hours_per_month: Numeric = ...,
) -> pd.Series: ...
def break_even_hours_per_day(
    subscription_price: Any, payg_price: Any, *, hours_per_month: Any = HOURS_PER_MONTH
) -> Any:
    """Compute the daily use at which both billing methods cost the same.

    The break-even utilization of :func:`break_even_utilization` times 24 hours.

    Parameters
    ----------
    subscription_price : numeric
        Subscription price of one node for one month. [currency/month]
    payg_price : numeric
        Pay-as-you-go price of one node for one minute. [currency/minute]
    hours_per_month : numeric, default 730
        The month convention. [hour/month]

    Returns
    -------
    numeric
        Break-even use [hour/day], in the kind of the arguments; above 24,
        pay-as-you-go always wins.

    Raises
    ------
    InputError
        For a price or a month length out of range (named).

    See Also
    --------
    break_even_utilization : The same point as a share of the month.
    break_even_minutes : The same point in minutes per month.

    Examples
    --------
    >>> round(break_even_hours_per_day(23932.70, 0.73), 4)
    17.9641
    """
    utilization = break_even_utilization(
        subscription_price, payg_price, hours_per_month=hours_per_month
    )
    return utilization * 24.0


@overload
def monthly_minutes(
    usage_hours_per_day: Scalar,
    *,
    months: Scalar = ...,
    hours_per_month: Scalar = ...,
) -> float: ...
@overload
def monthly_minutes(
    usage_hours_per_day: Scalar | ArrayLike,
    *,
    months: Scalar | ArrayLike = ...,
    hours_per_month: Scalar | ArrayLike = ...,
) -> np.ndarray: ...
@overload
def monthly_minutes(
    usage_hours_per_day: Numeric,
    *,
    months: Numeric = ...,
    hours_per_month: Numeric = ...,
) -> pd.Series: ...
def monthly_minutes(
    usage_hours_per_day: Any, *, months: Any = 1, hours_per_month: Any = HOURS_PER_MONTH
) -> Any:
    """Compute the minutes of use in ``months`` months at a daily use, to 3 decimals.

    ``usage_hours_per_day x (hours_per_month / 24) days x 60`` per month, rounded to a
    milli-minute so the result can be priced exactly by
    :func:`~pai_model.formulas.billing.payg_cost`, then times whole ``months`` (the product of a
    3-decimal number and a whole number has 3 decimals; rounding the float recovers it).

    Parameters
    ----------
    usage_hours_per_day : numeric
        Hours a node runs per day, 0 to 24. [hour/day]
    months : numeric, default 1
        Whole months of use. [month]
    hours_per_month : numeric, default 730
        The month convention. [hour/month]

    Returns
    -------
    numeric
        Use over the months [minute], in the kind of the arguments.

    Raises
    ------
    InputError
        For a daily use outside 0 to 24 hours, months that are not whole from 0 to
        120, or a month length out of range (named).

    See Also
    --------
    pai_model.formulas.billing.payg_cost : Bill these minutes.
    months_billed : Whole subscription months for a project length.
    break_even_hours_per_day : The daily use at which both methods cost the same.

    Examples
    --------
    >>> monthly_minutes(24), monthly_minutes(8), monthly_minutes(8, hours_per_month=720)
    (43800.0, 14600.0, 14400.0)
    >>> monthly_minutes(7.3, months=12)  # 13,322.5 minutes a month
    159870.0
    """
    kind = Kind(usage_hours_per_day, months, hours_per_month)
    usage = to_float(as_array(usage_hours_per_day, "usage_hours_per_day"), "usage_hours_per_day")
    check_finite_range(usage, "usage_hours_per_day", 24)
    count = to_units(as_array(months, "months"), "months", 0, MAX_MONTHS)
    hours = _hours(hours_per_month)
    per_month = np.round(usage * hours * 2.5, MINUTE_DECIMALS)  # usage/24 x hours x 60
    minutes = np.round(per_month * count, MINUTE_DECIMALS)
    return kind.wrap(np.asarray(minutes), "monthly_minutes")


@overload
def months_billed(days: Scalar, *, hours_per_month: Scalar = ...) -> int: ...
@overload
def months_billed(
    days: Scalar | ArrayLike,
    *,
    hours_per_month: Scalar | ArrayLike = ...,
) -> np.ndarray: ...
@overload
def months_billed(days: Numeric, *, hours_per_month: Numeric = ...) -> pd.Series: ...
def months_billed(days: Any, *, hours_per_month: Any = HOURS_PER_MONTH) -> Any:
    """Compute the whole subscription months needed to cover a project of ``days`` days.

    Subscriptions are bought in whole months, so a project of 31 days under the 730-hour
    convention (30.42 days a month) needs two. The ratio is rounded to 9 decimals before
    the ceiling so that a project of exactly N months is not billed N + 1.

    Parameters
    ----------
    days : numeric
        Length of the project, from 0 to 3,660 days. [day]
    hours_per_month : numeric, default 730
        The month convention. [hour/month]

    Returns
    -------
    numeric
        Whole months [month]: an int for scalar arguments, else an int64 ndarray or a
        Series.

    Raises
    ------
    InputError
        For a length or a month length out of range (named).

    See Also
    --------
    monthly_minutes : Minutes of use over whole months.
    pai_model.formulas.billing.subscription_cost : Bill the months.

    Examples
    --------
    >>> months_billed([1, 30, 30.5, 31, 365])
    array([ 1,  1,  2,  2, 12])
    """
    kind = Kind(days, hours_per_month)
    length = to_float(as_array(days, "days"), "days")
    check_finite_range(length, "days", 10 * 366)
    hours = _hours(hours_per_month)
    months = np.ceil(np.round(length * 24.0 / hours, 9)).astype(np.int64)
    return kind.wrap(np.asarray(months), "months_billed")
