"""A 50-page Word document whose ledger is in tables (a report with the 台账 pasted in, one table
per area, problems merged over the rows of their measures): parse time (median of a few runs),
peak memory (tracemalloc in this process, and the resident peak of a child process that only
parses it, beside one that only imports the importer), and the time to read the same document
saved as .doc (LibreOffice's conversion and the parse). Figures go into bench/results.json under
"intake_tables" (the pages as LibreOffice lays the document out, when it is installed)."""

import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from zhenggai.intake import parse_file  # noqa: E402
from zhenggai.intake.readers.docx import chinese_number  # noqa: E402
from zhenggai.lib import soffice  # noqa: E402

RESULTS = HERE / "results.json"
KEY = "intake_tables"
AREAS = 5
PROBLEMS_PER_AREA = 50  # with their measures' rows, 500 rows in all
SECTIONS = ["办公室", "人事科", "机关党委", "财务科", "法规科", "综合科"]


def ledger_rows(area: int) -> list[list[str | None]]:
    """An area's table: the header, then each problem with one to three measures, its 序号 and
    problem cells merged down over its measures' rows (None continues the cell above)."""
    rows: list[list[str | None]] = [["序号", "存在问题", "整改措施", "责任单位", "整改时限"]]
    for n in range(1, PROBLEMS_PER_AREA + 1):
        number = (area - 1) * PROBLEMS_PER_AREA + n
        for m in range(1 + number % 3):
            first = m == 0
            rows.append(
                [
                    str(number) if first else None,
                    f"第{number}个问题：个别党支部“三会一课”制度执行不严格，组织生活质量不高。"
                    if first
                    else None,
                    f"{m + 1}．建立整改台账，实行销号管理，定期通报整改进展。",
                    SECTIONS[(number + m) % len(SECTIONS)],
                    "长期坚持" if m == 2 else f"2024年{(number + m) % 12 + 1}月底前",
                ]
            )
    return rows


def report_blocks() -> list:
    paragraph = (
        "局党组高度重视巡察反馈意见整改工作，把抓好巡察整改作为重大政治任务，召开专题会议研究部署，"
        "成立由党组书记任组长的整改工作领导小组，制定整改工作方案，建立问题清单、任务清单、责任清单，"
        "逐条逐项抓好落实，确保件件有着落、事事有回音。"
    )
    blocks: list = [
        "中共某区科技局党组关于巡察整改情况的报告",
        "2023年3月1日至4月30日，区委第二巡察组对区科技局党组进行了巡察，于2023年6月5日反馈了"
        f"巡察意见，指出{AREAS}个方面{AREAS * PROBLEMS_PER_AREA}个问题。",
        "一、整改工作开展情况",
        *[paragraph] * 30,
        "二、问题整改情况",
        *[paragraph] * 10,
        "附件：巡察反馈问题整改台账",
    ]
    for area in range(1, AREAS + 1):
        blocks.append(f"{chinese_number(area)}、第{chinese_number(area)}个方面存在的问题")
        blocks.append(ledger_rows(area))
    return blocks


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def child_peak_kb(code: str) -> int:
    """The resident peak (ru_maxrss, KB on Linux) of a Python process running `code`. It runs
    as a shell's child: a process forked from this one would count this one's memory as its
    own (Linux keeps the larger of its peaks across the exec)."""
    report = "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run(
        ["sh", "-c", '"$0" -c "$1"; exit $?', sys.executable, code + report],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[-1])


def doc_of(path: Path, folder: Path) -> Path | None:
    """The document saved as Word 97–2003 by LibreOffice (through ODT: LibreOffice 7.4 drops
    python-docx's tables writing .doc straight from .docx), or None without LibreOffice."""
    if soffice.find() is None:
        return None
    odt = soffice.convert(path, "odt", outdir=folder / "odt", timeout=300)
    return soffice.convert(odt, "doc", outdir=folder / "doc", timeout=300)


def pages_of(path: Path, folder: Path) -> int:
    """The pages of the document as LibreOffice lays it out (A4 or Letter, the template's)."""
    import pdfplumber

    pdf = soffice.convert(path, "pdf", outdir=folder / "pdf", timeout=300)
    with pdfplumber.open(str(pdf)) as document:
        return len(document.pages)


def measure(folder: Path) -> dict:
    from zhenggai.intake.tests.make import docx_with_tables

    path = docx_with_tables(report_blocks(), folder / "report_with_ledger.docx")
    document = parse_file(path)
    rows = sum(len(ledger_rows(area)) for area in range(1, AREAS + 1))
    tracemalloc.start()
    parse_file(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    parse = f"from zhenggai.intake import parse_file; parse_file({str(path)!r})"
    figures = {
        "reader": document.reader,
        "table_rows": rows,
        "problems": len(document.problems),
        "measures": sum(len(p.measures) for p in document.problems),
        "bytes": path.stat().st_size,
        "parse_median_s": median_seconds(lambda: parse_file(path), 5),
        "peak_memory_kb_tracemalloc": peak // 1024,
        "child_peak_rss_kb": child_peak_kb(parse),
        "child_import_only_rss_kb": child_peak_kb("import zhenggai.intake"),
    }
    doc = doc_of(path, folder)
    if doc is not None:
        figures["pages"] = pages_of(path, folder)
        started = time.perf_counter()
        converted = parse_file(doc, timeout=300)
        figures["doc_convert_and_parse_s"] = round(time.perf_counter() - started, 3)
        figures["doc_bytes"] = doc.stat().st_size
        figures["doc_same_problems"] = [p.title for p in converted.problems] == [
            p.title for p in document.problems
        ]
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(Path(folder))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[KEY] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(KEY, figures)


if __name__ == "__main__":
    main()
