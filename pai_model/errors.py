"""Exceptions raised for problems a user can cause.

Every class is a :class:`ValueError`, so ``except ValueError`` catches them all; the
command line turns each into one clear message and a non-zero exit status.

Tables (catalogs, orders, fleets, job records, demand samples) report every problem at
once: a :class:`TableError` carries them as :class:`Problem` records, each phrased the
same way for every table::

    FILE: line N: column = 'value': what is wrong
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class PaiModelError(ValueError):
    """Base class of every error the kit raises for bad input."""


class PaiModelWarning(UserWarning):
    """Base class of the kit's warnings: something kept or assumed that a user should know."""


class InputError(PaiModelError):
    """A formula argument is non-finite, negative, out of bounds or too precise.

    ``argument`` names the offending argument.
    """

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}")


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
