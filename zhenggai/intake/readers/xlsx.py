"""Excel ledgers: the rows of the sheet that holds the ledger's header, as lists of cell text."""

from pathlib import Path

from zhenggai.intake.model import IntakeError

MAX_ROWS = 200_000


def read(path: Path) -> list[list[str]]:
    try:
        import openpyxl

        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise IntakeError(f"{path}: not a readable Excel workbook ({type(exc).__name__})") from None
    try:
        for sheet in book.worksheets:
            rows = []
            for n, row in enumerate(sheet.iter_rows(values_only=True)):
                if n >= MAX_ROWS:
                    raise IntakeError(f"{path}: more than {MAX_ROWS} rows")
                rows.append(["" if v is None else str(v).strip() for v in row])
            if rows:
                return rows
    except IntakeError:
        raise
    except Exception as exc:  # a sheet is read lazily: damage shows only now
        raise IntakeError(f"{path}: a damaged Excel workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    raise IntakeError(f"{path}: the workbook is empty")
