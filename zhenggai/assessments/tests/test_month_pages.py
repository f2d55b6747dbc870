from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhenggai.assessments.models import Entry, MonthEvent, Score
from zhenggai.assessments.services import months
from zhenggai.assessments.tests.conftest import MONTH, backdate
from zhenggai.assessments.values import MonthState
from zhenggai.lib import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world, scheme):
    return months.open_month(scheme, MONTH, by=world.evaluator)


def _import_all(world, month, units, value=35):
    imported = month.version.indicators.get(name="第三方考评")
    scores = {u.pk: Decimal(value) for u in units}
    months.set_imported(month, imported, scores, by=world.evaluator, source="三方.xlsx")


def _score(month, unit, name="日常督查"):
    return Score.objects.get(month=month, unit=unit, indicator__name=name).score


def _entry_data(month, **extra):
    data = {
        "indicator": month.version.indicators.get(name="日常督查").pk,
        "amount": "-2",
        "reason": "电话接听不及时",
        "rule": "第五条第二款",
        "occurred_on": "2025-11-05",
    }
    return data | extra


def _text(response) -> str:
    return response.content.decode()


# The home page


def test_the_office_sees_its_months_and_starts_one(client, world, scheme):
    client.force_login(world.evaluator)
    page = client.get(reverse("assessment_home"))
    assert page.status_code == 200 and "开始评分" in _text(page)
    response = client.post(reverse("month_open"), {"scheme": scheme.pk, "month": "2025-11"})
    made = scheme.months.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "month_detail", args=[made.pk]
    )
    assert "2025年11月" in _text(client.get(reverse("assessment_home")))


def test_starting_a_month_twice_or_outside_the_year_is_refused_in_chinese(
    client, world, scheme, month
):
    client.force_login(world.evaluator)
    again = client.post(reverse("month_open"), {"scheme": scheme.pk, "month": "2025-11"})
    assert again.status_code == 400 and "2025年11月已开始评分" in _text(again)
    other_year = client.post(reverse("month_open"), {"scheme": scheme.pk, "month": "2024-11"})
    assert "只适用于2025年" in _text(other_year)
    garbled = client.post(reverse("month_open"), {"scheme": scheme.pk, "month": "十一月"})
    assert garbled.status_code == 400 and "考核月份有误" in _text(garbled)
    assert scheme.months.count() == 1


def test_a_units_people_see_their_own_sheet_link_and_no_ranking_before_publication(
    client, world, month
):
    client.force_login(world.leader)
    page = _text(client.get(reverse("assessment_home")))
    assert reverse("unit_sheet", args=[month.pk, world.unit.pk]) in page
    assert f'href="{reverse("month_detail", args=[month.pk])}"' not in page
    assert "开始评分" not in page
    assert client.post(reverse("month_open"), {"month": "2025-11"}).status_code == 403


# The ranking


def test_the_ranking_shows_totals_subtotals_markers_and_the_missing_imports(client, world, month):
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("month_detail", args=[month.pk])))
    for text in ("区科技局", "区商务局", "日常工作", "三方考评", "第1版", "评分中"):
        assert text in page
    assert "以下指标尚未导入评分：第三方考评" in page
    assert "审核通过" in page and "锁定" not in page.split("am-ranking")[0].split("am-actions")[1]


def test_the_ranking_marks_the_top_and_bottom_lists(client, world, scheme, units, month):
    _import_all(world, month, units)
    client.force_login(world.evaluator)
    client.post(reverse("entry_create", args=[month.pk, units[1].pk]), _entry_data(month))
    page = _text(client.get(reverse("month_detail", args=[month.pk])))
    assert "红榜" in page and "黑榜" in page and "末位" in page
    last = month.results.get(unit=units[1])
    assert last.rank == 3 and last.at_bottom


def test_a_unit_reads_the_ranking_only_once_published(client, world, units, month):
    client.force_login(world.leader)
    assert client.get(reverse("month_detail", args=[month.pk])).status_code == 404
    _import_all(world, month, units)
    for step in (months.review, months.lock, months.publish):
        step(month, by=world.evaluator)
    page = client.get(reverse("month_detail", args=[month.pk]))
    assert page.status_code == 200 and "区商务局" in _text(page)
    assert "重新计算" not in _text(page) and "考核记录" not in _text(page)
    assert "考核通报（Word）" in _text(page) and "排名（Excel）" in _text(page)
    assert "导入评分" not in _text(page) and "移交线索" not in _text(page)


def test_the_office_finds_the_outputs_import_and_clue_on_the_month(client, world, month):
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("month_detail", args=[month.pk])))
    assert "导入评分" in page and "移交线索" in page and "排名（Excel）" in page
    assert "考核通报（Word）" not in page  # only once locked


# The state actions


def test_the_office_reviews_reopens_locks_and_publishes_in_turn(client, world, units, month):
    client.force_login(world.evaluator)
    refused = client.post(reverse("month_review", args=[month.pk]))
    assert refused.status_code == 400 and "以下指标尚未导入评分" in _text(refused)
    _import_all(world, month, units)
    assert client.post(reverse("month_lock", args=[month.pk])).status_code == 400
    assert client.post(reverse("month_review", args=[month.pk])).status_code == 302
    no_reason = client.post(reverse("month_reopen", args=[month.pk]), {"reason": ""})
    assert no_reason.status_code == 400
    assert (
        client.post(reverse("month_reopen", args=[month.pk]), {"reason": "漏录"}).status_code == 302
    )
    month.refresh_from_db()
    assert month.state == MonthState.OPEN
    assert client.post(reverse("month_compute", args=[month.pk])).status_code == 302
    client.post(reverse("month_review", args=[month.pk]), {"note": "无误"})
    assert client.post(reverse("month_lock", args=[month.pk])).status_code == 302
    page = _text(client.get(reverse("month_detail", args=[month.pk])))
    assert "发布" in page and "审核通过" not in page
    assert client.post(reverse("month_publish", args=[month.pk])).status_code == 302
    month.refresh_from_db()
    assert month.state == MonthState.PUBLISHED
    assert "已审核" not in _text(client.get(reverse("month_detail", args=[month.pk])))


def test_a_units_people_and_the_discipline_group_may_not_act(client, world, assessed):
    month = assessed["open_month"]
    for who in (world.leader, assessed["watcher"]):
        client.force_login(who)
        for name in ("month_compute", "month_review", "month_lock", "month_publish"):
            assert client.post(reverse(name, args=[month.pk])).status_code in (403, 404)
    month.refresh_from_db()
    assert month.state == MonthState.OPEN


# The sheet and its entries


def test_an_entry_moves_the_score_and_the_rank(client, world, units, month):
    client.force_login(world.evaluator)
    url = reverse("entry_create", args=[month.pk, world.unit.pk])
    response = client.post(url, _entry_data(month))
    assert response.status_code == 302
    assert _score(month, world.unit) == Decimal("18.00")
    assert month.results.get(unit=world.unit).rank == 3
    page = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    assert "电话接听不及时" in page and "第五条第二款" in page and "-2.00" in page
    assert "18.00" in page and "第3名" in page and "刘评价" in page


def test_bad_entries_are_refused_in_chinese_and_nothing_is_written(client, world, month):
    client.force_login(world.evaluator)
    url = reverse("entry_create", args=[month.pk, world.unit.pk])
    cases = {
        "加减分须是数字": {"amount": "扣两分"},
        "加减分不能为0": {"amount": "0"},
        "发生日期须在2025年11月内": {"occurred_on": "2025-12-01"},
        "发生日期有误": {"occurred_on": "11月5日"},
        "超出该指标的分值范围": {"amount": "-50"},
    }
    for message, change in cases.items():
        response = client.post(url, _entry_data(month, **change))
        assert response.status_code == 400 and message in _text(response), message
    assert not Entry.objects.exists()


def test_the_entry_form_keeps_its_date_and_offers_only_the_months_indicators(client, world, month):
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("entry_create", args=[month.pk, world.unit.pk])))
    assert 'value="2025-11-01"' in page and "日常督查" in page and "更正理由" not in page


def test_after_the_lock_an_entry_is_a_correction_with_a_reason(client, world, units, month):
    _import_all(world, month, units)
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    assert "更正理由" in page and "本次录入是一项更正" in page
    url = reverse("entry_create", args=[month.pk, world.unit.pk])
    refused = client.post(url, _entry_data(month))
    assert refused.status_code == 400 and not Entry.objects.exists()
    made = client.post(url, _entry_data(month, correction_reason="漏录一次缺席"))
    assert made.status_code == 302
    assert Entry.objects.get().is_correction
    assert MonthEvent.objects.filter(month=month, action="corrected", note="漏录一次缺席").exists()
    assert "锁定后更正" in _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))


def test_evidence_downloads_under_its_name_for_those_who_read_the_sheet(
    client, world, units, month
):
    client.force_login(world.evaluator)
    upload = SimpleUploadedFile("截图.png", samples.png(), content_type="image/png")
    url = reverse("entry_create", args=[month.pk, world.unit.pk])
    assert client.post(url, _entry_data(month, upload=upload)).status_code == 302
    entry = Entry.objects.get()
    download = client.get(reverse("entry_file", args=[entry.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert "%E6%88%AA%E5%9B%BE.png" in download["Content-Disposition"]
    client.force_login(world.leader)
    assert client.get(reverse("entry_file", args=[entry.pk])).status_code == 200
    other = months.add_entry(
        month,
        units[1],
        entry.indicator,
        by=world.evaluator,
        amount=Decimal(-1),
        reason="缺席",
        occurred_on=MONTH,
        upload=SimpleUploadedFile("b.png", samples.png(), content_type="image/png"),
    )
    assert client.get(reverse("entry_file", args=[other.pk])).status_code == 404


def test_the_office_withdraws_an_entry_with_a_reason(client, world, month):
    entry = months.add_entry(
        month,
        world.unit,
        month.version.indicators.get(name="日常督查"),
        by=world.evaluator,
        amount=Decimal(-3),
        reason="缺席",
        occurred_on=MONTH,
    )
    client.force_login(world.leader)
    assert (
        client.post(reverse("entry_withdraw", args=[entry.pk]), {"reason": "x"}).status_code == 403
    )
    client.force_login(world.evaluator)
    assert client.get(reverse("entry_withdraw", args=[entry.pk])).status_code == 200
    url = reverse("entry_withdraw", args=[entry.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "误录"}).status_code == 302
    assert _score(month, world.unit) == Decimal("20.00")
    again = client.post(url, {"reason": "再撤"})
    assert again.status_code == 400 and "该加减分已撤销" in _text(again)
    page = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    assert "已撤销" in page and "误录" in page


def test_a_unit_reads_its_own_sheet_but_not_anothers_before_publication(
    client, world, units, month
):
    client.force_login(world.rect_office)
    own = client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk]))
    assert own.status_code == 200 and "录入加减分" not in _text(own)
    assert "第1名" not in _text(own)  # the rank is the ranking's, once published
    assert client.get(reverse("unit_sheet", args=[month.pk, units[1].pk])).status_code == 404
    outside = client.get(reverse("unit_sheet", args=[month.pk, world.outside_unit.pk]))
    assert outside.status_code == 404
    assert client.get(reverse("entry_create", args=[month.pk, world.unit.pk])).status_code == 403


def test_the_sheet_says_when_a_metric_has_no_data(client, world, month):
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    assert "本月无数据，不扣分" in page and "按期整改率 无数据（0/0）" in page
    assert "尚未导入" in page


# The rows behind a figure


def _due_in_the_month(world, count):
    made = []
    for n in range(count):
        problem = world.problem(f"到期问题{n}", deadline=MONTH + timedelta(days=9), approve=True)
        backdate(problem, MONTH - timedelta(days=20))
        made.append(problem)
    return made


def test_the_rows_behind_a_figure_are_as_many_as_the_figure_says(client, world, scheme):
    problems = _due_in_the_month(world, 2)
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = month.version.indicators.get(name="按期整改")
    score = Score.objects.get(month=month, unit=world.unit, indicator=indicator)
    assert (score.numerator, score.denominator) == (0, 2)
    client.force_login(world.leader)
    sheet = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    url = reverse("figure_detail", args=[month.pk, world.unit.pk, indicator.pk])
    assert url in sheet and "按期整改率 0%（0/2）" in sheet
    page = _text(client.get(url))
    assert f"共 <b>{score.denominator}</b> 条记录，其中计入分子 <b>{score.numerator}</b> 条" in page
    for problem in problems:
        assert reverse("problem_detail", args=[problem.pk]) in page
    assert "无权查看" not in page


def test_rows_the_viewer_may_not_see_are_counted_not_shown(client, world, scheme):
    problems = _due_in_the_month(world, 2)
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = month.version.indicators.get(name="按期整改")
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("figure_detail", args=[month.pk, world.unit.pk, indicator.pk])))
    assert "共 <b>2</b> 条记录" in page
    assert "另有2条记录您无权查看" in page
    assert reverse("problem_detail", args=[problems[0].pk]) not in page


def test_only_a_computed_indicator_has_rows_behind_it(client, world, month):
    client.force_login(world.evaluator)
    entered = month.version.indicators.get(name="日常督查")
    url = reverse("figure_detail", args=[month.pk, world.unit.pk, entered.pk])
    assert client.get(url).status_code == 404


# The history


def test_the_history_lists_the_months_events_for_the_office_only(client, world, assessed):
    month = assessed["month"]
    client.force_login(world.evaluator)
    page = _text(client.get(reverse("month_history", args=[month.pk])))
    for text in (
        "开始评分",
        "计算得分",
        "录入加减分",
        "导入评分",
        "审核",
        "锁定",
        "发布",
        "电话接听不及时",
    ):
        assert text in page
    client.force_login(assessed["watcher"])
    assert client.get(reverse("month_history", args=[month.pk])).status_code == 200
    client.force_login(world.leader)
    assert client.get(reverse("month_history", args=[month.pk])).status_code == 404


def test_ratings_behind_a_figure_show_no_rater(client, world):
    from datetime import datetime

    from django.utils import timezone

    from zhenggai.assessments.models import UnitGroup
    from zhenggai.assessments.services import schemes
    from zhenggai.assessments.values import IndicatorKind, Metric
    from zhenggai.evaluations.models import Rating, RatingPoint

    parks = UnitGroup.objects.create(office=world.office, name="好评组", position=2)
    parks.units.set([world.unit])
    scheme = schemes.create_scheme(parks, by=world.evaluator, year=MONTH.year, title="好评考核")
    version = scheme.versions.get()
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="群众扫码",
        name="好评率",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.GOOD_RATE,
        points=Decimal(40),
    )
    schemes.issue_version(version, by=world.evaluator)
    point = RatingPoint.objects.create(
        unit=world.unit, kind=RatingPoint.Kind.WINDOW, name="政务服务中心科技窗口"
    )
    for n, level in enumerate((5, 4, 1)):
        Rating.objects.create(
            point=point,
            unit=world.unit,
            level=level,
            channel="qr",
            rated_at=timezone.make_aware(datetime(2025, 11, 10 + n, 10)),
            phone="13900001234",
            case_number=f"BJ-2025-77{n}",
        )
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = version.indicators.get()
    score = Score.objects.get(month=month, unit=world.unit, indicator=indicator)
    client.force_login(world.evaluator)
    sheet = _text(client.get(reverse("unit_sheet", args=[month.pk, world.unit.pk])))
    assert "好评率 66.7%（2/3）" in sheet
    page = _text(client.get(reverse("figure_detail", args=[month.pk, world.unit.pk, indicator.pk])))
    assert f"共 <b>{score.denominator}</b> 条记录，其中计入分子 <b>{score.numerator}</b> 条" in page
    assert "政务服务中心科技窗口" in page and "非常不满意" in page
    # What followed the 差评 is told where a figure counts it, not on the 好评率 page.
    assert "未回访" not in page and "未整改" not in page
    assert "13900001234" not in page and "BJ-2025-77" not in page


def test_the_ranking_and_the_sheet_take_a_fixed_number_of_queries(
    client, world, units, month, django_assert_max_num_queries
):
    client.force_login(world.evaluator)
    for unit in units:
        months.add_entry(
            month,
            unit,
            month.version.indicators.get(name="日常督查"),
            by=world.evaluator,
            amount=Decimal(-1),
            reason="缺席",
            occurred_on=MONTH,
        )
    with django_assert_max_num_queries(15):
        assert client.get(reverse("month_detail", args=[month.pk])).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(reverse("unit_sheet", args=[month.pk, units[1].pk])).status_code == 200


def test_another_units_people_see_a_published_rating_figure_but_not_the_ratings(
    client, world, scheme, units
):
    from zhenggai.assessments.services import schemes as setup
    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.services.ratings import submit_rating
    from zhenggai.testing import grant, make_user

    amended = setup.new_version(scheme, by=world.evaluator, effective_from=MONTH)
    setup.save_indicator(
        amended,
        by=world.evaluator,
        section="群众评价",
        name="好评率",
        kind="computed",
        metric="good_rate",
        points=Decimal(10),
    )
    setup.issue_version(amended, by=world.evaluator)
    point = RatingPoint.objects.create(
        unit=units[1], kind="unit", name="商务局大厅", mode="on_site"
    )
    at = timezone.make_aware(datetime(MONTH.year, MONTH.month, 5, 10))
    submit_rating(point, values={"level": "5"}, client="192.0.2.1", at=at)
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    _import_all(world, month, units)
    for step in (months.review, months.lock, months.publish):
        step(month, by=world.evaluator)
    indicator = month.version.indicators.get(name="好评率")
    url = reverse("figure_detail", args=[month.pk, units[1].pk, indicator.pk])
    neighbour = make_user("neighbour")
    grant(neighbour, units[2], "leader")
    client.force_login(neighbour)
    page = _text(client.get(url))
    assert "另有1条记录您无权查看" in page and "商务局大厅" not in page
    client.force_login(world.evaluator)
    assert "商务局大厅" in _text(client.get(url))


def test_other_units_see_a_published_deduction_but_not_its_evidence_nor_withdrawn_ones(
    client, world, assessed
):
    from zhenggai.testing import grant, make_user

    month, unit = assessed["month"], assessed["unit"]
    evidence = SimpleUploadedFile("记录.pdf", samples.pdf())
    kept = months.add_entry(
        month,
        unit,
        assessed["indicator"],
        by=world.evaluator,
        amount=Decimal(-1),
        reason="会议缺席",
        occurred_on=MONTH,
        upload=evidence,
        correction_reason="补录",
    )
    months.withdraw_entry(assessed["entry"], by=world.evaluator, reason="核实后不成立")
    neighbour = make_user("neighbour")
    grant(neighbour, assessed["other_unit"], "leader")
    client.force_login(neighbour)
    page = _text(client.get(reverse("unit_sheet", args=[month.pk, unit.pk])))
    assert "会议缺席" in page and "核实后不成立" not in page and "记录.pdf" not in page
    assert client.get(reverse("entry_file", args=[kept.pk])).status_code == 404
    client.force_login(world.leader)
    assert client.get(reverse("entry_file", args=[kept.pk])).status_code == 200


def test_a_refused_entry_is_explained_on_the_entry_form_itself(client, world, units, month):
    client.force_login(world.evaluator)
    url = reverse("entry_create", args=[month.pk, units[1].pk])
    response = client.post(url, _entry_data(month, amount="-50"))
    assert response.status_code == 400
    form = _text(response).split('id="entry-form"')[1]
    assert "加减分超出该指标的分值范围" in form
    assert not Entry.objects.exists()
    fresh = _text(client.get(reverse("unit_sheet", args=[month.pk, units[1].pk])))
    assert '<option value="" selected>请选择</option>' in fresh
