"""What every workbook we hand out must do with text that came from users: write it as text, never as a formula."""

from __future__ import annotations

import io

from openpyxl import load_workbook

HYPERLINK = '=HYPERLINK("http://example.com/steal","点我")'
# what spreadsheet programs take for the start of a formula, or that a formula can hide behind
FORMULA_LIKE = (HYPERLINK, "=1+1", "+1+2", "-3+4", "@SUM(A1:A2)")


def assert_written_as_text(content: bytes, *texts: str) -> None:
    """Each of ``texts`` is in some cell of the workbook, and every cell holding it is a text cell with it literally."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]
    for text in texts:
        holding = [cell for cell in cells if cell.value == text]
        assert holding, f"{text!r} is in no cell"
        assert [(cell.coordinate, cell.data_type) for cell in holding] == [(c.coordinate, "s") for c in holding], text
