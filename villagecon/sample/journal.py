"""Synthetic cash journals (现金日记账 / 银行存款日记账) for the sample's 郴州市 villages, with known answers.

:func:`write_journal_sample` writes a parquet journal set partitioned by county and year
(``county=汝城县/year=2022/part-0.parquet``; ``--villages 2400`` makes about ten million rows), and
:func:`write_journal_workbooks` writes the same books as printed spreadsheets (one workbook per
village-year, a 现金日记账 and a 银行存款日记账 sheet; one GBK CSV), for tests of the spreadsheet reader.

Consistency with :mod:`villagecon.sample.ledgers`
    The villages, their codes and every income and expense item come from
    :func:`villagecon.sample.ledgers.sample_truth` for the same seed, villages and years: the lines booked to
    an item add up to the truth's amount to the fen, so journal accounts reconcile with the
    sample's 收益分配表 except where a deliberate defect (below, or the sample's own bad cells) says not.

The generating process, per village and year
    About ``lines_per_village_year`` lines (default 440, so that 2,400 villages × 8 years is about ten
    million rows with the repeated totals): six in ten book income and expense, each item split into
    parts of random size (round hundreds, whole yuan or yuan and fen), income mostly through the bank
    and expenses mostly in cash; the rest move money without being income or expense (提现/存现
    between the two books, loans and deposits). Dates are uniform over the year; each book opens
    with 上年结转 (a balance high enough never to be overdrawn), has 过次页/承前页 every
    :data:`PAGE_LINES` lines, 本月合计 and 本年累计 at each month's end, and closes with 结转下年.
    One line in twenty leaves its 对方科目 blank, so that the 摘要 must tell the item.

Deliberate defects (``defects=True``), listed in :attr:`JournalSample.defects` with where they are
    - ``balance_typo``: one 余额 per partition miswritten (the next row carries on from the right one);
    - ``missing_line``: an income or expense line lost in export in half the partitions (the balance
      breaks at the row after it; its 本月合计 and the 本年累计 after it no longer add up);
    - ``unreadable_amount``: an amount written ``1 234.00`` in half the partitions (rejected);
    - ``unmapped``: a loan or deposit line booked to 对方科目 ``待查款项`` in half the partitions.
    Each is in a book of its own where the partition has enough books.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from villagecon.errors import UsageError
from villagecon.journal import BANK_BOOK, CASH_BOOK, PARQUET_COLUMNS, journal_parquet_files
from villagecon.outputs import write_atomic
from villagecon.sample.ledgers import DEFAULT_SEED, DEFAULT_YEARS, expense_items, income_items, sample_truth
from villagecon.vocab import chenzhou, labels

DEFAULT_VILLAGES = 300
DEFAULT_LINES = 440  # journal lines per village and year, both books
PAGE_LINES = 30  # lines on a printed journal page: 过次页/承前页 after each page
PNL_SHARE = 0.6  # of the lines, those booking income or expense
BLANK_COUNTER_SHARE = 0.05  # lines whose 对方科目 is left blank (the 摘要 tells)
BANK_INCOME_SHARE = 0.7  # income received through the bank (补助收入 always)
CASH_EXPENSE_SHARE = 0.65  # expenses paid in cash
PART_FILE = "part-0.parquet"
UNMAPPED_COUNTER = "待查款项"
UNMAPPED_SUMMARY = "收到不明款项（待查）"
DEFECTS = ("balance_typo", "missing_line", "unreadable_amount", "unmapped")
DEFECT_COLUMNS = (
    "county",
    "year",
    "township",
    "village",
    "village_code",
    "book",
    "line",
    "problem",
    "field",
    "written",
    "item",
    "amount_yuan",
    "month",
)

# How offices write each 对方科目 (the 2004 system's codes only before 2024), and 摘要 that name the item.
COUNTER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "operating_income": ("经营收入", "501经营收入", "经营收入—光伏发电", "经营收入-农产品销售"),
    "contract_income": ("发包及上交收入", "511发包及上交收入", "发包及上缴收入", "发包及上交收入/鱼塘承包"),
    "investment_income": ("投资收益", "541投资收益"),
    "subsidy_income": ("补助收入", "522补助收入", "上级补助收入"),
    "other_income": ("其他收入", "531其他收入"),
    "operating_expense": ("经营支出", "502经营支出", "经营支出—光伏运维"),
    "admin_expense": ("管理费用", "550管理费用", "管理费用—办公费", "管理费用—误工补贴", "管理费用/差旅费"),
    "other_expense": ("其他支出", "551其他支出"),
    "tax_and_surcharges": ("税金及附加",),
    "public_welfare_expense": ("公益支出",),
    "income_tax": ("所得税费用",),
}
SUMMARIES: dict[str, tuple[str, ...]] = {
    "operating_income": ("收光伏发电收入", "收农产品销售款", "收农机服务费", "收门面租金"),
    "contract_income": ("收鱼塘承包费", "收山林发包款", "收土地承包费"),
    "investment_income": ("收合作社分红", "收入股分红"),
    "subsidy_income": ("收上级补助资金", "收村级运转经费补助", "收转移支付资金"),
    "other_income": ("收银行存款利息", "收其他收入"),
    "operating_expense": ("付苗木材料款", "付光伏电站运维费", "付农资采购款"),
    "admin_expense": ("付办公用品费", "付村干部误工补贴", "付差旅费", "付电话费"),
    "other_expense": ("付银行手续费", "付其他支出"),
    "tax_and_surcharges": ("缴纳税金及附加",),
    "public_welfare_expense": ("付五保户慰问金", "付村道路灯电费"),
    "income_tax": ("缴纳所得税",),
}
# Money that is neither income nor expense: (摘要, 对方科目) received and paid.
LOANS_RECEIVED = (("收回农户借款", "应收款"), ("收工程押金", "应付款"), ("收内部往来款", "内部往来"))
LOANS_PAID = (("农户借支", "应收款"), ("退还工程押金", "应付款"), ("付内部往来款", "内部往来"))
# 提现 (bank → cash) and 存现 (cash → bank): each is a line in both books.
TRANSFERS = {
    "withdraw": {"cash": ("从银行提取现金", "银行存款"), "bank": ("提现", "库存现金")},
    "deposit": {"cash": ("现金存入银行", "银行存款"), "bank": ("存现", "库存现金")},
}
REPEATED_SUMMARIES = {
    "opening": "上年结转",
    "carried_out": "过次页",
    "carried_in": "承前页",
    "month_total": "本月合计",
    "year_total": "本年累计",
    "closing": "结转下年",
}


@dataclass
class JournalSample:
    """What :func:`write_journal_sample` wrote and the truth behind it.

    Attributes
    ----------
    path : Path
        The journal set's folder.
    files : list of Path
        The parquet files, one per county and year.
    rows : int
        Rows written (lines and repeated totals).
    truth : DataFrame
        :func:`villagecon.sample.ledgers.sample_truth` for the same seed, villages and years.
    defects : DataFrame
        The deliberate defects (:data:`DEFECT_COLUMNS`): where (county, year, village, book, line — for
        ``missing_line`` the line that took the lost one's place), which field, what was written,
        and the item and amount a lost or rejected line takes out of the accounts.
    """

    path: Path
    files: list[Path]
    rows: int
    truth: pd.DataFrame
    defects: pd.DataFrame

    def expected_accounts(self) -> pd.DataFrame:
        """Income and expense items, their totals and net_income as a correct cleaner adds up these journals.

        The truth, with items of zero missing (no line books them) and the amounts of lost and
        rejected lines taken out.
        """
        return expected_journal_accounts(self.truth, self.defects)


def expected_journal_accounts(truth: pd.DataFrame, defects: pd.DataFrame) -> pd.DataFrame:
    """See :meth:`JournalSample.expected_accounts`."""
    items = [*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS]
    expected = truth.loc[:, ["county", "township", "village", "village_code", "year", *items]].copy()
    lost = defects.loc[defects["problem"].isin(["missing_line", "unreadable_amount"])]
    for code, year, item, amount in lost[["village_code", "year", "item", "amount_yuan"]].itertuples(index=False):
        at = expected["village_code"].eq(code) & expected["year"].eq(year)
        expected.loc[at, item] = expected.loc[at, item] - amount
    expected[items] = expected[items].round(2).where(expected[items].abs() > 0.005)
    expected["total_income"] = expected[list(labels.INCOME_ITEMS)].sum(axis=1, min_count=1)
    expected["total_expense"] = expected[list(labels.EXPENSE_ITEMS)].sum(axis=1, min_count=1)
    expected["net_income"] = expected["total_income"].fillna(0) - expected["total_expense"].fillna(0)
    return expected.reset_index(drop=True)


def write_journal_sample(
    out: Path | str,
    *,
    seed: int = DEFAULT_SEED,
    villages: int = DEFAULT_VILLAGES,
    years: Iterable[int] = DEFAULT_YEARS,
    lines_per_village_year: int = DEFAULT_LINES,
    defects: bool = True,
    progress: bool | None = None,
) -> JournalSample:
    """Write a parquet journal set (``out/county=…/year=…/part-0.parquet``) and return its truth.

    Parameters
    ----------
    out : path-like
        Folder to write into. Parquet files in it that this set would not write are an error.
    seed, villages, years :
        As for :func:`villagecon.sample.ledgers.write_sample`: the same villages and amounts. The same
        arguments give the same rows.
    lines_per_village_year : int
        Journal lines per village and year, both books (about 1.18 rows per line with the repeated
        totals). The default gives about 10 million rows for 2,400 villages and 8 years.
    defects : bool
        Plant the deliberate defects (see the module docstring).
    progress : bool, optional
        A progress bar over partitions (default: for more than 20 partitions in a terminal).

    Returns
    -------
    JournalSample

    Examples
    --------
    ::

        sample = write_journal_sample("data/raw/journal", villages=2400)   # 9,945,523 rows in 88 partitions
        sample.defects.query("problem == 'missing_line'")                  # where the balance must break
    """
    out = Path(out)
    truth = sample_truth(seed=seed, villages=villages, years=years)
    keys = _partition_keys(truth)
    planned = {_partition_path(out, county, year) for county, year in keys}
    if out.exists():
        foreign = [p for p in journal_parquet_files(out) if p not in planned]
        if foreign:
            raise UsageError(
                f"{out} holds parquet files this journal set does not write "
                f"({foreign[0].relative_to(out)}): write it to an empty folder"
            )
    files, rows, planted = [], 0, []
    show = progress if progress is not None else len(keys) > 20 and _interactive()
    iterator = journal_partitions(truth, seed=seed, lines_per_village_year=lines_per_village_year, defects=defects)
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(keys), unit="partitions", desc="journal sample")
    for county, year, table, found in iterator:
        path = _partition_path(out, county, year)
        files.append(
            write_atomic(path, lambda p, t=table: pq.write_table(t, p, compression="zstd", row_group_size=1 << 20))
        )
        rows += table.num_rows
        planted.append(found)
    defects_table = pd.concat(planted, ignore_index=True) if planted else pd.DataFrame(columns=DEFECT_COLUMNS)
    return JournalSample(path=out, files=files, rows=rows, truth=truth, defects=defects_table)


def _interactive() -> bool:
    import sys

    return sys.stderr.isatty()


def _partition_keys(truth: pd.DataFrame) -> list[tuple[str, int]]:
    order = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    keys = truth[["county", "year"]].drop_duplicates()
    return sorted(((c, int(y)) for c, y in keys.itertuples(index=False)), key=lambda k: (order[k[0]], k[1]))


def _partition_path(out: Path, county: str, year: int) -> Path:
    return out / f"county={county}" / f"year={year}" / PART_FILE


def journal_partitions(
    truth: pd.DataFrame, *, seed: int = DEFAULT_SEED, lines_per_village_year: int = DEFAULT_LINES, defects: bool = True
) -> Iterator[tuple[str, int, pa.Table, pd.DataFrame]]:
    """(county, year, Arrow table of :data:`~villagecon.journal.PARQUET_COLUMNS`, defects) per partition.

    Each partition has its own random stream (seed, county, year), so any one can be made alone.
    """
    by_key = {key: group for key, group in truth.groupby(["county", "year"], sort=False)}
    for county, year in _partition_keys(truth):
        rng = np.random.default_rng([seed, zlib.crc32(county.encode("utf-8")), year])
        table, planted = _partition(
            by_key[(county, year)], year=year, rng=rng, lines=lines_per_village_year, defects=defects
        )
        yield county, year, table, planted.assign(county=county, year=year).loc[:, list(DEFECT_COLUMNS)]


# --- one partition ---------------------------------------------------------------------------------


def _partition(
    villages: pd.DataFrame, *, year: int, rng: np.random.Generator, lines: int, defects: bool
) -> tuple[pa.Table, pd.DataFrame]:
    villages = villages.reset_index(drop=True)
    n_villages = len(villages)
    items = [*income_items(year), *expense_items(year)]
    per_village = np.maximum(8, np.rint(lines * rng.uniform(0.85, 1.15, n_villages))).astype(np.int64)

    income_expense = _booked_lines(villages, items, per_village, year=year, rng=rng)
    other = _other_lines(per_village - np.bincount(income_expense["village"], minlength=n_villages), year=year, rng=rng)
    lines_table = pd.concat([income_expense, other], ignore_index=True)
    blank = rng.random(len(lines_table)) < BLANK_COUNTER_SHARE
    lines_table.loc[blank, "counter_account"] = None
    rows, planted = _books(lines_table, villages, year=year, rng=rng, defects=defects)
    return _arrow(rows), planted


def _booked_lines(
    villages: pd.DataFrame, items: list[str], per_village: np.ndarray, *, year: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Income and expense lines: each item's amount split into parts that add up to it to the fen."""
    amounts = villages[items].fillna(0.0).to_numpy()
    fen = np.rint(amounts * 100).astype(np.int64)
    village, column = np.nonzero(fen > 0)
    total = fen[village, column]
    # Lines per item: about PNL_SHARE of the village's lines, shared by the square root of the amounts,
    # at least one each and parts of ten yuan or more on average.
    weight = np.sqrt(total.astype(float))
    weight_sum = np.bincount(village, weight, minlength=len(villages))
    budget = np.rint(per_village * PNL_SHARE).astype(np.int64)
    parts = 1 + np.floor(
        np.maximum(budget[village] - np.bincount(village, minlength=len(villages))[village], 0)
        * weight
        / weight_sum[village]
    ).astype(np.int64)
    parts = np.minimum(parts, np.maximum(1, total // 1000))
    group = np.repeat(np.arange(len(total)), parts)
    # Every part at least one yuan; the rest shared by exponential weights, rounded as offices write
    # amounts (round hundreds, whole yuan, or yuan and fen), and the rounding left over put on the last part.
    rest = total - parts * 100
    share = rng.exponential(size=len(group))
    share /= np.bincount(group, share)[group]
    raw = np.floor(rest[group] * share).astype(np.int64)
    style = rng.random(len(group))
    raw = np.where(
        (style < 0.4) & (raw >= 100_000), raw // 10_000 * 10_000, np.where(style < 0.7, raw // 100 * 100, raw)
    )
    last = np.cumsum(parts) - 1
    amount = raw + 100
    amount[last] += rest - np.bincount(group, raw, minlength=len(total)).astype(np.int64)

    item = np.array(items, dtype=object)[column][group]
    is_income = np.isin(item, list(labels.INCOME_ITEMS))
    in_bank = np.where(
        is_income,
        (rng.random(len(group)) < BANK_INCOME_SHARE) | (item == "subsidy_income"),
        rng.random(len(group)) >= CASH_EXPENSE_SHARE,
    )
    spellings = {k: tuple(s for s in v if year < 2024 or not s[:1].isdigit()) for k, v in COUNTER_SPELLINGS.items()}
    return pd.DataFrame(
        {
            "village": village[group],
            "book": np.where(in_bank, 1, 0),
            "day_of_year": _days(rng, len(group), year),
            "debit": np.where(is_income, amount, 0),
            "credit": np.where(is_income, 0, amount),
            "item": item,
            "summary": _pick(rng, item, SUMMARIES),
            "counter_account": _pick(rng, item, spellings),
        }
    )


def _pick(rng: np.random.Generator, keys: np.ndarray, choices: dict[str, tuple[str, ...]]) -> np.ndarray:
    """For each key, one of its choices at random (vectorised per distinct key)."""
    picked = np.empty(len(keys), dtype=object)
    for key in pd.unique(keys):
        at = np.flatnonzero(keys == key)
        options = np.array(choices[key], dtype=object)
        picked[at] = options[rng.integers(0, len(options), len(at))]
    return picked


def _days(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    return rng.integers(0, 366 if year % 4 == 0 else 365, n)


def _other_lines(counts: np.ndarray, *, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Lines that are neither income nor expense: 提现/存现 pairs (one line in each book) and loans/deposits."""
    counts = np.maximum(counts, 3)
    pairs = counts // 3
    singles = counts - 2 * pairs
    # Transfers: a withdrawal (bank → cash) three times in four, else a deposit; both lines on one day.
    pair_village = np.repeat(np.arange(len(counts)), pairs)
    n_pairs = len(pair_village)
    withdraw = rng.random(n_pairs) < 0.75
    amount = np.rint(rng.lognormal(math.log(5_000), 0.8, n_pairs) / 100) * 100 * 100
    amount = np.maximum(amount, 10_000).astype(np.int64)
    day = _days(rng, n_pairs, year)
    cash = pd.DataFrame(
        {
            "village": pair_village,
            "book": 0,
            "day_of_year": day,
            "debit": np.where(withdraw, amount, 0),
            "credit": np.where(withdraw, 0, amount),
            "summary": np.where(withdraw, TRANSFERS["withdraw"]["cash"][0], TRANSFERS["deposit"]["cash"][0]),
            "counter_account": "银行存款",
        }
    )
    bank = pd.DataFrame(
        {
            "village": pair_village,
            "book": 1,
            "day_of_year": day,
            "debit": np.where(withdraw, 0, amount),
            "credit": np.where(withdraw, amount, 0),
            "summary": np.where(withdraw, TRANSFERS["withdraw"]["bank"][0], TRANSFERS["deposit"]["bank"][0]),
            "counter_account": "库存现金",
        }
    )
    # Loans and deposits: received or paid, in either book.
    single_village = np.repeat(np.arange(len(counts)), singles)
    n_singles = len(single_village)
    received = rng.random(n_singles) < 0.5
    which = rng.integers(0, len(LOANS_RECEIVED), n_singles)
    summary = np.where(
        received,
        np.array([s for s, _ in LOANS_RECEIVED], dtype=object)[which],
        np.array([s for s, _ in LOANS_PAID], dtype=object)[which],
    )
    counter = np.where(
        received,
        np.array([c for _, c in LOANS_RECEIVED], dtype=object)[which],
        np.array([c for _, c in LOANS_PAID], dtype=object)[which],
    )
    single_amount = np.maximum(np.rint(rng.lognormal(math.log(2_000), 1.0, n_singles)), 10).astype(np.int64) * 100
    loans = pd.DataFrame(
        {
            "village": single_village,
            "book": rng.integers(0, 2, n_singles),
            "day_of_year": _days(rng, n_singles, year),
            "debit": np.where(received, single_amount, 0),
            "credit": np.where(received, 0, single_amount),
            "summary": summary,
            "counter_account": counter,
            "loan": True,
        }
    )
    return pd.concat([cash, bank, loans], ignore_index=True).assign(item=None)


def _books(
    lines: pd.DataFrame, villages: pd.DataFrame, *, year: int, rng: np.random.Generator, defects: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Order the lines into books, add the repeated rows and balances, and plant the defects."""
    lines = lines.assign(book_id=lines["village"] * 2 + lines["book"], tiebreak=rng.random(len(lines)))
    lines = lines.sort_values(["book_id", "day_of_year", "tiebreak"], kind="stable").reset_index(drop=True)
    dates = np.datetime64(f"{year}-01-01") + lines["day_of_year"].to_numpy().astype("timedelta64[D]")
    lines["month"] = (dates.astype("datetime64[M]") - dates.astype("datetime64[Y]")).astype(np.int64) + 1
    lines["day"] = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    book_id = lines["book_id"].to_numpy()
    starts = np.r_[True, book_id[1:] != book_id[:-1]]
    position = np.arange(len(lines)) - np.maximum.accumulate(np.where(starts, np.arange(len(lines)), 0))
    flow = lines["debit"].to_numpy() - lines["credit"].to_numpy()
    running = pd.Series(flow).groupby(book_id).cumsum().to_numpy()
    lowest = pd.Series(running).groupby(book_id).transform("min").to_numpy()
    books = np.unique(book_id)
    cushion = dict(zip(books, np.rint(rng.lognormal(math.log(8_000), 0.7, len(books))) * 100, strict=True))
    opening = np.maximum(0, -lowest) + np.array([cushion[b] for b in book_id], dtype=np.int64)
    lines["balance"] = opening + running
    lines["position"] = position
    group = [book_id, lines["month"].to_numpy()]
    lines["month_debit"] = lines["debit"].groupby(group).cumsum()
    lines["month_credit"] = lines["credit"].groupby(group).cumsum()
    lines["year_debit"] = lines["debit"].groupby(book_id).cumsum()
    lines["year_credit"] = lines["credit"].groupby(book_id).cumsum()
    next_book = np.r_[book_id[1:], -1]
    next_month = np.r_[lines["month"].to_numpy()[1:], -1]
    month_end = (next_book != book_id) | (next_month != lines["month"].to_numpy())
    book_end = next_book != book_id
    page_end = (position % PAGE_LINES == PAGE_LINES - 1) & ~month_end
    side = np.where(lines["debit"].to_numpy() > 0, "收", "付")
    prefix = np.where(lines["book"].to_numpy() == 0, "现", "银")
    counter_key = pd.Series(side).groupby([book_id, lines["month"].to_numpy(), side]).cumcount() + 1
    lines["voucher"] = pd.Series(prefix, dtype="str") + pd.Series(side, dtype="str") + counter_key.astype("str")
    lines["seq"] = position * 10
    lines["kind"] = "line"

    first = lines.loc[starts]
    last = lines.loc[book_end]
    repeated = [
        first.assign(
            kind="opening",
            seq=-10,
            month=1,
            day=1,
            debit=0,
            credit=0,
            balance=first["balance"] - first["debit"] + first["credit"],
            voucher=None,
        ),
        lines.loc[page_end].assign(
            kind="carried_out",
            seq=lambda f: f["seq"] + 1,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[page_end].assign(
            kind="carried_in",
            seq=lambda f: f["seq"] + 2,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[month_end].assign(
            kind="month_total",
            seq=lambda f: f["seq"] + 3,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[month_end].assign(
            kind="year_total",
            seq=lambda f: f["seq"] + 4,
            debit=lambda f: f["year_debit"],
            credit=lambda f: f["year_credit"],
            day=None,
            voucher=None,
        ),
        last.assign(kind="closing", seq=lambda f: f["seq"] + 9, month=12, day=31, debit=0, credit=0, voucher=None),
    ]
    for frame in repeated:
        frame["summary"] = REPEATED_SUMMARIES[frame["kind"].iloc[0]] if len(frame) else None
        frame["counter_account"] = None
        frame["item"] = None
    rows = pd.concat([lines, *repeated], ignore_index=True)
    rows = rows.sort_values(["book_id", "seq"], kind="stable").reset_index(drop=True)
    planted = _plant_defects(rows, rng) if defects else pd.DataFrame(columns=DEFECT_COLUMNS)
    rows = rows.loc[~rows["lost"]] if "lost" in rows else rows
    book_of_row = rows["book_id"].to_numpy()
    rows = rows.assign(line=pd.Series(book_of_row).groupby(book_of_row).cumcount().to_numpy() + 1)
    village = rows["village"].to_numpy()
    rows = rows.assign(
        township=villages["township"].to_numpy()[village],
        village_name=villages["village"].to_numpy()[village],
        village_code=villages["village_code"].to_numpy()[village],
        book_name=np.where(rows["book"].to_numpy() == 0, CASH_BOOK, BANK_BOOK),
    )
    if defects:
        planted = _locate(planted, rows, villages)
    return rows, planted


def _plant_defects(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Plant the defects into ``rows`` (in place: its texts and a ``lost`` column), each in a book of its own."""
    rows["lost"] = False
    rows["written_debit"] = None
    rows["written_credit"] = None
    rows["written_balance"] = None
    books = rng.permutation(rows["book_id"].unique())
    wanted = ["balance_typo", *(p for p in DEFECTS[1:3] if rng.random() < 0.5)]
    planted = []
    is_line = rows["kind"].eq("line").to_numpy()
    booked = rows["item"].notna().to_numpy()
    book_id = rows["book_id"].to_numpy()
    for problem, book in zip(wanted, books, strict=False):
        in_book = book_id == book
        # Lines with a line before and after in the book, away from the first and last rows.
        candidates = np.flatnonzero(in_book & is_line & np.r_[False, is_line[:-1]] & np.r_[is_line[1:], False])
        if problem != "balance_typo":
            candidates = candidates[booked[candidates]]
        if problem == "unreadable_amount":
            candidates = candidates[(rows["debit"].to_numpy() + rows["credit"].to_numpy())[candidates] >= 100_000]
        if not len(candidates):
            continue
        at = int(rng.choice(candidates))
        row = rows.loc[at]
        amount_field = "debit" if row["debit"] > 0 else "credit"
        record = {
            "index": at,
            "problem": problem,
            "item": row["item"],
            "month": int(row["month"]),
            "amount_yuan": (row["debit"] + row["credit"]) / 100,
        }
        if problem == "balance_typo":
            wrong = int(row["balance"] + 100 * 100 * int(rng.choice([1, 9, 10])))
            rows.at[at, "written_balance"] = _plain_text(wrong)
            record |= {"field": "balance", "written": _plain_text(wrong), "item": None, "amount_yuan": math.nan}
        elif problem == "missing_line":
            rows.at[at, "lost"] = True
            record |= {"field": amount_field, "written": _plain_text(int(row[amount_field]))}
        else:
            # Separated thousands: "1 234.00" is ambiguous (is the space a separator or a decimal comma?).
            text = _plain_text(int(row[amount_field]))
            spaced = text[:-6] + " " + text[-6:]
            rows.at[at, f"written_{amount_field}"] = spaced
            record |= {"field": amount_field, "written": spaced}
        planted.append(record)
    if rng.random() < 0.5:
        loans = np.flatnonzero(
            rows["loan"].fillna(False).to_numpy(dtype=bool)
            & is_line
            & ~rows["lost"].to_numpy()
            & np.isin(book_id, books[:1] if len(books) < 4 else books[3:])
        )
        if len(loans):
            at = int(rng.choice(loans))
            rows.at[at, "counter_account"] = UNMAPPED_COUNTER
            rows.at[at, "summary"] = UNMAPPED_SUMMARY
            planted.append(
                {
                    "index": at,
                    "problem": "unmapped",
                    "field": "counter_account",
                    "written": UNMAPPED_COUNTER,
                    "item": None,
                    "amount_yuan": math.nan,
                    "month": int(rows.at[at, "month"]),
                }
            )
    return pd.DataFrame(planted, columns=["index", "problem", "field", "written", "item", "amount_yuan", "month"])


def _locate(planted: pd.DataFrame, rows: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """Where each defect is in the written books: the line (for a lost line, the row that took its place)."""
    line_at = pd.Series(rows["line"].to_numpy(), index=rows.index)
    located = []
    for record in planted.to_dict(orient="records"):
        at = record.pop("index")
        if record["problem"] == "missing_line":
            at = rows.index[rows.index > at][0]  # the row after the lost one: where the balance breaks
        village = int(rows.at[at, "village"])
        located.append(
            {
                **record,
                "line": int(line_at[at]),
                "book": rows.at[at, "book_name"],
                "township": villages.at[village, "township"],
                "village": villages.at[village, "village"],
                "village_code": villages.at[village, "village_code"],
            }
        )
    # With columns even when empty: a small partition may get no defect.
    return pd.DataFrame(located, columns=[c for c in DEFECT_COLUMNS if c not in ("county", "year")])


def _plain_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _arrow(rows: pd.DataFrame) -> pa.Table:
    """The partition as the parquet set stores it: amounts as text, as an export writes them."""
    is_line = rows["kind"].eq("line").to_numpy()
    debit = rows["debit"].to_numpy().astype(np.int64)
    credit = rows["credit"].to_numpy().astype(np.int64)
    balance = rows["balance"].to_numpy().astype(np.int64)
    # A book in three writes thousands with commas (1,234.50); the rest plainly.
    commas = (rows["book_id"].to_numpy() % 3) == 0
    show_debit = (debit != 0) | (is_line & (credit == 0))
    show_credit = credit != 0
    texts = {}
    for name, values, shown in (
        ("debit", debit, show_debit),
        ("credit", credit, show_credit),
        ("balance", balance, np.ones(len(rows), dtype=bool)),
    ):
        text = _amount_texts(values, commas)
        written = rows.get(f"written_{name}")
        if written is not None and written.notna().any():
            override = written.notna().to_numpy()
            text = pc.if_else(
                pa.array(override),
                pa.array(written.where(override, None).to_numpy(dtype=object), type=pa.string()),
                text,
            )
        texts[name] = pc.if_else(pa.array(shown), text, pa.scalar(None, pa.string()))
    columns = {
        "township": pa.array(rows["township"].to_numpy(dtype=object), pa.string()),
        "village": pa.array(rows["village_name"].to_numpy(dtype=object), pa.string()),
        "village_code": pa.array(rows["village_code"].to_numpy(dtype=object), pa.string()),
        "book": pa.array(rows["book_name"].to_numpy(dtype=object), pa.string()),
        "month": pa.array(pd.array(rows["month"], dtype="Int8")),
        "day": pa.array(pd.array(pd.to_numeric(rows["day"]), dtype="Int8")),
        "voucher": pa.array(rows["voucher"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "summary": pa.array(rows["summary"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "counter_account": pa.array(rows["counter_account"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "debit": texts["debit"],
        "credit": texts["credit"],
        "balance": texts["balance"],
        "line": pa.array(rows["line"].to_numpy().astype(np.int32)),
    }
    return pa.table({name: columns[name] for name in PARQUET_COLUMNS})


def _amount_texts(fen: np.ndarray, commas: np.ndarray) -> pa.Array:
    """Fen as text with two decimals (``1234.50``), with thousands commas (``1,234.50``) where ``commas``."""
    yuan = np.abs(fen) // 100
    cents = pc.utf8_lpad(pc.cast(pa.array(np.abs(fen) % 100), pa.string()), 2, "0")
    plain = pc.cast(pa.array(yuan), pa.string())
    millions, thousands, units = yuan // 1_000_000, (yuan // 1000) % 1000, yuan % 1000

    def padded(values):
        return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), 3, "0")

    grouped = pc.if_else(
        pa.array(yuan >= 1_000_000),
        pc.binary_join_element_wise(pc.cast(pa.array(millions), pa.string()), padded(thousands), padded(units), ","),
        pc.if_else(
            pa.array(yuan >= 1000),
            pc.binary_join_element_wise(pc.cast(pa.array(thousands), pa.string()), padded(units), ","),
            plain,
        ),
    )
    whole = pc.if_else(pa.array(commas), grouped, plain)
    text = pc.binary_join_element_wise(whole, cents, ".")
    return pc.if_else(pa.array(fen < 0), pc.binary_join_element_wise(pa.scalar("-"), text, ""), text)


# --- the same books as printed spreadsheets ------------------------------------------------------

WORKBOOK_HEADER = ("月", "日", "凭证号", "摘要", "对方科目", "借方", "贷方", "借或贷", "余额")
CSV_HEADER = ("日期", "凭证号", "摘要", "对方科目", "收入", "支出", "余额")
HEADER_ROWS = 3  # title, 核算单位 line, header: line n of a book is row n + 3 of its sheet


def write_journal_workbooks(
    out: Path | str,
    *,
    seed: int = DEFAULT_SEED,
    villages: int = DEFAULT_VILLAGES,
    years: Iterable[int] = DEFAULT_YEARS,
    lines_per_village_year: int = DEFAULT_LINES,
    defects: bool = True,
) -> JournalSample:
    """Write the books of :func:`write_journal_sample` as printed journals, one workbook per village and year.

    Each workbook (``county/township/村名2022年日记账.xlsx``) has a 现金日记账 and a 银行存款日记账 sheet:
    a title, ``核算单位：县乡村股份经济合作社  2022年  单位：元``, the header 月 | 日 | 凭证号 | 摘要 |
    对方科目 | 借方 | 贷方 | 借或贷 | 余额, and the rows (line n is row n + 3). The first village's first
    cash book is a GBK CSV instead (日期 | 收入 | 支出 columns), as some offices export it. Same seed and
    arguments, same books as the parquet set: their accounts are equal.
    """
    import xlsxwriter

    out = Path(out)
    truth = sample_truth(seed=seed, villages=villages, years=years)
    files, rows, planted = [], 0, []
    first = True
    partitions = journal_partitions(truth, seed=seed, lines_per_village_year=lines_per_village_year, defects=defects)
    for county, year, table, found in partitions:
        frame = table.to_pandas()
        rows += len(frame)
        planted.append(found)
        for (township, village), books in frame.groupby(["township", "village"], sort=False):
            folder = out / county / township
            path = folder / f"{village}{year}年日记账.xlsx"
            unit_line = f"核算单位：{county}{township}{village}股份经济合作社　　{year}年　　单位：元"
            sheets = dict(tuple(books.groupby("book", sort=False)))
            if first:
                cash = sheets.pop(CASH_BOOK)
                csv_path = folder / f"{village}{year}年现金日记账.csv"
                text = _journal_csv(cash, unit_line, year)
                files.append(write_atomic(csv_path, lambda p, t=text: p.write_bytes(t.encode("gb18030"))))
                first = False

            def write(p, sheets=sheets, unit_line=unit_line):
                workbook = xlsxwriter.Workbook(str(p), {"in_memory": True})
                workbook.set_properties(
                    {
                        "created": pd.Timestamp("2024-01-01").to_pydatetime(),
                        "comments": "合成样例数据 (synthetic sample data)",
                    }
                )
                for name in (CASH_BOOK, BANK_BOOK):
                    if name in sheets:
                        _journal_sheet(workbook.add_worksheet(name), sheets[name], name, unit_line)
                workbook.close()

            files.append(write_atomic(path, write))
    defects_table = pd.concat(planted, ignore_index=True) if planted else pd.DataFrame(columns=DEFECT_COLUMNS)
    return JournalSample(path=out, files=files, rows=rows, truth=truth, defects=defects_table)


def _cell_values(texts: pd.Series) -> list:
    """Amount texts as spreadsheet cells: numbers where they are plain numbers, the text otherwise (a defect)."""
    numbers = pd.to_numeric(texts.str.replace(",", "", regex=False), errors="coerce")
    return [
        None if pd.isna(t) else (float(v) if not pd.isna(v) else t)
        for t, v in zip(texts.astype(object), numbers, strict=True)
    ]


def _journal_sheet(sheet, book: pd.DataFrame, name: str, unit_line: str) -> None:
    sheet.write_row(0, 0, [name])
    sheet.write_row(1, 0, [unit_line])
    sheet.write_row(2, 0, list(WORKBOOK_HEADER))
    columns = [
        book["month"].astype(object),
        book["day"].astype(object),
        book["voucher"],
        book["summary"],
        book["counter_account"],
        pd.Series(_cell_values(book["debit"])),
        pd.Series(_cell_values(book["credit"])),
        pd.Series(["借"] * len(book)),
        pd.Series(_cell_values(book["balance"])),
    ]
    values = list(zip(*(c.tolist() for c in columns), strict=True))
    for offset, (line, row) in enumerate(zip(book["line"], values, strict=True)):
        assert line == offset + 1, "books are written line by line"
        sheet.write_row(HEADER_ROWS + offset, 0, [None if pd.isna(v) else v for v in row])


def _journal_csv(book: pd.DataFrame, unit_line: str, year: int) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([CASH_BOOK])
    writer.writerow([unit_line])
    writer.writerow(list(CSV_HEADER))
    for row in book.itertuples(index=False):
        date = f"{year}-{int(row.month):02d}-{int(row.day):02d}" if not pd.isna(row.day) else ""
        writer.writerow(
            [
                date,
                *(
                    _text_or_empty(v)
                    for v in (row.voucher, row.summary, row.counter_account, row.debit, row.credit, row.balance)
                ),
            ]
        )
    return buffer.getvalue()


def _text_or_empty(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
