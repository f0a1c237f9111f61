"""mkdocs hook: tables drawn from villagecon's own vocabulary, so the site never restates them.

A page asks for one with a line ``<!-- table: NAME -->``; NAME is a key of :data:`TABLES`. An unknown name
fails the build.
"""

from __future__ import annotations

import re

from villagecon.vocab import labels, problems

_MARKER = re.compile(r"^<!-- table: (\w+) -->$", re.M)
# How a reject's Chinese text reads without a particular row (problems._reject_fields fills these per row).
_ANY_ROW = {
    "at": "该格",
    "file": "",
    "sheet": "",
    "row": "",
    "cell": "",
    "column": "……",
    "value": "……",
    "closest": "",
    "problem": "",
}


def _rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def account_columns() -> str:
    """The amount columns of the accounts, in the order of the table, with their Chinese names."""
    measures = {**labels.ACCOUNT_ITEMS, **labels.DERIVED_MEASURES}
    return _rows(("column", "中文"), [(f"`{name}`", chinese) for name, chinese in measures.items()])


def measure_parts() -> str:
    """What each total and derived measure is made of, under each accounting system."""
    names = {**labels.ACCOUNT_ITEMS, **labels.DERIVED_MEASURES}

    def formula(year: int, total: str) -> str:
        added, subtracted = labels.total_parts(total, year)
        return " − ".join([" + ".join(names[p] for p in added), *(names[p] for p in subtracted)])

    rows = [
        (f"`{total}` {names[total]}", formula(2004, total), formula(labels.NEW_SYSTEM_FROM, total))
        for total in labels.TOTALS
    ]
    optional = "; ".join(
        f"{names[total]} also counts {', '.join(labels.ENTRY_ITEMS[p] for p in parts)} where a ledger writes it"
        for total, parts in labels.OPTIONAL_PARTS.items()
    )
    header = ("measure", "2004 system (to 2023)", f"财会〔2023〕14号 (from {labels.NEW_SYSTEM_FROM})")
    return f"{_rows(header, rows)}\n\n{optional}; where it does not, the total is complete without it."


def reject_problems() -> str:
    """Every problem code of rejects.csv with its 问题 and 处理办法, as problems.REJECT_PROBLEMS words them."""
    rows = [
        (f"`{code}`", label, what.format(**_ANY_ROW), todo.format(**_ANY_ROW))
        for code, (label, what, todo) in problems.REJECT_PROBLEMS.items()
    ]
    return _rows(("problem", "问题", "详情", "处理办法"), rows)


TABLES = {"account_columns": account_columns, "measure_parts": measure_parts, "reject_problems": reject_problems}


def on_page_markdown(markdown: str, **_: object) -> str:
    def table(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in TABLES:
            raise KeyError(f"docs: no table {name!r}; known: {', '.join(TABLES)}")
        return TABLES[name]()

    return _MARKER.sub(table, markdown)
