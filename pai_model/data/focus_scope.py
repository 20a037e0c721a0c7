"""Which rows of a FOCUS export are Alibaba Cloud PAI rows, and what the others are.

An account's export holds every service it uses (ECS, OSS, ...); the kit reconciles and
plans PAI compute only. A row is a **PAI row** when both hold:

* its provider is Alibaba Cloud: ``ProviderName`` matches :data:`ALIBABA_PROVIDER`
  (``Alibaba Cloud``, ``Aliyun``, ``阿里云``; any case);
* its service is PAI, by any one of:

  - ``x_CommodityCode`` (Alibaba's custom column) or ``x_ProductCode`` (the kit's rows from
    DescribeInstanceBill) is a PAI product code (:data:`PAI_PRODUCT_CODES`: ``learn``,
    the PAI product, and ``bccluster``, Lingjun nodes) or starts with one and ``_``
    (``learn_computinginstance_public_intl``);
  - ``ServiceName`` matches :data:`PAI_SERVICE_PATTERN` (``Platform for AI``,
    ``Machine Learning Platform for AI``, ``PAI``, ``Lingjun``, ``人工智能平台 PAI``).

The ``ServiceName`` Alibaba's FOCUS export writes for PAI is not documented (UNCONFIRMED),
hence the pattern and the product codes both; give another ``service_pattern`` where an
export names PAI otherwise. A table without ``ProviderName`` is taken as Alibaba Cloud's,
and one with neither ``ServiceName`` nor a code column as PAI's only: there is nothing to
tell them by (a DataFrame made by hand).

Each test is worked out once per distinct value of its column, not once per row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

#: ``ProviderName`` of Alibaba Cloud rows (a regular expression, any case).
ALIBABA_PROVIDER = r"alibaba|aliyun|阿里云"
#: ``ServiceName`` of PAI rows (a regular expression, any case). UNCONFIRMED: Alibaba's
#: export does not document the name; ``Platform for AI`` is the product's English name.
PAI_SERVICE_PATTERN = r"\bPAI\b|Platform for AI|Lingjun|灵骏|人工智能平台"
#: Product codes of PAI compute (``learn``: PAI; ``bccluster``: Lingjun nodes), from the
#: BSS price API's ProductCode and the commodity codes built on it (``learn_..._intl``).
PAI_PRODUCT_CODES = ("learn", "bccluster")
#: The columns the rule reads, where present.
SCOPE_COLUMNS = ("ProviderName", "ServiceName", "x_CommodityCode", "x_ProductCode")

#: A column as (codes per row, distinct values); a missing value is a value of None.
Coded = tuple[np.ndarray, list]


def is_pai_code(code: Any) -> bool:
    """Whether a product or commodity code is PAI compute's.

    >>> is_pai_code("learn_computinginstance_public_intl"), is_pai_code("ecs"), is_pai_code(None)
    (True, False, False)
    """
    if not isinstance(code, str):
        return False
    code = code.strip().lower()
    return any(code == p or code.startswith(p + "_") for p in PAI_PRODUCT_CODES)


def pai_mask(
    coded: Callable[[str], Coded | None],
    size: int,
    *,
    service_pattern: str = PAI_SERVICE_PATTERN,
) -> tuple[np.ndarray, Counter]:
    """Which of ``size`` rows are PAI rows, and the others counted by (provider, service).

    Parameters
    ----------
    coded : callable
        ``coded(column)``: the column's codes and distinct values, or None when the table
        has no such column.
    size : int
        The number of rows.
    service_pattern : str, default :data:`PAI_SERVICE_PATTERN`
        ``ServiceName`` of PAI rows (a regular expression, any case).

    Returns
    -------
    (numpy.ndarray, collections.Counter)
        True for each PAI row; the rows set aside by (ProviderName, ServiceName).
    """
    service_re = re.compile(service_pattern, re.IGNORECASE)
    provider_re = re.compile(ALIBABA_PROVIDER, re.IGNORECASE)

    def test(column: str, rule: Callable[[Any], bool]) -> np.ndarray | None:
        found = coded(column)
        if found is None:
            return None
        codes, values = found
        return np.array([rule(v) for v in values] + [False], dtype=bool)[codes]

    provider = test("ProviderName", lambda v: isinstance(v, str) and bool(provider_re.search(v)))
    tests = [
        test("ServiceName", lambda v: isinstance(v, str) and bool(service_re.search(v))),
        test("x_CommodityCode", is_pai_code),
        test("x_ProductCode", is_pai_code),
    ]
    given = [t for t in tests if t is not None]
    pai = np.ones(size, dtype=bool) if provider is None else provider
    if given:
        pai = pai & np.logical_or.reduce(given)
    aside: Counter = Counter()
    if not pai.all():
        names = []
        for column in ("ProviderName", "ServiceName"):
            found = coded(column)
            if found is None:
                names.append(np.array([""] * size, dtype=object))
            else:
                values = np.array(["" if v is None else str(v) for v in found[1]], dtype=object)
                names.append(values[found[0]])
        other = ~pai
        pairs = pd.Series(list(zip(names[0][other], names[1][other], strict=True)))
        aside.update(pairs.value_counts().to_dict())
    return pai, aside


def frame_codes(rows: pd.DataFrame) -> Callable[[str], Coded | None]:
    """:func:`pai_mask`'s ``coded`` for a pandas DataFrame."""

    def coded(column: str) -> Coded | None:
        if column not in rows:
            return None
        codes, values = pd.factorize(rows[column], use_na_sentinel=True)
        values = [None if pd.isna(v) else v for v in values] + [None]
        return np.where(codes < 0, len(values) - 1, codes), values

    return coded


def table_codes(table: Any) -> Callable[[str], Coded | None]:
    """:func:`pai_mask`'s ``coded`` for a pyarrow Table."""
    from pai_model.data.arrays import dictionary_codes

    def coded(column: str) -> Coded | None:
        if column not in table.column_names:
            return None
        return dictionary_codes(table[column])

    return coded


def set_aside_table(aside: Counter) -> pd.DataFrame:
    """The rows set aside as a table: ``provider``, ``service``, ``rows``, most first."""
    table = pd.DataFrame(
        [(p, s, n) for (p, s), n in aside.items()], columns=["provider", "service", "rows"]
    )
    table["rows"] = table["rows"].astype(np.int64)
    return table.sort_values(["rows", "provider", "service"], ascending=[False, True, True])


def scope_note(aside: Counter, kept: int, what: str = "Alibaba Cloud PAI lines") -> str:
    """One line: how many PAI lines were kept, how many rows set aside and whose.

    >>> print(scope_note(Counter({("Alibaba Cloud", "OSS"): 2}), 10).replace("; ", ";\n"))
    10 Alibaba Cloud PAI lines;
    2 rows of other services set aside (not PAI compute): Alibaba Cloud / OSS 2.
    """
    if not aside:
        return f"{kept:,} {what}; no rows of other services."
    table = set_aside_table(aside)
    listed = ", ".join(
        f"{r.provider or '?'} / {r.service or '?'} {r.rows:,}" for r in table.itertuples()
    )
    return (
        f"{kept:,} {what}; {int(table['rows'].sum()):,} rows of other"
        f" services set aside (not PAI compute): {listed}."
    )


def no_pai_message(aside: Counter, source: str) -> str:
    """The message for an export without a PAI row: whose rows it holds instead.

    >>> no_pai_message(Counter({("AWS", "Amazon EC2"): 3, ("AWS", "Amazon S3"): 1}), "b.csv")
    'b.csv: no Alibaba Cloud PAI rows: 4 rows of provider AWS / services Amazon EC2, Amazon S3'
    """
    if not aside:
        return f"{source}: no Alibaba Cloud PAI rows: the export has no rows"
    table = set_aside_table(aside)
    providers = ", ".join(dict.fromkeys(p or "(none)" for p in table["provider"]))
    services = ", ".join(dict.fromkeys(s or "(none)" for s in table["service"]))
    return (
        f"{source}: no Alibaba Cloud PAI rows: {int(table['rows'].sum()):,} rows of provider"
        f" {providers} / services {services}"
    )
