"""Progress by Excel: the sheet downloaded, filled in and uploaded back changes only what the
forms would let its uploader change, after a preview, and writes history for every change."""

import io
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhenggai.ledger import progress_import, progress_sheet, services
from zhenggai.ledger.models import ChangeRequest, Event, Measure, ProgressReport, State
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.ledger.progress_import import APPLY, CHANGED, REFUSED, REQUEST, SKIPPED, UNMATCHED
from zhenggai.lib.errors import NotAllowed, Refused


def download(world, user, round=None) -> bytes:
    round = round or world.round
    out = io.BytesIO()
    rows = progress_import.sheet_measures(user, round)
    progress_sheet.write_sheet(out, round, rows)
    return out.getvalue()


def fill(data: bytes, edits: dict[str, dict], extra_rows=()) -> bytes:
    """Fill the rows of the keys in `edits` ({label: value}), and append `extra_rows`."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[progress_sheet.SHEET_NAME]
    header = {cell.value: cell.column for cell in sheet[progress_sheet.HEADER_ROW + 1]}
    for row in sheet.iter_rows(min_row=progress_sheet.HEADER_ROW + 2):
        key = row[0].value
        for label, value in edits.get(key, {}).items():
            sheet.cell(row=row[0].row, column=header[label], value=value)
    for values in extra_rows:
        sheet.append([values.get(label) for label in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "进度填报表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def key(measure) -> str:
    return progress_sheet.measure_key(measure.pk)


def changes_of(imp, measure) -> dict:
    row = next(r for r in imp.rows if r["measure"] == measure.pk)
    return {c["field"]: c for c in row["changes"]}


def test_round_trip_updates_the_measure_and_writes_history_for_each_change(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    filled = fill(
        download(world, world.staff),
        {
            key(measure): {
                "整改进展": "已召开专题会议，制定学习计划",
                "完成进度（%）": 100,
                "完成日期": date(2026, 10, 31),
                "新建制度（项）": 2,
                "挽回/追缴资金（万元）": 1.5,
            }
        },
    )
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    found = changes_of(imp, measure)
    assert {f: c["outcome"] for f, c in found.items()} == {
        "progress": APPLY,
        "percent": APPLY,
        "completed_on": APPLY,
        "rules_made": APPLY,
        "funds_recovered": APPLY,
    }
    assert found["percent"]["before"] == "0%" and found["percent"]["after"] == "100%"
    measure.refresh_from_db()
    assert measure.rules_made == 0  # nothing applied before confirming
    before = Event.objects.filter(problem=problem).count()

    imp = progress_import.apply_progress_import(imp, by=world.staff)

    assert imp.status == ProgressImport.Status.APPLIED
    assert imp.outcome["applied"][APPLY] == 5
    measure.refresh_from_db()
    assert measure.completed_on == date(2026, 10, 31)
    assert measure.rules_made == 2 and measure.funds_recovered == Decimal("1.5")
    assert measure.percent == 100
    report = ProgressReport.objects.get(measure=measure)
    assert report.text == "已召开专题会议，制定学习计划" and report.created_by == world.staff
    new = Event.objects.filter(problem=problem).order_by("id")[before:]
    assert [e.action for e in new] == [Event.Action.CHANGED, Event.Action.REPORTED]
    changed, reported = new
    assert changed.actor == world.staff and "进度填报表" in changed.note
    assert set(changed.changes) == {"完成日期", "新建制度（项）", "挽回/追缴资金（万元）"}
    assert reported.changes["完成进度"] == ["0%", "100%"]


def test_a_sheet_uploaded_unchanged_changes_nothing(world):
    world.problem(approve=True)
    imp = progress_import.start_progress_import(
        world.round, upload(download(world, world.staff)), by=world.staff
    )
    assert {row["status"] for row in imp.rows} == {"unchanged"}
    before = Event.objects.count()
    progress_import.apply_progress_import(imp, by=world.staff)
    assert Event.objects.count() == before


def test_a_sections_sheet_holds_its_own_measures_and_the_office_holds_all(world):
    own = world.measure(world.problem(approve=True))
    other = world.measure(world.problem("其他问题", approve=True))
    services.update_measure(
        other, by=world.leader, base_version=None, lead_section=world.other_section
    )
    keys = lambda data: [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(  # noqa: E731
        min_row=4, values_only=True)]  # fmt: skip
    assert keys(download(world, world.staff)) == [key(own)]
    assert keys(download(world, world.rect_office)) == [key(own), key(other)]


def _two_sections(world):
    own = world.measure(world.problem(approve=True))
    other = world.measure(world.problem("其他问题", approve=True))
    services.update_measure(
        other, by=world.leader, base_version=None, lead_section=world.other_section
    )
    return own, other


def test_a_section_cannot_report_on_another_sections_measure(world):
    own, other = _two_sections(world)
    edits = {"新建制度（项）": 3, "整改进展": "代为填报", "完成进度（%）": 50}
    filled = fill(download(world, world.rect_office), {key(own): edits, key(other): edits})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    assert {c["outcome"] for c in changes_of(imp, own).values()} == {APPLY}
    refused = changes_of(imp, other)
    assert {c["outcome"] for c in refused.values()} == {REFUSED}
    assert refused["rules_made"]["why"] == "您没有权限填报该措施的完成情况。"
    progress_import.apply_progress_import(imp, by=world.staff)
    other.refresh_from_db()
    assert other.rules_made == 0 and not other.reports.exists()
    # the form refuses the same
    with pytest.raises(NotAllowed):
        services.update_measure(other, by=world.staff, base_version=None, rules_made=3)


def test_a_closed_problems_measure_is_refused(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    data = download(world, world.staff)
    problem.__class__.objects.filter(pk=problem.pk).update(state=State.CLOSED)
    imp = progress_import.start_progress_import(
        world.round, upload(fill(data, {key(measure): {"新建制度（项）": 1, "整改进展": "x"}})),
        by=world.staff,
    )  # fmt: skip
    found = changes_of(imp, measure)
    assert {c["outcome"] for c in found.values()} == {REFUSED}
    assert "已销号" in found["rules_made"]["why"]
    with pytest.raises(Refused) as refused:
        services.update_measure(measure, by=world.staff, base_version=None, rules_made=1)
    assert refused.value.message == found["rules_made"]["why"]


@pytest.mark.parametrize(
    ("label", "value", "field", "why"),
    [
        ("完成进度（%）", 150, "percent", "完成进度应为 0 至 100 之间的整数。"),
        ("完成进度（%）", 45.5, "percent", "“完成进度（%）”应为 0 至 100 之间的整数"),
        ("完成日期", "2026-13-45", "completed_on", "“完成日期”应为日期，如 2026-10-31"),
        ("完成日期", "下月底", "completed_on", "“完成日期”应为日期，如 2026-10-31"),
        ("问责人数", -1, "people_held_accountable", "“问责人数”应在 0 到 1000000 之间。"),
        ("新建制度（项）", "两项", "rules_made", "“新建制度（项）”应为不小于 0 的整数"),
        ("挽回/追缴资金（万元）", -3, "funds_recovered", "“挽回/追缴资金”数额有误。"),
        ("挽回/追缴资金（万元）", "1.234", "funds_recovered", "最多两位小数"),
        ("整改时限", "尽快", "deadline", "“整改时限”应为日期"),
    ],
)
def test_bad_values_are_refused_with_the_reason(world, label, value, field, why):
    measure = world.measure(world.problem(approve=True))
    edits = {label: value, "整改进展": "按计划推进"}
    filled = fill(download(world, world.staff), {key(measure): edits})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    change = changes_of(imp, measure)[field]
    assert change["outcome"] == REFUSED and why in change["why"]
    progress_import.apply_progress_import(imp, by=world.staff)
    measure.refresh_from_db()
    assert measure.percent == 0 and measure.completed_on is None
    assert measure.people_held_accountable == 0 and measure.funds_recovered == 0


def test_a_percent_without_progress_text_is_refused_as_the_report_form_needs_text(world):
    measure = world.measure(world.problem(approve=True))
    filled = fill(download(world, world.staff), {key(measure): {"完成进度（%）": 80}})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    change = changes_of(imp, measure)["percent"]
    assert change["outcome"] == REFUSED and change["why"] == progress_import.NEEDS_TEXT


def test_a_sections_deadline_change_becomes_a_request_not_applied(world):
    measure = world.measure(world.problem(approve=True))
    data = download(world, world.staff)
    without = fill(data, {key(measure): {"整改时限": "2030-06-30"}})
    imp = progress_import.start_progress_import(world.round, upload(without), by=world.staff)
    change = changes_of(imp, measure)["deadline"]
    assert change["outcome"] == REFUSED and change["why"] == progress_import.NEEDS_REASON
    progress_import.discard_progress_import(imp, by=world.staff)

    edits = {"整改时限": "2030/6/30", "时限调整理由": "需等待上级文件出台"}
    imp = progress_import.start_progress_import(
        world.round, upload(fill(data, {key(measure): edits})), by=world.staff
    )
    change = changes_of(imp, measure)["deadline"]
    assert change["outcome"] == REQUEST
    assert (change["before"], change["after"]) == ("2030-01-01", "2030-06-30")
    progress_import.apply_progress_import(imp, by=world.staff)
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 1, 1)
    request = ChangeRequest.objects.get(measure=measure)
    assert request.status == ChangeRequest.Status.PENDING
    assert request.changes["deadline"] == "2030-06-30"
    assert request.reason == "需等待上级文件出台" and request.requested_by == world.staff
    assert Event.objects.filter(action=Event.Action.REQUESTED, object_id=request.pk).exists()


def test_a_leaders_deadline_change_applies_directly(world):
    measure = world.measure(world.problem(approve=True))
    filled = fill(download(world, world.leader), {key(measure): {"整改时限": "长期坚持"}})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.leader)
    assert changes_of(imp, measure)["deadline"]["outcome"] == APPLY
    progress_import.apply_progress_import(imp, by=world.leader)
    measure.refresh_from_db()
    assert measure.deadline_kind == "ongoing" and measure.deadline is None
    assert not ChangeRequest.objects.exists()


def test_nothing_closes_a_problem(world):
    problem = world.problem(approve=True, measures=2)
    data = download(world, world.rect_office)
    edits = {"整改进展": "全部完成", "完成进度（%）": 100, "完成日期": date(2026, 10, 1)}
    filled = fill(data, {key(m): edits for m in problem.measures.all()})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.rect_office)
    progress_import.apply_progress_import(imp, by=world.rect_office)
    problem.refresh_from_db()
    assert problem.state == State.IN_PROGRESS and problem.percent == 100
    assert (
        not Event.objects.filter(problem=problem, action=Event.Action.TRANSITION)
        .exclude(changes__状态__1=State.IN_PROGRESS.label)
        .exists()
    )


def test_rows_that_cannot_be_matched_are_reported_not_guessed(world):
    measure = world.measure(world.problem(approve=True))
    gone = world.measure(world.problem("已撤销措施的问题", approve=True))
    outside = world.measure(world.problem("外单位", round=world.outside_round))
    services.withdraw_measure(gone, by=world.leader, reason="重复", base_version=None)
    data = download(world, world.rect_office)
    edited = world.measure(world.problem("措施已改的问题"))
    data = download(world, world.rect_office)
    services.update_measure(edited, by=world.leader, base_version=None, text="改写后的措施")
    extra = [
        {"措施编号": "M999999", "新建制度（项）": 1},
        {"措施编号": "第三条", "新建制度（项）": 1},
        {"措施编号": None, "整改进展": "没有编号的进展"},
        {"措施编号": key(measure), "新建制度（项）": 9},
        {"措施编号": key(gone), "新建制度（项）": 1},
        {"措施编号": key(outside), "新建制度（项）": 1},
    ]
    filled = fill(data, {key(edited): {"新建制度（项）": 1}}, extra)
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.rect_office)
    why = {row["line"]: row["why"] for row in imp.rows if row["status"] == UNMATCHED}
    assert list(why.values()) == [
        "表中的整改措施与系统中的不一致（下载后措施已修改），请重新下载填报表。",
        "本轮次没有编号为 M999999 的措施。",
        "措施编号“第三条”无法识别。",
        "缺少措施编号，无法对应到措施。",
        "与第 4 行的措施编号重复，本行未导入。",
        "该措施已撤销。",
        f"本轮次没有编号为 {key(outside)} 的措施。",
    ]
    progress_import.apply_progress_import(imp, by=world.rect_office)
    outside.refresh_from_db()
    measure.refresh_from_db()
    assert outside.rules_made == 0 and measure.rules_made == 0


def test_another_rounds_sheet_and_other_files_are_refused(world):
    world.problem(round=world.outside_round)
    other = download(world, world.outsider, world.outside_round)
    with pytest.raises(Refused) as refused:
        progress_import.start_progress_import(world.round, upload(other), by=world.rect_office)
    assert "其他轮次" in refused.value.message
    with pytest.raises(Refused) as refused:
        progress_import.start_progress_import(
            world.round, upload("进度\n".encode(), "x.xlsx"), by=world.rect_office
        )
    assert refused.value.message == f"“x.xlsx”：{progress_import.NOT_A_SHEET}"
    book = Workbook()
    book.active.append(["序号", "问题", "整改进展"])
    book.active.append(["1", "某问题", "已完成"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Refused) as refused:
        progress_import.start_progress_import(
            world.round, upload(out.getvalue()), by=world.rect_office
        )
    assert "找不到“措施编号”列" in refused.value.message
    assert not ProgressImport.objects.exists()


def test_reordered_columns_extra_columns_and_blank_rows_are_read(world):
    measure = world.measure(world.problem(approve=True))
    book = Workbook()
    sheet = book.active
    sheet.append(["区科技局巡察整改进度"])
    sheet.append([])
    sheet.append(["备注", "完成进度（%）", "整改进展", "是否销号", "措施编号"])
    sheet.append([])
    sheet.append(["", 30, "已起草制度", "是", key(measure)])
    out = io.BytesIO()
    book.save(out)
    imp = progress_import.start_progress_import(world.round, upload(out.getvalue()), by=world.staff)
    assert imp.outcome["ignored_columns"] == ["备注", "是否销号"]
    found = changes_of(imp, measure)
    assert found["percent"]["outcome"] == APPLY and found["progress"]["outcome"] == APPLY
    assert imp.rows[0]["line"] == 5


def test_a_change_made_by_someone_else_since_the_download_is_not_overwritten(world):
    measure = world.measure(world.problem(approve=True))
    data = download(world, world.staff)
    services.update_measure(measure, by=world.leader, base_version=None, rules_made=5)
    # left as downloaded: no change; edited: refused, naming the value of now
    untouched = fill(data, {key(measure): {"修订制度（项）": 1}})
    imp = progress_import.start_progress_import(world.round, upload(untouched), by=world.staff)
    assert set(changes_of(imp, measure)) == {"rules_revised"}
    progress_import.discard_progress_import(imp, by=world.staff)
    edited = fill(data, {key(measure): {"新建制度（项）": 2}})
    imp = progress_import.start_progress_import(world.round, upload(edited), by=world.staff)
    change = changes_of(imp, measure)["rules_made"]
    assert change["outcome"] == REFUSED and "现为 5" in change["why"]


def test_a_measure_changed_between_preview_and_confirm_is_skipped(world):
    measure = world.measure(world.problem(approve=True))
    filled = fill(download(world, world.staff), {key(measure): {"新建制度（项）": 2}})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    services.update_measure(measure, by=world.leader, base_version=None, rules_revised=4)
    imp = progress_import.apply_progress_import(imp, by=world.staff)
    row = next(r for r in imp.rows if r["measure"] == measure.pk)
    assert row["status"] == SKIPPED and row["why"] == progress_import.MOVED
    assert imp.outcome["applied"][SKIPPED] == 1
    measure.refresh_from_db()
    assert (measure.rules_made, measure.rules_revised) == (0, 4)


def test_an_error_on_a_row_leaves_the_rows_before_it_unapplied(world):
    problem = world.problem(approve=True, measures=3)
    measures = list(problem.measures.order_by("position"))
    edits = {
        key(m): {"整改进展": f"进展{n}", "新建制度（项）": n} for n, m in enumerate(measures, 1)
    }
    filled = fill(download(world, world.staff), edits)
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    real = progress_import.report_progress
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    events = Event.objects.count()
    with mock.patch.object(progress_import, "report_progress", failing):
        with pytest.raises(RuntimeError):
            progress_import.apply_progress_import(imp, by=world.staff)
    assert len(calls) == 3
    assert not ProgressReport.objects.exists()
    assert list(Measure.objects.filter(problem=problem).values_list("rules_made", flat=True)) == [
        0,
        0,
        0,
    ]
    assert Event.objects.count() == events
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.PREVIEW and imp.rows[0]["status"] == CHANGED


def test_only_those_who_report_on_the_round_import_and_only_the_uploader_confirms(world):
    world.problem(approve=True)
    data = download(world, world.rect_office)
    for user in (world.discipline, world.inspector, world.outsider, world.other_staff):
        with pytest.raises(NotAllowed):
            progress_import.start_progress_import(world.round, upload(data), by=user)
    imp = progress_import.start_progress_import(world.round, upload(data), by=world.staff)
    with pytest.raises(NotAllowed):
        progress_import.apply_progress_import(imp, by=world.rect_office)
    progress_import.discard_progress_import(imp, by=world.rect_office)
    with pytest.raises(Refused):
        progress_import.apply_progress_import(imp, by=world.staff)


def test_a_percent_reported_with_a_refused_text_is_refused_with_it(world):
    measure = world.measure(world.problem(approve=True))
    edits = {key(measure): {"整改进展": "很" * 20_001, "完成进度（%）": 70}}
    filled = fill(download(world, world.staff), edits)
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    found = changes_of(imp, measure)
    assert found["progress"]["outcome"] == REFUSED
    assert found["percent"]["outcome"] == REFUSED
    assert found["percent"]["why"] == progress_import.TEXT_REFUSED
    imp = progress_import.apply_progress_import(imp, by=world.staff)
    measure.refresh_from_db()
    assert imp.outcome["applied"][APPLY] == 0 and measure.percent == 0
    assert not ProgressReport.objects.filter(measure=measure).exists()


def test_a_completion_date_is_previewed_as_done_and_a_lower_percent_beside_it_refused(world):
    done, contradicted = (world.measure(world.problem(f"问题{n}", approve=True)) for n in (1, 2))
    edits = {
        key(done): {"整改进展": "已完成", "完成日期": date(2026, 12, 2)},
        key(contradicted): {
            "整改进展": "推进中",
            "完成进度（%）": 40,
            "完成日期": date(2026, 12, 2),
        },
    }
    imp = progress_import.start_progress_import(
        world.round, upload(fill(download(world, world.staff), edits)), by=world.staff
    )
    found = changes_of(imp, done)
    assert found["completed_on"]["outcome"] == APPLY
    assert found["completed_on"]["after"] == "2026-12-02（措施按已完成计，完成进度100%）"
    found = changes_of(imp, contradicted)
    assert found["progress"]["outcome"] == APPLY
    for name in ("percent", "completed_on"):
        assert found[name]["outcome"] == REFUSED
        assert found[name]["why"] == "填写了完成日期的措施按已完成计，完成进度应为100或不填。"
    imp = progress_import.apply_progress_import(imp, by=world.staff)
    done.refresh_from_db()
    contradicted.refresh_from_db()
    assert done.completed_on == date(2026, 12, 2)
    assert contradicted.completed_on is None and contradicted.percent == 0


def test_a_percent_under_100_of_a_completed_measure_is_refused(world):
    measure = world.measure(world.problem(approve=True))
    services.update_measure(
        measure, by=world.staff, base_version=None, completed_on=date(2026, 11, 1)
    )
    edits = {key(measure): {"整改进展": "返工", "完成进度（%）": 40}}
    imp = progress_import.start_progress_import(
        world.round, upload(fill(download(world, world.staff), edits)), by=world.staff
    )
    assert changes_of(imp, measure)["percent"]["outcome"] == REFUSED
    # Clearing the date with it is no contradiction: the measure is reopened at 40%.
    edits = {key(measure): {"整改进展": "返工", "完成进度（%）": 40, "完成日期": ""}}
    imp = progress_import.start_progress_import(
        world.round, upload(fill(download(world, world.staff), edits)), by=world.staff
    )
    found = changes_of(imp, measure)
    assert found["percent"]["outcome"] == found["completed_on"]["outcome"] == APPLY


def test_a_completion_date_after_today_is_refused_as_by_the_measure_form(world):
    measure = world.measure(world.problem(approve=True))
    tomorrow = date(2026, 12, 4)
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 12, 3)):
        edits = {key(measure): {"完成日期": tomorrow}}
        imp = progress_import.start_progress_import(
            world.round, upload(fill(download(world, world.staff), edits)), by=world.staff
        )
        found = changes_of(imp, measure)["completed_on"]
        assert found["outcome"] == REFUSED
        assert found["why"] == "实际完成日期（2026-12-04）不能晚于今天。"
        with pytest.raises(Refused) as refused:
            services.update_measure(
                measure, by=world.staff, base_version=None, completed_on=tomorrow
            )
        assert "不能晚于今天" in refused.value.message
        services.update_measure(
            measure, by=world.staff, base_version=None, completed_on=date(2026, 12, 3)
        )
