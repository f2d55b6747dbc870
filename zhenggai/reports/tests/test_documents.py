"""The Word report and notice: GB/T 9704 layout read back, content from the ledger, the public
version, PDF, editable templates and the command line."""

import json
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from zhenggai.demo.load import SEEDS
from zhenggai.intake import parse_file
from zhenggai.ledger.imports import import_document
from zhenggai.ledger.models import Event, Problem, State
from zhenggai.lib import pdf
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.reports import documents, services
from zhenggai.reports.content import NOTICE, REPORT
from zhenggai.reports.documents import DocumentError
from zhenggai.reports.models import DocumentTemplate, default_notice

EXPECTED = json.loads((SEEDS / "expected.json").read_text())


def read(data: bytes) -> Document:
    return Document(BytesIO(data))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def east_asian_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_layout_is_that_of_gb_t_9704(world):
    world.problem()
    document = read(documents.docx(default_notice(world.round), NOTICE))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    styles = document.styles
    assert east_asian_font(styles["公文标题"]) == "方正小标宋简体"
    assert styles["公文标题"].font.size == Pt(22)  # 二号
    assert east_asian_font(styles["公文正文"]) == "仿宋_GB2312"
    assert styles["公文正文"].font.size == Pt(16)  # 三号
    assert east_asian_font(styles["一级标题"]) == "黑体"
    assert east_asian_font(styles["二级标题"]) == "楷体_GB2312"
    assert document.paragraphs[0].style.name == "公文标题"
    assert styles["三级标题"].paragraph_format.keep_with_next
    # Page numbers on odd pages at the right and even pages at the left, as "— N —".
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._element.xml
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text


def mark(problems, states):
    for problem, state in zip(problems, states, strict=False):
        Problem.objects.filter(pk=problem.pk).update(state=state)


@pytest.mark.parametrize(
    "seed", [name for name, facts in EXPECTED.items() if facts.get("problems")]
)
def test_the_notice_of_a_seed_lists_every_problem_with_the_right_totals(world, seed):
    import_document(parse_file(SEEDS / seed), world.round, by=world.inspector)
    problems = list(world.round.problems.order_by("position"))
    # Two closed out and one kept at long term: 3 rectified, 1 long-term.
    mark(problems, [State.CLOSED, State.VERIFIED, State.LONG_TERM])
    lines = texts(read(documents.docx(default_notice(world.round), NOTICE)))
    expected = EXPECTED[seed]["problems"]
    headings = [line for line in lines if any(line.endswith(p["title"]) for p in expected)]
    position = 0
    for problem in expected:  # every problem, in the seed's order
        found = next(
            (n for n in range(position, len(lines)) if lines[n].endswith(problem["title"])), None
        )
        assert found is not None, f"{problem['title']} is missing"
        position = found + 1
    assert len(headings) >= len(expected)
    areas = len({tuple(p["path"][:1]) for p in expected})
    rectified = min(3, len(expected))
    long_term = 1 if len(expected) >= 3 else 0
    totals = f"反馈的{areas}个方面{len(expected)}个问题，已整改完成{rectified}个"
    assert any(totals in line for line in lines), totals
    assert any(f"{long_term}个需长期坚持" in line for line in lines) or not long_term


def test_the_totals_sentence_says_all_done_when_all_are(world):
    first, second = world.problem("甲"), world.problem("乙")
    mark([first, second], [State.CLOSED, State.LONG_TERM])
    lines = texts(read(documents.docx(default_notice(world.round), NOTICE)))
    assert any(
        "反馈的1个方面2个问题，已全部整改完成，其中1个需长期坚持。" in line for line in lines
    )


def test_the_public_version_leaves_out_withheld_problems_and_their_reasons(world):
    world.problem("公开的问题")
    secret = world.problem("涉及个人隐私的问题")
    services.set_disclosure(secret, by=world.rect_office, disclose=False, reason="涉及个人隐私")
    notice = default_notice(world.round)
    public = "\n".join(texts(read(documents.docx(notice, NOTICE, public=True))))
    internal = "\n".join(texts(read(documents.docx(notice, NOTICE))))
    report = "\n".join(texts(read(documents.docx(notice, REPORT))))
    assert "公开的问题" in public and "涉及个人隐私的问题" not in public
    assert "2个问题" in public and "其中1个问题按规定不予公开" in public
    assert "涉及个人隐私的问题" in internal and "涉及个人隐私的问题" in report
    for text in (public, internal, report):
        assert "涉及个人隐私\n" not in text and "不公开理由" not in text


def test_the_report_is_addressed_and_the_notice_gives_contacts(world):
    problem = world.problem("学习<制度>&落实")
    measure = world.measure(problem)
    measure.rules_made, measure.people_held_accountable = 2, 1
    measure.save()
    notice = services.save_notice(
        default_notice(world.round), by=world.rect_office, phone="023-12345678"
    )
    report = texts(read(documents.docx(notice, REPORT)))
    assert report[0] == "中共区科技局党组关于区委第一巡察组巡察反馈意见整改情况的报告"
    assert "区委第一巡察组：" in report and "特此报告。" in report
    assert not any("联系电话" in line for line in report)
    lines = texts(read(documents.docx(notice, NOTICE)))
    assert lines[0].endswith("的通报")
    assert "联系电话：023-12345678" in lines
    assert "2026年9月1日，区委第一巡察组向区科技局反馈了巡察意见。" in "".join(lines)
    assert "通过整改，新建制度2项，问责1人。" in lines
    assert any(line.endswith("学习<制度>&落实") for line in lines)  # escaped, not broken XML
    assert any(line.startswith("三、整改成效") for line in lines)


def test_the_pdf_comes_from_libreoffice_or_says_why_not(world, settings):
    world.problem()
    data = documents.docx(default_notice(world.round), NOTICE)
    settings.SOFFICE = "/nonexistent/soffice"
    with pytest.raises(DocumentError) as refused:
        documents.to_pdf(data)
    assert "LibreOffice" in refused.value.message and "Word" in refused.value.message


def test_pdf_conversions_beyond_the_limit_are_asked_to_wait(world, settings, tmp_path):
    settings.PDF_CONCURRENCY, settings.SOFFICE = 1, "/bin/true"  # never started: all are busy
    settings.DATA_DIR = tmp_path
    with pdf.pdf_slot():  # the slot is lib.pdf's (lib/tests/test_pdf.py); reports refuse so
        with pytest.raises(DocumentError) as refused:
            documents.to_pdf(b"x")
    assert "请稍后再试" in refused.value.message


def test_a_conversion_that_overruns_is_killed(world, settings, tmp_path):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 31.5 &\nsleep 31.5\n")  # and what it starts
    slow.chmod(0o755)
    settings.SOFFICE, settings.SOFFICE_TIMEOUT, settings.DATA_DIR = str(slow), 1, tmp_path
    with pytest.raises(DocumentError) as refused:
        documents.to_pdf(b"x")
    assert "超时" in refused.value.message
    for pattern in (str(slow), "sleep 31.5"):
        left = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
        assert left.strip() == "", pattern


def test_a_round_without_problems_has_no_notice_to_generate(world):
    with pytest.raises(DocumentError) as refused:
        documents.docx(default_notice(world.round), NOTICE)
    assert "还没有问题" in refused.value.message


@pytest.mark.skipif(documents.soffice() is None, reason="LibreOffice is not installed")
def test_the_pdf_of_the_notice_holds_its_text(world):
    import pdfplumber

    world.problem("学习贯彻不深入")
    pdf = documents.to_pdf(documents.docx(default_notice(world.round), NOTICE))
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(BytesIO(pdf)) as document:
        page = document.pages[0]
        assert round(page.width / 72 * 25.4) == 210 and round(page.height / 72 * 25.4) == 297
        text = "".join(p.extract_text() for p in document.pages)
    assert "整改情况的通报" in text.replace("\n", "") and "学习贯彻不深入" in text


def edited_template(paragraph: str) -> SimpleUploadedFile:
    document = read(documents.builtin_template())
    document.add_paragraph(paragraph)
    out = BytesIO()
    document.save(out)
    return SimpleUploadedFile("我的模板.docx", out.getvalue())


def test_an_office_template_is_used_once_it_renders(world):
    world.problem()
    services.upload_template(
        world.unit.pk, "notice", edited_template("本单位联系人：{{ issuer }}"), by=world.rect_office
    )
    lines = texts(read(documents.docx(default_notice(world.round), NOTICE)))
    assert "本单位联系人：中共区科技局党组" in lines
    report = texts(read(documents.docx(default_notice(world.round), REPORT)))
    assert not any(line.startswith("本单位联系人") for line in report)
    services.reset_template(world.unit.pk, "notice", by=world.rect_office)
    lines = texts(read(documents.docx(default_notice(world.round), NOTICE)))
    assert not any(line.startswith("本单位联系人") for line in lines)


def test_replacing_a_template_keeps_the_old_file_until_the_new_one_is_in(world, monkeypatch):
    first = services.upload_template(
        world.unit.pk, "notice", edited_template("第一版"), by=world.rect_office
    )
    old_path = first.file.path

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(DocumentTemplate, "save", fail)
    with pytest.raises(RuntimeError):
        services.upload_template(
            world.unit.pk, "notice", edited_template("第二版"), by=world.rect_office
        )
    monkeypatch.undo()
    kept = DocumentTemplate.objects.get()
    assert kept.pk == first.pk and Path(old_path).exists()
    assert sorted(p.name for p in Path(old_path).parent.iterdir()) == [Path(old_path).name]


def test_a_replaced_template_file_is_removed_once_committed(
    world, django_capture_on_commit_callbacks
):
    first = services.upload_template(
        world.unit.pk, "notice", edited_template("第一版"), by=world.rect_office
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.upload_template(
            world.unit.pk, "notice", edited_template("第二版"), by=world.rect_office
        )
    assert not Path(first.file.path).exists() and Path(second.file.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.reset_template(world.unit.pk, "notice", by=world.rect_office)
    assert not Path(second.file.path).exists() and not DocumentTemplate.objects.exists()


def test_a_lost_template_file_is_reported_not_a_crash(world):
    world.problem()
    own = services.upload_template(
        world.unit.pk, "notice", edited_template("x"), by=world.rect_office
    )
    Path(own.file.path).unlink()
    with pytest.raises(DocumentError) as refused:
        documents.docx(default_notice(world.round), NOTICE)
    assert "模板文件已丢失" in refused.value.message


def test_a_broken_template_is_refused_with_a_reason(world):
    with pytest.raises(Refused) as refused:
        services.upload_template(
            world.unit.pk, "notice", edited_template("{%p for x in parts %}"), by=world.rect_office
        )
    assert "模板中的标记有误" in refused.value.message
    with pytest.raises(Refused) as refused:
        services.upload_template(
            world.unit.pk, "notice", SimpleUploadedFile("t.docx", b"plain text"), by=world.leader
        )
    assert "Word" in refused.value.message
    with pytest.raises(Refused) as refused:  # a tag reaching into Python is stopped
        services.upload_template(
            world.unit.pk,
            "notice",
            edited_template("{{ issuer.__class__.__mro__[1].__subclasses__() }}"),
            by=world.rect_office,
        )
    assert "模板中的标记有误" in refused.value.message
    with pytest.raises(NotAllowed):
        services.upload_template(world.unit.pk, "notice", edited_template("x"), by=world.discipline)


def test_the_command_line_writes_the_same_files(world, tmp_path):
    world.problem("学习贯彻不深入")
    ledger, notice = tmp_path / "台账.xlsx", tmp_path / "通报.docx"
    call_command("export", "ledger", "--round", str(world.round.pk), "-o", str(ledger))
    call_command("export", "notice", "--round", str(world.round.pk), "-o", str(notice))
    call_command("export", "ledger", "--unit", str(world.unit.pk), "-o", str(ledger))
    assert ledger.read_bytes().startswith(b"PK")
    assert texts(read(notice.read_bytes())) == texts(
        read(documents.docx(default_notice(world.round), NOTICE))
    )
    with pytest.raises(CommandError, match="no round 999"):
        call_command("export", "report", "--round", "999", "-o", str(notice))
    with pytest.raises(CommandError, match="writes .docx or .pdf, not x.xlsx"):
        call_command("export", "notice", "--round", "1", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="--round or --unit"):
        call_command("export", "ledger", "-o", str(ledger))
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.skipif(
    documents.soffice() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice or pdftoppm is not installed",
)
def test_the_first_page_of_the_notice_renders_as_a_picture(world, tmp_path):
    """The PDF drawn as a picture (as a person looks at it): title at the top centre, body
    text, the page number at the bottom right of an odd page, white margins."""
    from PIL import Image

    world.problem("学习贯彻不深入")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(documents.to_pdf(documents.docx(default_notice(world.round), NOTICE)))
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = image.size  # A4 at 30 dpi: about 248 × 351

    def inked(box) -> bool:
        return image.crop(box).getextrema()[0] < 128

    mm = width / 210
    assert inked((int(60 * mm), int(37 * mm), int(150 * mm), int(60 * mm)))  # the title
    assert inked((int(28 * mm), int(80 * mm), int(184 * mm), int(120 * mm)))  # the body
    assert inked((int(150 * mm), int(262 * mm), int(184 * mm), int(280 * mm)))  # — 1 —
    assert not inked((0, 0, width, int(30 * mm)))  # the top margin
    assert not inked((0, 0, int(20 * mm), height))  # the left margin


def test_a_late_problem_is_said_to_be_late_and_measures_are_circled(world):
    world.problem("逾期的问题", measures=2, deadline=date(2020, 1, 1))
    lines = texts(read(documents.docx(default_notice(world.round), NOTICE)))
    assert "该问题正在整改中，原定于2020年1月1日前完成，目前已超期。" in lines
    assert any(line.startswith("①措施1") for line in lines)
    assert any(line.startswith("②措施2") for line in lines)


def test_a_placeholder_inspecting_body_stays_out_of_the_title(world):
    world.problem()
    world.round.inspecting_body = "（导入，未注明）"
    notice = default_notice(world.round)
    assert notice.subject == "巡察反馈意见整改情况" and notice.addressee == ""
    lines = texts(read(documents.docx(notice, NOTICE)))
    assert not any("未注明" in line for line in lines)


def test_saving_unchanged_wording_from_a_browser_changes_nothing(world):
    notice = services.save_notice(default_notice(world.round), by=world.rect_office)
    sent = notice.organisation.replace("\n", "\r\n")
    services.save_notice(notice, by=world.rect_office, organisation=sent)
    assert Event.objects.filter(object_type="notice", action="changed").count() == 0
