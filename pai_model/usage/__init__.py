"""Usage sources: bills and FOCUS exports read into the kit's tables.

- :mod:`~pai_model.usage.sources`: a file, a folder or a glob, local or any fsspec URL,
  unpacked (gzip, zip) into tables;
- :mod:`~pai_model.usage.focus`: Alibaba Cloud's FOCUS 1.0 export
  (:func:`read_focus`), through :func:`pai_model.tables.read_table`, its documented
  deviations listed;
- :mod:`~pai_model.usage.specs`: the catalog's hardware of each billed row
  (:func:`map_specs`, the unmapped listed), exact amounts, and the job records the
  planner reads (:func:`usage_jobs`).
"""

from __future__ import annotations

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
    "deviations",
    "map_specs",
    "micros",
    "read_focus",
    "usage_jobs",
    "usage_minutes",
]
