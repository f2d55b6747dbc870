"""Make the sample documents the upload page offers to try the import with (a newcomer's first
files), from the short made-up notice below:

    .venv/bin/python zhenggai/demo/samples/make_samples.py

Writes, next to this script:
- 扫描的整改通报.png   the notice printed on A4 and scanned (150 dpi, grey, slightly rotated,
                      noisy), one measure line faint and blurred so that OCR reads it with low
                      confidence and the preview marks it;
- 整改台账表格.docx    a plan whose ledger is a Word table (序号 / 问题 / 整改措施 / 牵头单位 /
                      整改时限), one problem's two measures under a merged cell;
- 巡察反馈意见.doc     a feedback document in Word 97-2003 format (converted by LibreOffice).
The outputs are committed, so that the demo needs neither the fonts nor LibreOffice to offer
them; the demo itself reads the scan by OCR when it loads."""

import subprocess  # nosec B404: LibreOffice, a fixed program without a shell
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

# Typeset as the OCR tests' scans are: the Noto CJK faces, lines broken across the same 156 mm.
from zhenggai.intake.tests.samples.make_scans import WIDTH, font, wrap

HERE = Path(__file__).resolve().parent

NOTICE = [
    ("title", "中共示范县市场监督管理局党组"),
    ("title", "关于县委第二巡察组反馈意见整改情况的通报"),
    (
        "body",
        "2024年3月至5月，县委第二巡察组对县市场监督管理局党组开展了常规巡察，"
        "2024年6月20日反馈了巡察意见，指出2个方面4个问题。局党组逐条制定整改措施，"
        "现将整改情况通报如下。",
    ),
    ("heading", "一、贯彻落实党的路线方针政策方面"),
    ("body", "（一）理论学习不够深入。"),
    ("body", "整改情况：制定党组理论学习中心组年度计划，每月集中学习一次，已开展专题学习6次。"),
    ("body", "（二）服务市场主体措施落实不到位。"),
    ("body", "整改情况：建立局领导包联企业制度，上门走访企业42家，帮助解决问题15个。"),
    ("heading", "二、全面从严治党方面"),
    ("body", "（三）执法检查廉政风险防控不严。"),
    ("body", "整改情况：梳理执法检查廉政风险点23个，修订《行政执法内部监督办法》。"),
    ("body", "（四）财务报销审核把关不严。"),
    ("faint", "整改情况：复查2023年以来报销凭证，退回不合规票据3张，完善报销审核流程。"),
    ("body", "欢迎广大干部群众对整改情况进行监督。电话：0371-1234567。"),
]

DPI = 150
MM = DPI / 25.4
PAGE = (round(210 * MM), round(297 * MM))
LEFT, TOP = round(28 * MM), round(37 * MM)
BODY = round(14 / 72 * DPI)  # 四号
TITLE = round(20 / 72 * DPI)
PITCH = BODY * 1.75
PAPER, INK = 242, 28


def scan() -> Image.Image:
    """The notice printed and scanned: one page, the faint line grey and out of focus."""
    faces = {
        "title": font("NotoSerifCJK-Bold.ttc", TITLE),
        "heading": font("NotoSansCJK-Regular.ttc", BODY),
        "body": font("NotoSerifCJK-Regular.ttc", BODY),
    }
    faces["faint"] = faces["body"]
    image = Image.new("L", PAGE, PAPER)
    pen = ImageDraw.Draw(image)
    y = TOP
    faint = []
    for style, text in NOTICE:
        face = faces[style]
        indent = 0 if style == "title" else 2 * BODY
        for line, offset in wrap(text, face, indent):
            x = LEFT + offset
            if style == "title":
                x = LEFT + (WIDTH - face.getlength(line)) / 2
            pen.text((x, y), line, font=face, fill=INK)
            if style == "faint":
                faint.append((round(y) - 8, round(y + PITCH) - 10))
            y += TITLE * 1.6 if style == "title" else PITCH
    for top, bottom in faint:
        box = (LEFT - 10, top, LEFT + WIDTH + 10, bottom)
        region = image.crop(box)
        region = Image.blend(region, Image.new("L", region.size, PAPER), 0.62)
        image.paste(region.filter(ImageFilter.GaussianBlur(2.0)), box)
    rng = np.random.default_rng(16)
    image = image.filter(ImageFilter.GaussianBlur(0.5)).rotate(
        0.5, resample=Image.Resampling.BICUBIC, fillcolor=PAPER
    )
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, 4, (PAGE[1], PAGE[0]))
    return ImageOps.posterize(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), 3)


LEDGER = [
    ("1", "理论学习不够深入", ["制定党组理论学习中心组年度计划", "每月集中学习一次"], "办公室"),
    ("2", "服务市场主体措施落实不到位", ["建立局领导包联企业制度"], "登记注册科"),
    ("3", "执法检查廉政风险防控不严", ["梳理执法检查廉政风险点", "修订内部监督办法"], "法规科"),
    ("4", "财务报销审核把关不严", ["复查2023年以来报销凭证"], "财务科"),
]


def ledger_docx(path: Path) -> None:
    """A plan whose ledger is a table; a problem with two measures spans two rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("县市场监督管理局巡察反馈问题整改台账")
    document.add_paragraph("根据县委第二巡察组反馈意见，制定整改台账如下。")
    rows = sum(len(measures) for _, _, measures, _ in LEDGER) + 1
    table = document.add_table(rows=rows, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["序号", "存在问题", "整改措施", "牵头单位", "整改时限"], strict=True
    ):
        cell.text = text
    row = 1
    for number, problem, measures, lead in LEDGER:
        for n, measure in enumerate(measures):
            cells = table.rows[row + n].cells
            cells[2].text = measure
            cells[4].text = "2024年12月31日"
        first = table.rows[row].cells
        first[0].text, first[1].text, first[3].text = number, problem, lead
        if len(measures) > 1:  # one problem over its measures' rows, as offices merge them
            last = table.rows[row + len(measures) - 1].cells
            for column in (0, 1, 3):
                first[column].merge(last[column])
        row += len(measures)
    document.save(str(path))


FEEDBACK = [
    "县委第一巡察组关于巡察县统计局党组的反馈意见",
    "根据县委统一部署，2024年4月至6月，县委第一巡察组对县统计局党组进行了巡察。现将巡察发现的问题反馈如下。",
    "一、落实统计法律法规方面",
    "（一）统计数据质量管控不够严格。部分专业统计数据审核流于形式。",
    "（二）统计执法检查开展不够经常。2023年仅开展执法检查1次。",
    "二、党的建设方面",
    "（三）“三会一课”制度落实不够规范。支部会议记录内容简单。",
    "请县统计局党组在收到反馈意见后2个月内报送整改情况。",
]


def feedback_doc(path: Path) -> None:
    """The feedback as a Word 97-2003 file, converted by LibreOffice from a .docx."""
    import docx

    document = docx.Document()
    for line in FEEDBACK:
        document.add_paragraph(line)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "feedback.docx"
        document.save(str(source))
        subprocess.run(  # nosec B603 B607
            ["soffice", "--headless", "--convert-to", "doc", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        path.write_bytes((Path(folder) / "feedback.doc").read_bytes())


def main() -> None:
    scan().save(HERE / "扫描的整改通报.png", optimize=True)
    ledger_docx(HERE / "整改台账表格.docx")
    feedback_doc(HERE / "巡察反馈意见.doc")
    for name in ("扫描的整改通报.png", "整改台账表格.docx", "巡察反馈意见.doc"):
        print(name, (HERE / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
