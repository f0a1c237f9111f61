"""villagecon: clean, chart and report village collective-economy ledgers."""
