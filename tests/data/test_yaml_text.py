"""YAML without aliases: a small file cannot expand to gigabytes before anything is checked."""

from __future__ import annotations

import time

import pytest
import yaml
from fake_alibaba import use_no_credentials

from pai_model.cli import main
from pai_model.data.yaml_text import load_yaml

#: "Billion laughs": nine levels of nine aliases each, 9**9 = 387,420,489 strings from a
#: file of under 1 KB.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_the_bomb_is_small_and_would_expand():
    assert len(LAUGHS.encode()) < 1024
    # PyYAML itself builds it lazily by reference; it is any use of the values (a
    # notebook's parameters cell written out, JSON) that expands it: count what would be
    assert LAUGHS.count("*") == 8 * 9


@pytest.mark.timeout(10)
def test_an_alias_is_refused_before_anything_is_built():
    started = time.perf_counter()
    with pytest.raises(yaml.YAMLError, match=r"found an alias \(\*name\)") as refused:
        load_yaml(LAUGHS)
    assert time.perf_counter() - started < 1
    assert refused.value.problem_mark.line == 1  # 0-based: the second line holds *a


def test_yaml_without_aliases_reads_as_before():
    text = "regions: [cn-beijing, cn-shanghai]\nmonths: 12\nnote: '*not an alias*'\n"
    assert load_yaml(text) == {
        "regions": ["cn-beijing", "cn-shanghai"],
        "months": 12,
        "note": "*not an alias*",
    }
    with pytest.raises(TypeError, match=r"loader must be a yaml\.SafeLoader class"):
        load_yaml(text, yaml.Loader)  # the unsafe loader builds Python objects


def test_an_anchor_without_alias_and_a_merge_key():
    assert load_yaml("a: &x 1\n") == {"a": 1}
    with pytest.raises(yaml.YAMLError, match="alias"):
        load_yaml("base: &b {x: 1}\nmore:\n  <<: *b\n")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("how", ["-f", "-y"])
def test_report_refuses_the_bomb_before_rendering(tmp_path, monkeypatch, capsys, how):
    use_no_credentials(monkeypatch, tmp_path)
    bomb = tmp_path / "params.yaml"
    bomb.write_text(LAUGHS, encoding="utf-8")
    given = str(bomb) if how == "-f" else LAUGHS
    status = main(["report", "breakeven_by_region", how, given, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    where = f"-f {bomb}" if how == "-f" else "-y"
    assert err.startswith(f"pai-cost: error: {where}"), err
    assert "is not valid YAML: found an alias (*name); the kit reads no YAML aliases" in err
    assert not (tmp_path / "out").exists()


def test_the_product_mapping_refuses_aliases(tmp_path):
    from pai_model.account.mapping import load_mapping
    from pai_model.errors import AccountError

    mapping = tmp_path / "products.yaml"
    mapping.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(AccountError, match=r"not a readable YAML file .*found an alias"):
        load_mapping(mapping)
