"""The village-year panel of secretary tenure: who was in office on 31 December of each year of the accounts, since
when, and whether they were new, counted by spell (one person's continuous time in one village)."""

from __future__ import annotations

import logging
from typing import cast

import numpy as np
import pandas as pd

from villagecon import schemas
from villagecon.errors import UsageError
from villagecon.ingest.roster_cells import ONE_SHOULDER
from villagecon.ingest.roster_spells import SAME_SPELL_GAP_DAYS
from villagecon.schemas import TENURE_COLUMNS
from villagecon.vocab.names import village_key

__all__ = ["TENURE_COLUMNS", "tenure"]

log = logging.getLogger(__name__)


def tenure(
    accounts: pd.DataFrame, roster: pd.DataFrame, *, same_spell_gap_days: int = SAME_SPELL_GAP_DAYS
) -> pd.DataFrame:
    """Add the secretary in office on 31 December to every village-year of ``accounts``.

    Tenure is counted by *spell*: one person's continuous time in office in one village,
    whatever role changes or roster row splits. Rows of the same person in the same village
    that overlap, touch or leave a gap of at most ``same_spell_gap_days`` days (default 90)
    continue one spell (书记 until 2020-12, 书记兼主任 from 2021-01 is one spell); a new
    secretary means a new person.

    Parameters
    ----------
    accounts : DataFrame
        One row per village and year (at least village, year; village_code
        joins by code when it is complete here and in ``roster``).
    roster : DataFrame
        Spells from :func:`read_roster` (village, village_code, name, role, start,
        end, background, mentor), or any table of roster rows with those columns.
    same_spell_gap_days : int
        The longest gap between two rows of one person that still continues the spell.

    Returns
    -------
    DataFrame
        A copy of ``accounts`` (same rows, order and index) with :data:`TENURE_COLUMNS`:

        - secretary: name of the secretary in office on 31 December of the year
          (when a handover in December leaves two spells covering that day, the one
          that started later);
        - secretary_start: the first day of that spell (datetime);
        - tenure_years: completed years in office on 31 December, i.e. ``year`` minus
          the year of ``secretary_start`` (0 in the year of taking office); Int64;
          ``secretary_start`` is the start of the person's spell, not of the row;
        - tenure_at_least: the roster says 连任 but not when the spell began, so tenure_years counts from
          the written start and is a lower bound (boolean);
        - new_secretary: another person took office in that year (boolean): False for a
          role change or a new roster row of the same person, and for a person returning
          to office after a gap with nobody in between;
        - one_shoulder: the secretary is also 村委会主任 (role 书记兼主任; boolean, NA when
          the roster gives no role);
        - background, mentor: from the roster.

        Village-years with no secretary in office on 31 December get missing values
        in all these columns (never filled from a neighbouring year); their count is
        logged as a warning. ``accounts`` is not changed.

    Raises
    ------
    UsageError
        ``accounts`` already has tenure columns, or village names repeat across
        counties so that joining by name would be ambiguous (read both with a
        register to join by code).
    """
    if clash := [c for c in TENURE_COLUMNS if c in accounts.columns]:
        raise UsageError(f"accounts already has column(s) {', '.join(clash)}: drop them before adding tenure again")
    for table, name, needed in (
        (accounts, "accounts", ("village", "year")),
        (roster, "roster", ("village", "name", "role", "start", "end", "background", "mentor")),
    ):
        if missing := [c for c in needed if c not in table.columns]:
            raise UsageError(f"{name} lacks column(s) {', '.join(missing)}")
    keys = _join_keys(accounts, roster)
    left = pd.DataFrame({k: _join_values(accounts, k) for k in keys})
    left["year"] = accounts["year"].to_numpy()
    left["_position"] = np.arange(len(accounts))
    right = pd.DataFrame({k: _join_values(roster, k) for k in keys})
    history = roster["roles"] if "roles" in roster else pd.Series(None, index=roster.index, dtype=object)
    began_before = roster["began_before"] if "began_before" in roster else pd.Series(False, index=roster.index)
    right = right.assign(
        **{c: roster[c].to_numpy() for c in ("name", "role", "background", "mentor")},
        roles=history.to_numpy(),
        began_before=began_before.fillna(False).to_numpy(dtype=bool),
        start=pd.to_datetime(roster["start"]).to_numpy(),
        end=pd.to_datetime(roster["end"]).to_numpy(),
    )
    right = _spells_by_person(right, keys, gap=pd.Timedelta(days=same_spell_gap_days))
    pairs = left.merge(right, on=keys, how="inner")
    year_end = pd.to_datetime(pairs["year"].astype("int64").astype("str") + "-12-31")
    in_office = pairs["start"].le(year_end) & (pairs["end"].isna() | pairs["end"].ge(year_end))
    serving = (
        pairs.loc[in_office]
        .sort_values(["_position", "start"], kind="stable")
        .drop_duplicates("_position", keep="last")
        .set_index("_position")
        .reindex(range(len(accounts)))
    )

    start = pd.to_datetime(serving["spell_start"])
    tenure_years = pd.array(accounts["year"].to_numpy() - start.dt.year.to_numpy(), dtype="Int64")
    tenure_years[start.isna().to_numpy()] = pd.NA
    # A spell's role on 31 December of the year: its history (书记, then 书记兼主任 from 2021) says which.
    role = pd.Series(
        [_role_on(r, h, y) for r, h, y in zip(serving["role"], serving["roles"], accounts["year"], strict=True)],
        index=serving.index,
        dtype=object,
    )
    added = {
        "secretary": serving["name"].astype("str").to_numpy(),
        "secretary_start": start.to_numpy(),
        "tenure_years": tenure_years,
        # None is a value of the object array np.where makes, which numpy's stubs do not take.
        "tenure_at_least": pd.array(
            np.where(start.isna(), None, serving["spell_began_before"].eq(True)),  # type: ignore[call-overload]
            dtype="boolean",
        ),
        # Int64 == 0 is a BooleanArray; pandas-stubs give extension arrays no elementwise ==.
        "new_secretary": pd.array(cast("pd.arrays.BooleanArray", tenure_years == 0), dtype="boolean")
        & ~pd.array(
            (serving["spell_began_before"].eq(True) | serving["same_person_before"].eq(True)).to_numpy(),
            dtype="boolean",
        ),
        "one_shoulder": pd.array(
            np.where(role.isna(), None, role.eq(ONE_SHOULDER)),  # type: ignore[call-overload]
            dtype="boolean",
        ),
        "background": serving["background"].astype("str").to_numpy(),
        "mentor": serving["mentor"].astype("str").to_numpy(),
    }
    if (missing := int(start.isna().sum())) > 0:
        log.warning(
            "tenure: %d of %d village-years have no secretary in office on 31 December in the roster; "
            "their tenure columns are left missing",
            missing,
            len(accounts),
        )
    return schemas.validate_tenure(
        accounts.assign(**{name: pd.Series(values, index=accounts.index) for name, values in added.items()})
    )


def _spells_by_person(rows: pd.DataFrame, keys: list[str], *, gap: pd.Timedelta) -> pd.DataFrame:
    """Each roster row with the start of its person's spell (``spell_start``), whether that spell's first row
    began before its written start (``spell_began_before``), and whether the village's secretary just
    before the spell was the same person (``same_person_before``: a return after a longer gap)."""
    rows = rows.sort_values([*keys, "name", "start"], kind="stable")
    person = rows.groupby([*keys, "name"], sort=False, dropna=False)
    open_ended = rows["end"].astype("datetime64[ns]").fillna(pd.Timestamp("2200-01-01"))  # still in office
    latest_end = open_ended.groupby(person.ngroup()).cummax()
    previous_end = latest_end.groupby(person.ngroup()).shift()
    continues = previous_end.notna() & (rows["start"] <= previous_end + gap)
    spell = (~continues).cumsum()
    first = rows.groupby(spell)
    rows = rows.assign(
        spell_start=first["start"].transform("min"), spell_began_before=first["began_before"].transform("first")
    )
    by_start = rows.sort_values([*keys, "start"], kind="stable")
    before = by_start.groupby(keys, sort=False, dropna=False)["name"].shift()
    same = before.eq(by_start["name"]) & by_start["start"].eq(by_start["spell_start"])
    return rows.assign(same_person_before=same.reindex(rows.index).fillna(False).astype(bool))


def _role_on(role, history, year) -> str | None:
    """The role held on 31 December of ``year``, from a spell's ``roles`` history where it has one."""
    if not isinstance(history, str) or not history:
        return None if pd.isna(role) else role
    held = None
    for change in history.split("; "):
        name, _, since = change.rpartition(" from ")
        if since <= f"{int(year)}-12-31":
            held = name
    return held


def _join_keys(accounts: pd.DataFrame, roster: pd.DataFrame) -> list[str]:
    """village_code when both tables have complete codes; else the village name, with the county if needed."""
    if all("village_code" in t and t["village_code"].notna().all() and len(t) for t in (accounts, roster)):
        return ["village_code"]
    for keys in (["village"], ["county", "village"], ["county", "township", "village"]):
        if not all(k in t for k in keys for t in (accounts, roster)):
            continue
        unique = True
        for table in (accounts, roster):
            places = pd.DataFrame(
                {k: _join_values(table, k) for k in ("county", "township", "village") if k in table}
            ).drop_duplicates()
            if places.duplicated(keys).any():
                unique = False
        if unique:
            return keys
    raise UsageError(
        "village names repeat across places in the accounts or the roster, so a village cannot be "
        "told by its name: read both with the village register (register=) to join them by code"
    )


def _join_values(table: pd.DataFrame, key: str) -> np.ndarray:
    values = table[key].astype(object)
    if key == "village_code":
        return values.where(values.notna(), None).map(lambda v: None if v is None else str(v)).to_numpy()
    return values.map(lambda v: village_key(v) if isinstance(v, str) else None).to_numpy()
