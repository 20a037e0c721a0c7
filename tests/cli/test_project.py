"""``pai-cost project``: the node's daily life and the buyable terms, stated in the output."""

from __future__ import annotations

import json

from pai_model.cli import main

BASE = ["project", "--region", "cn-wulanchabu", "--hardware", "gu7xf-8xGU108",
        "--catalog", "documented"]  # fmt: skip


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main([*BASE, *args])
    except SystemExit as stop:
        status = stop.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_project_prints_the_overhead_it_assumed(capsys):
    # 10 days x (8 h + 15 min) x 60 = 4,950 minutes x 0.73 USD = 3,613.50 USD (by hand)
    status, out, _ = run(capsys, "--start", "2026-01-01", "--days", "10", "--hours-per-day",
                         "8", "--overhead-minutes", "15")  # fmt: skip
    assert status == 0
    assert "cheapest plan: 3,613.50 USD" in out
    assert "billed 8.25 h a day (8 h of use + 15 min per start" in out
    assert "1-9 months and 1, 2, 3, 4 or 5 years (UNCONFIRMED for PAI)" in out


def test_project_buys_nine_plus_one_months(capsys):
    status, out, _ = run(capsys, "--start", "2026-01-01", "--end", "2026-11-01",
                         "--format", "json")  # fmt: skip
    assert status == 0
    document = json.loads(out)
    assert [s["months"] for s in document["segments"]] == [9, 1]
    assert document["total"] == "239327.00"  # 10 x 23,932.70 by hand
    assert "no daily start" in document["assumed"]


def test_project_refuses_a_bad_overhead_in_one_line(capsys):
    status, out, err = run(capsys, "--start", "2026-01-01", "--days", "3",
                           "--hours-per-day", "8", "--overhead-minutes", "-5")  # fmt: skip
    assert status == 2 and out == ""
    errors = [line for line in err.splitlines() if line.startswith("pai-cost: error:")]
    assert errors == ["pai-cost: error: --overhead-minutes: must be from 0 to 1,440 minutes a day; got -5.0"]
    assert "Traceback" not in err
