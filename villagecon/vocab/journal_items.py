"""What cash journals (现金日记账 / 银行存款日记账) call things, mapped to canonical names.

Extends :mod:`villagecon.vocab.synonyms` for journals, without changing it:

- ``JOURNAL_ROLE_SYNONYMS``: the journal's column headers (年/月/日, 凭证号, 摘要, 对方科目, 借方/贷方
  or 收入/支出, 借或贷, 余额);
- ``COUNTER_ACCOUNT_KINDS``: counter-accounts (对方科目) that are not income or expense — cash and
  bank (a transfer between the two books) and the balance-sheet accounts of the 2004 system and of
  财会〔2023〕14号 — so that a loan repaid is never read as income;
- ``SUMMARY_ITEM_PATTERNS``: words of a 摘要 that tell the line item when the 对方科目 is left blank,
  separately for receipts (借方) and payments (贷方), because 补贴 received is 补助收入 but 误工补贴
  paid is 管理费用.

An 对方科目 that maps to nothing is reported by :mod:`villagecon.journal`, never guessed from the
摘要: add its spelling here.
"""

from __future__ import annotations

import re
import unicodedata

from villagecon.vocab import labels
from villagecon.vocab.items import NEW_SYSTEM_FROM
from villagecon.vocab.projects import PROJECT_ITEMS
from villagecon.vocab.synonyms import ITEM_BY_KEY, header_key

__all__ = [
    "BALANCE",
    "BALANCE_SHEET",
    "COUNTER",
    "COUNTER_ACCOUNT_KINDS",
    "COUNTER_KINDS",
    "CREDIT",
    "DATE",
    "DAY",
    "DEBIT",
    "DIRECTION",
    "EXPENSE",
    "INCOME",
    "ITEMS_BEFORE_NEW_SYSTEM",
    "ITEMS_FROM_NEW_SYSTEM",
    "JOURNAL_ROLE_BY_KEY",
    "JOURNAL_ROLE_SYNONYMS",
    "MONTH",
    "NEW_SYSTEM_FROM",
    "SUMMARY",
    "SUMMARY_ITEM_PATTERNS",
    "TRANSFER",
    "UNMAPPED",
    "VOUCHER",
    "VOUCHER_NUMBER",
    "VOUCHER_WORD",
    "YEAR",
    "counter_account_of",
]

# Roles of a journal's columns.
YEAR, MONTH, DAY, DATE, VOUCHER = "year", "month", "day", "date", "voucher"
SUMMARY, COUNTER, DEBIT, CREDIT, DIRECTION, BALANCE = (
    "summary",
    "counter_account",
    "debit",
    "credit",
    "direction",
    "balance",
)
VOUCHER_WORD, VOUCHER_NUMBER = "voucher_word", "voucher_number"  # 凭证 字 | 号 in two columns

JOURNAL_ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    YEAR: ("年", "年度", "年份"),
    MONTH: ("月", "月份"),
    DAY: ("日",),
    DATE: ("日期", "记账日期", "凭证日期", "业务日期"),
    VOUCHER: ("凭证号", "凭证字号", "凭证编号", "凭证号数", "凭证", "记账凭证号", "凭证号码"),
    VOUCHER_WORD: ("字", "凭证字"),
    VOUCHER_NUMBER: ("号", "号数"),
    SUMMARY: ("摘要", "摘 要", "业务摘要"),
    COUNTER: ("对方科目", "对应科目", "对方科目名称", "科目", "会计科目"),
    DEBIT: ("借方", "借方金额", "收入", "收入金额", "收方", "收方金额", "借方发生额"),
    CREDIT: ("贷方", "贷方金额", "支出", "支出金额", "付方", "付方金额", "贷方发生额"),
    DIRECTION: ("借或贷", "借贷", "方向", "借/贷", "余额方向"),
    BALANCE: ("余额", "结余", "结存", "余额金额", "结存金额"),
}


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in table.items():
        for spelling in spellings:
            key = header_key(spelling)
            if index.setdefault(key, canonical) != canonical:
                raise AssertionError(f"journal synonym {spelling!r} maps to both {index[key]} and {canonical}")
    return index


JOURNAL_ROLE_BY_KEY = _keyed(JOURNAL_ROLE_SYNONYMS)

# Kinds of counter-account. "income"/"expense" lines go into the accounts; the others move money
# without being income or expense.
INCOME, EXPENSE, TRANSFER, BALANCE_SHEET, UNMAPPED = "income", "expense", "transfer", "balance_sheet", "unmapped"
COUNTER_KINDS = (INCOME, EXPENSE, TRANSFER, BALANCE_SHEET, UNMAPPED)

COUNTER_ACCOUNT_KINDS: dict[str, tuple[str, ...]] = {
    # The other book of the same village: 提现 and 存现 are neither income nor expense.
    TRANSFER: ("库存现金", "现金", "银行存款", "银行", "其他货币资金"),
    BALANCE_SHEET: (
        # 2004 农村集体经济组织会计制度: assets, liabilities, equity.
        "短期投资",
        "应收款",
        "内部往来",
        "库存物资",
        "牲畜(禽)资产",
        "林木资产",
        "长期投资",
        "固定资产",
        "累计折旧",
        "固定资产清理",
        "在建工程",
        "短期借款",
        "应付款",
        "应付工资",
        "应付福利费",
        "长期借款及应付款",
        "长期借款",
        "一事一议资金",
        "资本",
        "公积公益金",
        "本年收益",
        "收益分配",
        "专项应付款",
        # 财会〔2023〕14号 adds or renames these.
        "应收款项",
        "应付款项",
        "存货",
        "消耗性生物资产",
        "生产性生物资产",
        "公益性生物资产",
        "无形资产",
        "累计摊销",
        "公益性固定资产",
        "应付劳务费",
        "应交税费",
        "专项应付款项",
        "累计折耗",
        "待处理财产损溢",
        # Names offices use for the same accounts.
        "其他应收款",
        "其他应付款",
        "暂付款",
        "暂收款",
        "农户往来",
        "单位往来",
        "押金",
        "借款",
        "预收款",
        "预付款",
    ),
}

# 2004 chart of accounts codes as journals print them before the name (502经营支出, 550 管理费用);
# the code is dropped before lookup and the name decides.
_ACCOUNT_CODE = re.compile(r"^\s*\d{3,8}\s*[-—.、:：]?\s*")
# 管理费用—办公费, 经营收入/光伏发电: the main account is the part before the separator.
_SUB_ACCOUNT = re.compile(r"\s*[-—–_/／\\·:：（(]\s*")

_ITEM_KINDS = {**dict.fromkeys(labels.INCOME_ITEMS, INCOME), **dict.fromkeys(labels.EXPENSE_ITEMS, EXPENSE)}
# 补助收入 is also written like this in journals; 农业税附加返还收入 (2004 code 521) was a transfer from
# government like 补助收入, and the accounts table has no column of its own for it.
_JOURNAL_ITEM_SPELLINGS = {
    "subsidy_income": ("农业税附加返还收入", "补助款", "财政补助"),
    "operating_expense": ("经营成本", "生产成本", "生产(劳务)成本"),
}
_KIND_BY_KEY = {**{header_key(name): kind for kind, names in COUNTER_ACCOUNT_KINDS.items() for name in names}}
_ITEM_BY_KEY = {key: item for key, item in ITEM_BY_KEY.items() if item in _ITEM_KINDS}
_ITEM_BY_KEY |= {
    header_key(spelling): item for item, spellings in _JOURNAL_ITEM_SPELLINGS.items() for spelling in spellings
}
if overlap := set(_KIND_BY_KEY) & set(_ITEM_BY_KEY):
    raise AssertionError(f"counter-accounts both an item and a balance-sheet account: {sorted(overlap)}")


def counter_account_of(text: object) -> tuple[str | None, str]:
    """(canonical item or None, kind) of an 对方科目 as written; kind is one of :data:`COUNTER_KINDS`.

    Parameters
    ----------
    text : object
        The 对方科目 cell, with or without its account code (``550管理费用—办公费``).

    Returns
    -------
    tuple of (str or None, str)
        The item (an income or expense item) or None, and the kind. Blank text gives ``(None, "")``: the
        摘要 has to tell.

    >>> counter_account_of("550管理费用—办公费"), counter_account_of("银行存款"), counter_account_of("待查")
    (('admin_expense', 'expense'), (None, 'transfer'), (None, 'unmapped'))
    """
    if text is None or (isinstance(text, float) and text != text):
        return None, ""
    name = unicodedata.normalize("NFKC", str(text)).strip()
    if not name:
        return None, ""
    name = _ACCOUNT_CODE.sub("", name)
    for candidate in (name, _SUB_ACCOUNT.split(name, maxsplit=1)[0]):
        key = header_key(candidate)
        if key in _ITEM_BY_KEY:
            item = _ITEM_BY_KEY[key]
            return item, _ITEM_KINDS[item]
        if key in _KIND_BY_KEY:
            return None, _KIND_BY_KEY[key]
    return None, UNMAPPED


# Words of a 摘要, tried in this order, for lines whose 对方科目 is blank. Receipts (借方) and payments
# (贷方) have their own lists. A kind instead of an item marks money that is neither income nor expense.
SUMMARY_ITEM_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "receipt": (
        ("提现|提取现金|从银行提|取现|存现|现金存入|存入银行|转存", TRANSFER),
        ("借款|借入|还款|归还|收回.*(?:借|欠|垫)|押金|保证金|往来|暂收|代收", BALANCE_SHEET),
        *PROJECT_ITEMS["income"],
    ),
    "payment": (
        ("提现|提取现金|存现|现金存入|存入银行|转存", TRANSFER),
        ("借出|借支|还款|归还|押金|保证金|往来|暂付|代付|垫付", BALANCE_SHEET),
        *PROJECT_ITEMS["expense"],
    ),
}

# Items that only one accounting system has. A 摘要 says what was bought or received, not which
# system's account it belongs to, so a 摘要 read in the other system's years is moved to the item that
# system uses (DESIGN.md: no false break in contract_income across 2024).
ITEMS_BEFORE_NEW_SYSTEM = {
    "public_welfare_expense": "other_expense",
    "tax_and_surcharges": "other_expense",
    "income_tax": "other_expense",
}
ITEMS_FROM_NEW_SYSTEM = {"contract_income": "operating_income"}
