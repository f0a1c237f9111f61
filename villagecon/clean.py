"""Clean ledgers into the canonical tables: ``read_ledger`` and the :class:`Ledger` it returns.

The flow for every file under a path::

    io.read_sheets   → grids of cells with file, sheet and row
    layouts          → every row's kind; every amount cell with village, year, item, unit
    parse_amounts    → yuan (rounded to the fen), approximate flag, or a reason it cannot be read
    subtotals        → 小计/合计 rows kept apart and checked against the rows they sum
    register         → village names to codes; unknown names rejected with suggestions
    conflicts        → the same village-year-item twice: equal → one kept, listed as duplicate;
                       different → both rejected, never summed or chosen
    totals           → 本年收入合计 / 本年支出合计 / 本年收益 checked against their parts
    accounts         → one row per village and year, derived measures added

Nothing is lost: every row of every sheet read is in ``Ledger.rows`` with one
kind, and every non-empty amount cell of a data row ends in exactly one of
``entries``, ``rejects`` or ``duplicates`` (:meth:`Ledger.check_nothing_lost`).
"""

from __future__ import annotations

import hashlib
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from villagecon import labels, schemas
from villagecon.amounts import parse_amounts, unit_factor
from villagecon.errors import Location, UnitError, VillageconError
from villagecon.io import ReadLimits, cell_ref, iter_ledger_files, read_sheets
from villagecon.layouts import CELL_COLUMNS, read_layout
from villagecon.register import match_villages, place_key, read_register
from villagecon.synonyms import village_keys

log = logging.getLogger("villagecon")

# Differences up to one yuan are rounding in the source (万元 with two decimals), not errors.
RECONCILE_TOLERANCE = 1.0
ENTRY_COLUMNS = ("county", "township", "village", "village_code", "year", "item", "detail", "amount_yuan",
                 "approx", "written", "source", "cell")
REJECT_COLUMNS = ("source", "cell", "column", "value", "problem", "reason")
SUBTOTAL_COLUMNS = ("source", "cell", "column", "year", "item", "value", "amount_yuan", "parts", "parts_sum",
                    "difference", "status")
PART_ITEMS = {
    "total_income": tuple(labels.INCOME_ITEMS),
    "total_expense": tuple(labels.EXPENSE_ITEMS),
}


@dataclass
class Ledger:
    """Everything :func:`read_ledger` found.

    Attributes
    ----------
    entries : DataFrame
        One row per amount read (long): county, township, village, village_code,
        year, item, detail (the 其中 part, else missing), amount_yuan, approx,
        source (``file!sheet!row``) and cell (``C7``).
    accounts : DataFrame
        One row per village and year (wide), the canonical items of
        :mod:`villagecon.labels` plus operational_income and operating_profit.
    rejects : DataFrame
        Cells that could not be used: source, cell, column, value, problem (a
        short code), reason (what is wrong and what to do).
    subtotals : DataFrame
        小计/合计 cells, kept apart, with the sum of the rows they cover and a status
        (``ok``, ``mismatch``, ``unchecked``).
    rows : DataFrame
        Every row of every ledger sheet read: file, sheet, row, source, kind.
    duplicates : DataFrame
        Amounts that repeat an entry exactly (same village, year, item and amount):
        source, cell, duplicate_of.
    files : DataFrame
        Files read: file, sha256, bytes, sheets, layouts.
    skipped : DataFrame
        Sheets that are not ledgers (a roster, the register, notes only): file, sheet, reason.
    """

    entries: pd.DataFrame
    accounts: pd.DataFrame
    rejects: pd.DataFrame
    subtotals: pd.DataFrame
    rows: pd.DataFrame
    duplicates: pd.DataFrame
    files: pd.DataFrame
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)

    def check_nothing_lost(self) -> None:
        """Raise AssertionError unless every data-row amount cell ended in exactly one place."""
        kinds = self.rows["kind"]
        assert kinds.isin(["title", "unit", "header", "blank", "data", "subtotal", "note"]).all(), \
            "a row has no kind"
        assert not self.rows.duplicated(["file", "sheet", "row"]).any(), "a row has two kinds"
        placed = pd.concat([self.entries[["source", "cell"]], self.rejects[["source", "cell"]],
                            self.duplicates[["source", "cell"]]])
        subtotal_sources = set(self.rows.loc[kinds.eq("subtotal"), "source"])
        placed = placed.loc[~placed["source"].isin(subtotal_sources)]
        assert not placed.duplicated().any(), "a cell ended in two places"
        assert len(placed) == self._data_cells, f"{self._data_cells - len(placed)} data cells were lost"

    _data_cells: int = field(default=0, repr=False)

    def summary(self) -> str:
        """A few lines for a terminal: what was read, what was kept, what needs attention."""
        kinds = self.rows["kind"].value_counts()
        lines = [
            f"files read: {len(self.files)}; sheets skipped (not ledgers): {len(self.skipped)}",
            "rows: " + ", ".join(f"{kinds.get(k, 0)} {k}" for k in ("data", "subtotal", "title", "unit",
                                                                     "header", "note", "blank")),
            f"entries: {len(self.entries)} amounts for {self.accounts[['village', 'year']].drop_duplicates().shape[0]}"
            f" village-years; duplicates dropped: {len(self.duplicates)}",
            f"subtotals: {len(self.subtotals)} ({(self.subtotals['status'] == 'mismatch').sum()} do not add up)",
            f"rejects: {len(self.rejects)}",
        ]
        if len(self.rejects):
            counts = self.rejects["problem"].value_counts()
            lines.append("  " + ", ".join(f"{n} {problem}" for problem, n in counts.items()))
        return "\n".join(lines)


def read_ledger(path: Path | str, *, register: Path | str | pd.DataFrame | None = None, unit: str | None = None,
                encoding: str | None = None, progress: bool | None = None, limits: ReadLimits | None = None) -> Ledger:
    """Read one ledger file, or every ledger file in a folder, into the canonical tables.

    Parameters
    ----------
    path : path-like
        An .xlsx/.xlsm/.xls/.csv file, or a folder searched recursively.
    register : path-like or DataFrame, optional
        Village register (county, county_code, township, village, village_code,
        aliases). With it every village gets its code and an unknown name is a
        reject; without it villages are told apart by their normalised name.
    unit : {"元", "万元", "亿元"}, optional
        Unit of bare numbers where neither the cell, the column header
        (``金额（万元）``) nor a ``单位：`` row says.
    encoding : str, optional
        Encoding of CSV files; detected (UTF-8, UTF-8 with BOM, GBK/GB18030) when None.
    progress : bool, optional
        Show a progress bar over files (default: when reading more than 20 files in a terminal).
    limits : ReadLimits, optional
        File size, unpacked size and cells per sheet past which a file is refused
        (default: :meth:`villagecon.io.ReadLimits.from_environment`).

    Returns
    -------
    Ledger

    Raises
    ------
    villagecon.errors.VillageconError
        A file that cannot be read, a sheet with numbers but no header, bare
        numbers with no unit anywhere. The message names file, sheet, row and cell.

    Examples
    --------
    ::

        ledger = read_ledger("data/raw", register="data/raw/register.csv")
        ledger.accounts.query("village == '上河村'")[["year", "total_income"]]
    """
    unit_factor(unit)  # a UsageError now rather than after reading every file
    limits = limits or ReadLimits.from_environment()
    root = Path(path)
    register_table = _register(register)
    register_path = Path(register).resolve() if isinstance(register, (str, Path)) else None
    files = [f for f in iter_ledger_files(root) if f.resolve() != register_path]
    if not files:
        raise VillageconError(f"no ledger files (.xlsx, .xls, .csv) in {root}")

    rows, cells, coverage, skipped, file_info = [], [], [], [], []
    for order, file in enumerate(_progress(files, progress)):
        name = file.name if root.is_file() else file.relative_to(root).as_posix()
        sheets = read_sheets(file, name=name, encoding=encoding, limits=limits)
        layouts = []
        for sheet_order, sheet in enumerate(sheets):
            reading = read_layout(sheet, unit=unit)
            if reading.skipped:
                skipped.append({"file": name, "sheet": sheet.sheet, "reason": reading.skipped})
                continue
            layouts.append(reading.layout)
            where = {"file": name, "sheet": sheet.sheet, "file_order": order, "sheet_order": sheet_order}
            rows.append(reading.rows.assign(**where))
            cells.append(reading.cells.assign(**where))
            coverage.append(reading.coverage.assign(file=name, sheet=sheet.sheet))
        data = file.read_bytes()
        file_info.append({"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                          "sheets": len(sheets), "layouts": ",".join(sorted(set(layouts)))})

    rows = _frame(rows, ["row", "kind", "file", "sheet"])
    rows.insert(0, "source", rows["file"] + "!" + rows["sheet"] + "!" + rows["row"].astype("str"))
    rows = rows[["file", "sheet", "row", "source", "kind"]]
    # Columns even when no sheet held a cell (every file skipped, or an empty CSV): nothing downstream guesses.
    cells = _parsed(_frame(cells, [*CELL_COLUMNS, "file", "sheet", "file_order", "sheet_order"]))
    data_cells = cells.loc[cells["row_kind"].eq("data")]
    subtotals, subtotal_rejects = _reconcile_subtotals(cells, _frame(coverage, ["subtotal_row", "row", "file",
                                                                                 "sheet"]))
    data_cells = _match_villages(data_cells, register_table)
    data_cells = _reject_negative_balances(data_cells)
    entries, duplicates, conflict_rejects = _resolve_repeats(data_cells.loc[data_cells["problem"].isna()])
    entries, total_rejects = _reconcile_totals(entries)
    rejects = pd.concat([_as_rejects(data_cells.loc[data_cells["problem"].notna()]), subtotal_rejects,
                         conflict_rejects, total_rejects], ignore_index=True)

    ledger = Ledger(
        entries=schemas.validate_entries(_with_written_text(entries).loc[:, list(ENTRY_COLUMNS)]
                                         .reset_index(drop=True)),
        accounts=schemas.validate_accounts(to_accounts(entries)),
        rejects=rejects.loc[:, list(REJECT_COLUMNS)].reset_index(drop=True),
        subtotals=subtotals,
        rows=rows.reset_index(drop=True),
        duplicates=duplicates,
        files=pd.DataFrame(file_info),
        skipped=pd.DataFrame(skipped, columns=["file", "sheet", "reason"]),
        _data_cells=len(data_cells),
    )
    for file, sheet, reason in ledger.skipped.itertuples(index=False):
        log.info("skipped %s!%s: %s", file, sheet, reason)
    return ledger


def _register(register) -> pd.DataFrame | None:
    if register is None:
        return None
    if isinstance(register, pd.DataFrame):
        return register.astype({"village_code": "str"}).assign(aliases=register.get("aliases", ""))
    return read_register(register)


def _progress(files, progress):
    show = progress if progress is not None else (len(files) > 20 and sys.stderr.isatty())
    if not show:
        return files
    from tqdm.auto import tqdm
    return tqdm(files, desc="reading ledgers", unit="file")


def _frame(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _parsed(cells: pd.DataFrame) -> pd.DataFrame:
    """Parse every amount cell without a problem yet; unreadable ones get problem ``amount``."""
    if cells.empty:
        return cells.assign(amount_yuan=pd.Series(dtype="float64"), approx=pd.Series(dtype="bool"),
                            source=pd.Series(dtype="str"), cell=pd.Series(dtype="str"))
    cells = cells.reset_index(drop=True)
    cells["source"] = cells["file"] + "!" + cells["sheet"] + "!" + cells["row"].astype("int64").astype("str")
    letters = cells["col"].map({c: cell_ref(None, c) for c in cells["col"].unique()})
    cells["cell"] = letters + cells["row"].astype("int64").astype("str")
    cells["year"] = pd.array(cells["year"].astype("float64"), dtype="Int64")
    cells["amount_yuan"] = np.nan
    cells["approx"] = False
    todo = cells["problem"].isna()
    for unit, group in cells.loc[todo].groupby("unit", dropna=False, sort=False):
        parsed = parse_amounts(group["value"], unit=None if pd.isna(unit) else unit)
        no_unit = parsed["error"].str.startswith("no unit", na=False)
        if no_unit.any():
            first = group.loc[no_unit[no_unit].index[0]]
            raise UnitError(f"{first['value']!r} is a bare number and no unit is given anywhere",
                            where=Location(first["file"], first["sheet"] or None, int(first["row"]), first["cell"]),
                            hint="Add a row '单位：万元' (or 元) above the header, write the unit in the column "
                                 "header (金额（万元）), or pass unit='万元' / --unit 万元")
        cells.loc[group.index, "amount_yuan"] = parsed["amount_yuan"].to_numpy()
        cells.loc[group.index, "approx"] = parsed["approx"].to_numpy()
        bad = parsed["error"].notna().to_numpy()
        bad_index = group.index[bad]
        cells.loc[bad_index, "problem"] = "amount"
        cells.loc[bad_index, "reason"] = [f"{reason}: correct the cell (write a number, e.g. 4.2 or 4.2万元)"
                                          for reason in parsed["error"].to_numpy()[bad]]
    missing = cells["problem"].isna() & cells["amount_yuan"].isna()
    if missing.any():  # a missing marker such as — in a data row: nothing to keep, nothing to reject
        cells.loc[missing, "problem"] = "missing"
    cells = cells.loc[cells["problem"].ne("missing") | cells["row_kind"].ne("data")]
    return cells


def _reconcile_subtotals(cells: pd.DataFrame, coverage: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare each 小计/合计 cell with the sum of the data cells it covers."""
    subtotal_cells = cells.loc[cells["row_kind"].eq("subtotal")].copy()
    if subtotal_cells.empty:
        return pd.DataFrame(columns=list(SUBTOTAL_COLUMNS)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    data = cells.loc[cells["row_kind"].eq("data")]
    keys = ["file", "sheet", "item", "year"]
    covered = (subtotal_cells.reset_index().rename(columns={"index": "subtotal_id", "row": "subtotal_row"})
               [["subtotal_id", "subtotal_row", *keys]]
               .merge(coverage, on=["file", "sheet", "subtotal_row"])
               .merge(data[[*keys, "row", "amount_yuan", "approx", "problem"]], on=[*keys, "row"]))
    parts = covered.groupby("subtotal_id").agg(
        parts=("row", "size"), parts_sum=("amount_yuan", "sum"),
        incomplete=("problem", lambda p: p.notna().any()), parts_approx=("approx", "any"))
    subtotal_cells = subtotal_cells.join(parts)
    subtotal_cells["parts"] = subtotal_cells["parts"].fillna(0).astype("int64")
    subtotal_cells["difference"] = subtotal_cells["amount_yuan"] - subtotal_cells["parts_sum"]
    # Only a subtotal whose parts were all read exactly can be checked.
    checkable = (subtotal_cells["parts"].gt(0) & subtotal_cells["problem"].isna()
                 & ~subtotal_cells["incomplete"].fillna(False).astype(bool)
                 & ~subtotal_cells["approx"].astype(bool)
                 & ~subtotal_cells["parts_approx"].fillna(False).astype(bool))
    mismatch = checkable & subtotal_cells["difference"].abs().gt(RECONCILE_TOLERANCE)
    subtotal_cells["status"] = np.select([mismatch, checkable], ["mismatch", "ok"], "unchecked")
    subtotal_cells["value"] = subtotal_cells["value"].map(_as_text)

    mismatched = subtotal_cells.loc[mismatch]
    rejects = mismatched.assign(
        problem="subtotal_mismatch",
        reason=[f"this subtotal is {_yuan(total)} but the {n} rows it covers add up to {_yuan(s)} "
                f"(difference {_yuan(total - s)}): the rows were kept; check them or correct the subtotal"
                for total, s, n in zip(mismatched["amount_yuan"], mismatched["parts_sum"], mismatched["parts"],
                                       strict=True)])
    unreadable = subtotal_cells.loc[subtotal_cells["problem"].notna()]
    rejects = pd.concat([_as_rejects(rejects), _as_rejects(unreadable)], ignore_index=True)
    subtotals = subtotal_cells.loc[:, list(SUBTOTAL_COLUMNS)].reset_index(drop=True)
    return subtotals, rejects


def _match_villages(cells: pd.DataFrame, register: pd.DataFrame | None) -> pd.DataFrame:
    """Give every data cell its village (and code, with a register); unknown names become rejects."""
    cells = cells.copy()
    usable = cells["problem"].isna()
    if register is None:
        name = village_keys(cells["village"])
        cells["village"] = name
        cells["village_code"] = pd.Series(pd.NA, index=cells.index, dtype="str")
        cells["village_key"] = key = _name_within_places(cells, name)
        # Without a register a village is its name (in its places); the first place named for it is kept.
        key_codes, distinct_keys = pd.factorize(key)
        for column in ("township", "county"):
            first = cells.loc[cells[column].notna()].groupby("village_key")[column].first()
            places = np.array([*first.reindex(distinct_keys).to_numpy(dtype=object), None], dtype=object)
            cells[column] = pd.Series(places[key_codes], index=cells.index, dtype="str")
        return cells
    columns = ["village", "township", "county"]
    written = cells.loc[usable, columns].astype(object)
    written = written.where(written.notna(), None)
    names = written.drop_duplicates().reset_index(drop=True)
    matched = names.join(match_villages(names, register).add_prefix("matched_"))
    joined = written.merge(matched, on=columns, how="left")
    joined.index = written.index
    for column in ("county", "township", "village", "village_code"):
        cells.loc[usable, column] = joined[f"matched_{column}"]
    cells.loc[usable, "problem"] = joined["matched_problem"]
    cells.loc[usable, "reason"] = joined["matched_reason"]
    cells["village_key"] = cells["village_code"]
    return cells


def _name_within_places(cells: pd.DataFrame, name: pd.Series) -> pd.Series:
    """Without a register: a village's key is its name, with its county and township where the same name is
    written for several counties (or townships of one county). A row that then names no place is ambiguous
    (marked ``village_ambiguous`` in ``cells``), never given to one of them."""
    key = name.copy()
    usable = cells["problem"].isna() & name.notna()
    for column, word in (("county", "县市区"), ("township", "乡镇")):
        place = cells[column].where(usable).map(place_key, na_action="ignore")
        counts = place.groupby(key).nunique()
        spread = key.isin(counts.index[counts.gt(1)]) & usable
        if not spread.any():
            continue
        unplaced = spread & place.isna()
        written = cells.loc[spread & place.notna()].groupby(key[spread & place.notna()])[column].unique()
        cells.loc[unplaced, "problem"] = "village_ambiguous"
        cells.loc[unplaced, "reason"] = [
            f"village {village!r} is written for villages in {'、'.join(written[k])} and this row names no "
            f"{word}: add the {word} to the row, or pass a village register (--register)"
            for village, k in zip(name[unplaced], key[unplaced], strict=True)]
        key = key.where(~spread | place.isna(), key + "|" + place)
        usable &= ~unplaced
    return key


def _reject_negative_balances(cells: pd.DataFrame) -> pd.DataFrame:
    negative = cells["problem"].isna() & cells["item"].isin(labels.BALANCE_ITEMS) & cells["amount_yuan"].lt(0)
    cells = cells.copy()
    cells.loc[negative, "problem"] = "negative_balance"
    cells.loc[negative, "reason"] = [f"{labels.column(item)} cannot be negative: write the balance as a positive "
                                     "number in the 资产/负债 column" for item in cells.loc[negative, "item"]]
    return cells


def _resolve_repeats(entries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same village-year-item twice: equal amounts keep the first; different amounts reject all."""
    entries = entries.sort_values(["file_order", "sheet_order", "row", "col"], kind="stable")
    group = entries.groupby(["village_key", "year", "item", "detail"], dropna=False, sort=False).ngroup()
    repeated = group.duplicated(keep=False)
    # Repeats are few: everything below works on them only.
    repeats = entries.loc[repeated]
    repeat_group = group[repeated]
    by_group = repeats.groupby(repeat_group)
    conflict = (by_group["amount_yuan"].transform("max") - by_group["amount_yuan"].transform("min")).abs().gt(0.005)
    conflict |= by_group["approx"].transform("nunique").gt(1)
    exact = ~conflict & repeat_group.duplicated(keep="first")
    place = repeats["source"] + " " + repeats["cell"]

    duplicates = pd.DataFrame({"source": repeats.loc[exact, "source"], "cell": repeats.loc[exact, "cell"],
                               "duplicate_of": place.groupby(repeat_group).transform("first")[exact]})
    if len(duplicates):
        log.info("dropped %d exact duplicate amounts (same village, year, item and amount)", len(duplicates))

    clashing = repeats.loc[conflict]
    stated = place[conflict] + " = " + clashing["amount_yuan"].map(_yuan).astype("str")
    clash_group = repeat_group[conflict]
    reasons = [f"{labels.column(item)} {year} of {village} differs between sources: "
               + "; ".join(other for other in stated[clash_group.eq(g)] if other != mine)
               + ". Nothing was kept: correct the wrong file"
               for g, mine, item, year, village in zip(clash_group, stated, clashing["item"], clashing["year"],
                                                       clashing["village"], strict=True)]
    conflict_rejects = _as_rejects(clashing.assign(problem="conflict", reason=reasons))
    dropped = repeats.index[conflict | exact]
    return entries.drop(index=dropped), duplicates.reset_index(drop=True), conflict_rejects


def _reconcile_totals(entries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check reported totals against their parts; a total that disagrees is rejected and its parts kept.

    本年收入合计 = the income items, 本年支出合计 = the expense items, 本年收益 =
    income − expenses. Missing parts count as zero (a 收益分配表 leaves empty lines
    for nothing received). Approximate amounts (40余万元) are not checked.
    """
    main = entries.loc[entries["detail"].isna()]
    wide = main.pivot_table(index=["village_key", "year"], columns="item", values="amount_yuan", aggfunc="first")
    approx = main.pivot_table(index=["village_key", "year"], columns="item", values="approx", aggfunc="any")
    expected = {}
    for total, parts in PART_ITEMS.items():
        present = [p for p in parts if p in wide]
        if total in wide and present:
            has_parts = wide[present].notna().any(axis=1)
            expected[total] = wide[present].sum(axis=1, min_count=1).where(has_parts)
            expected[total] = expected[total].where(~approx[present].fillna(False).any(axis=1))
    if "net_income" in wide and {"total_income", "total_expense"} <= set(wide):
        expected["net_income"] = (wide["total_income"] - wide["total_expense"]).where(
            ~approx[["total_income", "total_expense"]].fillna(False).any(axis=1))
    bad_keys = []
    for total, should_be in expected.items():
        reported = wide[total].where(~approx[total].fillna(False).astype(bool))
        difference = reported - should_be
        for (village, year), diff in difference[difference.abs() > RECONCILE_TOLERANCE].items():
            bad_keys.append((village, year, total, should_be[(village, year)], diff))
    if not bad_keys:
        return entries, pd.DataFrame(columns=list(REJECT_COLUMNS))
    bad = pd.DataFrame(bad_keys, columns=["village_key", "year", "item", "should_be", "difference"])
    flagged = entries.reset_index().merge(bad, on=["village_key", "year", "item"]).loc[lambda f: f["detail"].isna()]
    reasons = [f"{labels.column(item)} is {_yuan(a)} but its parts add up to {_yuan(s)} (difference {_yuan(d)}): "
               "the parts were kept; correct the total or the parts"
               for item, a, s, d in zip(flagged["item"], flagged["amount_yuan"], flagged["should_be"],
                                        flagged["difference"], strict=True)]
    rejects = _as_rejects(flagged.assign(problem="total_mismatch", reason=reasons))
    return entries.drop(index=flagged["index"]), rejects


def to_accounts(entries: pd.DataFrame) -> pd.DataFrame:
    """Pivot entries into one row per village and year, with derived measures.

    Totals the source did not report are derived from their parts (本年收入合计 =
    the income items, …, 本年收益 = income − expenses); reported totals are kept
    as reported (they were checked against their parts). operational_income
    (经营性收入) = operating + contract + investment income; operating_profit
    (经营收益) = operational_income − operating_expense − admin_expense.
    ``approx`` is True where any amount of the village-year was approximate.
    """
    identity = ["county", "township", "village", "village_code"]
    items = list(labels.ACCOUNT_ITEMS)
    if entries.empty:
        return pd.DataFrame(columns=[*identity, "year", *items, *labels.DERIVED_MEASURES, "approx"])
    main = entries.loc[entries["detail"].isna()]
    key = ["village_key", "year"] if "village_key" in main else ["village", "year"]
    wide = main.pivot_table(index=key, columns="item", values="amount_yuan", aggfunc="first").reindex(
        columns=items)
    places = entries.groupby(key)[identity].first()
    approx = entries.groupby(key)["approx"].any()
    accounts = places.join(wide).join(approx)
    for total, parts in PART_ITEMS.items():
        accounts[total] = accounts[total].fillna(accounts[list(parts)].sum(axis=1, min_count=1))
    accounts["net_income"] = accounts["net_income"].fillna(accounts["total_income"] - accounts["total_expense"])
    operational = ["operating_income", "contract_income", "investment_income"]
    accounts["operational_income"] = accounts[operational].sum(axis=1, min_count=1)
    accounts["operating_profit"] = accounts["operational_income"] - accounts[
        ["operating_expense", "admin_expense"]].sum(axis=1, min_count=0)
    accounts = accounts.reset_index().drop(columns=["village_key"], errors="ignore")
    accounts["year"] = accounts["year"].astype("int64")
    columns = [*identity, "year", *items, *labels.DERIVED_MEASURES, "approx"]
    return accounts[columns].sort_values(["county", "township", "village", "year"], na_position="last",
                                         kind="stable").reset_index(drop=True)


def _as_rejects(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return pd.DataFrame(columns=list(REJECT_COLUMNS))
    return pd.DataFrame({"source": cells["source"].to_numpy(), "cell": cells["cell"].to_numpy(),
                         "column": cells["column"].to_numpy(), "value": cells["value"].map(_as_text).to_numpy(),
                         "problem": cells["problem"].to_numpy(), "reason": cells["reason"].to_numpy()})


def _with_written_text(entries: pd.DataFrame) -> pd.DataFrame:
    """``written``: the cell's text where the ledger wrote the amount as text (``40余万元``, ``（4.2）``), else NA."""
    values = entries["value"].astype(object)
    is_text = np.equal(values.map(type).to_numpy(), str)
    return entries.assign(written=values.where(is_text).astype("str"))


def _as_text(value) -> str:
    if isinstance(value, float):
        return format(value, ".15g")
    return "" if value is None else str(value)


def _yuan(amount: float) -> str:
    return f"{amount:,.2f} 元"
