"""``recommend(...)`` and its formats: JSON against its documented schema, Markdown whose
first line is the answer, CSV of the actions, a terminal table of at most 100 columns;
text from files escaped (Markdown) or stripped of control characters (terminal)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import pai_model as pm
from pai_model import paths
from pai_model.decisions.actions import ACTION_COLUMNS
from pai_model.display.recommendation import SCHEMA_FILE, terminal_text

TODAY = date(2026, 12, 1)
HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile_catalog.csv"


@pytest.fixture(scope="module")
def synthetic():
    return pm.recommend("synthetic", scenarios=100, today=TODAY)


def hostile_answer(held=None):
    """Usage of the hostile catalog's pair: its spec, hardware and source are HTML."""
    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-01-01")],
            "end": [pd.Timestamp("2026-01-31")],
            "region_id": "cn-wulanchabu",
            "hardware": "<script>alert(2)</script>",
            "nodes": [2],
        }
    )
    catalog = pm.read_catalog(HOSTILE)
    return pm.recommend(jobs, catalog=catalog, held=held, scenarios=0, today=TODAY)


def test_the_json_follows_its_documented_schema(synthetic):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    document = json.loads(synthetic.to_json())
    jsonschema.validate(document, schema)
    assert document["schema"] == "pai-cost.recommendation/1"
    assert document["labels"] == ["SYNTHETIC usage", "illustrative prices"]
    # money is decimal text, exact to the cent, and the actions add up to the total
    savings = [Decimal(a["monthly_saving"]) for a in document["actions"]]
    assert sum(savings) == Decimal(document["totals"]["monthly_saving"])
    # an answer without scenarios or backtest has nulls where there is no value
    bare = json.loads(pm.recommend("synthetic", scenarios=0, backtest=False, today=TODAY).to_json())
    jsonschema.validate(bare, schema)
    assert bare["totals"]["saving_p5"] is None and bare["totals"]["capture"] is None


def test_the_schema_refuses_money_as_a_float(synthetic):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    document = json.loads(synthetic.to_json())
    document["totals"]["monthly_saving"] = float(document["totals"]["monthly_saving"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_the_markdown_opens_with_the_answer(synthetic):
    text = synthetic.to_markdown()
    first = text.splitlines()[0]
    assert first.startswith("**Buy ") and " save " in first and "USD/month" in first
    assert "SYNTHETIC usage" in first and "illustrative prices" in first
    assert "| # | action | region |" in text and "<details><summary>Assumptions" in text
    assert "capture" in text


def test_the_csv_is_the_actions_with_exact_money(synthetic):
    frame = pd.read_csv(io.StringIO(synthetic.to_csv()), dtype=str, keep_default_na=False)
    assert frame.columns.tolist() == list(ACTION_COLUMNS)
    assert [Decimal(v) for v in frame["monthly_saving"]] == list(
        synthetic.actions["monthly_saving"]
    )
    assert all(v.count(".") == 1 and len(v.split(".")[1]) == 2 for v in frame["one_time_cost"])
    assert frame["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z").all()


def test_the_terminal_table_fits_100_columns(synthetic):
    text = synthetic.to_table()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.splitlines()[0].startswith("Buy ")
    assert "Total per month (USD): now" in text and "capture" in text and "Assumptions:" in text


def test_text_from_files_is_escaped_in_markdown_and_stripped_for_the_terminal():
    answer = hostile_answer()
    markdown = answer.to_markdown()
    assert "<script>" not in markdown and "<b>" not in markdown and "<svg" not in markdown
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markdown
    assert terminal_text("a\x1b[31mred\x1b[0m\x07") == "a[31mred[0m"
    table = answer.to_table()
    assert "\x1b" not in table and max(len(line) for line in table.splitlines()) <= 100


def test_a_long_spec_name_gives_way_in_the_terminal_table():
    catalog = pm.read_catalog(paths.DOCUMENTED_CATALOG)
    long = "ml.gu7xf.c96m1600.8-gu108" + "-with-a-very-long-name" * 4
    catalog.loc[catalog["spec"] == "ml.gu7xf.c96m1600.8-gu108", "spec"] = long
    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-01-01")],
            "end": [pd.Timestamp("2026-01-31")],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [2],
        }
    )
    text = pm.recommend(jobs, catalog=catalog, scenarios=0, today=TODAY).to_table()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "ml.gu7xf.c96m1600.8-gu108-with-a-" in text and "~" in text


def test_nothing_to_buy_says_so_first():
    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-01-01 09:00")],
            "end": [pd.Timestamp("2026-01-01 10:00")],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [1],
        }
    )
    # one hour of one node, then nothing for a month: far below the break-even
    jobs = pd.concat(
        [
            jobs,
            jobs.assign(
                start=pd.Timestamp("2026-01-31 09:00"), end=pd.Timestamp("2026-01-31 09:01")
            ),
        ]
    )
    answer = pm.recommend(jobs, catalog=paths.DOCUMENTED_CATALOG, scenarios=0, today=TODAY)
    assert answer.headline == "No purchase saves money: keep the current setup"
    assert answer.actions["action"].tolist() == ["keep_payg"]
    assert answer.to_markdown().splitlines()[0] == f"**{answer.headline}**"


def test_recommend_is_the_public_api_and_all_stays_at_41_names():
    # 40, and CurrencyError: every error class of the kit is public (pai_model/__init__.py)
    assert "recommend" in pm.__all__ and len(pm.__all__) <= 40
    assert pm.recommend.__module__ == "pai_model.display.recommendation"


def test_answer_and_notes_are_the_two_parts_of_the_markdown(synthetic):
    answer, notes = synthetic.answer_markdown(), synthetic.notes_markdown()
    assert answer + "\n" + notes == synthetic.to_markdown()
    assert answer.splitlines()[0] == f"**{synthetic.headline}**"
    assert "| # | action | region |" in answer and "- Total per month (USD): now" in answer
    assert "<details>" not in answer
    assert notes.startswith("<details><summary>Assumptions and notes</summary>\n")
    assert notes.endswith("</details>\n") and "- Lookback: 30.0 days of usage" in notes


def test_the_report_draws_demand_scenarios_and_backtest_and_says_why(synthetic):
    from pai_model.display.recommendation import figures, shown_pair, why_markdown

    first = synthetic.actions.iloc[0]
    assert shown_pair(synthetic) == (first["region_id"], first["hardware"])
    drawn = figures(synthetic)
    titles = [figure.layout.title.text for _, figure in drawn]
    assert len(drawn) == 3, titles
    assert titles[0].startswith("Demand and the recommended subscription")
    assert titles[2].startswith("Backtest of the rule")
    # the scenarios chart holds one saving per scenario of the answer (100 here)
    assert len(drawn[1][1].data[0].x) == 100
    why = why_markdown(synthetic)
    assert why.startswith(f"**{first['region_id']} / {first['hardware']}.** A subscribed node")
    # without scenarios nor backtest only the demand chart is left
    bare = pm.recommend("synthetic", scenarios=0, backtest=False, today=TODAY)
    assert [f.layout.title.text for _, f in figures(bare)] == titles[:1]
