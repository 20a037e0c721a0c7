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
from fake_alibaba import dlc_job

from pai_model import paths
from pai_model.account.calls import Caller
from pai_model.account.clients import Clients, default_credential
from pai_model.account.dlc_jobs import fetch_dlc_jobs
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.errors import ApiError, InputError, UsageError

SAMPLE = paths.SAMPLE_DIR / "dlc_list_jobs_SYNTHETIC.json"
DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
REGION = "cn-wulanchabu"
NOW = datetime(2026, 3, 6, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("credentials")


def sample():
    body = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert body.pop("_synthetic").startswith("SYNTHETIC")
    return body


def read(fake, start="2026-03-01", end="2026-04-01", catalog=True, now=NOW, **options):
    clients = Clients(default_credential(), {"dlc": fake.endpoint})
    caller = Caller(max_rate=1000, base_backoff=0.001)
    return fetch_dlc_jobs(
        [REGION],
        start,
        end,
        clients=clients,
        caller=caller,
        now=now,
        catalog=read_catalog(paths.DOCUMENTED_CATALOG) if catalog else None,
        **options,
    )


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
        {
            "region_id": REGION,
            "spec": "ecs.g6.2xlarge",
            "reason": "spec not in the catalog for this region",
            "job_id": "dlc-synthetic-0002",
            "role": "Worker",
            "start": "2026-03-03T10:02:00Z",
            "end": "2026-03-06T00:00:00Z",
            "nodes": 2,
        },
        {
            "region_id": REGION,
            "spec": "",
            "reason": "no EcsSpec (a job on a resource quota gives CPU, GPU and memory instead)",
            "job_id": "dlc-synthetic-0004",
            "role": "Worker",
            "start": "2026-03-05T00:00:00Z",
            "end": "2026-03-05T12:00:00Z",
            "nodes": 2,
        },
    ]
    notes = " ".join(jobs.attrs["notes"])
    assert "4 jobs listed" in notes and "1 jobs never started" in notes
    assert "1 jobs had not finished" in notes and "UNCONFIRMED" in notes
    query = fake.calls("ListJobs")[0]["query"]
    # jobs created from 30 days (--lookback-days) before the window: 30 January
    assert (query["StartTime"], query["EndTime"]) == (
        "2026-01-30T00:00:00Z",
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
        dlc_job(
            j,
            (first + j * hour).strftime(iso),
            (first + j * hour).strftime(iso),
            (first + (j + 1) * hour).strftime(iso),
            pods=j % 3 + 1,
        )
        for j in range(25)
    ]
    fake.dlc_jobs.append(
        dlc_job(99, "2026-02-27T00:00:00Z", "2026-02-27T00:00:00Z", "2026-02-28T00:00:00Z")
    )
    jobs = read(fake)
    assert len(jobs) == 25 and "dlc-0099" not in set(jobs["x_job_id"])
    assert len(fake.calls("ListJobs")) == 3  # 25 jobs, pages of 10
    hours = ((jobs["end"] - jobs["start"]).dt.total_seconds() / 3600 * jobs["nodes"]).sum()
    # pods 1 + 2 + 3 = 6 for each of 8 cycles (jobs 0..23) = 48, and job 24 one pod: 49
    assert hours == 49


def test_records_are_clipped_to_the_window_and_start_field_is_a_parameter(fake):
    # created 20:00 on 31 March, running 21:00 to 02:00 on 1 April; the window ends at 00:00
    fake.dlc_jobs = [
        dlc_job(1, "2026-03-31T20:00:00Z", "2026-03-31T21:00:00Z", "2026-04-01T02:00:00Z")
    ]
    jobs = read(fake)
    assert (jobs.loc[0, "start"], jobs.loc[0, "end"]) == (
        pd.Timestamp("2026-03-31 21:00"),
        pd.Timestamp("2026-04-01 00:00"),
    )
    by_creation = read(fake, start_field="GmtCreateTime")
    assert by_creation.loc[0, "start"] == pd.Timestamp("2026-03-31 20:00")
    with pytest.raises(InputError, match="start_field"):
        read(fake, start_field="Duration")


def test_without_a_catalog_hardware_is_the_spec(fake):
    fake.dlc_jobs = [
        dlc_job(
            1,
            "2026-03-02T00:00:00Z",
            "2026-03-02T00:00:00Z",
            "2026-03-02T01:00:00Z",
            spec="ecs.g6.2xlarge",
        )
    ]
    jobs = read(fake, catalog=False)
    assert jobs["hardware"].tolist() == ["ecs.g6.2xlarge"]
    assert "no catalog: hardware is the EcsSpec itself" in jobs.attrs["notes"]


def test_malformed_jobs_are_each_named(fake):
    fake.dlc_jobs = [
        dlc_job(1, "2026-03-02T00:00:00Z", "yesterday", "2026-03-02T01:00:00Z"),
        dlc_job(
            2, "2026-03-02T00:01:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z", pods="two"
        ),
        {
            **dlc_job(3, "2026-03-02T00:02:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z"),
            "JobSpecs": [],
        },
    ]
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
    fake.dlc_jobs = [
        dlc_job(1, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z")
    ]
    fake.faults["dlc:ListJobs"] = ["throttle", "unavailable"]
    assert len(read(fake)) == 1
    assert len(fake.calls("ListJobs")) == 3
    fake.faults["dlc:ListJobs"] = ["malformed"]
    with pytest.raises(ApiError, match="ListJobs: MalformedResponse"):
        read(fake)


def test_the_fake_refuses_an_invalid_time_range(fake):
    status, body = fake.answer(
        "dlc",
        "ListJobs",
        "/api/v1/jobs",
        {"StartTime": "2026-03-02T00:00:00Z", "EndTime": "2026-03-01T00:00:00Z"},
    )
    assert (status, body["Code"]) == (400, "InvalidParameter")


def test_the_file_written_is_planned(fake, capsys, tmp_path):
    fake.dlc_jobs = sample()["Jobs"]
    out, unmapped = tmp_path / "jobs.csv", tmp_path / "unmapped.csv"
    window = ["--region", REGION, "--start", "2026-03-01", "--end", "2026-04-01"]
    options = ["--unmapped-out", str(unmapped), "--catalog", DOCUMENTED]
    status = main(fake.usage_args("jobs", *window, *options, out=out))
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


#: "Now" for jobs still running: 20:00 on the window's day.
WINDOW_NOW = datetime(2026, 3, 1, 20, tzinfo=UTC)


@pytest.fixture
def window_fake(fake):
    # SYNTHETIC jobs around the window 2026-03-01T00:00Z .. 2026-03-02T00:00Z
    fake.dlc_jobs = [
        # created 9 days before the window, ran into it until 06:00, 2 pods
        window_job(
            "early",
            "2026-02-20T00:00:00Z",
            "2026-02-20T01:00:00Z",
            "2026-03-01T06:00:00Z",
            pods=2,
        ),
        # created in the window and still running (no end time), 1 pod
        window_job(
            "running", "2026-03-01T10:00:00Z", "2026-03-01T10:30:00Z", None, status="Running"
        ),
        # created and finished before the window: listed, but no usage in it
        window_job(
            "before", "2026-02-10T00:00:00Z", "2026-02-10T00:00:00Z", "2026-02-11T00:00:00Z"
        ),
    ]
    return fake


def window_job(name, created, running, finished, pods=1, status="Succeeded"):
    return dlc_job(0, created, running, finished, pods=pods, JobId=f"dlc-{name}", Status=status)


def read_window(window_fake, **options):
    """The jobs of 1 March 2026, read at 20:00 that day, without a catalog."""
    return read(window_fake, end="2026-03-02", catalog=False, now=WINDOW_NOW, **options)


def test_a_job_created_before_the_window_that_ran_into_it_is_counted(window_fake):
    jobs = read_window(window_fake)
    spans = {row.x_job_id: (row.start, row.end, row.nodes) for row in jobs.itertuples(index=False)}
    # clipped to the window: 00:00 to 06:00 (started 20 February), 2 nodes
    assert spans["dlc-early"] == (
        pd.Timestamp("2026-03-01 00:00"),
        pd.Timestamp("2026-03-01 06:00"),
        2,
    )
    # still running: from 10:30 until "now", 20:00 (before the window's end)
    assert spans["dlc-running"] == (
        pd.Timestamp("2026-03-01 10:30"),
        pd.Timestamp("2026-03-01 20:00"),
        1,
    )
    assert "dlc-before" not in spans
    # 6 h x 2 nodes + 9.5 h x 1 node = 21.5 node-hours
    hours = ((jobs["end"] - jobs["start"]).dt.total_seconds() / 3600 * jobs["nodes"]).sum()
    assert hours == 21.5
    notes = " ".join(jobs.attrs["notes"])
    assert "3 jobs listed, created from 30 days before the window" in notes
    assert "1 jobs had not finished" in notes and "1 jobs ran outside the window" in notes


def test_the_api_is_asked_for_a_wider_creation_window(window_fake):
    read_window(window_fake)
    query = window_fake.calls("ListJobs")[0]["query"]
    # 30 days before 1 March 2026 (February has 28 days) is 30 January
    assert (query["StartTime"], query["EndTime"]) == (
        "2026-01-30T00:00:00Z",
        "2026-03-02T00:00:00Z",
    )


def test_lookback_days_bounds_what_is_seen(window_fake):
    # 5 days back asks from 24 February: the job created on 20 February is not seen
    jobs = read_window(window_fake, lookback_days=5)
    assert jobs["x_job_id"].tolist() == ["dlc-running"]
    assert window_fake.calls("ListJobs")[0]["query"]["StartTime"] == "2026-02-24T00:00:00Z"
    # 0 days: creation in the window only, as ListJobs alone does
    assert read_window(window_fake, lookback_days=0)["x_job_id"].tolist() == ["dlc-running"]


@pytest.mark.parametrize("bad", [-1, 367, 2.5, True, "30"])
def test_a_bad_lookback_is_refused_by_name(window_fake, bad):
    with pytest.raises(InputError, match="lookback_days"):
        read_window(window_fake, lookback_days=bad)


def test_usage_jobs_lookback_days_option(window_fake, capsys, tmp_path):
    out = tmp_path / "jobs.csv"
    window = ["--region", REGION, "--start", "2026-03-01", "--end", "2026-03-02"]
    command = window_fake.usage_args("jobs", *window, out=out)
    assert main([*command, "--lookback-days", "10"]) == 0
    written = pd.read_csv(out)
    # the early job counts from the window start (created 9 days before: within 10)
    assert ["2026-03-01T00:00:00Z", "2026-03-01T06:00:00Z", 2] in (
        written[["start", "end", "nodes"]].values.tolist()
    )
    capsys.readouterr()
    assert main([*command, "--lookback-days", "400"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "pai-cost: error: --lookback-days: must be a whole number from 0 to 366; got 400\n"
    )


def _job(number, running, finished, end_field="GmtFinishTime"):
    """A job created on 1 March 2026 whose end is given in ``end_field`` only."""
    made = dlc_job(number, "2026-03-01T00:00:00Z", running, finished)
    made[end_field] = made.pop("GmtFinishTime")
    return made


@pytest.mark.parametrize("end_field", ["GmtFinishTime", "GmtFailedTime", "GmtStoppedTime"])
def test_a_job_ending_before_it_starts_is_named(fake, end_field):
    fake.dlc_jobs = [
        _job(1, "2026-03-02T01:00:00Z", "2026-03-02T02:00:00Z"),
        _job(2, "2026-03-02T05:00:00Z", "2026-03-02T04:59:59Z", end_field),
    ]
    with pytest.raises(UsageError) as error:
        read(fake)
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
    jobs = read(fake)
    assert jobs["x_job_id"].tolist() == ["dlc-0001"]
    assert (jobs["end"] - jobs["start"]).tolist() == [pd.Timedelta(hours=1)]
