"""The pai-cost command line, run as a user runs it: a subprocess, its output and exit code.

``pai-cost quote`` has its own tests, with its cache, in ``test_quote.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pai_model import paths

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


def pai_cost(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pai_model.cli", *args], capture_output=True, text=True, timeout=120
    )


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
)  # fmt: skip
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


def test_breakeven_table_and_formats():
    table = pai_cost("breakeven", "--catalog", DOCUMENTED)
    assert table.returncode == 0, table.stderr
    assert "cn-wulanchabu" in table.stdout and "17.96" in table.stdout and "74.9%" in table.stdout
    assert "assumption" in table.stdout
    records = json.loads(pai_cost("breakeven", "--catalog", DOCUMENTED, "--format", "json").stdout)
    assert len(records) == 1
    # 23,932.70 / 0.73 = 32,784.52 minutes (hand calculation)
    assert round(records[0]["break_even_minutes"], 2) == 32784.52
    csv = pai_cost(
        "breakeven", "--catalog", DOCUMENTED, "--format", "csv", "--hours-per-month", "720"
    )
    header, row = csv.stdout.strip().splitlines()
    values = dict(zip(header.split(","), row.split(","), strict=False))
    # 32,784.52 / 43,200 minutes in a 720-hour month = 0.7589
    assert round(float(values["break_even_utilization"]), 4) == 0.7589


def test_breakeven_on_default_catalog_warns_about_illustrative_prices():
    result = pai_cost("breakeven", "--region", "cn-beijing", "--region", "cn-wulanchabu")
    assert result.returncode == 0
    rows = [line.split()[0] for line in result.stdout.split("\n\n")[0].splitlines()[1:]]
    # 4 Lingjun hardware keys and 4 general ones (against their public resources) each
    assert rows.count("cn-beijing") == 8 and rows.count("cn-wulanchabu") == 8
    # the demo catalog's out-of-stock Beijing hardware is named with the reason
    assert (
        "  - cn-beijing gp7vf-16xAccelerator: subscription offer ml.gp7vf.16.40xlarge is out of"
        " stock in cn-beijing: it cannot be purchased now;" in result.stdout
    )
    assert "WARNING: illustrative prices" in result.stderr


def test_catalog_check(tmp_path):
    ok = pai_cost("catalog", "check", DOCUMENTED)
    assert ok.returncode == 0
    assert ok.stdout.strip().endswith(
        "OK: 3 offers: 3 documented, 0 illustrative. 2 regions, 0 out of stock."
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region_id,resource_type,spec,subscription_price_per_month,currency,source,as_of\n"
        "cn-shanghai,general,ecs.a,abc,USD,x,2026-01-01\n"
        "cn-shanghai,gpu,b,1,USD,x,2026-01-01\n"
    )
    result = pai_cost("catalog", "check", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"pai-cost: error: 2 problems in {bad}:"
    assert f"{bad}: line 2: subscription_price_per_month = 'abc'" in lines[1]
    assert f"{bad}: line 3: resource_type = 'gpu'" in lines[2]
