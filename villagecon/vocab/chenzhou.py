"""郴州市 as the sample data sees it: real places, the article's facts, and the invented rest.

What is real
    The 11 county-level units of 郴州市 with their 6-digit administrative codes;
    the four townships the source article names (汝城县濠头乡, 北湖区华塘镇,
    安仁县永乐江镇, 桂阳县欧阳海镇); the four villages and their secretaries
    (上河村/张小雄, 塔水村/曹海欧 with mentor 谭皓, 排山村/刘鹏, 秧田村/段红锋)
    and what the article says about them.
What is taken to look plausible
    The other township names are townships of the right county as far as the
    author knows; they were not checked against the official list, and which
    villages lie in them is invented.
What is invented
    Every other village name, all township and village codes (only the county
    part is real), 秧田村's township (白鹭乡: the article does not say), every
    other person, and every amount.

:mod:`villagecon.sample.ledgers` draws the sample from these tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from villagecon.vocab.labels import SECRETARY_BACKGROUNDS, SECRETARY_ROLES

__all__ = [
    "ARTICLE_PEOPLE",
    "ARTICLE_SECRETARIES",
    "ARTICLE_TOWNSHIPS",
    "ARTICLE_VILLAGES",
    "BACKGROUNDS",
    "CITY",
    "COUNTY_CODES",
    "HONOUR",
    "INVENTED_TOWNSHIPS",
    "ROLES",
    "TOWNSHIPS",
    "UNKNOWN_VILLAGE",
    "ArticleSecretary",
    "person_name_pool",
    "township_code",
    "village_name_pool",
]

CITY = "郴州市"

# 行政区划代码 of the county-level units (real).
COUNTY_CODES: dict[str, str] = {
    "北湖区": "431002",
    "苏仙区": "431003",
    "桂阳县": "431021",
    "宜章县": "431022",
    "永兴县": "431023",
    "嘉禾县": "431024",
    "临武县": "431025",
    "汝城县": "431026",
    "桂东县": "431027",
    "安仁县": "431028",
    "资兴市": "431081",
}

# Townships per county, the article's township first. Names avoid the characters
# 县/区/市/乡/镇/村 inside the name (汾市镇, 塘村镇 are left out), so that a title
# like 汝城县濠头乡上河村收益分配表 splits into its places without guesswork.
TOWNSHIPS: dict[str, tuple[str, ...]] = {
    "北湖区": ("华塘镇", "鲁塘镇", "保和瑶族乡", "月峰瑶族乡", "仰天湖瑶族乡"),
    "苏仙区": ("良田镇", "栖凤渡镇", "许家洞镇", "坳上镇", "飞天山镇"),
    "桂阳县": ("欧阳海镇", "仁义镇", "太和镇", "方元镇", "和平镇"),
    "宜章县": ("梅田镇", "白石渡镇", "黄沙镇", "一六镇", "迎春镇"),
    "永兴县": ("马田镇", "鲤鱼塘镇", "高亭司镇", "柏林镇"),
    "嘉禾县": ("袁家镇", "行廊镇", "龙潭镇", "普满乡", "广发乡"),
    "临武县": ("金江镇", "南强镇", "武水镇", "水东镇", "楚江镇"),
    "汝城县": ("濠头乡", "热水镇", "土桥镇", "暖水镇", "大坪镇"),
    "桂东县": ("沙田镇", "寨前镇", "清泉镇", "四都镇", "大塘镇"),
    "安仁县": ("永乐江镇", "安平镇", "龙海镇", "灵官镇", "渡口乡"),
    "资兴市": ("白鹭乡", "兴宁镇", "州门司镇", "黄草镇", "三都镇"),
}
# Townships the article names (real) and the one the sample had to invent.
ARTICLE_TOWNSHIPS = {("汝城县", "濠头乡"), ("北湖区", "华塘镇"), ("安仁县", "永乐江镇"), ("桂阳县", "欧阳海镇")}
INVENTED_TOWNSHIPS = {("资兴市", "白鹭乡")}


@dataclass(frozen=True)
class ArticleSecretary:
    """A village and its secretary as the article tells them (``start`` day set to the 1st where it gives a month).

    Attributes
    ----------
    county, township, village : str
        Where.
    name : str
        The secretary.
    start : datetime.date
        The start of the spell in office.
    start_from_article : bool
        Whether the start date is the article's (else invented).
    role : str
        书记 or 书记兼主任.
    background : str
        Where the secretary came from (返乡大学生 …).
    """

    county: str
    township: str
    village: str
    name: str
    start: dt.date
    start_from_article: bool
    role: str
    background: str
    mentor: str | None
    story: str


ARTICLE_SECRETARIES: tuple[ArticleSecretary, ...] = (
    ArticleSecretary(
        "汝城县",
        "濠头乡",
        "上河村",
        "张小雄",
        dt.date(2017, 4, 1),
        True,
        "书记",
        "致富能手",
        None,
        "养殖大户; 2017年4月回村任党支部书记; 蔬菜大棚、光伏发电; 村集体经济由2017年的负债4.2万元到2022年收入40余万元",
    ),
    ArticleSecretary(
        "北湖区",
        "华塘镇",
        "塔水村",
        "曹海欧",
        dt.date(2021, 1, 1),
        True,
        "书记兼主任",
        "经商返乡人员",
        "谭皓",
        "2021年1月被选举为党总支书记、村委会主任; 导师为华塘镇党委书记谭皓; 原为湘菜名厨; 省级合作社4个、农家乐20余家",
    ),
    ArticleSecretary(
        "安仁县",
        "永乐江镇",
        "排山村",
        "刘鹏",
        dt.date(2018, 1, 1),
        False,
        "书记兼主任",
        "其他",
        None,
        "党总支书记、村委会主任; 2022年4月工资从2515元/月提高到3334元/月; 计划再建10栋烤烟房",
    ),
    ArticleSecretary(
        "资兴市",
        "白鹭乡",
        "秧田村",
        "段红锋",
        dt.date(2018, 1, 1),
        False,
        "书记兼主任",
        "经商返乡人员",
        None,
        "党支部书记、村委会主任; 放弃百万薪酬回村; 化解村级债务; 村集体经济逐年增收",
    ),
)
ARTICLE_VILLAGES = {s.village: s for s in ARTICLE_SECRETARIES}
# People the article names: generated names must not take them.
ARTICLE_PEOPLE = frozenset(
    {"张小雄", "曹海欧", "谭皓", "刘鹏", "段红锋", "张昱旻", "李永聪", "龙青海", "谭志文", "侯志德"}
)

BACKGROUNDS = SECRETARY_BACKGROUNDS
ROLES = SECRETARY_ROLES
HONOUR = "担当作为好支书"

# A village name that must never be in the register: the sample's unknown village.
UNKNOWN_VILLAGE = "青山坳村"

# Morphemes of invented village names (common in Hunan place names). None of them is
# 县/区/市/乡/镇/村, and no first character starts a note word (注, 说明, 合计, 全镇…).
_FIRST = "东西南北上下大小新老高长石竹枫桃杨柳黄白青红金银龙凤马牛水山河江溪湖塘田坪岭洞湾桥井岗林花茶梅桂松柏樟沙泉云"
_SECOND = "山岭冲坪塘田湾洞源溪口头背垅坑寨坊铺桥洲岗坳园庄湖井林岩门泉滩峰坝埠陂圳屋"
_SURNAMES_FOR_PLACES = "李王张刘陈杨黄周吴徐孙朱胡郭何罗谢唐邓曹彭曾肖谭廖蒋段雷欧袁许邹钟陆卢邱侯黎贺龙阳范戴"
_TERRAIN_AFTER_JIA = "湾冲坪塘垅岭洞坊屋寨庄山桥湖边垄"
# Names of the 1950s–70s collectives that many villages still carry.
_COLLECTIVE_NAMES = (
    "红星",
    "东风",
    "前进",
    "胜利",
    "团结",
    "光明",
    "和平",
    "幸福",
    "友谊",
    "联合",
    "建设",
    "民主",
    "红旗",
    "先锋",
    "永丰",
    "丰收",
    "新民",
    "新建",
    "向阳",
    "长征",
    "五一",
    "八一",
    "群英",
    "立新",
)

# Person names: surnames common in 郴州 and given-name characters.
_SURNAMES = (
    "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩邓冯曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊白孟秦邱侯江尹薛段雷黎史龙贺陶顾毛龚邵万严武戴莫孔向汤欧"
)
_GIVEN = "建国军华明志伟勇平红文海强林斌辉波峰磊涛杰鹏春秋玉兰芳英梅桂新永德清亮俊荣顺福祥云生成长兵超刚东坚民利胜"


def village_name_pool(rng: np.random.Generator) -> list[str]:
    """Every invented village name the generator may use, shuffled by ``rng`` (about 2,700).

    Names are two characters (``石冲村``), surname + 家 + terrain (``李家湾村``) or a
    collective's name (``红星村``); none is an article village or :data:`UNKNOWN_VILLAGE`.
    The pool is large enough for a city-sized sample (2,400 villages) and their former names.

    Parameters
    ----------
    rng : numpy.random.Generator
        Shuffles the pool.

    Returns
    -------
    list of str
        The names, each once.
    """
    two = [a + b + "村" for a in _FIRST for b in _SECOND if a != b]
    three = [s + "家" + t + "村" for s in _SURNAMES_FOR_PLACES for t in _TERRAIN_AFTER_JIA]
    three += [name + "村" for name in _COLLECTIVE_NAMES]
    reserved = set(ARTICLE_VILLAGES) | {UNKNOWN_VILLAGE}
    pool = sorted({name for name in two + three if name not in reserved})
    rng.shuffle(pool)
    return pool


def person_name_pool(rng: np.random.Generator, *, size: int) -> list[str]:
    """``size`` distinct invented person names (two or three characters), none named in the article.

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the surnames and given names.
    size : int
        How many names.

    Returns
    -------
    list of str
        ``size`` distinct names.
    """
    names: list[str] = []
    seen = set(ARTICLE_PEOPLE)
    while len(names) < size:
        batch = max(64, 2 * (size - len(names)))
        surnames = rng.choice(list(_SURNAMES), batch)
        first = rng.choice(list(_GIVEN), batch)
        second = rng.choice(list(_GIVEN), batch)
        single = rng.random(batch) < 0.3
        for surname, a, b, short in zip(surnames, first, second, single, strict=True):
            name = surname + a + ("" if short else b)
            if name not in seen and a != b:
                seen.add(name)
                names.append(name)
                if len(names) == size:
                    break
    return names


def township_code(county: str, township: str) -> str:
    """Invented 3-digit township code: 1xx for a 镇, 2xx for a 乡, in list order (like the official scheme).

    Parameters
    ----------
    county, township : str
        A township of :data:`TOWNSHIPS`.

    Returns
    -------
    str
        Three digits (``"201"``).

    Raises
    ------
    KeyError, ValueError
        The county or the township is not in :data:`TOWNSHIPS`.
    """
    position = TOWNSHIPS[county].index(township)
    return f"{(200 if township.endswith('乡') else 100) + position + 1:03d}"
