"""Pieces shared by the command modules: the catalog options, output formats and files."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from pai_model.data.freshness import MAX_AGE_DAYS

_WHOLE = re.compile(r"-?[0-9]+")
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


def whole_number(text: str) -> int:
    """An integer option as typed: ASCII digits and an optional minus sign, nothing else.

    Python's ``int`` reads ``4_5`` as 45, `` 45 `` as 45 and Arabic-Indic digits as
    digits; an option that is not what it looks like is refused instead.
    """
    if not (isinstance(text, str) and _WHOLE.fullmatch(text)):
        raise argparse.ArgumentTypeError(
            f"invalid int value: {text!r} (a whole number in ASCII digits: no underscores,"
            " spaces or other scripts' digits)"
        )
    return int(text)


def decimal_number(text: str) -> float:
    """A decimal option as typed: the kit's one rule of decimal text, without spaces.

    Python's ``float`` reads ``1_0.5``, ``inf``, ``nan`` and other scripts' digits; they
    are refused.
    """
    from pai_model.formulas.arguments import DECIMAL, DECIMAL_WORDS

    if not (isinstance(text, str) and re.fullmatch(DECIMAL, text)):
        raise argparse.ArgumentTypeError(
            f"invalid float value: {text!r} ({DECIMAL_WORDS}: no underscores, spaces,"
            " exponents, inf or nan)"
        )
    return float(text)


def strict_numbers(parser: argparse.ArgumentParser) -> None:
    """Every ``type=int`` or ``type=float`` option of ``parser`` and its subcommands read
    by :func:`whole_number` and :func:`decimal_number` instead."""
    strict = {int: whole_number, float: decimal_number}
    for action in parser._actions:
        if action.type in strict:
            action.type = strict[action.type]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                strict_numbers(sub)


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="price catalog: a CSV or Parquet file, or an embedded catalog by name: 'demo'"
        " (the default: the billing page's offers plus illustrative prices, labelled as such)"
        " or 'documented' (the billing page's offers only)",
    )
    add_max_age_option(parser)


def add_buyable_months(parser: argparse.ArgumentParser) -> None:
    """``--buyable-months``: the subscription terms that can be bought (checked by the kit)."""
    parser.add_argument(
        "--buyable-months",
        metavar="LIST",
        help="subscription terms that can be bought, in months, e.g. '1-9,12,24,36,48,60'"
        " (the default: Alibaba's usual set; PAI's own list is UNCONFIRMED)",
    )


def add_overhead_minutes(parser: argparse.ArgumentParser) -> None:
    """``--overhead-minutes``: billed minutes each start of a node adds (plan, project)."""
    parser.add_argument(
        "--overhead-minutes",
        type=float,
        default=0.0,
        metavar="MIN",
        help="minutes added to a node's billed life at every start (a job in a plan, a"
        " day's start in a project): provisioning and release lag, as pay-as-you-go bills"
        " from joining the resource group to release (default 0: none assumed)",
    )


def add_max_age_option(parser: argparse.ArgumentParser, what: str = "a price") -> None:
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=MAX_AGE_DAYS,
        metavar="D",
        help=f"say so when {what} was read more than D days ago (default {MAX_AGE_DAYS})",
    )


def add_public_decimals_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--public-decimals",
        type=_public_decimals,
        default=None,
        metavar="N",
        help="decimal places of a public-resource (DLC, DSW) bill, 2 to 6 (default: as"
        " Alibaba's examples show them, 4 for USD and 3 for CNY; how the final bill rounds"
        " sub-cent lines is unconfirmed); node-spec bills are to the cent",
    )


def _public_decimals(text: str) -> int:
    """``--public-decimals``: a whole number within the kit's bounds (argparse's one line)."""
    from pai_model.errors import InputError
    from pai_model.formulas.money_text import bill_decimals

    try:
        return bill_decimals("public", "", int(text))
    except (ValueError, InputError) as error:  # InputError is a ValueError
        message = str(error).partition(": ")[2] if isinstance(error, InputError) else ""
        raise argparse.ArgumentTypeError(message or f"not a whole number: {text!r}") from None


def add_fx_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fx",
        action="append",
        metavar="FROM/TO=RATE",
        help="exchange rate for money of two currencies, e.g. CNY/USD=0.14 (1 CNY = 0.14"
        " USD; exact decimal text; repeatable). Without it, mixed currencies are refused."
        " Converted amounts are rounded once, half up, to the target currency's minor unit;"
        " the rate is shown on the output",
    )


def fx(args: argparse.Namespace) -> Any:
    """The rates of ``--fx`` by (from, to), each checked (an empty dict when none)."""
    from pai_model.formulas.currency import fx_rates

    return fx_rates(getattr(args, "fx", None), "--fx")


def with_rates(table: Any, rates: Any) -> Any:
    """``table`` with an ``exchange_rate`` column when rates were used (unchanged otherwise),
    and the rates noted on stderr."""
    from pai_model.formulas.currency import rates_label, rates_text

    if not rates or table is None:
        return table
    print(f"pai-cost: note: {rates_text(rates)}", file=sys.stderr)
    return table.assign(exchange_rate=rates_label(rates))


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
