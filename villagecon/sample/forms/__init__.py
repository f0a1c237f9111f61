"""The real forms in the synthetic sample: 资产负债表, a 三资 platform export, a 收益分配统计表, a dated 收支台账,
a 财务公开榜 and the secretary roster.

:mod:`villagecon.sample.ledgers` calls these writers while it lays out the sample's files; they use its world (the
truth) and its sheet and document records, and write amounts that repeat the truth to the fen, so that every
amount they hold is a duplicate of a figure another file gives (or, on a 财务公开榜, a part of the year that
no other file gives):

- :func:`balance_sheets` (:mod:`~villagecon.sample.forms.balance_sheets`): a 资产负债表 workbook per township and
  year, one sheet per village, 资产 ‖ 负债及所有者权益 side by side with 年初数 | 年末数;
- :func:`sanzi_export` (:mod:`~villagecon.sample.forms.sanzi_export`): the 三资 platform's export, 2004 account
  codes with sub-accounts;
- :func:`statistics_form` (:mod:`~villagecon.sample.forms.statistics_form`): the 收益分配统计表, 本年数 | 上年数 in
  千元 and two rows that are not money;
- :func:`cash_book` (:mod:`~villagecon.sample.forms.cash_book`): a township's 收支台账 of one year, every item in
  dated lines that add up to it;
- :func:`disclosure_boards` (:mod:`~villagecon.sample.forms.disclosure_boards`): the 第三 and 第四季度
  财务收支公开榜;
- :func:`roster_workbook` (:mod:`~villagecon.sample.forms.roster`): the 村党组织书记花名册 with a township's
  历任书记 and 两委班子 sheets.

All but the 收支台账 (which follows the system of its year) keep to the years of the 2004 system (before
:data:`villagecon.sample.process.NEW_SYSTEM_FROM`).
"""

from villagecon.sample.forms.balance_sheets import BALANCE_SHEET_COUNTY, balance_lines, balance_sheets
from villagecon.sample.forms.cash_book import CASH_BOOK_COUNTY, cash_book, line_amounts
from villagecon.sample.forms.disclosure_boards import DISCLOSURE_PLACE, disclosure_boards, quarter_figures
from villagecon.sample.forms.roster import ROSTER_SHEET, RosterForms, roster_workbook
from villagecon.sample.forms.sanzi_export import SANZI_PLACE, sanzi_export
from villagecon.sample.forms.statistics_form import STATISTICS_COUNTY, statistics_form

__all__ = [
    "BALANCE_SHEET_COUNTY",
    "CASH_BOOK_COUNTY",
    "DISCLOSURE_PLACE",
    "ROSTER_SHEET",
    "SANZI_PLACE",
    "STATISTICS_COUNTY",
    "RosterForms",
    "balance_lines",
    "balance_sheets",
    "cash_book",
    "disclosure_boards",
    "line_amounts",
    "quarter_figures",
    "roster_workbook",
    "sanzi_export",
    "statistics_form",
]
