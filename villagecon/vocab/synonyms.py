"""What ledgers call things, mapped to canonical names.

Headers and line items arrive in many spellings (发包及上缴收入, 本年收入合计,
"Operating income", full-width brackets, 一、 numbering). ``header_key`` reduces a
label to a comparable key; the tables below map keys to the canonical names of
:mod:`villagecon.vocab.labels`. A label that maps to nothing is reported by the cleaner,
never dropped: add its spelling here. Village names have their own key (:mod:`villagecon.vocab.names`), and
the words of a project's name their own table (:mod:`villagecon.vocab.projects`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from villagecon.errors import UsageError
from villagecon.vocab import labels
from villagecon.vocab.items import ACCOUNT_CODES

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "ACCOUNT_CODES",
    "AMOUNT",
    "BUDGET",
    "COUNTY",
    "CURRENT",
    "DATE",
    "DERIVED_PATTERN",
    "DETAIL",
    "EXPENSE_AMOUNT",
    "GROUP_TOTALS",
    "IGNORED",
    "INCOME_AMOUNT",
    "ITEM",
    "ITEM_BY_KEY",
    "ITEM_CODE",
    "ITEM_LABEL_HEADERS",
    "ITEM_SYNONYMS",
    "MONTH",
    "NOTE_PATTERN",
    "PART",
    "PERIOD_SYNONYMS",
    "PRIOR",
    "ROLE_BY_KEY",
    "ROLE_SYNONYMS",
    "SEPARATORS",
    "SUBTOTAL_PATTERN",
    "TOTAL_WORDS",
    "TOWNSHIP",
    "UNIT_COLUMN",
    "VILLAGE",
    "VILLAGE_CODE",
    "YEAR",
    "accepts_measure_names",
    "detail_label",
    "header_key",
    "item_of",
    "measure_name",
    "role_of",
]

# Roles a ledger column can play besides holding a line item's amount.
VILLAGE, TOWNSHIP, COUNTY, VILLAGE_CODE = "village", "township", "county", "village_code"
YEAR, DATE, ITEM, DETAIL = "year", "date", "item", "detail"
AMOUNT, INCOME_AMOUNT, EXPENSE_AMOUNT, IGNORED = "amount", "income_amount", "expense_amount", "ignored"
ITEM_CODE, UNIT_COLUMN, MONTH = "item_code", "unit_column", "month"

ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    VILLAGE: (
        "村",
        "村名",
        "村名称",
        "村别",
        "行政村",
        "单位",
        "单位名称",
        "村委会",
        "村社区",
        "村组织名称",
        "村集体经济组织",
        "村集体经济组织名称",
        "集体经济组织名称",
        "村(社区)",
        "村(居)",
        "社区",
        "村居",
        "村(社区)名称",
        "村(居)名称",
        "村委会名称",
        "社区名称",
        "组织名称",
        "村级组织名称",
        "经济组织名称",
        "填报单位",
        "village",
        "village_name",
    ),
    TOWNSHIP: (
        "乡镇",
        "乡镇街道",
        "乡镇名称",
        "所属乡镇",
        "镇",
        "乡",
        "镇街",
        "乡镇场",
        "乡镇(街道)",
        "乡(镇)",
        "镇(乡)",
        "乡镇(场)",
        "街道",
        "乡镇名",
        "所属乡镇(街道)",
        "镇(街道)",
        "乡(街道)",
        "街道(乡镇)",
        "township",
        "town",
    ),
    COUNTY: (
        "县市区",
        "县区",
        "县市",
        "县",
        "所属县市区",
        "县(市、区)",
        "县(市区)",
        "县市区名称",
        "区县",
        "county",
        "district",
    ),
    VILLAGE_CODE: (
        "村代码",
        "统计用区划代码",
        "区划代码",
        "行政区划代码",
        "组织编码",
        "组织代码",
        "单位编码",
        "village_code",
    ),
    YEAR: ("年度", "年份", "年", "会计年度", "统计年度", "报表年度", "所属年度", "year", "fiscal_year"),
    MONTH: ("会计期间", "期间", "会计月份", "月份", "月", "period", "month"),
    DATE: ("日期", "记账日期", "凭证日期", "时间", "date"),
    ITEM: (
        "科目",
        "项目",
        "会计科目",
        "科目名称",
        "项目名称",
        "收支项目",
        "收入项目",
        "支出项目",
        "指标",
        "指标名称",
        "item",
        "account",
    ),
    ITEM_CODE: ("科目编码", "科目代码", "会计科目编码", "科目编号", "科目号", "account_code"),
    DETAIL: ("摘要", "明细", "明细项目", "detail"),
    AMOUNT: ("金额", "发生额", "数额", "数值", "数量", "amount", "value"),
    INCOME_AMOUNT: ("收入", "收入金额", "收方", "income_amount"),
    EXPENSE_AMOUNT: ("支出", "支出金额", "付方", "expense_amount"),
    # 计量单位 is read for the unit of its row; a column headed 单位 is one when its cells are units.
    UNIT_COLUMN: ("计量单位", "unit"),
    IGNORED: (
        "序号",
        "编号",
        "行次",
        "栏次",
        "行号",
        "代码",
        "备注",
        "附注",
        "说明",
        "联系人",
        "联系电话",
        "填报人",
        "统一社会信用代码",
        "凭证号",
        "凭证字号",
        "凭证编号",
        "凭证号数",
        "凭证",
        "借或贷",
        "方向",
        "no",
        "remark",
        "remarks",
        "note",
    ),
}

# Headers of a column of line names in a statement (资产 | 年初数 | 年末数 ‖ 负债及所有者权益 | …). 资产 is also a
# line item: the column's cells tell which it is (text: line names; amounts: the item).
ITEM_LABEL_HEADERS = ("资产", "负债及所有者权益", "负债和所有者权益", "负债及所有者权益(或股东权益)")

# The period a value column speaks of, relative to the year of its sheet: the year itself (本年数, 年末数), the
# year before (上年数; 年初数 is the balance at the end of the year before), or a plan that is no actual.
CURRENT, PRIOR, BUDGET, PART = "current", "prior", "budget", "part"
PERIOD_SYNONYMS: dict[str, tuple[str, ...]] = {
    CURRENT: (
        "本年数",
        "本年",
        "本年金额",
        "本年累计",
        "本年累计数",
        "本年发生额",
        "本年发生数",
        "本年实际",
        "本年实际数",
        "实际数",
        "决算数",
        "本年决算数",
        "全年数",
        "年末数",
        "期末数",
        "年末余额",
        "期末余额",
        "年末",
        "期末",
    ),
    PRIOR: (
        "上年数",
        "上年",
        "上年金额",
        "上年同期",
        "上年同期数",
        "上年累计数",
        "上年实际",
        "上年实际数",
        "上年决算数",
        "年初数",
        "期初数",
        "年初余额",
        "期初余额",
        "年初",
        "期初",
        "上年年末余额",
        "上年年末数",
        "上年末余额",
        "上年末数",
    ),
    BUDGET: ("预算数", "预算", "本年预算", "本年预算数", "计划数", "计划", "预计数", "预计"),
    # A month's or a quarter's figure: never the year's.
    PART: (
        "本期数",
        "本期",
        "本期金额",
        "本期发生额",
        "本期发生数",
        "本月数",
        "本月",
        "本月金额",
        "本月发生额",
        "本月发生数",
        "本季数",
        "本季",
        "本季度",
        "本季发生额",
        "本季发生数",
        "本季度发生额",
        "本季度发生数",
        "本季度数",
        "当月数",
        "当季数",
    ),
}

# Columns computed from others (增减额, 增长%): left out by name, never a reject.
DERIVED_PATTERN = re.compile(
    r"^(?:比上年|较上年|同比|环比)?(?:增减|增长|增幅|增加|减少|变动|占比|比重|百分比|完成率|"
    r"完成比例|同比)|^余额$"
)  # 余额 of a 明细账: the running balance

# Line items: canonical name -> spellings seen in ledgers (the labels.py label is always included).
ITEM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "operating_income": ("经营收入",),
    "contract_income": (
        "发包及上交收入",
        "发包及上缴收入",
        "发包收入",
        "承包及上交收入",
        "承包及上缴收入",
        "发包及上交",
        "承包收入",
    ),
    "investment_income": ("投资收益", "投资收入"),
    "subsidy_income": ("补助收入", "补贴收入", "财政补助收入", "上级补助收入"),
    "other_income": ("其他收入", "其它收入"),
    "total_income": (
        "本年收入合计",
        "本年收入",
        "收入合计",
        "收入小计",
        "总收入",
        "收入总额",
        "本年总收入",
        "集体经济收入",
        "村集体经济收入",
        "村集体收入",
        "村级集体经济收入",
        "村集体经济总收入",
        "集体经济总收入",
        "当年收入",
        "当年总收入",
    ),
    "operating_expense": ("经营支出",),
    "tax_and_surcharges": ("税金及附加", "税金及附加费"),
    "admin_expense": ("管理费用",),
    "public_welfare_expense": ("公益支出",),
    "other_expense": ("其他支出", "其它支出"),
    "income_tax": ("所得税费用", "所得税"),
    "total_expense": ("本年支出合计", "本年支出", "支出合计", "支出小计", "总支出", "支出总额", "当年支出"),
    "net_income": (
        "本年收益",
        "本年净收益",
        "净收益",
        "收益",
        "本年收益合计",
        "(收益分配)本年收益",
        "当年收益",
        "收支差额",
        "收支结余",
        "结余",
    ),
    # 资产 alone is the item in a table of villages (资产 | 负债) and the header of the line names in a balance
    # sheet: the column's cells tell which.
    "assets": ("资产", "资产总额", "资产总计", "资产合计", "年末资产总额", "年末资产"),
    "liabilities": ("负债", "负债总额", "负债总计", "负债合计", "年末负债总额", "年末负债"),
    "operational_income": ("经营性收入", "经营性收入合计", "村集体经营性收入", "集体经营性收入"),
    "operating_profit": ("经营收益",),
    "agricultural_tax_rebate": ("农业税附加返还收入", "农业税附加返还"),
    "profit_before_tax": ("收益总额", "利润总额"),
    "undistributed_income_start": ("年初未分配收益",),
    "other_transfers_in": ("其他转入",),
    "distributable_income": ("可分配收益",),
    "reserve_appropriation": ("提取公积公益金",),
    "welfare_appropriation": ("提取应付福利费", "提取福利费"),
    "investor_distribution": ("外来投资分利",),
    "household_distribution": ("农户分配",),
    "undistributed_income_end": ("年末未分配收益",),
    "cash": ("货币资金",),
    "short_term_investments": ("短期投资",),
    "receivables": ("应收款项", "应收款"),
    "inventories": ("存货", "库存物资"),
    "current_assets": ("流动资产合计",),
    "livestock_assets": ("牲畜(禽)资产", "牲畜资产"),
    "forest_assets": ("林木资产",),
    "agricultural_assets": ("农业资产合计",),
    "long_term_investments": ("长期投资",),
    "fixed_assets_cost": ("固定资产原值", "固定资产原价"),
    "accumulated_depreciation": ("累计折旧",),
    "fixed_assets_net": ("固定资产净值",),
    "fixed_assets_disposal": ("固定资产清理",),
    "construction_in_progress": ("在建工程",),
    "fixed_assets": ("固定资产合计",),
    "short_term_borrowings": ("短期借款",),
    "payables": ("应付款项", "应付款"),
    "wages_payable": ("应付工资",),
    "welfare_payable": ("应付福利费",),
    "current_liabilities": ("流动负债合计",),
    "long_term_payables": ("长期借款及应付款",),
    "one_project_funds": ("一事一议资金",),
    "long_term_liabilities": ("长期负债合计",),
    "capital": ("资本",),
    "reserve_funds": ("公积公益金",),
    "undistributed_income": ("未分配收益",),
    "equity": ("所有者权益合计",),
    "liabilities_and_equity": (
        "负债和所有者权益总计",
        "负债及所有者权益总计",
        "负债和所有者权益合计",
        "负债及所有者权益合计",
    ),
}

# A parent header over a 合计/小计 sub-header names which total it is.
GROUP_TOTALS = {"total_income": "total_income", "total_expense": "total_expense"}
TOTAL_WORDS = ("合计", "小计", "总计")

# Rows whose label says they sum other rows (kept apart and reconciled, never added again).
SUBTOTAL_PATTERN = re.compile(r"合计|小计|总计|汇总|^全(?:镇|乡|县|区|市|街道)|^总额$")
# Rows after a table that are commentary, not data.
NOTE_PATTERN = re.compile(
    r"^(?:注|说明|备注|填表人|制表人|填报人|审核人|负责人|联系人|填表日期|制表日期|报送日期|"
    r"单位负责人|会计|主管)|^\*"
)

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、.．)）]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十\d]+[项条部分]、?)"
)
# Innermost brackets only, the run after the unit possessive: linear even on a cell of 30,000 "(".
_BRACKETED_UNIT = re.compile(r"[(（\[【][^()（）\[\]【】]*(?:元|万|亿|单位)[^()（）\[\]【】]*+[)）\]】]")
_DETAIL_PREFIX = re.compile(r"^其中[:：]?")
_ACCOUNT_CODE = re.compile(r"^[1-6]\d{2,7}\s*(?=[\u4e00-\u9fff])(?![年月日])")
# 加：发包及上交收入, 减：经营支出: the sign is the form's arithmetic, the line is the item.
_SIGN_PREFIX = re.compile(r"^(?:加|减)\s*[:：]\s*")
# What separates the words of a label or a name: spaces of either width, _, -, dashes, /.
SEPARATORS = re.compile(r"[\s\u3000_\-–—/]+")


def header_key(text: object) -> str:
    """Reduce a header or line-item label to the key the synonym tables use.

    Full-width characters become ASCII (NFKC), spaces and numbering
    (``一、``, ``1.``, ``(1)``) go, a bracketed unit (``（万元）``) goes, English is
    lower-cased with ``_`` between words.

    Parameters
    ----------
    text : object
        A header or label (None gives ``""``).

    Returns
    -------
    str
        The key.

    Examples
    --------
    >>> header_key("  1.经营收入（万元）")
    '经营收入'
    >>> header_key("Operating Income")
    'operating_income'
    """
    if text is None:
        return ""
    key = unicodedata.normalize("NFKC", str(text)).strip()
    key = _BRACKETED_UNIT.sub("", key)
    key = _NUMBERING.sub("", key.lstrip()).strip()
    key = _ACCOUNT_CODE.sub("", key)  # 501 经营收入, 522补助收入: an account's code before its name
    # 减：1.提取公积公益金: the form's sign, then the line's number.
    key = _NUMBERING.sub("", _SIGN_PREFIX.sub("", key)).strip()
    if key.isascii():
        return SEPARATORS.sub("_", key.lower()).strip("_")
    return SEPARATORS.sub("", key).strip(":：")


def detail_label(text: object) -> str | None:
    """The itemised part of a ``其中：光伏发电收入`` line.

    Parameters
    ----------
    text : object
        A line's label.

    Returns
    -------
    str or None
        ``光伏发电收入``; None when the line is not a detail.
    """
    key = header_key(text)
    match = _DETAIL_PREFIX.match(key)
    if not match:
        return None
    return key[match.end() :] or None


def _index(table: dict[str, tuple[str, ...]], extra: dict[str, str] | None = None) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in table.items():
        for spelling in (*spellings, canonical, *([extra[canonical]] if extra and canonical in extra else [])):
            key = header_key(spelling)
            if index.setdefault(key, canonical) != canonical:
                raise AssertionError(f"synonym {spelling!r} maps to both {index[key]} and {canonical}")
    return index


ROLE_BY_KEY = _index(ROLE_SYNONYMS)
ITEM_BY_KEY = _index(ITEM_SYNONYMS, labels.ENTRY_ITEMS)
if overlap := set(ROLE_BY_KEY) & set(ITEM_BY_KEY):
    raise AssertionError(f"labels are both a column role and a line item: {sorted(overlap)}")


def item_of(text: object) -> str | None:
    """Canonical line item for a label (``"发包及上缴收入"`` → ``"contract_income"``).

    Parameters
    ----------
    text : object
        A header or a line's label.

    Returns
    -------
    str or None
        The item, or None when the label is not a known spelling.
    """
    return ITEM_BY_KEY.get(header_key(text))


def measure_name(name: object) -> str:
    """The key of an income measure named by its key, its Chinese label or a ledger's spelling of it
    (``"经营性收入"`` → ``"operational_income"``, ``"本年收入合计"`` → ``"total_income"``, ``"经营收益"`` →
    ``"operating_profit"``).

    Parameters
    ----------
    name : object
        A measure's key, Chinese label or spelling.

    Returns
    -------
    str
        One of :data:`villagecon.vocab.labels.INCOME_MEASURES`.

    Raises
    ------
    UsageError
        Any other name; the message lists the accepted ones.
    """
    if isinstance(name, str):
        measure = name if name in labels.INCOME_MEASURES else item_of(name)
        if measure is not None and measure in labels.INCOME_MEASURES:
            return measure
    accepted = "、".join(f"{labels.ENTRY_ITEMS[m]} ({m})" for m in labels.INCOME_MEASURES)
    raise UsageError(f"{name!r} is not an income measure villagecon knows; name one of: {accepted}")


def accepts_measure_names(*parameters: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a function whose ``parameters`` (keyword arguments: measure, income, outcome) name an income
    measure, so that it takes the Chinese names as well: they reach it as keys (:func:`measure_name`).

    Parameters
    ----------
    *parameters : str
        The names of the keyword arguments that name a measure.

    Returns
    -------
    callable
        The decorator.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for parameter in parameters:
                if parameter in kwargs:
                    kwargs[parameter] = measure_name(kwargs[parameter])
            return function(*args, **kwargs)

        return wrapper

    return decorate


def role_of(text: object) -> str | None:
    """Column role for a header (``"村名"`` → ``"village"``).

    Parameters
    ----------
    text : object
        A column's header.

    Returns
    -------
    str or None
        The role (:data:`ROLE_SYNONYMS`), or None.
    """
    return ROLE_BY_KEY.get(header_key(text))
