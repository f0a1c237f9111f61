"""The table reader: any ledger sheet understood as tables, every decision named and recorded.

Real ledgers are tables drawn by people, not three layouts. For each sheet the reader

1. builds views of its cells (:mod:`.cells`: text, amounts, merged ranges filled), for all sheets of a workbook
   in one pass;
2. finds its tables (:mod:`.headers`: header rows, merged group labels, column-number rows, side-by-side
   blocks) and what each column holds (a role, an item, a year, a period, a village across, or left out);
3. reads what the rows above a table say about all its amounts (:mod:`.context`: title, 单位 line,
   编制单位, sheet and file name);
4. classifies every body row (:mod:`.rows`: data, subtotal, title, note, other, blank) and reads its labels
   (:mod:`.row_places`: village, township, county where villages run down the rows);
5. puts together each amount cell's village, year, item and unit (:mod:`.extract`), the most specific
   place first.

:func:`read_sheet` runs these steps on numpy arrays and keeps what it found as columns of arrays
(:mod:`.columnar`); :func:`villagecon.ingest.ledger.read_ledger` runs it on every sheet of every file and makes
one DataFrame of each kind for all sheets at once.
"""

from villagecon.ingest.extract import CELL_COLUMNS
from villagecon.ingest.sheet import COLUMN_COLUMNS, ROW_KINDS, TABLE_COLUMNS, SheetReading, read_sheet
from villagecon.ingest.words import DEFAULT_VOCABULARY, SYNONYMS_FILE, Vocabulary, read_synonyms

__all__ = [
    "CELL_COLUMNS",
    "COLUMN_COLUMNS",
    "DEFAULT_VOCABULARY",
    "ROW_KINDS",
    "SYNONYMS_FILE",
    "TABLE_COLUMNS",
    "SheetReading",
    "Vocabulary",
    "read_sheet",
    "read_synonyms",
]
