"""The purchase list of one plan: buy, renew, let expire, keep pay-as-you-go, move to public.

Per (region, hardware) of a plan (:func:`~pai_model.decisions.planning.plan.size_commitment`)
and the nodes already held there (:func:`~pai_model.decisions.planning.held.held_groups`):

- ``H`` nodes are held; ``L`` of them last the whole horizon, the others expire within it.
- The plan wants ``k`` nodes (on its chosen term); ``L`` are paid for anyway, so the
  target is ``max(k, L)``.
- Of the expiring nodes, ``min(expiring, target - L)`` are renewed, the earliest first,
  each held group (one subscription) by its own deadline and for the months from its own
  expiry to the horizon's end, in buyable terms (a group expiring 10 months before the
  end is renewed for 9 + 1 months); the rest are let expire (``move_to_public`` for
  general computing nodes, whose work then runs on the public resource of the same
  hardware, DLC/DSW pay-as-you-go).
- ``max(0, target - H)`` nodes are bought, on the plan's term.
- A pair with demand and nothing subscribed before or after stays on pay-as-you-go
  (``keep_payg``).

Money, exact in integer cents over the horizon (``months`` months of the plan's month
convention), and per month (half up to the cent):

- **now**: the held nodes at the pair's monthly subscription price, the demand above
  them on pay-as-you-go (the account as it is, kept as it is);
- **after**: the nodes kept at the monthly price, the nodes bought at their term's
  price, the demand above all of them on pay-as-you-go.

A pair's monthly saving is ``now - after``; it goes to the action that makes it (the
purchase, or the nodes let go, each its own marginal share), so the actions' savings add
up to the pairs' and to the total, to the cent. A renewal keeps the cost as it is (saving
0); its reason says what not renewing would cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.decisions.planning.plan import CommitmentPlan
from pai_model.formulas.arguments import BUYABLE_MONTHS, buyable_months, split_buyable
from pai_model.formulas.exact import exact_amount
from pai_model.formulas.money_text import format_money
from pai_model.formulas.terms import RELEASE_AFTER, months_to_cover

#: The kinds of action, in the order the kit explains them.
ACTIONS = ("buy", "renew", "let_expire", "move_to_public", "keep_payg")
#: Columns of the actions table (money as :class:`decimal.Decimal` in ``currency``).
ACTION_COLUMNS = (
    "action",
    "region_id",
    "hardware",
    "spec",
    "gpu",
    "nodes",
    "term",
    "date",
    "one_time_cost",
    "monthly_cost_after",
    "monthly_saving",
    "currency",
    "reason",
    "machine_group_id",
)
#: Columns of the per-pair table.
PAIR_COLUMNS = (
    "region_id",
    "hardware",
    "currency",
    "held_nodes",
    "lasting_nodes",
    "recommended_nodes",
    "term",
    "nodes_after",
    "monthly_cost_now",
    "monthly_cost_after",
    "monthly_saving",
    "served_hours",
    "demand_hours",
    "capacity_hours",
    "break_even_utilization",
)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PairCosts:
    """One pair's prices and pay-as-you-go cents above each subscribed count."""

    row: Any
    #: Pay-as-you-go cents over the horizon above ``n`` subscribed nodes, ``n = 0..peak``.
    payg_above: np.ndarray
    #: Share of the history with demand of at least ``n`` nodes, ``n = 0..peak``.
    share_at_or_above: np.ndarray
    #: Hours of the history with demand of at least ``n`` nodes, ``n = 0..peak``.
    hours_at_or_above: np.ndarray
    months: int
    hours_per_month: float
    #: The buyable terms [month] (:data:`~pai_model.formulas.arguments.BUYABLE_MONTHS`).
    buyable: tuple[int, ...] = BUYABLE_MONTHS

    def subscription(self, nodes: int) -> int:
        """Cents of ``nodes`` on the month term for the horizon (the bill, in decimal)."""
        if not nodes:
            return 0
        price = self.row.subscription_price_per_month
        return _cents(exact_amount(price, int(nodes), self.months, price_unit="month"))

    def term(self, nodes: int) -> int:
        """Cents of ``nodes`` bought on the plan's term (the whole term is paid)."""
        if self.row.term != "year":
            return self.subscription(nodes)
        if not nodes:
            return 0
        price = self.row.subscription_price_per_year
        return _cents(exact_amount(price, int(nodes), int(self.row.years), price_unit="year"))

    def payg(self, nodes: int) -> int:
        """Pay-as-you-go cents of the demand above ``nodes`` subscribed nodes."""
        return int(self.payg_above[min(nodes, len(self.payg_above) - 1)])

    def renewal(self, nodes: int, terms: list[int]) -> int:
        """Cents of renewing ``nodes`` for ``terms`` (months, one order each)."""
        price = self.row.subscription_price_per_month
        return sum(
            _cents(exact_amount(price, int(nodes), months, price_unit="month")) for months in terms
        )

    def month_cost(self, nodes: int) -> int:
        """Cents of ``nodes`` on the month term and the demand above them."""
        return self.subscription(nodes) + self.payg(nodes)

    def share(self, level: int) -> float:
        """Share of the history with demand of at least ``level`` nodes."""
        return float(self.share_at_or_above[level]) if level < len(self.share_at_or_above) else 0.0

    def break_even(self) -> float:
        """Utilization at which one node on the plan's term costs what pay-as-you-go does."""
        row = self.row
        monthly = (
            row.subscription_price_per_year / 12.0
            if row.term == "year"
            else row.subscription_price_per_month
        )
        return float(monthly / (row.payg_price_per_minute * 60.0 * self.hours_per_month))


def per_month(cents: int, months: int) -> Decimal:
    """Cents over ``months`` months as money per month, rounded half up to the cent.

    >>> per_month(4786540, 1), per_month(100, 3)
    (Decimal('47865.40'), Decimal('0.33'))
    """
    return (Decimal(int(cents)) / 100 / months).quantize(_CENT, rounding=ROUND_HALF_UP)


def pair_costs(plan: CommitmentPlan) -> list[PairCosts]:
    """:class:`PairCosts` of every pair of the plan, in its summary's order."""
    curves = plan.curves
    out = []
    for row in plan.summary.itertuples(index=False):
        mine = curves[(curves["region_id"] == row.region_id) & (curves["hardware"] == row.hardware)]
        mine = mine.sort_values("nodes")
        out.append(
            PairCosts(
                row,
                np.rint(mine["payg_cost"].to_numpy() * 100).astype(np.int64),
                mine["time_share_at_or_above"].to_numpy(),
                mine["hours_at_or_above"].to_numpy(),
                plan.months,
                plan.hours_per_month,
                buyable_months(plan.summary.attrs.get("buyable_months")),
            )
        )
    return out


def pair_actions(
    costs: PairCosts,
    groups: pd.DataFrame,
    *,
    start: pd.Timestamp,
    horizon_end: pd.Timestamp,
    specs: dict[str, str],
    gpu: str,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The action lines of one pair and its row of the per-pair table.

    ``groups`` are the held groups of the pair (:func:`~pai_model.decisions.planning.held.
    held_groups`), ``specs`` the spec bought on each term ("month", "year") and
    ``gpu`` the hardware in words ("8 x GU108").
    """
    row, months = costs.row, costs.months
    held = int(groups["nodes"].sum())
    expiring = groups[groups["expiry"] < horizon_end].sort_values("expiry", kind="stable")
    lasting = held - int(expiring["nodes"].sum())
    wanted = int(row.term_nodes)
    target = max(wanted, lasting)
    renew = min(held - lasting, target - lasting)
    kept = lasting + renew
    new = max(0, target - held)
    now_cents = costs.month_cost(held)
    after_cents = costs.subscription(kept) + costs.term(new) + costs.payg(kept + new)
    now, after = per_month(now_cents, months), per_month(after_cents, months)
    be = costs.break_even()
    base = {
        "region_id": row.region_id,
        "hardware": row.hardware,
        "gpu": gpu,
        "monthly_cost_after": after,
        "currency": row.currency,
        "machine_group_id": "",
    }
    term = _term_text(row, months, costs.buyable)
    lines: list[dict[str, Any]] = []
    if new:
        share = costs.share(target)
        lines.append(
            {
                **base,
                "action": "buy",
                "spec": specs[row.term],
                "nodes": new,
                "term": term,
                "date": start,
                "one_time_cost": _money(costs.term(new)),
                "monthly_saving": now - after,
                "reason": f"node {target} is busy {share:.0%} of the time, above the break-even"
                f" {be:.0%}: subscribing it costs less than pay-as-you-go",
            }
        )
    lines += _held_lines(costs, expiring, base, (renew, kept, new, held), be, horizon_end)
    if not lines and held == 0 and wanted == 0 and costs.share(1) > 0:
        lines.append(
            {
                **base,
                "action": "keep_payg",
                "spec": row.payg_spec,
                "nodes": int(row.peak_nodes),
                "term": "pay-as-you-go",
                "date": start,
                "one_time_cost": Decimal("0.00"),
                "monthly_saving": Decimal("0.00"),
                "reason": _payg_reason(costs, be),
            }
        )
    demand_hours = float(costs.hours_at_or_above[1:].sum())
    history_hours = float(costs.hours_at_or_above[0]) if len(costs.hours_at_or_above) else 0.0
    served = float(costs.hours_at_or_above[1 : kept + new + 1].sum())
    pair = {
        "region_id": row.region_id,
        "hardware": row.hardware,
        "currency": row.currency,
        "held_nodes": held,
        "lasting_nodes": lasting,
        "recommended_nodes": wanted,
        "term": row.term,
        "nodes_after": kept + new,
        "monthly_cost_now": now,
        "monthly_cost_after": after,
        "monthly_saving": now - after,
        "served_hours": served,
        "demand_hours": demand_hours,
        "capacity_hours": (kept + new) * history_hours,
        "break_even_utilization": be,
    }
    return lines, pair


def _held_lines(
    costs: PairCosts,
    expiring: pd.DataFrame,
    base: dict[str, Any],
    counts: tuple[int, int, int, int],
    be: float,
    horizon_end: pd.Timestamp,
) -> list[dict[str, Any]]:
    """Renew the earliest-expiring nodes the target needs; let the others expire, each
    group's saving its marginal share (they telescope to the pair's saving). ``counts``
    are the nodes renewed, kept, bought and held.

    Each held group (a subscription: one row of the held nodes, one order) expires on
    its own date, so each is renewed by its own deadline (expiry + 24 h) for the months
    from its expiry to the horizon's end, bought as buyable terms (:func:`renewal_terms`)
    and priced at the month price."""
    row, months = costs.row, costs.months
    renew, kept, new, held = counts
    lines = []
    left = renew
    dropped = 0  # nodes let go so far, from the held count down
    public = row.payg_price_unit == "hour"
    for group in expiring.itertuples(index=False):
        renewing = min(left, int(group.nodes))
        left -= renewing
        by = pd.Timestamp(group.expiry) + RELEASE_AFTER
        mine = {**base, "spec": group.spec, "machine_group_id": group.machine_group_id}
        if renewing:
            terms = renewal_terms(pd.Timestamp(group.expiry), horizon_end, costs.buyable)
            with_them = costs.subscription(kept) + costs.payg(kept + new)
            without = costs.subscription(kept - renewing) + costs.payg(kept - renewing + new)
            extra = per_month(without, months) - per_month(with_them, months)
            share = costs.share(kept)
            lines.append(
                {
                    **mine,
                    "action": "renew",
                    "nodes": renewing,
                    "term": _terms_text(terms),
                    "date": by,
                    "one_time_cost": _money(costs.renewal(renewing, terms)),
                    "monthly_saving": Decimal("0.00"),
                    "reason": f"busy {share:.0%} of the time, above the break-even {be:.0%}:"
                    f" renew by {by:%Y-%m-%d %H:%M} UTC or the nodes are released; without"
                    f" them pay-as-you-go costs {format_money(extra)} {row.currency} more a"
                    " month",
                }
            )
        going = int(group.nodes) - renewing
        if not going:
            continue
        before = held - dropped
        saving = per_month(costs.month_cost(before), months) - per_month(
            costs.month_cost(before - going), months
        )
        dropped += going
        share = costs.share(before - going + 1)
        where = (
            f"; the work runs on the public resource {row.payg_spec} (DLC/DSW) at"
            f" {row.payg_price_per_hour:g} {row.currency}/hour"
            if public
            else "; the work above the nodes kept runs on pay-as-you-go"
        )
        lines.append(
            {
                **mine,
                "action": "move_to_public" if public else "let_expire",
                "nodes": going,
                "term": "",
                "date": pd.Timestamp(group.expiry),
                "one_time_cost": Decimal("0.00"),
                "monthly_saving": saving,
                "reason": f"busy {share:.0%} of the time, below the break-even {be:.0%}: let it"
                f" expire on {pd.Timestamp(group.expiry):%Y-%m-%d}{where}",
            }
        )
    return lines


def _payg_reason(costs: PairCosts, be: float) -> str:
    row = costs.row
    if not row.subscription_purchasable:
        return f"{row.subscription_reason}; pay-as-you-go meanwhile"
    where = " (the public resource, DLC/DSW)" if row.payg_price_unit == "hour" else ""
    return (
        f"the busiest node is busy {costs.share(1):.0%} of the time, below the break-even"
        f" {be:.0%}: pay-as-you-go{where} costs less than a subscription"
    )


def renewal_terms(
    expiry: pd.Timestamp, horizon_end: pd.Timestamp, buyable: Any = None
) -> list[int]:
    """The buyable terms [month] that renew a subscription expiring at ``expiry`` until
    ``horizon_end``: the calendar months from the expiry that reach the horizon's end,
    as the fewest buyable terms (:func:`~pai_model.formulas.arguments.split_buyable`).

    >>> renewal_terms(pd.Timestamp("2026-03-01"), pd.Timestamp("2027-01-01"))
    [9, 1]
    >>> renewal_terms(pd.Timestamp("2026-09-15"), pd.Timestamp("2027-01-01"))
    [4]
    """
    months = max(1, int(months_to_cover(expiry, horizon_end)))
    return split_buyable(months, buyable_months(buyable))


def _terms_text(terms: list[int]) -> str:
    total = sum(terms)
    text = f"{total} month{'s' if total != 1 else ''}"
    return text if len(terms) == 1 else f"{text} ({' + '.join(map(str, terms))})"


def _term_text(row: Any, months: int, buyable: tuple[int, ...] = BUYABLE_MONTHS) -> str:
    """The term bought, with its orders when no single buyable term is that long.

    >>> _term_text(None, 10), _term_text(None, 12)
    ('10 months (9 + 1)', '12 months')
    """
    if row is not None and row.term == "year":
        years = int(row.years)
        text = f"{years} year{'s' if years != 1 else ''}"
        parts = split_buyable(12 * years, buyable)
        if len(parts) > 1 and all(p % 12 == 0 for p in parts):
            text += f" ({' + '.join(str(p // 12) for p in parts)} years)"
        elif len(parts) > 1:
            text += f" ({' + '.join(map(str, parts))} months)"
        return text
    return _terms_text(split_buyable(months, buyable))


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _money(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(_CENT)
