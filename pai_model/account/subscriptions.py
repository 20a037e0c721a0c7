"""``pai-cost subscriptions``: the nodes the account already holds, per region.

PaiStudio 2022-01-12 ``ListResourceGroups`` lists the resource groups of a region;
``ListResourceGroupMachineGroups`` lists each group's machine groups: a spec
(``EcsSpec``), a count (``EcsCount``), the payment type and term, start
(``GmtStartedTime``), expiry (``GmtExpiredTime``) and status. Every listing is followed
to its last page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from pai_model.account.calls import Caller
from pai_model.account.clients import Clients
from pai_model.account.fetch import Failure
from pai_model.errors import ApiError, FetchError

#: Columns of :attr:`Subscriptions.table`.
SUBSCRIPTION_COLUMNS = (
    "region_id",
    "resource_group_id",
    "resource_group",
    "resource_type",
    "machine_group_id",
    "spec",
    "nodes",
    "payment_type",
    "payment_duration",
    "payment_duration_unit",
    "start",
    "expiry",
    "status",
    "order_instance_id",
)
#: PaymentType values of a subscription: ``PREPAY`` (PaiStudio) and ``PrePay`` (the legacy
#: GetMachineGroup); the pay-as-you-go value is UNCONFIRMED (``PostPay`` in the legacy API).
PREPAID = ("PREPAY", "PrePay", "PrePaid")
#: Statuses of machine groups that no longer hold nodes.
ENDED = ("Expired", "Stopped", "Stopping")


@dataclass(frozen=True)
class Subscriptions:
    """Result of :func:`list_subscriptions`."""

    #: One row per machine group: :data:`SUBSCRIPTION_COLUMNS` (``start``/``expiry`` as
    #: UTC datetimes, NaT when absent).
    table: pd.DataFrame
    #: Listings that failed (their machine groups are absent).
    failures: list[Failure] = field(default_factory=list)


def list_subscriptions(
    regions: Iterable[str], clients: Clients, caller: Caller, *, partial: bool = False
) -> Subscriptions:
    """The machine groups the account holds in each region.

    Parameters
    ----------
    regions : iterable of str
        Region ids.
    clients, caller
        As for :func:`~pai_model.account.fetch.fetch_catalog`.
    partial : bool, default False
        Return what could be listed even if some listings failed (``failures`` says
        which); otherwise a failure raises.

    Raises
    ------
    FetchError
        Listing every failed listing, unless ``partial``.
    """
    from alibabacloud_paistudio20220112 import models

    rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    for region in dict.fromkeys(regions):
        client = clients.get("pai", region)

        def groups_page(number: int, size: int, client: Any = client) -> Any:
            request = models.ListResourceGroupsRequest(page_number=number, page_size=size)
            return client.list_resource_groups(request)

        try:
            groups = list(
                caller.pages("pai", "ListResourceGroups", groups_page, _groups, page_size=50)
            )
        except ApiError as error:
            failures.append(Failure(region, "*", "ListResourceGroups", str(error)))
            continue
        for group in groups:

            def machines_page(
                number: int, size: int, client: Any = client, group: Any = group
            ) -> Any:
                request = models.ListResourceGroupMachineGroupsRequest(
                    page_number=number, page_size=size
                )
                return client.list_resource_group_machine_groups(group.resource_group_id, request)

            try:
                machines = list(
                    caller.pages(
                        "pai",
                        "ListResourceGroupMachineGroups",
                        machines_page,
                        _machines,
                        page_size=50,
                    )
                )
            except ApiError as error:
                step = f"ListResourceGroupMachineGroups {group.resource_group_id}"
                failures.append(Failure(region, "*", step, str(error)))
                continue
            rows += [_row(region, group, machine) for machine in machines]
    if failures and not partial:
        raise FetchError(failures, "listings")
    table = pd.DataFrame(rows, columns=list(SUBSCRIPTION_COLUMNS))
    for column in ("start", "expiry"):
        table[column] = pd.to_datetime(table[column], utc=True, errors="coerce")
    table["nodes"] = pd.to_numeric(table["nodes"], errors="coerce").astype("Int64")
    return Subscriptions(table, failures)


def committed_nodes(subscriptions: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """The subscribed nodes still held: the ``committed`` table of the planner.

    Parameters
    ----------
    subscriptions : pandas.DataFrame
        :attr:`Subscriptions.table`.
    now : datetime, optional
        Machine groups that expired before it are left out; default now (UTC).

    Returns
    -------
    pandas.DataFrame
        ``region_id``, ``hardware`` (the spec), ``nodes``, ``expiry``: one row per
        subscribed (prepaid) machine group not ended or expired.

    Examples
    --------
    Of a 2-node subscription, an expired one and a pay-as-you-go group, the first is held:

    >>> held = pd.DataFrame({"region_id": ["cn-wulanchabu"] * 3,
    ...     "spec": ["ml.gu7xf.8xlarge-gu108"] * 3, "nodes": [2, 1, 4],
    ...     "payment_type": ["PREPAY", "PREPAY", "PostPay"],
    ...     "status": ["Ready", "Expired", "Ready"],
    ...     "expiry": pd.to_datetime(["2026-08-22", "2026-01-01", None], utc=True)})
    >>> committed = committed_nodes(held, now=datetime(2026, 6, 1, tzinfo=UTC))
    >>> committed[["hardware", "nodes"]].values.tolist(), str(committed.loc[0, "expiry"])
    ([['ml.gu7xf.8xlarge-gu108', 2]], '2026-08-22 00:00:00+00:00')
    """
    moment = pd.Timestamp(now or datetime.now(UTC))
    held = subscriptions[
        subscriptions["payment_type"].isin(PREPAID)
        & ~subscriptions["status"].isin(ENDED)
        & ~(subscriptions["expiry"] < moment)
    ]
    return (
        held.rename(columns={"spec": "hardware"})[["region_id", "hardware", "nodes", "expiry"]]
        .astype({"nodes": int})
        .reset_index(drop=True)
    )


def _groups(body: Any) -> list[Any] | None:
    return body.resource_groups


def _machines(body: Any) -> list[Any] | None:
    return body.machine_groups


def _row(region: str, group: Any, machine: Any) -> dict[str, Any]:
    return {
        "region_id": region,
        "resource_group_id": group.resource_group_id,
        "resource_group": group.name,
        "resource_type": machine.resource_type or group.resource_type,
        "machine_group_id": machine.machine_group_id,
        "spec": machine.ecs_spec,
        "nodes": machine.ecs_count,
        "payment_type": machine.payment_type,
        "payment_duration": machine.payment_duration,
        "payment_duration_unit": machine.payment_duration_unit,
        "start": machine.gmt_started_time,
        "expiry": machine.gmt_expired_time,
        "status": machine.status,
        "order_instance_id": machine.order_instance_id,
    }
