"""`make bench`: the Excel ledger of 100,000 problems, against the bare spreadsheet writer on the
same rows, and the Word notice of a 50-problem round.

Targets (issue 5): the export under 15 s and 300 MB peak memory (the reading process and the
writing process together), at no less than 80% of the rate
of the bare writer (XlsxWriter in constant-memory mode, writing the same cells with the same
formats from rows already in memory); the notice under 2 s. Each figure is measured in a child
process of its own, so that its peak resident memory is its own.
"""

import json
import resource
import statistics
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
NOTICE_PROBLEMS = 50


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _setup():
    import django

    django.setup()
    from seed import ensure_seeded

    return ensure_seeded(SIZE, DATA / str(SIZE))


def _problems():
    from zhenggai.ledger.models import Problem

    return Problem.objects.order_by("round_id", "position", "id")


def export() -> dict:
    """The export as the web and the command line run it: database to file."""
    _setup()
    from zhenggai.reports.ledger_xlsx import write_ledger

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "ledger.xlsx"
        started = time.perf_counter()
        rows = write_ledger(_problems(), path, title="整改台账")
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": _peak_mb(),
        # The writer process (forked, so it shares the parent's pages until either writes).
        "writer_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "file_mb": round(size / 2**20, 1),
    }


def bare() -> dict:
    """The bare writer on the same rows: the rows built first (not timed), then written by
    XlsxWriter alone in this process, with the same formats, headings and sheet set-up."""
    _setup()
    from zhenggai.lib.xlsx import SheetWriter
    from zhenggai.reports.ledger_xlsx import COLUMNS, PROBLEM, ledger_rows

    rows = list(ledger_rows(_problems()))
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        book = SheetWriter(str(Path(work) / "bare.xlsx"), "整改台账", COLUMNS)
        book.start("共 100000 个问题")
        sheet, cell, center = book.sheet, book.cell, book.center
        for kind, value, *height in rows:
            if kind != PROBLEM:
                book.heading_row(value)
                continue
            row = book.row
            sheet.set_row(row, height[0])
            sheet.write_string(row, 0, value[0], center)
            for column in range(1, len(value)):
                sheet.write_string(row, column, value[column], cell)
            book.row += 1
        book.close()
        seconds = time.perf_counter() - started
    written = sum(row[0] == PROBLEM for row in rows)
    return {"rows": written, "seconds": round(seconds, 2), "rows_per_s": round(written / seconds)}


def notice() -> dict:
    """The notice (and the report) of a round of 50 problems, each with two measures and a
    progress report, generated five times each; nothing is kept."""
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zhenggai.ledger.models import Measure, Problem, ProgressReport
    from zhenggai.reports import documents
    from zhenggai.reports.content import NOTICE, REPORT
    from zhenggai.reports.models import default_notice
    from zhenggai.rounds.models import InspectionRound

    timings: dict[str, list[float]] = {"notice": [], "report": [], "notice_public": []}
    with transaction.atomic():
        template = InspectionRound.objects.first()
        target = InspectionRound.objects.create(
            kind="xuncha",
            title="基准轮次",
            inspecting_body="市委第一巡察组",
            unit_id=template.unit_id,
            feedback_date=template.feedback_date,
        )
        user = get_user_model().objects.get(username="leader")
        for n in range(NOTICE_PROBLEMS):
            problem = Problem.objects.create(
                round=target,
                unit_id=target.unit_id,
                number=str(n + 1),
                title=f"问题{n + 1}：落实全面从严治党主体责任有差距",
                description="具体表现为……" * 5,
                path=[f"聚焦第{n % 4 + 1}方面存在的问题"],
                area=f"聚焦第{n % 4 + 1}方面存在的问题",
                position=n + 1,
            )
            for k in range(2):
                measure = Measure.objects.create(
                    problem=problem, position=k + 1, text="建立健全制度，组织专题学习。" * 4
                )
                ProgressReport.objects.create(
                    problem=problem, measure=measure, text="已完成。" * 10, created_by=user
                )
        notice = default_notice(target)
        # The same notice rendered in this process, without the limits of a child process
        # (template_render.render_here): what the limits cost, measured in the same run.
        from zhenggai.reports import content, template_render

        built = content.build(notice, NOTICE, public=False).as_json()
        template = documents.template_bytes(target.unit_id, NOTICE)
        timings["notice_render_in_process"] = []
        timings["notice_render_limited"] = []
        for _ in range(5):
            for name, render in (
                ("notice_render_in_process", template_render.render_here),
                ("notice_render_limited", template_render.render),
            ):
                started = time.perf_counter()
                render(template, built)
                timings[name].append(time.perf_counter() - started)
        for _ in range(5):
            for name, kind, public in (
                ("notice", NOTICE, False),
                ("report", REPORT, False),
                ("notice_public", NOTICE, True),
            ):
                started = time.perf_counter()
                data = documents.docx(notice, kind, public=public)
                timings[name].append(time.perf_counter() - started)
                assert len(data) > 10_000
        pdf = {}
        if documents.soffice():  # LibreOffice starts afresh for every document: one run
            started = time.perf_counter()
            documents.to_pdf(documents.docx(notice, NOTICE))
            pdf["notice_pdf_ms"] = round((time.perf_counter() - started) * 1000, 1)
        transaction.set_rollback(True)
    return (
        {
            f"{name}_median_ms": round(statistics.median(values) * 1000, 1)
            for name, values in timings.items()
        }
        | pdf
        | {"problems": NOTICE_PROBLEMS}
    )


CHILDREN = {"export": export, "bare": bare, "notice": notice}


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
    print(f"exporting the Excel ledger of {SIZE} problems")
    exported = _child("export")
    print(f"  export: {exported}")
    written = _child("bare")
    print(f"  bare XlsxWriter on the same rows: {written}")
    exported["rate_of_bare_writer"] = round(exported["rows_per_s"] / written["rows_per_s"], 2)
    results["export_ledger_100k"] = exported
    results["export_ledger_bare_writer_100k"] = written
    print(f"  export rate / bare writer rate: {exported['rate_of_bare_writer']}")
    figures = _child("notice")
    print(f"  notice of {NOTICE_PROBLEMS} problems: {figures}")
    results["notice_docx_50"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
