"""The Excel ledger: its columns, layout and print set-up, and the importer reading it back."""

import multiprocessing
import time
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.demo.load import SEEDS
from zhenggai.intake import parse_file
from zhenggai.ledger import services, workflow
from zhenggai.ledger.forms import ImportRowForm
from zhenggai.ledger.imports import confirm_import, import_document, start_import
from zhenggai.ledger.models import DeadlineKind, Problem
from zhenggai.lib import xlsx
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.reports import ledger_xlsx
from zhenggai.reports.ledger_xlsx import COLUMNS, per_measure, write_ledger
from zhenggai.rounds.services import create_round
from zhenggai.testing import grant, make_user

REPORT = SEEDS / "004_9a9a5644509a9b72.txt"


def sheet_of(problems, title="区科技局巡察整改台账"):
    out = BytesIO()
    write_ledger(problems, out, title=title)
    out.seek(0)
    return openpyxl.load_workbook(out).active


def test_the_sheet_has_title_header_area_headings_and_print_setup(world):
    problem = world.problem("学习贯彻不深入", measures=2)
    services.update_problem(problem, by=world.inspector, description="中心组学习不够深入。")
    sheet = sheet_of(Problem.objects.filter(round=world.round))
    assert sheet.title == "整改台账"
    assert sheet["A1"].value == "区科技局巡察整改台账"
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == [name for name, _ in COLUMNS]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.column_dimensions["C"].width > 30
    # The area and category headings span their rows; the problem row follows them.
    assert sheet["A4"].value == "一、政治建设方面"
    assert sheet["A5"].value == "（一）理论学习"
    assert {"A4:M4", "A5:M5"} <= {str(r) for r in sheet.merged_cells.ranges}
    row = [c.value for c in sheet[6]]
    assert row[0] == "1"
    assert row[1] == "政治建设方面 / 理论学习"
    assert row[2] == "学习贯彻不深入\n中心组学习不够深入。"
    assert row[3] == "1．措施1：组织专题学习\n2．措施2：组织专题学习"
    assert row[4] == "" and row[5] == "办公室" and row[8] == "2030-01-01"
    assert row[10] == "0%"
    assert row[11] == "待定方案"
    assert sheet["C6"].alignment.wrap_text
    assert sheet.row_dimensions[6].height >= 2 * 13.5  # two measures: two lines shown


def test_a_row_is_as_tall_as_its_longest_cell_wraps(world):
    short = ["1", "", "学习不深入", *[""] * 10]
    assert ledger_xlsx.row_height(short) == 13.5 + 3
    long = ["1", "", "字" * 38, *[""] * 10]  # column C (40) holds 19 Chinese characters a line
    assert ledger_xlsx.row_height(long) == 2 * 13.5 + 3
    assert ledger_xlsx.row_height(["1", "", "字\n" * 100, *[""] * 10]) == 409


def test_measures_that_differ_get_numbered_values_and_the_same_ones_one(world):
    assert per_measure(["办公室", "办公室"]) == "办公室"
    assert per_measure(["办公室", "", "综合科"]) == "1．办公室\n3．综合科"
    assert per_measure([]) == ""


def test_state_remarks_and_progress_columns(world):
    problem = world.problem(deadline=date(2020, 1, 1), approve=True)
    services.report_progress(problem, by=world.staff, text="已召开专题会议")
    Problem.objects.filter(pk=problem.pk).update(escalation_level=2, disclose=False)
    row = [c.value for c in sheet_of(Problem.objects.filter(pk=problem.pk))[6]]
    assert row[9].endswith("：已召开专题会议")
    assert row[10] == "0%"
    assert row[11] == "整改中"
    assert row[12] == "逾期（期限 2020-01-01）；重点督办；不公开"


def test_the_completion_column_holds_each_problems_percentage(world):
    half = world.problem("进行中的问题", measures=2, approve=True)
    services.report_progress(
        half, by=world.staff, text="已完成一半", measure=world.measure(half), percent=100
    )
    world.problem("尚无措施的问题", measures=0)
    done = world.problem("已销号的问题", approve=True)
    workflow.submit_for_close_out(done, by=world.staff, note="完成")
    workflow.close_out(done, by=world.leader)
    sheet = sheet_of(Problem.objects.filter(round=world.round).order_by("position"))
    header = [c.value for c in sheet[3]]
    column = header.index("完成进度")
    assert header[column - 1] == "整改进展" and header[column + 1] == "完成情况/是否销号"
    # Problem rows: those with a category (the headings fill the first cell only).
    rows = {r[2]: r[column] for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows == {"进行中的问题": "50%", "尚无措施的问题": "0%", "已销号的问题": "100%"}


def test_a_unit_across_rounds_gets_a_heading_per_round(world):
    world.problem("甲")
    second = create_round(
        by=world.inspector,
        kind="xuncha",
        unit=world.unit,
        title="第二轮巡察",
        inspecting_body="区委第二巡察组",
    )
    services.create_problem(second, by=world.inspector, title="乙", path=["政治建设方面"])
    sheet = sheet_of(Problem.objects.filter(unit=world.unit).order_by("round_id", "position"))
    headings = [r[0].value for r in sheet.iter_rows(min_row=4) if r[0].value and not r[2].value]
    assert headings == [
        "【区科技局巡察整改】",
        "一、政治建设方面",
        "（一）理论学习",
        "【第二轮巡察】",
        "一、政治建设方面",
    ]


def test_a_sheet_of_several_rounds_is_imported_with_a_warning(world, tmp_path):
    world.problem("甲")
    second = create_round(
        by=world.inspector, kind="xuncha", unit=world.unit, title="第二轮", inspecting_body="x"
    )
    services.create_problem(second, by=world.inspector, title="乙", path=["政治建设方面"])
    path = tmp_path / "单位台账.xlsx"
    write_ledger(Problem.objects.filter(unit=world.unit).order_by("round_id"), path, title="t")
    document = parse_file(path)
    assert [p.title for p in document.problems] == ["甲", "乙"]
    assert document.warnings == [
        "the sheet holds 2 rounds (【…】 headings): its problems go into one round"
    ]


def test_too_many_rows_are_refused_before_writing(world, monkeypatch):
    world.problem()
    world.problem()
    monkeypatch.setattr(ledger_xlsx, "MAX_ROWS", 1)
    with pytest.raises(ledger_xlsx.TooManyRows):
        write_ledger(Problem.objects.all(), BytesIO(), title="x")


def signature(round):
    """Everything a ledger sheet carries of a round's plan, comparable across rounds."""
    rows = []
    for problem in round.problems.order_by("position"):
        measures = [
            (
                m.text,
                m.lead_section.name if m.lead_section else None,
                sorted(s.name for s in m.responsible_sections.all()),
                m.lead_leader.username if m.lead_leader else None,
                m.owner.username if m.owner else None,
                m.deadline_kind,
                m.deadline,
            )
            for m in problem.measures.order_by("position")
        ]
        rows.append((problem.number, problem.title, problem.description, problem.path, measures))
    return rows


TRICKY_MEASURES = [
    # (text, deadline kind, deadline): what the sheet's numbering and cells must carry
    ("2030年6月底前完成制度修订", DeadlineKind.DATE, date(2030, 6, 30)),
    ("开展以下工作：\n组织学习\n  建立制度", DeadlineKind.IMMEDIATE, None),
    ("做好两件事：\n1.组织学习\n2.建立制度", DeadlineKind.DATE, date(2030, 12, 31)),
]


def varied_round(world):
    """A seed imported, then measures that differ per problem in sections, people and
    deadlines, with texts that look like numbering or run over several lines."""
    import_document(parse_file(REPORT), world.round, by=world.inspector)
    owner = make_user("zhangsan", "张三")
    grant(owner, world.other_section, "section_staff")
    bracketed = create_unit("办公室（党建、宣传）", Unit.Kind.SECTION, world.unit)
    for n, problem in enumerate(world.round.problems.order_by("position")[:6]):
        services.update_problem(problem, by=world.inspector, description=f"说明{n}\n第二行")
        text, kind, deadline = TRICKY_MEASURES[n % 3]
        services.create_measure(
            problem,
            by=world.leader,
            text=text,
            lead_section=world.other_section,
            responsible_sections=[world.section, bracketed],
            lead_leader=world.leader,
            owner=owner,
            deadline_kind=kind,
            deadline=deadline,
        )
    lone = world.problem("只有一条措施", measures=0)
    services.create_measure(
        lone, by=world.leader, text="1.组织学习；\n2.建立制度", lead_section=world.section
    )


def test_export_then_import_gives_the_same_ledger(world, tmp_path):
    varied_round(world)
    path = tmp_path / "台账.xlsx"
    write_ledger(Problem.objects.filter(round=world.round).order_by("position"), path, title="t")
    again = create_round(
        by=world.inspector, kind="xuncha", unit=world.unit, title="导回", inspecting_body="x"
    )
    import_document(parse_file(path), again, by=world.inspector)
    assert len(signature(again)) == 27
    assert signature(again) == signature(world.round)


def test_export_then_import_through_the_pages_gives_the_same_ledger(world, tmp_path):
    """The upload, check and confirm flow: its preview keeps multi-line measures whole."""
    varied_round(world)
    path = tmp_path / "台账.xlsx"
    write_ledger(Problem.objects.filter(round=world.round).order_by("position"), path, title="t")
    again = create_round(
        by=world.inspector, kind="xuncha", unit=world.unit, title="导回", inspecting_body="x"
    )
    upload = SimpleUploadedFile("台账.xlsx", path.read_bytes())
    draft = start_import(again, upload, by=world.inspector)
    confirm_import(draft, ImportRowForm.initial_rows(draft.parsed), by=world.inspector)
    assert signature(again) == signature(world.round)


def test_a_large_ledger_is_written_by_a_process_of_its_own_with_the_same_cells(
    world, tmp_path, monkeypatch
):
    for n in range(3):
        world.problem(f"问题{n}", measures=2)
    problems = Problem.objects.filter(round=world.round).order_by("position")
    inline = tmp_path / "inline.xlsx"
    write_ledger(problems, inline, title="t")
    monkeypatch.setattr(ledger_xlsx, "PARALLEL_FROM", 1)
    monkeypatch.setattr(xlsx, "BATCH", 2)
    calls = []
    real = xlsx.write_in_process
    monkeypatch.setattr(xlsx, "write_in_process", lambda *a: calls.append(1) or real(*a))
    separate = tmp_path / "separate.xlsx"
    assert write_ledger(problems, separate, title="t") == 3
    assert calls == [1]

    def cells(path):
        sheet = openpyxl.load_workbook(path).active
        return [row for row in sheet.iter_rows(min_row=3, values_only=True)]

    assert cells(separate) == cells(inline)


def test_a_failing_writer_process_fails_the_export(world, tmp_path, monkeypatch):
    world.problem()
    monkeypatch.setattr(ledger_xlsx, "PARALLEL_FROM", 1)
    with pytest.raises(xlsx.WriteFailed):
        write_ledger(Problem.objects.all(), tmp_path / "no-such-dir" / "x.xlsx", title="t")


def test_a_failure_while_reading_stops_the_writer_and_leaves_no_file(tmp_path):
    def rows():
        yield xlsx.ROW, ["1", "甲"], None
        raise RuntimeError("the database went away")

    target = tmp_path / "x.xlsx"
    started = time.monotonic()
    with pytest.raises(RuntimeError):
        xlsx.write_in_process(rows(), str(target), "t", "s", [("序号", 6), ("问题", 20)])
    assert not target.exists()
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_the_ledger_page_exports_its_filtered_view_under_a_title_saying_so(client, world):
    world.problem("甲")
    closed = world.problem("乙")
    Problem.objects.filter(pk=closed.pk).update(state="closed")
    client.force_login(world.staff)
    response = client.get(reverse("ledger_xlsx") + f"?unit={world.unit.pk}&state=closed")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "区科技局整改台账（筛选）"
    titles = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True) if row[3]]
    assert titles == ["乙"]


def test_text_from_people_is_never_a_formula(client, world):
    from zhenggai.rounds.models import InspectionRound

    formula = '=HYPERLINK("http://evil.example/","点击查看")'
    InspectionRound.objects.filter(pk=world.round.pk).update(title=formula)
    world.problem("=1+1")
    client.force_login(world.leader)
    response = client.get(reverse("round_ledger_xlsx", args=[world.round.pk]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert any(cell.value == "=1+1" for cell in cells)
