"""Make the Word-table, Excel and legacy samples the table and legacy tests read: ledgers (整改台账)
as offices paste them into Word, and the same in the formats of Office 97–2003 and WPS.

    .venv/bin/python zhenggai/intake/tests/samples/make_tables.py

Writes, next to this script:
- table_empty.docx     a title and a ledger table with its header only;
- table_one_row.docx   a ledger table of one problem;
- table_many.docx      a ledger of 3 areas (rows merged across the table name them), 24
                       problems, broken across two tables (the second without a header);
- table_merged.docx    a report whose appendix is the ledger: two header rows under merged
                       cells, a problem merged over the rows of its measures, a total row;
- table_per_area.docx  one table per area, each under its area's caption;
- table_broken.docx    table_merged.docx cut short (a damaged file);
- ledger_merged.doc    table_merged.docx saved as Word 97–2003 by LibreOffice (through ODT:
                       LibreOffice 7.4 drops python-docx's tables writing .doc straight from
                       .docx);
- ledger_merged.wps    the same bytes under WPS 文字's name (WPS writes Word 97 binaries);
- ledger_sheets.xls    a workbook of two areas, one sheet each, saved as Excel 97–2003;
- ledger_sheets.et     the same bytes under WPS 表格's name;
- broken_container.doc a compound file's signature followed by nothing sound;
- broken_streams.doc   ledger_merged.doc with its Word streams overwritten (a sound container
                       that LibreOffice cannot load).
LibreOffice (Writer and Calc) makes the legacy files; the outputs are committed, so that the
tests need neither LibreOffice to make them nor this script."""

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from zhenggai.intake.tests.make import docx_with_tables  # noqa: E402
from zhenggai.lib import soffice  # noqa: E402

HEADER = ["序号", "存在问题", "整改措施", "责任单位", "整改时限"]
AREAS = {
    "党的政治建设方面": [
        "学习贯彻习近平新时代中国特色社会主义思想不深入",
        "落实意识形态工作责任制不到位",
    ],
    "全面从严治党方面": ["落实主体责任压力传导不够", "廉政风险防控机制不健全"],
    "干部队伍建设方面": ["干部教育培训针对性不强", "年轻干部培养使用力度不够"],
}
MEASURES = [
    "制定专项整改方案，明确责任分工",
    "开展专题学习研讨，形成学习台账",
    "建立长效机制，定期督促检查",
]
SECTIONS = ["办公室", "人事科", "机关党委", "财务科"]


def problem_rows(start: int, count: int, titles: list[str]) -> list[list[str]]:
    rows = []
    for n in range(start, start + count):
        title = titles[n % len(titles)]
        rows.append(
            [
                str(n),
                f"{title}（第{n}项）。个别支部学习流于形式，以读代学。",
                f"1．{MEASURES[n % 3]}\n2．{MEASURES[(n + 1) % 3]}",
                SECTIONS[n % 4],
                "2024年6月30日" if n % 2 else "长期坚持",
            ]
        )
    return rows


def many() -> list:
    rows, n = [HEADER], 1
    for area, titles in AREAS.items():
        rows.append([area, "<", "<", "<", "<"])
        rows += problem_rows(n, 8, titles)
        n += 8
    # Broken across pages: the second table goes on without a header.
    return ["区科技局巡察反馈问题整改台账", rows[:14], rows[14:]]


def merged() -> list:
    return [
        "中共某区科技局党组关于巡察整改情况的报告",
        "2023年3月1日至4月30日，区委第二巡察组对区科技局党组进行了巡察，于2023年6月5日反馈了"
        "巡察意见，指出2个方面3个问题。",
        "一、整改工作开展情况",
        "局党组召开专题会议，成立整改工作领导小组，逐条制定整改措施。",
        "二、问题整改情况",
        "（一）关于学习不深入问题",
        "整改情况：建立学习制度，开展专题学习。",
        "（二）关于作风不实问题",
        "整改情况：加强督查。",
        "附件：巡察反馈问题整改台账",
        [
            ["序号", "问题类别", "存在问题", "整改措施", "<", "责任", "<"],
            [None, None, None, "具体措施", "完成时限", "牵头单位", "责任单位"],
            ["1", "政治建设", "学习不深入", "建立学习制度", "2023年7月31日", "办公室", "各科室"],
            [None, None, None, "开展专题学习", "长期坚持", "机关党委", None],
            [
                "2",
                None,
                "意识形态工作责任制落实不到位",
                "修订意识形态工作实施细则",
                "立行立改",
                "办公室",
                "宣传科",
            ],
            ["3", "作风建设", "作风不实", "加强督查", "2023年9月30日", "纪检组", "综合科"],
            [None, None, None, "通报典型问题", "2023年10月31日", None, None],
            ["合计", "<", "3个问题", "<", "<", "<", "<"],
        ],
        "中共某区科技局党组",
        "2023年11月20日",
    ]


def per_area() -> list:
    blocks, n = ["区科技局巡察整改任务清单"], 1
    for area, titles in AREAS.items():
        blocks.append(f"{'一二三'[n // 3]}、{area}")
        blocks.append([HEADER, *problem_rows(n, 3, titles)])
        n += 3
    return blocks


def workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    n = 1
    for area, titles in list(AREAS.items())[:2]:
        sheet = book.create_sheet(area)
        sheet.append([f"{area}问题整改台账"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
        sheet.append(["序号", "问题描述", "整改措施", "责任单位", "完成时限"])
        for row in problem_rows(n, 4, titles):
            sheet.append(row)
        n += 4
        sheet.append(["合计", "4个问题"])
    book.save(str(path))
    return path


def legacy(source: Path, via: str, to: str, work: Path) -> Path:
    step = soffice.convert(source, via, outdir=work / via, timeout=120) if via != to else source
    return soffice.convert(step, to, outdir=work / to, timeout=120)


def main() -> None:
    docx_with_tables(["区科技局巡察整改台账", [HEADER]], HERE / "table_empty.docx")
    docx_with_tables(
        ["区科技局巡察整改台账", [HEADER, *problem_rows(1, 1, ["学习不深入"])]],
        HERE / "table_one_row.docx",
    )
    docx_with_tables(many(), HERE / "table_many.docx")
    docx_with_tables(merged(), HERE / "table_merged.docx")
    docx_with_tables(per_area(), HERE / "table_per_area.docx")
    whole = (HERE / "table_merged.docx").read_bytes()
    (HERE / "table_broken.docx").write_bytes(whole[: len(whole) // 2])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        doc = legacy(HERE / "table_merged.docx", "odt", "doc", work)
        shutil.copyfile(doc, HERE / "ledger_merged.doc")
        shutil.copyfile(doc, HERE / "ledger_merged.wps")
        xls = legacy(workbook(work / "ledger_sheets.xlsx"), "xls", "xls", work)
        shutil.copyfile(xls, HERE / "ledger_sheets.xls")
        shutil.copyfile(xls, HERE / "ledger_sheets.et")
    signature = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    (HERE / "broken_container.doc").write_bytes(signature + bytes(range(256)) * 8)
    spoil_streams(HERE / "ledger_merged.doc", HERE / "broken_streams.doc")


def spoil_streams(source: Path, target: Path) -> None:
    import olefile

    shutil.copyfile(source, target)
    with olefile.OleFileIO(str(target), write_mode=True) as ole:
        for name in ("WordDocument", "1Table"):
            ole.write_stream(name, b"\xff" * ole.get_size(name))


if __name__ == "__main__":
    main()
