"""One home for the commands' shared constants: output formats, price age, release time."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

import pai_model
from pai_model.cli import build_parser
from pai_model.cli._common import FORMATS
from pai_model.data.freshness import MAX_AGE_DAYS
from pai_model.decisions.projects import plan_project
from pai_model.formulas.terms import RELEASE_AFTER


def subcommands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found[f"{prefix}{name}"] = child
                found |= subcommands(child, f"{prefix}{name} ")
    return found


def option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


def test_every_format_option_offers_the_one_tuple():
    commands = subcommands(build_parser())
    formats = {name: option(p, "--format") for name, p in commands.items()}
    offered = {name: tuple(a.choices) for name, a in formats.items() if a is not None}
    # recommend adds Markdown (a pull-request comment) to the one tuple
    assert offered.pop("recommend") == ("table", "markdown", "csv", "json")
    # bill, breakeven, project, plan, subscriptions, reconcile, backtest, offers, catalog
    # discover/diff
    assert len(offered) == 10
    assert set(offered.values()) == {FORMATS}


def test_every_price_age_option_defaults_to_the_one_limit():
    commands = subcommands(build_parser())
    ages = [option(p, "--max-age-days") for p in commands.values()]
    defaults = {a.default for a in ages if a is not None}
    assert defaults == {MAX_AGE_DAYS} == {30}


def test_each_constant_is_defined_once():
    package = Path(pai_model.__file__).parent
    source = "\n".join(p.read_text() for p in package.rglob("*.py"))
    for name in ("RELEASE_AFTER", "MAX_AGE_DAYS", "FORMATS"):
        assert len(re.findall(rf"^{name}\b.*=", source, flags=re.MULTILINE)) == 1, name


def test_nodes_are_released_24_hours_after_their_term():
    # PAI overdue-payment page: renew within 24 hours of expiry or the nodes are released
    assert RELEASE_AFTER == pd.Timedelta(hours=24)
    plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)
    bought = plan[plan["method"] == "subscription"].iloc[0]
    assert bought["renew_by"] == pd.Timestamp("2026-02-02")  # expires 2026-02-01 + 24 h
