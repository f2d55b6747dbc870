"""The month's 通报 (Word) and ranking (Excel), the trends and the public 红黑榜, read back."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zhenggai.assessments.models import Result, Scheme
from zhenggai.assessments.services import months, schemes
from zhenggai.assessments.tests.conftest import EARLIER, MONTH
from zhenggai.assessments.values import FROZEN_STATES, IndicatorKind, MonthState
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def _docx(client, month):
    return Document(BytesIO(_body(client.get(reverse("month_bulletin_docx", args=[month.pk])))))


def test_the_bulletin_holds_the_ranking_lists_deductions_and_interviews(client, world, assessed):
    month = assessed["month"]
    months.withdraw_entry(
        months.add_entry(
            month,
            assessed["other_unit"],
            assessed["indicator"],
            by=world.evaluator,
            amount=Decimal("-1"),
            reason="会议缺席",
            occurred_on=MONTH,
            correction_reason="漏录",
        ),
        by=world.evaluator,
        reason="核实后不扣分",
    )
    client.force_login(world.evaluator)
    document = _docx(client, month)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("公文标题", "关于2025年11月优化营商环境工作考核情况的通报")
    headings = [text for style, text in paragraphs if style == "一级标题"]
    assert headings == [
        "一、考核结果",
        "二、红黑榜",
        "三、加减分情况",
        "四、末位约谈",
        "五、锁定后更正",
    ]
    body = "\n".join(text for _, text in paragraphs)
    # Only the active entry; the withdrawn correction is gone, its history noted.
    assert "区科技局：11月1日，日常督查：电话接听不及时，扣0.50分。" in body
    assert "会议缺席" not in body
    assert "核实后不扣分" in body
    assert "区科技局连续2个月" in body and "进行约谈" in body
    assert paragraphs[-2] == ("落款", "区委巡察办")

    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["排名", "单位", "日常工作", "日常督查", "三方考评", "总分"]
    expected = [
        [str(r.rank), r.unit.name, f"{r.total:.2f}"]
        for r in Result.objects.filter(month=month)
        .select_related("unit")
        .order_by("rank", "unit__name")
    ]
    assert [[row[0], row[1], row[-1]] for row in cells[1:]] == expected
    assert cells[-1][1] == "区科技局" and cells[-1][3] == "19.50"


def test_the_bulletin_is_only_for_a_frozen_month(client, world, assessed):
    client.force_login(world.evaluator)
    url = reverse("month_bulletin_docx", args=[assessed["open_month"].pk])
    assert client.get(url).status_code == 404


def test_a_unit_reads_the_bulletin_only_once_published(client, world, assessed, units):
    later = date(2025, 9, 1)
    month = months.open_month(assessed["scheme"], later, by=world.evaluator)
    imported = month.version.indicators.get(name="第三方考评")
    months.set_imported(
        month, imported, {u.pk: Decimal(35) for u in units}, by=world.evaluator, source="x"
    )
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)
    url = reverse("month_bulletin_docx", args=[month.pk])
    client.force_login(world.leader)
    assert client.get(url).status_code == 404
    client.force_login(world.evaluator)
    assert client.get(url).status_code == 200
    months.publish(month, by=world.evaluator)
    client.force_login(world.leader)
    assert client.get(url).status_code == 200


def test_the_excel_totals_equal_the_results(client, world, assessed):
    month = assessed["month"]
    client.force_login(world.leader)
    book = load_workbook(BytesIO(_body(client.get(reverse("month_ranking_xlsx", args=[month.pk])))))
    sheet = book["考核排名"]
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["排名", "单位"] and header[-2:] == ["总分", "红黑榜"]
    assert "日常督查·日常督查" in header and "三方考评小计" in header
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    got = {row[1]: (row[0], Decimal(str(row[-2]))) for row in rows}
    assert got == {r.unit.name: (r.rank, r.total) for r in month.results.select_related("unit")}
    world_row = next(row for row in rows if row[1] == "区科技局")
    assert world_row[header.index("日常督查·日常督查")] == 19.5
    assert "黑榜" in world_row[-1] and "末位" in world_row[-1]


def _trend_cells(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</table>", 1)[0]


def test_the_group_trend_table_equals_the_results(client, world, assessed):
    client.force_login(world.evaluator)
    response = client.get(reverse("assessment_trends"))
    assert response.status_code == 200
    html = response.content.decode()
    table = _trend_cells(html, f'data-group="{assessed["group"].pk}"')
    assert "2025年10月" in table and "2025年11月" in table
    assert "2025年12月" not in table  # still open: no figures yet
    frozen = Result.objects.filter(month__scheme=assessed["scheme"], month__state__in=FROZEN_STATES)
    assert frozen.count() == 6
    for result in frozen.select_related("unit"):
        row = table.split(f'data-unit="{result.unit_id}"', 1)[1].split("</tr>", 1)[0]
        assert f'<span class="total">{result.total}</span>' in row
        assert f"第{result.rank}名" in row
    assert 'id="trend-data"' in html


def test_the_unit_trend_equals_its_results(client, world, assessed):
    client.force_login(world.leader)
    response = client.get(reverse("assessment_trends"), {"unit": world.unit.pk})
    table = _trend_cells(response.content.decode(), f'data-unit="{world.unit.pk}"')
    results = (
        Result.objects.filter(unit=world.unit, month__state=MonthState.PUBLISHED)
        .select_related("month")
        .order_by("month__month")
    )
    assert len(results) == 2
    for result in results:
        row = table.split(f'data-month="{result.month_id}"', 1)[1].split("</tr>", 1)[0]
        assert f">{result.total}<" in row and f"第{result.rank}名 / 共3个" in row


def test_a_unit_sees_only_published_months_in_the_trend(client, world, assessed, units):
    month = months.open_month(assessed["scheme"], date(2025, 9, 1), by=world.evaluator)
    imported = month.version.indicators.get(name="第三方考评")
    months.set_imported(
        month, imported, {u.pk: Decimal(35) for u in units}, by=world.evaluator, source="x"
    )
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)
    client.force_login(world.leader)
    assert "2025年9月" not in client.get(reverse("assessment_trends")).content.decode()
    client.force_login(world.evaluator)
    assert "2025年9月" in client.get(reverse("assessment_trends")).content.decode()


def test_a_unit_outside_the_groups_answers_404(client, world, assessed):
    client.force_login(world.leader)
    url = reverse("assessment_trends")
    assert client.get(url, {"unit": world.outside_unit.pk}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404


@pytest.fixture
def public(assessed):
    Scheme.objects.filter(pk=assessed["scheme"].pk).update(public_lists=True)
    return assessed


def test_the_public_lists_show_only_lists_of_published_months(client, public):
    response = client.get(reverse("public_lists", args=[public["scheme"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("2025年11月") < html.index("2025年10月")  # newest first
    assert "2025年12月" not in html  # open, not published
    assert "区科技局" in html and "区商务局" in html
    for lapse in ("电话接听不及时", "扣分", "日常督查", "约谈"):
        assert lapse not in html
    month = public["month"]
    worst = month.results.get(unit=public["unit"])
    assert worst.on_bottom_list and f"{worst.total}" in html


def test_the_public_lists_of_a_private_scheme_answer_404(client, assessed):
    assert client.get(reverse("public_lists", args=[assessed["scheme"].pk])).status_code == 404
    assert client.get(reverse("public_lists", args=[99999])).status_code == 404


def test_the_earlier_month_is_in_the_public_lists(client, public):
    html = client.get(reverse("public_lists", args=[public["scheme"].pk])).content.decode()
    earlier = public["scheme"].months.get(month=EARLIER)
    assert f'id="m-{earlier.pk}"' in html


def test_the_trends_page_takes_a_few_queries_per_group(
    client, world, assessed, django_assert_max_num_queries
):
    client.force_login(world.evaluator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("assessment_trends")).status_code == 200


def test_the_bulletin_ranks_each_group_of_the_office_that_month(client, world, assessed):
    parks = [create_unit(name, Unit.Kind.UNIT, world.office) for name in ("高新园区", "物流园区")]
    group = schemes.save_group(world.office, by=world.evaluator, name="园区", units=parks)
    scheme = schemes.create_scheme(group, by=world.evaluator, year=MONTH.year, title="园区考核办法")
    version = scheme.versions.get()
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="招商引资",
        name="招商引资",
        kind=IndicatorKind.ENTERED,
        points=Decimal(100),
    )
    schemes.issue_version(version, by=world.evaluator)
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    months.add_entry(
        month,
        parks[1],
        version.indicators.get(),
        by=world.evaluator,
        amount=Decimal(-2),
        reason="项目推进滞后",
        rule="第五条",
        occurred_on=MONTH,
    )
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)  # locked, not published: the office's only
    client.force_login(world.evaluator)
    document = _docx(client, assessed["month"])
    texts = [p.text for p in document.paragraphs]
    assert "（一）部门" in texts and "（二）园区" in texts
    assert "物流园区：11月1日，招商引资：项目推进滞后（依据：第五条），扣2.00分。" in texts
    assert [row.cells[1].text for row in document.tables[1].rows] == [
        "单位",
        "高新园区",
        "物流园区",
    ]
    client.force_login(world.leader)  # a unit of 部门 reads only its published group
    assert len(_docx(client, assessed["month"]).tables) == 1


@pytest.mark.parametrize(
    "title, name",
    [
        ("2025年优化营商环境工作考核办法", "优化营商环境工作"),
        ("2026年优化营商环境工作考核办法（部门）", "优化营商环境工作"),
        ("2026年度营商环境考核细则", "营商环境"),
        ("考核办法", "月度"),
    ],
)
def test_the_bulletin_names_the_work_assessed_not_the_group(title, name):
    from zhenggai.assessments.bulletin_docx import work_name

    assert work_name(title) == name


def test_the_public_finds_the_published_lists_from_the_public_pages(client, assessed):
    from zhenggai.assessments.models import Scheme

    index = reverse("public_lists_index")
    assert index in client.get(reverse("public_notices")).content.decode()
    assert "目前没有公开发布的考核红黑榜" in client.get(index).content.decode()
    Scheme.objects.filter(pk=assessed["scheme"].pk).update(public_lists=True)
    page = client.get(index).content.decode()
    assert reverse("public_lists", args=[assessed["scheme"].pk]) in page
