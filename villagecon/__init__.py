"""villagecon: village collective-economy ledgers in, one traceable village-year table out.

The helpers an analyst imports in a script or notebook::

    from villagecon import read_ledger, to_yuan

    ledger = read_ledger("data/raw", register="data/raw/register.csv")
    ledger.accounts          # one row per village and year, in yuan
    ledger.rejects           # every cell that could not be used, with file, sheet, row and why
    to_yuan("40余万元")       # 400000.0
"""

from villagecon.amounts import parse_amounts, to_yuan
from villagecon.clean import Ledger, read_ledger

__all__ = ["Ledger", "parse_amounts", "read_ledger", "to_yuan"]
__version__ = "0.1.0"
