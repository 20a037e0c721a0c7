"""A usage history from any mix of sources, as one demand table.

A *source* is what the kit reads as usage: a jobs CSV or Parquet file (the columns of
:data:`~pai_model.data.jobs.JOB_COLUMNS`, as ``pai-cost usage jobs`` writes them), a FOCUS
export (CSV, gzip, Parquet, a folder, a glob, a zip or an ``oss://`` URL, as Alibaba pushes
it or ``pai-cost usage bills`` writes it), a DataFrame of either, ``"synthetic"`` (the
kit's seeded synthetic usage), or ``"sample"`` (the kit's embedded SYNTHETIC FOCUS
export); the kit's own sample files are labelled synthetic wherever they are named. A
file is told apart by its first bytes: FOCUS rows have ``ChargePeriodStart``. FOCUS
exports are streamed
(:func:`~pai_model.decisions.planning.focus_demand.demand_from_focus`), so a year of a
large organization's lines never sits in memory.

Each source becomes a demand table on the one-minute grid; several are added up, pair by
pair, over the union of their windows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pai_model import paths
from pai_model.bills.exchange import bill_sources, checked_currencies
from pai_model.data.jobs import read_jobs
from pai_model.data.synthetic import SYNTHETIC, synthetic_jobs
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.prices import plannable_pairs
from pai_model.errors import InputError
from pai_model.formulas.arguments import wrong_type
from pai_model.formulas.currency import fx_rates, rates_text

#: The source that names the kit's embedded SYNTHETIC FOCUS export.
SAMPLE = "sample"
#: The file ``sample`` names.
SAMPLE_FILE = paths.SAMPLE_DIR / "focus_sample.csv"
#: Pairs of the synthetic usage, at most: the purchase list stays readable.
SYNTHETIC_PAIRS = 2


@dataclass(frozen=True)
class UsageHistory:
    """Result of :func:`read_usage`."""

    #: The demand table of every source added up (one minute grid).
    demand: pd.DataFrame
    #: What each source was, in words (a file and its kind, ``synthetic``).
    sources: list[str]
    #: Lines or records set aside, with why (FOCUS lines of other services, ...).
    notes: list[str] = field(default_factory=list)
    #: Whether any source is synthetic.
    synthetic: bool = False
    #: Exchange rates (by (from, to)) that let a source billed in another currency than
    #: the catalog be planned with the catalog's prices.
    rates: dict[tuple[str, str], Any] = field(default_factory=dict)


#: What a usage source is, for the message that refuses another.
USAGE_WORDS = (
    "a path or a URL (str or os.PathLike), 'synthetic', a DataFrame of job records or of"
    " FOCUS rows, or a list of them"
)


def read_usage(
    sources: Any,
    catalog: pd.DataFrame,
    *,
    spec_column: str = "SkuId",
    synthetic_days: int = 120,
    seed: int = 0,
    timezone: str | None = None,
    client: Any = None,
    by_day: bool = False,
    fx: Any = None,
) -> UsageHistory:
    """Read usage from one source or several into one demand table.

    Parameters
    ----------
    sources : str, path-like, pandas.DataFrame, or a list of them
        Each a jobs file, a FOCUS export, a DataFrame of job records or of FOCUS rows,
        ``"synthetic"`` or ``"sample"`` (see the module's docstring).
    catalog : pandas.DataFrame
        Maps billed specs to hardware; the synthetic usage runs on its first
        :data:`SYNTHETIC_PAIRS` pairs offered both ways at per-minute prices.
    spec_column : str, default "SkuId"
        The FOCUS column naming the node spec.
    synthetic_days : int, default 120
        Days of synthetic usage. [day]
    seed : int, default 0
        Seed of the synthetic usage.
    timezone : str, optional
        Time zone of job times written without a UTC offset.
    client : distributed.Client, optional
        Stream FOCUS exports on its workers.
    by_day : bool, default False
        Give streamed FOCUS exports' demand grouped by level within each day
        (:func:`~pai_model.decisions.planning.demand_windows.demand_from_grid`), which
        every decision reads the same and holds in far fewer rows.
    fx : mapping or list of str, optional
        Exchange rates (:func:`~pai_model.formulas.currency.fx_rates`). A FOCUS source
        whose ``BillingCurrency`` differs from the catalog's currency of its (region,
        spec) is refused (:class:`~pai_model.errors.CurrencyError`) unless a rate from the
        bill's currency to the catalog's is given; its usage (node-minutes, no money) is
        then planned with the catalog's prices, and the rate noted.

    Returns
    -------
    UsageHistory
        The demand and what it was read from.

    Raises
    ------
    UsageError, JobError
        A source that cannot be read, listing its problems.
    InputError
        No source given.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> usage = read_usage("synthetic", read_catalog(), synthetic_days=7)
    >>> usage.sources, usage.synthetic
    (['synthetic sample (seed 0, 7 days from 2026-01-05)'], True)
    >>> sorted(set(usage.demand["hardware"]))
    ['gp7vf-16xAccelerator', 'gu7xf-8xGU108']
    """
    given = sources if isinstance(sources, (list, tuple)) else [sources]
    if not given:
        raise InputError("usage", "give at least one source: a file, 'synthetic' or 'account'")
    rates = fx_rates(fx)
    demands, names, notes, used = [], [], [], {}
    for source in given:
        demand, name, found = _one(
            source, catalog, spec_column, synthetic_days, seed, timezone, (client, by_day)
        )
        triples = demand.attrs.pop("currencies", set())
        used |= checked_currencies(triples, catalog, (name, bill_sources(None, catalog)[1]), rates)
        demands.append(demand)
        names.append(name)
        notes += found
    if used:
        notes.append(
            f"{rates_text(used)}: usage billed in another currency than the catalog is"
            " planned with the catalog's prices."
        )
    synthetic = any(bool(d.attrs.get("synthetic")) for d in demands)
    demand = demands[0] if len(demands) == 1 else _added(demands, names)
    demand.attrs["synthetic"] = synthetic
    return UsageHistory(demand, names, notes, synthetic, used)


def _one(
    source: Any,
    catalog: pd.DataFrame,
    spec_column: str,
    synthetic_days: int,
    seed: int,
    timezone: str | None,
    streaming: tuple[Any, bool],
) -> tuple[pd.DataFrame, str, list[str]]:
    """One source's demand, its name and its notes; ``streaming`` is the Dask client and
    whether to group streamed demand by day."""
    from pai_model.bills.usage import map_specs, usage_jobs
    from pai_model.data.sources import expand
    from pai_model.decisions.planning.focus_demand import demand_from_focus

    if isinstance(source, pd.DataFrame):
        if "ChargePeriodStart" in source.columns:  # FOCUS rows, e.g. read from the account
            mapped = map_specs(source, catalog, spec_column=spec_column)
            jobs = usage_jobs(mapped.rows)
            notes = _unmapped_notes(mapped.unmapped, source.attrs.get("source", "bills"))
            demand = demand_from_jobs(jobs, timezone=timezone)
            known = mapped.rows[mapped.rows["hardware"].notna()]
            demand.attrs["currencies"] = set(
                zip(known["region_id"], known["spec"], known["BillingCurrency"], strict=True)
            )
            return demand, jobs.attrs["source"], notes
        demand = demand_from_jobs(source, timezone=timezone)
        return demand, str(source.attrs.get("source", "job records")), []
    if not isinstance(source, str | os.PathLike):
        raise wrong_type("usage", USAGE_WORDS, source)
    if str(source) == SYNTHETIC:
        pairs = plannable_pairs(catalog, public_payg=False)[:SYNTHETIC_PAIRS]
        jobs = synthetic_jobs(pairs, days=synthetic_days, seed=seed)
        return demand_from_jobs(jobs), jobs.attrs["source"], []
    text = os.fspath(SAMPLE_FILE if str(source) == SAMPLE else source)
    head = _head(expand(text)[0])
    if b"ChargePeriodStart" in head or (head.startswith(b"PAR1") and _is_focus(text)):
        client, by_day = streaming
        found = demand_from_focus(
            text, catalog, spec_column=spec_column, client=client, by_day=by_day
        )
        notes = [f"{text}: FOCUS {found.focus_version} export (told by its columns)"]
        notes += _set_aside_notes(found.set_aside, text, found.lines)
        demand = found.demand
        demand.attrs["currencies"] = found.currencies
        name = f"FOCUS bills {text} ({found.used:,} of {found.lines:,} lines)"
    else:
        jobs = read_jobs(text, timezone=timezone)
        demand, name, notes = demand_from_jobs(jobs), f"jobs {text} ({len(jobs):,} records)", []
    if is_sample(text):  # the kit's own made-up files: labelled as such everywhere
        demand.attrs["synthetic"] = True
        name = f"SYNTHETIC sample {name}"
    return demand, name, notes


def is_sample(source: Any) -> bool:
    """Whether ``source`` is one of the kit's embedded SYNTHETIC sample files."""
    try:
        return Path(os.fspath(source)).resolve().is_relative_to(paths.SAMPLE_DIR.resolve())
    except (TypeError, ValueError, OSError):
        return False


def _head(part: Any) -> bytes:
    """The first bytes of a part's table (unpacked), without reading a big file whole."""
    from pai_model.data.sources import head as stored_head
    from pai_model.data.sources import read_bytes

    head = stored_head(part) if part.member is None else b""
    if part.member is not None or head[:2] == b"\x1f\x8b":
        return read_bytes(part)[:4096]
    return head


def _is_focus(source: str) -> bool:
    """A Parquet source is FOCUS when its first part has a ``ChargePeriodStart`` column."""
    from pai_model.data.sources import expand, open_parquet

    with open_parquet(expand(source)[0]) as reader:
        return "ChargePeriodStart" in reader.schema_arrow.names


def _set_aside_notes(set_aside: pd.DataFrame, source: str, lines: int) -> list[str]:
    if set_aside.empty:
        return []
    parts = []
    for reason, group in set_aside.groupby("reason", sort=True):
        specs = sorted(set(s for s in group["spec"] if s))
        shown = ", ".join(specs[:5]) + (f" and {len(specs) - 5} more" if len(specs) > 5 else "")
        parts.append(
            f"{int(group['rows'].sum()):,} lines: {reason}" + (f" ({shown})" if shown else "")
        )
    total = int(set_aside["rows"].sum())
    return [f"{source}: {total:,} of {lines:,} lines set aside, not planned: " + "; ".join(parts)]


def _unmapped_notes(unmapped: pd.DataFrame, source: str) -> list[str]:
    if unmapped.empty:
        return []
    specs = ", ".join(f"{r.region_id} / {r.spec} ({r.rows:,})" for r in unmapped.itertuples())
    return [f"{source}: lines of specs the catalog lacks set aside, not planned: {specs}"]


def _added(demands: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """Demand tables added up pair by pair, over the union of their windows.

    Each table's intervals of demand are job records of their level; the records of all
    the tables make one demand table again (a pair in several sources adds up).
    """
    frames = []
    for demand in demands:
        busy = demand[demand["nodes"] > 0]
        frames.append(
            pd.DataFrame(
                {
                    "start": busy["start"].to_numpy(),
                    "end": busy["end"].to_numpy(),
                    "region_id": busy["region_id"].astype(str).to_numpy(),
                    "hardware": busy["hardware"].astype(str).to_numpy(),
                    "nodes": busy["nodes"].to_numpy(np.int64),
                }
            )
        )
    windows = [d.attrs["window"] for d in demands]
    jobs = pd.concat(frames, ignore_index=True)
    jobs.attrs["source"] = " + ".join(names)
    return demand_from_jobs(jobs, start=min(w[0] for w in windows), end=max(w[1] for w in windows))


def account_sources(
    bills: pd.DataFrame | None,
    jobs: pd.DataFrame | None,
    catalog: pd.DataFrame,
    *,
    spec_column: str = "SkuId",
) -> tuple[list[pd.DataFrame], list[str]]:
    """The sources of the account's usage, each (region, hardware) counted once.

    PAI-DLC job records say how many nodes ran and when, on subscribed nodes too; bill
    lines say only what was billed (a subscribed node is busy its whole charge period).
    So a pair with job records is read from its jobs and its bill lines are set aside;
    the bill lines of the other pairs are read as usage.

    Parameters
    ----------
    bills : pandas.DataFrame, optional
        FOCUS rows (:func:`pai_model.account.bills.fetch_instance_bills`).
    jobs : pandas.DataFrame, optional
        Job records (:func:`pai_model.account.dlc_jobs.fetch_dlc_jobs`).
    catalog : pandas.DataFrame
        Maps billed specs to hardware.
    spec_column : str, default "SkuId"
        The FOCUS column naming the spec.

    Returns
    -------
    (list of pandas.DataFrame, list of str)
        The sources for :func:`read_usage`, and a note of what was set aside.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> jobs = pd.DataFrame({"start": ["2026-03-02T01:00:00Z"], "end": ["2026-03-02T05:00:00Z"],
    ...     "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108", "nodes": [1]})
    >>> bills = pd.DataFrame({"RegionId": ["cn-wulanchabu"],
    ...     "SkuId": ["ml.gu7xf.8xlarge-gu108"], "ChargeCategory": "Usage",
    ...     "ListCost": ["175.20"], "BillingCurrency": "USD"})
    >>> sources, notes = account_sources(bills, jobs, read_catalog())
    >>> len(sources), notes[0].split(":")[0]
    (1, '1 bill lines of pairs with PAI-DLC jobs set aside (the jobs say how busy they were)')
    """
    from pai_model.bills.usage import map_specs

    sources, notes = [], []
    pairs: set[tuple[str, str]] = set()
    if jobs is not None and len(jobs):
        sources.append(jobs)
        pairs = set(zip(jobs["region_id"].astype(str), jobs["hardware"].astype(str), strict=True))
    if bills is not None and len(bills):
        mapped = map_specs(bills, catalog, spec_column=spec_column).rows
        keys = zip(mapped["region_id"].astype(str), mapped["hardware"].astype(str), strict=True)
        covered = np.array([k in pairs for k in keys], dtype=bool)
        if covered.any():
            which = sorted(
                set(zip(mapped["region_id"][covered], mapped["hardware"][covered], strict=True))
            )
            notes.append(
                f"{int(covered.sum()):,} bill lines of pairs with PAI-DLC jobs set aside (the"
                " jobs say how busy they were): " + ", ".join(f"{r} / {h}" for r, h in which)
            )
        rest = bills[~covered]
        rest.attrs = dict(bills.attrs)
        if len(rest):
            sources.append(rest)
    return sources, notes
