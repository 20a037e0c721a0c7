"""Fixtures shared by every test folder.

A fixed clock for the tests whose commands read today's date (the billing cycles of
``pai-cost usage bills``, the ``as_of`` of a fetched catalog): ``frozen_clock(module, ...)``
makes ``datetime.now`` of those modules return ``FROZEN`` during the test.

The account tests' fake Alibaba Cloud (tests/fake_alibaba.py): ``credentials``, the test
keys as the SDK's default credentials, and ``fake``, a server started for the test (serving
the test account's prices where the test or its module is marked ``served_account``).

One Dask ``LocalCluster`` per test session (per pytest-xdist worker): starting a cluster
costs seconds, so every test that needs one shares it; each test gets its own client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import ModuleType

import pytest
from fake_alibaba import running_fake, use_test_credentials

#: The moment a frozen clock reads: 2026-04-15 12:00 UTC (20:00 in Beijing, the same day).
FROZEN = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)


class _FrozenDatetime(datetime):
    """``datetime`` whose ``now`` is ``FROZEN`` (in the zone asked for)."""

    @classmethod
    def now(cls, tz=None):
        return FROZEN.astimezone(tz) if tz is not None else FROZEN.replace(tzinfo=None)


@pytest.fixture
def frozen_clock(monkeypatch) -> Callable[..., datetime]:
    """``frozen_clock(*modules)``: those modules' ``datetime.now()`` read ``FROZEN``."""

    def freeze(*modules: ModuleType) -> datetime:
        for module in modules:
            assert module.datetime is datetime, f"{module.__name__} reads no datetime clock"
            monkeypatch.setattr(module, "datetime", _FrozenDatetime)
        return FROZEN

    return freeze


@pytest.fixture
def credentials(monkeypatch) -> None:
    """The test keys as the default credential chain's. A module whose every test needs
    them says ``pytestmark = pytest.mark.usefixtures("credentials")``."""
    use_test_credentials(monkeypatch)


@pytest.fixture
def fake(request) -> Iterator[object]:
    """A fake Alibaba Cloud OpenAPI server on 127.0.0.1, stopped after the test; with the
    test account's prices (``served_account``) where the test or its module is marked
    ``served_account``, with nothing served otherwise."""
    account = request.node.get_closest_marker("served_account") is not None
    with running_fake(account=account) as server:
        yield server


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[object]:
    """Two worker processes bound to 127.0.0.1 (every partition crosses a process
    boundary, so what the kit sends to workers must pickle), closed at the end."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        yield cluster


@pytest.fixture
def dask_client(dask_cluster) -> Iterator[object]:
    """A client of the session's cluster, dask's default scheduler during this test only."""
    from distributed import Client

    with Client(dask_cluster) as client:
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the session's Dask cluster is slow (it may be the one that starts it)."""
    for item in items:
        if "dask_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
