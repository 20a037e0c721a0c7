"""Report file names: Unicode titles kept, and two different reports never share a name."""

from __future__ import annotations

import hashlib

import pytest

from pai_model.display.reports.parameters import report_stem

DEFAULTS = {"title": "Break-even", "hours_per_month": 730}


def stem(**parameters):
    return report_stem("breakeven_by_region", parameters, DEFAULTS)


def test_titles_in_chinese_keep_their_letters_and_differ():
    # 华北报告 (North China report) and 华南报告 (South China report) once both became
    # "title-empty", and the second report replaced the first
    assert stem(title="华北报告") == "breakeven_by_region__title-华北报告"
    assert stem(title="华南报告") == "breakeven_by_region__title-华南报告"


@pytest.mark.parametrize(
    ("one", "other"),
    [("Q3 / draft", "Q3 - draft"), ("!!!", "???"), ("a b", "a  b"), ("€100", "$100"),
     ("x", "x!"), ("😀", "😁")],
)  # fmt: skip
def test_titles_that_differ_only_in_punctuation_or_symbols_get_different_names(one, other):
    assert stem(title=one) != stem(title=other)


def test_a_lossy_title_ends_in_the_hash_of_its_text():
    # sha256("Q3 / draft") from hashlib, independent of the kit: c68052a5...
    digest = hashlib.sha256(b"Q3 / draft").hexdigest()[:8]
    assert digest == "c68052a5"
    assert stem(title="Q3 / draft") == "breakeven_by_region__title-Q3-draft-c68052a5"


def test_a_long_unicode_title_fits_a_file_name_in_bytes():
    # 300 three-byte letters (900 bytes) would exceed the 255-byte limit of a file name
    name = stem(title="报" * 300)
    assert len(name.encode()) <= 180
    assert name.startswith("breakeven_by_region__title-报报")
    assert stem(title="报" * 300 + "告") != name  # the end still tells them apart


def test_the_same_title_gets_the_same_name():
    # a report re-rendered with the same parameters replaces its earlier self
    assert stem(title="华北报告 Q3") == stem(title="华北报告 Q3")
