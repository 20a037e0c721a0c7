"""Calling the APIs: retries with backoff, a request-rate limit, paging, raw responses kept.

Every SDK call goes through :meth:`Caller.call`:

- throttling (an error code starting with ``Throttling``, or the SDK's
  ``ThrottlingException``), HTTP 5xx and network failures (timeouts, refused or reset
  connections) are retried up to ``retries`` times, waiting a random time between 0 and
  ``min(max_backoff, base_backoff x 2**attempt)`` seconds before each ("full jitter");
- other API errors (4xx) and malformed bodies are not retried;
- requests are spaced at least ``1 / max_rate`` seconds apart;
- with ``save_dir``, every response body is written there as JSON (atomically, by
  :func:`pai_model.data.files.write_text`), for audit.
  Request headers, where the signature and access key id travel, are never written.

A call that still fails raises :class:`ApiError` with the action, the API's code and
message, and whether it was retried.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pai_model.data.files import write_text
from pai_model.errors import ApiError, InputError

#: Documented limits are per API (e.g. 10 per second per user for BssOpenApi's
#: DescribeInstanceBill); the price-inquiry limits are not published, so the default stays
#: well under the lowest one seen. [request/s]
DEFAULT_MAX_RATE = 5.0
#: Bounds of the call options (``--retries``, ``--backoff``, ``--max-rate``,
#: ``--timeout``), so that no option makes a run wait without end: at most
#: :data:`MAX_RETRIES` retries a call, each wait at most :data:`MAX_BACKOFF` seconds, so a
#: call waits :data:`MAX_TOTAL_WAIT` seconds at most between its attempts. [1, s, request/s]
MAX_RETRIES = 10
MAX_BACKOFF = 8.0
MAX_TOTAL_WAIT = MAX_RETRIES * MAX_BACKOFF
MIN_RATE, MAX_RATE = 0.1, 1000.0
MAX_TIMEOUT = 300.0
#: Requests a pager makes at most for one listing (a guard against a server that never
#: ends a listing).
MAX_PAGES = 1000


@dataclass
class Caller:
    """Makes SDK calls with retries, a rate limit and (optionally) kept responses.

    Parameters
    ----------
    retries : int, default 4
        Retries of a throttled, 5xx or timed-out call (so at most ``retries + 1`` attempts).
    base_backoff, max_backoff : float, default 0.5 and 8
        Backoff before retry n is uniform in [0, min(max_backoff, base_backoff x 2**n)]. [s]
    max_rate : float, default 5
        Requests per second at most, over all services. [request/s]
    save_dir : path-like, optional
        Folder to keep every response body in, as ``NNNN-service-Action.json``.
    sleep, clock, rng
        Injected for tests: ``time.sleep``, ``time.monotonic``, a ``random.Random``.
    """

    retries: int = 4
    base_backoff: float = 0.5
    max_backoff: float = 8.0
    max_rate: float = DEFAULT_MAX_RATE
    save_dir: str | os.PathLike[str] | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    _last: float | None = field(default=None, repr=False)
    _saved: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        check_call_options(
            retries=self.retries, base_backoff=self.base_backoff, max_rate=self.max_rate
        )
        _check_number("max_backoff", self.max_backoff, 0.0, MAX_BACKOFF)

    def call(self, service: str, action: str, send: Callable[[], Any]) -> Any:
        """Call ``send()`` (one SDK request) and return the response's ``body`` model.

        Raises
        ------
        ApiError
            When the call fails for good; see the module docstring for what is retried.
        """
        attempt = 0
        while True:
            self._pace()
            try:
                response = send()
                body = response.body
                self._check_body(action, body, attempt + 1)
            except ApiError:
                raise
            except Exception as error:  # the SDK's own exceptions, classified below
                failure = classify(action, error, attempt + 1)
                if failure is not None:
                    raise failure from None
                if attempt >= self.retries:
                    raise _as_api_error(action, error, attempt + 1) from None
                self.sleep(self.backoff(attempt))
                attempt += 1
                continue
            self._save(service, action, body)
            return body

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry ``attempt`` (0-based), with full jitter. [s]

        Examples
        --------
        >>> caller = Caller(base_backoff=0.5, max_backoff=8, rng=random.Random(1))
        >>> [0 <= caller.backoff(n) <= min(8, 0.5 * 2**n) for n in range(8)]
        [True, True, True, True, True, True, True, True]
        """
        return self.rng.uniform(0, min(self.max_backoff, self.base_backoff * 2**attempt))

    def pages(
        self,
        service: str,
        action: str,
        send_page: Callable[[int, int], Any],
        items_of: Callable[[Any], list[Any] | None],
        *,
        page_size: int = 100,
        first_page: int = 1,
    ) -> Iterator[Any]:
        """Every item of a paged listing, following the pages to the end.

        ``send_page(number, size)`` makes the request of one page; ``items_of(body)`` reads
        its items. A listing ends at an empty page or once ``TotalCount`` items (the body's
        ``total_count``, an int or a numeric string) have been seen; without a
        ``TotalCount``, at a page shorter than asked. (A server may cap the page size
        below ``page_size``, so a short page alone does not end a counted listing.)
        """
        seen = 0
        for number in range(first_page, first_page + MAX_PAGES):
            body = self.call(service, action, lambda n=number: send_page(n, page_size))
            items = items_of(body) or []
            yield from items
            seen += len(items)
            total = _total(body)
            if not items or (seen >= total if total is not None else len(items) < page_size):
                return
        raise ApiError(action, "TooManyPages", f"more than {MAX_PAGES} pages", None, 1)

    def token_pages(
        self,
        action: str,
        fetch: Callable[[str | None], Any],
        items_of: Callable[[Any], list[Any] | None],
        token_of: Callable[[Any], str | None],
    ) -> Iterator[Any]:
        """Every item of a listing paged by token (BssOpenApi's ``NextToken``).

        ``fetch(token)`` returns the body of one page (``None`` for the first), already
        through :meth:`call` (or a caller of it, such as :class:`~pai_model.account.bss.Bss`);
        ``items_of(body)`` reads its items and ``token_of(body)`` the next token. The
        listing ends at an empty token. A token the server gives twice ends it with an
        error (a server that would loop forever), as do more than :data:`MAX_PAGES` pages.
        """
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            body = fetch(token)
            yield from items_of(body) or []
            token = token_of(body)
            if not token:
                return
            if token in seen:
                message = f"NextToken {_short(token, 40)!r} came back twice; the listing would loop"
                raise ApiError(action, "MalformedResponse", message, None, 1)
            seen.add(token)
        raise ApiError(action, "TooManyPages", f"more than {MAX_PAGES} pages", None, 1)

    def _pace(self) -> None:
        with self._lock:
            now = self.clock()
            if self._last is not None:
                wait = self._last + 1.0 / self.max_rate - now
                if wait > 0:
                    self.sleep(wait)
                    now += wait
            self._last = now

    def _check_body(self, action: str, body: Any, attempts: int) -> None:
        if body is None:
            raise ApiError(action, "MalformedResponse", "the response has no body", None, attempts)
        # Some BssOpenApi errors arrive as HTTP 200 with Success false.
        if getattr(body, "success", None) is False:
            code = getattr(body, "code", None) or "Failed"
            message = getattr(body, "message", None) or "the API answered Success=false"
            if str(code).startswith("Throttling"):
                raise _Retryable(code, message)
            raise ApiError(action, str(code), str(message), 200, attempts)

    def _save(self, service: str, action: str, body: Any) -> None:
        if self.save_dir is None:
            return
        with self._lock:
            self._saved += 1
            number = self._saved
        text = json.dumps(body.to_map(), indent=2, sort_keys=True, ensure_ascii=False)
        folder = Path(self.save_dir)
        folder.mkdir(parents=True, exist_ok=True)
        write_text(
            folder / f"{number:04d}-{service}-{action}.json", text + "\n", option="--save-responses"
        )


def check_call_options(
    *,
    retries: Any,
    base_backoff: Any,
    max_rate: Any,
    timeout: Any = None,
    options: bool = False,
) -> None:
    """Refuse call options beyond their bounds (:data:`MAX_RETRIES` and the others).

    ``options`` names them as the command line does (``--retries``), else as the
    arguments of :class:`Caller` and :func:`~pai_model.account.clients.session`.

    Raises
    ------
    InputError
        Naming the first option out of bounds, with its bounds.

    Examples
    --------
    >>> check_call_options(retries=1000000, base_backoff=0.5, max_rate=5, options=True)
    Traceback (most recent call last):
    ...
    pai_model.errors.InputError: --retries: must be a whole number from 0 to 10; got 1000000
    """
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= MAX_RETRIES:
        name = "--retries" if options else "retries"
        raise InputError(name, f"must be a whole number from 0 to {MAX_RETRIES}; got {retries!r}")
    _check_number("--backoff" if options else "base_backoff", base_backoff, 0.0, MAX_BACKOFF)
    _check_number("--max-rate" if options else "max_rate", max_rate, MIN_RATE, MAX_RATE)
    if timeout is not None:
        _check_number("--timeout" if options else "timeout", timeout, 0.0, MAX_TIMEOUT, above=True)


def _check_number(name: str, value: Any, low: float, high: float, above: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, f"must be a number; got {type(value).__name__}")
    inside = (low < value if above else low <= value) and value <= high
    if not (math.isfinite(value) and inside):
        bound = f"above {low:g}" if above else f"from {low:g}"
        raise InputError(name, f"must be {bound} to {high:g}; got {value!r}")


class _Retryable(Exception):
    """A throttling answer that arrived as HTTP 200 with Success=false."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _total(body: Any) -> int | None:
    total = getattr(body, "total_count", None)
    if total is None:
        total = getattr(getattr(body, "data", None), "total_count", None)
    if isinstance(total, str) and total.isdigit():
        return int(total)
    return total if isinstance(total, int) else None


def classify(action: str, error: Exception, attempts: int) -> ApiError | None:
    """None for a failure worth retrying, else the :class:`ApiError` it is."""
    from alibabacloud_tea_openapi.exceptions import ThrottlingException
    from darabonba.exceptions import ResponseException, RetryError

    if isinstance(error, _Retryable | ThrottlingException):
        return None
    if isinstance(error, ResponseException):
        code = str(error.code or "")
        status = getattr(error, "status_code", None)
        if code.startswith("Throttling") or (status is not None and status >= 500):
            return None
        return _as_api_error(action, error, attempts)
    inner = getattr(error, "inner_exception", error)
    if isinstance(inner, RetryError | OSError):  # timeouts, refused and reset connections
        return None
    return _as_api_error(action, error, attempts)


def _as_api_error(action: str, error: Exception, attempts: int) -> ApiError:
    from darabonba.exceptions import ResponseException, RetryError

    if isinstance(error, _Retryable):
        return ApiError(action, error.code, error.message, 200, attempts)
    if isinstance(error, ResponseException):
        message = re.sub(r"^code: \d+, ", "", str(error.message or ""))
        return ApiError(action, str(error.code), message, error.status_code, attempts)
    inner = getattr(error, "inner_exception", error)
    if isinstance(inner, RetryError | OSError):
        text = str(getattr(inner, "message", inner))
        code = "Timeout" if "timed out" in text.lower() else "NetworkError"
        message = f"no answer from the server ({_short(text)})"
        return ApiError(action, code, message, None, attempts)
    return ApiError(
        action,
        "MalformedResponse",
        f"the response could not be read ({_short(str(inner))})",
        None,
        attempts,
    )


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
