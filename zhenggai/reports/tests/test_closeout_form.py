"""The close-out form (销号审批表): read back with python-docx (table, names, dates, evidence, the
trail, page set-up), one page per problem in its PDF even with long texts, the first page looked
at as a picture, refusals, and who may download it."""

import os
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind, Problem
from zhenggai.lib import samples
from zhenggai.lib.errors import Refused
from zhenggai.orgs.models import Unit
from zhenggai.reports import closeout_form, documents
from zhenggai.reports.closeout_form import LIMITS, check_closed_out, closeout_docx
from zhenggai.rounds.models import InspectionRound
from zhenggai.testing import PASSWORD

PDF = samples.pdf()
ONGOING = DeadlineKind.ONGOING
needs_pdf = pytest.mark.skipif(
    os.environ.get("CI") != "true"
    and (documents.soffice() is None or shutil.which("pdftoppm") is None),
    reason="LibreOffice or poppler is not installed",
)


def close(
    world, problem, *, verify=True, files=1, note="已召开专题会议并建立制度", name="会议纪要"
):
    """Take `problem` through the loop: plan, progress with evidence, done, closed out."""
    if problem.state == "plan_pending":
        workflow.approve_plan(problem, by=world.leader)
    for measure in problem.measures.filter(withdrawn=False):
        services.update_measure(
            measure, by=world.staff, base_version=measure.version, completed_on=date(2026, 10, 8)
        )
    uploads = [SimpleUploadedFile(f"{name}{n + 1}.pdf", PDF) for n in range(files)]
    services.report_progress(problem, by=world.staff, text="已完成", files=uploads)
    workflow.submit_for_close_out(problem, by=world.staff, note=note)
    workflow.close_out(problem, by=world.leader, note="同意销号")
    if verify:
        workflow.verify_close_out(problem, by=world.inspector, note="经核实已整改到位")
    problem.refresh_from_db()
    return problem


def cells(document) -> dict[str, str]:
    """The form's rows as {label: text} (the first cell's text, then the next distinct one)."""
    out = {}
    for row in document.tables[0].rows:
        texts = [c.text for c in row.cells]
        out[texts[0]] = next((t for t in texts[1:] if t != texts[0]), "")
    return out


@pytest.fixture
def named(world):
    world.leader.first_name = "王书记"
    world.leader.save()
    world.staff.first_name = "李科员"
    world.staff.save()
    world.inspector.first_name = "赵巡察"
    world.inspector.save()
    return world


def test_the_form_has_the_problem_measures_evidence_and_trail(named):
    world = named
    problem = world.problem("学习贯彻不深入", measures=2)
    measure = world.measure(problem)
    services.update_measure(
        measure,
        by=world.leader,
        base_version=measure.version,
        responsible_sections=[world.other_section],
    )
    problem = close(world, problem, files=2)
    document = Document(BytesIO(closeout_docx([problem])))
    assert document.paragraphs[0].text == "整改问题销号审批表"
    assert "被巡察单位：区科技局" in document.paragraphs[1].text
    form = cells(document)
    assert form["问题来源"] == "区科技局巡察整改（区委第一巡察组，巡察，反馈日期 2026-09-01）"
    assert form["问题描述"] == "（一）政治建设方面 · 第1项 · 学习贯彻不深入"
    assert form["整改措施"].splitlines() == [
        "1. 措施1：组织专题学习（责任科室：办公室、综合科；完成日期：2026-10-08）",
        "2. 措施2：组织专题学习（责任科室：办公室；完成日期：2026-10-08）",
    ]
    today = f"{timezone.localdate():%Y-%m-%d}"
    size = closeout_form.size_text(len(PDF))
    assert form["佐证材料清单"].splitlines() == [
        f"1. 会议纪要1.pdf（{size}，{today}）",
        f"2. 会议纪要2.pdf（{size}，{today}）",
    ]
    assert form["申请销号"].startswith(f"申请人：李科员　时间：{today} ")
    assert form["申请销号"].endswith("；整改完成情况：已召开专题会议并建立制度")
    assert form["审核签批"].startswith(f"签批人：王书记　时间：{today} ")
    assert form["验收核实"].startswith("核实人：赵巡察")
    assert form["验收核实"].endswith("意见：经核实已整改到位")
    assert "（签字盖章）" in form["单位意见"] and "年　　月　　日" in form["单位意见"]
    assert "核验单位意见" in [c.text for c in document.tables[0].rows[-1].cells]


def test_the_page_is_a4_with_the_official_margins_and_fonts(world):
    document = Document(BytesIO(closeout_docx([close(world, world.problem())])))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    title = document.paragraphs[0].runs[0]
    assert title._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.font.size.pt == 22
    label = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert label._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    text = document.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert text._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    widths = sum(c.width for c in document.tables[0].rows[-1].cells)
    assert round(widths / 36000) == 156  # the type area's width, in mm


def test_a_closed_but_not_yet_verified_problem_says_so(world):
    document = Document(BytesIO(closeout_docx([close(world, world.problem(), verify=False)])))
    assert cells(document)["验收核实"] == "尚未核验"


def test_a_reopened_and_closed_again_problem_shows_its_latest_close_out(named):
    world = named
    problem = close(named, world.problem(), verify=False, note="第一次")
    workflow.reopen(problem, by=world.leader, reason="群众反映问题反弹")
    workflow.submit_for_close_out(problem, by=world.staff, note="第二次")
    workflow.close_out(problem, by=world.leader)
    problem.refresh_from_db()
    form = cells(Document(BytesIO(closeout_docx([problem]))))
    assert form["申请销号"].endswith("整改完成情况：第二次")
    assert form["审核签批"].startswith("签批人：王书记") and "意见" not in form["审核签批"]


def test_long_texts_and_long_lists_are_capped(world):
    problem = world.problem("问" * 400, measures=7)
    for measure in problem.measures.all():
        services.update_measure(
            measure, by=world.leader, base_version=measure.version, text="措" * 500
        )
    problem = close(world, problem, files=9, note="完" * 1000)
    Problem.objects.filter(pk=problem.pk).update(description="表" * 400)
    problem.refresh_from_db()
    form = cells(Document(BytesIO(closeout_docx([problem]))))
    named, described = form["问题描述"].splitlines()
    assert len(named) <= LIMITS["problem"] + 10 and len(described) <= LIMITS["description"] + 10
    assert named.startswith("（一）政治建设方面 · 第1项 · 问问")
    assert named.endswith("……（全文见整改台账）") and described.endswith("……（全文见整改台账）")
    lines = form["整改措施"].splitlines()
    assert len(lines) == LIMITS["measures"] + 1
    assert lines[-1] == "另有 3 条措施，详见整改台账。"
    evidence = form["佐证材料清单"].splitlines()
    assert len(evidence) == LIMITS["evidence"] + 1 and evidence[-1].startswith("另有 4 个文件")
    assert closeout_form.file_text("关于印发整改工作制度的通知.pdf") == "关于印发整改工作制….pdf"
    assert closeout_form.file_text("会议纪要.pdf") == "会议纪要.pdf"
    assert len(form["申请销号"]) < 120


def test_a_problem_not_closed_out_is_refused_and_a_round_prints_only_closed_ones(world):
    open_problem = world.problem("未销号", approve=True)
    with pytest.raises(Refused, match="not closed out") as refused:
        check_closed_out(open_problem)
    assert refused.value.message == "该问题当前为“整改中”，尚未销号，不能打印销号审批表。"
    with pytest.raises(Refused, match="no closed-out problem") as refused:
        closeout_docx(Problem.objects.filter(round=world.round))
    assert refused.value.message == "没有已销号的问题，无需打印销号审批表。"
    closed = close(world, world.problem("已销号"))
    document = Document(BytesIO(closeout_docx(Problem.objects.filter(round=world.round))))
    assert len(document.tables) == 1
    assert cells(document)["问题描述"] == f"（一）政治建设方面 · 第1项 · {closed.title}"


def test_a_problem_is_named_by_its_area_number_and_title_as_the_plan_orders_them(world):
    """The feedback numbers its problems 一二三 / 一二 / 一二三: the form says which area."""
    areas = {"政治建设方面": "一二三", "党的建设方面": "一二", "全面从严治党方面": "一二三"}
    made = {}
    for area, numbers in areas.items():
        for number in numbers:
            made[area, number] = services.create_problem(
                world.round,
                by=world.inspector,
                number=f"（{number}）" if area == "全面从严治党方面" else number,
                title=f"{area}问题{number}",
                path=[area, "具体问题"],
            )
    # An area whose every problem is withdrawn is not in the plan, so not counted.
    gone = services.create_problem(world.round, by=world.inspector, title="撤", path=["撤销方面"])
    Problem.objects.filter(pk=gone.pk).update(position=0)
    workflow.withdraw(gone, by=world.inspector, reason="重复")
    unnumbered = services.create_problem(
        world.round, by=world.inspector, title="无编号", path=["党的建设方面"]
    )
    for key in (("党的建设方面", "二"), ("全面从严治党方面", "二")):
        services.create_measure(
            made[key],
            by=world.leader,
            text="措施",
            deadline_kind=ONGOING,
            lead_section=world.section,
        )
        close(world, made[key])
    services.create_measure(
        unnumbered, by=world.leader, text="措施", deadline_kind=ONGOING, lead_section=world.section
    )
    close(world, unnumbered)
    problems = Problem.objects.filter(round=world.round).order_by("position", "id")
    document = Document(BytesIO(closeout_docx(problems)))
    named = [
        next(c.text for c in row.cells[1:])
        for table in document.tables
        for row in table.rows
        if row.cells[0].text == "问题描述"
    ]
    assert named == [
        "（二）党的建设方面 · 第二项 · 党的建设方面问题二",
        "（三）全面从严治党方面 · 第二项 · 全面从严治党方面问题二",
        "（二）党的建设方面 · 第3项 · 无编号",  # no number: its place in its area
    ]


def test_a_round_without_areas_names_its_problems_by_number_and_title(world):
    problem = services.create_problem(world.round, by=world.inspector, number="5", title="无方面")
    services.create_measure(
        problem, by=world.leader, text="措施", deadline_kind=ONGOING, lead_section=world.section
    )
    close(world, problem)
    form = cells(Document(BytesIO(closeout_docx([problem]))))
    assert form["问题描述"] == "第5项 · 无方面"


def test_forms_follow_each_other_on_new_pages(world):
    for n in range(3):
        close(world, world.problem(f"问题{n}"))
    document = Document(BytesIO(closeout_docx(Problem.objects.filter(round=world.round))))
    titles = [p for p in document.paragraphs if p.text == "整改问题销号审批表"]
    assert len(titles) == len(document.tables) == 3
    assert [bool(p.paragraph_format.page_break_before) for p in titles] == [False, True, True]


def test_a_round_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(8):
        close(world, world.problem(f"问题{n}", measures=2), files=2)
    with django_assert_max_num_queries(10):
        closeout_docx(Problem.objects.filter(round=world.round))


def pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])


@needs_pdf
def test_each_problem_fits_one_page_even_with_long_texts(world, tmp_path):
    """Every text at its longest: the round's title, the unit's and sections' names, the
    problem, its measures, evidence files and their names, the notes of the trail."""
    close(world, world.problem("学习贯彻不深入"))
    InspectionRound.objects.filter(pk=world.round.pk).update(
        title="关于对区科学技术局党组开展常规巡察的反馈意见整改落实情况" * 3,
        inspecting_body="中共某某市某某区委第一巡察组" * 3,
    )
    Unit.objects.filter(pk=world.unit.pk).update(name="某某区科学技术局" * 6)
    Unit.objects.filter(pk=world.section.pk).update(name="办公室（政策法规科）" * 4)
    Unit.objects.filter(pk=world.other_section.pk).update(name="综合规划与成果转化科" * 4)
    long = world.problem("问题描述很长" * 80, measures=7)
    for measure in long.measures.all():
        services.update_measure(
            measure,
            by=world.leader,
            base_version=measure.version,
            text="措施内容很长" * 60,
            responsible_sections=[world.section, world.other_section],
        )
    close(
        world, long, files=9, note="整改完成情况很长" * 100, name="关于印发整改工作制度的通知" * 8
    )
    Problem.objects.filter(pk=long.pk).update(description="具体表现为" * 200)
    pdf = documents.to_pdf(closeout_docx(Problem.objects.filter(round=world.round)))
    assert pages(pdf, tmp_path) == 2


@needs_pdf
def test_the_first_page_renders_as_a_picture(world, tmp_path):
    """Title at the top centre, the table's frame below it, white margins; kept for looking."""
    from PIL import Image

    close(world, world.problem("学习贯彻不深入", measures=3), files=3)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(documents.to_pdf(closeout_docx(Problem.objects.filter(round=world.round))))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = image.size
    mm = width / 210

    def inked(box) -> bool:
        return image.crop(tuple(int(v * mm) for v in box)).getextrema()[0] < 128

    assert inked((70, 37, 140, 50))  # the title
    assert inked((28, 60, 184, 120))  # the table
    assert inked((28, 150, 29.5, 200))  # the table's left border
    assert not inked((0, 0, 210, 30))  # the top margin
    assert not inked((0, 0, 22, 297))  # the left margin
    assert not inked((0, 270, 210, 297))  # the bottom margin
    if os.environ.get("ZHENGGAI_SCREENSHOTS"):  # to look at it
        shutil.copy(next(tmp_path.glob("p*.png")), os.environ["ZHENGGAI_SCREENSHOTS"])


# ------------------------------------------------------------------ downloads and access


def test_the_problem_page_offers_the_form_once_closed_out(client, world):
    problem = world.problem(approve=True)
    client.login(username="staff", password=PASSWORD)
    url = reverse("problem_closeout_docx", args=[problem.pk])
    assert url not in client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    response = client.get(url, follow=True)
    assert "尚未销号，不能打印销号审批表" in response.content.decode()
    close(world, problem)
    assert url in client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert Document(BytesIO(b"".join(response.streaming_content))).tables


def test_everyone_who_reads_the_problem_downloads_the_forms_and_no_one_else(client, world):
    problem = close(world, world.problem())
    urls = [
        reverse("problem_closeout_docx", args=[problem.pk]),
        reverse("round_closeout_docx", args=[world.round.pk]),
    ]
    for name in ("inspector", "leader", "rect_office", "staff", "discipline"):
        client.login(username=name, password=PASSWORD)
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
    client.login(username="outsider", password=PASSWORD)
    for url in [*urls, reverse("problem_closeout_pdf", args=[problem.pk])]:
        assert client.get(url).status_code == 404
    assert client.get(reverse("round_closeout_pdf", args=[world.round.pk])).status_code == 404


def test_a_round_without_closed_problems_comes_back_with_a_message(client, world):
    world.problem()
    client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("round_detail", args=[world.round.pk])).content.decode()
    assert "尚无已销号的问题" in page
    response = client.get(reverse("round_closeout_docx", args=[world.round.pk]), follow=True)
    assert "没有已销号的问题" in response.content.decode()


def test_without_libreoffice_the_pdf_is_refused_in_chinese(client, world, settings):
    problem = close(world, world.problem())
    settings.SOFFICE = "/nonexistent/soffice"
    client.login(username="leader", password=PASSWORD)
    response = client.get(reverse("problem_closeout_pdf", args=[problem.pk]), follow=True)
    assert "服务器未安装 LibreOffice" in response.content.decode()


def long_names(world) -> None:
    for user in (world.staff, world.leader, world.inspector):
        user.first_name = "欧阳司马" * 37  # the whole name (lib.names), near the 150 allowed
        user.save()


def test_long_names_and_number_are_capped(world):
    long_names(world)
    problem = close(world, world.problem("学习贯彻不深入"))
    Problem.objects.filter(pk=problem.pk).update(number="第" * 20)  # the longest a number may be
    document = Document(BytesIO(closeout_docx(Problem.objects.filter(pk=problem.pk))))
    form = cells(document)
    for row in ("申请销号", "审核签批"):
        who = form[row].split("：")[1].split("　")[0]
        assert who == who[: LIMITS["person"] - 1] + "……" and len(who) == LIMITS["person"] + 1
    head = next(p.text for p in document.paragraphs if p.text.startswith("被巡察单位"))
    assert head == "被巡察单位：区科技局"
    number = "第" * (LIMITS["number"] - 1) + "……"
    assert form["问题描述"] == f"（一）政治建设方面 · {number} · 学习贯彻不深入"


@needs_pdf
def test_long_names_and_number_keep_one_page(world, tmp_path):
    long_names(world)
    problem = close(world, world.problem("学习贯彻不深入"))
    Problem.objects.filter(pk=problem.pk).update(number="第" * 20)  # the longest a number may be
    pdf = documents.to_pdf(closeout_docx(Problem.objects.filter(pk=problem.pk)))
    assert pages(pdf, tmp_path) == 1


def test_more_forms_than_allowed_are_refused_before_any_is_loaded(
    world, monkeypatch, django_assert_max_num_queries
):
    for n in range(3):
        close(world, world.problem(f"问题{n}"))
    monkeypatch.setattr(closeout_form, "MAX_FORMS", 2)
    with django_assert_max_num_queries(1), pytest.raises(Refused) as refused:
        closeout_docx(Problem.objects.filter(round=world.round))
    assert refused.value.message == "已销号问题共 3 个，超过一次打印上限 2 个，请分批打印。"
