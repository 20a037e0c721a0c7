"""The regions where PAI sells each resource type, from Alibaba's "Regions and zones" page.

Lingjun resources are sold in six regions; general computing resources in those six and
eight more (PAI "Regions and zones", as summarised in the kit's domain notes). Alibaba
adds regions, so a region id missing here is a warning when a catalog is read, never an
error; a Lingjun row in a region known to sell general computing only is an error.

Examples
--------
>>> "cn-wulanchabu" in LINGJUN_REGIONS, "ap-northeast-1" in GENERAL_ONLY_REGIONS
(True, True)
"""

from __future__ import annotations

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
