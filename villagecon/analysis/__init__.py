"""From the cleaned village-year table to numbers: threshold shares, crossings, turnarounds, debt ratios,
year-over-year changes and the panel models of income against the secretary's tenure.

Takes the tables :mod:`villagecon.ingest` hands over; draws nothing and writes nothing.
"""
