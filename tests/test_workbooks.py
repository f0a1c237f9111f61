"""villagecon.ingest.workbooks: a workbook's sheets as grids, the garbage collector left as it was found."""

from __future__ import annotations

import gc
import io

import openpyxl
import pytest

from villagecon.errors import LedgerFileError
from villagecon.ingest.read_limits import ReadLimits
from villagecon.ingest.workbooks import read_workbook


def _township_workbook() -> bytes:
    """One sheet as a township office types it: a title, 单位：万元, a header, two villages and a 合计."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "濠头乡"
    for row in (
        ["2022年濠头乡村级集体经济收入统计表"],
        ["单位：万元"],
        ["村名", "经营收入", "投资收益"],
        ["上河村", 40.5, "3.2"],
        ["下河村", 12, None],
        ["合计", 52.5, 3.2],
    ):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_was(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        sheets = read_workbook(_township_workbook(), name="濠头乡.xlsx", suffix=".xlsx", limits=ReadLimits())
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    (sheet,) = sheets
    assert sheet.sheet == "濠头乡"
    assert sheet.grid.shape == (6, 3)
    assert sheet.grid.loc[4].tolist() == ["上河村", 40.5, "3.2"]
    assert sheet.grid.at[6, 0] == "合计"
    assert sheet.grid.at[6, 1] == 52.5


def test_the_collector_is_back_on_after_a_sheet_that_cannot_be_read(monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("truncated sheet")

    monkeypatch.setattr("python_calamine.CalamineSheet.to_python", broken, raising=False)
    assert gc.isenabled()
    with pytest.raises(LedgerFileError, match=r"truncated sheet\) \(file 濠头乡.xlsx, sheet '濠头乡'\)"):
        read_workbook(_township_workbook(), name="濠头乡.xlsx", suffix=".xlsx", limits=ReadLimits())
    assert gc.isenabled()
