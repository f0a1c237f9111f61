"""``python -m villagecon``: the command line (:mod:`villagecon.cli`)."""

import sys

from villagecon.cli import main

__all__: list[str] = []

sys.exit(main())
