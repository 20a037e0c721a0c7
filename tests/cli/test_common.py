"""One home for the commands' shared constants: output formats, price age, release time."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd
import pytest

import pai_model
from pai_model.cli import build_parser, main
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


# ---- numeric options are what they look like ---------------------------------------------


def _numeric_options() -> list[tuple[str, str, object]]:
    """(command, option, type) of every numeric option of every command."""
    from pai_model.cli._common import decimal_number, whole_number

    found = []
    for name, parser in subcommands(build_parser()).items():
        for action in parser._actions:
            if action.type in (int, float, whole_number, decimal_number):
                found.append((name, action.option_strings[0], action.type))
    return found


def test_no_option_is_read_by_python_int_or_float():
    options = _numeric_options()
    assert len(options) > 20  # --seed, --months, --lookback, --hours-per-month, ...
    assert [o for o in options if o[2] in (int, float)] == []


@pytest.mark.parametrize("value", ["4_5", " 45", "45 ", "٤٥", "４５", "+45"])
def test_whole_number_options_refuse_text_int_would_read(value, capsys):
    # int() reads every one of these as 45
    assert int(value) == 45
    with pytest.raises(SystemExit) as stopped:
        main(["plan", "--seed", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost plan: error: argument --seed: invalid int value:")
    assert repr(value) in err


@pytest.mark.parametrize("value", ["7_30", "730 ", "nan", "inf", "7.3e2", "٧٣٠"])
def test_decimal_options_refuse_text_float_would_read(value, capsys):
    float(value)  # float() reads each of these
    with pytest.raises(SystemExit) as stopped:
        main(["offers", "--hours-per-month", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "argument --hours-per-month: invalid float value:" in err and repr(value) in err


def test_plain_numbers_still_read(capsys):
    assert main(["offers", "--hours-per-month", "730", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("region_id")


@pytest.mark.parametrize(
    ("minutes", "quantity"), [("4_5", "1"), ("٤٥", "1"), ("45", "1_0"), ("45", "True")]
)
def test_quote_refuses_numbers_that_are_not_what_they_look_like(minutes, quantity, capsys):
    argv = ["quote", "--region", "cn-wulanchabu", "--spec", "ml.gu7xf.8xlarge-gu108"]
    assert main([*argv, "--quantity", quantity, "--minutes", minutes]) == 2
    err = capsys.readouterr().err
    assert "pai-cost: error:" in err and "not a number" in err
    assert repr(minutes if minutes != "45" else quantity) in err
