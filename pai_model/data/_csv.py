"""CSV bytes for :mod:`pai_model.data.tables`: where records and comments are, and why a file
cannot be read.

Lines are physical lines of the file, 1-based. Records and comment lines are found with
numpy over the bytes (a line starts outside quotes when an even number of quotes come
before it); a file with a quote inside an unquoted value is stepped through character by
character instead, as pandas' C reader reads it.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from pai_model.errors import Problem


def layout(data: bytes, bom: int) -> tuple[np.ndarray, np.ndarray]:
    """Physical lines (1-based) of the records and of the comment lines of CSV bytes.

    A line starts outside quotes when an even number of ``"`` come before it (a quote in
    a quoted field is doubled); it is a comment if it starts with ``#``, blank if it is
    only spaces, tabs or ``\\r``; every other line starting outside quotes is a record.
    That holds when every quote that opens a field starts it; a file with a quote inside
    an unquoted value is read by :func:`exact_layout` instead.
    """
    size = len(data)
    if size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    array = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(array == ord('"'))
    opening = quotes[::2]
    before = array[np.maximum(opening - 1, 0)]
    if not np.all((opening == bom) | np.isin(before, [ord(","), ord("\n"), ord('"')])):
        return exact_layout(data[bom:].decode("utf-8"))
    newlines = np.flatnonzero(array == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [size]))
    keep = starts < size  # no line after a final newline
    starts, ends = starts[keep], ends[keep]
    number = np.arange(1, len(starts) + 1)
    outside = np.searchsorted(quotes, starts) % 2 == 0
    first = array[np.minimum(starts + np.where(starts == 0, bom, 0), size - 1)]
    comment = outside & (first == ord("#"))
    maybe_blank = outside & np.isin(first, [9, 10, 13, 32])
    blank = np.zeros(len(starts), dtype=bool)
    for i in np.flatnonzero(maybe_blank):
        blank[i] = not data[starts[i] : ends[i]].lstrip(b"\xef\xbb\xbf").strip()
    return number[outside & ~comment & ~blank], number[comment]


def exact_layout(text: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`layout` by stepping through every character as pandas' C reader does."""
    records, comments = [], []
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not inside:
            if line.startswith("#"):
                comments.append(number)
                continue
            if not line.strip():
                continue
            records.append(number)
        field_start, position = not inside, 0
        while position < len(line):
            char = line[position]
            if inside:
                if char == '"':
                    if line[position + 1 : position + 2] == '"':
                        position += 1  # a doubled quote is a quote
                    else:
                        inside = False
            elif char == '"' and field_start:  # spaces before it are skipped
                inside = True
            field_start = (char == "," or (char == " " and field_start)) and not inside
            position += 1
    return np.array(records, dtype=np.int64), np.array(comments, dtype=np.int64)


def without_lines(data: bytes, drop: np.ndarray) -> bytes:
    """The bytes without the given physical lines (1-based, sorted)."""
    if not len(drop):
        return data
    starts = np.concatenate(([0], np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1))
    pieces, position = [], 0
    for line in drop:
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(data)
        pieces.append(data[position:start])
        position = end
    pieces.append(data[position:])
    return b"".join(pieces)


def text_lines(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def not_utf8(data: bytes, name: str) -> Problem:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        return Problem(
            name, f"not UTF-8 (byte 0x{data[bad.start]:02x}); save the file as UTF-8", line=line
        )
    return Problem(name, "not UTF-8; save the file as UTF-8")


def parse_problem(
    data: bytes, bom: int, body: bytes, header: list[str], name: str, parse_error: Exception
) -> Problem:
    """The first record with more fields than the header, or pandas' own words."""
    records = layout(data, bom)[0]
    for record, row in enumerate(r for r in csv.reader(text_lines(body)) if filled(r)):
        if len(row) > len(header):
            return Problem(
                name,
                f"{len(row)} fields, but the header has {len(header)} columns; give one value"
                " per column (quote a value that holds a comma)",
                line=int(records[record]),
            )
    return Problem(name, f"not a readable CSV file ({parse_error})")


def filled(row: list[str]) -> bool:
    """Whether a record read by the csv module is more than a blank line (pandas skips those)."""
    return any(cell.strip() for cell in row)


def split_header(data: bytes) -> tuple[bytes, bytes, int] | None:
    """CSV bytes as (header line, the lines after it, the header's line number).

    Comment and blank lines before the header are passed over. ``None`` when the bytes
    cannot be joined safely to others' (:func:`joined`): Parquet, no header, a quote in
    the header, or an odd number of quotes after it (a field left open at the end).
    """
    if data[:4] == b"PAR1":
        return None
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    position, number = 0, 0
    while position < len(text):
        end = text.find(b"\n", position)
        end = len(text) if end < 0 else end + 1
        row, number = text[position:end], number + 1
        if row.startswith(b"#") or not row.strip():
            position = end
            continue
        body = text[end:]
        if b'"' in row or body.count(b'"') % 2:
            return None
        return row.rstrip(b"\r\n"), body, number
    return None


def joined(header: bytes, bodies: list[bytes]) -> tuple[bytes, np.ndarray]:
    """One CSV of ``header`` and the ``bodies``, and the line each body starts on (1-based).

    Each body ends with a line end in the result, so the next starts on a line of its own.
    """
    pieces, starts, line = [header, b"\n"], [], 2
    for body in bodies:
        starts.append(line)
        if body and not body.endswith(b"\n"):
            body += b"\n"
        pieces.append(body)
        line += body.count(b"\n")
    return b"".join(pieces), np.array(starts, dtype=np.int64)
