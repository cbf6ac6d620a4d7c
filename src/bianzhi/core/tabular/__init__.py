"""What every importer reads spreadsheets through.

``reading`` finds the header and hands back the rows of a county office's .xlsx or .csv file; ``rows`` turns a row's
texts into values and notes each problem as a ``RowIssue``; ``report`` writes those problems to the .xlsx error report
the office fixes its file from. The importers (``orgs.imports``, ``roster.imports``) keep only their own checks.
"""

from bianzhi.core.tabular.reading import (
    HEADER_SEARCH_ROWS,
    SUFFIXES,
    CellDate,
    Column,
    Header,
    Rows,
    Schema,
    Sheet,
    Source,
    cell_text,
    choice_map,
    csv_encoding,
    file_size_label,
    fold,
    locate,
    normalize,
    normalize_name,
    open_binary,
    parse_date,
    sheets,
    source_size,
)

__all__ = [
    "HEADER_SEARCH_ROWS",
    "SUFFIXES",
    "CellDate",
    "Column",
    "Header",
    "Rows",
    "Schema",
    "Sheet",
    "Source",
    "cell_text",
    "choice_map",
    "csv_encoding",
    "file_size_label",
    "fold",
    "locate",
    "normalize",
    "normalize_name",
    "open_binary",
    "parse_date",
    "sheets",
    "source_size",
]
