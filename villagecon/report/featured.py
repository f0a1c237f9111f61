"""The villages whose stories the report tells (the article's 上河村 by default): their rows, their trajectory and
their approximate amounts as the ledger wrote them.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import cast

import pandas as pd

from villagecon.analysis.debt import trajectory
from villagecon.errors import UsageError
from villagecon.vocab.chenzhou import ARTICLE_VILLAGES
from villagecon.vocab.names import village_key
from villagecon.vocab.periods import actuals

__all__ = [
    "SHOWCASE_VILLAGE",
    "FeaturedVillage",
    "chosen_village",
    "featured_stories",
    "featured_villages",
    "showcase_rows",
    "written_amounts",
]

log = logging.getLogger(__name__)

SHOWCASE_VILLAGE = "上河村"  # the article's debt-to-income story


@dataclass(frozen=True)
class FeaturedVillage:
    """A village whose story the page tells: its rows, its trajectory, its approximate amounts as written, or why
    it is left out."""

    name: str
    rows: pd.DataFrame
    written: dict[tuple[int, str], str] = field(default_factory=dict)  # (year, item) → 40余万元
    left_out: str = ""  # why the story is left out although the data name the village
    # villagecon.analysis.debt.trajectory of the rows (empty when there are none or the story is left out)
    path: pd.DataFrame = field(default_factory=pd.DataFrame)


def featured_stories(
    accounts: pd.DataFrame,
    entries: pd.DataFrame,
    *,
    villages: str | list[str] | None,
    turned: pd.DataFrame | None,
    year: int,
    measure: str,
) -> list[FeaturedVillage]:
    """The featured villages (:func:`featured_villages`), each with its trajectory and its amounts as written.

    Parameters
    ----------
    accounts : DataFrame
        The report's village-year accounts, up to the report year.
    entries : DataFrame
        The ledger's entries (``Ledger.entries``), for the amounts as the ledger wrote them.
    villages : str, list of str or None
        The villages chosen, as in :func:`featured_villages`.
    turned : DataFrame or None
        The turnarounds (:func:`villagecon.analysis.debt.turnarounds`), for the default choice.
    year : int
        The report year: amounts of later years are not shown.
    measure : str
        The income measure of the report.

    Returns
    -------
    list of FeaturedVillage
        One per village, in the order chosen, ``path`` and ``written`` filled.

    Raises
    ------
    UsageError
        A chosen village is not in the data, or the name is several villages'.
    """
    stories = []
    for story in featured_villages(accounts, villages, turned):
        told = len(story.rows) > 0 and not story.left_out
        stories.append(
            replace(
                story,
                written=written_amounts(_same_places(entries, story.rows), village=story.name, up_to=year),
                path=trajectory(story.rows, story.name, income=measure) if told else pd.DataFrame(),
            )
        )
    return stories


def featured_villages(
    accounts: pd.DataFrame, villages: str | list[str] | None = None, turned: pd.DataFrame | None = None
) -> list[FeaturedVillage]:
    """The villages whose stories the page tells.

    ``villages`` (a village_code, ``县/乡镇/村`` or a name only one village has; or a list of them) choose them.
    By default the article's 上河村 when the data have it (see :func:`showcase_rows`), else the village of
    ``turned`` (:func:`villagecon.analysis.debt.turnarounds`) whose net position rose most; none when there is
    neither.

    Parameters
    ----------
    accounts : DataFrame
        The report's accounts, up to the report year.
    villages : str, list of str or None
        The villages chosen (None: the default above).
    turned : DataFrame, optional
        The turnarounds, for the default when the data have no 上河村.

    Returns
    -------
    list of FeaturedVillage
        In the order chosen (``path`` and ``written`` not yet filled: see :func:`featured_stories`).

    Raises
    ------
    UsageError
        A chosen village is not in the data, or several villages have that name.
    """
    if villages is not None:
        chosen = [villages] if isinstance(villages, str) else list(dict.fromkeys(villages))
        stories = []
        for village in chosen:
            rows = chosen_village(accounts, village)
            stories.append(FeaturedVillage(_name_of(rows), rows))
        return stories
    rows, left_out = showcase_rows(accounts)
    if len(rows) or left_out:
        return [FeaturedVillage(SHOWCASE_VILLAGE, rows, left_out=left_out)]
    if turned is None or turned.empty:
        return []
    rise = turned["net_position_to"].fillna(turned["income_to"]) - turned["net_position_from"]
    best = turned.loc[cast(int, rise.idxmax())]  # turnarounds' index is 0..n-1
    keys = (
        ["village_code"]
        if pd.notna(best.get("village_code", pd.NA))
        else [c for c in ("county", "township", "village") if c in turned and pd.notna(best[c])]
    )
    match = pd.Series(True, index=accounts.index)
    for key in keys:
        match &= accounts[key].eq(best[key]).fillna(False)
    rows = accounts.loc[match]
    return [FeaturedVillage(_name_of(rows), rows)]


def showcase_rows(accounts: pd.DataFrame, village: str | None = None) -> tuple[pd.DataFrame, str]:
    """The rows of the featured village, and why its story is left out ("" when it is not).

    By default the article's 上河村 (汝城县濠头乡): where the data have several 上河村, the one in the article's
    county and township. Empty when there is none, or, with the reason, when no single one is it.
    ``village`` chooses another: a village_code, ``县/乡镇/村`` (``汝城县/濠头乡/上河村``), or a name only one
    village has. One the data do not have, or a name several villages share, raises UsageError naming the
    candidates.

    Parameters
    ----------
    accounts : DataFrame
        The report's accounts.
    village : str, optional
        Another village than the article's.

    Returns
    -------
    DataFrame
        The village's rows (empty when there is none or the story is left out).
    str
        Why the story is left out, or "".

    Raises
    ------
    UsageError
        ``village`` is not in the data or names several villages.
    """
    if village is not None:
        return chosen_village(accounts, village), ""
    article = ARTICLE_VILLAGES[SHOWCASE_VILLAGE]
    rows = accounts.loc[
        accounts["village"].map(lambda v: isinstance(v, str) and village_key(v) == village_key(SHOWCASE_VILLAGE))
    ]
    for column, place in (("county", article.county), ("township", article.township)):
        if column in rows and rows[column].eq(place).any():
            rows = rows.loc[rows[column].eq(place)]
    try:
        trajectory(rows, SHOWCASE_VILLAGE)  # one village, or says which are meant
    except UsageError as exc:
        if len(rows):
            log.warning("report: the %s story is left out: %s", SHOWCASE_VILLAGE, exc)
            return rows.iloc[:0], str(exc)
        return rows, ""
    return rows, ""


def chosen_village(accounts: pd.DataFrame, village: str) -> pd.DataFrame:
    """The rows of one village chosen by its village_code, ``县/乡镇/村``, or a name only one village has.

    Parameters
    ----------
    accounts : DataFrame
        The report's accounts.
    village : str
        A village_code, ``汝城县/濠头乡/上河村``, or a name.

    Returns
    -------
    DataFrame
        The village's rows.

    Raises
    ------
    UsageError
        No such village (with the closest names), a malformed choice, or a name several villages share.
    """
    text = unicodedata.normalize("NFKC", str(village)).strip()
    places = _places(accounts)
    if "village_code" in accounts:
        by_code = accounts.loc[accounts["village_code"].astype("string").eq(text).fillna(False)]
        if len(by_code):
            return by_code
    parts = [part.strip() for part in re.split(r"[/／\\]", text)]
    if len(parts) not in (1, 3) or not all(parts):
        raise UsageError(f"--village {village!r}: write a village_code or 县/乡镇/村, e.g. 汝城县/濠头乡/上河村")
    *place, name = parts
    villages = places.drop_duplicates("id").sort_values("label")
    matches = villages.loc[villages["key"].eq(village_key(name))]
    if place:
        county, township = place
        matches = matches.loc[matches["county"].eq(county) & matches["township"].eq(township)]
    if matches.empty:
        close = difflib.get_close_matches(text, villages["label"].tolist(), n=3, cutoff=0.4)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UsageError(
            f"--village {village!r}: no such village in the data up to the report year{hint}. Write "
            "its village_code or 县/乡镇/村 as the register writes them"
        )
    if len(matches) > 1:
        listed = ", ".join(matches["label"])
        raise UsageError(
            f"--village {village!r} names {len(matches)} villages: {listed}. Pass one of them "
            "(县/乡镇/村, or the village_code in brackets)"
        )
    return accounts.loc[places["id"].eq(matches["id"].iloc[0])]


def _places(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per village-year of ``accounts`` (same index): its village's id, label 县/乡镇/村 (code), name key."""

    def column(name: str) -> pd.Series:
        return accounts[name].astype("string").fillna("") if name in accounts else pd.Series("", index=accounts.index)

    county, township, code = column("county"), column("township"), column("village_code")
    name = accounts["village"].map(lambda v: v if isinstance(v, str) else "")
    key = name.map(village_key)
    # A village is its code when it has one, else its county, township and name.
    ident = code.where(code.ne(""), county + "/" + township + "/" + key)
    label = (county + "/" + township + "/" + name).where(
        code.eq(""), county + "/" + township + "/" + name + " (" + code + ")"
    )
    return pd.DataFrame({"id": ident, "label": label, "key": key, "county": county, "township": township})


def _name_of(rows: pd.DataFrame) -> str:
    """The featured village's name as the data write it (上河村 when there are no rows)."""
    if len(rows) and "village" in rows and isinstance(rows["village"].iloc[0], str):
        return rows["village"].iloc[0]
    return SHOWCASE_VILLAGE


def _same_places(entries: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The entries of the county and township of ``rows`` (all of them when ``rows`` has none), and of its
    village_code when the entries carry it (two villages of one name in one township)."""
    for column in ("county", "township", "village_code"):
        places = set(rows[column].dropna()) if column in rows else set()
        if places and column in entries and (column != "village_code" or entries[column].isin(places).any()):
            entries = entries.loc[entries[column].isin(places)]
    return entries


def written_amounts(entries: pd.DataFrame, *, village: str, up_to: int) -> dict[tuple[int, str], str]:
    """The approximate amounts of one village as the ledger wrote them (``{(2022, "total_income"): "40余万元"}``).

    Parameters
    ----------
    entries : DataFrame
        The ledger's entries (``Ledger.entries``).
    village : str
        The village's name (compared after :func:`~villagecon.vocab.names.village_key`).
    up_to : int
        The report year: later amounts are not shown.

    Returns
    -------
    dict
        ``{(year, item): text}`` of the approximate amounts, the text as the ledger wrote it.
    """
    entries = actuals(entries)
    rows = entries.loc[
        entries["approx"].astype(bool)
        & entries["detail"].isna()
        & entries["year"].le(up_to)
        & entries["written"].notna()
        & entries["village"].map(lambda v: isinstance(v, str) and village_key(v) == village_key(village))
    ]
    return {
        (int(year), item): text.strip()
        for year, item, text in zip(rows["year"], rows["item"], rows["written"], strict=True)
    }
