"""Fixtures shared by the tests that call Alibaba's SDKs against the local fake server."""

from __future__ import annotations

import pytest
from fake_alibaba import ACCESS_KEY_ID, ACCESS_KEY_SECRET, FakeAlibaba


@pytest.fixture
def credentials(monkeypatch):
    """The default chain's environment credentials, as the chain reads them.

    ``alibabacloud_credentials`` reads the environment once, at import; the in-process
    tests set the values it read (the subprocess tests set real environment variables).
    """
    from alibabacloud_credentials.utils import auth_util

    monkeypatch.setattr(auth_util, "environment_access_key_id", ACCESS_KEY_ID)
    monkeypatch.setattr(auth_util, "environment_access_key_secret", ACCESS_KEY_SECRET)


@pytest.fixture
def fake():
    """A fake OpenAPI server on 127.0.0.1, stopped after the test (modules may add data)."""
    server = FakeAlibaba().start()
    yield server
    server.stop()
