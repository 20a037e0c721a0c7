"""Usage sources: bills and FOCUS exports read into the kit's tables.

- :mod:`~pai_model.usage.sources`: a file, a folder or a glob, local or any fsspec URL,
  unpacked (gzip, zip) into tables;
- :mod:`~pai_model.usage.focus`: Alibaba Cloud's FOCUS 1.0 export
  (:func:`read_focus`), through :func:`pai_model.tables.read_table`, its documented
  deviations listed;
- :mod:`~pai_model.usage.specs`: the catalog's hardware of each billed row
  (:func:`map_specs`, the unmapped listed), exact amounts, and the job records the
  planner reads (:func:`usage_jobs`);
- :mod:`~pai_model.usage.bss_bills`: the account's bill lines from BssOpenApi
  DescribeInstanceBill as FOCUS rows (:func:`read_instance_bills`);
- :mod:`~pai_model.usage.dlc_jobs`: the account's PAI-DLC jobs (ListJobs) as job records
  (:func:`read_dlc_jobs`).
"""

from __future__ import annotations

from .bss_bills import billing_cycles, read_instance_bills
from .dlc_jobs import read_dlc_jobs
from .focus import ENGINES, FocusDeviationWarning, deviations, read_focus
from .specs import (
    SPEC_COLUMN,
    UNMAPPED_COLUMNS,
    Mapped,
    map_specs,
    micros,
    usage_jobs,
    usage_minutes,
)

__all__ = [
    "ENGINES",
    "SPEC_COLUMN",
    "UNMAPPED_COLUMNS",
    "FocusDeviationWarning",
    "Mapped",
    "billing_cycles",
    "deviations",
    "map_specs",
    "micros",
    "read_dlc_jobs",
    "read_focus",
    "read_instance_bills",
    "usage_jobs",
    "usage_minutes",
]
