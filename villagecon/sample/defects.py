"""The deliberately bad cells of the sample, and the rejects they must produce.

:func:`put_bad_cells` writes them into the documents laid out (a percentage in an amount column, a 小计 that
does not add up, a village not in the register, a conflicting duplicate) and lists each with the reject a
correct cleaner gives and what the cleaned accounts hold instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from villagecon.ingest.files import cell_ref
from villagecon.parse.cell_text import as_text
from villagecon.sample.article import SHANGHE
from villagecon.sample.documents import At, Cell, CellIndex
from villagecon.sample.layouts import wide_columns
from villagecon.sample.world import Village, World, with_totals
from villagecon.vocab import chenzhou, labels

__all__ = ["BAD_CELL_COLUMNS", "check_coverage", "put_bad_cells", "unknown_village"]

# What :attr:`villagecon.sample.Sample.bad_cells` says of each bad cell.
BAD_CELL_COLUMNS = (
    "file",
    "sheet",
    "row",
    "cell",
    "source",
    "value",
    "problem",
    "village",
    "village_code",
    "year",
    "item",
    "truth_yuan",
    "cleaned_yuan",
    "what",
)


def unknown_village(world: World, villages: list[Village], year: int) -> dict[str, Any] | None:
    """A row for 青山坳村, which is not in the register, in 宜章县's ledger of ``year``.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    villages : list of Village
        宜章县's villages; the first is the template, its accounts scaled by 0.8.
    year : int

    Returns
    -------
    dict or None
        village, township, year and accounts of the row; None when the county has no village.
    """
    if not villages:
        return None
    template = villages[0]
    accounts = world.accounts[(template.code, year)]
    scaled = {item: (math.nan if math.isnan(value) else float(round(value * 0.8))) for item, value in accounts.items()}
    return {
        "village": chenzhou.UNKNOWN_VILLAGE,
        "township": template.township,
        "year": year,
        "accounts": with_totals({k: v for k, v in scaled.items() if not labels.TOTAL_ITEMS.get(k)}, year),
    }


def check_coverage(world: World, index: CellIndex) -> None:
    """Every village-year item of the truth is written somewhere (else the round trip cannot work).

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    index : CellIndex
        Where the documents wrote each amount.

    Raises
    ------
    AssertionError
        An amount of the truth that no file holds.
    """
    for (code, year), accounts in world.accounts.items():
        for item, yuan in accounts.items():
            if not math.isnan(yuan) and (code, year, item) not in index.amounts:
                raise AssertionError(f"no file holds {item} {year} of village {code}")


# --- the deliberately bad cells ----------------------------------------------------------------------


def put_bad_cells(
    world: World, index: CellIndex, unknown: dict[str, Any] | None, year_at: Callable[[int], int]
) -> pd.DataFrame:
    """Write the deliberately bad cells into the documents and list them with the rejects they must produce.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    index : CellIndex
        Where the documents wrote each amount; the bad values are written into those cells.
    unknown : dict or None
        The row of the village not in the register (:func:`unknown_village`).
    year_at : callable
        The sample's year at a position (clamped to the last year).

    Returns
    -------
    DataFrame
        One row per bad cell, columns :data:`BAD_CELL_COLUMNS`.
    """
    bad: list[dict[str, Any]] = []
    villages = {v.code: v for v in world.villages}

    def record(
        at: At, *, problem: str, code: str, year: int, item: str, cleaned: float, what: str, value: Cell = None
    ) -> None:
        value = at.sheet.rows[at.row][at.col] if value is None else value
        file = at.document.path
        bad.append(
            {
                "file": file,
                "sheet": at.sheet.name,
                "row": at.row + 1,
                "cell": cell_ref(at.row + 1, at.col),
                "source": f"{file}!{at.sheet.name}!{at.row + 1}",
                "value": as_text(
                    float(value) if isinstance(value, int) else value
                ),  # the cleaner reads numbers as floats
                "problem": problem,
                "village": villages[code].name if code in villages else chenzhou.UNKNOWN_VILLAGE,
                "village_code": code if code in villages else "",
                "year": year,
                "item": item,
                "truth_yuan": world.accounts[(code, year)][item] if code in villages else math.nan,
                "cleaned_yuan": cleaned,
                "what": what,
            }
        )

    # 1. A percentage typed into an amount column: 苏仙区's 负债 of one village (its 资产负债率).
    year = year_at(3)
    suxian = [
        v
        for v in world.villages
        if v.county == "苏仙区" and not math.isnan(world.accounts[(v.code, year)]["liabilities"])
    ]
    if suxian:
        v = suxian[len(suxian) // 2]
        [at] = [a for a in index.amounts[(v.code, year, "liabilities")] if a.document.path.startswith("苏仙区/")]
        at.sheet.rows[at.row][at.col] = "12.3%"
        record(
            at,
            problem="amount",
            code=v.code,
            year=year,
            item="liabilities",
            cleaned=math.nan,
            what="12.3% (the 资产负债率) typed into the 负债 column: not an amount; liabilities stay missing",
        )

    # 2. A 小计 that does not add up: 嘉禾县's first township block, 经营收入 one 万元 too high.
    year = year_at(4)
    keys = [k for k in index.subtotals if k[0].startswith("嘉禾县/") and k[2] == year and k[4] == "operating_income"]
    if keys:
        at = index.subtotals[keys[0]]
        at.sheet.rows[at.row][at.col] = round(at.sheet.rows[at.row][at.col] + 1, 4)
        record(
            at,
            problem="subtotal_mismatch",
            code="",
            year=year,
            item="operating_income",
            cleaned=math.nan,
            what=f"{keys[0][3]} 经营收入 is 1万元 more than its rows: the rows are kept",
        )

    # 3. A village that is not in the register: every amount of its row.
    if unknown is not None:
        for item in wide_columns(unknown["year"]):
            for at in index.amounts.get(("UNKNOWN", unknown["year"], item), []):
                if at.sheet.rows[at.row][at.col] in (None, "—"):
                    continue  # nothing written, or a missing marker: no amount to reject
                record(
                    at,
                    problem="village_unknown",
                    code="",
                    year=unknown["year"],
                    item=item,
                    cleaned=math.nan,
                    what=f"{chenzhou.UNKNOWN_VILLAGE} is not in the register (its amounts are counted in its "
                    "township's 小计, as the township sent them)",
                )

    # 4. A conflicting duplicate: 汝城县's workbook and 濠头乡's 收益分配表 disagree on one village's 资产.
    year = year_at(3)
    haotou = sorted(
        (v for v in world.villages if v.township == "濠头乡" and v.county == "汝城县"),
        key=lambda v: (v.name == SHANGHE, v.code),
    )
    for v in haotou:
        places = index.amounts.get((v.code, year, "assets"), [])
        if len(places) == 2 and not math.isnan(world.accounts[(v.code, year)]["assets"]):
            wide, statement = sorted(places, key=lambda a: a.document.layout != "wide")
            true_assets = int(world.accounts[(v.code, year)]["assets"])
            statement.sheet.rows[statement.row][statement.col] = _transposed(true_assets)
            for at in (wide, statement):
                record(
                    at,
                    problem="conflict",
                    code=v.code,
                    year=year,
                    item="assets",
                    cleaned=math.nan,
                    what=f"资产 of {v.name} {year}: the 收益分配表 swaps two digits of the county's figure; "
                    "both are rejected and assets stay missing",
                )
            break
    return pd.DataFrame(bad, columns=list(BAD_CELL_COLUMNS))


def _transposed(yuan: int) -> int:
    """The same number with two neighbouring digits swapped (a typing slip), never equal to it."""
    digits = list(str(yuan))
    for i in range(1, len(digits) - 1):
        if digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            return int("".join(digits))
    return yuan + 100_000
