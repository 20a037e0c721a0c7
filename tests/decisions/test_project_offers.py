"""The offer pair of a project and its table of lengths, for Lingjun and general specs."""

from __future__ import annotations

import pytest


def test_project_lengths_cover_general_specs_with_their_public_resource():
    # demo catalog (illustrative prices, labelled so): ecs.g7.xlarge-4c16g in Shanghai at
    # the billing page's 78.94 USD/month, its public resource at 0.3 USD/hour.
    # By hand: a day of full use is 24 x 0.3 = 7.20; 10 days 72.00 < 78.94; 30 days 216.00;
    # pay-as-you-go wins up to 78.94 / 7.20 = 10.9639 days.
    from pai_model.data.catalog import read_catalog
    from pai_model.decisions.project_offers import project_lengths

    pair, lengths, crossovers = project_lengths(
        read_catalog(), "cn-shanghai", "ecs.g7.xlarge-4c16g", 60, days=[1, 10, 30]
    )
    assert pair["payg_price_unit"] == "hour" and pair["payg_price_per_hour"] == 0.3
    assert lengths["payg_cost"].tolist() == [7.2, 72.0, 216.0]
    assert lengths["subscription_cost"].tolist() == [78.94, 78.94, 78.94]
    assert lengths["cheaper"].tolist() == ["payg", "payg", "subscription"]
    assert crossovers["cheaper"].tolist()[:2] == ["payg", "subscription"]
    assert crossovers["end_days"].iloc[0] == pytest.approx(78.94 / 7.2)


def test_project_lengths_keep_lingjun_per_minute():
    # the billing page's pair: 1,440 x 0.73 = 1,051.20 a day; 20 days 21,024.00
    from pai_model import paths
    from pai_model.data.catalog import read_catalog
    from pai_model.decisions.project_offers import project_lengths

    _, lengths, _ = project_lengths(
        read_catalog(paths.DOCUMENTED_CATALOG), "cn-wulanchabu", "gu7xf-8xGU108", 30, days=[20]
    )
    assert lengths["payg_cost"].tolist() == [21024.0]
    assert lengths["subscription_cost"].tolist() == [23932.7]
