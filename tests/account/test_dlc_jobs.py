"""PAI-DLC ListJobs read as job records (``fetch_dlc_jobs``, ``pai-cost usage jobs``), against
the fake OpenAPI server (real HTTP, the official SDK).

Expected values are worked out by hand in the comments, from the SYNTHETIC sample
response (pai_model/data/samples/dlc_list_jobs_SYNTHETIC.json) and generated jobs.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from fake_alibaba import (
    running_fake,
    use_test_credentials,
)

from pai_model import paths
from pai_model.account.calls import Caller
from pai_model.account.clients import Clients, default_credential
from pai_model.account.dlc_jobs import fetch_dlc_jobs
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.errors import ApiError, InputError, UsageError

SAMPLE = paths.SAMPLE_DIR / "dlc_list_jobs_SYNTHETIC.json"
FAST = ["--backoff", "0.01", "--max-rate", "1000"]
DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
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


def sample():
    body = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert body.pop("_synthetic").startswith("SYNTHETIC")
    return body


def read(fake, start="2026-03-01", end="2026-04-01", catalog=True, **options):
    clients = Clients(default_credential(), {"dlc": fake.endpoint})
    caller = Caller(max_rate=1000, base_backoff=0.001)
    return fetch_dlc_jobs(
        [REGION], start, end, clients=clients, caller=caller, now=NOW,
        catalog=read_catalog(paths.DOCUMENTED_CATALOG) if catalog else None, **options,
    )  # fmt: skip


def job(number, created, running, finished, pods=1, spec=SPEC, **fields):
    return {
        "JobId": f"dlc-{number:04d}", "JobType": "PyTorchJob", "Status": "Succeeded",
        "GmtCreateTime": created, "GmtRunningTime": running, "GmtFinishTime": finished,
        "JobSpecs": [{"Type": "Worker", "PodCount": pods, "EcsSpec": spec}], **fields,
    }  # fmt: skip


def test_the_sample_response_reads_as_job_records(fake):
    fake.dlc_jobs = sample()["Jobs"]
    jobs = read(fake)
    # job 1: a master and 3 workers from 01:05 to 05:05 (GmtRunningTime to GmtFinishTime)
    assert jobs[["region_id", "hardware", "nodes", "x_role"]].values.tolist() == [
        [REGION, "gu7xf-8xGU108", 1, "Master"],
        [REGION, "gu7xf-8xGU108", 3, "Worker"],
    ]
    assert set(jobs["start"]) == {pd.Timestamp("2026-03-02 01:05")}
    assert set(jobs["end"]) == {pd.Timestamp("2026-03-02 05:05")}
    # job 2 (ecs.g6.2xlarge, not in the catalog) runs from 10:02 on 3 March until now
    # (6 March 00:00); job 4 has no EcsSpec; job 3 never ran
    assert jobs.attrs["unmapped"] == [
        {"region_id": REGION, "spec": "ecs.g6.2xlarge",
         "reason": "spec not in the catalog for this region", "job_id": "dlc-synthetic-0002",
         "role": "Worker", "start": "2026-03-03T10:02:00Z", "end": "2026-03-06T00:00:00Z",
         "nodes": 2},
        {"region_id": REGION, "spec": "",
         "reason": "no EcsSpec (a job on a resource quota gives CPU, GPU and memory instead)",
         "job_id": "dlc-synthetic-0004", "role": "Worker", "start": "2026-03-05T00:00:00Z",
         "end": "2026-03-05T12:00:00Z", "nodes": 2},
    ]  # fmt: skip
    notes = " ".join(jobs.attrs["notes"])
    assert "4 jobs listed" in notes and "1 jobs never started" in notes
    assert "1 jobs had not finished" in notes and "UNCONFIRMED" in notes
    query = fake.calls("ListJobs")[0]["query"]
    assert (query["StartTime"], query["EndTime"]) == (
        "2026-03-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
    )
    assert (query["SortBy"], query["Order"], query["PageSize"]) == ("GmtCreateTime", "asc", "100")


def test_the_sample_body_reads_into_the_sdk_model():
    from alibabacloud_pai_dlc20201203 import models

    body = sample()
    mapped = models.ListJobsResponseBody().from_map(body).to_map()
    # the model adds empty lists of its own (DataSources, ...); every field given is read

    def given_part(got, given):
        if isinstance(given, dict):
            return {key: given_part(got[key], value) for key, value in given.items()}
        if isinstance(given, list):
            return [given_part(g, v) for g, v in zip(got, given, strict=True)]
        return got

    assert given_part(mapped, body) == body


def test_every_page_is_read_and_the_window_applies(fake):
    # 25 one-hour jobs, one an hour from 00:00 on 2 March, with 1, 2, 3, 1, 2, 3, ... pods;
    # one more created in February (outside the window)
    hour = pd.Timedelta(hours=1)
    first = pd.Timestamp("2026-03-02T00:00:00Z")
    iso = "%Y-%m-%dT%H:%M:%SZ"
    fake.dlc_jobs = [
        job(j, (first + j * hour).strftime(iso), (first + j * hour).strftime(iso),
            (first + (j + 1) * hour).strftime(iso), pods=j % 3 + 1)
        for j in range(25)
    ]  # fmt: skip
    fake.dlc_jobs.append(
        job(99, "2026-02-27T00:00:00Z", "2026-02-27T00:00:00Z", "2026-02-28T00:00:00Z")
    )
    jobs = read(fake)
    assert len(jobs) == 25 and "dlc-0099" not in set(jobs["x_job_id"])
    assert len(fake.calls("ListJobs")) == 3  # 25 jobs, pages of 10
    hours = ((jobs["end"] - jobs["start"]).dt.total_seconds() / 3600 * jobs["nodes"]).sum()
    # pods 1 + 2 + 3 = 6 for each of 8 cycles (jobs 0..23) = 48, and job 24 one pod: 49
    assert hours == 49


def test_records_are_clipped_to_the_window_and_start_field_is_a_parameter(fake):
    # created 20:00 on 31 March, running 21:00 to 02:00 on 1 April; the window ends at 00:00
    fake.dlc_jobs = [job(1, "2026-03-31T20:00:00Z", "2026-03-31T21:00:00Z", "2026-04-01T02:00:00Z")]
    jobs = read(fake)
    assert (jobs.loc[0, "start"], jobs.loc[0, "end"]) == (
        pd.Timestamp("2026-03-31 21:00"), pd.Timestamp("2026-04-01 00:00"),
    )  # fmt: skip
    by_creation = read(fake, start_field="GmtCreateTime")
    assert by_creation.loc[0, "start"] == pd.Timestamp("2026-03-31 20:00")
    with pytest.raises(InputError, match="start_field"):
        read(fake, start_field="Duration")


def test_without_a_catalog_hardware_is_the_spec(fake):
    fake.dlc_jobs = [job(1, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z",
                         spec="ecs.g6.2xlarge")]  # fmt: skip
    jobs = read(fake, catalog=False)
    assert jobs["hardware"].tolist() == ["ecs.g6.2xlarge"]
    assert "no catalog: hardware is the EcsSpec itself" in jobs.attrs["notes"]


def test_malformed_jobs_are_each_named(fake):
    fake.dlc_jobs = [
        job(1, "2026-03-02T00:00:00Z", "yesterday", "2026-03-02T01:00:00Z"),
        job(2, "2026-03-02T00:01:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z", pods="two"),
        {**job(3, "2026-03-02T00:02:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z"), "JobSpecs": []},
    ]  # fmt: skip
    with pytest.raises(UsageError) as caught:
        read(fake)
    assert caught.value.messages == [
        "ListJobs cn-wulanchabu job 1 (dlc-0001): GmtRunningTime = 'yesterday': not an ISO 8601"
        " time such as 2026-01-12T14:35:01Z",
        "ListJobs cn-wulanchabu job 2 (dlc-0002): JobSpecs[1].PodCount = 'two': not a whole"
        " number of pods",
        "ListJobs cn-wulanchabu job 3 (dlc-0003): JobSpecs: missing: the job's roles and pod"
        " counts are not known",
    ]


def test_throttling_is_retried_and_a_bad_body_fails_clearly(fake):
    fake.dlc_jobs = [job(1, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z")]
    fake.faults["dlc:ListJobs"] = ["throttle", "unavailable"]
    assert len(read(fake)) == 1
    assert len(fake.calls("ListJobs")) == 3
    fake.faults["dlc:ListJobs"] = ["malformed"]
    with pytest.raises(ApiError, match="ListJobs: MalformedResponse"):
        read(fake)


def test_the_fake_refuses_an_invalid_time_range(fake):
    status, body = fake.answer("dlc", "ListJobs", "/api/v1/jobs",
                               {"StartTime": "2026-03-02T00:00:00Z", "EndTime": "2026-03-01T00:00:00Z"})  # fmt: skip
    assert (status, body["Code"]) == (400, "InvalidParameter")


def test_the_file_written_is_planned(fake, capsys, tmp_path):
    fake.dlc_jobs = sample()["Jobs"]
    out, unmapped = tmp_path / "jobs.csv", tmp_path / "unmapped.csv"
    status = main(["usage", "jobs", "--region", REGION, "--start", "2026-03-01", "--end",
                   "2026-04-01", "--out", str(out), "--unmapped-out", str(unmapped), "--catalog",
                   DOCUMENTED, *FAST, f"--endpoint=dlc={fake.endpoint}"])  # fmt: skip
    captured = capsys.readouterr()
    assert status == 0, captured.err
    # 4 h x (1 + 3) nodes = 16 node-hours
    assert "wrote 2 job records (1 requests)" in captured.out and "16.00 node-hours" in captured.out
    assert "dlc-synthetic-0002" in captured.out  # the unmapped, listed
    written = pd.read_csv(out)
    assert written.columns.tolist()[:5] == ["start", "end", "region_id", "hardware", "nodes"]
    assert written[["start", "end", "nodes"]].values.tolist() == [
        ["2026-03-02T01:05:00Z", "2026-03-02T05:05:00Z", 1],
        ["2026-03-02T01:05:00Z", "2026-03-02T05:05:00Z", 3],
    ]
    assert pd.read_csv(unmapped)["job_id"].tolist() == ["dlc-synthetic-0002", "dlc-synthetic-0004"]
    status = main(
        ["plan", str(out), "--catalog", DOCUMENTED, "--scenarios", "0", "--format", "csv"]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    plan = pd.read_csv(io.StringIO(captured.out))
    assert plan["hardware"].tolist() == ["gu7xf-8xGU108"]
