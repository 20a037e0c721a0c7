"""Exceptions raised for problems a user can cause.

Every class is a :class:`ValueError`, so ``except ValueError`` catches them all; the
command line turns each into one clear message and a non-zero exit status.
"""

from __future__ import annotations


class PaiModelError(ValueError):
    """Base class of every error the kit raises for bad input."""


class InputError(PaiModelError):
    """A formula argument is non-finite, negative, out of bounds or too precise.

    ``argument`` names the offending argument.
    """

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}")


class _ProblemListError(PaiModelError):
    """An error that carries every problem found, one message per problem."""

    def __init__(self, problems: list[str], what: str) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {what}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class CatalogError(_ProblemListError):
    """A price catalog failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], source: str = "catalog") -> None:
        super().__init__(problems, source)


class OrderError(_ProblemListError):
    """Orders could not be priced; ``problems`` lists every bad order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems, "orders")
