"""Job records and demand whose node counts are not what they look like are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model.data.jobs import checked_demand, read_jobs
from pai_model.errors import JobError, PlanError

HEADER = "start,end,region_id,hardware,nodes\n"
ROW = "2026-01-0{d}T00:00,2026-01-0{d}T01:00,cn-wulanchabu,gu7xf-8xGU108,{nodes}\n"


@pytest.mark.parametrize("nodes", ["true", "false", "TRUE", "yes", "4_5", "٤"])
def test_text_that_is_not_a_count_refused_in_a_jobs_file(tmp_path, nodes):
    path = tmp_path / "jobs.csv"
    path.write_text(HEADER + ROW.format(d=1, nodes=nodes) + ROW.format(d=2, nodes="2"))
    with pytest.raises(JobError) as error:
        read_jobs(path)
    [message] = error.value.messages
    assert message.startswith(f"{path}: line 2: nodes = ")
    assert "not a number" in message


def test_boolean_nodes_refused_in_a_demand_table():
    demand = pd.DataFrame(
        {
            "start": pd.to_datetime(["2026-01-01", "2026-01-03"]),
            "end": pd.to_datetime(["2026-01-02", "2026-01-04"]),
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": pd.Series([True, 2], dtype=object),
        }
    )
    with pytest.raises(PlanError, match="row 0: nodes must be a whole number >= 0"):
        checked_demand(demand)
    with pytest.raises(PlanError, match="row 0: nodes must be a whole number"):
        checked_demand(demand.assign(nodes=[np.True_, np.False_]))
    assert checked_demand(demand.assign(nodes=[1, 2]))["nodes"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("value", "got"), [(None, "NoneType"), (b"jobs.csv", "bytes"), ([1], "list")]
)
def test_job_records_of_the_wrong_type_name_source(value, got):
    with pytest.raises(TypeError) as refused:
        read_jobs(value)
    assert str(refused.value) == (
        f"source must be the jobs: a DataFrame, a path or a URL (str or os.PathLike); got {got}"
    )
