"""What the words in a sheet mean to the reader: header words, footers, totals, column numbers.

:class:`Vocabulary` answers, for one cell's text, whether it names a column role (村名, 科目, 金额), a
line item (经营收入), a year (2021年), a period (本年数, 年初数), a computed column (增减额), or a total
(合计). It holds the package's synonym tables (:mod:`villagecon.vocab.synonyms`) plus the spellings a user adds
in ``synonyms.csv``; answers are cached per distinct text, since ledgers repeat their labels.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io as stdio
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from villagecon.errors import Location, UsageError
from villagecon.ingest.files import decode_csv
from villagecon.parse.amounts import unit_from_text
from villagecon.parse.years import CHINESE_DIGITS, looks_like_year_header
from villagecon.vocab import labels
from villagecon.vocab import synonyms as syn
from villagecon.vocab.names import village_key

# Kinds of header word.
ROLE, ITEM, YEAR, PERIOD, DERIVED, TOTAL, UNIT = "role", "item", "year", "period", "derived", "total", "unit"
# A header cell that is only a unit (a row of 万元 | 万元 | % under the header).
_BARE_UNITS = {
    "元": "元",
    "万元": "万元",
    "千元": "千元",
    "亿元": "亿元",
    "(元)": "元",
    "(万元)": "万元",
    "(千元)": "千元",
    "(亿元)": "亿元",
}
_NOT_MONEY_UNITS = frozenset({"%", "(%)", "‰", "个", "人", "户", "亩", "次", "项", "家"})

# Roles a user's synonyms.csv may give a spelling, besides a line item.
USER_ROLES = {
    "village": syn.VILLAGE,
    "township": syn.TOWNSHIP,
    "county": syn.COUNTY,
    "village_code": syn.VILLAGE_CODE,
    "year": syn.YEAR,
    "date": syn.DATE,
    "item": syn.ITEM,
    "item_code": syn.ITEM_CODE,
    "amount": syn.AMOUNT,
    "income_amount": syn.INCOME_AMOUNT,
    "expense_amount": syn.EXPENSE_AMOUNT,
    "unit_column": syn.UNIT_COLUMN,
    "month": syn.MONTH,
    "ignore": syn.IGNORED,
}
SYNONYMS_FILE = "synonyms.csv"

# No header word is longer; a longer cell (a pasted-in paragraph) is read as nothing, in constant time.
_LONGEST_HEADER = 200
PERIOD_BY_KEY = {syn.header_key(word): period for period, words in syn.PERIOD_SYNONYMS.items() for word in words}
# 2021年末数, 2022年初数, 2023年预算数: a year, then what of it.
_YEAR_THEN = re.compile(r"^(\d{4})年度?(.*)$")
# 2023年1-11月: a year's months.
_YEAR_MONTHS = re.compile(r"(\d{4})年\(?\d{1,2}[-—–~至到](\d{1,2})月\)?")
# 本年经营收入, 上年经营收入: a period, then an item.
_PERIOD_THEN = re.compile(r"^(本年|上年|年初|年末|本年累计|上年同期)(.+)$")
_YEAR_PARTS = {"末": syn.CURRENT, "末数": syn.CURRENT, "初": syn.PRIOR, "初数": syn.PRIOR}

# Rows that are footers or notes wherever the words stand in the row (填表人：| 张三 | 联系电话：| 138…).
# Every text it matches holds a colon, a * or a Chinese character: read_rows looks at no number's text.
FOOTER_PATTERN = (
    r"^(?:注|附注|说明|填表说明|备注|填表人|填报人|制表人|制表|审核人|审核|复核人|复核|会计主管|"
    r"会计|出纳|主管|单位负责人|负责人|分管领导|主要负责人|联系人|联系电话|电话|手机|报出日期|填报日期|填表日期|"
    r"制表日期|报送日期|报表日期|统计员|统计人|经办人|记账|记账人|公开日期|公开时间|村务监督委员会[^:：]{0,6}|"
    r"监督小组[^:：]{0,4}|[^:：]{0,8}(?:签字|签章|签名|盖章))\s*[:：]|^注\s*\d+\s*[:：、.．]|^\*|"
    r"^(?:填表人|填报人|制表人|审核人|单位负责人|负责人|联系人|联系电话|电话|报出日期|填报日期|填表日期|"
    r"制表日期|填表说明|统计员|经办人)$"
)
# Labels that say a row sums others (in any leading column of a table of villages).
SUBTOTAL_PATTERN = (
    r"合计|小计|总计|汇总|^全(?:镇|乡|县|区|市|街道|村)|^总额$|^共计|^累计$|本年累计$|本月合计|承前页|"
    r"过次页"
)
# A row numbering the columns under the header: 甲 乙 丙 1 2 3.
_STEMS = frozenset("甲乙丙丁戊己庚辛壬癸")


@dataclass(frozen=True)
class Word:
    """What one header text says: its kind (role, item, year, period, derived, total) and name, with the year
    and unit it also states (``2021年``, ``金额（万元）``)."""

    kind: str | None
    name: str | None = None
    year: int | None = None
    unit: str | None = None
    period: str | None = None  # an item said of a period: 本年经营收入, 上年经营收入


@functools.lru_cache(maxsize=100_000)
def header_key(text: str) -> str:
    """:func:`villagecon.vocab.synonyms.header_key` of a text, remembered per text (a county's sheets repeat
    their headers and labels).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        The key the synonym tables use.
    """
    return syn.header_key(text)


@dataclass
class Vocabulary:
    """The synonym tables, with the spellings a user added (``synonyms.csv``).

    Parameters
    ----------
    items, roles : dict
        Extra spellings: header key → canonical item (``operating_income``) or role (``village``).
    source : str, optional
        Where the extra spellings came from, for messages.
    """

    items: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    villages: frozenset[str] = frozenset()  # the register's names and aliases (village keys)
    _words: dict = field(default_factory=dict, repr=False)
    # What item() and closest_items() found, per text (the sheets of a county repeat their labels).
    _items_of: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _closest: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _is_village: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def item(self, text) -> str | None:
        """Canonical line item for a label, else None (``"发包及上缴收入"`` → ``"contract_income"``)."""
        if not isinstance(text, str):
            return self._item(text)
        if text not in self._items_of:
            self._items_of[text] = self._item(text)
        return self._items_of[text]

    def _item(self, text) -> str | None:
        key = syn.header_key(text)
        return self.items.get(key) or syn.ITEM_BY_KEY.get(key)

    def closest_items(self, text, n: int = 3) -> list[str]:
        """The spellings of known line items closest to an unknown one, as a hint (never used as a match)."""
        if not isinstance(text, str):
            return self._closest_items(text, n)
        if (text, n) not in self._closest:
            self._closest[text, n] = self._closest_items(text, n)
        return list(self._closest[text, n])

    def _closest_items(self, text, n: int) -> list[str]:
        spellings = {**syn.ITEM_BY_KEY, **self.items}
        close = difflib.get_close_matches(syn.header_key(text), list(spellings), n=n * 3, cutoff=0.4)
        return list(dict.fromkeys(f"{key} ({spellings[key]})" for key in close))[:n]

    def role(self, text) -> str | None:
        key = syn.header_key(text)
        return self.roles.get(key) or syn.ROLE_BY_KEY.get(key)

    def is_village(self, text: str) -> bool:
        """Whether a text names a village: by its ending (上河村, 立欣洲社区), or as the register knows it (上河)."""
        found = self._is_village.get(text)
        if found is None:
            from villagecon.ingest.places import VILLAGE, place_level

            found = place_level(text) == VILLAGE or (bool(self.villages) and village_key(text) in self.villages)
            self._is_village[text] = found
        return found

    def word(self, text: str) -> Word:
        """What a header cell's text says (cached per text)."""
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = self._word(text)
        return found

    def _word(self, text: str) -> Word:
        if not text or len(text) > _LONGEST_HEADER:
            return Word(None)
        unit = unit_from_text(text)
        bare = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
        if bare in _BARE_UNITS:
            return Word(UNIT, unit=_BARE_UNITS[bare])
        if bare in _NOT_MONEY_UNITS:
            return Word(UNIT, name="not money")
        key = syn.header_key(text)
        if not key:
            return Word(None, unit=unit)
        if key in self.roles or key in self.items:
            return (
                Word(ROLE, self.roles[key], unit=unit) if key in self.roles else Word(ITEM, self.items[key], unit=unit)
            )
        if syn.DERIVED_PATTERN.match(key):
            return Word(DERIVED, unit=unit)
        year = looks_like_year_header(text)
        if year is not None:
            return Word(YEAR, year=year, unit=unit)
        if months := _YEAR_MONTHS.fullmatch(bare):
            return (
                Word(YEAR, year=int(months[1]), unit=unit)
                if int(months[2]) == 12  # 2023年1-12月: the year
                else Word(PERIOD, syn.PART, year=int(months[1]), unit=unit)
            )  # 2023年1-11月: a part
        if match := _YEAR_THEN.match(key.translate(CHINESE_DIGITS)):
            year, rest = int(match[1]), match[2].strip("()（）")
            inner = self._word(rest) if rest not in _YEAR_PARTS else Word(PERIOD, _YEAR_PARTS[rest])
            if inner.kind in (PERIOD, ITEM, DERIVED, TOTAL):
                return Word(inner.kind, inner.name, year=year, unit=unit or inner.unit)
        if key in PERIOD_BY_KEY:
            return Word(PERIOD, PERIOD_BY_KEY[key], unit=unit)
        if key in syn.TOTAL_WORDS:
            return Word(TOTAL, unit=unit)
        if role := syn.ROLE_BY_KEY.get(key):
            return Word(ROLE, role, unit=unit)
        if item := syn.ITEM_BY_KEY.get(key):
            return Word(ITEM, item, unit=unit)
        if (match := _PERIOD_THEN.match(key)) and (
            item := syn.ITEM_BY_KEY.get(match[2]) or syn.ITEM_BY_KEY.get("本年" + match[2])
        ):
            return Word(ITEM, item, unit=unit, period=PERIOD_BY_KEY[match[1]])  # 上年收入: the year before's
        if re.search(SUBTOTAL_PATTERN, key):
            return Word(TOTAL, unit=unit)  # 全镇合计, 合计数
        return Word(None, unit=unit)


DEFAULT_VOCABULARY = Vocabulary()


def read_synonyms(path: Path | str) -> Vocabulary:
    """A :class:`Vocabulary` with the spellings of a ``synonyms.csv`` (columns ``spelling,meaning``).

    ``meaning`` is a canonical line item (``operating_income``, see :data:`villagecon.vocab.labels.ENTRY_ITEMS`) or a
    role: village, township, county, village_code, year, date, item, item_code, amount, income_amount,
    expense_amount, unit_column, ignore.

    Raises
    ------
    UsageError
        The file lacks the columns, a meaning is neither an item nor a role, or a spelling is given two
        meanings (naming the rows).
    """
    path = Path(path)
    try:
        text = decode_csv(path.read_bytes(), name=path.name)
    except OSError as exc:
        raise UsageError(f"cannot read the synonyms file {path}: {exc.strerror}") from None
    rows = list(csv.reader(stdio.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "spelling" not in header or "meaning" not in header:
        raise UsageError(
            f"{Location(path.name, None, 1)}: a synonyms file needs the columns spelling,meaning "
            f"(it has {header}); e.g. a row 光伏电站收益,operating_income"
        )
    at_spelling, at_meaning = header.index("spelling"), header.index("meaning")
    items, roles = {}, {}
    given: dict[str, tuple[str, int]] = {}  # header key -> (meaning, line): a spelling means one thing
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= max(at_spelling, at_meaning) or not row[at_spelling].strip():
            continue
        spelling, meaning = row[at_spelling].strip(), row[at_meaning].strip()
        key = syn.header_key(spelling)
        # The meaning in English (operating_income, township) or as a ledger writes it (经营收入, 乡镇, 忽略).
        item = meaning if meaning in labels.ENTRY_ITEMS else syn.ITEM_BY_KEY.get(syn.header_key(meaning))
        role = USER_ROLES.get(meaning) or (
            syn.IGNORED if meaning in ("忽略", "不读", "不计") else syn.ROLE_BY_KEY.get(syn.header_key(meaning))
        )
        if (meant := item or role) and given.setdefault(key, (meant, number))[0] != meant:
            before, line = given[key]
            raise UsageError(
                f"{Location(path.name, None, number)}: {spelling!r} is given the meaning {item or role} here "
                f"but {before} in row {line}; a spelling can mean only one thing: delete one of the two rows"
            )
        if item:
            items[key] = item
        elif role:
            roles[key] = role
        else:
            raise UsageError(
                f"{Location(path.name, None, number)}: {meaning!r} is neither a line item "
                f"({', '.join(labels.ACCOUNT_ITEMS)}, …) nor a column role "
                f"({', '.join(USER_ROLES)}); correct the meaning column"
            )
    return Vocabulary(items=items, roles=roles, source=path.name)


def is_numbering_row(texts: list[str]) -> bool:
    """Whether a row's texts number the columns (甲 乙 丙 1 2 3, or 1 2 3 4 alone)."""
    if len(texts) < 2:
        return False
    stems = [t for t in texts if t in _STEMS]
    numbers = [t for t in texts if t not in _STEMS]
    if any(not unicodedata.normalize("NFKC", t).removesuffix(".0").isdigit() for t in numbers):
        return False
    values = [int(unicodedata.normalize("NFKC", t).removesuffix(".0")) for t in numbers]
    consecutive = all(b == a + 1 for a, b in itertools.pairwise(values))
    if stems:
        return consecutive and (not values or values[0] <= 2)
    return consecutive and len(values) >= 3 and values[0] == 1


def item_label(text: str) -> str:
    """The Chinese label of a canonical item or role, for messages."""
    return labels.ENTRY_ITEMS.get(text, text)


__all__ = [
    "DEFAULT_VOCABULARY",
    "DERIVED",
    "FOOTER_PATTERN",
    "ITEM",
    "PERIOD",
    "PERIOD_BY_KEY",
    "ROLE",
    "SUBTOTAL_PATTERN",
    "SYNONYMS_FILE",
    "TOTAL",
    "UNIT",
    "USER_ROLES",
    "YEAR",
    "Vocabulary",
    "Word",
    "header_key",
    "is_numbering_row",
    "item_label",
    "read_synonyms",
]
