"""Parsing written values: amounts in yuan (``40余万元``, ``（4.2）``, ``十二万``) and years.

The lowest layer of villagecon: it imports nothing of villagecon but :mod:`villagecon.errors`.
"""

from villagecon.parse.amounts import parse_amounts, to_yuan

__all__ = ["parse_amounts", "to_yuan"]
