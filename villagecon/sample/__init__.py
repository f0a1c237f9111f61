"""The deterministic synthetic sample: ledgers in every layout, the real forms offices send, the roster,
and cash journals. Nothing else in villagecon imports it.
"""

from villagecon.sample.journal import write_journal_sample
from villagecon.sample.ledgers import Sample, sample_truth, write_sample

__all__ = ["Sample", "sample_truth", "write_journal_sample", "write_sample"]
