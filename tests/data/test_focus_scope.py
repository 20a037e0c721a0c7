"""Which rows of an export are Alibaba Cloud PAI rows (``pai_model.data.focus_scope``): the
documented rule, tried on each of its clauses (SYNTHETIC rows)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pai_model.data.focus_scope import frame_codes, no_pai_message, pai_mask, scope_note


def _mask(frame, **options):
    return pai_mask(frame_codes(frame), len(frame), **options)


def test_by_service_name_or_product_code():
    frame = pd.DataFrame(
        {
            "ProviderName": ["Alibaba Cloud"] * 6 + ["阿里云", "Amazon Web Services"],
            "ServiceName": [
                "Platform for AI",
                "Machine Learning Platform for AI",
                "Lingjun AI Computing Service",
                "Elastic Compute Service",  # its commodity code is PAI's: a PAI row
                "Elastic Compute Service",
                None,
                "人工智能平台 PAI",
                "Platform for AI",  # not Alibaba Cloud's
            ],
            "x_CommodityCode": [
                None,
                None,
                None,
                "learn_computinginstance_public_cn",
                "ecs",
                None,
                None,
                None,
            ],
            "x_ProductCode": [None, None, None, None, None, "bccluster", None, None],
        }
    )
    pai, others = _mask(frame)
    assert pai.tolist() == [True, True, True, True, False, True, True, False]
    assert others == Counter(
        {
            ("Alibaba Cloud", "Elastic Compute Service"): 1,
            ("Amazon Web Services", "Platform for AI"): 1,
        }
    )


def test_a_code_that_only_begins_like_pais_is_not_pais():
    frame = pd.DataFrame({"ServiceName": ["x", "x"], "x_CommodityCode": ["learning", "learn"]})
    assert _mask(frame)[0].tolist() == [False, True]


def test_without_the_columns_that_tell_every_row_is_kept():
    # a DataFrame made by hand: nothing tells a PAI row from another
    frame = pd.DataFrame({"SkuId": ["ml.gu7xf.8xlarge-gu108", "oss.standard"]})
    pai, others = _mask(frame)
    assert pai.tolist() == [True, True] and not others


def test_another_service_pattern():
    frame = pd.DataFrame({"ProviderName": "Alibaba Cloud", "ServiceName": ["PAI-EAS", "Bailian"]})
    assert _mask(frame)[0].tolist() == [True, False]
    assert _mask(frame, service_pattern="Bailian")[0].tolist() == [False, True]


def test_messages():
    aside = Counter({("Alibaba Cloud", "OSS"): 2, ("Alibaba Cloud", "ECS"): 5})
    assert scope_note(aside, 3) == (
        "3 Alibaba Cloud PAI lines; 7 rows of other services set aside (not PAI compute):"
        " Alibaba Cloud / ECS 5, Alibaba Cloud / OSS 2."
    )
    assert no_pai_message(aside, "b.csv") == (
        "b.csv: no Alibaba Cloud PAI rows: 7 rows of provider Alibaba Cloud / services ECS, OSS"
    )
    assert no_pai_message(Counter(), "b.csv") == (
        "b.csv: no Alibaba Cloud PAI rows: the export has no rows"
    )
