"""Running ``pai-cost`` in tests: in-process (the usual way), or as a subprocess for the few
smoke tests of the installed command (``pai-cost``, ``python -m pai_model``).

Importable as ``cli_runs`` from every test folder, like ``fake_alibaba``. Command lines
are written as one line of text, split like a shell splits it (:func:`argv`); the billing
page's golden quotes (DOMAIN.md) are :data:`GENERAL_QUOTE` and :data:`LINGJUN_PAYG_QUOTE`.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pai_model.cli import main


def argv(line: str) -> list[str]:
    """A command line written as one line of text, split as a shell splits it."""
    return shlex.split(line)


#: The billing page's general example: 2 x 78.94 USD/month x 1 month = 157.88 USD.
GENERAL_QUOTE = tuple(
    argv("quote --region cn-shanghai --spec ecs.g7.xlarge-4c16g --quantity 2 --months 1")
)
#: The billing page's Lingjun pay-as-you-go example: 1 x 0.73 USD/minute x 45 minutes
#: = 32.85 USD.
LINGJUN_PAYG_QUOTE = tuple(
    argv("quote --region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1 --minutes 45")
)


@dataclass(frozen=True)
class Run:
    """What a user sees of one command: its exit status and its two streams."""

    returncode: int
    stdout: str
    stderr: str


def pai_cost(*args: str, cwd: Path | None = None) -> Run:
    """``pai-cost ARGS`` in this process: ``main(argv)`` with both streams captured.

    argparse's own exits (``--help``, a bad option) end in SystemExit; their status is kept.
    Environment variables are the test's (set them with ``monkeypatch.setenv``).
    """
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext(),
    ):
        try:
            status = main(list(args))
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return Run(status, out.getvalue(), err.getvalue())


def run_main(capsys, *args: object) -> tuple[int, str, str]:
    """``main`` on ``args`` (each made text): its status and what it printed (read from
    pytest's ``capsys``), checked to hold no traceback and neither test key."""
    from fake_alibaba import ACCESS_KEY_ID, ACCESS_KEY_SECRET

    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    for secret in (ACCESS_KEY_ID, ACCESS_KEY_SECRET):
        assert secret not in out and secret not in err
    return status, out, err


def pai_cost_process(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    console_script: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``pai-cost ARGS`` as a user starts it: a new process (``python -m pai_model``, or the
    installed console script with ``console_script=True``). For smoke tests only: each
    process costs a second or more of start-up."""
    if console_script:
        script = shutil.which("pai-cost", path=str(Path(sys.executable).parent))
        assert script, "the pai-cost console script is not installed next to this Python"
        command = [script, *args]
    else:
        command = [sys.executable, "-m", "pai_model", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else dict(os.environ),
        cwd=cwd,
    )
