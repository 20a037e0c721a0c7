"""The bounds of the call options: retries, backoff, rate and timeout (``check_call_options``)."""

from __future__ import annotations

import random
import re

import pytest

from pai_model.account.calls import Caller, check_call_options
from pai_model.cli import main
from pai_model.errors import ApiError, InputError

BOUNDS = dict(retries=4, base_backoff=0.5, max_rate=5.0, timeout=10.0)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("retries", 11, "--retries: must be a whole number from 0 to 10; got 11"),
        ("retries", -1, "--retries: must be a whole number from 0 to 10; got -1"),
        ("retries", True, "--retries: must be a whole number from 0 to 10; got True"),
        ("base_backoff", 8.5, "--backoff: must be from 0 to 8; got 8.5"),
        ("max_rate", 0.0, "--max-rate: must be from 0.1 to 1000; got 0.0"),
        ("max_rate", 1e400, "--max-rate: must be from 0.1 to 1000; got inf"),
        ("timeout", 301.0, "--timeout: must be above 0 to 300; got 301.0"),
        ("timeout", "10", "--timeout: must be a number; got str"),
    ],
)
def test_options_beyond_their_bounds_are_refused_by_name(option, value, message):
    with pytest.raises(InputError, match=re.escape(message)):
        check_call_options(**{**BOUNDS, option: value}, options=True)


def test_the_bounds_themselves_are_accepted():
    check_call_options(retries=10, base_backoff=8, max_rate=1000, timeout=300, options=True)
    check_call_options(retries=0, base_backoff=0, max_rate=0.1, timeout=0.001)


def test_a_call_at_the_bounds_waits_80_seconds_at_most():
    # 10 retries, each wait at most min(8, 8 x 2^n) = 8 s: 80 s in all, plus the request
    # spacing of 1/1000 s before each of the 11 attempts (a clock that moves only by the
    # sleeps, recorded and not slept); the 11th failure is raised
    now, attempts = [0.0], []

    def sleep(seconds):
        now[0] += seconds

    caller = Caller(
        retries=10,
        base_backoff=8,
        max_rate=1000,
        sleep=sleep,
        clock=lambda: now[0],
        rng=random.Random(3),
    )

    def send():
        attempts.append(now[0])
        raise OSError("connection refused")

    with pytest.raises(ApiError, match="no answer from the server"):
        caller.call("bss", "QueryProductList", send)
    assert len(attempts) == 11
    assert 0 < now[0] <= 80 + 11 * 0.001


def test_a_caller_refuses_an_unbounded_max_backoff():
    with pytest.raises(InputError, match="max_backoff: must be from 0 to 8; got 3600"):
        Caller(max_backoff=3600)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--retries", "1000000"], "--retries: must be a whole number from 0 to 10; got 1000000"),
        (["--backoff", "9"], "--backoff: must be from 0 to 8; got 9"),
        (["--max-rate", "0.0000001"], "--max-rate: must be from 0.1 to 1000; got 1e-07"),
        (["--timeout", "301"], "--timeout: must be above 0 to 300; got 301"),
        (["--endpoint", "bss@=127.0.0.1:8080"], "--endpoint 'bss@=127.0.0.1:8080': give"),
        (["--endpoint", "bss@CN=127.0.0.1:8080"], "REGION such as cn-beijing"),
        (["--endpoint", "ecs=127.0.0.1:8080"], "SERVICE one of bss, dlc, dsw, pai"),
        (["--endpoint", "bss"], "give SERVICE=HOST:PORT"),
        (["--endpoint", "bss=http://127.0.0.1:8080"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=127.0.0.1:0"], "port from 1 to 65535"),
        (["--endpoint", "bss=127.0.0.1:99999"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=a..b"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=-evil.example"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=300.1.1.1"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=бизнес.example"], "is not HOST or HOST:PORT"),
        (["--endpoint", "bss=127.0.0.1", "--endpoint", "BSS=127.0.0.1"], "bss given twice"),
    ],
)
def test_the_command_line_refuses_them_in_one_line(capsys, argv, fragment):
    # checked before any credential is looked for (none is set here: the line is about
    # the option, not the credentials)
    status = main(["subscriptions", "--region", "cn-wulanchabu", *argv])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("pai-cost: error: "), err
    assert fragment in err, err


def test_the_bounds_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["subscriptions", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 to 10 (default 4); a call waits 80 s at most in all" in text
    assert "0 to 8 seconds" in text and "0.1 to 1000" in text and "at most 300" in text
    assert "port 1-65535" in text
