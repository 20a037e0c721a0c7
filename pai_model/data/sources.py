"""Where usage files are: a file, a folder or a glob, local or any fsspec URL; unpacked.

A source expands to *parts*, each one table: a CSV file, a gzipped CSV (``.gz``), each CSV
member of a zip archive (``.zip``, as Alibaba's bill subscriptions push them), or a
Parquet file (told apart by its magic bytes, whatever its name). A folder is searched
recursively for such files; a glob (``*``, ``?``, ``[``) matches them. ``oss://``
URLs need the optional ``ossfs`` package (``pip install 'pai-cost-kit[oss]'``).
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from dataclasses import dataclass

from pai_model.errors import Problem, UsageError

#: File names a folder is searched for.
SUFFIXES = (".csv", ".csv.gz", ".gz", ".zip", ".parquet", ".pq")


@dataclass(frozen=True)
class Part:
    """One table of a source: ``path`` on ``url``'s filesystem, ``member`` of a zip."""

    url: str
    path: str
    member: str | None = None

    @property
    def name(self) -> str:
        """How problems name the table: the file, and the member of an archive."""
        return self.url if self.member is None else f"{self.url}!{self.member}"


def expand(source: str | os.PathLike[str]) -> list[Part]:
    """The parts of a source, sorted by name.

    Raises
    ------
    UsageError
        When nothing matches, a folder holds no usage file, a zip holds no CSV, or the
        filesystem of a URL is not installed.
    """
    import fsspec

    text = os.fspath(source)
    try:
        fs, path = fsspec.core.url_to_fs(text)
    except (ImportError, ValueError) as failure:
        hint = " (install it with: pip install 'pai-cost-kit[oss]')" if "oss" in text else ""
        raise UsageError([Problem(text, f"cannot be opened: {failure}{hint}")], text) from None
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if any(c in path for c in "*?["):
        paths = sorted(p for p in fs.glob(path) if not fs.isdir(p))
    elif fs.isdir(path):
        paths = sorted(p for p in fs.find(path) if p.lower().endswith(SUFFIXES))
        if not paths:
            message = f"a folder with no usage files ({', '.join(SUFFIXES)})"
            raise UsageError([Problem(text, message)], text)
    elif fs.exists(path):
        paths = [path]
    else:
        raise UsageError([Problem(text, "no such file")], text)
    if not paths:
        raise UsageError([Problem(text, "matches no file")], text)
    parts = []
    for found in paths:
        url = found if protocol in ("file", "local") else f"{protocol}://{found.lstrip('/')}"
        if found.lower().endswith(".zip"):
            parts += _members(fs, found, url)
        else:
            parts.append(Part(url, found))
    return parts


def _members(fs: object, path: str, url: str) -> list[Part]:
    with fs.open(path, "rb") as file:  # type: ignore[attr-defined]
        try:
            names = zipfile.ZipFile(io.BytesIO(file.read())).namelist()
        except zipfile.BadZipFile:
            raise UsageError([Problem(url, "not a readable zip archive")], url) from None
    members = [n for n in names if n.lower().endswith((".csv", ".parquet")) and "/." not in n]
    if not members:
        raise UsageError([Problem(url, "a zip archive with no CSV or Parquet file")], url)
    return [Part(url, path, member) for member in sorted(members)]


def read_bytes(part: Part) -> bytes:
    """The table's bytes, unpacked (gzip, zip member), as written."""
    import fsspec

    fs, _ = fsspec.core.url_to_fs(part.url)
    try:
        with fs.open(part.path, "rb") as file:
            data = file.read()
        if part.member is not None:
            return zipfile.ZipFile(io.BytesIO(data)).read(part.member)
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
    except (OSError, EOFError, zipfile.BadZipFile) as failure:
        raise UsageError([Problem(part.name, f"cannot be read ({failure})")], part.name) from None
    return data
