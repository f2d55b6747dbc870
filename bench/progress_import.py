"""`make bench`: a progress re-import of 10,000 rows (progress by Excel, issue 17), on SQLite.

A fresh database holds one round of 1,000 problems with ten measures each (bulk-created: the
set-up is not what is measured). The rectification office downloads the round's 进度填报表
(10,000 rows), every row is filled in as a section would (a progress text and a percentage;
every other row a completion date; every third a rule made), and it is uploaded back. Timed:
writing the sheet, reading it with the preview of every change (`start_progress_import`), and
applying it (`apply_progress_import`: 10,000 progress reports, 5,000 × 2 measure changes, each
with its history row, in one transaction, each of the 1,000 problems refreshed once at the end),
with the statements it ran and the time a row. Peak RSS after each step; the load average
before, since the machine may be shared. Figures go to bench/results.json.
"""

import io
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
PROBLEMS = int(os.environ.get("BENCH_PROGRESS_PROBLEMS", 1_000))
PER_PROBLEM = 10


def _setup(folder: Path) -> None:
    os.environ.update(
        ZHENGGAI_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        ZHENGGAI_DEMO="true",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _round():
    from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
    from zhenggai.testing import make_world

    world = make_world()
    problems = Problem.objects.bulk_create(
        Problem(
            round=world.round,
            unit=world.unit,
            number=str(n + 1),
            title=f"问题{n + 1}：制度执行不到位",
            path=["政治建设方面"],
            area="政治建设方面",
            position=n + 1,
            state=State.IN_PROGRESS,
        )
        for n in range(PROBLEMS)
    )
    Measure.objects.bulk_create(
        Measure(
            problem=problem,
            position=m + 1,
            text=f"措施{m + 1}：修订完善相关制度并组织学习",
            lead_section=world.section,
            owner=world.staff,
            deadline_kind=DeadlineKind.DATE,
            deadline=date(2030, 1, 1),
        )
        for problem in problems
        for m in range(PER_PROBLEM)
    )
    return world


def _fill(data: bytes) -> bytes:
    from openpyxl import load_workbook

    from zhenggai.ledger import progress_sheet

    book = load_workbook(io.BytesIO(data))
    sheet = book[progress_sheet.SHEET_NAME]
    header = {cell.value: cell.column for cell in sheet[progress_sheet.HEADER_ROW + 1]}
    for n, row in enumerate(sheet.iter_rows(min_row=progress_sheet.HEADER_ROW + 2)):
        line = row[0].row
        sheet.cell(line, header["整改进展"], f"已按计划推进第{n + 1}项措施，制度修订稿已起草")
        if n % 2 == 0:  # completed: a completion date, with 100 (anything less is refused)
            sheet.cell(line, header["完成进度（%）"], 100)
            sheet.cell(line, header["完成日期"], date(2026, 11, 1))
        else:
            sheet.cell(line, header["完成进度（%）"], 50 + n % 50)
        if n % 3 == 0:
            sheet.cell(line, header["新建制度（项）"], 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _timed(action):
    started = time.perf_counter()
    value = action()
    return value, round(time.perf_counter() - started, 2)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        _setup(Path(work))
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from zhenggai.ledger import progress_import, progress_sheet
        from zhenggai.ledger.models import Event, ProgressReport

        world = _round()
        user = world.rect_office
        base_rss = _peak_mb()

        def write():
            out = io.BytesIO()
            rows = progress_import.sheet_measures(user, world.round)
            count = progress_sheet.write_sheet(out, world.round, rows)
            return out.getvalue(), count

        (sheet, rows), write_s = _timed(write)
        write_rss = _peak_mb()
        filled = _fill(sheet)
        fill_rss = _peak_mb()
        upload = SimpleUploadedFile("进度填报表.xlsx", filled)
        imp, preview_s = _timed(
            lambda: progress_import.start_progress_import(world.round, upload, by=user)
        )
        preview_rss = _peak_mb()
        events = Event.objects.count()
        statements = [0]

        def counted(execute, sql, params, many, context):
            statements[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            imp, apply_s = _timed(lambda: progress_import.apply_progress_import(imp, by=user))
        done = imp.outcome["applied"]
        figures = {
            "rows": rows,
            "file_mb": round(len(filled) / 1024 / 1024, 2),
            "write_sheet_s": write_s,
            "parse_and_preview_s": preview_s,
            "apply_s": apply_s,
            "apply_ms_per_row": round(apply_s * 1000 / rows, 2),
            "apply_statements": statements[0],
            "changes_applied": done[progress_import.APPLY],
            "changes_refused": done[progress_import.REFUSED],
            "progress_reports": ProgressReport.objects.count(),
            "history_rows": Event.objects.count() - events,
            "cpus": os.cpu_count(),
            "load_average_before": round(load, 2),
            "peak_rss_mb": {
                "after_setup": base_rss,
                "after_write": write_rss,
                "after_fill_openpyxl": fill_rss,
                "after_preview": preview_rss,
                "after_apply": _peak_mb(),
            },
        }
        assert rows == PROBLEMS * PER_PROBLEM and done[progress_import.REFUSED] == 0
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"progress_import_{rows // 1000}k"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"progress_import_{rows // 1000}k", figures)


if __name__ == "__main__":
    main()
