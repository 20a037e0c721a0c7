"""The front door: every table kind read the same way, every problem on its physical line."""

from __future__ import annotations

import fsspec
import pandas as pd
import pytest

from pai_model import paths, read_catalog
from pai_model.data.schemas import DemandSampleSchema, FleetSchema, JobSchema
from pai_model.data.tables import read_table
from pai_model.decisions.fleet import read_fleet
from pai_model.errors import KeptColumnsWarning, TableError

FLEET_HEADER = "region_id,hardware,quantity,usage_hours_per_day,months"
CATALOG_HEADER = (
    "region_id,resource_type,spec,subscription_price_per_month,currency,in_stock,source,as_of,note"
)
CATALOG_ROW = "cn-shanghai,general,ecs.g7.xlarge-4c16g,78.94,USD,true,console,2026-11-20,ok"


def write(tmp_path, text: str | bytes, name: str = "table.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def problems(call, *args):
    with pytest.raises(TableError) as caught:
        call(*args)
    return caught.value.messages


def test_bom_crlf_comments_and_a_trailing_blank_line(tmp_path):
    text = (
        "\ufeff# exported from the console\r\n"
        f"{FLEET_HEADER}\r\n"
        "cn-beijing,gu108,1,8,1\r\n"
        "# a comment between records\r\n"
        "   \r\n"
        "cn-beijing,gu108,0,8,1\r\n"
        "\r\n"
    )
    path = write(tmp_path, text)
    # lines: 1 comment, 2 header, 3 record, 4 comment, 5 blank, 6 the bad record
    assert problems(read_fleet, path) == [
        f"{path}: line 6: quantity = '0': not a whole number of nodes from 1 to 100,000"
    ]
    good = write(tmp_path, text.replace(",0,8,1", ",2,8,1"), "good.csv")
    fleet = read_fleet(good)
    assert fleet["line"].tolist() == [3, 6]
    assert fleet["quantity"].tolist() == [1, 2]


def test_a_hash_inside_a_value_is_data_and_quoted_fields_keep_physical_lines(tmp_path):
    multi_line_note = '"two\n# not a comment\nlines"'
    rows = [
        CATALOG_HEADER,
        CATALOG_ROW.replace(",ok", ",see # 4"),
        CATALOG_ROW.replace("ecs.g7", "ecs.a").replace(",ok", "," + multi_line_note),
        CATALOG_ROW.replace("ecs.g7", "ecs.b").replace("2026-11-20", "2026-02-30"),
    ]
    path = write(tmp_path, "\n".join(rows) + "\n")
    # line 3 opens a note over lines 3-5, so the bad date is on line 6
    assert problems(read_catalog, path) == [
        f"{path}: line 6: as_of = '2026-02-30': not a date (YYYY-MM-DD)"
    ]
    good = write(tmp_path, path.read_text().replace("2026-02-30", "2026-02-28"), "good.csv")
    notes = read_catalog(good)["note"]
    assert notes.tolist() == ["see # 4", "two\n# not a comment\nlines", "ok"]


def test_a_quote_inside_an_unquoted_value_still_gives_the_right_line(tmp_path):
    # 5"x is a literal quote (not at the start of a field): counting quotes would take
    # line 3 for the inside of a quoted field and line 4 for a record
    path = write(tmp_path, f'{FLEET_HEADER}\ncn-beijing,5"x,1,8,1\n"cn-\nbeijing",gu,1,8,0\n')
    assert problems(read_fleet, path) == [
        f"{path}: line 3: months = '0': not a whole number of months from 1 to 120"
    ]
    commented = write(
        tmp_path, f'{FLEET_HEADER}\ncn-beijing,5"x,1,8,1\n# note\ncn-beijing,gu,1,8,0\n', "c.csv"
    )
    assert problems(read_fleet, commented) == [
        f"{commented}: line 4: months = '0': not a whole number of months from 1 to 120"
    ]


def test_parquet_dataframe_and_memory_url_read_alike(tmp_path):
    frame = pd.DataFrame(
        {
            "region_id": ["cn-beijing", "cn-beijing"],
            "hardware": ["gu108", "gu108"],
            "quantity": [1, 0],
            "usage_hours_per_day": [8.0, 8.0],
            "months": [1, 1],
        }
    )
    parquet = tmp_path / "fleet.parquet"
    frame.to_parquet(parquet)
    memory = fsspec.filesystem("memory")
    memory.pipe("/tables/fleet.csv", frame.to_csv(index=False).encode())
    message = "line 3: quantity = '0': not a whole number of nodes from 1 to 100,000"
    assert problems(read_fleet, parquet) == [f"{parquet}: {message}"]
    assert problems(read_fleet, frame) == [f"fleet: {message}"]
    assert problems(read_fleet, "memory://tables/fleet.csv") == [
        f"memory://tables/fleet.csv: {message}"
    ]
    good = frame.assign(quantity=[1, 2])
    good.to_parquet(parquet)
    assert read_fleet(parquet).equals(read_fleet(good))


def test_catalog_from_parquet_and_dataframe_equals_the_csv(tmp_path):
    csv = read_catalog(paths.DOCUMENTED_CATALOG)
    raw = pd.read_csv(paths.DOCUMENTED_CATALOG, dtype=str, keep_default_na=False)
    raw.to_parquet(tmp_path / "c.parquet")
    from_parquet = read_catalog(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(from_parquet, csv, check_exact=True)
    assert from_parquet["subscription_price_per_month"].tolist()[:2] == [78.94, 23932.70]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp, "is a directory; give a file"),
        (lambda tmp: tmp / "absent.csv", "no such file"),
        (
            lambda tmp: write(
                tmp, f"{FLEET_HEADER}\ncn-beijing,gu108,1,8,1\n\xe9\n".encode("latin-1")
            ),
            "line 3: not UTF-8 (byte 0xe9); save the file as UTF-8",
        ),
    ],
    ids=["directory", "missing", "not-utf8"],
)
def test_unreadable_sources(tmp_path, make, message):
    source = make(tmp_path)
    assert problems(read_fleet, source) == [f"{source}: {message}"]


def test_columns_of_your_own_are_kept_with_a_warning(tmp_path):
    path = write(tmp_path, f"{FLEET_HEADER},x_team\ncn-beijing,gu108,1,8,1,007\n")
    with pytest.warns(
        KeptColumnsWarning, match=r"table\.csv: columns of your own kept as they are: x_team"
    ):
        table = read_table(path, FleetSchema)
    assert table.columns.tolist()[-1] == "x_team"
    assert table["x_team"].tolist() == [7]  # read as pandas reads it


@pytest.mark.parametrize("date", ["2026/03/24", "24-03-2026", "\u0662\u0660\u0662\u0666-03-24"])
def test_only_iso_dates_with_ascii_digits(tmp_path, date):
    path = write(tmp_path, f"{CATALOG_HEADER}\n{CATALOG_ROW.replace('2026-11-20', date)}\n")
    assert problems(read_catalog, path) == [
        f"{path}: line 2: as_of = {date!r}: not a date (YYYY-MM-DD)"
    ]


def test_job_records_are_read_with_times(tmp_path):
    path = write(
        tmp_path,
        "start,end,region_id,hardware,nodes\n"
        "2026-01-01T08:00+08:00,2026-01-01T09:30+08:00,cn-wulanchabu,gu108,2\n"
        "2026-01-01 00:00,2026-01-01 01:00,cn-wulanchabu,gu108,1\n",
    )
    # naive and offset times in one table: refused, each naive time named...
    mixed = "a time without a UTC offset in a table whose other times have one"
    assert [p.split(": ", 3)[1:] for p in problems(read_table, path, JobSchema)] == [
        [
            "line 3",
            "end = '2026-01-01 01:00'",
            mixed + "; give every time an offset, or name the time zone of the others (--timezone)",
        ],
        [
            "line 3",
            "start = '2026-01-01 00:00'",
            mixed + "; give every time an offset, or name the time zone of the others (--timezone)",
        ],
    ]
    # ... unless their time zone is given: 00:00 in Shanghai (UTC+8) is 16:00 UTC the day
    # before; 08:00 at UTC+08:00 is 00:00 UTC
    jobs = read_table(path, JobSchema, timezone="Asia/Shanghai")
    assert jobs["start"].dt.strftime("%d %H:%M").tolist() == ["01 00:00", "31 16:00"]
    assert jobs["end"].dt.strftime("%d %H:%M").tolist() == ["01 01:30", "31 17:00"]
    assert jobs["nodes"].tolist() == [2.0, 1.0]
    # times outside 1970 to 2200 are problems at the door, not crashes later
    far = write(
        tmp_path, "start,end,region_id,hardware,nodes\n1600-01-01,2600-01-01,r,h,1\n", "far.csv"
    )
    assert [p.split(": ", 3)[2] for p in problems(read_table, far, JobSchema)] == [
        "end = '2600-01-01'",
        "start = '1600-01-01'",
    ]
    bad = write(
        tmp_path,
        "start,end,region_id,hardware,nodes\n"
        "2026-01-01 02:00,2026-01-01 01:00,r,h,1\n"
        "yesterday,2026-01-01 01:00,r,h,1.5\n",
        "bad.csv",
    )
    assert problems(read_table, bad, JobSchema) == [
        f"{bad}: line 2: end = '2026-01-01 01:00': before start; a job ends at or after its start",
        f"{bad}: line 3: nodes = '1.5': not a whole number of nodes from 1 to 100,000",
        f"{bad}: line 3: start = 'yesterday': not a time (ISO 8601, e.g. 2026-01-01T09:30 or"
        " 2026-01-01T09:30+08:00)",
    ]


def test_demand_samples_schema():
    samples = pd.DataFrame(
        {
            "region_id": "r",
            "hardware": "h",
            "nodes": [1, 2, -1],
            "time": pd.to_datetime(["2026-01-01 00:00", "2026-01-01 00:00", "2026-01-01 00:01"]),
        }
    )
    with pytest.raises(TableError) as caught:
        read_table(samples, DemandSampleSchema, name="demand samples")
    assert caught.value.messages == [
        "demand samples: line 2: time = '2026-01-01 00:00:00': repeats within its region and"
        " hardware; give one sample per time",
        "demand samples: line 3: time = '2026-01-01 00:00:00': repeats within its region and"
        " hardware; give one sample per time",
        "demand samples: line 4: nodes = '-1': not a whole number of at least 0",
    ]
