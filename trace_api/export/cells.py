"""Spreadsheet cells that stay data: text from events and master data must never become a
formula when a spreadsheet program opens the export (CSV/formula injection).

CSV: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading apostrophe (OWASP's advice). XLSX: such text is written as a string cell, which
openpyxl would otherwise store as a formula. Workbooks are written in openpyxl's write-only
(streaming) mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["append_row", "csv_safe"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_safe(values: Iterable[Any]) -> list[Any]:
    """The row with risky text cells neutralised (numbers stay as they are)."""
    return [
        f"'{v}" if isinstance(v, str) and v.startswith(_TRIGGERS) and not _number(v) else v
        for v in values
    ]


def append_row(sheet: Any, values: Iterable[Any], *, bold: bool = False) -> None:
    """Append ``values`` to a write-only openpyxl worksheet, text always as text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    row: list[Any] = []
    for value in values:
        if bold or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)
