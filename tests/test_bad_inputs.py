"""A corpus of bad input for every command: each ends in exit status 2 and clear lines.

Each case runs the command in this process through :func:`pai_model.cli.main`, so an
exception that escapes it (a traceback for a user) fails the test. Files are written per
test into a temporary folder; credentials are cleared so nothing reaches a network.
"""

from __future__ import annotations

import pytest
from fake_alibaba import use_no_credentials

from pai_model.account import bills as account_bills
from pai_model.cli import COMMANDS, main

DOCUMENTED = "documented"
JOBS_HEADER = "start,end,region_id,hardware,nodes\n"
CATALOG_HEADER = (
    "region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,"
    "currency,source,as_of\n"
)
FILES = {
    "empty.csv": "",
    "header_only.csv": CATALOG_HEADER,
    "binary.csv": b"\xff\xfe\x00\x01garbage",
    "ragged.csv": CATALOG_HEADER + "cn-shanghai,general,ecs.a,1,,USD,x,2026-01-01,extra,more\n",
    "bad_values.csv": CATALOG_HEADER
    + "cn-shanghai,gpu,ecs.a,0,72,USD,x,2026/03/24\n"
    + "cn-shanghai,general,ecs.b,1e3,,usd,,24-03-2026\n"
    + "cn-shanghai,lingjun,ml.c,1_000,0,USD,x,2026-03-24\n",
    "typo_column.csv": CATALOG_HEADER.rstrip("\n") + ",in_stok\n"
    "cn-shanghai,general,ecs.a,1,,USD,x,2026-01-01,false\n",
    "dup_column.csv": "region_id,region_id,spec\nx,y,z\n",
    "jobs_bad.csv": JOBS_HEADER
    + "yesterday,2026-01-01,cn-wulanchabu,gu7xf-8xGU108,1\n"
    + "2026-01-01,2026-01-02,cn-wulanchabu,gu7xf-8xGU108,99999999999\n"
    + "1500-01-01,9999-01-01,cn-wulanchabu,gu7xf-8xGU108,1\n",
    "jobs_mixed_tz.csv": JOBS_HEADER
    + "2026-01-01T00:00,2026-01-03T00:00+08:00,cn-wulanchabu,gu7xf-8xGU108,1\n",
    "jobs_huge_peak.csv": JOBS_HEADER
    + "2026-01-01,2026-01-09,cn-wulanchabu,gu7xf-8xGU108,100000\n" * 2,
    "jobs_ok.csv": JOBS_HEADER + "2026-01-01,2026-01-09,cn-wulanchabu,gu7xf-8xGU108,1\n",
    # documented.csv has no public resource of this general spec's hardware
    "jobs_general.csv": JOBS_HEADER + "2026-01-01,2026-01-09,cn-shanghai,ecs.g7.xlarge-4c16g,1\n",
    "params.yaml": "months: [unclosed\n",
}

#: (command line, a fragment the error must contain). {d} is the folder of FILES.
CASES = [
    # quote
    (["quote"], "required"),
    (["quote", "--region", "cn-wulanchabu", "--spec", "x", "--quantity", "1", "--months", "1"],
     "spec"),
    (["quote", "--region", "cn-wulanchabu", "--spec", "ml.gu7xf.8xlarge-gu108",
      "--quantity", "-3", "--minutes", "45"], "quantity"),
    (["quote", "--region", "cn-wulanchabu", "--spec", "ml.gu7xf.8xlarge-gu108",
      "--quantity", "1", "--minutes", "nan"], "minutes"),
    (["quote", "--region", "r", "--spec", "s", "--quantity", "1", "--months", "1",
      "--catalog", "{d}/binary.csv"], "not UTF-8"),
    (["quote", "--region", "r", "--spec", "s", "--quantity", "1", "--months", "1",
      "--catalog", "{d}"], "is a directory"),
    # breakeven
    (["breakeven", "--catalog", "{d}/empty.csv"], "no header line"),
    (["breakeven", "--catalog", "{d}/header_only.csv"], "no"),
    (["breakeven", "--catalog", "{d}/ragged.csv"], "line 2"),
    (["breakeven", "--catalog", DOCUMENTED, "--hours-per-month", "-1"], "hours_per_month"),
    (["breakeven", "--catalog", DOCUMENTED, "--region", "mars-1"], "unknown region"),
    (["breakeven", "--format", "xml"], "invalid choice"),
    # project
    (["project", "--region", "cn-wulanchabu", "--hardware", "gu7xf-8xGU108", "--start",
      "2026-13-01", "--days", "35"], "start"),
    (["project", "--region", "cn-wulanchabu", "--hardware", "gu7xf-8xGU108", "--start",
      "2026-01-01", "--end", "2025-01-01"], "end"),
    (["project", "--region", "cn-wulanchabu", "--hardware", "nope", "--start",
      "2026-01-01", "--days", "35"], "nope"),
    (["project", "--region", "cn-wulanchabu", "--hardware", "gu7xf-8xGU108", "--start",
      "2026-01-01", "--days", "35", "--hours-per-day", "25"], "hours"),
    # catalog
    (["catalog", "check", "{d}/bad_values.csv"], "line 4"),
    (["catalog", "check", "{d}/typo_column.csv"], "did you mean 'in_stock'"),
    (["catalog", "check", "{d}/dup_column.csv"], "duplicate column 'region_id'"),
    (["catalog", "check", "{d}/missing.csv"], "no such file"),
    (["catalog", "diff", "{d}/empty.csv", DOCUMENTED], "no header line"),
    (["catalog", "fetch", "--region", "cn-wulanchabu", "--out", "{d}/out.csv"], "credentials"),
    (["catalog", "discover"], "credentials"),
    (["catalog"], "ACTION"),
    # report
    (["report", "no_such_notebook"], "no notebook named"),
    (["report", "breakeven_by_region", "-p", "hours_per_month", "many"], "hours_per_month"),
    (["report", "breakeven_by_region", "-p", "catalog", "{d}/bad_values.csv"], "line 2"),
    (["report", "breakeven_by_region", "-f", "{d}/params.yaml"], "params.yaml"),
    (["report", "breakeven_by_region", "-p", "hour_per_month", "1"], "did you mean"),
    # app (checked before any server starts)
    (["app", "--port", "0"], "--port"),
    (["app", "--max-kernels", "0"], "--max-kernels"),
    (["app", "--catalog", "{d}/bad_values.csv"], "line 2"),
    (["app", "--held", "{d}/jobs_ok.csv"], "unknown column"),
    # plan
    (["plan", "{d}/jobs_bad.csv"], "line 2"),
    (["reconcile", "{d}/no_such_bills.csv"], "no such file"),
    (["reconcile", "{d}/jobs_bad.csv"], "missing required column 'BilledCost'"),
    (["reconcile", "{d}/jobs_ok.csv", "--scheduler", "tcp://127.0.0.1:1"], "cannot connect"),
    (["backtest", "{d}/jobs_bad.csv"], "line 2"),
    (["bill", "{d}/no_such_orders.csv"], "no such file"),
    (["bill", "{d}/jobs_ok.csv"], "missing required column 'spec'"),
    (["backtest", "{d}/jobs_ok.csv"], "calendar month"),
    (["plan", "{d}/jobs_mixed_tz.csv"], "--timezone"),
    (["plan", "{d}/jobs_ok.csv", "--timezone", "Mars/Olympus"], "unknown time zone"),
    (["plan", "{d}/jobs_huge_peak.csv"], "demand peaks at 200,000 nodes"),
    (["plan", "{d}/jobs_general.csv", "--catalog", DOCUMENTED], "it stays subscription-only"),
    (["plan", "{d}/jobs_ok.csv", "--seed", "-1"], "seed"),
    (["plan", "{d}/jobs_ok.csv", "--scenarios", "1000000000"], "scenarios"),
    (["plan", "{d}/jobs_ok.csv", "--months", "0"], "months"),
    (["plan", "{d}/jobs_ok.csv", "--payg-discount", "0.1"], "unrecognized arguments: --payg-discount"),
    (["plan", "synthetic", "--synthetic-days", "99999999"], "days"),
    (["plan", "{d}"], "is a directory"),
    (["plan", "{d}/jobs_ok.csv", "--held", "{d}/binary.csv"], "not UTF-8"),
    # recommend and offers
    (["recommend", "{d}/jobs_bad.csv", "--scenarios", "0"], "line 2"),
    (["recommend", "synthetic", "--lookback", "0"], "lookback_days"),
    (["recommend", "synthetic", "--held", "{d}/jobs_ok.csv"], "unknown column"),
    (["recommend", "synthetic", "--fail-on-saving-above", "-5"], "--fail-on-saving-above"),
    (["recommend", "synthetic", "--out", "{d}"], "is a folder"),
    (["recommend", "account"], "--region"),
    (["recommend", "account", "--region", "cn-wulanchabu"], "credentials"),
    (["offers", "--gpu", "H100"], "not a GPU model"),
    (["offers", "--catalog", "{d}/bad_values.csv"], "line 2"),
    # subscriptions
    (["subscriptions", "--region", "cn-wulanchabu"], "credentials"),
    # usage ({month} is the current billing cycle): the cycles and window are checked
    # before any credential is looked for
    (["usage"], "ACTION"),
    (["policy", "--out", "{d}"], "is a folder"),
    (["usage", "bills", "--start", "2020-01", "--out", "{d}/b.csv"],
     "more than 18 billing cycles back"),
    (["usage", "bills", "--start", "2026-13", "--out", "{d}/b.csv"], "not a billing cycle"),
    (["usage", "bills", "--start", "{month}", "--end", "2020-01", "--out", "{d}/b.csv"],
     "before the start"),
    (["usage", "bills", "--start", "{month}", "--end", "2999-01", "--out", "{d}/b.csv"],
     "after the current billing cycle"),
    (["usage", "bills", "--start", "{month}", "--out", "{d}/b.csv", "--bill-timezone",
      "Mars/Olympus"], "unknown time zone"),
    (["usage", "bills", "--start", "{month}"], "--out"),
    (["usage", "bills", "--start", "{month}", "--out", "{d}/b.csv", "--catalog",
      "{d}/bad_values.csv"], "line 2"),
    (["usage", "bills", "--start", "{month}", "--out", "{d}/b.csv"], "credentials"),
    (["usage", "jobs", "--region", "cn-wulanchabu", "--start", "2026-02-01", "--end",
      "2026-01-01", "--out", "{d}/j.csv"], "not after the start"),
    (["usage", "jobs", "--region", "cn-wulanchabu", "--start", "yesterday", "--end",
      "2026-01-01", "--out", "{d}/j.csv"], "not a time"),
    (["usage", "jobs", "--region", "cn-wulanchabu", "--start", "2026-01-01", "--end",
      "2026-02-01", "--out", "{d}/j.csv", "--start-field", "Duration"], "invalid choice"),
    (["usage", "jobs", "--region", "cn-wulanchabu", "--start", "2026-01-01", "--end",
      "2026-02-01", "--out", "{d}/j.csv"], "credentials"),
]  # fmt: skip


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    for name, content in FILES.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    use_no_credentials(monkeypatch, tmp_path)
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_the_corpus_covers_every_command():
    assert {argv[0] for argv, _ in CASES} == set(COMMANDS)


@pytest.mark.parametrize(("argv", "fragment"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_input_is_exit_2_with_clear_lines(corpus, capsys, frozen_clock, argv, fragment):
    # the clock of the billing cycles is fixed at 2026-04-15: {month} is that cycle
    frozen_clock(account_bills)
    month = "2026-04"
    args = [a.replace("{d}", str(corpus)).replace("{month}", month) for a in argv]
    try:
        status = main(args)
    except SystemExit as exit_:  # argparse's own usage errors exit 2 with one line
        status = exit_.code
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    assert fragment in err, err
