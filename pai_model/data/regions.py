"""The regions where PAI sells each resource type, from Alibaba's "Regions and zones" page.

Lingjun resources are sold in six regions; general computing resources in those six and
eight more (PAI "Regions and zones", as summarised in the kit's domain notes). Alibaba
adds regions, so a region id missing here is a warning when a catalog is read, never an
error; a Lingjun row in a region known to sell general computing only is an error.

Examples
--------
>>> "cn-wulanchabu" in LINGJUN_REGIONS, "ap-northeast-1" in GENERAL_ONLY_REGIONS
(True, True)

Bills name regions by their display names (BssOpenApi ``DescribeInstanceBill`` gives
``China (Hangzhou)`` or ``杭州``, not ``cn-hangzhou``); :func:`region_id_of` reads them:

>>> region_id_of("China (Ulanqab)"), region_id_of("华北6（乌兰察布）"), region_id_of("杭州")
('cn-wulanchabu', 'cn-wulanchabu', 'cn-hangzhou')
>>> region_id_of("Mars (Olympus)") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Regions selling Lingjun resources.
LINGJUN_REGIONS = (
    "cn-hangzhou",
    "cn-shanghai",
    "cn-beijing",
    "cn-wulanchabu",
    "cn-shenzhen",
    "ap-southeast-1",
)
#: Regions selling general computing resources only.
GENERAL_ONLY_REGIONS = (
    "cn-guangzhou",
    "ap-northeast-1",
    "cn-hongkong",
    "ap-southeast-3",
    "ap-southeast-5",
    "us-west-1",
    "us-east-1",
    "eu-central-1",
)
#: Every region the kit knows (general computing is sold in all of them).
KNOWN_REGIONS = LINGJUN_REGIONS + GENERAL_ONLY_REGIONS

#: Display names of each region: English (the international site, the kit's catalogs'
#: ``region_name``) and Chinese (the China site), from Alibaba Cloud's region list.
REGION_NAMES = {
    "cn-hangzhou": ("China (Hangzhou)", "华东1（杭州）"),
    "cn-shanghai": ("China (Shanghai)", "华东2（上海）"),
    "cn-beijing": ("China (Beijing)", "华北2（北京）"),
    "cn-wulanchabu": ("China (Ulanqab)", "华北6（乌兰察布）"),
    "cn-shenzhen": ("China (Shenzhen)", "华南1（深圳）"),
    "ap-southeast-1": ("Singapore", "新加坡"),
    "cn-guangzhou": ("China (Guangzhou)", "华南3（广州）"),
    "ap-northeast-1": ("Japan (Tokyo)", "日本（东京）"),
    "cn-hongkong": ("China (Hong Kong)", "中国香港"),
    "ap-southeast-3": ("Malaysia (Kuala Lumpur)", "马来西亚（吉隆坡）"),
    "ap-southeast-5": ("Indonesia (Jakarta)", "印度尼西亚（雅加达）"),
    "us-west-1": ("US (Silicon Valley)", "美国（硅谷）"),
    "us-east-1": ("US (Virginia)", "美国（弗吉尼亚）"),
    "eu-central-1": ("Germany (Frankfurt)", "德国（法兰克福）"),
}


def _key(name: str) -> str:
    """A display name compared without case, spaces or full-width parentheses."""
    return re.sub(r"\s+", "", name.replace("（", "(").replace("）", ")")).lower()


def _names() -> dict[str, str]:
    found: dict[str, str] = {"香港": "cn-hongkong"}
    for region, names in REGION_NAMES.items():
        found[region] = region
        for name in names:
            found[_key(name)] = region
            city = re.search(r"\((.+)\)", _key(name))
            found[city.group(1) if city else _key(name)] = region
    return found


_BY_NAME = _names()


def region_id_of(name: object, names: Mapping[str, str] | None = None) -> str | None:
    """The region id of a region's display name or id; None when it is not known.

    Parameters
    ----------
    name : str
        ``China (Hangzhou)``, ``Hangzhou``, ``华东1（杭州）``, ``杭州`` or ``cn-hangzhou``
        (case, spaces and full- or half-width parentheses do not matter).
    names : mapping, optional
        More display names, name -> region id (a catalog's ``region_name`` column).
    """
    if not isinstance(name, str) or not name.strip():
        return None
    key = _key(name)
    extra = {_key(k): v for k, v in (names or {}).items()}
    return extra.get(key) or _BY_NAME.get(key)
