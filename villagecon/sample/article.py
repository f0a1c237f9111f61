"""The four villages of the article as the sample draws them: 上河村's accounts and 其中 lines, the others' totals.

These villages follow the article (郴州日报, in ``seed/``) instead of the generating process of
:mod:`villagecon.sample.process`; their amounts are invented to fit what the article says.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "ARTICLE_TOTALS",
    "PREDECESSOR_STARTS",
    "SHANGHE",
    "SHANGHE_2022_WRITTEN",
    "SHANGHE_ACCOUNTS",
    "SHANGHE_DETAILS",
    "YANGTIAN_LIABILITIES",
]

# 上河村 as the article tells it: 负债4.2万元 in 2017 with almost no income; from 2018 solar power
# (光伏, 经营收入) and vegetable greenhouses let to farmers (蔬菜大棚, 发包收入), dividends from
# the secretary's company (投资收益); 40余万元 in 2022. Amounts are invented to fit.
SHANGHE = "上河村"
SHANGHE_ACCOUNTS = {
    #      operating contract invest subsidy other | op.exp  admin  other.exp | assets  liabilities
    2016: (0, 2_600, 0, 10_000, 0, 0, 11_000, 1_600, 180_000, 0),
    2017: (0, 0, 0, 3_000, 800, 0, 24_000, 21_800, 176_000, 42_000),
    2018: (36_000, 20_000, 0, 30_000, 2_000, 8_000, 30_000, 5_000, 420_000, 18_000),
    2019: (68_000, 46_000, 20_000, 40_000, 3_000, 12_000, 34_000, 6_000, 610_000, 0),
    2020: (96_000, 62_000, 40_000, 45_000, 4_000, 16_000, 36_000, 8_000, 790_000, 0),
    2021: (130_000, 80_000, 60_000, 50_000, 6_000, 22_000, 40_000, 9_000, 960_000, 0),
    2022: (168_000, 98_000, 85_000, 60_000, 8_600, 26_000, 45_000, 12_000, 1_150_000, 0),
    2023: (182_000, 104_000, 92_000, 55_000, 9_000, 27_000, 46_000, 12_000, 1_260_000, 0),
}
SHANGHE_DETAILS = {  # (item, detail) -> year -> yuan; the 其中 lines of its 收益分配表
    ("operating_income", "光伏发电收入"): {
        2018: 36_000,
        2019: 68_000,
        2020: 90_000,
        2021: 118_000,
        2022: 150_000,
        2023: 160_000,
    },
    ("contract_income", "蔬菜大棚租金收入"): {
        2018: 20_000,
        2019: 40_000,
        2020: 55_000,
        2021: 72_000,
        2022: 88_000,
        2023: 92_000,
    },
}
SHANGHE_2022_WRITTEN = "40余万元"  # how its source writes 2022's total income
# The other article villages: total income by year (invented, rising as the article says).
ARTICLE_TOTALS = {
    "塔水村": {
        2016: 70_400,
        2017: 74_100,
        2018: 79_800,
        2019: 86_300,
        2020: 95_200,
        2021: 152_600,
        2022: 231_800,
        2023: 276_500,
    },
    "排山村": {
        2016: 48_300,
        2017: 55_600,
        2018: 72_900,
        2019: 98_400,
        2020: 121_700,
        2021: 150_200,
        2022: 186_400,
        2023: 203_000,
    },
    "秧田村": {
        2016: 52_100,
        2017: 61_400,
        2018: 88_200,
        2019: 126_500,
        2020: 168_300,
        2021: 214_700,
        2022: 268_900,
        2023: 305_200,
    },
}
# 秧田村 pays off its debts (化解村级债务).
YANGTIAN_LIABILITIES = {
    2016: 1_280_000,
    2017: 1_150_000,
    2018: 920_000,
    2019: 640_000,
    2020: 380_000,
    2021: 150_000,
    2022: 0,
    2023: 0,
}
# When the predecessors of the article secretaries took office (invented; they leave when the article's start).
PREDECESSOR_STARTS = {
    "上河村": dt.date(2011, 1, 1),
    "塔水村": dt.date(2014, 1, 1),
    "排山村": dt.date(2011, 1, 1),
    "秧田村": dt.date(2008, 3, 1),
}
