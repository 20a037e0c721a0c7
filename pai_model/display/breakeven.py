"""A break-even table for people: the report's answer, every offer pair in words, its labels.

The rows are :func:`~pai_model.decisions.comparison.break_even_table`'s; the answer and the
summary are Markdown, :func:`breakeven_display` a display table, and the labels (which
methods can be bought, the pay-as-you-go price in its unit, the year term) are shared with
``pai-cost breakeven``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pai_model.data.methods import LABELS, PAYG
from pai_model.decisions.comparison import payg_bills
from pai_model.display.markdown import escape_markdown, money_markdown
from pai_model.errors import PaiModelError
from pai_model.formulas.breakeven import HOURS_PER_MONTH, monthly_minutes
from pai_model.formulas.engine import bill_amounts, minor_units_to_float
from pai_model.formulas.money_text import format_price


def _pair_bills(
    table: pd.DataFrame, usage_hours_per_day: float, hours_per_month: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: a month's subscription bill, the pay-as-you-go bill of a month at the usage,
    and their difference (exact whole cents, as floats of currency units)."""
    minutes = monthly_minutes(usage_hours_per_day, hours_per_month=hours_per_month)
    sub, sub_cents = bill_amounts(
        table["subscription_price_per_month"].to_numpy(), 1, 1, per_minute=False, minor_units=True
    )
    payg, payg_cents = payg_bills(table, 1, minutes, minor_units=True)
    return sub, payg, minor_units_to_float(np.abs(sub_cents - payg_cents), 2)


def _breakeven_headline(table: pd.DataFrame) -> str:
    """Where a subscription pays off soonest, among the pairs that can be bought both ways.

    A pair one of whose offers cannot be bought now answers nothing: it is never named.
    """
    buyable = table[table["purchasable"].to_numpy(dtype=bool)]
    if buyable.empty:
        return (
            "No offer pair shown can be bought both by subscription and pay-as-you-go now:"
            " there is no choice to make until the offers are in stock."
        )
    soonest = buyable.loc[buyable["break_even_utilization"].idxmin()]
    if soonest["break_even_utilization"] > 1:
        # even the best pair needs more than 24 h/day: no subscription ever pays off
        return "Pay-as-you-go is cheaper at any usage for every offer pair shown."
    return (
        "A subscription pays off soonest in"
        f" **{escape_markdown(soonest['region_name'] or soonest['region_id'])}** for"
        f" {escape_markdown(soonest['hardware'])},"
        f" above {soonest['break_even_hours_per_day']:.2f} h/day."
    )


def breakeven_answer(
    table: pd.DataFrame, *, usage_hours_per_day: float, hours_per_month: float | None = None
) -> str:
    """The break-even report's answer: one paragraph, then a key table (Markdown).

    Only pairs that can be bought both ways now count. The paragraph says where a
    subscription pays off soonest and which method is cheaper at the usage; the table has
    one row per hardware: the region where a subscription pays off soonest, its break-even,
    the cheaper method at the usage and the saving per node-month (exact cents).

    Examples
    --------
    The billing page's GU108 pair at 8 h/day: 0.73 x 14,600 = 10,658.00 USD of
    pay-as-you-go against 23,932.70 USD subscribed, 13,274.70 USD saved.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.comparison import break_even_table
    >>> from pai_model import paths
    >>> table = break_even_table(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> print(breakeven_answer(table, usage_hours_per_day=8).splitlines()[-1])
    | China (Ulanqab) | gu7xf-8xGU108 | 17.96 | pay-as-you-go | 13,274.70 USD | documented |
    """
    if table.empty:
        return "No region offers the same hardware both by subscription and pay-as-you-go."
    hours_per_month = hours_per_month or float(table.attrs.get("hours_per_month", HOURS_PER_MONTH))
    sub, payg, savings = _pair_bills(table, usage_hours_per_day, hours_per_month)
    rows = table.assign(bill_sub=sub, bill_payg=payg, bill_saving=savings)
    buyable = rows[rows["purchasable"].to_numpy(dtype=bool)]
    left_out = len(rows) - len(buyable)
    paragraph = [_breakeven_headline(table)]
    if not buyable.empty:
        subscribe = int((buyable["bill_sub"] < buyable["bill_payg"]).sum())
        paragraph.append(
            f"At {usage_hours_per_day:g} h/day a subscription is cheaper for {subscribe} of the"
            f" {len(buyable)} pairs that can be bought both ways, pay-as-you-go for the rest"
            f" (months of {hours_per_month:g} h, per node)."
        )
    if left_out:
        paragraph.append(
            f"{left_out} pair{'s' if left_out != 1 else ''} with an offer that cannot be bought"
            f" now {'are' if left_out != 1 else 'is'} left out of this answer (column"
            ' "buyable now" of the break-even table).'
        )
    lines = [" ".join(paragraph)]
    if buyable.empty:
        return lines[0]
    best = buyable.loc[buyable.groupby("hardware", sort=True)["break_even_utilization"].idxmin()]
    lines += [
        "",
        f"| region | hardware | break-even [h/day] | cheaper at {usage_hours_per_day:g} h/day"
        " | saving per node-month | prices |",
        "|---|---|---:|---|---:|---|",
    ]
    for row in best.sort_values("break_even_utilization").itertuples(index=False):
        if row.bill_sub < row.bill_payg:
            cheaper = "subscription"
        elif row.bill_payg < row.bill_sub:
            cheaper = "pay-as-you-go"
        else:
            cheaper = "either (same cost)"
        threshold = (
            "never" if row.break_even_utilization > 1 else f"{row.break_even_hours_per_day:.2f}"
        )
        lines.append(
            f"| {escape_markdown(row.region_name or row.region_id)} |"
            f" {escape_markdown(row.hardware)} | {threshold} | {cheaper} |"
            f" {money_markdown(row.bill_saving, row.currency)} |"
            f" {escape_markdown(row.provenance)} |"
        )
    return "\n".join(lines)


def breakeven_summary(
    table: pd.DataFrame,
    *,
    usage_hours_per_day: float,
    hours_per_month: float | None = None,
) -> str:
    r"""For each offer pair: subscribe above X h/day; at the chosen usage, which saves what.

    Savings are per node and month, the difference of two exact bills
    (a subscription for one month, pay-as-you-go for the month's minutes at the usage),
    formed in exact whole cents.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~pai_model.decisions.comparison.break_even_table` rows.
    usage_hours_per_day : float
        Usage to evaluate. [h/day]
    hours_per_month : float or None
        The month convention [h/month]; None takes ``table.attrs["hours_per_month"]``.

    Returns
    -------
    str
        Markdown: a headline naming the pair where a subscription pays off soonest, then
        one bullet per pair, sorted by region and hardware.

    Examples
    --------
    At 8 h/day the billing page's GU108 pair costs 0.73 x 14,600 = 10,658.00 USD a month
    on pay-as-you-go against 23,932.70 USD subscribed: 13,274.70 USD saved.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.comparison import break_even_table
    >>> from pai_model import paths
    >>> table = break_even_table(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> line = breakeven_summary(table, usage_hours_per_day=8).splitlines()[-1]
    >>> print(line.replace(". ", ".\n").replace(" (1", "\n(1").replace(" (7", "\n(7"))
    - **China (Ulanqab)**, gu7xf-8xGU108: subscribe above 17.96 h/day
    (74.9% of the month).
    At 8 h/day pay-as-you-go saves 13,274.70 USD per node-month
    (10,658.00 USD against 23,932.70 USD subscribed).
    """
    if table.empty:
        return "No region offers the same hardware both by subscription and pay-as-you-go."
    hours_per_month = hours_per_month or float(table.attrs.get("hours_per_month", HOURS_PER_MONTH))
    sub, payg, savings = _pair_bills(table, usage_hours_per_day, hours_per_month)
    headline = _breakeven_headline(table)
    lines = [f"{headline} Months of {hours_per_month:g} h; savings are per node and month.", ""]
    buyable = buyable_labels(table).to_numpy()
    for i, row in enumerate(table.itertuples(index=False)):
        flags = [] if row.provenance == "documented" else [f"{row.provenance} prices"]
        if not row.purchasable:
            flags.append(_CANNOT_BUY[buyable[i]])
        flag = f" *({', '.join(flags)})*" if flags else ""
        if row.break_even_utilization > 1:
            threshold = "pay-as-you-go is cheaper even at 24 h/day"
        else:
            threshold = (
                f"subscribe above {row.break_even_hours_per_day:.2f} h/day"
                f" ({row.break_even_utilization:.1%} of the month)"
            )
        saving = savings[i]
        if payg[i] < sub[i]:
            verdict = f"pay-as-you-go saves {money_markdown(saving, row.currency)}"
        elif sub[i] < payg[i]:
            verdict = f"the subscription saves {money_markdown(saving, row.currency)}"
        else:
            verdict = "both cost the same"
        year = ""
        if not pd.isna(row.year_price_per_month):
            year = (
                f" A year term ({format_price(row.year_price_per_month)} {row.currency} a"
                f" month, its price / 12) pays off above {row.year_break_even_hours_per_day:.2f}"
                " h/day, for use that lasts the year."
            )
        lines.append(
            f"- **{escape_markdown(row.region_name or row.region_id)}**,"
            f" {escape_markdown(row.hardware)}{flag}: {threshold}."
            f" At {usage_hours_per_day:g} h/day {verdict} per node-month"
            f" ({money_markdown(payg[i], row.currency)} against"
            f" {money_markdown(sub[i], row.currency)} subscribed).{year}"
        )
    if (table["payg_price_unit"] == "hour").any():
        lines += [
            "",
            "General computing specs are sold by subscription only; their pay-as-you-go"
            " alternative shown is the public resource of the same hardware (DLC/DSW, billed"
            " per minute at the hourly price / 60).",
        ]
    return "\n".join(lines)


def select_pairs(
    table: pd.DataFrame, *, regions: list[str] = (), hardware: list[str] = ()
) -> pd.DataFrame:
    """Rows of a break-even table for some regions and hardware (empty: all).

    Raises
    ------
    PaiModelError
        For a region or hardware the table does not have (naming those it has), or a
        selection with no offer pair.
    """
    for column, wanted in (("region_id", regions), ("hardware", hardware)):
        unknown = sorted(set(wanted) - set(table[column]))
        if unknown:
            raise PaiModelError(
                f"no offer pair with {column} {', '.join(map(repr, unknown))}; known:"
                f" {', '.join(sorted(set(table[column])))}"
            )
    keep = np.ones(len(table), dtype=bool)
    if len(regions):
        keep &= table["region_id"].isin(regions).to_numpy()
    if len(hardware):
        keep &= table["hardware"].isin(hardware).to_numpy()
    selected = table[keep].reset_index(drop=True)
    selected.attrs = dict(table.attrs)
    if selected.empty:
        raise PaiModelError(
            f"no region in {list(regions)} offers any of {list(hardware)} by both methods"
        )
    return selected


#: What a row that cannot be fully bought says, by its :func:`buyable_labels` label.
_CANNOT_BUY = {
    "no": "cannot be bought now",
    "subscription only": "only the subscription can be bought now",
    "pay-as-you-go only": "only pay-as-you-go can be bought now",
}


def buyable_labels(table: pd.DataFrame) -> pd.Series:
    """Per break-even row: which methods can be bought now ("yes" for both).

    >>> buyable_labels(pd.DataFrame({"purchasable": [True, False, False, False],
    ...     "subscription_purchasable": [True, True, False, False],
    ...     "payg_purchasable": [True, False, True, False]})).tolist()
    ['yes', 'subscription only', 'pay-as-you-go only', 'no']
    """
    labels = np.select(
        [table["purchasable"], table["subscription_purchasable"], table["payg_purchasable"]],
        ["yes", "subscription only", "pay-as-you-go only"],
        "no",
    )
    return pd.Series(labels, index=table.index)


def payg_price_labels(table: pd.DataFrame, *, short: bool = False) -> list[str]:
    """Each break-even row's pay-as-you-go price in its own unit: per minute or per hour.

    A public resource's price is shown per hour, as the catalog holds it (its per-minute
    equivalent is not a 6-decimal price).

    >>> payg_price_labels(pd.DataFrame({"payg_price_unit": ["minute", "hour"],
    ...     "payg_price_per_minute": [0.73, 0.01], "payg_price_per_hour": [np.nan, 0.6],
    ...     "currency": "USD"}), short=True)
    ['0.73 USD/min', '0.60 USD/h']
    """
    names = {"minute": "min", "hour": "h"} if short else {"minute": "minute", "hour": "hour"}
    labels = []
    for row in (
        table[["payg_price_unit", "payg_price_per_minute", "payg_price_per_hour"]]
        .join(table["currency"])
        .itertuples(index=False)
    ):
        unit = row.payg_price_unit
        price = row.payg_price_per_hour if unit == "hour" else row.payg_price_per_minute
        labels.append(f"{format_price(price)} {row.currency}/{names[unit]}")
    return labels


def year_labels(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The year term of each break-even row: effective price per month and break-even.

    '-' where the catalog prices no year term.

    >>> year_labels(pd.DataFrame({"year_price_per_month": [22341.170833, np.nan],
    ...     "year_break_even_hours_per_day": [16.77, np.nan], "currency": "USD"}))
    (['22,341.170833 USD/mo', '-'], ['16.77', '-'])
    """
    prices = [
        "-" if pd.isna(p) else f"{format_price(p)} {c}/mo"
        for p, c in zip(table["year_price_per_month"], table["currency"], strict=True)
    ]
    hours = ["-" if pd.isna(h) else f"{h:.2f}" for h in table["year_break_even_hours_per_day"]]
    return prices, hours


def breakeven_display(table: pd.DataFrame) -> pd.DataFrame:
    """A break-even table with readable column names and units, for people.

    The month term, then the year term where the catalog prices one (its price / 12 and
    its break-even, '-' where none), so the table is the term comparison too.
    """
    year_price, year_hours = year_labels(table)
    return pd.DataFrame(
        {
            "region": table["region_name"].where(table["region_name"] != "", table["region_id"]),
            "hardware": table["hardware"],
            # every decimal of a catalog price (up to 6), not a rounded view of it
            "subscription [/month]": [
                f"{format_price(p)} {c}"
                for p, c in zip(
                    table["subscription_price_per_month"], table["currency"], strict=True
                )
            ],
            LABELS[PAYG]: payg_price_labels(table),
            "break-even [h/day]": table["break_even_hours_per_day"].map("{:.2f}".format),
            "break-even utilization": table["break_even_utilization"].map("{:.1%}".format),
            "year term [/month, year / 12]": year_price,
            "year break-even [h/day]": year_hours,
            "buyable now": buyable_labels(table),
            "prices": table["provenance"],
        }
    )
