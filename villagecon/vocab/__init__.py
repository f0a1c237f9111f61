"""What words and tables mean: the labels of every column and item, the synonyms offices write for them,
the period words (本年数/上年数), the item tables of the two accounting systems, and the places of the sample.

Imports only :mod:`villagecon.parse` and :mod:`villagecon.errors`; every later step reads its words from here.
"""
