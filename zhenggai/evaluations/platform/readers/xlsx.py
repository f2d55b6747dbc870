"""Excel workbooks (.xlsx): the rows of the first sheet that has any, as openpyxl reads them
(numbers and datetimes stay what they are)."""

from pathlib import Path

from zhenggai.evaluations.platform.model import Unreadable


def read(path: Path):
    from zhenggai.evaluations.platform.readers import MAX_ROWS, Table, zip_is_sound

    zip_is_sound(path)
    try:
        import openpyxl

        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise Unreadable(
            "文件不是可读取的 Excel 表格，或已损坏。",
            f"{path.name}: not a readable workbook ({type(exc).__name__})",
        ) from None
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some exporters write a wrong size: read what is there
            rows = []
            # Rows come from the first one on, empty ones included: n is the Excel row number.
            for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not any(cell not in (None, "") for cell in cells):
                    continue
                if len(rows) > MAX_ROWS:
                    raise Unreadable(
                        f"表格超过 {MAX_ROWS} 行，请拆分后分批导入。", f"more than {MAX_ROWS} rows"
                    )
                rows.append((n, list(cells)))
            if rows:
                return Table(format="xlsx", rows=rows, sheet=sheet.title)
    except Unreadable:
        raise
    except Exception as exc:  # a sheet is read lazily: damage shows only now
        raise Unreadable(
            "Excel 表格已损坏，无法读取。", f"{path.name}: damaged ({type(exc).__name__})"
        ) from None
    finally:
        book.close()
    return Table(format="xlsx", rows=[], sheet="")
