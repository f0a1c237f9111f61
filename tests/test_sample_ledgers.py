"""villagecon.sample.ledgers: which files each county of 郴州市 sends, written the same for the same seed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import README_FILE, REGISTER_FILE, ROSTER_FILE
from villagecon.sample.ledgers import write_sample
from villagecon.sample.truth import sample_truth
from villagecon.vocab import labels

ITEMS = list(labels.ACCOUNT_ITEMS)
SEED, VILLAGES, YEARS = 3, 11, [2022, 2023]

# The files of an 11-village sample of 2022–2023: one township per county (T), in the order they are written.
FILES = [
    r"北湖区/北湖区T村级集体经济收支台账（合成样例）\.xlsx",
    r"北湖区/北湖区华塘镇三资平台科目发生额导出2022-2023（合成样例）\.xlsx",
    r"苏仙区/苏仙区2022年村级集体经济收支统计表（合成样例）\.xlsx",
    r"苏仙区/苏仙区2023年村级集体经济收支统计表（合成样例）\.xlsx",
    r"桂阳县/桂阳县T村级集体经济组织收益分配表（合成样例）\.xlsx",
    r"宜章县/宜章县2022年村级集体经济收支统计表（合成样例）\.csv",
    r"宜章县/宜章县2023年村级集体经济收支统计表（合成样例）\.csv",
    r"永兴县/永兴县村级集体经济收支统计表（合成样例）\.xlsx",
    r"永兴县/永兴县T村级收支台账（合成样例）\.csv",
    r"永兴县/永兴县T收支明细账（合成样例）\.csv",
    r"嘉禾县/嘉禾县村级集体经济收支统计表（合成样例）\.xlsx",
    r"嘉禾县/嘉禾县T2023年村级资产负债表（合成样例）\.xlsx",
    r"临武县/临武县T收益分配表（合成样例）\.xlsx",
    r"汝城县/汝城县村级集体经济收支统计表（合成样例）\.xlsx",
    r"汝城县/汝城县濠头乡收益分配表（合成样例）\.xlsx",
    r"汝城县/汝城县濠头乡2023年第三季度村级财务收支公开榜（合成样例）\.xlsx",
    r"汝城县/汝城县濠头乡2023年第四季度村级财务收支公开榜（合成样例）\.xlsx",
    r"桂东县/桂东县村级集体经济收支台账（合成样例）\.xlsx",
    r"桂东县/桂东县T2023年村集体经济组织收益分配统计表（合成样例）\.xlsx",
    r"安仁县/安仁县T收益分配表（合成样例）\.xlsx",
    r"安仁县/安仁县2022年村级集体经济年报（合成样例）\.csv",
    r"资兴市/资兴市村级集体经济收支台账（合成样例）\.csv",
    re.escape(ROSTER_FILE),
    REGISTER_FILE,
    README_FILE,
]


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    return write_sample(out, seed=SEED, villages=VILLAGES, years=YEARS), out


def test_each_county_sends_its_files_ledgers_first(written):
    sample, out = written
    paths = [p.relative_to(out).as_posix() for p in sample.files]
    assert len(paths) == len(FILES)
    for path, pattern in zip(paths, FILES, strict=True):
        assert re.fullmatch(pattern.replace("T", r"[^/]+?[镇乡]"), path), path
    assert sorted(paths) == sorted(hashes(out))  # every file written is listed, nothing else is written


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(written, tmp_path):
    _, out = written
    write_sample(tmp_path / "again", seed=SEED, villages=VILLAGES, years=YEARS)
    write_sample(tmp_path / "other", seed=SEED + 1, villages=VILLAGES, years=YEARS)
    first, again, other = hashes(out), hashes(tmp_path / "again"), hashes(tmp_path / "other")
    assert first == again
    unchanged = {name for name in first.keys() & other.keys() if first[name] == other[name]}
    # With 11 villages 汝城县 has only 上河村, whose amounts follow the article whatever the seed.
    assert unchanged == {
        "汝城县/汝城县村级集体经济收支统计表（合成样例）.xlsx",
        "汝城县/汝城县濠头乡收益分配表（合成样例）.xlsx",
    }


def test_writing_again_over_its_own_files_and_beside_other_files_is_allowed(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / ".~lock.book.xlsx").write_bytes(b"an office lock file")
    write_sample(tmp_path, seed=SEED, villages=VILLAGES, years=[2023])
    before = hashes(tmp_path)
    write_sample(tmp_path, seed=SEED, villages=VILLAGES, years=[2023])
    assert hashes(tmp_path) == before
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_truth_is_the_truth_of_the_same_arguments(written):
    sample, _ = written
    pd.testing.assert_frame_equal(sample.truth, sample_truth(seed=SEED, villages=VILLAGES, years=YEARS))
    shanghe = sample.truth.loc[sample.truth["village"].eq("上河村")].set_index("year")
    assert shanghe.loc[2022, "total_income"] == 419_600  # 40余万元
    assert sample.approx_cells[["village", "year", "item", "written"]].values.tolist() == [
        ["上河村", 2022, "total_income", "40余万元"]
    ]


def test_the_register_is_the_worlds_with_the_synthetic_note(written):
    sample, out = written
    register = pd.read_csv(out / REGISTER_FILE, dtype=str, keep_default_na=False)
    assert list(register.columns) == [*sample.register.columns, "note"]
    assert set(register["note"]) == {"合成样例数据 (synthetic sample)"}
    pd.testing.assert_frame_equal(register.drop(columns="note"), sample.register.astype(str))


def test_the_expected_accounts_are_the_truth_but_where_a_bad_cell_or_an_approximation_says(written):
    sample, _ = written
    expected = sample.expected_accounts().set_index(["village_code", "year"])
    truth = sample.truth.set_index(["village_code", "year"])[ITEMS]
    differs = ~(np.isclose(expected[ITEMS], truth) | (expected[ITEMS].isna() & truth.isna()))
    changed = sorted(
        (code, year, item)
        for (code, year), row in pd.DataFrame(differs, index=truth.index, columns=ITEMS).iterrows()
        for item in ITEMS
        if row[item]
    )
    listed = sample.bad_cells.loc[sample.bad_cells["village_code"].ne("")]
    assert changed == sorted(
        {(c, y, i) for c, y, i in listed[["village_code", "year", "item"]].itertuples(index=False)}
        | {("431026201201", 2022, "total_income")}  # 上河村 read as 400,000
    )


def test_the_reader_reads_a_countys_files_back_to_the_expected_accounts(written):
    sample, out = written
    ledger = read_ledger(out / "汝城县", register=out / REGISTER_FILE)
    expected = sample.expected_accounts().set_index(["village_code", "year"]).sort_index()
    cleaned = ledger.accounts.set_index(["village_code", "year"]).sort_index()
    pd.testing.assert_frame_equal(
        cleaned[ITEMS], expected.loc[cleaned.index, ITEMS], check_exact=False, atol=0.005, rtol=0
    )
    codes = set(sample.truth.loc[sample.truth["county"].eq("汝城县"), "village_code"])
    assert set(cleaned.index.get_level_values(0)) == codes
    listed = sample.bad_cells.loc[sample.bad_cells["file"].str.startswith("汝城县/")]
    assert sorted(ledger.rejects["cell"]) == sorted(listed["cell"]) and set(ledger.rejects["problem"]) == {"conflict"}
