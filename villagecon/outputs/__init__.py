"""Writing outputs that cannot hurt: atomic files, escaped text, safe names, locked and staged folders.

Reports go to the city leadership and tables are opened in Excel, so what villagecon writes
must be complete or absent (never half a file, never a mix of two runs), must not run as a
spreadsheet formula when opened, and must stay inside the folder the user chose whatever
village or county names the data hold.

- :mod:`~villagecon.outputs.atomic`: a file written beside its place and renamed into it;
- :mod:`~villagecon.outputs.spreadsheet_text`: text escaped so that no cell runs as a formula, CSV for Excel;
- :mod:`~villagecon.outputs.names`: file names from data, and output folders apart from the raw data;
- :mod:`~villagecon.outputs.lock`: one run at a time per folder;
- :mod:`~villagecon.outputs.generations`: a set of files switched in by one rename of a link;
- :mod:`~villagecon.outputs.folders`: a report folder exchanged with the previous one in one step;
- :mod:`~villagecon.outputs.verified`: manifests, and readers that use a set only when every hash matches;
- :mod:`~villagecon.outputs.write_errors`: a full disk or a read-only folder as a message.

A base layer: it imports nothing of ingest, analysis, report or sample.
"""

from villagecon.errors import OutputBusyError, OutputError, OutputMismatchError
from villagecon.outputs.atomic import write_atomic
from villagecon.outputs.folders import exchange, exchange_works, replacing_folder
from villagecon.outputs.generations import replacing_files
from villagecon.outputs.lock import output_lock
from villagecon.outputs.names import check_apart, path_inside, safe_file_name
from villagecon.outputs.spreadsheet_text import FORMULA_START, escape_formulas, runs_as_formula, write_csv
from villagecon.outputs.verified import (
    CLEANED_CSVS,
    CLEANED_TABLES,
    ProcessedSet,
    file_record,
    load_processed,
    read_verified,
)

__all__ = [
    "CLEANED_CSVS",
    "CLEANED_TABLES",
    "FORMULA_START",
    "OutputBusyError",
    "OutputError",
    "OutputMismatchError",
    "ProcessedSet",
    "check_apart",
    "escape_formulas",
    "exchange",
    "exchange_works",
    "file_record",
    "load_processed",
    "output_lock",
    "path_inside",
    "read_verified",
    "replacing_files",
    "replacing_folder",
    "runs_as_formula",
    "safe_file_name",
    "write_atomic",
    "write_csv",
]
