"""A DLC job that finishes before it starts is reported, not silently left out.

Generated ListJobs items (synthetic) served by the fake OpenAPI server (real HTTP, the
official SDK).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from fake_alibaba import running_fake, use_test_credentials

from pai_model import paths
from pai_model.account.calls import Caller
from pai_model.account.clients import Clients, default_credential
from pai_model.account.dlc_jobs import fetch_dlc_jobs
from pai_model.data.catalog import read_catalog
from pai_model.errors import UsageError

REGION = "cn-wulanchabu"
SPEC = "ml.gu7xf.8xlarge-gu108"
NOW = datetime(2026, 3, 6, tzinfo=UTC)


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    use_test_credentials(monkeypatch)


@pytest.fixture
def fake():
    with running_fake(account=False) as server:
        yield server


def _read(fake, **options):
    clients = Clients(default_credential(), {"dlc": fake.endpoint})
    caller = Caller(max_rate=1000, base_backoff=0.001)
    return fetch_dlc_jobs(
        [REGION], "2026-03-01", "2026-04-01", clients=clients, caller=caller, now=NOW,
        catalog=read_catalog(paths.DOCUMENTED_CATALOG), **options,
    )  # fmt: skip


def _job(number, running, finished, end_field="GmtFinishTime"):
    return {
        "JobId": f"dlc-{number:04d}", "JobType": "PyTorchJob", "Status": "Succeeded",
        "GmtCreateTime": "2026-03-01T00:00:00Z", "GmtRunningTime": running, end_field: finished,
        "JobSpecs": [{"Type": "Worker", "PodCount": 1, "EcsSpec": SPEC}],
    }  # fmt: skip


@pytest.mark.parametrize("end_field", ["GmtFinishTime", "GmtFailedTime", "GmtStoppedTime"])
def test_a_job_ending_before_it_starts_is_named(fake, end_field):
    fake.dlc_jobs = [
        _job(1, "2026-03-02T01:00:00Z", "2026-03-02T02:00:00Z"),
        _job(2, "2026-03-02T05:00:00Z", "2026-03-02T04:59:59Z", end_field),
    ]
    with pytest.raises(UsageError) as error:
        _read(fake)
    [message] = error.value.messages
    assert "job 2 (dlc-0002)" in message
    assert f"{end_field} = '2026-03-02T04:59:59Z'" in message
    assert "ends before it starts" in message


def test_a_job_of_no_time_and_one_in_order_are_kept_apart(fake):
    # a job finishing as it starts used no time (no record, no error); the other ran an hour
    fake.dlc_jobs = [
        _job(1, "2026-03-02T01:00:00Z", "2026-03-02T02:00:00Z"),
        _job(2, "2026-03-02T05:00:00Z", "2026-03-02T05:00:00Z"),
    ]
    jobs = _read(fake)
    assert jobs["x_job_id"].tolist() == ["dlc-0001"]
    assert (jobs["end"] - jobs["start"]).tolist() == [pd.Timedelta(hours=1)]
