"""Text and tables for reports: where prices come from, and what the tables say, in words.

The report notebooks stay thin: each cell is one call to a function here, to
:mod:`pai_model.decisions.comparison` or to :mod:`pai_model.display.plotting`. The text functions
return
Markdown (``display(Markdown(...))``), so the wording is tested without a kernel.

Reports are mailed and archived, so every string that comes from a file or a parameter
(region names, sources, notes, hardware keys, titles) is escaped on its way into Markdown
(:func:`escape_markdown`) or an HTML table (:func:`styled`): it shows as the text it is and
never runs as markup or script.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pai_model.data.catalog import ACCOUNT, ILLUSTRATIVE, provenance_of
from pai_model.data.freshness import MAX_AGE_DAYS
from pai_model.data.methods import LABELS, PAYG, SUBSCRIPTION
from pai_model.decisions.comparison import payg_bills
from pai_model.decisions.fleet import FleetPlan
from pai_model.errors import PaiModelError
from pai_model.formulas.breakeven import HOURS_PER_MONTH, monthly_minutes
from pai_model.formulas.engine import bill_amounts, minor_units_to_float
from pai_model.formulas.money_text import format_money, format_price, money_table
from pai_model.formulas.terms import months_to_cover, subscription_end, timestamps

ILLUSTRATIVE_WARNING = (
    "**Illustrative prices** are made up for demonstration (derived from the documented"
    " prices with stated regional factors); they are not Alibaba Cloud prices. Check the"
    " console before deciding."
)


#: Markdown punctuation that could start emphasis, links, code, tables or headings.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}#|~!])")
#: Text starting with "-", "+" or "1." would start a list, with "=" an underline heading.
_LEADING = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def escape_markdown(value: object) -> str:
    r"""Text from a file or parameter as literal Markdown: shown as it is, never run.

    HTML special characters become entities, Markdown punctuation is backslashed and line
    breaks become spaces, so a region named ``<img src=x onerror=alert(1)>`` is shown as
    that text, not loaded as an image.

    Examples
    --------
    >>> print(escape_markdown("<img src=x onerror=alert(1)>"))
    &lt;img src=x onerror=alert(1)&gt;
    >>> print(escape_markdown("*bold* [link](javascript:x) `code` # 1. done"))
    \*bold\* \[link\](javascript:x) \`code\` \# 1. done
    >>> print(escape_markdown("- not a list\n# nor a heading"))
    \- not a list \# nor a heading
    """
    text = html.escape(str(value), quote=False).replace("\r", " ").replace("\n", " ")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _LEADING.sub(r"\1\\\2", text)


def styled(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    """A display table as a notebook shows it: no index, money by the one formatter, escaped.

    >>> html_table = styled(pd.DataFrame({"region": ["<b>x</b>"]})).to_html()
    >>> "&lt;b&gt;x&lt;/b&gt;" in html_table, "<b>x</b>" in html_table
    (True, False)
    """
    return money_table(frame).style.hide(axis="index").format(escape="html")


def heading(title: str, facts: Mapping[str, object] = ()) -> str:
    """A report's Markdown heading: the title, then facts such as the catalog's file name.

    >>> print(heading("Break-even <by region>", {"Catalog": "demo_1.csv"}), end="")
    # Break-even &lt;by region&gt;
    <BLANKLINE>
    Catalog: demo\\_1.csv.
    <BLANKLINE>
    """
    lines = [f"# {escape_markdown(title)}", ""]
    facts = dict(facts)
    if facts:
        lines.append(" ".join(f"{k}: {escape_markdown(v)}." for k, v in facts.items()))
    return "\n".join(lines) + "\n\n"


#: The id of the element that holds a report's answer (tests and readers find it by it).
ANSWER_ID = "answer"


def answer_block(markdown: str) -> str:
    """Markdown wrapped in the report's answer element, ``<div id="answer">``.

    The blank lines keep the Markdown inside parsed as Markdown (CommonMark ends an HTML
    block at a blank line).

    >>> print(answer_block("**Buy 2 nodes**"))
    <div id="answer">
    <BLANKLINE>
    **Buy 2 nodes**
    <BLANKLINE>
    </div>
    <BLANKLINE>
    """
    return f'<div id="{ANSWER_ID}">\n\n{markdown.strip()}\n\n</div>\n'


def notes_block(markdown: str, summary: str = "Notes and assumptions") -> str:
    """Markdown collapsed under a ``<details>`` summary, for the end of a report.

    >>> print(notes_block("- Horizon: 1 month"))
    <details><summary>Notes and assumptions</summary>
    <BLANKLINE>
    - Horizon: 1 month
    <BLANKLINE>
    </details>
    <BLANKLINE>
    """
    summary = html.escape(summary, quote=False)
    return f"<details><summary>{summary}</summary>\n\n{markdown.strip()}\n\n</details>\n"


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


def pair_prices(pair: Mapping[str, object]) -> str:
    """Both unit prices of a break-even row at the catalog's full precision, as plain text.

    >>> print(pair_prices({"subscription_price_per_month": 1000.123456, "currency": "USD",
    ...                    "payg_price_per_minute": 0.73, "provenance": "documented"}))
    1,000.123456 USD/month against 0.73 USD/minute (documented prices)
    """
    currency = pair["currency"]
    return (
        f"{format_price(pair['subscription_price_per_month'])} {currency}/month against"
        f" {format_price(pair['payg_price_per_minute'])} {currency}/minute"
        f" ({pair['provenance']} prices)"
    )


def _money(amount: float, currency: str) -> str:
    return f"{format_money(amount)} {escape_markdown(currency)}"


def _date(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def price_sources(table: pd.DataFrame) -> pd.DataFrame:
    """Every price source a break-even table uses, with its date and how many prices.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~pai_model.decisions.comparison.break_even_table` rows.

    Returns
    -------
    pandas.DataFrame
        ``provenance`` ("documented", "account" or "illustrative"), ``source``, ``as_of``
        (date text) and ``prices`` (count of prices from it), documented first.
    """
    parts = [
        pd.DataFrame({"source": table[f"{m}_source"], "as_of": table[f"{m}_as_of"]})
        for m in ("subscription", "payg")
    ]
    prices = pd.concat(parts, ignore_index=True)
    prices["as_of"] = prices["as_of"].map(_date)
    prices["provenance"] = provenance_of(prices["source"])
    out = (
        prices.groupby(["provenance", "source", "as_of"], sort=True)
        .size()
        .rename("prices")
        .reset_index()
    )
    return out[["provenance", "source", "as_of", "prices"]]


def provenance_markdown(
    table: pd.DataFrame, *, max_age_days: int = MAX_AGE_DAYS, today: date | None = None
) -> str:
    """Markdown telling documented and illustrative prices apart, with sources and dates.

    Prices read more than ``max_age_days`` days before ``today`` (default: today, UTC)
    are counted in a line of their own.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.comparison import break_even_table
    >>> from pai_model import paths
    >>> text = provenance_markdown(break_even_table(read_catalog(paths.DOCUMENTED_CATALOG)))
    >>> print(text.splitlines()[0])
    **Prices used:** 2 documented, 0 illustrative (1 offer pair).
    """
    sources = price_sources(table)
    counts = sources.groupby("provenance")["prices"].sum()
    documented = int(counts.get("documented", 0))
    illustrative = int(counts.get(ILLUSTRATIVE, 0))
    account = int(counts.get(ACCOUNT, 0))
    fetched = f", {account} from your account" if account else ""
    pairs = len(table)
    lines = [
        f"**Prices used:** {documented} documented{fetched}, {illustrative} illustrative"
        f" ({pairs} offer pair{'s' if pairs != 1 else ''}).",
        "",
    ]
    for row in sources.itertuples(index=False):
        where = (
            "made up for this demo"
            if row.provenance == ILLUSTRATIVE
            else escape_markdown(row.source)
        )
        lines.append(
            f"- {row.provenance}: {row.prices} price{'s' if row.prices != 1 else ''},"
            f" {where}, as of {row.as_of}"
        )
    age = (
        pd.Timestamp(today or datetime.now(UTC).date()) - pd.to_datetime(sources["as_of"])
    ).dt.days
    old = sources[age > max_age_days]
    if len(old):
        count = int(old["prices"].sum())
        lines += [
            "",
            f"**{count} of {int(counts.sum())} prices were read more than"
            f" {max_age_days} days ago** (oldest {old['as_of'].min()},"
            f" {int(age.max())} days): check them on the console, or fetch them with"
            " `pai-cost catalog fetch`, before deciding.",
        ]
    assumptions = sorted(set(n for n in table["note"] if n.startswith("ASSUMPTION")))
    if assumptions:
        lines += ["", *(f"- *{escape_markdown(note)}*" for note in assumptions)]
    if illustrative:
        lines += ["", ILLUSTRATIVE_WARNING]
    return "\n".join(lines)


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
            f" {_money(row.bill_saving, row.currency)} | {escape_markdown(row.provenance)} |"
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
            verdict = f"pay-as-you-go saves {_money(saving, row.currency)}"
        elif sub[i] < payg[i]:
            verdict = f"the subscription saves {_money(saving, row.currency)}"
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
            f" ({_money(payg[i], row.currency)} against {_money(sub[i], row.currency)}"
            f" subscribed).{year}"
        )
    if (table["payg_price_unit"] == "hour").any():
        lines += [
            "",
            "General computing specs are sold by subscription only; their pay-as-you-go"
            " alternative shown is the public resource of the same hardware (DLC/DSW, billed"
            " per minute at the hourly price / 60).",
        ]
    return "\n".join(lines)


def fleet_summary(plan: FleetPlan) -> str:
    r"""Markdown of a fleet plan: the mixed plan against single-method plans, and unbuyable rows.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.fleet import plan_fleet
    >>> from pai_model import paths
    >>> fleet = pd.DataFrame({"region_id": ["cn-wulanchabu"], "hardware": ["gu7xf-8xGU108"],
    ...                       "quantity": [2], "usage_hours_per_day": [8], "months": [3]})
    >>> text = fleet_summary(plan_fleet(fleet, read_catalog(paths.DOCUMENTED_CATALOG)))
    >>> print(text.replace(": ", ":\n").replace(" and ", "\nand ").replace("; ", ";\n"))
    - **USD**:
    the mixed plan costs 63,948.00 USD over 1 row:
    79,648.20 USD less than subscription first (143,596.20 USD)
    and 0.00 USD less than pay-as-you-go first (63,948.00 USD);
    0 rows on subscription, 1 on pay-as-you-go.
    """
    lines = []
    for currency, group in plan.totals.groupby("currency", sort=True):
        cost = dict(zip(group["plan"], group["cost"], strict=True))
        cents = dict(zip(group["plan"], group["cost_minor"], strict=True))
        mixed = cost["mixed: cheaper per row"]
        less = {
            p: float(minor_units_to_float(np.array([c - cents["mixed: cheaper per row"]]), 2)[0])
            for p, c in cents.items()
        }
        rows = plan.rows[(plan.rows["currency"] == currency) & (plan.rows["plan_method"] != "")]
        on_sub = int((rows["plan_method"] == "subscription").sum())
        count = int(group["rows"].iloc[0])
        others = [
            f"{_money(less[p], currency)} less than {p} ({_money(cost[p], currency)})"
            for p in ("subscription first", "pay-as-you-go first")
        ]
        lines.append(
            f"- **{currency}**: the mixed plan costs {_money(mixed, currency)} over {count}"
            f" row{'s' if count != 1 else ''}: {' and '.join(others)}; {on_sub} row"
            f"{'s' if on_sub != 1 else ''} on subscription, {len(rows) - on_sub} on"
            " pay-as-you-go."
        )
    if not plan.unbuyable.empty:
        lines.append(f"- **{len(plan.unbuyable)} row(s) cannot be bought** and are in no plan:")
        for row in plan.unbuyable.itertuples(index=False):
            what = escape_markdown(row.hardware or row.spec)
            lines.append(
                f"  - line {row.line}: {row.quantity} x {what} in"
                f" {escape_markdown(row.region_id)}: {escape_markdown(row.reason)}"
            )
    public = int((plan.rows["payg_price_unit"] == "hour").sum())
    if public:
        lines.append(
            f"- {public} general computing row(s) (sold by subscription only) are compared"
            " with the public resource of the same hardware (DLC/DSW pay-as-you-go, billed per"
            " minute at the hourly price / 60)."
        )
    illustrative = plan.rows["provenance"].isin([ILLUSTRATIVE, "mixed"]).sum()
    if illustrative:
        lines += [
            "",
            f"{illustrative} row(s) are priced with illustrative prices.",
            "",
            ILLUSTRATIVE_WARNING,
        ]
    return "\n".join(lines) if lines else "The fleet has no rows."


def project_summary(crossovers: pd.DataFrame, *, currency: str = "USD") -> str:
    """Markdown listing the project lengths where each method wins.

    Examples
    --------
    >>> from pai_model.decisions.comparison import project_crossovers
    >>> print(project_summary(project_crossovers(23932.70, 0.73, 40)))
    - 0.0 to 22.8 days: pay-as-you-go is cheaper
    - 22.8 to 30.4 days: the subscription is cheaper
    - 30.4 to 40.0 days: pay-as-you-go is cheaper
    """
    names = {PAYG: LABELS[PAYG], SUBSCRIPTION: f"the {LABELS[SUBSCRIPTION]}"}
    return "\n".join(
        f"- {row.start_days:.1f} to {row.end_days:.1f} days: {names[row.cheaper]} is cheaper"
        for row in crossovers.itertuples(index=False)
    )


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


def fleet_display(rows: pd.DataFrame) -> pd.DataFrame:
    """Fleet plan rows with readable column names and units, for people."""

    def money(column: str) -> list[str]:
        return [
            "" if pd.isna(a) else _money(a, c)
            for a, c in zip(rows[column], rows["currency"], strict=True)
        ]

    names = {**LABELS, "equal": "equal", "": ""}
    return pd.DataFrame(
        {
            "line": rows["line"],
            "region": rows["region_id"],
            "hardware": rows["hardware"].where(rows["hardware"] != "", rows["spec"]),
            "nodes": rows["quantity"],
            "usage [h/day]": rows["usage_hours_per_day"].map("{:g}".format),
            "months": rows["months"],
            LABELS[SUBSCRIPTION]: money("subscription_cost"),
            LABELS[PAYG]: money("payg_cost"),
            "cheaper": rows["cheaper"].map(names),
            "savings": [
                _money(a, c) if cheaper else ""
                for a, c, cheaper in zip(
                    rows["savings"], rows["currency"], rows["cheaper"], strict=True
                )
            ],
            "plan": rows["plan_method"].map(names),
            "prices": rows["provenance"],
            "note": rows["reason"],
        }
    )


def project_days(
    max_days: float, *, hours_per_month: float = HOURS_PER_MONTH, start: object = None
) -> np.ndarray:
    """Project lengths to evaluate for a chart: a fine grid plus both sides of each month end.

    The subscription staircase steps just after each month end; evaluating there too puts
    the step where it belongs instead of at the next grid point. With a ``start`` date
    the month ends are those of calendar terms from it (31 January 2026 ends month 1 of a
    project from 1 January, day 31).

    Examples
    --------
    A 720-hour month ends at day 30:

    >>> days = project_days(35, hours_per_month=720)
    >>> len(days), days[(days > 29.99) & (days < 30.01)]
    (1203, array([30.   , 30.001]))
    >>> days = project_days(35, start="2026-01-01")
    >>> 31.0 in days, 31.001 in days
    (True, True)
    """
    if not 0 < max_days <= 3650:
        raise PaiModelError(f"max_days must be above 0 and at most 3650 days, got {max_days}")
    if not 0 < hours_per_month <= 744:
        raise PaiModelError(
            f"hours_per_month must be above 0 and at most 744 (31 days), got {hours_per_month}"
        )
    if start is None:
        days_per_month = hours_per_month / 24
        ends = np.arange(days_per_month, max_days, days_per_month)
    else:
        first = timestamps(start, "start")[0]
        count = months_to_cover(first, first + pd.Timedelta(days=max_days))
        terms = subscription_end(first, np.arange(1, count + 1))
        ends = (terms - first).total_seconds().to_numpy() / 86400.0
    grid = np.concatenate([np.linspace(0, max_days, 1201), ends, ends + 0.001])
    return np.unique(np.round(grid[grid <= max_days], 3))
