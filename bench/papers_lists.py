"""`make bench`: the three lists (三张清单) of 100,000 problems, against the bare spreadsheet
writer writing the same cells.

The lists are written as the web and the command line write them (database to file, three
sheets in one chunked pass, XlsxWriter in constant-memory mode); the bare writer gets the same
cells of the three sheets built beforehand in memory (not timed) and writes them with the same
formats and sheet set-up. Each runs in a child process of its own, so that its peak resident
memory is its own; the 100k database is the one the ledger benchmarks seed (bench/seed.py).
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from ledger import DATA, RESULTS, _env  # noqa: E402

SIZE = 100_000


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _problems():
    import django

    django.setup()
    from seed import ensure_seeded

    ensure_seeded(SIZE, DATA / str(SIZE))
    from zhenggai.ledger.models import Problem

    return Problem.objects.order_by("round_id", "position", "id")


def lists() -> dict:
    problems = _problems()
    from zhenggai.reports.lists_xlsx import write_lists

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "lists.xlsx"
        started = time.perf_counter()
        written = write_lists(problems, path, title="整改三张清单")
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "problems": written,
        "seconds": round(seconds, 2),
        "problems_per_s": round(written / seconds),
        "peak_rss_mb": _peak_mb(),
        "file_mb": round(size / 2**20, 1),
    }


class Recorder:
    """Stands in for the workbook while the lists are built: keeps each sheet's rows."""

    def __init__(self):
        self.rows = {}

    def take(self, book):
        from zhenggai.reports import lists_xlsx

        recorded = self.rows

        def write_row(page, cells, *, total=False):
            recorded.setdefault(page.sheet.name, []).append(("row", list(cells), total))
            page.row += 1

        def heading_row(page, text):
            recorded.setdefault(page.sheet.name, []).append(("heading", text, False))

        lists_xlsx.write_row = write_row
        for page in (book.problems, book.tasks, book.duties):
            page.heading_row = heading_row.__get__(page)


def bare() -> dict:
    """The same cells, built first (not timed), then written by XlsxWriter alone."""
    problems = _problems()
    from zhenggai.reports import lists_xlsx

    recorder = Recorder()
    real_start = lists_xlsx.ListsBook.start

    def start(book, subtitle):
        real_start(book, subtitle)
        recorder.take(book)

    lists_xlsx.ListsBook.start = start
    with tempfile.TemporaryDirectory() as work:
        written = lists_xlsx.write_lists(problems, Path(work) / "x.xlsx", title="整改三张清单")
    rows = recorder.rows
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        book = lists_xlsx.ListsBook(str(Path(work) / "bare.xlsx"), "整改三张清单")
        real_start(book, f"共 {written} 个问题")
        for page in (book.problems, book.tasks, book.duties):
            sheet = page.sheet
            for kind, value, total in rows.get(sheet.name, []):
                if kind == "heading":
                    sheet.merge_range(
                        page.row, 0, page.row, len(page.columns) - 1, value, page.heading
                    )
                    page.row += 1
                    continue
                sheet.set_row(page.row, lists_xlsx.row_height(value, page.columns))
                strings = (page.total, page.total) if total else (page.center, page.cell)
                numbers = page.total_number if total else page.number
                for column, cell in enumerate(value):
                    if isinstance(cell, int):
                        sheet.write_number(page.row, column, cell, numbers)
                    else:
                        sheet.write_string(page.row, column, cell, strings[column > 0])
                page.row += 1
        book.close()
        seconds = time.perf_counter() - started
    return {
        "problems": written,
        "seconds": round(seconds, 2),
        "problems_per_s": round(written / seconds),
    }


CHILDREN = {"lists": lists, "bare": bare}


def _child(name: str) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", name],
        env=_env(SIZE),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]]()))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    print(f"the three lists (三张清单) of {SIZE} problems")
    written = _child("lists")
    print(f"  lists: {written}")
    bare_figures = _child("bare")
    print(f"  bare XlsxWriter on the same cells: {bare_figures}")
    written["rate_of_bare_writer"] = round(
        written["problems_per_s"] / bare_figures["problems_per_s"], 2
    )
    print(f"  lists rate / bare writer rate: {written['rate_of_bare_writer']}")
    results["papers_lists_100k"] = written
    results["papers_lists_bare_writer_100k"] = bare_figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
