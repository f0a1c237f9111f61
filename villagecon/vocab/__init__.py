"""What words and tables mean: the labels of every column and item, the synonyms offices write for them,
the period words (本年数/上年数), the items of the two accounting systems and what every total and measure is
made of (:mod:`villagecon.vocab.items`), the items projects' names tell (:mod:`villagecon.vocab.projects`),
village names reduced to one key (:mod:`villagecon.vocab.names`), the problems of rejects in Chinese
(:mod:`villagecon.vocab.problems`), and the places of the sample.

Imports only :mod:`villagecon.parse` and :mod:`villagecon.errors`; every later step reads its words from here.
"""

__all__ = [
    "chenzhou",
    "items",
    "journal_items",
    "labels",
    "names",
    "periods",
    "problems",
    "projects",
    "synonyms",
]
