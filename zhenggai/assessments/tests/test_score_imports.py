"""The import of third-party scores: the parser on each sample file, the checks against the
month, and the pages (template, upload, preview, confirm), all or nothing."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhenggai.assessments import score_imports
from zhenggai.assessments.models import MonthEvent
from zhenggai.lib.errors import Refused

SAMPLES = Path(__file__).parent / "samples"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


def imported(month) -> dict[str, Decimal | None]:
    scores = month.scores.filter(indicator__name="第三方考评").select_related("unit")
    return {s.unit.name: s.imported for s in scores}


# The parser, one test per sample file.


def test_an_empty_sheet_has_its_columns_and_no_rows():
    sheet = score_imports.read_sheet(upload("scores_empty.xlsx"))
    assert sheet.columns == ["第三方考评"] and sheet.rows == []


def test_one_unit_is_read_with_its_line():
    sheet = score_imports.read_sheet(upload("scores_one_unit.xlsx"))
    assert sheet.rows == [(2, "区科技局", ["35.5"])]


def test_many_units_are_read_under_a_title_skipping_blank_rows():
    sheet = score_imports.read_sheet(upload("scores_many.xlsx"))
    assert sheet.columns == ["序号", "第三方考评", "备注"]
    assert [(line, name, cells[1]) for line, name, cells in sheet.rows] == [
        (4, "区科技局", "36"),
        (5, "区商务局", "38.25"),
        (6, "区税务局", "40"),
    ]


def test_a_broken_file_is_refused_in_chinese():
    with pytest.raises(Refused) as refused:
        score_imports.read_sheet(upload("scores_broken.xlsx"))
    assert "损坏" in refused.value.message


def test_a_file_that_is_not_xlsx_is_refused_by_content():
    pdf = SimpleUploadedFile("评分.xlsx", b"%PDF-1.4\n" + b"0" * 100)
    with pytest.raises(Refused):
        score_imports.read_sheet(pdf)
    text = SimpleUploadedFile("评分.xlsx", "单位,第三方考评\n区科技局,30\n".encode())
    with pytest.raises(Refused):
        score_imports.read_sheet(text)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(score_imports, "MAX_BYTES", 1000)
    with pytest.raises(Refused) as refused:
        score_imports.read_sheet(upload("scores_many.xlsx"))
    assert "大小限制" in refused.value.message


def test_formulas_are_read_as_their_cached_values_never_as_formulas(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["单位", "第三方考评"])
    book.active.append(["区科技局", "=30+5"])
    out = io.BytesIO()
    book.save(out)
    sheet = score_imports.read_sheet(SimpleUploadedFile("f.xlsx", out.getvalue()))
    # openpyxl wrote no cached value: the cell reads empty, not "=30+5" nor 35
    assert sheet.rows == [(2, "区科技局", [""])]


# Checking against the month.


def test_every_kind_of_error_is_listed(assessed):
    sheet = score_imports.read_sheet(upload("scores_errors.xlsx"))
    plan = score_imports.check(assessed["open_month"], sheet)
    text = "\n".join(plan.errors)
    assert "第2行“第三方考评”“优秀”不是数字" in text
    assert "第3行“第三方考评”41分超出范围（0.00～40.00分）" in text
    assert "第4行：“区商务局”与第3行重复" in text
    assert "第5行：“区财政局”不是“部门”分组中的单位" in text
    assert "第6行没有填写单位名称" in text
    assert "第7行“第三方考评”未填写得分" in text
    assert not plan.ok


def test_a_missing_indicator_column_is_an_error(assessed):
    sheet = score_imports.Sheet(columns=["别的指标"], rows=[(2, "区科技局", ["30"])])
    plan = score_imports.check(assessed["open_month"], sheet)
    assert plan.errors == ["缺少“第三方考评”列。"] and plan.ignored == ["别的指标"]


def test_an_empty_file_cannot_be_applied(assessed, world):
    sheet = score_imports.read_sheet(upload("scores_empty.xlsx"))
    assert "文件中没有数据行。" in score_imports.check(assessed["open_month"], sheet).errors
    with pytest.raises(Refused):
        score_imports.apply(assessed["open_month"], sheet, by=world.evaluator, source="x")


def test_nothing_is_applied_while_any_row_is_wrong(assessed, world):
    month = assessed["open_month"]
    before = imported(month)
    sheet = score_imports.read_sheet(upload("scores_errors.xlsx"))
    with pytest.raises(Refused):
        score_imports.apply(month, sheet, by=world.evaluator, source="x")
    assert imported(month) == before


def test_many_units_are_applied_and_ranked(assessed, world):
    month = assessed["open_month"]
    sheet = score_imports.read_sheet(upload("scores_many.xlsx"))
    changed = score_imports.apply(month, sheet, by=world.evaluator, source="三方.xlsx")
    assert changed == 3
    assert imported(month) == {
        "区科技局": Decimal("36.00"),
        "区商务局": Decimal("38.25"),
        "区税务局": Decimal("40.00"),
    }
    assert month.results.get(unit__name="区税务局").rank == 1


def test_the_template_lists_the_groups_units_and_imported_indicators(assessed):
    book = load_workbook(io.BytesIO(score_imports.template_workbook(assessed["open_month"])))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("单位", "第三方考评")
    assert sorted(r[0] for r in rows[1:]) == ["区商务局", "区科技局", "区税务局"]


# The pages.


@pytest.fixture
def office(client, world):
    client.force_login(world.evaluator)
    return client


def test_the_template_downloads_as_xlsx(office, assessed):
    response = office.get(reverse("score_import_template", args=[assessed["open_month"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == score_imports.XLSX
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["A1"].value == "单位"


def test_upload_preview_and_confirm_import_every_indicator(office, assessed):
    month = assessed["open_month"]
    response = office.post(
        reverse("score_import_upload", args=[month.pk]), {"file": upload("scores_many.xlsx")}
    )
    assert response.status_code == 302 and response["Location"].endswith("/preview/")
    page = office.get(reverse("score_import_preview", args=[month.pk])).content.decode()
    assert "38.25" in page and "确认导入" in page and "更正理由" not in page
    assert imported(month)["区商务局"] is None  # nothing applied before the confirmation
    response = office.post(reverse("score_import_confirm", args=[month.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("month_detail", args=[month.pk])
    assert imported(month)["区商务局"] == Decimal("38.25")
    # the preview is gone: confirming again imports nothing more
    again = office.post(reverse("score_import_confirm", args=[month.pk]))
    assert again["Location"] == reverse("score_import_upload", args=[month.pk])


def test_a_preview_with_errors_lists_them_and_offers_no_confirmation(office, assessed):
    month = assessed["open_month"]
    office.post(
        reverse("score_import_upload", args=[month.pk]), {"file": upload("scores_errors.xlsx")}
    )
    page = office.get(reverse("score_import_preview", args=[month.pk])).content.decode()
    assert "不能导入" in page and "不是数字" in page and "确认导入</button>" not in page
    response = office.post(reverse("score_import_confirm", args=[month.pk]))
    assert response.status_code == 400
    assert imported(month)["区科技局"] is None


def test_the_confirmation_checks_the_month_again(office, assessed, world):
    """The kept cells are checked against the month as it is on confirm: a unit taken out of
    the group and the month recomputed since the preview refuses the whole import."""
    from zhenggai.assessments.services import months

    month = assessed["open_month"]
    office.post(
        reverse("score_import_upload", args=[month.pk]), {"file": upload("scores_many.xlsx")}
    )
    month.scheme.group.units.remove(assessed["other_unit"])
    months.compute_month(month, by=world.evaluator)
    response = office.post(reverse("score_import_confirm", args=[month.pk]))
    assert response.status_code == 400
    assert "不是“部门”分组中的单位" in response.content.decode()
    assert imported(month)["区科技局"] is None


def test_a_broken_upload_is_refused_on_the_form(office, assessed):
    month = assessed["open_month"]
    response = office.post(
        reverse("score_import_upload", args=[month.pk]), {"file": upload("scores_broken.xlsx")}
    )
    assert response.status_code == 400 and "损坏" in response.content.decode()


def test_after_the_lock_an_import_needs_a_correction_reason(office, assessed):
    month = assessed["month"]  # published
    office.post(
        reverse("score_import_upload", args=[month.pk]), {"file": upload("scores_one_unit.xlsx")}
    )
    page = office.get(reverse("score_import_preview", args=[month.pk])).content.decode()
    assert "更正理由" in page
    refused = office.post(reverse("score_import_confirm", args=[month.pk]))
    assert refused.status_code == 400 and "须填写更正理由" in refused.content.decode()
    assert imported(month)["区科技局"] == Decimal("30.00")
    done = office.post(
        reverse("score_import_confirm", args=[month.pk]),
        {"correction_reason": "第三方复核后更正"},
    )
    assert done.status_code == 302
    assert imported(month)["区科技局"] == Decimal("35.50")
    event = month.events.filter(action=MonthEvent.Action.CORRECTED).latest("pk")
    assert event.note == "第三方复核后更正"


def test_the_preview_without_an_upload_sends_back_to_the_upload(office, assessed):
    month = assessed["open_month"]
    response = office.get(reverse("score_import_preview", args=[month.pk]))
    assert response["Location"] == reverse("score_import_upload", args=[month.pk])


def _xlsx(build) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("三方.xlsx", out.getvalue())


def test_a_lone_cell_a_million_rows_down_is_refused_not_walked_to():
    def far(sheet):
        sheet.append(["单位", "第三方考评"])
        sheet.append(["区科技局", 35])
        sheet["XFD1048576"] = 1

    with pytest.raises(Refused) as refused:
        score_imports.read_sheet(_xlsx(far))
    assert "行数异常" in refused.value.message


def test_more_rows_than_a_group_can_have_are_refused_while_reading():
    def many(sheet):
        sheet.append(["单位", "第三方考评"])
        for n in range(score_imports.MAX_ROWS + 5):
            sheet.append([f"单位{n}", 30])

    with pytest.raises(Refused) as refused:
        score_imports.read_sheet(_xlsx(many))
    assert "超过" in refused.value.message


def test_units_of_one_name_are_told_apart_by_their_path(world, scheme, units):
    from zhenggai.assessments.services import months, schemes
    from zhenggai.assessments.tests.conftest import MONTH
    from zhenggai.orgs.models import Unit
    from zhenggai.orgs.services import create_unit

    street = create_unit("街道办", Unit.Kind.OFFICE, world.office)
    twin = create_unit("区科技局", Unit.Kind.UNIT, street)
    schemes.save_group(
        world.office, by=world.evaluator, name="部门", units=[*units, twin], group=scheme.group
    )
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    names = score_imports.unit_names(month)
    assert len(names) == 4 and twin.pk in names.values(), names
    template = load_workbook(io.BytesIO(score_imports.template_workbook(month))).active
    listed = [row[0] for row in template.iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(names)
