"""The three lists (三张清单): three sheets read back with openpyxl (headers, numbers, counts,
print set-up), the downloads of a round and of the ledger's filtered view, and who gets them."""

from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind, Problem
from zhenggai.lib import xlsx
from zhenggai.reports import lists_xlsx
from zhenggai.reports.ledger_xlsx import TooManyRows
from zhenggai.reports.lists_xlsx import (
    DUTY_COLUMNS,
    PROBLEM_COLUMNS,
    SHEETS,
    TASK_COLUMNS,
    Duty,
    write_lists,
)
from zhenggai.testing import PASSWORD


def book_of(problems, title="区科技局巡察整改三张清单"):
    out = BytesIO()
    written = write_lists(problems, out, title=title)
    out.seek(0)
    return written, openpyxl.load_workbook(out)


def rows(sheet, first=4) -> list[list]:
    return [[c.value for c in r] for r in sheet.iter_rows(min_row=first)]


def data(sheet) -> list[list]:
    """The rows of problems or measures: the heading rows (round, area, category) left out."""
    return [r for r in rows(sheet) if any(v is not None for v in r[1:])]


def headings(sheet) -> list[str]:
    return [r[0] for r in rows(sheet) if all(v is None for v in r[1:])]


def complete(measure, by, on=date(2026, 10, 8)):
    services.update_measure(measure, by=by, base_version=measure.version, completed_on=on)


@pytest.fixture
def planned(world):
    """Two problems: the first with two measures (one done, one overdue), the second with one
    measure of its own leader and section, shared by the other section."""
    first = world.problem("学习贯彻不深入", measures=2, approve=True)
    late, done = first.measures.order_by("position")
    services.update_measure(
        late, by=world.leader, base_version=late.version, deadline=date(2026, 9, 20)
    )
    complete(done, world.staff)
    second = world.problem("制度执行不严", deadline=date(2030, 6, 30))
    measure = world.measure(second)
    services.update_measure(
        measure,
        by=world.leader,
        base_version=measure.version,
        lead_leader=world.leader,
        lead_section=world.other_section,
        responsible_sections=[world.section, world.other_section],
        owner=world.other_staff,
    )
    Problem.objects.filter(pk=second.pk).update(number="2")
    return first, second


def test_the_workbook_has_three_sheets_with_titles_headers_and_print_setup(world, planned):
    written, book = book_of(Problem.objects.filter(round=world.round))
    assert written == 2
    assert book.sheetnames == list(SHEETS)
    sheets = (PROBLEM_COLUMNS, TASK_COLUMNS, DUTY_COLUMNS)
    for sheet, columns in zip(book.worksheets, sheets, strict=True):
        assert sheet["A1"].value == f"区科技局巡察整改{sheet.title}"
        assert sheet["A2"].value.startswith("共 2 个问题、3 项整改措施")
        assert [c.value for c in sheet[3]] == [name for name, _ in columns]
        assert sheet.freeze_panes == "A4"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left unwritten
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as it takes
    assert book["问题清单"].column_dimensions["D"].width > 40


def test_the_problem_list_has_a_row_per_problem_with_its_percent_as_a_number(world, planned):
    first, second = planned
    workflow.approve_plan(second, by=world.leader)
    workflow.submit_for_close_out(second, by=world.other_staff, note="已完成")
    workflow.close_out(second, by=world.leader)
    _, book = book_of(Problem.objects.filter(round=world.round))
    assert headings(book["问题清单"]) == ["一、政治建设方面", "（一）理论学习"]
    table = data(book["问题清单"])
    assert [r[:2] for r in table] == [["1", "1"], ["2", "2"]]  # 序号, then the feedback's
    assert table[0][2] == "政治建设方面 / 理论学习"
    assert table[0][3] == "学习贯彻不深入"
    assert table[0][5] == "办公室"  # both measures led by 办公室: said once
    assert table[0][6] == "1．2026-09-20\n2．2030-01-01"
    assert table[0][7] == 50 and isinstance(table[0][7], int)  # one of two measures done
    assert table[0][8] == "否（整改中）"
    assert table[1][4] == "leader" and table[1][5] == "综合科"
    assert table[1][7] == 100
    assert table[1][8] == f"是（{timezone.localdate():%Y-%m-%d}）"


def test_the_task_list_has_a_row_per_active_measure(world, planned):
    first, _ = planned
    withdrawn = services.create_measure(
        first, by=world.leader, text="已撤销的措施", deadline_kind=DeadlineKind.ONGOING
    )
    services.withdraw_measure(
        withdrawn, by=world.leader, reason="重复", base_version=withdrawn.version
    )
    _, book = book_of(Problem.objects.filter(round=world.round))
    table = rows(book["任务清单"])
    assert [r[0] for r in table] == ["1.1", "1.2", "2.1"]  # the problem's 序号, then the measure's
    assert [r[1] for r in table] == ["1", "1", "2"]
    assert table[0][2] == "措施1：组织专题学习"
    assert table[0][7] == "2026-09-20"
    assert table[0][9] == "逾期（期限 2026-09-20）"
    assert table[1][8] == 100 and table[1][9] == "已完成（2026-10-08）"
    assert table[2][3:7] == ["leader", "综合科", "办公室、综合科", "other_staff"]
    assert table[2][8] == 0 and table[2][9] == "正在推进"
    assert "已撤销的措施" not in [r[2] for r in table]


def test_the_responsibility_list_counts_by_leader_then_section(world, planned):
    first, _ = planned
    services.create_measure(
        first, by=world.leader, text="立行立改", deadline_kind=DeadlineKind.IMMEDIATE
    )
    _, book = book_of(Problem.objects.filter(round=world.round))
    table = rows(book["责任清单"])
    # Tasks in list order: the first problem's 1.1 (overdue), 1.2 (done) led by 办公室 and 1.3
    # (立行立改, past its days: overdue) by no section, none with a leader; the second's 2.1,
    # the leader's, 综合科.
    assert table == [
        ["1", "（未定责任领导）", "合计（2 个科室）", 1, 3, 1, 2, "1.1–1.3"],
        ["1.1", "", "办公室", 1, 2, 1, 1, "1.1–1.2"],
        ["1.2", "", "（未定牵头科室）", 1, 1, 0, 1, "1.3"],
        ["2", "leader", "合计（1 个科室）", 1, 1, 0, 0, "2.1"],
        ["2.1", "", "综合科", 1, 1, 0, 0, "2.1"],
    ]
    sheet = book["责任清单"]
    assert sheet["B4"].font.b and not sheet["B5"].font.b  # the leader's total stands out


def test_task_numbers_run_together_and_are_capped_at_a_cells_length():
    duty = Duty()
    tasks = ((1, 1), (1, 2), (2, 2), (3, 1), (3, 2), (3, 3), (4, 1))
    for problem, measure in tasks:
        duty.add(problem, (problem, measure), done=problem == 2, overdue=False)
    # A run stays within a problem: 3.3 and 4.1 follow each other yet are said apart.
    assert duty.tasks_text() == "1.1–1.2、2.2、3.1–3.3、4.1"
    assert (duty.problems, duty.measures, duty.done) == (4, 7, 1)
    duty = Duty()
    for task in range(1, 40_000, 2):  # no two in a row: every one a run of its own
        duty.add(task, (task // 10, task % 10), False, False)
    text = duty.tasks_text()
    assert len(text) <= 32_767
    assert duty.measures == 20_000 and duty.problems == 20_000
    assert text.endswith(f"……等（另有 {duty.more} 项未列出）") and duty.more > 0


def test_a_unit_across_rounds_has_a_heading_per_round_in_both_lists(world, planned):
    from zhenggai.rounds.services import create_round

    second = create_round(
        by=world.inspector, kind="xuncha", unit=world.unit, title="第二轮巡察", inspecting_body="x"
    )
    services.create_problem(second, by=world.inspector, title="乙", path=["政治建设方面"])
    problems = Problem.objects.filter(unit=world.unit).order_by("round_id", "position")
    _, book = book_of(problems)
    for name in ("问题清单", "任务清单"):
        headings = [r[0] for r in rows(book[name]) if r[0] and r[0].startswith("【")]
        assert headings == ["【区科技局巡察整改】", "【第二轮巡察】"]


@pytest.fixture
def renumbered(world):
    """The feedback's numbers start again in each area: 一二三 / 一二 / 一二三, each problem with
    as many measures as its place in its area, each measure's text naming its problem."""
    areas = {"政治建设方面": 3, "党的建设方面": 2, "全面从严治党方面": 3}
    for area, count in areas.items():
        for n in range(count):
            problem = services.create_problem(
                world.round,
                by=world.inspector,
                number="一二三"[n],
                title=f"{area}问题{n + 1}",
                path=[area, "具体问题"],
            )
            for k in range(n + 1):
                services.create_measure(
                    problem,
                    by=world.leader,
                    text=f"{problem.title}的措施{k + 1}",
                    lead_section=world.section if k % 2 else world.other_section,
                    lead_leader=world.leader if k % 2 else None,
                    deadline_kind=DeadlineKind.ONGOING,
                )
    return Problem.objects.filter(round=world.round).order_by("position", "id")


def expand(references: str) -> list[str]:
    """The task numbers a 责任清单 cell cites: "1.1–1.3、2.1" is 1.1, 1.2, 1.3 and 2.1."""
    tasks = []
    for part in references.split("、"):
        first, _, last = part.partition("–")
        problem, measure = first.split(".")
        end = last.split(".")[1] if last else measure
        assert not last or last.split(".")[0] == problem  # a run stays within one problem
        tasks += [f"{problem}.{m}" for m in range(int(measure), int(end) + 1)]
    return tasks


def test_no_two_problems_or_tasks_share_a_reference_and_each_resolves(world, renumbered):
    _, book = book_of(renumbered)
    problems = data(book["问题清单"])
    assert [r[0] for r in problems] == [str(n) for n in range(1, 9)]  # 1..N, not 一二三 again
    assert [r[1] for r in problems] == list("一二三一二一二三")  # the feedback's, kept beside
    # Each area and its category head its problems, as the ledger does.
    assert headings(book["问题清单"])[:3] == [
        "一、政治建设方面",
        "（一）具体问题",
        "二、党的建设方面",
    ]
    assert len(headings(book["问题清单"])) == 6
    title_of = {r[0]: r[3] for r in problems}
    tasks = rows(book["任务清单"])
    assert len(tasks) == 1 + 2 + 3 + 1 + 2 + 1 + 2 + 3
    assert len({r[0] for r in tasks}) == len(tasks)  # no two measures share a number
    for number, problem, text, *_ in tasks:
        assert number.startswith(f"{problem}.")
        assert text == f"{title_of[problem]}的措施{number.split('.')[1]}"  # the right problem
    cited = []
    for row in data(book["责任清单"]):
        if row[2].startswith("合计"):
            continue  # a leader's total repeats the tasks of the sections under them
        cited += expand(row[7])
    assert sorted(cited) == sorted(r[0] for r in tasks)  # each task cited once, each one found


def test_the_running_number_goes_on_across_rounds(world, planned):
    from zhenggai.rounds.services import create_round

    second = create_round(
        by=world.inspector, kind="xuncha", unit=world.unit, title="第二轮巡察", inspecting_body="x"
    )
    again = services.create_problem(
        second, by=world.inspector, number="1", title="乙", path=["政治建设方面"]
    )
    services.create_measure(again, by=world.leader, text="丙", deadline_kind=DeadlineKind.ONGOING)
    problems = Problem.objects.filter(unit=world.unit).order_by("round_id", "position")
    _, book = book_of(problems)
    assert [r[:2] for r in data(book["问题清单"])] == [["1", "1"], ["2", "2"], ["3", "1"]]
    assert headings(book["问题清单"]) == [
        "【区科技局巡察整改】",
        "一、政治建设方面",
        "（一）理论学习",
        "【第二轮巡察】",
        "一、政治建设方面",  # each round's areas numbered afresh, as in the ledger
    ]
    assert [r[:2] for r in data(book["任务清单"])] == [
        ["1.1", "1"],
        ["1.2", "1"],
        ["2.1", "2"],
        ["3.1", "3"],
    ]


def test_no_problems_make_empty_lists_not_an_error(world):
    written, book = book_of(Problem.objects.none())
    assert written == 0
    assert book["责任清单"]["A4"].value == "（没有整改措施）"


def test_too_many_problems_or_an_unwritable_file_are_refused(world, planned, monkeypatch, tmp_path):
    monkeypatch.setattr(lists_xlsx, "MAX_ROWS", 1)
    with pytest.raises(TooManyRows):
        write_lists(Problem.objects.all(), tmp_path / "x.xlsx", title="t")
    monkeypatch.setattr(lists_xlsx, "MAX_ROWS", 10)
    monkeypatch.setattr(lists_xlsx, "MAX_TASKS", 2)
    with pytest.raises(lists_xlsx.TooManyTasks) as refused:
        write_lists(Problem.objects.all(), tmp_path / "x.xlsx", title="t")
    assert refused.value.measures == 3
    monkeypatch.setattr(lists_xlsx, "MAX_TASKS", 100)
    with pytest.raises(xlsx.WriteFailed):
        write_lists(Problem.objects.all(), tmp_path / "no" / "such" / "x.xlsx", title="t")


def test_long_lists_are_written_by_a_process_of_their_own_with_the_same_workbook(
    world, planned, tmp_path, monkeypatch
):
    for n in range(4):
        world.problem(f"问题{n}", measures=2)
    problems = Problem.objects.filter(round=world.round).order_by("position")
    inline = tmp_path / "inline.xlsx"
    assert write_lists(problems, inline, title="t") == 6
    monkeypatch.setattr(lists_xlsx, "PARALLEL_FROM", 6)
    monkeypatch.setattr(xlsx, "BATCH", 2)  # batches cut across the sheets
    calls = []
    real = xlsx.write_book_in_process
    monkeypatch.setattr(xlsx, "write_book_in_process", lambda *a: calls.append(1) or real(*a))
    separate = tmp_path / "separate.xlsx"
    assert write_lists(problems, separate, title="t") == 6
    assert calls == [1]

    def look(path):
        book = openpyxl.load_workbook(path)
        return [
            [
                (c.value, c.data_type, c.font.b, c.alignment.horizontal)
                for r in sheet.iter_rows(min_row=3)
                for c in r
            ]
            + [sheet.row_dimensions[n].height for n in range(1, sheet.max_row + 1)]
            for sheet in book
        ]

    assert look(separate) == look(inline)
    assert write_lists(problems.exclude(title="问题3"), tmp_path / "short.xlsx", title="t") == 5
    assert calls == [1]  # fewer problems than PARALLEL_FROM: written here


def test_a_failing_writer_process_fails_the_lists(world, planned, tmp_path, monkeypatch):
    monkeypatch.setattr(lists_xlsx, "PARALLEL_FROM", 1)
    with pytest.raises(xlsx.WriteFailed):
        write_lists(Problem.objects.all(), tmp_path / "no" / "such" / "x.xlsx", title="t")


def measured_height(cells, columns) -> float:
    """Every text measured, line by line: what row_height must equal."""
    lines = 1
    for value, (_, width) in zip(cells, columns, strict=True):
        if isinstance(value, str) and value:
            per_line = max(width - 1, 1)
            needed = sum(
                -(-((len(line.encode()) + len(line)) // 2) // per_line) or 1
                for line in value.split("\n")
            )
            lines = max(lines, needed)
    return min(lists_xlsx.MAX_HEIGHT, lines * lists_xlsx.LINE_HEIGHT + 3)


@given(
    st.lists(
        st.one_of(st.text(alphabet="学习贯彻ab1 （）\n、…", max_size=120), st.integers(0, 100)),
        min_size=len(TASK_COLUMNS),
        max_size=len(TASK_COLUMNS),
    )
)
def test_row_heights_measure_only_what_may_wrap_yet_match_measuring_every_text(cells):
    assert lists_xlsx.row_height(cells, lists_xlsx.TASK_WIDTHS) == measured_height(
        cells, TASK_COLUMNS
    )


# ------------------------------------------------------------------ downloads and access


def download(client, user, url):
    client.login(username=user.username, password=PASSWORD)
    return client.get(url)


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_everyone_who_reads_the_round_downloads_its_lists(client, world, planned):
    url = reverse("round_lists_xlsx", args=[world.round.pk])
    for name in ("inspector", "leader", "rect_office", "staff", "discipline"):
        book = workbook(download(client, getattr(world, name), url))
        assert len(data(book["问题清单"])) == 2, name
        client.logout()
    assert download(client, world.outsider, url).status_code == 404


def test_the_ledger_view_lists_only_the_filtered_visible_problems(client, world, planned):
    outside = world.problem("外单位的问题", round=world.outside_round)
    first, second = planned
    url = reverse("ledger_lists_xlsx")
    book = workbook(download(client, world.inspector, f"{url}?round={world.round.pk}"))
    assert [r[3] for r in data(book["问题清单"])] == ["学习贯彻不深入", "制度执行不严"]
    book = workbook(download(client, world.inspector, f"{url}?q=制度执行"))
    assert [r[:4] for r in data(book["问题清单"])] == [
        ["1", "2", "政治建设方面 / 理论学习", "制度执行不严"]
    ]
    assert [r[:2] for r in rows(book["任务清单"])] == [["1.1", "1"]]  # this workbook's 序号
    book = workbook(download(client, world.inspector, url))  # everything the inspector sees
    assert "外单位的问题" not in [r[3] for r in data(book["问题清单"])]
    # The outsider asking for the inspector's round by its id gets nothing of it.
    client.logout()
    response = download(client, world.outsider, f"{url}?round={world.round.pk}")
    assert rows(workbook(response)["问题清单"]) == []
    book = workbook(download(client, world.outsider, url))
    assert [r[3] for r in data(book["问题清单"])] == [outside.title]


def test_a_bad_filter_or_too_many_problems_come_back_with_a_message(
    client, world, planned, monkeypatch
):
    response = download(client, world.inspector, reverse("ledger_lists_xlsx") + "?state=nonsense")
    assert response.status_code == 302 and response["Location"] == reverse("ledger")
    monkeypatch.setattr(lists_xlsx, "MAX_ROWS", 1)
    response = client.get(reverse("round_lists_xlsx", args=[world.round.pk]), follow=True)
    assert "超过单次导出上限" in response.content.decode()


def test_the_lists_read_a_fixed_number_of_queries(world, planned, django_assert_max_num_queries):
    for n in range(30):
        world.problem(f"问题{n}", measures=3)
    with django_assert_max_num_queries(9):
        book_of(Problem.objects.filter(round=world.round))


def test_the_round_page_and_the_ledger_link_the_lists(client, world, planned):
    page = download(client, world.staff, reverse("round_detail", args=[world.round.pk]))
    assert reverse("round_lists_xlsx", args=[world.round.pk]) in page.content.decode()
    page = client.get(reverse("ledger") + f"?round={world.round.pk}")
    assert f"{reverse('ledger_lists_xlsx')}?round={world.round.pk}" in page.content.decode()


def test_dates_in_the_past_are_overdue_only_while_open(world, planned):
    first, _ = planned
    yesterday = timezone.localdate() - timedelta(days=1)
    assert (
        lists_xlsx.task_state(
            (0,) * 12 + (DeadlineKind.DATE, yesterday, None, 10),
            (0, 0, "", None, "", "", "", [], "closed", None, 100),
            timezone.localdate(),
        ).text
        == "问题已销号"
    )


def test_a_measure_of_a_problem_rectified_and_kept_at_long_term_counts_as_done(world, planned):
    rectified = date(2026, 11, 2)
    state = lists_xlsx.task_state(
        (0,) * 12 + (DeadlineKind.DATE, date(2026, 10, 1), None, 40),
        (0, 0, "", None, "", "", "", [], "long_term", rectified, 100),
        date(2026, 12, 3),
    )
    assert (state.percent, state.done, state.overdue) == (100, True, False)
    assert state.text == "问题已整改（2026-11-02），长期坚持"
