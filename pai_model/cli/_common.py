"""Pieces shared by the command modules: the catalog options, output formats and files."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from pai_model.data.freshness import MAX_AGE_DAYS

#: Output formats of the commands that print a table.
FORMATS = ("table", "csv", "json")

#: Escape sequences a terminal acts on: CSI (``ESC [ ... final``), OSC, DCS, SOS, PM and
#: APC strings (ended by BEL or ST), and two-character ``ESC x`` sequences; also their
#: 8-bit C1 forms (CSI U+009B, OSC U+009D, ...).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
#: What is left after the sequences: C0 controls except newline, DEL, C1 controls, and
#: the bidirectional overrides and isolates that reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Credential-looking values: AccessKey IDs (``LTAI`` and 12 to 30 letters or digits) and
#: STS security tokens (base64 text starting ``CAIS``).
_CREDENTIALS = re.compile(r"LTAI[A-Za-z0-9]{8,40}|CAIS[A-Za-z0-9+/=_-]{16,}")
#: The environment variables whose values are credentials (of the default chain).
CREDENTIAL_VARIABLES = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
)
#: Shown instead of a credential.
MASK = "****"
#: A configured value shorter than this is not masked wherever it appears (a one-letter
#: test value would mask every such letter of the output). [characters]
MIN_SECRET = 8


def clean_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Text from outside (a server, a file, an argument) made safe to show in a terminal.

    Terminal escape sequences (CSI, OSC such as ``ESC ] 8`` hyperlinks, ...) are removed
    whole; every other control character except newline (a tab becomes a space), and
    the bidirectional overrides, are removed. Credentials are masked: AccessKey IDs
    (``LTAI...``), STS tokens (``CAIS...``) and any of ``secrets``.

    Examples
    --------
    >>> clean_text("denied for LTAIabcdefgh12345678\\x1b[2J\\x1b]8;;http://x\\x07link")
    'denied for LTAI****link'
    >>> clean_text("key s3cretValue!", secrets=["s3cretValue"])
    'key ****!'
    """
    for secret in sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len)[::-1]:
        text = text.replace(secret, MASK)
    text = _CREDENTIALS.sub(lambda m: m.group()[:4] + MASK, text)
    text = _ESCAPES.sub("", text.replace("\t", " "))
    return _CONTROLS.sub("", text)


def configured_secrets() -> set[str]:
    """The credential values this process knows of: the environment's, and those the
    default chain resolved for a session (so a profile's key is masked too)."""
    from pai_model.account.clients import resolved_credentials

    found = {os.environ.get(name, "") for name in CREDENTIAL_VARIABLES}
    return {s for s in found | resolved_credentials() if s}


class SafeStream:
    """A text stream that writes everything through :func:`clean_text`.

    ``pai-cost`` prints through it on stdout and stderr, so no text from a server, a file
    or an argument reaches the terminal with an escape sequence or a credential in it.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        # A carriage return that begins a write is a progress bar redrawing its line (tqdm
        # writes each state so); anywhere else it could hide text, and goes.
        redraw = "\r" if text.startswith("\r") else ""
        self.stream.write(redraw + clean_text(text, configured_secrets()))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="price catalog: a CSV or Parquet file, or an embedded catalog by name: 'demo'"
        " (the default: the billing page's offers plus illustrative prices, labelled as such)"
        " or 'documented' (the billing page's offers only)",
    )
    add_max_age_option(parser)


def add_max_age_option(parser: argparse.ArgumentParser, what: str = "a price") -> None:
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=MAX_AGE_DAYS,
        metavar="D",
        help=f"say so when {what} was read more than D days ago (default {MAX_AGE_DAYS})",
    )


def add_format_option(parser: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0], help="output format")


def emit(
    table: Any,
    fmt: str,
    *,
    exact: Mapping[str, tuple[Any, int]] | None = None,
    heading: str = "",
    empty: str | None = None,
    date_format: str | None = None,
    json_dates: str | None = "iso",
) -> None:
    """Print ``table`` as a terminal table, CSV or JSON, money written exactly.

    Money and price columns are written by
    :func:`~pai_model.formulas.money_text.money_table`: with thousands separators in a
    table, as plain decimal text at the currency's precision in CSV and JSON (strings
    there, so no reader turns them into floats), from exact minor units where the table
    has them.

    Parameters
    ----------
    table : pandas.DataFrame
    fmt : {"table", "csv", "json"}
    exact : mapping, optional
        Column -> (its exact minor units, their decimals), as ``money_table`` takes it.
    heading : str
        A line printed above a terminal table.
    empty : str, optional
        Printed instead of an empty terminal table.
    date_format, json_dates : str, optional
        Dates in CSV (``strftime``) and JSON (pandas' ``date_format``).
    """
    from pai_model.formulas.money_text import money_table

    shown = money_table(table, grouping=fmt == "table", exact=exact)
    if fmt == "csv":
        shown.to_csv(sys.stdout, index=False, date_format=date_format)
    elif fmt == "json":
        print(shown.to_json(orient="records", indent=2, date_format=json_dates))
    else:
        if heading:
            print(heading)
        if empty is not None and shown.empty:
            print(empty)
        else:  # a cell without a value is empty, never "NaN"
            for column in shown.columns[shown.isna().any().to_numpy()]:
                shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
            print(shown.to_string(index=False))


def load(args: argparse.Namespace) -> Any:
    """The catalog named by ``--catalog`` (validated), or the embedded default.

    A note on stderr says how many of its prices are older than ``--max-age-days``.
    """
    from pai_model.data.catalog import read_catalog
    from pai_model.data.freshness import stale_note

    catalog = read_catalog(args.catalog)
    note = stale_note(catalog, max_age(args), name=args.catalog or "the embedded catalog")
    if note:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return catalog


def max_age(args: argparse.Namespace) -> int:
    from pai_model.errors import InputError

    days = getattr(args, "max_age_days", MAX_AGE_DAYS)
    if days < 0:
        raise InputError("--max-age-days", f"must be 0 or more; got {days}")
    return days


def output_path(args: argparse.Namespace, option: str) -> Any:
    """The file an option names, checked before any work (None when not given)."""
    from pai_model.data.files import check_output

    value = getattr(args, option.lstrip("-").replace("-", "_"))
    return None if value is None else check_output(value, option)


def warn_illustrative(catalog: Any, used: Any = None) -> None:
    """Print the provenance line on stderr when illustrative prices are in use.

    ``used`` is a table naming the offers used (``region_id`` and ``spec`` or the chosen
    ``*_spec`` columns); the line counts those catalog rows, each offer once.
    """
    from pai_model.data.catalog import ILLUSTRATIVE, describe_provenance
    from pai_model.data.offers import used_offers

    rows = catalog if used is None else used_offers(catalog, used)
    if (rows["provenance"] == ILLUSTRATIVE).any():
        print(f"pai-cost: note: {describe_provenance(rows)}", file=sys.stderr)
