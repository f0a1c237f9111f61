import sys

from villagecon.cli import main

sys.exit(main())
