"""The 整改方案: read back from Word (title, parts 一 to 四, the leading group, every problem and
measure with its sections, leader and deadline, fonts and page), the unit's own template, the
refusal of a round without problems, who may download it, and its first page as a picture."""

import os
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from zhenggai.ledger import services as ledger
from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.lib.errors import Refused
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.reports import documents, services
from zhenggai.reports.documents import DocumentError
from zhenggai.reports.models import default_notice
from zhenggai.reports.plan_content import leading_group
from zhenggai.testing import grant, make_user

PLAN = "plan"
PDF_TOOLS = documents.soffice() is not None and shutil.which("pdftoppm") is not None
needs_pdf = pytest.mark.skipif(
    not PDF_TOOLS and os.environ.get("CI") != "true",
    reason="LibreOffice or pdftoppm is not installed",
)


def read(data: bytes) -> Document:
    return Document(BytesIO(data))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def titled(world, user, role, title):
    Membership.objects.filter(user=user, unit=world.unit, role=role).update(title=title)


def planned_round(world):
    """Two areas, three problems; measures with every kind of deadline, sections and leaders."""
    deputy = make_user("deputy", "王副局")
    grant(deputy, world.unit, Role.LEADER)
    secretary = world.leader
    secretary.first_name = "张书记"
    secretary.save()
    titled(world, deputy, Role.LEADER, "党组成员、副局长")
    titled(world, secretary, Role.LEADER, "党组书记、局长")
    world.rect_office.first_name = "李主任"
    world.rect_office.save()
    first = ledger.create_problem(
        world.round,
        by=world.inspector,
        number="1",
        title="理论学习中心组学习不深入",
        description="中心组学习流于形式，研讨不够。",
        path=["政治建设方面"],
    )
    ledger.create_measure(
        first,
        by=world.leader,
        text="制定年度学习计划，每月开展专题研讨",
        lead_leader=secretary,
        lead_section=world.section,
        responsible_sections=[world.other_section],
        deadline_kind=DeadlineKind.DATE,
        deadline=date(2026, 12, 31),
    )
    ledger.create_measure(
        first,
        by=world.leader,
        text="建立学习考勤通报制度",
        lead_leader=deputy,
        lead_section=world.other_section,
        deadline_kind=DeadlineKind.ONGOING,
    )
    dropped = ledger.create_measure(first, by=world.leader, text="已撤销的措施")
    Measure.objects.filter(pk=dropped.pk).update(withdrawn=True)
    second = ledger.create_problem(
        world.round, by=world.inspector, number="2", title="会议纪要不规范", path=["政治建设方面"]
    )
    ledger.create_measure(
        second,
        by=world.leader,
        text="规范会议纪要格式",
        lead_section=world.section,
        deadline_kind=DeadlineKind.IMMEDIATE,
    )
    third = ledger.create_problem(
        world.round,
        by=world.inspector,
        number="3",
        title="采购程序不规范",
        path=["全面从严治党方面"],
    )
    gone = ledger.create_problem(
        world.round, by=world.inspector, number="4", title="已撤销的问题", path=["全面从严治党方面"]
    )
    Problem.objects.filter(pk=gone.pk).update(state=State.WITHDRAWN)
    return first, second, third


def test_the_plan_has_its_parts_every_problem_and_every_measure_with_its_duties(world):
    planned_round(world)
    document = read(documents.docx(default_notice(world.round), PLAN))
    lines = texts(document)
    assert lines[0] == "中共区科技局党组关于落实区委第一巡察组巡察反馈意见的整改方案"
    assert document.paragraphs[0].style.name == "公文标题"
    assert lines[2].startswith("2026年9月1日，区委第一巡察组向区科技局反馈了巡察意见")
    assert "指出了2个方面3个问题" in lines[2] and lines[2].endswith("制定本方案。")
    headings = [p.text for p in document.paragraphs if p.style.name == "一级标题"]
    assert headings == ["一、指导思想", "二、组织领导", "三、整改任务", "四、工作要求"]
    areas = [p.text for p in document.paragraphs if p.style.name == "二级标题"]
    assert areas == ["（一）政治建设方面", "（二）全面从严治党方面"]
    problems = [p.text for p in document.paragraphs if p.style.name == "三级标题"]
    assert problems == ["1．理论学习中心组学习不深入", "2．会议纪要不规范", "1．采购程序不规范"]
    at = lines.index("1．理论学习中心组学习不深入")
    assert lines[at + 1 : at + 11] == [
        "问题表现：中心组学习流于形式，研讨不够。",
        "（1）制定年度学习计划，每月开展专题研讨。",
        "责任领导：张书记；",
        "牵头科室：办公室；",
        "责任科室：综合科；",
        "整改时限：2026年12月31日前。",
        "（2）建立学习考勤通报制度。",
        "责任领导：王副局；",
        "牵头科室：综合科；",
        "整改时限：长期坚持。",
    ]
    at = lines.index("2．会议纪要不规范")
    assert lines[at + 1 : at + 5] == [
        "整改措施：规范会议纪要格式。",
        "责任领导：待明确；",
        "牵头科室：办公室；",
        "整改时限：立行立改。",
    ]
    at = lines.index("1．采购程序不规范")
    assert lines[at + 1] == "整改措施：待制定。"  # the plan stage: the office sees the gap
    assert "对照区委第一巡察组反馈的2个方面3个问题，制定整改措施3条" in "".join(lines)
    assert not any("已撤销" in line for line in lines)
    assert lines[-2:] == ["中共区科技局党组", lines[-1]] and lines[-1].endswith("日")


def test_the_leading_group_is_the_units_leaders_and_its_rectification_office(world):
    planned_round(world)
    lines = texts(read(documents.docx(default_notice(world.round), PLAN)))
    at = lines.index("二、组织领导")
    assert lines[at + 1] == "为加强对整改工作的组织领导，成立区科技局巡察整改工作领导小组。"
    # The secretary heads it though the deputy's membership was made first... or after.
    assert lines[at + 2] == "组长：张书记（党组书记、局长）"
    assert lines[at + 3] == "成员：王副局（党组成员、副局长）、李主任"
    assert lines[at + 4].startswith("领导小组下设办公室，由李主任任办公室主任")


def test_a_unit_without_leaders_names_the_office_of_the_group_at_its_section(world):
    world.problem()
    Membership.objects.filter(role=Role.LEADER, unit=world.unit).delete()
    Membership.objects.filter(user=world.rect_office).update(unit=world.section)
    lines = texts(read(documents.docx(default_notice(world.round), PLAN)))
    assert "组长：中共区科技局党组主要负责同志" in lines
    assert any(line.startswith("领导小组下设办公室，办公室设在办公室，") for line in lines)


def east_asian_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_plan_is_laid_out_to_gb_t_9704(world):
    world.problem()
    document = read(documents.docx(default_notice(world.round), PLAN))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    styles = document.styles
    assert east_asian_font(styles["公文标题"]) == "方正小标宋简体"
    assert styles["公文标题"].font.size == Pt(22)
    assert east_asian_font(styles["公文正文"]) == "仿宋_GB2312"
    assert east_asian_font(styles["一级标题"]) == "黑体"
    assert east_asian_font(styles["二级标题"]) == "楷体_GB2312"
    assert {p.style.name for p in document.paragraphs} == {
        "公文标题", "公文正文", "一级标题", "二级标题", "三级标题", "落款",
    }  # fmt: skip
    assert document.core_properties.title == "整改方案模板"


def test_the_plan_is_made_before_approval_and_again_after(world):
    problem = world.problem("学习贯彻不深入")
    assert problem.state == State.PLAN_PENDING
    before = texts(read(documents.docx(default_notice(world.round), PLAN)))
    from zhenggai.ledger import workflow

    workflow.approve_plan(problem, by=world.leader)
    after = texts(read(documents.docx(default_notice(world.round), PLAN)))
    assert "1．学习贯彻不深入" in before and before[:-1] == after[:-1]


def test_a_round_without_problems_has_no_plan(world, client):
    with pytest.raises(DocumentError) as refused:
        documents.docx(default_notice(world.round), PLAN)
    assert refused.value.message == "本轮次还没有问题，无法生成整改方案；请先录入或导入反馈的问题。"
    client.force_login(world.staff)
    response = client.get(reverse("notice_download", args=[world.round.pk, "plan.docx"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("round_detail", args=[world.round.pk])
    page = client.get(response["Location"]).content.decode()
    assert "无法生成整改方案" in page


def own_template(paragraph: str) -> SimpleUploadedFile:
    document = read(documents.builtin_template(PLAN))
    document.add_paragraph(paragraph)
    out = BytesIO()
    document.save(out)
    return SimpleUploadedFile("我们的方案模板.docx", out.getvalue())


def test_a_units_own_plan_template_is_used_and_the_notice_keeps_its_own(world):
    world.problem()
    line = "共{{ totals.problems }}个问题、{{ totals.measures }}条措施，{{ parts[1].heading }}"
    services.upload_template(world.unit.pk, PLAN, own_template(line), by=world.rect_office)
    plan = texts(read(documents.docx(default_notice(world.round), PLAN)))
    assert plan[-1] == "共1个问题、1条措施，二、组织领导"
    notice = texts(read(documents.docx(default_notice(world.round), "notice")))
    assert not any(text.startswith("共1个问题") for text in notice)
    services.reset_template(world.unit.pk, PLAN, by=world.rect_office)
    assert not texts(read(documents.docx(default_notice(world.round), PLAN)))[-1].startswith("共")


def test_a_broken_plan_template_is_refused_before_it_is_stored(world):
    with pytest.raises(Refused) as refused:
        services.upload_template(
            world.unit.pk, PLAN, own_template("{%p for m in problem.measures %}"), by=world.leader
        )
    assert "模板中的标记有误" in refused.value.message


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("leader", 200),
        ("rect_office", 200),
        ("staff", 200),
        ("inspector", 200),
        ("discipline", 200),
        ("outsider", 404),
        ("outside_leader", 404),
    ],
)
def test_everyone_who_reads_the_round_may_download_its_plan(world, client, user, status):
    world.problem()
    client.force_login(getattr(world, user))
    response = client.get(reverse("notice_download", args=[world.round.pk, "plan.docx"]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "%C2%B7%E6%95%B4%E6%94%B9%E6%96%B9%E6%A1%88.docx" in response["Content-Disposition"]


def test_the_plans_queries_do_not_grow_with_its_problems(world, django_assert_max_num_queries):
    for n in range(12):
        world.problem(f"问题{n}", measures=3)
    notice = default_notice(world.round)
    with django_assert_max_num_queries(8):
        built = documents.context(notice, PLAN)
    assert built["totals"] == {"problems": 12, "areas": 1, "measures": 36}


def test_the_round_page_offers_the_plan_at_any_stage(world, client, monkeypatch):
    client.force_login(world.staff)
    url = reverse("round_detail", args=[world.round.pk])
    pdf = reverse("notice_download", args=[world.round.pk, "plan.pdf"])
    monkeypatch.setattr("zhenggai.pages.rounds.soffice", lambda: "/usr/bin/soffice")
    page = client.get(url).content.decode()
    assert reverse("notice_download", args=[world.round.pk, "plan.docx"]) in page
    assert pdf in page
    monkeypatch.setattr("zhenggai.pages.rounds.soffice", lambda: None)
    page = client.get(url).content.decode()
    assert "整改方案" in page and pdf not in page


@needs_pdf
def test_the_first_page_of_the_plan_as_a_picture(world, tmp_path):
    """The title at the top, the opening and 一、指导思想 below it, margins white; one
    problem's plan fits on three pages (the guiding idea, the group and the requirements
    take two of them)."""
    from PIL import Image

    world.problem("学习贯彻不深入")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(documents.to_pdf(documents.docx(default_notice(world.round), PLAN)))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])
    out = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(out)], check=True
    )
    picture = next(tmp_path.glob("page*.png"))
    shutil.copy(picture, os.environ.get("ZHENGGAI_PLAN_PICTURE", tmp_path / "kept.png"))
    assert 2 <= pages <= 3
    image = Image.open(picture).convert("L")
    width, height = image.size
    mm = width / 210

    def inked(box) -> bool:
        return image.crop(tuple(int(v * mm) for v in box)).getextrema()[0] < 128

    assert inked((40, 37, 170, 70))  # the title, two lines of 2号
    assert not inked((0, 0, 26, 297)) and not inked((186, 0, 210, 250))  # side margins
    assert inked((28, 80, 184, 200))  # the opening and the guiding idea
    assert not inked((0, 0, 210, 30))  # the top margin
    assert inked((150, 262, 184, 280))  # — 1 — at the right of an odd page


def test_the_leading_group_leaves_out_the_people_of_units_below(world):
    """A unit below the round's (a 下属单位 of the bureau) has its own leaders and 整改办: none
    of them is in the group, and the group's office is never its clerk's, whoever came first."""
    child = create_unit("区科技馆", Unit.Kind.UNIT, world.unit)
    child_section = create_unit("馆办公室", Unit.Kind.SECTION, child)
    child_leader = make_user("child_leader", "赵馆长")
    grant(child_leader, child, Role.LEADER)
    clerk = grant(make_user("child_clerk", "钱文书"), child_section, Role.RECTIFICATION_OFFICE)
    Membership.objects.filter(pk=clerk.pk).update(title="文书")
    Membership.objects.filter(user=world.rect_office).delete()  # made after the child's clerk
    grant(world.rect_office, world.unit, Role.RECTIFICATION_OFFICE)
    world.rect_office.first_name = "李主任"
    world.rect_office.save()
    lines = leading_group(world.unit, "巡察", "中共区科技局党组")
    text = "\n".join(lines)
    assert "赵馆长" not in text and "钱文书" not in text and "馆办公室" not in text
    assert "由李主任任办公室主任" in text


def test_the_groups_office_is_the_titled_rectification_office_else_the_first_by_name(world):
    world.rect_office.first_name = "王主任"
    world.rect_office.save()
    other = make_user("rect_two", "丁科员")
    grant(other, world.section, Role.RECTIFICATION_OFFICE)
    lines = leading_group(world.unit, "巡察", "中共区科技局党组")
    assert "办公室设在办公室，由丁科员任办公室主任" in lines[-2]  # 丁 before 王, at its section
    titled(world, world.rect_office, Role.RECTIFICATION_OFFICE, "整改办主任")
    lines = leading_group(world.unit, "巡察", "中共区科技局党组")
    assert "由王主任（整改办主任）任办公室主任" in lines[-2]


def test_an_opening_without_a_feedback_date_says_where_the_problems_were_found(world):
    from zhenggai.reports.plan_content import PlanTotals, opening

    world.round.feedback_date = None
    text = opening(world.round, PlanTotals(problems=12, areas=3, measures=30))
    body = world.round.inspecting_body_name
    assert text.startswith(f"{body}在巡察中指出了区科技局3个方面12个问题。")
