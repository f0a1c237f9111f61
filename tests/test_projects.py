"""A project's or a sub-account's name tells its line item (villagecon.vocab.projects)."""

from __future__ import annotations

import pytest

from villagecon.vocab.projects import PROJECT_ITEMS, project_item


@pytest.mark.parametrize(
    ("name", "side", "item"),
    [
        ("蔬菜大棚租金", None, "operating_income"),
        ("光伏发电收入", None, "operating_income"),
        ("山林承包费", None, "contract_income"),
        ("上级财政补助收入", None, "subsidy_income"),
        ("村干部误工补贴", "expense", "admin_expense"),
        ("村干部误工补贴支出", None, "admin_expense"),
        ("五保户慰问", "expense", "public_welfare_expense"),
        ("其他", "income", "other_income"),
        ("其它", "expense", "other_expense"),
    ],
)
def test_a_projects_words_tell_its_item(name, side, item):
    assert project_item(name, side) == item


def test_a_name_whose_side_is_unclear_tells_nothing():
    # 补贴 received is 补助收入, paid is 管理费用: without 收入 or 支出 it is neither.
    assert project_item("补贴") is None
    assert project_item("补贴", "income") == "subsidy_income"
    assert project_item("不知所云") is None


def test_the_two_sides_name_only_their_own_items():
    assert {item for _, item in PROJECT_ITEMS["income"]} == {
        "subsidy_income",
        "contract_income",
        "investment_income",
        "other_income",
        "operating_income",
    }
    assert all(item.endswith(("_expense", "_tax", "_surcharges")) for _, item in PROJECT_ITEMS["expense"])
