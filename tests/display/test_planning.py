"""The commitment plan for people: no ``nan`` anywhere, the answer before the table."""

from __future__ import annotations

import pandas as pd
import pytest

import pai_model as pm
from pai_model.display.planning import plan_answer, recommendation_display


@pytest.fixture(scope="module")
def plan():
    """The seeded synthetic usage (SYNTHETIC) on the embedded catalog, as the report plans it."""
    return pm.plan_commitment("synthetic", pm.read_catalog(None), scenarios=20, seed=0)


def test_pairs_with_no_node_subscribed_say_so_in_words(plan):
    table = plan.table
    none = table["recommended_nodes"] == 0
    assert none.any() and table.loc[none, "utilization"].isna().all()
    shown = recommendation_display(table)
    assert (shown.loc[none.to_numpy(), "utilization"] == "none subscribed").all()
    cells = shown.astype(str).to_numpy().ravel()
    assert not any("nan" in cell.lower() for cell in cells)


def test_the_answer_counts_the_nodes_and_sums_the_savings_exactly(plan):
    table = plan.table
    answer = plan_answer(table)
    first = answer.splitlines()[0]
    nodes = int(table["recommended_nodes"].sum())
    buying = int((table["recommended_nodes"] > 0).sum())
    assert first.startswith(f"Subscribe **{nodes} nodes** in {buying} of the {len(table)}")
    # the total saving: the pairs' savings summed in whole cents, in Python integers
    cents = sum(round(v * 100) for v in table["savings"])
    assert f"save {cents // 100:,}.{cents % 100:02d} USD against all pay-as-you-go" in first
    # the key table: the 10 pairs that save most, largest first
    rows = [line for line in answer.splitlines() if line.startswith("| ") and "region" not in line]
    assert len(rows) == 10
    top = table.sort_values("savings", ascending=False).iloc[0]
    assert rows[0].startswith(f"| {top['region_id']} | {top['hardware']} |")


def test_nothing_to_subscribe_is_said_first():
    table = pd.DataFrame(
        {
            "region_id": ["cn-a"],
            "hardware": "h",
            "currency": "USD",
            "recommended_nodes": [0],
            "peak_nodes": [1],
            "plan_cost": [5.0],
            "all_payg_cost": [5.0],
            "savings": [0.0],
            "coverage": [0.0],
            "utilization": [float("nan")],
        }
    )
    assert plan_answer(table).startswith("Subscribe nothing: for each of the 1 region")
