"""Markdown building blocks of a report: escaped text, money, a heading, the answer, notes.

The report notebooks stay thin: each cell is one call to a function of
:mod:`pai_model.display`, :mod:`pai_model.decisions.comparison` or
:mod:`pai_model.display.plotting`. The text functions return Markdown
(``display(Markdown(...))``), so the wording is tested without a kernel.

Reports are mailed and archived, so every string that comes from a file or a parameter
(region names, sources, notes, hardware keys, titles) is escaped on its way into Markdown
(:func:`escape_markdown`) or an HTML table (:func:`~pai_model.display.tables.styled`): it
shows as the text it is and never runs as markup or script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from pai_model.formulas.money_text import format_money

#: Markdown punctuation that could start emphasis, links, code, tables or headings.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}#|~!])")
#: Text starting with "-", "+" or "1." would start a list, with "=" an underline heading.
_LEADING = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def escape_markdown(value: object) -> str:
    r"""Text from a file or parameter as literal Markdown: shown as it is, never run.

    HTML special characters become entities, Markdown punctuation is backslashed and line
    breaks become spaces, so a region named ``<img src=x onerror=alert(1)>`` is shown as
    that text, not loaded as an image.

    Examples
    --------
    >>> print(escape_markdown("<img src=x onerror=alert(1)>"))
    &lt;img src=x onerror=alert(1)&gt;
    >>> print(escape_markdown("*bold* [link](javascript:x) `code` # 1. done"))
    \*bold\* \[link\](javascript:x) \`code\` \# 1. done
    >>> print(escape_markdown("- not a list\n# nor a heading"))
    \- not a list \# nor a heading
    """
    text = html.escape(str(value), quote=False).replace("\r", " ").replace("\n", " ")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _LEADING.sub(r"\1\\\2", text)


def money_markdown(amount: float, currency: str) -> str:
    r"""An amount of money and its currency in Markdown: the one formatter, the code escaped.

    >>> print(money_markdown(13274.7, "USD"), money_markdown(0.5, "U*D"), sep="; ")
    13,274.70 USD; 0.50 U\*D
    """
    return f"{format_money(amount)} {escape_markdown(currency)}"


def heading(title: str, facts: Mapping[str, object] = ()) -> str:
    """A report's Markdown heading: the title, then facts such as the catalog's file name.

    >>> print(heading("Break-even <by region>", {"Catalog": "demo_1.csv"}), end="")
    # Break-even &lt;by region&gt;
    <BLANKLINE>
    Catalog: demo\\_1.csv.
    <BLANKLINE>
    """
    lines = [f"# {escape_markdown(title)}", ""]
    facts = dict(facts)
    if facts:
        lines.append(" ".join(f"{k}: {escape_markdown(v)}." for k, v in facts.items()))
    return "\n".join(lines) + "\n\n"


#: The id of the element that holds a report's answer (tests and readers find it by it).
ANSWER_ID = "answer"


def answer_block(markdown: str) -> str:
    """Markdown wrapped in the report's answer element, ``<div id="answer">``.

    The blank lines keep the Markdown inside parsed as Markdown (CommonMark ends an HTML
    block at a blank line).

    >>> print(answer_block("**Buy 2 nodes**"))
    <div id="answer">
    <BLANKLINE>
    **Buy 2 nodes**
    <BLANKLINE>
    </div>
    <BLANKLINE>
    """
    return f'<div id="{ANSWER_ID}">\n\n{markdown.strip()}\n\n</div>\n'


def notes_block(markdown: str, summary: str = "Notes and assumptions") -> str:
    """Markdown collapsed under a ``<details>`` summary, for the end of a report.

    >>> print(notes_block("- Horizon: 1 month"))
    <details><summary>Notes and assumptions</summary>
    <BLANKLINE>
    - Horizon: 1 month
    <BLANKLINE>
    </details>
    <BLANKLINE>
    """
    summary = html.escape(summary, quote=False)
    return f"<details><summary>{summary}</summary>\n\n{markdown.strip()}\n\n</details>\n"
