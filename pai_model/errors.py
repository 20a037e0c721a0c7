"""Every exception and warning the kit raises, in one place.

The hierarchy::

    ValueError
     └─ PaiModelError                  every error a user can cause
         ├─ InputError                 an argument or option is wrong (names it)
         ├─ CurrencyError              two money sources in different currencies, no rate
         ├─ TableError                 a table failed validation: every Problem at once
         │   ├─ CatalogError           a price catalog
         │   ├─ OrderError             orders to price
         │   ├─ FleetError             a fleet table
         │   ├─ JobError               job records or demand samples
         │   ├─ PlanError              nothing to plan, or a malformed demand table
         │   └─ UsageError             a bill, a FOCUS export, records of an API
         ├─ AccountError               the account cannot be read as asked
         │   ├─ CredentialsError       no credentials in Alibaba's default chain
         │   ├─ ApiError               an API call failed (after its retries)
         │   └─ FetchError             some prices or listings could not be fetched
         └─ ReportError                a report cannot be rendered
    BaseException
     └─ ReportInterrupted              a report run stopped by SIGTERM or SIGHUP
    UserWarning
     └─ PaiModelWarning                something kept or assumed that a user should know
         ├─ CatalogWarning             a catalog row kept as it is
         ├─ KeptColumnsWarning         a table's own ``x_`` columns, kept
         └─ FocusDeviationWarning      a documented departure of a FOCUS export

Every error is a :class:`ValueError`, so ``except ValueError`` catches them all; the
command line turns each into one clear message and exit status 2.

Tables (catalogs, orders, fleets, job records, demand samples) report every problem at
once: a :class:`TableError` carries them as :class:`Problem` records, each phrased the
same way for every table::

    FILE: line N: column = 'value': what is wrong
"""

from __future__ import annotations

import signal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class PaiModelError(ValueError):
    """Base class of every error the kit raises for bad input."""


class PaiModelWarning(UserWarning):
    """Base class of the kit's warnings: something kept or assumed that a user should know."""


class InputError(PaiModelError):
    """An argument or option is wrong: non-finite, out of bounds, too precise, unknown.

    ``argument`` names the offending argument (or command-line option).
    """

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}")


class CurrencyError(PaiModelError):
    """Two money sources put side by side are in different currencies, and no rate is given.

    ``currencies`` and ``sources`` are the two currencies and the two sources, in the same
    order (e.g. ``("CNY", "USD")`` and ``("bills.csv", "the catalog prices.csv")``).
    """

    def __init__(self, currencies: tuple[str, str], sources: tuple[str, str], hint: str) -> None:
        self.currencies, self.sources, self.hint = currencies, sources, hint
        super().__init__(
            f"{sources[0]} is in {currencies[0]} but {sources[1]} is in {currencies[1]};"
            f" the kit does not compare money of two currencies: {hint}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # raised on a Dask worker, it crosses to the client pickled
        return (type(self), (self.currencies, self.sources, self.hint))


@dataclass(frozen=True)
class Problem:
    """One problem of one table: where it is, the value found there, and what is wrong.

    ``line`` is the physical line of the file (the header is line 1; a DataFrame's rows
    are numbered as if it had been read from a file with a header); ``None`` for a
    problem of the whole table. ``column`` is ``None`` for a problem of a whole line or
    file; ``value`` is ``None`` where there is no cell to quote.

    Examples
    --------
    >>> str(Problem("prices.csv", "not a decimal number", line=3, column="payg_price_per_minute",
    ...             value="0,73"))
    "prices.csv: line 3: payg_price_per_minute = '0,73': not a decimal number"
    >>> str(Problem("jobs.csv", "missing required column 'end'"))
    "jobs.csv: missing required column 'end'"
    """

    source: str
    message: str
    line: int | None = None
    column: str | None = None
    value: Any = None

    def __str__(self) -> str:
        parts = [self.source] if self.source else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(self.column if self.value is None else f"{self.column} = {self.value!r}")
        parts.append(self.message)
        return ": ".join(parts)


class TableError(PaiModelError):
    """A table failed validation; ``problems`` lists every :class:`Problem` found.

    ``source`` names the table (its file, or what kind of table a DataFrame was);
    ``messages`` gives each problem as one line of text. A problem given as plain text is
    kept as it is (a :class:`Problem` without a source).
    """

    #: What kind of table this error is about, for the heading of the message.
    kind = "table"

    def __init__(self, problems: Iterable[Problem | str], source: str | None = None) -> None:
        self.source = source or self.kind
        self.problems = [p if isinstance(p, Problem) else Problem("", str(p)) for p in problems]
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {self.source}:"
        super().__init__("\n".join([head, *(f"  - {m}" for m in self.messages)]))

    @property
    def messages(self) -> list[str]:
        """Each problem as one line: ``FILE: line N: column = 'value': what is wrong``."""
        return [str(p) for p in self.problems]


class CatalogError(TableError):
    """A price catalog failed validation."""

    kind = "catalog"


class OrderError(TableError):
    """Orders could not be priced: every bad order is listed."""

    kind = "orders"


class FleetError(TableError):
    """A fleet table is malformed."""

    kind = "fleet"


class JobError(TableError):
    """Job records or demand samples are malformed."""

    kind = "jobs"


class PlanError(TableError):
    """A plan cannot be made from these inputs (a malformed demand table, nothing to plan)."""

    kind = "demand"


class UsageError(TableError):
    """A usage source (a bill, a FOCUS export, job records of an API) cannot be read."""

    kind = "usage"


class AccountError(PaiModelError):
    """The account cannot be read as asked: an endpoint, the product mapping, a listing."""


class CredentialsError(AccountError):
    """No credentials could be found in Alibaba's default credential chain."""


class ApiError(AccountError):
    """An API call failed (after the retries its kind of failure gets).

    Attributes: ``action`` (e.g. ``GetSubscriptionPrice``), ``code`` (the API's error code,
    or ``Timeout``, ``NetworkError``, ``MalformedResponse``), ``status`` (HTTP status or
    None) and ``attempts``.
    """

    def __init__(
        self, action: str, code: str, message: str, status: int | None, attempts: int
    ) -> None:
        self.action, self.code, self.status, self.attempts = action, code, status, attempts
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        http = f" HTTP {status}" if status else ""
        super().__init__(f"{action}: {code}{http}: {message}{tries}")


class FetchError(AccountError):
    """Some prices or listings could not be fetched; ``failures`` lists each with its error.

    ``what`` names the things that failed ("offers", "listings").
    """

    def __init__(self, failures: list[Any], what: str = "offers") -> None:
        self.failures = failures
        self.problems = [str(f) for f in failures]
        count = len(failures)
        super().__init__(
            f"{count} {what.rstrip('s') if count == 1 else what} could not be fetched;"
            " nothing was written (give --partial to keep the others)"
        )


class ReportError(PaiModelError):
    """A report cannot be rendered: unknown notebook, bad parameter, or a failing cell."""


class ReportInterrupted(BaseException):
    """A report run stopped by SIGTERM or SIGHUP, raised once its kernel and files are gone.

    Like :class:`KeyboardInterrupt` (what Ctrl+C raises, with the same cleanup) it is not an
    :class:`Exception`, so code that handles errors does not swallow a request to stop.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


class CatalogWarning(PaiModelWarning):
    """A catalog row kept as it is, with something its user should know."""


class KeptColumnsWarning(PaiModelWarning):
    """A table carries columns of your own (prefixed ``x_``); they are kept as they are."""


class FocusDeviationWarning(PaiModelWarning):
    """A FOCUS export departs from the spec in a way its provider documents."""


__all__ = [
    "AccountError",
    "ApiError",
    "CatalogError",
    "CatalogWarning",
    "CredentialsError",
    "CurrencyError",
    "FetchError",
    "FleetError",
    "FocusDeviationWarning",
    "InputError",
    "JobError",
    "KeptColumnsWarning",
    "OrderError",
    "PaiModelError",
    "PaiModelWarning",
    "PlanError",
    "Problem",
    "ReportError",
    "ReportInterrupted",
    "TableError",
    "UsageError",
]
