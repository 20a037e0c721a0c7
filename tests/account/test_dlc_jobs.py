"""PAI-DLC jobs selected by their run, not their creation (``fetch_dlc_jobs``,
``pai-cost usage jobs --lookback-days``), against the fake OpenAPI server (real HTTP, the
official SDK). The jobs are SYNTHETIC; expected values are worked out by hand in comments.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from fake_alibaba import running_fake, use_test_credentials

from pai_model.account.calls import Caller
from pai_model.account.clients import Clients, default_credential
from pai_model.account.dlc_jobs import fetch_dlc_jobs
from pai_model.cli import main
from pai_model.errors import InputError

REGION = "cn-wulanchabu"
SPEC = "ml.gu7xf.8xlarge-gu108"
#: "Now" for jobs still running: 20:00 on the window's day.
NOW = datetime(2026, 3, 1, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    use_test_credentials(monkeypatch)


@pytest.fixture
def fake():
    with running_fake(account=False) as server:
        # SYNTHETIC jobs around the window 2026-03-01T00:00Z .. 2026-03-02T00:00Z
        server.dlc_jobs = [
            # created 9 days before the window, ran into it until 06:00, 2 pods
            job("early", "2026-02-20T00:00:00Z", "2026-02-20T01:00:00Z",
                "2026-03-01T06:00:00Z", pods=2),
            # created in the window and still running (no end time), 1 pod
            job("running", "2026-03-01T10:00:00Z", "2026-03-01T10:30:00Z", None,
                status="Running"),
            # created and finished before the window: listed, but no usage in it
            job("before", "2026-02-10T00:00:00Z", "2026-02-10T00:00:00Z",
                "2026-02-11T00:00:00Z"),
        ]  # fmt: skip
        yield server


def job(name, created, running, finished, pods=1, status="Succeeded"):
    return {
        "JobId": f"dlc-{name}", "JobType": "PyTorchJob", "Status": status,
        "GmtCreateTime": created, "GmtRunningTime": running, "GmtFinishTime": finished,
        "JobSpecs": [{"Type": "Worker", "PodCount": pods, "EcsSpec": SPEC}],
    }  # fmt: skip


def read(fake, **options):
    clients = Clients(default_credential(), {"dlc": fake.endpoint})
    caller = Caller(max_rate=1000, base_backoff=0.001)
    return fetch_dlc_jobs(
        [REGION], "2026-03-01", "2026-03-02", clients=clients, caller=caller, now=NOW,
        **options,
    )  # fmt: skip


def test_a_job_created_before_the_window_that_ran_into_it_is_counted(fake):
    jobs = read(fake)
    spans = {row.x_job_id: (row.start, row.end, row.nodes) for row in jobs.itertuples(index=False)}
    # clipped to the window: 00:00 to 06:00 (started 20 February), 2 nodes
    assert spans["dlc-early"] == (
        pd.Timestamp("2026-03-01 00:00"), pd.Timestamp("2026-03-01 06:00"), 2,
    )  # fmt: skip
    # still running: from 10:30 until "now", 20:00 (before the window's end)
    assert spans["dlc-running"] == (
        pd.Timestamp("2026-03-01 10:30"), pd.Timestamp("2026-03-01 20:00"), 1,
    )  # fmt: skip
    assert "dlc-before" not in spans
    # 6 h x 2 nodes + 9.5 h x 1 node = 21.5 node-hours
    hours = ((jobs["end"] - jobs["start"]).dt.total_seconds() / 3600 * jobs["nodes"]).sum()
    assert hours == 21.5
    notes = " ".join(jobs.attrs["notes"])
    assert "3 jobs listed, created from 30 days before the window" in notes
    assert "1 jobs had not finished" in notes and "1 jobs ran outside the window" in notes


def test_the_api_is_asked_for_a_wider_creation_window(fake):
    read(fake)
    query = fake.calls("ListJobs")[0]["query"]
    # 30 days before 1 March 2026 (February has 28 days) is 30 January
    assert (query["StartTime"], query["EndTime"]) == (
        "2026-01-30T00:00:00Z", "2026-03-02T00:00:00Z",
    )  # fmt: skip


def test_lookback_days_bounds_what_is_seen(fake):
    # 5 days back asks from 24 February: the job created on 20 February is not seen
    jobs = read(fake, lookback_days=5)
    assert jobs["x_job_id"].tolist() == ["dlc-running"]
    assert fake.calls("ListJobs")[0]["query"]["StartTime"] == "2026-02-24T00:00:00Z"
    # 0 days: creation in the window only, as ListJobs alone does
    assert read(fake, lookback_days=0)["x_job_id"].tolist() == ["dlc-running"]


@pytest.mark.parametrize("bad", [-1, 367, 2.5, True, "30"])
def test_a_bad_lookback_is_refused_by_name(fake, bad):
    with pytest.raises(InputError, match="lookback_days"):
        read(fake, lookback_days=bad)


def test_usage_jobs_lookback_days_option(fake, capsys, tmp_path):
    out = tmp_path / "jobs.csv"
    argv = ["usage", "jobs", "--region", REGION, "--start", "2026-03-01", "--end", "2026-03-02",
            "--out", str(out), "--backoff", "0.01", "--max-rate", "1000",
            f"--endpoint=dlc={fake.endpoint}"]  # fmt: skip
    assert main([*argv, "--lookback-days", "10"]) == 0
    written = pd.read_csv(out)
    # the early job counts from the window start (created 9 days before: within 10)
    assert ["2026-03-01T00:00:00Z", "2026-03-01T06:00:00Z", 2] in (
        written[["start", "end", "nodes"]].values.tolist()
    )
    capsys.readouterr()
    assert main([*argv, "--lookback-days", "400"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "pai-cost: error: --lookback-days: must be a whole number from 0 to 366; got 400\n"
    )
