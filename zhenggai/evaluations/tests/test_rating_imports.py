"""Importing a 好差评 platform's export: the draft, the mapping to units and points, idempotency,
the 差评 raised as problems, all or nothing, and 办件量."""

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhenggai.evaluations import imports
from zhenggai.evaluations.models import (
    MonthlyTally,
    Rating,
    RatingImport,
    RatingPoint,
    ServiceCount,
)
from zhenggai.evaluations.services.ratings import refresh_tally
from zhenggai.evaluations.values import Mode
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit

SAMPLES = Path(__file__).parent / "samples"
UNIT_CODE = "11330100002400001B"
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = "评价编号,满意度,评价渠道,评价时间,部门名称,统一社会信用代码,事项名称,办件编号,评价内容\n"


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


def csv(lines: str, name: str = "导出.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + lines).encode("utf-8"))


@pytest.fixture
def coded(world):
    Unit.objects.filter(pk=world.unit.pk).update(credit_code=UNIT_CODE)
    world.unit.refresh_from_db()
    return world


def start(world, upload, kind="ratings") -> RatingImport:
    return imports.start_import(upload, by=world.evaluator, office=world.office, kind=kind)


def by_line(plan) -> dict:
    return {row.line: row for row in plan.rows}


def test_the_evaluation_office_starts_a_draft_of_the_rows_read(coded):
    draft = start(coded, sample("ratings_many.xlsx"))
    assert draft.status == RatingImport.Status.OPEN
    assert draft.office == coded.office and draft.created_by == coded.evaluator
    assert draft.original_name == "ratings_many.xlsx"
    assert len(draft.parsed["rows"]) == 23 and draft.parsed["kind"] == "ratings"
    assert Path(draft.file.path).is_file()


@pytest.mark.parametrize("who", ["leader", "rect_office", "inspector", "discipline", "outsider"])
def test_only_the_evaluation_office_may_import(world, who):
    with pytest.raises(NotAllowed):
        imports.start_import(
            sample("ratings_one.xlsx"), by=getattr(world, who), office=world.office
        )
    assert not RatingImport.objects.exists()


def test_an_evaluation_office_imports_for_its_own_office_only(world):
    other_office = Unit.objects.get(name="市委巡察办")
    with pytest.raises(NotAllowed):
        imports.start_import(sample("ratings_one.xlsx"), by=world.evaluator, office=other_office)


@pytest.mark.parametrize(
    "name, message",
    [
        ("ratings_broken.xlsx", "文件已损坏"),
        ("ratings_missing_columns.csv", "缺少必需的列：评价时间"),
        ("ratings_empty.xlsx", "只有表头，没有评价记录"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_not_kept(world, name, message, settings):
    with pytest.raises(Refused) as refused:
        start(world, sample(name))
    assert message in refused.value.message
    assert not RatingImport.objects.exists()
    stored = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "rating-imports"
    assert not any(p.is_file() for p in stored.rglob("*")) if stored.exists() else True


def test_other_kinds_of_files_are_refused_with_what_is_read(world):
    picture = io.BytesIO()
    Image.new("RGB", (4, 4)).save(picture, "PNG")
    with pytest.raises(Refused) as refused:
        start(world, SimpleUploadedFile("评价.xlsx", picture.getvalue()))
    assert "只能导入Excel（.xlsx）或 CSV" in refused.value.message


def test_rows_map_to_units_by_code_by_name_and_by_name_evened_out(coded):
    plan = imports.preview(start(coded, sample("ratings_many.xlsx")))
    rows = by_line(plan)
    assert rows[6].unit == coded.unit and rows[6].row.credit_code == UNIT_CODE
    assert rows[2].unit == coded.unit and rows[2].row.department == "区 科技局"
    assert rows[3].unit == coded.unit  # "区科技局" followed by an ideographic space
    assert rows[12].state == imports.UNREADABLE
    assert rows[12].reason == "第12行：满意度“较好”无法识别"


def test_rows_no_unit_of_the_office_answers_to_are_reported_with_why(coded):
    plan = imports.preview(start(coded, sample("ratings_many.xlsx")))
    rows = by_line(plan)
    assert [line for line, row in rows.items() if row.state == imports.UNMAPPED] == [22, 23, 24]
    assert rows[22].reason == "“市财政局”不是本机构所辖单位"  # a unit of another office
    assert rows[23].reason == "“区教育局”不是本机构所辖单位"
    assert rows[24].reason == "统一社会信用代码“91330100MA2B3C4D5N”未对应本机构所辖单位"
    assert plan.counts["new"] == 20 and plan.counts["not_imported"] == 4


def test_a_name_two_units_of_the_office_share_maps_to_neither(coded):
    district = create_unit("某街道", Unit.Kind.OFFICE, coded.office)
    create_unit("区科技局", Unit.Kind.UNIT, district)
    plan = imports.preview(start(coded, csv("A1,5,PC端,2026-10-12 09:30,区科技局,,,,\n")))
    (row,) = plan.rows
    assert row.state == imports.UNMAPPED
    assert row.reason.startswith("本机构下有多个名为“区科技局”的单位")


def test_the_point_is_the_one_named_as_the_service_item_else_the_import_point(coded, online_point):
    plan = imports.preview(start(coded, sample("ratings_many.xlsx")))
    rows = by_line(plan)
    assert rows[2].row.service_item == online_point.name == rows[2].point_name
    assert not rows[2].point_is_new
    assert rows[3].row.service_item == "科技型中小企业评价"
    assert rows[3].point_name == imports.IMPORT_POINT and rows[3].point_is_new
    assert plan.new_points == [coded.unit]


def test_confirming_saves_the_new_rows_as_imported_ratings(coded, online_point):
    draft = start(coded, sample("ratings_many.xlsx"))
    result = imports.confirm_import(draft, by=coded.evaluator)
    assert result["confirmed_by"] == "刘评价" and result["confirmed_at"]
    assert {k: v for k, v in result.items() if not k.startswith("confirmed")} == {
        "imported": 20,
        "follow_ups": 0,
        "problems": 2,
        "points_created": 1,
        "present": 0,
        "unmapped": 3,
        "unreadable": 1,
    }
    draft.refresh_from_db()
    assert draft.status == RatingImport.Status.IMPORTED and draft.result == result
    rating = Rating.objects.get(external_id="PJ202610100003")  # line 4
    assert rating.source == Rating.Source.IMPORT
    assert rating.channel == "device" and rating.point == online_point
    assert rating.rated_at == datetime(2026, 10, 4, 12, 15, tzinfo=SHANGHAI)
    assert rating.comment == "服务周到" and rating.case_number == "BJ2026100003"
    made = RatingPoint.objects.get(unit=coded.unit, name=imports.IMPORT_POINT)
    assert made.kind == RatingPoint.Kind.UNIT and made.mode == Mode.ONLINE
    assert Rating.objects.filter(point=made).count() == 11


def test_dimensions_are_kept_for_the_points_mode_only(coded, point):
    RatingPoint.objects.filter(pk=point.pk).update(name="高新技术企业认定")
    imports.confirm_import(start(coded, sample("ratings_split_header.xlsx")), by=coded.evaluator)
    rating = Rating.objects.get()
    assert rating.point == point
    assert (rating.service_efficiency, rating.service_level, rating.service_attitude) == (5, 4, 5)
    assert rating.section_id == point.section_id


def test_the_tallies_of_the_imported_months_are_recounted(coded):
    imports.confirm_import(start(coded, sample("ratings_many.xlsx")), by=coded.evaluator)
    total = sum(MonthlyTally.objects.values_list("count", flat=True))
    assert total == Rating.objects.counted().count() == 20
    october = Rating.objects.counted().filter(rated_at__month=10)
    tally = MonthlyTally.objects.get(month=date(2026, 10, 1))
    assert tally.count == october.count() and tally.bad == october.bad().count()


def test_every_new_bad_review_becomes_a_problem(coded):
    imports.confirm_import(start(coded, sample("ratings_many.xlsx")), by=coded.evaluator)
    with_reason = Rating.objects.get(external_id="PJ202610100004")
    assert with_reason.problem.title == f"{imports.IMPORT_POINT}：窗口无人，等候一小时"
    without = Rating.objects.get(external_id="PJ202610100007")
    assert without.comment == imports.NO_COMMENT
    assert without.problem.title.endswith(imports.NO_COMMENT)
    assert without.problem.round.unit == coded.unit


def test_importing_the_same_file_again_adds_nothing(coded):
    imports.confirm_import(start(coded, sample("ratings_many.xlsx")), by=coded.evaluator)
    again = start(coded, sample("ratings_many.xlsx"))
    plan = imports.preview(again)
    assert plan.counts["present"] == 20 and plan.counts["to_import"] == 0
    result = imports.confirm_import(again, by=coded.evaluator)
    assert result["imported"] == 0 and result["present"] == 20 and result["problems"] == 0
    assert Rating.objects.count() == 20
    assert RatingPoint.objects.filter(name=imports.IMPORT_POINT).count() == 1


def test_a_failure_midway_leaves_no_rating_and_the_draft_open(coded, monkeypatch):
    draft = start(coded, sample("ratings_many.xlsx"))

    def fail(rating, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports, "raise_problem_for", fail)
    with pytest.raises(RuntimeError):
        imports.confirm_import(draft, by=coded.evaluator)
    assert not Rating.objects.exists()
    assert not RatingPoint.objects.exists() and not MonthlyTally.objects.exists()
    draft.refresh_from_db()
    assert draft.status == RatingImport.Status.OPEN and draft.result == {}


def test_a_record_taken_meanwhile_refuses_the_whole_import(coded, monkeypatch):
    draft = start(coded, csv("A1,5,PC端,2026-10-12 09:30,区科技局,,,,\n"))
    monkeypatch.setattr(imports, "_present", lambda ids: set())
    imports.confirm_import(
        start(coded, csv("A1,4,PC端,2026-10-12 09:31,区科技局,,,,\n")), by=coded.evaluator
    )
    with pytest.raises(Refused) as refused:
        imports.confirm_import(draft, by=coded.evaluator)
    assert "本次未导入任何记录" in refused.value.message
    assert Rating.objects.get().level == 4


def test_a_case_is_rated_once_and_followed_up_once(coded):
    lines = (
        "C1,2,PC端,2026-10-12 09:30,区科技局,,,BJ1,材料反复退回\n"
        "C2,5,PC端,2026-10-14 09:30,区科技局,,,BJ1,已经解决\n"
        "C3,4,PC端,2026-10-15 09:30,区科技局,,,BJ1,\n"
        "C4,4,PC端,2026-10-15 09:30,区科技局,,,BJ2,\n"
    )
    draft = start(coded, csv(lines))
    rows = by_line(imports.preview(draft))
    assert [rows[n].state for n in (2, 3, 4, 5)] == ["new", "follow_up", "unmapped", "new"]
    assert rows[3].follows_line == 2
    assert rows[4].reason == "该办件已评价并追评过（第3行为追评）"
    imports.confirm_import(draft, by=coded.evaluator)
    first = Rating.objects.get(external_id="C1")
    assert first.superseded and first.follow_up.external_id == "C2"
    assert Rating.objects.counted().count() == 2
    later = start(coded, csv("C5,4,PC端,2026-10-20 09:30,区科技局,,,BJ2,\n"))
    imports.confirm_import(later, by=coded.evaluator)
    assert Rating.objects.get(external_id="C5").follow_up_of.external_id == "C4"


def test_a_rating_in_the_future_is_not_mapped(coded):
    plan = imports.preview(start(coded, csv("F1,5,PC端,2099-10-12 09:30,区科技局,,,,\n")))
    assert plan.rows[0].state == imports.UNMAPPED
    assert plan.rows[0].reason == "评价时间晚于当前时间"


def test_confirming_or_discarding_twice_is_refused(coded):
    draft = start(coded, sample("ratings_one.xlsx"))
    imports.confirm_import(draft, by=coded.evaluator)
    with pytest.raises(Refused):
        imports.confirm_import(draft, by=coded.evaluator)
    with pytest.raises(Refused):
        imports.discard_import(draft, by=coded.evaluator)


def test_discarding_keeps_the_counts_but_not_the_rows_or_the_file(
    coded, django_capture_on_commit_callbacks
):
    draft = start(coded, sample("ratings_one.xlsx"))
    path = Path(draft.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        imports.discard_import(draft, by=coded.evaluator)
    draft.refresh_from_db()
    assert draft.status == RatingImport.Status.DISCARDED
    assert draft.parsed["rows"] == [] and draft.parsed["discarded_rows"] == 1
    assert not path.exists()
    assert not Rating.objects.exists()


def test_only_the_evaluation_office_confirms_or_discards(coded):
    draft = start(coded, sample("ratings_one.xlsx"))
    for who in (coded.leader, coded.discipline, coded.inspector):
        with pytest.raises(NotAllowed):
            imports.confirm_import(draft, by=who)
        with pytest.raises(NotAllowed):
            imports.discard_import(draft, by=who)
    assert not Rating.objects.exists()


def test_service_counts_are_upserted_per_unit_and_month(coded):
    draft = start(coded, sample("service_counts.xlsx"), kind="service_counts")
    plan = imports.preview(draft)
    rows = by_line(plan)
    assert (rows[2].state, rows[3].state, rows[4].state) == ("new", "new", "unmapped")
    assert rows[5].state == rows[6].state == imports.UNREADABLE
    result = imports.confirm_import(draft, by=coded.evaluator)
    assert result["imported"] == 2 and result["unmapped"] == 1 and result["unreadable"] == 2
    assert dict(ServiceCount.objects.values_list("month", "count")) == {
        date(2026, 10, 1): 1200,
        date(2026, 11, 1): 1350,
    }
    changed = SimpleUploadedFile(
        "办件量.csv",
        "单位名称,月份,办件量\n区科技局,2026年10月,1250\n区科技局,2026-11,1350\n".encode("gbk"),
    )
    draft = start(coded, changed, kind="service_counts")
    rows = by_line(imports.preview(draft))
    assert (rows[2].state, rows[2].existing, rows[3].state) == ("update", 1200, "present")
    imports.confirm_import(draft, by=coded.evaluator)
    assert ServiceCount.objects.get(month=date(2026, 10, 1)).count == 1250
    assert ServiceCount.objects.count() == 2


def test_the_same_unit_and_month_twice_in_a_file_counts_the_later_line(coded):
    upload = SimpleUploadedFile(
        "办件量.csv", "部门名称,月份,办件量\n区科技局,2026-10,1\n区科技局,2026-10,2\n".encode()
    )
    draft = start(coded, upload, kind="service_counts")
    rows = by_line(imports.preview(draft))
    assert rows[2].state == imports.UNMAPPED and rows[2].reason.endswith("以第3行为准")
    imports.confirm_import(draft, by=coded.evaluator)
    assert ServiceCount.objects.get().count == 2


def test_many_months_rebuild_the_points_tallies_to_what_a_recount_gives(coded, monkeypatch):
    monkeypatch.setattr(imports, "TALLIES_ONE_BY_ONE", 0)
    imports.confirm_import(start(coded, sample("ratings_many.xlsx")), by=coded.evaluator)
    kept = {
        (t.point_id, t.month): (t.count, t.level_sum, t.bad, t.service_efficiency_sum)
        for t in MonthlyTally.objects.all()
    }
    for tally in MonthlyTally.objects.select_related("point"):
        refresh_tally(tally.point, tally.month)
    recounted = {
        (t.point_id, t.month): (t.count, t.level_sum, t.bad, t.service_efficiency_sum)
        for t in MonthlyTally.objects.all()
    }
    assert kept == recounted and sum(v[0] for v in kept.values()) == 20
