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
from pai_model.errors import ApiError, PaiModelError

#: Documented limits are per API (e.g. 10 per second per user for BssOpenApi's
#: DescribeInstanceBill); the price-inquiry limits are not published, so the default stays
#: well under the lowest one seen. [request/s]
DEFAULT_MAX_RATE = 5.0
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
        if self.retries < 0:
            raise PaiModelError(f"retries must be 0 or more; got {self.retries}")
        if not self.max_rate > 0:
            raise PaiModelError(f"the request rate must be above 0; got {self.max_rate}")

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
