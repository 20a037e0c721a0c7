"""One Alibaba SDK session: every command and reader opens it with ``clients.session``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from fake_alibaba import use_test_credentials

import pai_model
from pai_model.account.calls import DEFAULT_MAX_RATE, Caller
from pai_model.account.clients import Clients, session
from pai_model.cli._account import add_account_options
from pai_model.cli._account import session as cli_session
from pai_model.errors import PaiModelError


@pytest.fixture
def credentials(monkeypatch):
    # made-up values of the default chain's first source (nothing is sent anywhere)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-test-id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "test-secret")
    # and the values the SDK read from them at import, whichever test imported it first
    use_test_credentials(monkeypatch)


def test_the_options_of_a_command_make_the_session(credentials):
    parser = argparse.ArgumentParser()
    add_account_options(parser)
    args = parser.parse_args(
        ["--endpoint", "bss=127.0.0.1:9", "--timeout", "3", "--retries", "2", "--max-rate", "50"]
    )
    clients, caller = cli_session(args)
    assert (clients.endpoint("bss", "cn"), clients.timeout) == ("127.0.0.1:9", 3.0)
    assert (caller.retries, caller.max_rate, caller.base_backoff) == (2, 50.0, 0.5)


def test_a_reader_without_a_session_gets_the_defaults(credentials):
    clients, caller = session()
    assert clients.endpoint("bss", "intl") == "business.ap-southeast-1.aliyuncs.com"
    assert (clients.timeout, caller.retries, caller.max_rate) == (10.0, 4, DEFAULT_MAX_RATE)


def test_given_clients_and_caller_are_kept_as_they_are():
    mine, calls = Clients(credential=None), Caller(retries=0)
    assert session(clients=mine, caller=calls) == (mine, calls)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout: must be above 0 to 300; got 0"),
        ({"timeout": float("inf")}, "timeout: must be above 0 to 300; got inf"),
        ({"base_backoff": -1}, "base_backoff: must be from 0 to 8; got -1"),
        ({"base_backoff": float("nan")}, "base_backoff: must be from 0 to 8; got nan"),
        ({"retries": 1_000_000}, "retries: must be a whole number from 0 to 10; got 1000000"),
        ({"max_rate": 1e-9}, "max_rate: must be from 0.1 to 1000; got 1e-09"),
    ],
)
def test_bad_timeouts_are_refused_in_one_line(options, message):
    with pytest.raises(PaiModelError, match=re.escape(message)):
        session(clients=Clients(credential=None), **options)


def test_clients_and_credentials_are_made_in_one_module():
    # the readers of the account and the commands (not the reports' nbconvert Config)
    package = Path(pai_model.__file__).parent
    made = re.compile(r"\b(Clients|default_credential|Config)\(")
    places = sorted(
        str(path.relative_to(package))
        for folder in ("account", "cli")
        for path in (package / folder).rglob("*.py")
        if any(made.search(line) and "def " not in line for line in path.read_text().splitlines())
    )
    assert places == ["account/clients.py"]
