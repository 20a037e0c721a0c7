"""The pai-cost command line as a whole: every user error is one clear line, every command
has help, and the installed command starts (the two subprocess smoke tests; every other
test calls ``main(argv)`` in this process).

``pai-cost quote`` has its own tests, with its cache, in ``tests/bills/test_quotes.py``;
each command's own tests are in ``tests/cli/``.
"""

from __future__ import annotations

import pytest
from cli_runs import GENERAL_QUOTE, pai_cost, pai_cost_process

from pai_model import paths

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["breakeven", "--region", "xx-nowhere"], "unknown region xx-nowhere"),
        # documented.csv prices Shanghai's general spec without a public resource to compare
        (
            ["breakeven", "--catalog", DOCUMENTED, "--region", "cn-shanghai"],
            "no region and hardware has both",
        ),
        (["breakeven", "--catalog", "/nonexistent.csv"], "/nonexistent.csv: no such file"),
        (["breakeven", "--hours-per-month", "0"], "hours_per_month: must be greater than 0"),
    ],
    ids=["breakeven-unknown-region", "general-only-region", "missing-catalog", "bad-hours"],
)
def test_user_errors_are_one_clear_line_without_traceback(args, message):
    result = pai_cost(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert all(line.startswith("pai-cost: ") for line in result.stderr.splitlines())


def test_argument_errors_exit_2_with_usage():
    result = pai_cost("quote", "--region", "cn-shanghai")
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command", [[], ["quote"], ["breakeven"], ["catalog"], ["catalog", "check"]]
)
def test_help_everywhere(command):
    result = pai_cost(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: pai-cost")


# --- smoke tests: the command a user installs, in a new process -----------------------------


@pytest.mark.slow
def test_the_console_script_quotes_the_golden_example():
    # the billing page: 2 x 78.94 USD/month x 1 month = 157.88 USD
    result = pai_cost_process(*GENERAL_QUOTE, "--catalog", DOCUMENTED, console_script=True)
    assert result.returncode == 0, result.stderr
    assert "157.88 USD" in result.stdout


@pytest.mark.slow
def test_python_dash_m_pai_model_exits_2_with_one_line():
    # the console script's success is above; here the status leaves through sys.exit
    bad = pai_cost_process("breakeven", "--catalog", "/nonexistent.csv")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "pai-cost: error: /nonexistent.csv: no such file" in bad.stderr.splitlines()
