"""A streamed spreadsheet of one sheet: a title, a header, merged heading rows and wrapped data
rows, written by XlsxWriter in constant-memory mode; a book of several such sheets sharing their
formats; and a way to write either in a process of its own while the caller produces the rows.
No Django here: the writing process imports only this.
"""

import copy
import multiprocessing
import os
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from queue import Empty, Full

import xlsxwriter

HEADING, ROW = "heading", "row"
# Rows of texts and numbers (numbers written as numbers), and the same in bold: a subtotal.
FIGURES, TOTAL = "figures", "total"
BATCH = 500  # rows per message to the writing process
QUEUED_BATCHES = 64  # bounded: memory stays flat, yet reading a database chunk never stalls it
STALL_SECONDS = 120  # a writing process that takes nothing for this long is given up


class WriteFailed(Exception):
    pass


class SheetWriter:
    """One sheet: `columns` is [(name, width)]; rows are (HEADING, text) or (ROW, cells,
    height in points or None), and in a book with figure formats (FIGURES or TOTAL, cells of
    texts and ints, height)."""

    def __init__(self, target, title: str, columns: list[tuple[str, int]], *, name="整改台账"):
        self.book = xlsxwriter.Workbook(
            # Every text from people is written as text: a title starting with "=" is not a
            # formula, nor a "http…" a link.
            target,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.sheet = self.book.add_worksheet(name)
        self.title = title
        self.columns = columns
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
        self.cell = self.book.add_format({**base, "text_wrap": True})
        self.center = self.book.add_format({**base, "text_wrap": True, "align": "center"})
        self.heading = self.book.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.header = self.book.add_format(
            {**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"}
        )
        self.caption = self.book.add_format(
            {"font_name": "方正小标宋简体", "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.note = self.book.add_format({"font_name": "宋体", "font_size": 9, "align": "right"})
        self.row = 0

    def start(self, subtitle: str) -> None:
        """Title, subtitle and header; the header frozen and repeated on every printed page of
        an A4 landscape print-out, one page wide, numbered."""
        sheet, last = self.sheet, len(self.columns) - 1
        for column, (_, width) in enumerate(self.columns):
            sheet.set_column(column, column, width)
        sheet.set_row(0, 30)
        sheet.merge_range(0, 0, 0, last, self.title, self.caption)
        sheet.merge_range(1, 0, 1, last, subtitle, self.note)
        sheet.write_row(2, 0, [name for name, _ in self.columns], self.header)
        sheet.freeze_panes(3, 0)
        sheet.repeat_rows(2)
        sheet.set_paper(9)  # A4
        sheet.set_landscape()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.fit_to_pages(1, 0)
        sheet.set_footer("&C第 &P 页，共 &N 页")
        sheet.set_header(f"&L&9{self.title[:80]}")
        self.row = 3

    def heading_row(self, text: str) -> None:
        self.sheet.merge_range(self.row, 0, self.row, len(self.columns) - 1, text, self.heading)
        self.row += 1

    def data_row(self, cells: list[str], height: float | None = None) -> None:
        sheet, row = self.sheet, self.row
        if height:
            sheet.set_row(row, height)
        sheet.write_string(row, 0, cells[0], self.center)
        for column in range(1, len(cells)):
            sheet.write_string(row, column, cells[column], self.cell)
        self.row += 1

    def add_figure_formats(self) -> None:
        """Formats of numbers in a row (centred, as integers) and of a subtotal row (bold on
        grey), for FIGURES and TOTAL rows."""
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
        self.number = self.book.add_format({**base, "align": "center", "num_format": "0"})
        total = {**base, "bold": True, "bg_color": "#F2F2F2"}
        self.total = self.book.add_format(total)
        self.total_number = self.book.add_format({**total, "align": "center", "num_format": "0"})

    def another(self, name: str, title: str, columns: list[tuple[str, int]]) -> "SheetWriter":
        """A further sheet of the same workbook, with the same formats."""
        other = copy.copy(self)
        other.sheet = self.book.add_worksheet(name)
        other.title, other.columns, other.row = title, columns, 0
        return other

    def figures_row(self, cells: list, height: float | None, total: bool = False) -> None:
        """Texts as text, ints as numbers (offices sum them); the first text centred as a
        number; all bold on grey when `total`."""
        sheet, row = self.sheet, self.row
        if height:
            sheet.set_row(row, height)
        strings = (self.total, self.total) if total else (self.center, self.cell)
        number = self.total_number if total else self.number
        for column, value in enumerate(cells):
            if isinstance(value, int):
                sheet.write_number(row, column, value, number)
            else:
                sheet.write_string(row, column, value, strings[column > 0])
        self.row += 1

    def write(self, rows: Iterable) -> int:
        """Write (HEADING, text) and (ROW, cells, height) rows; returns the number of data
        rows."""
        written = 0
        for row in rows:
            if row[0] == ROW:
                self.data_row(row[1], row[2])
                written += 1
            else:
                self.heading_row(row[1])
        return written

    def close(self) -> None:
        self.book.close()


@dataclass(frozen=True)
class Sheet:
    """One sheet of a book: its tab's name, its title row and its columns [(name, width)]."""

    name: str
    title: str
    columns: list[tuple[str, int]]


class Book:
    """Several sheets in one workbook with the same formats (and figure formats); rows are
    (sheet's index, kind, cells or text, height): kind HEADING (a text, no height), ROW,
    FIGURES or TOTAL. In constant-memory mode each sheet keeps its own row, so rows of the
    sheets may come interleaved, each sheet's in order."""

    def __init__(self, target, sheets: list[Sheet]):
        first, *more = sheets
        writer = SheetWriter(target, first.title, first.columns, name=first.name)
        writer.add_figure_formats()
        self.sheets = [writer] + [writer.another(s.name, s.title, s.columns) for s in more]

    def start(self, subtitle: str) -> None:
        for sheet in self.sheets:
            sheet.start(subtitle)

    def write(self, rows: Iterable) -> None:
        sheets = self.sheets
        for index, kind, value, height in rows:
            if kind == FIGURES:
                sheets[index].figures_row(value, height)
            elif kind == ROW:
                sheets[index].data_row(value, height)
            elif kind == TOTAL:
                sheets[index].figures_row(value, height, True)
            else:
                sheets[index].heading_row(value)

    def close(self) -> None:
        self.sheets[0].close()


def write(rows: Iterable, target, title: str, subtitle: str, columns) -> int:
    """Write the sheet here, in this process."""
    sheet = SheetWriter(target, title, columns)
    sheet.start(subtitle)
    written = sheet.write(rows)
    sheet.close()
    return written


def write_book(rows: Iterable, target, sheets: list[Sheet], subtitle: str) -> None:
    """Write a book of several sheets here, in this process; `rows` as Book takes them."""
    book = Book(target, sheets)
    book.start(subtitle)
    book.write(rows)
    book.close()


def write_in_process(rows: Iterable, target: str, title: str, subtitle: str, columns) -> int:
    """Write the sheet to the path `target` in a new process while this one produces `rows`,
    so that the two halves of the work run on two cores. The process is started afresh
    (spawned: no inherited threads, locks or connections), and it gives up if this one dies."""
    written, batch = 0, []
    with _writing_process(partial(SheetWriter, target, title, columns), subtitle) as send:
        for row in rows:
            batch.append(row)
            written += row[0] == ROW
            if len(batch) >= BATCH:
                send(batch)
                batch = []
        send(batch)
    return written


def write_book_in_process(rows: Iterable, target: str, sheets: list[Sheet], subtitle: str) -> None:
    """Write a book of several sheets to the path `target` in a new process while this one
    produces `rows` (as Book takes them), as write_in_process does one sheet."""
    batch = []
    with _writing_process(partial(Book, target, sheets), subtitle) as send:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                send(batch)
                batch = []
        send(batch)


@contextmanager
def _writing_process(make: partial, subtitle: str):
    """A spawned process writing what `make` opens (a SheetWriter or a Book); gives a function
    sending it a batch of rows. Leaving the block normally closes the file; leaving it by an
    exception kills the process, leaving the file unfinished."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=QUEUED_BATCHES)
    child = context.Process(target=_writer, args=(queue, make, subtitle, os.getpid()), daemon=True)
    child.start()
    finished = False
    try:
        yield partial(_put, queue, child=child)
        _put(queue, None, child)
        finished = True
    finally:
        if not finished:  # this side failed: the file must not be completed
            queue.cancel_join_thread()
            child.kill()
        child.join()
        queue.close()
    if child.exitcode != 0:
        raise WriteFailed(f"the spreadsheet writer exited with code {child.exitcode}")


def _put(queue, item, child) -> None:
    """Queue an item for the writer, giving up when it has died or stalled."""
    started = time.monotonic()
    while True:
        try:
            queue.put(item, timeout=1)
            return
        except Full:
            if not child.is_alive() or time.monotonic() - started > STALL_SECONDS:
                raise WriteFailed("the spreadsheet writer died or stalled") from None


def _writer(queue, make: partial, subtitle: str, parent: int) -> None:
    """The writing process: batches of rows until the end mark (None). If its parent dies
    before the end, it leaves the file unfinished and exits."""
    sheet = make()
    sheet.start(subtitle)
    while True:
        try:
            batch = queue.get(timeout=5)
        except Empty:
            if os.getppid() != parent:
                os._exit(1)
            continue
        if batch is None:
            break
        sheet.write(batch)
    sheet.close()
