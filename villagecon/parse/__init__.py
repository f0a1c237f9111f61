"""Parsing written values: amounts in yuan (``40余万元``, ``（4.2）``, ``十二万``) and years.

The lowest layer of villagecon: it imports nothing of villagecon but :mod:`villagecon.errors`.
"""
