"""PAI-DLC ``ListJobs``: the account's training jobs, read as the planner's job records.

:func:`fetch_dlc_jobs` selects every job of each region whose run overlaps a time window.
ListJobs filters on creation time only, so the kit asks for the jobs created from
``lookback_days`` (default
:data:`~pai_model.formulas.arguments.LOOKBACK_DAYS`, 30) before the window to its end, page by
page to the last, and keeps each job whose run ``[start, end)`` overlaps the window: a
job created before the window that ran into it is counted, its billed time clipped to the
window. A job created more than ``lookback_days`` before the window is not seen (the
bound of the query; raise it for longer jobs). It turns each job's ``JobSpecs``
into job records (:data:`~pai_model.data.jobs.JOB_COLUMNS`): one record per role (Worker,
Master, PS, ...), ``nodes`` its ``PodCount`` (one node of its ``EcsSpec`` per pod, as
public resources are billed), the ``EcsSpec`` mapped to the catalog's ``hardware``. A
record runs from the job's ``start_field`` time (default ``GmtRunningTime``) to
``GmtFinishTime`` (else the time it succeeded, failed or was stopped; a job still
running, to the end of the window or now), clipped to the window; times are UTC, as the
API writes them.

Records whose spec the catalog does not have (or that have no ``EcsSpec``: a job on a
resource quota asks for CPU, GPU and memory instead) are not planned but listed in
``attrs["unmapped"]``, never dropped silently. Jobs that never started (no start time)
used no node and are counted in the notes.

UNCONFIRMED, and a parameter: when a job starts to use (and bill) its nodes
(``start_field``; ``GmtSubmittedTime`` or ``GmtCreateTime`` instead). ``Duration`` is not
used: which interval it measures is not documented.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from pai_model.account.clients import session
from pai_model.bills.usage import lookup_hardware
from pai_model.errors import InputError, KeptColumnsWarning, Problem, UsageError
from pai_model.formulas.arguments import LOOKBACK_DAYS, check_lookback

ACTION = "ListJobs"
#: Job times that may say when a job started to run (UNCONFIRMED which one bills).
START_FIELDS = ("GmtRunningTime", "GmtSubmittedTime", "GmtCreateTime")
START_FIELD = "GmtRunningTime"
#: Times a job ended, the first one given wins.
END_FIELDS = ("GmtFinishTime", "GmtSuccessedTime", "GmtFailedTime", "GmtStoppedTime")
#: Items per page: the API's maximum.
PAGE_SIZE = 100

#: Columns of the unmapped records.
UNMAPPED_JOB_COLUMNS = (
    "region_id",
    "spec",
    "reason",
    "job_id",
    "role",
    "start",
    "end",
    "nodes",
)
_NO_SPEC = "no EcsSpec (a job on a resource quota gives CPU, GPU and memory instead)"


def fetch_dlc_jobs(
    regions: Iterable[str],
    start: Any,
    end: Any,
    *,
    catalog: pd.DataFrame | None = None,
    clients: Any = None,
    caller: Any = None,
    start_field: str = START_FIELD,
    workspace_id: str | None = None,
    now: datetime | None = None,
    lookback_days: int = LOOKBACK_DAYS,
) -> pd.DataFrame:
    """Read the PAI-DLC jobs of each region that ran in a window as job records.

    Parameters
    ----------
    regions : iterable of str
        Region ids.
    start, end : time-like
        The window, e.g. ``"2026-01-01"`` and ``"2026-02-01"`` (UTC unless an offset is
        given; ``end`` excluded).
    catalog : pandas.DataFrame, optional
        Maps each ``EcsSpec`` to the catalog's ``hardware`` (the unmapped are listed).
        Without one, ``hardware`` is the spec itself.
    clients, caller : optional
        :class:`~pai_model.account.clients.Clients` and :class:`~pai_model.account.calls.Caller`;
        default: the default credential chain, 5 requests per second, 4 retries.
    start_field : {"GmtRunningTime", "GmtSubmittedTime", "GmtCreateTime"}
        The time a record starts at (UNCONFIRMED which one billing starts at).
    workspace_id : str, optional
        List this workspace's jobs only (default: the API's default scope).
    now : datetime, optional
        When "now" is, for jobs still running (default: the current time).
    lookback_days : int, default 30
        Jobs created up to this many days before ``start`` are asked for too, and kept
        when their run overlaps the window (ListJobs filters on creation time); a whole
        number from 0 to 366. [day]

    Returns
    -------
    pandas.DataFrame
        Job records read by :func:`~pai_model.data.jobs.read_jobs` (``start``, ``end``,
        ``region_id``, ``hardware``, ``nodes``; ``x_job_id``, ``x_role``, ``x_spec``,
        ``x_status``, ``x_job_type``). ``attrs``: ``source``, ``notes``, ``requests``,
        ``unmapped`` (records of :data:`UNMAPPED_JOB_COLUMNS`).

    Raises
    ------
    InputError
        For a window that is not two times with ``end`` after ``start``, an unknown
        ``start_field`` or a ``lookback_days`` out of bounds.
    ApiError
        When a request fails for good (after its retries).
    UsageError
        Listing every malformed job (a time or a pod count that cannot be read).
    """
    from pai_model.data.jobs import read_jobs

    first, last = job_window(start, end)
    if start_field not in START_FIELDS:
        raise InputError("start_field", f"{start_field!r}: use one of {', '.join(START_FIELDS)}")
    check_lookback(lookback_days)
    created_from = first - pd.Timedelta(days=lookback_days)
    moment = pd.Timestamp(now or datetime.now(UTC)).tz_convert("UTC")
    clients, caller = session(clients=clients, caller=caller)
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    counts = {"jobs": 0, "never": 0, "running": 0, "outside": 0, "requests": 0}
    for region in dict.fromkeys(regions):
        for number, job in enumerate(
            _jobs(clients, caller, region, created_from, last, workspace_id, counts), 1
        ):
            counts["jobs"] += 1
            where = f"{ACTION} {region} job {number} ({job.get('JobId') or 'no JobId'})"
            records += _records(
                region, job, first, last, moment, start_field, where, problems, counts
            )
    source = f"PAI-DLC {ACTION} {', '.join(dict.fromkeys(regions))} {_text(first)}..{_text(last)}"
    if problems:
        raise UsageError(problems, source)
    table = pd.DataFrame(records, columns=[*_RECORD_COLUMNS])
    if catalog is None:
        table["hardware"] = table["spec"]
        reason = pd.Series(_NO_SPEC, index=table.index).to_numpy()
    else:
        table, reason = lookup_hardware(table, catalog, _NO_SPEC)
    mapped = table["hardware"].notna().to_numpy()
    unmapped = table[~mapped].assign(reason=reason[~mapped])
    unmapped = unmapped.rename(columns={"x_job_id": "job_id", "x_role": "role"})
    unmapped["spec"] = unmapped["spec"].fillna("")
    jobs = table[mapped].rename(columns={"spec": "x_spec"})
    jobs = jobs[
        [
            "start",
            "end",
            "region_id",
            "hardware",
            "nodes",
            "x_job_id",
            "x_role",
            "x_spec",
            "x_status",
            "x_job_type",
        ]
    ].reset_index(drop=True)
    jobs.attrs["source"] = source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KeptColumnsWarning)
        jobs = read_jobs(jobs)
    jobs.attrs.update(
        notes=_notes(counts, start_field, catalog is None, int((~mapped).sum()), lookback_days),
        requests=counts["requests"],
        unmapped=unmapped[list(UNMAPPED_JOB_COLUMNS)].to_dict("records"),
    )
    return jobs


_RECORD_COLUMNS = (
    "start",
    "end",
    "region_id",
    "spec",
    "nodes",
    "x_job_id",
    "x_role",
    "x_status",
    "x_job_type",
)


def _jobs(
    clients: Any,
    caller: Any,
    region: str,
    first: pd.Timestamp,
    last: pd.Timestamp,
    workspace_id: str | None,
    counts: dict[str, int],
) -> Iterable[dict[str, Any]]:
    """Every job of the window in one region, as the API's maps."""
    from alibabacloud_pai_dlc20201203 import models

    client = clients.get("dlc", region)

    def page(number: int, size: int) -> Any:
        counts["requests"] += 1
        request = models.ListJobsRequest(
            start_time=_text(first),
            end_time=_text(last),
            page_number=number,
            page_size=size,
            sort_by="GmtCreateTime",
            order="asc",
            workspace_id=workspace_id,
        )
        return client.list_jobs(request)

    for job in caller.pages("dlc", ACTION, page, lambda b: b.jobs, page_size=PAGE_SIZE):
        yield job.to_map()


def _records(
    region: str,
    job: dict[str, Any],
    first: pd.Timestamp,
    last: pd.Timestamp,
    now: pd.Timestamp,
    start_field: str,
    where: str,
    problems: list[Problem],
    counts: dict[str, int],
) -> list[dict[str, Any]]:
    """The records of one job (one per role with pods), clipped to the window."""
    before = len(problems)

    def problem(column: str, message: str, value: Any) -> None:
        problems.append(Problem(where, message, column=column, value=value))

    times = {}
    for field in (start_field, *END_FIELDS):
        value = job.get(field)
        if value not in (None, ""):
            try:
                times[field] = _time(field, value)
            except InputError:
                problem(field, "not an ISO 8601 time such as 2026-01-12T14:35:01Z", value)
    specs = job.get("JobSpecs") or []
    roles = []
    for n, spec in enumerate(specs, 1):
        pods = spec.get("PodCount")
        if isinstance(pods, bool) or not isinstance(pods, int) or pods < 0:
            problem(f"JobSpecs[{n}].PodCount", "not a whole number of pods", pods)
            continue
        if pods:
            roles.append((spec.get("Type") or "", spec.get("EcsSpec") or None, pods))
    if not specs:
        problem("JobSpecs", "missing: the job's roles and pod counts are not known", None)
    if len(problems) > before:
        return []
    began = times.get(start_field)
    if began is None:
        counts["never"] += 1
        return []
    end_field = next((f for f in END_FIELDS if f in times), None)
    ended = None if end_field is None else times[end_field]
    if ended is None:
        counts["running"] += 1
        ended = min(now, last)
    elif ended < began:
        # a job cannot finish before it starts: its record would silently vanish
        problem(
            end_field,
            f"before the job's {start_field} {_text(began)}: the job ends before it starts",
            job.get(end_field),
        )
        return []
    began, ended = max(began, first), min(ended, last)
    if ended <= began:
        counts["outside"] += 1
        return []
    return [
        {
            "start": _text(began),
            "end": _text(ended),
            "region_id": region,
            "spec": ecs,
            "nodes": pods,
            "x_job_id": job.get("JobId"),
            "x_role": role,
            "x_status": job.get("Status"),
            "x_job_type": job.get("JobType"),
        }
        for role, ecs, pods in roles
    ]


def _notes(
    counts: dict[str, int], start_field: str, no_catalog: bool, unmapped: int, lookback: int
) -> list[str]:
    notes = [
        f"{counts['jobs']:,} jobs listed, created from {lookback} days before the window to"
        " its end (ListJobs filters on creation time: a job created earlier is not seen;"
        " --lookback-days widens it); records run from"
        f" {start_field} (UNCONFIRMED when billing starts; --start-field changes it) to"
        " GmtFinishTime, clipped to the window",
    ]
    if counts["never"]:
        notes.append(f"{counts['never']:,} jobs never started (no {start_field}): no usage")
    if counts["running"]:
        notes.append(
            f"{counts['running']:,} jobs had not finished: counted until now or the window end"
        )
    if counts["outside"]:
        notes.append(f"{counts['outside']:,} jobs ran outside the window only")
    if no_catalog:
        notes.append("no catalog: hardware is the EcsSpec itself")
    if unmapped:
        notes.append(f"{unmapped:,} records not in the catalog: listed, not planned")
    return notes


def job_window(start: Any, end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window as UTC times, checked (``end`` after ``start``; naive times are UTC).

    >>> [str(t) for t in job_window("2026-01-01", "2026-01-02T08:00+08:00")]
    ['2026-01-01 00:00:00+00:00', '2026-01-02 00:00:00+00:00']
    """
    first, last = _time("start", start), _time("end", end)
    if last <= first:
        raise InputError("end", f"{end} is not after the start {start}")
    return first, last


def _time(argument: str, value: Any) -> pd.Timestamp:
    """A time as a UTC Timestamp (naive: UTC)."""
    moment = None
    if isinstance(value, str | date):  # a number would be read as nanoseconds since 1970
        try:
            moment = pd.Timestamp(
                datetime.fromisoformat(value) if isinstance(value, str) else value
            )
        except (ValueError, TypeError):
            moment = None
    if moment is None or pd.isna(moment):
        raise InputError(
            argument, f"{value!r} is not a time (e.g. 2026-01-01 or 2026-01-01T08:00Z)"
        )
    return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")


def _text(moment: pd.Timestamp) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
