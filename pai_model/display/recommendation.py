"""The purchase list for people and programs: ``recommend(...)`` and its result.

:func:`recommend` reads the usage (:func:`~pai_model.decisions.usage_history.read_usage`),
the catalog and the nodes held, asks :func:`~pai_model.decisions.recommend.advise` for the
answer and wraps it in a :class:`Recommendation`: ``.actions`` and ``.totals`` as data,
and the same answer as a terminal table (``.to_table()``, at most 100 columns), Markdown
whose first line is the answer (``.to_markdown()``, for a pull-request or chat comment),
CSV of the actions (``.to_csv()``) and JSON of schema ``pai-cost.recommendation/1``
(``.to_json()``; the JSON Schema is ``recommendation.schema.json`` beside this module).

Text that came from files or servers (specs, regions, reasons that quote them) is
escaped before Markdown and stripped of control characters before a terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pai_model.data.catalog import ILLUSTRATIVE, read_catalog
from pai_model.decisions.recommend import DEFAULT_LOOKBACK_DAYS, Advice, advise
from pai_model.decisions.usage_history import read_usage
from pai_model.display.markdown import escape_markdown
from pai_model.formulas.breakeven import HOURS_PER_MONTH
from pai_model.formulas.money_text import format_money

#: The JSON's ``schema`` value; a change that breaks readers gets a new number.
SCHEMA = "pai-cost.recommendation/1"
#: The JSON Schema of :meth:`Recommendation.to_json`.
SCHEMA_FILE = Path(__file__).with_name("recommendation.schema.json")
#: The widest terminal table. [characters]
WIDTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_VERBS = {
    "buy": "buy",
    "renew": "renew",
    "let_expire": "let expire",
    "move_to_public": "move to public",
    "keep_payg": "keep pay-as-you-go",
}


def terminal_text(value: object) -> str:
    r"""Text for a terminal: control characters (escape sequences, bidi marks) removed.

    >>> terminal_text("ml.x\x1b]8;;http://evil\x07name\u202e")
    'ml.x]8;;http://evilname'
    """
    return _CONTROL.sub("", str(value))


@dataclass(frozen=True)
class Recommendation:
    """The answer of :func:`recommend`: the purchase list, the total, the assumptions."""

    #: What the decisions layer found (plan, scenarios, backtest, demand included).
    advice: Advice
    #: What the usage was read from.
    sources: tuple[str, ...] = ()

    @property
    def actions(self) -> pd.DataFrame:
        """One row per action, largest monthly saving first (money as Decimal)."""
        return self.advice.actions

    @property
    def totals(self) -> dict[str, Any]:
        """The grand total (see :func:`~pai_model.decisions.recommend.advise`)."""
        return self.advice.totals

    @property
    def assumptions(self) -> dict[str, Any]:
        """Lookback window, price sources and ages, stock, currency."""
        return self.advice.assumptions

    @property
    def notes(self) -> list[str]:
        return self.advice.notes

    @property
    def labels(self) -> list[str]:
        """What the answer is built on that is not real: synthetic usage, illustrative prices."""
        found = []
        if self.assumptions["synthetic"]:
            found.append("SYNTHETIC usage")
        if self.assumptions["held"]["synthetic"]:
            found.append("SYNTHETIC held nodes")
        if any(p["provenance"] == ILLUSTRATIVE for p in self.assumptions["prices"]):
            found.append("illustrative prices")
        return found

    @property
    def headline(self) -> str:
        """The answer in one line: "Buy ..., save X/month", or that nothing saves."""
        return _headline(self.actions, self.totals, self.labels)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (schema :data:`SCHEMA`) as Python values: money as text."""
        return {
            "schema": SCHEMA,
            "headline": self.headline,
            "labels": self.labels,
            "actions": [_action_json(row) for row in self.actions.to_dict("records")],
            "totals": _plain(self.totals),
            "assumptions": _plain(self.assumptions),
            "sources": list(self.sources),
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON of schema ``pai-cost.recommendation/1``: money as decimal strings."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_csv(self) -> str:
        """CSV of the actions: money as decimal text, dates ISO 8601 (UTC)."""
        frame = pd.DataFrame(
            [_action_json(r) for r in self.actions.to_dict("records")],
            columns=list(self.actions.columns),
        )
        out = io.StringIO()
        frame.to_csv(out, index=False)
        return out.getvalue()

    def to_markdown(self) -> str:
        """Markdown for a pull-request or chat comment; the first line is the answer."""
        return _markdown(self)

    def answer_markdown(self) -> str:
        """The first part of :meth:`to_markdown`: headline, purchase list, grand total."""
        return _answer_markdown(self)

    def notes_markdown(self) -> str:
        """The last part of :meth:`to_markdown`: assumptions and notes in ``<details>``."""
        return _notes_markdown(self)

    def to_table(self, width: int = WIDTH) -> str:
        """The purchase list, total and assumptions for a terminal of ``width`` columns."""
        return _table(self, width)

    def __str__(self) -> str:
        return self.to_table()


def recommend(
    usage: Any = "synthetic",
    *,
    held: Any = None,
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    start: Any = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    months: int = 1,
    scenarios: int = 1000,
    seed: int = 0,
    hours_per_month: float = HOURS_PER_MONTH,
    spec_column: str = "SkuId",
    synthetic_days: int = 120,
    timezone: str | None = None,
    client: Any = None,
    backtest: bool = True,
    today: date | None = None,
    max_age_days: int = 30,
    buyable_months: Any = None,
    fx: Any = None,
) -> Recommendation:
    """What to buy, renew or let go, and what it saves: one answer from usage.

    Parameters
    ----------
    usage : str, path-like, pandas.DataFrame or a list of them, default "synthetic"
        Jobs files (CSV/Parquet, as ``pai-cost usage jobs`` writes them), FOCUS exports
        (CSV, gzip, Parquet, a folder, ``oss://``, as ``pai-cost usage bills`` writes them
        or Alibaba pushes them), DataFrames of either (e.g.
        :func:`pai_model.account.bills.fetch_instance_bills`), or ``"synthetic"``.
    held : pandas.DataFrame or path-like, optional
        Nodes already held: the CSV ``pai-cost subscriptions --format csv`` writes,
        unchanged, or ``region_id``, ``spec``, ``nodes``, ``expiry``.
    catalog : pandas.DataFrame or path-like, optional
        Price catalog; default the embedded one (illustrative prices labelled).
    start : time-like, optional
        When the purchases are made; default when the usage ends.
    lookback_days : int, default 30
        Days of usage the plan is made from. [day]
    months : int, default 1
        Months the subscriptions are bought for. [month]
    scenarios, seed, hours_per_month, backtest, today, max_age_days
        As :func:`~pai_model.decisions.recommend.advise` takes them.
    spec_column, synthetic_days, timezone
        As :func:`~pai_model.decisions.usage_history.read_usage` takes them.
    client : distributed.Client, optional
        Stream FOCUS exports and share the backtest's months among its workers
        (``pai-cost recommend --engine dask``); the answer is the same.
    buyable_months : iterable of int or str, optional
        The buyable subscription terms [month], as
        :func:`~pai_model.decisions.recommend.advise` takes them.
    fx : mapping or list of str, optional
        Exchange rates such as ``{"CNY/USD": "0.14"}``: a usage source billed, or a held
        file priced, in another currency than the catalog is refused without one
        (:class:`~pai_model.errors.CurrencyError`); the rates used are in the notes.

    Returns
    -------
    Recommendation
        ``.actions``, ``.totals``, ``.assumptions``, ``.headline`` and the formats.

    Raises
    ------
    PaiModelError
        Of the kit's classes, for anything the inputs get wrong (one message each).

    See Also
    --------
    pai_model.decisions.recommend.advise : The same answer as data, from a demand table.

    Examples
    --------
    >>> import pai_model as pm
    >>> answer = pm.recommend("synthetic", scenarios=0, today=date(2026, 12, 1))
    >>> answer.headline
    'Buy 6 nodes in 2 purchases: save 42,908.19 USD/month (SYNTHETIC usage, illustrative prices)'
    >>> answer.to_markdown().splitlines()[0].startswith("**Buy 6 nodes")
    True
    """
    prices = catalog if isinstance(catalog, pd.DataFrame) else read_catalog(catalog)
    history = read_usage(
        usage,
        prices,
        spec_column=spec_column,
        synthetic_days=synthetic_days,
        seed=seed,
        timezone=timezone,
        client=client,
        by_day=True,
        fx=fx,
    )
    advice = advise(
        history.demand,
        prices,
        held=held,
        start=start,
        lookback_days=lookback_days,
        months=months,
        scenarios=scenarios,
        seed=seed,
        hours_per_month=hours_per_month,
        backtest=backtest,
        today=today,
        max_age_days=max_age_days,
        client=client,
        buyable_months=buyable_months,
        fx=fx,
    )
    advice.notes[:0] = history.notes
    return Recommendation(advice, tuple(history.sources))


def _headline(actions: pd.DataFrame, totals: dict[str, Any], labels: list[str]) -> str:
    currency = totals["currency"]
    saving = totals["monthly_saving"]
    label = f" ({', '.join(labels)})" if labels else ""
    counted = actions[actions["action"] != "keep_payg"]
    if counted.empty or saving <= 0:
        return f"No purchase saves money: keep the current setup{label}"
    parts = []
    for kind in ("buy", "renew", "let_expire", "move_to_public"):
        mine = counted[counted["action"] == kind]
        if mine.empty:
            continue
        nodes = int(mine["nodes"].sum())
        if kind == "buy" and len(mine) == 1:
            row = mine.iloc[0]
            parts.append(
                f"Buy {nodes} x {terminal_text(row.spec)} in {terminal_text(row.region_id)}"
                f" for {row.term}"
            )
        elif kind == "buy":
            parts.append(f"Buy {nodes} nodes in {len(mine)} purchases")
        else:
            verb = _VERBS[kind]
            parts.append(f"{verb} {nodes} node{'s' if nodes != 1 else ''}")
    text = ", ".join(parts)
    text = text[0].upper() + text[1:]
    return f"{text}: save {format_money(saving)} {currency}/month{label}"


def _action_json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:
    """Python values for JSON: money (Decimal) as text, times as ISO 8601 UTC, floats."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN: no value
        return None
    return value


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _total_lines(answer: Recommendation) -> list[str]:
    """The grand total and the backtest, in words (plain text)."""
    t = answer.totals
    cur = t["currency"]
    lines = [
        f"Total per month ({cur}): now {format_money(t['monthly_cost_now'])}, after"
        f" {format_money(t['monthly_cost_after'])}: save {format_money(t['monthly_saving'])}"
    ]
    if t["saving_p5"] is not None:
        lines[0] += (
            f" (5th-95th percentile {format_money(t['saving_p5'])} to"
            f" {format_money(t['saving_p95'])} over {t['scenarios']:,} demand scenarios;"
            f" probability of a loss {_percent(t['probability_of_loss'])})"
        )
    lines.append(
        f"After: coverage {_percent(t['coverage_after'])} of node-hours on subscribed nodes,"
        f" utilization {_percent(t['utilization_after'])} of subscribed node-hours used."
    )
    if t["backtest_saving"] is not None:
        capture = f": capture {_percent(t['capture'])}" if t["capture"] is not None else ""
        lines.append(
            f"Backtest over {t['backtest_months']} month(s) of the history: the same rule,"
            f" walking forward, would have saved {format_money(t['backtest_saving'])} {cur};"
            f" the best commitment chosen in hindsight {format_money(t['hindsight_saving'])}"
            f" {cur}{capture}."
        )
    if t["backtest_reason"]:
        lines.append(f"Backtest: {t['backtest_reason']}.")
    return lines


def _assumption_lines(answer: Recommendation) -> list[str]:
    a = answer.assumptions
    look, hist = a["lookback"], a["history"]
    lines = [
        f"Lookback: {look['days']:.1f} days of usage, {look['start']:%Y-%m-%d %H:%M} to"
        f" {look['end']:%Y-%m-%d %H:%M} UTC (history read: {hist['days']:.1f} days).",
        f"Usage: {'; '.join(answer.sources) or a['usage']}"
        + (" (SYNTHETIC: made up by the kit, not real usage)." if a["synthetic"] else "."),
        f"Purchases on {a['purchase_date']:%Y-%m-%d}, for {a['months']} month(s) of"
        f" {a['hours_per_month']:g} hours; {a['now_means']}; currency {a['currency']}.",
        f"Held nodes: {a['held']['source']}"
        + (" (SYNTHETIC: made up by the kit)" if a["held"]["synthetic"] else "")
        + f"; {a['held']['nodes']} node(s) in {a['held']['groups']} group(s) of the pairs planned.",
    ]
    for price in a["prices"]:
        stale = f" (older than {a['max_age_days']} days)" if price["stale"] else ""
        lines.append(
            f"Price: {price['region_id']} {price['spec']}: {price['provenance']}, source"
            f" {price['source']}, as of {price['as_of']}, {price['age_days']} days old{stale}."
        )
    lines += [f"Stock: {s}." for s in a["stock"]] or ["Stock: every offer used is in stock."]
    return lines


def _table(answer: Recommendation, width: int) -> str:
    actions = answer.actions
    cur = answer.totals["currency"]
    out = [*textwrap.wrap(terminal_text(answer.headline), width), ""]
    if actions.empty:
        out.append("No action: nothing to buy, renew or let go.")
    else:
        cells = [
            (
                str(i + 1),
                terminal_text(r.action),
                terminal_text(r.region_id),
                str(r.nodes),
                terminal_text(r.spec),
                format_money(r.one_time_cost),
                format_money(r.monthly_saving),
            )
            for i, r in enumerate(actions.itertuples(index=False))
        ]
        head = ("#", "action", "region", "nodes", "spec", f"one-time {cur}", f"saving/mo {cur}")
        sizes = [max(len(head[c]), *(len(row[c]) for row in cells)) for c in range(len(head))]
        spare = width - (sum(sizes) + len(sizes) - 1)
        if spare < 0:  # the spec column gives way
            sizes[4] = max(8, sizes[4] + spare)
        right = {0, 3, 5, 6}

        def line(values: tuple[str, ...]) -> str:
            shown = []
            for c, value in enumerate(values):
                text = value if len(value) <= sizes[c] else value[: sizes[c] - 1] + "~"
                shown.append(text.rjust(sizes[c]) if c in right else text.ljust(sizes[c]))
            return " ".join(shown).rstrip()

        out.append(line(head))
        for row, r in zip(cells, actions.itertuples(index=False), strict=True):
            out.append(line(row))
            detail = [f"{r.term}" if r.term else "", f"by {r.date:%Y-%m-%d}", r.gpu, r.reason]
            text = "; ".join(terminal_text(d) for d in detail if d)
            out += textwrap.wrap(text, width, initial_indent="     ", subsequent_indent="     ")
    out.append("")
    for text in _total_lines(answer):
        out += textwrap.wrap(terminal_text(text), width, subsequent_indent="  ")
    out += ["", "Assumptions:"]
    for text in _assumption_lines(answer):
        out += textwrap.wrap(
            terminal_text(text), width, initial_indent="- ", subsequent_indent="  "
        )
    return "\n".join(out)


def _markdown(answer: Recommendation) -> str:
    return _answer_markdown(answer) + "\n" + _notes_markdown(answer)


def _answer_markdown(answer: Recommendation) -> str:
    """The headline, the purchase list and the grand total (Markdown)."""
    actions, cur = answer.actions, answer.totals["currency"]
    out = [f"**{escape_markdown(answer.headline)}**", ""]
    if actions.empty:
        out.append("No action: nothing to buy, renew or let go.")
    else:
        out += [
            f"| # | action | region | hardware | spec | nodes | term | by | one-time ({cur})"
            f" | monthly after ({cur}) | saving/month ({cur}) | why |",
            "|---|---|---|---|---|---:|---|---|---:|---:|---:|---|",
        ]
        for i, r in enumerate(actions.itertuples(index=False)):
            hardware = escape_markdown(r.hardware) + (
                f" ({escape_markdown(r.gpu)})" if r.gpu else ""
            )
            out.append(
                f"| {i + 1} | {escape_markdown(r.action)} | {escape_markdown(r.region_id)} |"
                f" {hardware} | {escape_markdown(r.spec)} | {r.nodes} | {escape_markdown(r.term)}"
                f" | {r.date:%Y-%m-%d} | {format_money(r.one_time_cost)} |"
                f" {format_money(r.monthly_cost_after)} | {format_money(r.monthly_saving)} |"
                f" {escape_markdown(r.reason)} |"
            )
    out.append("")
    out += [f"- {escape_markdown(text)}" for text in _total_lines(answer)]
    return "\n".join(out) + "\n"


def _notes_markdown(answer: Recommendation) -> str:
    """The assumptions and notes, collapsed in a ``<details>`` block (Markdown)."""
    out = ["<details><summary>Assumptions and notes</summary>", ""]
    out += [f"- {escape_markdown(text)}" for text in _assumption_lines(answer)]
    out += [f"- {escape_markdown(note)}" for note in answer.notes]
    out += ["", "</details>"]
    return "\n".join(out) + "\n"


def shown_pair(answer: Recommendation) -> tuple[str, str] | None:
    """The (region_id, hardware) a report draws: the first action's pair, else the plan's
    largest saving; ``None`` when nothing was planned."""
    plan = answer.advice.plan
    if plan is None or plan.summary.empty:
        return None
    planned = set(zip(plan.summary["region_id"], plan.summary["hardware"], strict=True))
    for row in answer.actions.itertuples(index=False):
        if (row.region_id, row.hardware) in planned:
            return (row.region_id, row.hardware)
    from pai_model.decisions.planning.plan import chosen_pair

    return chosen_pair(plan)


def why_markdown(answer: Recommendation) -> str:
    """Why each planned pair gets the nodes it does, in words (Markdown), action pairs first."""
    from pai_model.display.planning import explain_recommendation

    plan = answer.advice.plan
    if plan is None or plan.summary.empty:
        return "Nothing was planned: the usage names no pair the catalog sells both ways."
    first = shown_pair(answer)
    pairs = list(zip(plan.summary["region_id"], plan.summary["hardware"], strict=True))
    pairs.sort(key=lambda pair: pair != first)
    return "\n\n".join(
        f"**{escape_markdown(region)} / {escape_markdown(hardware)}.** "
        + explain_recommendation(plan, region, hardware)
        for region, hardware in pairs
    )


def figures(answer: Recommendation) -> list[tuple[str, Any]]:
    """The report's charts with a one-line caption each: demand against the nodes
    subscribed, savings over the demand scenarios, the backtest (those the answer has)."""
    from pai_model.display import plotting
    from pai_model.display.plotting.backtest import backtest_figure

    advice, pair = answer.advice, shown_pair(answer)
    found: list[tuple[str, Any]] = []
    if pair is not None and advice.demand is not None and not advice.demand.empty:
        found.append(
            (
                f"Nodes in use in {pair[0]} / {pair[1]} over the lookback, with the nodes to"
                " subscribe drawn on it.",
                plotting.demand_figure(advice.demand, advice.plan.summary, *pair),
            )
        )
    simulation = advice.simulation
    if pair is not None and simulation is not None and not simulation.scenarios.empty:
        found.append(
            (
                "How sure: the saving of the plan over demand scenarios (whole weeks of the"
                " history resampled) against the best count for each scenario.",
                plotting.savings_distribution_figure(
                    simulation.scenarios, advice.plan.summary, *pair
                ),
            )
        )
    if advice.backtest is not None and not advice.backtest.by_fold.empty:
        found.append(
            (
                "The same rule walking forward over the history: realized savings per test"
                " month against the best commitment chosen in hindsight.",
                backtest_figure(advice.backtest.by_fold, title="Backtest of the rule"),
            )
        )
    return found
