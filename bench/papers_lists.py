"""`make bench`: the three lists (三张清单) of 100,000 problems, against the bare spreadsheet
writer writing the same cells.

The lists are written as the web and the command line write them (database to file, three
sheets in one chunked pass, XlsxWriter in constant-memory mode in a writing process of its own);
the bare writer gets the same rows of the three sheets (cells and row heights) built beforehand
in memory (not timed) and writes them with the same formats and sheet set-up. Each runs in a
child process of its own, so that its peak resident memory is its own (the writing process's
is reported apart); the 100k database is the one the ledger benchmarks seed (bench/seed.py).
Target (issue 17): at least 0.7 of the bare writer's rate.
"""

import json
import os
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


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the writing process): on shared
    cores a steadier figure than the time on the clock."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


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
        started, cpu = time.perf_counter(), _cpu_seconds()
        written = write_lists(problems, path, title="整改三张清单")
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        size = path.stat().st_size
    return {
        "problems": written,
        "seconds": round(seconds, 2),
        "problems_per_s": round(written / seconds),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": _peak_mb(),
        "writer_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "file_mb": round(size / 2**20, 1),
    }


def bare() -> dict:
    """The bare writer on the same rows: the rows of the three sheets built first (not timed),
    with their heights, then written by XlsxWriter alone in this process, with the same
    formats, headings and sheet set-up (as bench/exports.py measures the ledger's)."""
    problems = _problems()
    from zhenggai.lib import xlsx
    from zhenggai.reports import lists_xlsx

    walk = lists_xlsx.Pass(lists_xlsx.several_rounds(problems))
    rows = list(walk.rows(problems))
    with tempfile.TemporaryDirectory() as work:
        started, cpu = time.perf_counter(), _cpu_seconds()
        book = xlsx.Book(str(Path(work) / "bare.xlsx"), lists_xlsx.sheets("整改三张清单"))
        book.start(f"共 {walk.index} 个问题")
        for index, kind, value, height in rows:
            page = book.sheets[index]
            sheet = page.sheet
            if kind == xlsx.HEADING:
                sheet.merge_range(page.row, 0, page.row, len(page.columns) - 1, value, page.heading)
                page.row += 1
                continue
            sheet.set_row(page.row, height)
            total = kind == xlsx.TOTAL
            strings = (page.total, page.total) if total else (page.center, page.cell)
            numbers = page.total_number if total else page.number
            for column, cell in enumerate(value):
                if isinstance(cell, int):
                    sheet.write_number(page.row, column, cell, numbers)
                else:
                    sheet.write_string(page.row, column, cell, strings[column > 0])
            page.row += 1
        book.close()
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {
        "problems": walk.index,
        "seconds": round(seconds, 2),
        "problems_per_s": round(walk.index / seconds),
        "cpu_seconds": round(cpu, 2),
    }


CHILDREN = {"lists": lists, "bare": bare}


def _child(name: str) -> dict:
    """A measure in a child process; with the load the machine had before it (shared cores
    make figures vary: the rate of the bare writer is the one to compare)."""
    load = os.getloadavg()[0]
    run = subprocess.run(
        [sys.executable, __file__, "--child", name],
        env=_env(SIZE),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["load_average_before"] = round(load, 2)
    return figures


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]]()))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    print(f"the three lists (三张清单) of {SIZE} problems")
    written = _child("lists")
    print(f"  lists: {written}")
    bare_figures = _child("bare")
    print(f"  bare XlsxWriter on the same rows: {bare_figures}")
    written["rate_of_bare_writer"] = round(
        written["problems_per_s"] / bare_figures["problems_per_s"], 2
    )
    print(f"  lists rate / bare writer rate: {written['rate_of_bare_writer']}")
    results["papers_lists_100k"] = written
    results["papers_lists_bare_writer_100k"] = bare_figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
