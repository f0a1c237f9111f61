"""Places in names: which level a name is (village, township, county), and full organisation names split.

A 三资 platform writes ``郴州市北湖区华塘镇塔水村股份经济合作社``; a balance sheet's 编制单位 line writes
``汝城县濠头乡上河村``; a summary table lists ``濠头乡`` where a village table lists ``上河村``. A township or a
county is never a village: :func:`place_level` tells them apart by the name's last characters, and
:func:`split_place_name` takes a full name apart from the left (province, city, county, township, village).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from villagecon.vocab.names import name_text, village_key

VILLAGE, TOWNSHIP, COUNTY = "village", "township", "county"
# Organisations that are neither a village nor a sum of villages: a villagers' group below a village
# (塔水村第一村民小组, 塔水村三组), and a township's own accounts (城郊乡本级, 濠头乡机关, 濠头乡经济联合社).
GROUP, OWN = "group", "own"

_VILLAGE_ENDINGS = (
    "村",
    "社区",
    "居委会",
    "村委会",
    "村民委员会",
    "居民委员会",
    "经济合作社",
    "经济合作联合社",
    "股份经济合作社",
    "股份经济合作联合社",
)
_TOWNSHIP_ENDINGS = ("镇", "乡", "街道", "街道办事处", "办事处", "管委会", "管理区", "开发区", "农场", "林场")
_COUNTY_ENDINGS = ("县", "区", "市", "自治县")  # checked after the village endings: 社区 is a village
_NOT_VILLAGES = ("人民政府", "政府", "财政所", "经管站", "农经站", "办公室", "管理站", "服务中心")
# An organisation's suffix after its place's name: what stands before it says the level.
_ORGANISATION_SUFFIXES = (
    "股份经济合作联合社",
    "股份经济合作社",
    "经济合作联合社",
    "股份经济联合社",
    "经济联合社",
    "经济合作社",
    "集体经济组织",
)
_GROUP_ENDINGS = ("村民小组", "小组", "组")
_OWN_ENDINGS = ("本级", "机关")
_SPACES = re.compile(r"[\s\u3000]+")
# A full organisation name, read from the left. The county is a name ending in 县/区/市 that is not the start
# of a township (汾市镇: 市 then 镇 is a township); the city before it ends in 市 and holds no 县/区.
_FULL_NAME = re.compile(
    r"^(?:[^省]{2,7}?省)?"
    r"(?:(?P<city>[^县区市镇乡村]{2,6}?市)(?=[^镇乡村]{1,8}?(?:县|区|市)(?!镇|乡)))?"
    r"(?P<county>[^县区市镇乡村]{1,8}?(?:自治县|县|(?<!社)区|市)(?!镇|乡|街道))?"
    r"(?P<township>[^镇乡村]{1,10}?(?:镇|乡|街道办事处|街道|办事处))?"
    r"(?P<village>.*)$"
)


@lru_cache(maxsize=4096)
def place_level(name: str) -> str | None:
    """Whether a name is a village, a township or a county (``"濠头乡"`` → ``"township"``), else None.

    >>> place_level("上河村村委会"), place_level("濠头乡"), place_level("汝城县"), place_level("华塘")
    ('village', 'township', 'county', None)
    """
    key = name_text(name)
    if not key:
        return None
    core = next((key[: -len(s)] for s in _ORGANISATION_SUFFIXES if key.endswith(s)), key)
    if core.endswith(_GROUP_ENDINGS) and re.search(r"村.{1,6}组$", core):
        return GROUP
    if core.endswith(_OWN_ENDINGS):
        return OWN
    if core != key and core.endswith(("乡", "镇", "街道")):
        return OWN  # 濠头乡经济联合社: the township's own organisation
    if core != key and core.endswith(("村", "社区")):
        return VILLAGE
    if key.endswith(_VILLAGE_ENDINGS):
        return VILLAGE
    if key.endswith(_TOWNSHIP_ENDINGS) and len(key) >= 2:
        return TOWNSHIP
    if key.endswith(_COUNTY_ENDINGS) and len(key) >= 2:
        return COUNTY
    return None


@lru_cache(maxsize=4096)
def split_place_name(name: str) -> tuple[str | None, str | None, str | None]:
    """(county, township, village) of a name such as ``郴州市北湖区华塘镇塔水村股份经济合作社``.

    Parts the name does not give are None; a name with no place before it is all village
    (``上河村村委会`` → ``(None, None, "上河村")``). The village is normalised like
    :func:`villagecon.vocab.names.village_key`.

    >>> split_place_name("郴州市北湖区华塘镇塔水村股份经济合作社")
    ('北湖区', '华塘镇', '塔水村')
    >>> split_place_name("临武县汾市镇龙泉村")
    ('临武县', '汾市镇', '龙泉村')
    """
    key = name_text(name)
    if not key:
        return None, None, None
    match = cast("re.Match[str]", _FULL_NAME.match(key))  # every part but the village is optional: it matches
    county, township, village = match["county"], match["township"], match["village"]
    if village in ("村", "社区") or (village and village_key(village) in ("村", "社区")):
        # 新乡村, 古镇村: the 乡 or 镇 belongs to the village's name; only what stands before it is a place.
        before = key[: len(key) - len(match["village"]) - len(township or "")]
        county, township, village = split_place_name(before)[0], None, village_key(key[len(before) :])
    if not village:
        # A name that ends with its township (or county) names no village: 濠头乡 is a township, not 濠头乡村.
        return county, township, None
    if village.endswith(_NOT_VILLAGES) or village in _ORGANISATION_SUFFIXES or place_level(key) in (GROUP, OWN):
        # What follows the places is an office, the place's own organisation (华塘镇人民政府, 濠头乡经济联合社), or
        # a group below a village: no village.
        return county, township, None
    return county, township, village_key(village)


__all__ = ["COUNTY", "GROUP", "OWN", "TOWNSHIP", "VILLAGE", "place_level", "split_place_name"]
