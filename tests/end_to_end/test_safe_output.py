"""What ``pai-cost`` prints is safe for a terminal: no escape sequence, no credential.

A server's error message (through the fake Alibaba server: real HTTP, the official SDK)
repeats the AccessKey ID and an STS token and carries a screen clear, an OSC 8 hyperlink,
a bidi override and C1 controls; an argument echoed in an error the same. Every line the
command prints is checked character by character.
"""

from __future__ import annotations

import pytest
from cli_runs import argv
from fake_alibaba import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    REGION,
    SECURITY_TOKEN,
    running_fake,
    use_test_credentials,
)

from pai_model.cli import main
from pai_model.cli._common import MASK, clean_text

FAST = ["--backoff", "0.01", "--max-rate", "1000", "--retries", "0"]


def unsafe(text: str) -> list[str]:
    """Every control character of ``text`` but newline, and every bidi override."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
    ]


def test_a_hostile_server_message_reaches_the_terminal_clean_and_masked(capsys, monkeypatch):
    use_test_credentials(monkeypatch)
    with running_fake(account=True) as fake:
        fake.faults["pai:ListResourceGroups"] = ["hostile"]
        status = main(["subscriptions", "--region", REGION, *FAST, *fake.endpoint_args()])
    out, err = capsys.readouterr()
    assert status == 2
    for secret in (ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN):
        assert secret not in out + err
    assert unsafe(out + err) == []
    # the message is still there, readable: the id (the configured one, masked whole),
    # the token, the link's text; the C1 CSI "\x9b31m" went whole
    line = next(line for line in err.splitlines() if "Forbidden.RAM" in line)
    assert line.startswith("pai-cost: error: ")
    assert f"AccessKeyId {MASK} token CAIS{MASK} is not allowed" in line
    assert "click here gnp.exe request id" in line and "evil.example" not in line


def test_a_key_id_of_any_form_configured_in_the_environment_is_masked(capsys, monkeypatch):
    # an id without the LTAI prefix (older keys) is masked because it is the configured one
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "oldStyleKeyId42")
    status = main(
        argv("quote --region oldStyleKeyId42 --spec s --quantity 1 --months 1 --catalog documented")
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "oldStyleKeyId42" not in err and MASK in err


def test_a_hostile_argument_echoed_in_an_error_is_shown_without_its_escapes(capsys):
    # the order's summary names the spec as typed (it once reached the terminal raw)
    status = main(
        argv("quote --region cn-wulanchabu --spec ml.\x1b[2Jx\u202e --quantity 1 --months 1")
    )
    out, err = capsys.readouterr()
    assert status == 2
    assert unsafe(out + err) == []
    assert "order 1 (cn-wulanchabu, ml.x)" in err


def test_an_argument_echoed_by_argparse_is_cleaned(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["breakeven", "--format", "\x1b[2Jxml\x07"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert unsafe(err) == [] and "invalid choice" in err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # CSI sequences (colours, screen clear, cursor moves) are removed whole
        ("a\x1b[31;1mred\x1b[0m\x1b[2J\x1b[10;20H", "ared"),
        # OSC 8 hyperlink ended by ST, and a title change ended by BEL
        ("\x1b]8;;https://evil/\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b]0;owned\x07title", "title"),
        # C1 CSI (U+009B) and other C1 controls, DEL, NUL, CR, BS
        ("x\x9b2Jy\x85\x7f\x00\r\x08z", "xyz"),
        # bidi override and isolates
        ("\u202eexe.txt\u2066\u2069", "exe.txt"),
        # newline kept, tab a space
        ("a\tb\nc", "a b\nc"),
        # credentials: AccessKey IDs and STS tokens
        ("id=LTAI5tAbCdEfGhIjKlMn0123 ok", f"id=LTAI{MASK} ok"),
        ("CAISabcdefghijklmnopqrstuv+/== end", f"CAIS{MASK} end"),
        # plain text, Unicode letters and an ESC at the very end
        ("华北报告 ok\x1b", "华北报告 ok"),
    ],
)
def test_clean_text(text, shown):
    assert clean_text(text) == shown


def test_clean_text_masks_the_configured_values_and_not_short_ones():
    assert clean_text("k=abcdefgh1234 s=zz", secrets=["abcdefgh1234", "zz"]) == f"k={MASK} s=zz"


def test_a_progress_bar_keeps_the_carriage_return_that_redraws_its_line():
    import io

    from pai_model.cli._common import SafeStream

    shown = io.StringIO()
    stream = SafeStream(shown)
    stream.write("\rprices:  50%|#####     | 1/2")
    stream.write("\rprices: 100%|##########| 2/2 \x1b[2J\rhidden")
    assert shown.getvalue() == "\rprices:  50%|#####     | 1/2\rprices: 100%|##########| 2/2 hidden"
