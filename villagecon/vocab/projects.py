"""The line item a project's or a sub-account's name tells (光伏发电收入 is 经营收入, 村干部误工补贴 paid is
管理费用): the one table of such words for a ledger's 收入明细 and a journal's 摘要.
"""

from __future__ import annotations

import re

from villagecon.vocab.synonyms import header_key

__all__ = ["PROJECT_ITEMS", "project_item"]

# Words of a project's or a sub-account's name (光伏发电收入, 山林承包费, 村干部误工补贴) that tell its line item,
# tried in order: the one table for a ledger's 收入明细 and a journal's 摘要. Receipts and payments apart, because
# 补贴 received is 补助收入 but 误工补贴 paid is 管理费用. In both accounting systems 出租收入 (租金, 厂房出租) is
# 经营收入 and 承包金 is 发包及上交收入 (2004; 经营收入 from 2024, see villagecon.vocab.items).
PROJECT_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "income": (
        ("补助|补贴|奖补|以奖代补|转移支付|拨款|扶持资金|运转经费|财政", "subsidy_income"),
        ("承包费|承包款|承包金|发包|上交款|上缴款|上交利润|上缴利润|管理费收入", "contract_income"),
        ("分红|股利|股金|投资收益|入股收益", "investment_income"),
        ("利息|捐赠|罚没|赔偿|其他收入|其它收入|^其[他它]$", "other_income"),
        ("租金|租赁|出租|光伏|发电|大棚|销售|服务费|经营|门票|劳务|代耕|加工|出售|物业", "operating_income"),
    ),
    "expense": (
        ("五保|慰问|公益|路灯|保洁|环境整治|村道|敬老", "public_welfare_expense"),
        ("所得税", "income_tax"),
        ("税金及附加|附加税|印花税|城建税|教育费附加|房产税|土地使用税", "tax_and_surcharges"),
        ("办公|误工|工资|报酬|差旅|电话|水电|会议|招待|报刊|管理费|村干部|通讯|补贴", "admin_expense"),
        ("经营支出|种苗|苗木|饲料|化肥|农资|材料|经营成本|运维|维修|进货|采购", "operating_expense"),
        ("利息支出|罚款|赔偿|捐赠|其他支出|其它支出|损失|手续费|^其[他它]$", "other_expense"),
    ),
}
_INCOME_WORDS = re.compile(r"收入|收益|^收")
_EXPENSE_WORDS = re.compile(r"支出|费用|^付|^支")


def project_item(name: str, side: str | None = None) -> str | None:
    """The line item a project's or sub-account's name tells (``"蔬菜大棚租金"`` → ``"operating_income"``), on
    ``side`` (``"income"``/``"expense"``), on the side its own words say (收入, 支出), or on the only side whose
    words it has.

    Parameters
    ----------
    name : str
        A project's or sub-account's name.
    side : str, optional
        ``"income"`` or ``"expense"``; None to tell from the name.

    Returns
    -------
    str or None
        The item; None where no side's words fit or both do.

    Examples
    --------
    >>> project_item("山林承包费"), project_item("村干部误工补贴", "expense"), project_item("补贴")
    ('contract_income', 'admin_expense', None)
    """
    key = header_key(name)
    if side is None:
        income, expense = bool(_INCOME_WORDS.search(key)), bool(_EXPENSE_WORDS.search(key))
        side = "income" if income and not expense else "expense" if expense and not income else None
    if side is not None:
        return next((item for pattern, item in PROJECT_ITEMS[side] if re.search(pattern, key)), None)
    found = {side: project_item(key, side) for side in PROJECT_ITEMS}
    return found["income"] if found["expense"] is None else found["expense"] if found["income"] is None else None
