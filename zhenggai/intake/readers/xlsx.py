"""Excel ledgers: every sheet as (name, rows of cell text), for the ledger to find its header in
each (one sheet per area is common). A merged cell's text stands in its first cell only, the
others read empty, as openpyxl reads them in read-only mode."""

from pathlib import Path

from zhenggai.intake.model import IntakeError

MAX_ROWS = 200_000  # over the whole workbook
MAX_SHEETS = 100
# A sheet's stated size pads every row to its width: a ledger has a dozen columns, and a sheet
# claiming 16,384 must not make each of 200,000 rows that wide.
MAX_COLUMNS = 64


def read(path: Path) -> list[tuple[str, list[list[str]]]]:
    try:
        import openpyxl

        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise IntakeError(f"{path}: not a readable Excel workbook ({type(exc).__name__})") from None
    sheets, total = [], 0
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            rows = []
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                total += 1
                if total > MAX_ROWS:
                    raise IntakeError(f"{path}: too many rows, more than {MAX_ROWS}")
                rows.append(["" if v is None else str(v).strip() for v in row])
            if any(any(row) for row in rows):
                sheets.append((sheet.title, rows))
    except IntakeError:
        raise
    except Exception as exc:  # a sheet is read lazily: damage shows only now
        raise IntakeError(f"{path}: a damaged Excel workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    if not sheets:
        raise IntakeError(f"{path}: the workbook is empty")
    return sheets
