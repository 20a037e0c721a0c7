"""A project plan for people: the project lengths a chart evaluates."""

from __future__ import annotations

import pytest

from pai_model.display.project import project_days
from pai_model.errors import PaiModelError


def test_project_days_refuses_a_bad_month_convention():
    with pytest.raises(PaiModelError, match="hours_per_month must be above 0"):
        project_days(10, hours_per_month=0)
