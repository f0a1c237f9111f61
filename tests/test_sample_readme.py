"""villagecon.sample.readme: the README.md of the sample folder, from the files written and the truth."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.sample.defects import BAD_CELL_COLUMNS
from villagecon.sample.documents import REGISTER_FILE, ROSTER_FILE, Document, Sheet, write_document
from villagecon.sample.forms.roster import ROSTER_SHEET, roster_workbook
from villagecon.sample.process import TENURE_EFFECT
from villagecon.sample.readme import readme_text
from villagecon.sample.truth import Sample
from villagecon.sample.world import draw_world

YEARS = [2021, 2022, 2023]
XLSX, GBK, BOM = (
    "汝城县/汝城县统计表（合成样例）.xlsx",
    "宜章县/宜章县统计表（合成样例）.csv",
    "资兴市/资兴市台账（合成样例）.csv",
)
SOURCE = "宜章县/宜章县2023年村级集体经济收支统计表（合成样例）.csv!!6"


def bad_cell(cell: str, value: str, item: str) -> dict:
    return dict.fromkeys(BAD_CELL_COLUMNS, "") | {
        "source": SOURCE,
        "cell": cell,
        "value": value,
        "problem": "village_unknown",
        "item": item,
        "what": "青山坳村 is not in the register",
    }


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, YEARS)


@pytest.fixture
def written(world, tmp_path):
    """Three small files written into ``tmp_path``, the register beside them, and the README of them."""
    documents = [
        Document(XLSX, [Sheet("2023年", [["标题"], [1, 2]])], "wide", "万元"),
        Document(GBK, [Sheet("", [["标题"], ["1", "2"]])], "wide", "元", "gbk"),
        Document(BOM, [Sheet("", [["标题"]])], "long", "万元", "utf-8-sig"),
    ]
    for document in documents:
        write_document(tmp_path, document)
    (tmp_path / REGISTER_FILE).write_bytes(b"county,village\r\n" * 10)
    roster = roster_workbook(world, 2022)
    bad = pd.DataFrame(
        [bad_cell("D6", "45,812", "operating_income"), bad_cell("E6", "24,210", "contract_income")],
        columns=list(BAD_CELL_COLUMNS),
    )
    sample = Sample(
        files=[],
        truth=world.truth,
        details=world.details,
        roster=world.roster,
        register=world.register,
        bad_cells=bad,
        approx_cells=world.approx_cells,
        committee=roster.committee,
    )

    def text() -> str:
        return readme_text(sample, documents, out=tmp_path, seed=7, villages=40, years=YEARS, roster=roster)

    return text, roster, tmp_path


def test_the_readme_says_the_folder_is_synthetic_and_how_it_was_made(written):
    text, _, _ = written
    readme = text()
    assert readme.splitlines()[0] == "# Synthetic sample data (合成样例数据)"
    assert "Everything in this folder is **synthetic**" in readme
    assert "`villagecon sample --out data/raw --seed 7 --villages 40 --years 2021-2023`" in readme
    assert readme == text()  # the same files and truth give the same text


def test_the_readme_keeps_the_articles_figures(written):
    readme = written[0]()
    assert "上河村's 负债4.2万元 in 2017 and 收入40余万元 in 2022" in readme
    assert "more than 95% of villages above 10万元 in 2022" in readme
    assert "| 上河村 | 2022 | total_income | `40余万元` | 419,600 | 400,000 |" in readme


def test_every_file_is_listed_with_its_layout_unit_encoding_and_size(written):
    text, _, out = written
    rows = [line for line in text().splitlines() if line.startswith("| `") and "` | " in line]
    sizes = {path: f"{(out / path).stat().st_size:,}" for path in (XLSX, GBK, BOM)}
    assert rows[:4] == [
        f"| `{XLSX}` | wide | 万元 | xlsx | {sizes[XLSX]} |  |",
        f"| `{GBK}` | wide | 元 | GBK | {sizes[GBK]} |  |",
        f"| `{BOM}` | long | 万元 | UTF-8 with BOM | {sizes[BOM]} |  |",
        f"| `{REGISTER_FILE}` | register | — | UTF-8 | 160 | county, county_code, township, village, "
        "village_code (12 digits), aliases (former names, `|`-separated), note (合成样例数据) |",
    ]


def test_the_bad_cells_of_one_row_are_one_line_of_the_table(written):
    readme = written[0]()
    assert (
        f"| `{SOURCE}` | D6, E6 | `45,812`, `24,210` | `village_unknown` × 2 | 青山坳村 is not in the register |"
        in readme
    )
    assert "must reject exactly these 2 cells" in readme


def test_the_process_section_gives_the_parameters_and_the_shares_of_the_truth(world, written):
    readme = written[0]()
    assert f"`TENURE_EFFECT = {TENURE_EFFECT}`" in readme
    assert f"{world.truth['village_code'].nunique()} villages, 2021–2023." in readme
    shares = world.truth.groupby("year")["total_income"].apply(lambda s: (s >= 100_000).mean())
    assert "| share | " + " | ".join(f"{s:.1%}" for s in shares) + " |" in readme


def test_the_roster_section_names_its_sheets_and_the_split_term(written):
    text, roster, _ = written
    readme = text()
    county, township = roster.township
    assert f"`{ROSTER_FILE}` holds every secretary spell of the truth" in readme
    assert f"- `{ROSTER_SHEET}`, the city's 花名册" in readme
    assert f"- `{township}历任书记（合成样例）`: {county}{township}'s rows that ended" in readme
    village, name, election = roster.split
    assert f"{name} ({village}) is written in two rows, 书记 until {election.year - 1}.12" in readme
    assert f"{len(roster.committee)} rows of other posts" in readme
