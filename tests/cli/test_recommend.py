"""``pai-cost recommend``: the purchase list on the command line, formats, exit statuses,
and the pipelines that feed it joined without edits, against the fake OpenAPI server
(tests/fake_alibaba.py: real HTTP, Alibaba's official SDKs)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import jsonschema
import pandas as pd
import pytest
from cli_runs import run_main
from fake_alibaba import (
    FAST,
    REGION,
    bill_item,
    dlc_job,
)

from pai_model import paths
from pai_model.cli import main
from pai_model.display.recommendation import SCHEMA_FILE

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
SAMPLE = str(paths.SAMPLE_DIR / "focus_sample.csv")
JOBS_SAMPLE = paths.SAMPLE_DIR / "dlc_list_jobs_SYNTHETIC.json"

pytestmark = [pytest.mark.usefixtures("credentials"), pytest.mark.served_account]


def test_synthetic_prints_a_purchase_list_with_a_grand_total(capsys):
    status, out, err = run_main(capsys, "recommend", "synthetic", "--scenarios", "50")
    assert status == 0, err
    lines = out.splitlines()
    assert (
        lines[0].startswith("Buy ")
        and "USD/month (SYNTHETIC usage, illustrative prices)" in lines[0]
    )
    assert "Total per month (USD): now" in out and "capture" in out
    assert max(len(line) for line in lines) <= 100


def test_the_embedded_sample_and_held_nodes_work_from_a_fresh_clone(capsys):
    from pai_model.account.subscriptions import SUBSCRIPTION_COLUMNS

    held = paths.SAMPLE_DIR / "subscriptions_SYNTHETIC.csv"
    # the sample of held nodes is in the columns `pai-cost subscriptions --format csv` writes
    written = pd.read_csv(held, comment="#")
    assert written.columns.tolist() == list(SUBSCRIPTION_COLUMNS)
    for usage in ("sample", SAMPLE):
        status, out, err = run_main(capsys, "recommend", usage, "--held", held, "--scenarios", "50")
        assert status == 0, err
        first = out.splitlines()[0]
        assert first.startswith("Buy 1 x ml.gu7xf.c96m1600.8-gu108 in ap-southeast-1")
        assert "(SYNTHETIC usage, SYNTHETIC held nodes, illustrative prices)" in out
        assert "renew" in out and "let_expire" in out and "Total per month (USD): now" in out


def test_the_formats_and_an_atomic_out_file(capsys, tmp_path):
    out = tmp_path / "answer.json"
    status, printed, err = run_main(
        capsys, "recommend", "synthetic", "--scenarios", "0", "--format", "json", "--out", out
    )
    assert status == 0 and printed == "" and f"wrote the recommendation (json) to {out}" in err
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert [p.name for p in tmp_path.iterdir()] == ["answer.json"]  # no temporary left
    status, markdown, _ = run_main(
        capsys, "recommend", "synthetic", "--scenarios", "0", "--format", "markdown"
    )
    assert markdown.splitlines()[0] == f"**{document['headline']}**"
    status, csv, _ = run_main(
        capsys, "recommend", "synthetic", "--scenarios", "0", "--format", "csv"
    )
    actions = pd.read_csv(io.StringIO(csv), dtype=str)
    assert [Decimal(v) for v in actions["monthly_saving"]] == [
        Decimal(a["monthly_saving"]) for a in document["actions"]
    ]


def test_fail_on_saving_above_exits_3_for_ci(capsys):
    args = ["recommend", "synthetic", "--scenarios", "0", "--no-backtest"]
    status, _, err = run_main(capsys, *args, "--fail-on-saving-above", "1000")
    assert status == 3 and "is above --fail-on-saving-above 1000" in err
    status, _, _ = run_main(capsys, *args, "--fail-on-saving-above", "10000000")
    assert status == 0
    status, _, err = run_main(capsys, *args, "--fail-on-saving-above", "lots")
    assert status == 2 and err.strip().splitlines()[-1] == (
        "pai-cost: error: --fail-on-saving-above: must be an amount of 0 or more; got 'lots'"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-file.csv"], "no such file"),
        (["synthetic", "--lookback", "0"], "lookback_days: must be a whole number of days"),
        (["synthetic", "--months", "0"], "months: must be a whole number of months"),
        (["account"], "--region: give the region(s)"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    status, _, err = run_main(capsys, "recommend", *argv, "--scenarios", "0")
    assert status == 2
    assert message in err


def test_out_naming_a_folder_is_refused_before_any_work(capsys, tmp_path):
    status, out, err = run_main(capsys, "recommend", "synthetic", "--out", tmp_path)
    assert status == 2 and out == ""
    assert f"pai-cost: error: --out: {tmp_path} is a folder; give a file name" in err


def test_subscriptions_csv_feeds_recommend_and_plan_held_unchanged(fake, capsys, tmp_path):
    # the fake account holds 11 machine groups of 2 GU108 nodes (ml.gu7xf.8xlarge-gu108,
    # prepaid, expiring 2026-08-22) and an expired general one
    status, listing, err = run_main(
        capsys, "subscriptions", "--region", REGION, "--format", "csv", *FAST, *fake.endpoint_args()
    )
    assert status == 0, err
    held = tmp_path / "held.csv"
    held.write_text(listing, encoding="utf-8")
    # purchases on 2026-08-01: the 22 nodes expire within the month. The sample bills of
    # cn-wulanchabu want 2 GU108 nodes (the last 30 days: node 2 busy 81 %, above the
    # 74.85 % break-even): renew one group of 2, let the 10 others expire. Each group let
    # go saves at most its subscription, 2 x 23,932.70 = 47,865.40 a month, less the
    # pay-as-you-go its nodes' share of the demand then costs; the shares add up to the total.
    status, out, err = run_main(
        capsys,
        "recommend",
        SAMPLE,
        "--held",
        held,
        "--catalog",
        DOCUMENTED,
        "--start",
        "2026-08-01",
        "--scenarios",
        "0",
        "--format",
        "json",
    )
    assert status == 0, err
    answer = json.loads(out)
    kinds = [a["action"] for a in answer["actions"]]
    assert kinds.count("let_expire") == 10 and kinds.count("renew") == 1
    renew = next(a for a in answer["actions"] if a["action"] == "renew")
    assert (renew["machine_group_id"], renew["nodes"], renew["date"]) == (
        "mg0",
        2,
        "2026-08-23T00:00:00Z",
    )
    assert renew["one_time_cost"] == "47865.40"  # the billing page's 2-node month
    shares = [
        Decimal(a["monthly_saving"]) for a in answer["actions"] if a["action"] == "let_expire"
    ]
    assert all(Decimal(0) < share <= Decimal("47865.40") for share in shares)
    assert sum(shares) == Decimal(answer["totals"]["monthly_saving"])
    totals = answer["totals"]
    # now: 22 x 23,932.70 = 526,519.40 held, and the sample's bursts above 22 nodes
    assert Decimal(totals["monthly_cost_now"]) > 22 * Decimal("23932.70")
    assert Decimal(totals["monthly_cost_now"]) - Decimal(totals["monthly_cost_after"]) == sum(
        shares
    )
    # the same file, unchanged, for plan --held (the jobs of a short DLC window)
    jobs = tmp_path / "jobs.csv"
    jobs.write_text(
        "start,end,region_id,hardware,nodes\n"
        "2026-08-01T00:00:00Z,2026-08-02T00:00:00Z,cn-wulanchabu,gu7xf-8xGU108,3\n"
    )
    status, out, err = run_main(
        capsys,
        "plan",
        jobs,
        "--held",
        held,
        "--catalog",
        DOCUMENTED,
        "--scenarios",
        "0",
        "--format",
        "csv",
        "--start",
        "2026-08-01",
    )
    assert status == 0, err
    plan = pd.read_csv(io.StringIO(out))
    # 22 held, all expiring 2026-08-22 within the horizon; the plan wants 3: renew 3
    assert plan.loc[0, ["held_nodes", "held_expiring", "add_nodes", "renew_nodes"]].tolist() == [
        22,
        22,
        0,
        3,
    ]


def test_usage_jobs_of_a_short_window_feed_recommend_and_plan(fake, capsys, tmp_path):
    body = json.loads(JOBS_SAMPLE.read_text(encoding="utf-8"))
    fake.dlc_jobs = body["Jobs"]
    out = tmp_path / "jobs.csv"
    window = ["--region", REGION, "--start", "2026-03-01", "--end", "2026-04-01"]
    status, _, err = run_main(
        capsys, *fake.usage_args("jobs", *window, "--catalog", DOCUMENTED, out=out)
    )
    assert status == 0, err
    # 4 hours of 1 + 3 GU108 nodes: shorter than a day, planned with a warning, not refused
    status, text, err = run_main(
        capsys, "recommend", out, "--catalog", DOCUMENTED, "--scenarios", "50"
    )
    assert status == 0, err
    assert text.splitlines()[0].startswith("Buy 4 x ml.gu7xf.c96m1600.8-gu108 in cn-wulanchabu")
    assert "WARNING: a history of 4.0 hours, shorter than a day" in err
    status, _, err = run_main(capsys, "plan", out, "--catalog", DOCUMENTED, "--scenarios", "50")
    assert status == 0, err
    assert "the savings range is wide" in err


def test_account_usage_and_held_nodes_read_through_the_sdks(fake, capsys):
    # July 2026: a PAI-DLC job of 2 GU108 nodes from 07-02 to 07-31, and daily bill lines
    # of the same nodes (which the jobs supersede: they say how busy the nodes were)
    start, end = "2026-07-02T00:00:00Z", "2026-07-31T00:00:00Z"
    fake.dlc_jobs = [dlc_job(1, start, start, end, pods=2, JobId="dlc-1")]
    for day in pd.date_range("2026-07-02", "2026-07-31").strftime("%Y-%m-%d"):
        # a day of the 2 nodes: 2,880 node-minutes x 0.73 USD/minute = 2,102.40 USD
        fake.bill_items[day].append(
            bill_item(
                BillingDate=day,
                Usage="2880",
                PretaxGrossAmount=2102.4,
                AfterDiscountAmount=2102.4,
                PretaxAmount=2102.4,
            )
        )
    status, out, err = run_main(
        capsys,
        "recommend",
        "account",
        "--held",
        "account",
        "--region",
        REGION,
        "--start",
        "2026-08-01",
        "--catalog",
        DOCUMENTED,
        "--scenarios",
        "0",
        "--format",
        "json",
        *FAST,
        *fake.endpoint_args(),
    )
    assert status == 0, err
    assert "bill lines of pairs with PAI-DLC jobs set aside" in err
    answer = json.loads(out)
    # 2 nodes busy all the time; 22 held nodes expire 2026-08-22: renew 2, let 20 go
    kinds = [a["action"] for a in answer["actions"]]
    assert (kinds.count("renew"), kinds.count("let_expire")) == (1, 10)
    assert answer["totals"]["monthly_saving"] == "478654.00"
    assert fake.calls("ListJobs") and fake.calls("DescribeInstanceBill")
    assert fake.calls("ListResourceGroupMachineGroups")


def test_a_usage_source_in_another_currency_is_refused_unless_a_rate_is_given(tmp_path, capsys):
    # the SYNTHETIC FOCUS sample relabelled CNY, against the demo catalog (USD)
    table = pd.read_csv(
        paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, keep_default_na=False, skiprows=1
    )
    table["BillingCurrency"] = "CNY"
    bills = tmp_path / "cny.csv"
    table.to_csv(bills, index=False)
    argv = ["recommend", str(bills), "--no-backtest", "--scenarios", "0"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost: error: FOCUS bills ") and "is in CNY" in err
    assert "demo.csv is in USD" in err and "--fx CNY/USD=" in err
    assert main([*argv, "--fx", "CNY/USD=0.14"]) == 0
    assert "exchange rate 1 CNY = 0.14 USD" in capsys.readouterr().err


def test_engine_dask_starts_a_local_cluster_for_the_command_with_the_pandas_answer(capsys):
    from distributed import get_client

    argv = ["recommend", SAMPLE, "--scenarios", "0", "--no-backtest", "--format", "json"]
    status, pandas_answer, err = run_main(capsys, *argv)
    assert status == 0, err
    status, dask_answer, err = run_main(capsys, *argv, "--engine", "dask")
    assert status == 0, err
    assert json.loads(dask_answer) == json.loads(pandas_answer)
    with pytest.raises(ValueError, match="No global client"):
        get_client()  # the command's cluster and client are closed with it
