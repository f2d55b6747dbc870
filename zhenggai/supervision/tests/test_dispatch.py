"""The 调度 sheet's figures: each column counted by its rule on a world of known dates, the week
(Monday to Sunday) and month boundaries, the cut-off of overdue, and the office's sheet."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from zhenggai.ledger.models import Measure
from zhenggai.supervision import dispatch_page
from zhenggai.supervision.dispatch import MONTH, WEEK, office_sheet, period_for, unit_sheet
from zhenggai.supervision.tests.dispatch_data import MONDAY, SUNDAY, THURSDAY, build

WEEK_OF = period_for(WEEK, THURSDAY)


def figures(line) -> tuple:
    return (line.due.value, line.done.value, line.on_time.value, line.overdue.value, line.rate)


def by_label(lines) -> dict:
    return {line.label: figures(line) for line in lines}


@pytest.fixture
def data(world):
    return build(world)


def sheet(world, period=WEEK_OF, today=THURSDAY, **options):
    return unit_sheet(Measure.objects.all(), world.unit.pk, period, today=today, **options)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (MONDAY, MONDAY, SUNDAY),
        (SUNDAY, MONDAY, SUNDAY),
        (date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),  # a Sunday
        (date(2026, 12, 31), date(2026, 12, 28), date(2027, 1, 3)),  # across the year
    ],
)
def test_a_week_runs_from_monday_to_sunday(day, start, end):
    period = period_for(WEEK, day)
    assert (period.start, period.end) == (start, end)
    assert start.weekday() == 0 and end.weekday() == 6
    assert period.previous.end == start - timedelta(days=1)
    assert period.previous.start == start - timedelta(days=7)
    assert period.next.start == end + timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 12, 3), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),  # a leap year
        (date(2027, 2, 28), date(2027, 2, 1), date(2027, 2, 28)),
        (date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30)),
    ],
)
def test_a_month_is_the_calendar_month(day, start, end):
    period = period_for(MONTH, day)
    assert (period.start, period.end) == (start, end)
    assert period.next.start == date(end.year + end.month // 12, end.month % 12 + 1, 1)
    assert period.previous.end == date.fromordinal(start.toordinal() - 1)


def test_the_week_label_names_the_iso_week_and_its_days():
    assert WEEK_OF.label == "2026年第49周（11月30日至12月6日）"
    assert period_for(MONTH, THURSDAY).label == "2026年12月"


def test_each_sections_figures_follow_their_rules(world, data):
    result = sheet(world)
    assert result.as_of == THURSDAY
    assert by_label(result.by_section) == {
        # due m1 m2 m6 (立行立改) m14 m15; done m1 m6; on time m1
        "办公室": (5, 2, 1, 0, "20%"),
        # due m5 (Sunday) m13 (Monday); done m3; overdue m4 m13
        "综合科": (2, 1, 0, 2, "0%"),
        "未定牵头科室": (0, 0, 0, 1, "—"),  # m11
    }
    assert [line.label for line in result.by_section][-1] == "未定牵头科室"
    assert figures(result.total) == (7, 3, 1, 3, "14.3%")
    office = result.by_section[0]
    assert (office.due.value, office.due.problems) == (5, 4)  # m14, m15: one problem


def test_each_leaders_figures_follow_their_rules(world, data):
    assert by_label(sheet(world).by_leader) == {
        "leader": (5, 2, 1, 1, "20%"),
        "王副局长": (1, 1, 0, 2, "0%"),
        "未定责任领导": (1, 0, 0, 0, "0%"),
    }


def test_the_oldest_overdue_items_come_first_with_their_days_late(world, data):
    oldest = sheet(world).oldest
    assert [(i.number, i.text, i.days_late, i.section) for i in oldest] == [
        ("4", "措施4", 23, "综合科"),
        ("11", "措施11", 8, "未定牵头科室"),
        ("13", "措施13", 3, "综合科"),
    ]
    assert oldest[0].owner == "staff" and oldest[0].due == date(2026, 11, 10)


def test_a_past_week_is_judged_overdue_as_of_its_sunday(world, data):
    result = sheet(world, today=date(2026, 12, 20))
    assert result.as_of == SUNDAY
    # m2 (Friday), m14 and m15 (Saturday) are now overdue; m5, due on the Sunday, is not yet.
    assert by_label(result.by_section)["办公室"] == (5, 2, 1, 3, "20%")
    assert by_label(result.by_section)["综合科"] == (2, 1, 0, 2, "0%")
    assert figures(result.total) == (7, 3, 1, 6, "14.3%")


def test_the_month_counts_its_own_days_only(world, data):
    december = sheet(world, period_for(MONTH, THURSDAY))
    assert figures(december.total) == (6, 3, 1, 3, "16.7%")  # m13 (30 Nov) is November's
    november = sheet(world, period_for(MONTH, date(2026, 11, 5)))
    assert november.as_of == date(2026, 11, 30)
    # due m3 m4 m10 (closed since) m11 m13; overdue at its end m3 (done in December) m4 m11
    assert figures(november.total) == (5, 0, 0, 3, "0%")


def test_a_round_narrows_the_sheet_to_its_measures(world, data):
    result = sheet(world, round_id=data["november"].pk)
    assert figures(result.total) == (1, 1, 0, 0, "0%")  # m6 alone
    assert by_label(result.by_section)["综合科"] == (0, 0, 0, 0, "—")  # sections at nought stay


def test_the_offices_sheet_has_a_line_per_unit_leading_to_its_sheet(world, data):
    units = {world.unit.pk: "区科技局", world.outside_unit.pk: "市财政局"}
    result = office_sheet(
        Measure.objects.all(),
        units,
        WEEK_OF,
        sheet_url=lambda pk: f"/dispatch/?unit={pk}",
        today=THURSDAY,
    )
    assert by_label(result.by_unit) == {
        "区科技局": (7, 3, 1, 3, "14.3%"),
        "市财政局": (1, 0, 0, 1, "0%"),  # m12
    }
    assert result.by_unit[0].sheet_url == f"/dispatch/?unit={world.unit.pk}"
    assert figures(result.total) == (8, 3, 1, 4, "12.5%")
    assert result.oldest[0].unit == "区科技局"


# The figures link to the ledger: each URL lists exactly the problems of the measures counted.


@pytest.fixture
def on_thursday(monkeypatch):
    monkeypatch.setattr(dispatch_page, "timezone", SimpleNamespace(localdate=lambda: THURSDAY))


def _listed(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["filter"].errors, response.context["filter"].errors
    return {p.number for p in response.context["filter"].qs}


def _every_figure(lines):
    for line in lines:
        for name in ("due", "done", "on_time", "overdue"):
            yield line, name, getattr(line, name)


@pytest.mark.parametrize("period", [WEEK, MONTH])
def test_every_figure_links_to_the_problems_it_counts(client, world, data, on_thursday, period):
    client.force_login(world.rect_office)
    response = client.get(reverse("dispatch_sheet"), {"period": period, "date": "2026-12-03"})
    page = response.context["sheet"]
    checked = 0
    for line, name, figure in _every_figure([*page.by_section, *page.by_leader, page.total]):
        if line.key is None and line.label != "合计":
            assert figure.url == ""  # 未定牵头科室 / 未定责任领导: no ledger filter
            continue
        if not figure.value:
            assert figure.url == ""
            continue
        listed = _listed(client, figure.url)
        assert len(listed) == figure.problems, (line.label, name, figure.url)
        checked += 1
    assert checked >= 12


def test_the_links_list_the_very_problems_counted(client, world, data, on_thursday):
    client.force_login(world.rect_office)
    response = client.get(reverse("dispatch_sheet"), {"date": "2026-12-03"})
    page = response.context["sheet"]
    office = page.by_section[0]
    assert _listed(client, office.due.url) == {"1", "2", "6", "14"}
    assert _listed(client, office.done.url) == {"1", "6"}
    assert _listed(client, office.on_time.url) == {"1"}
    assert _listed(client, page.total.overdue.url) == {"4", "11", "13"}
    deputy = next(line for line in page.by_leader if line.label == "王副局长")
    assert _listed(client, deputy.overdue.url) == {"4", "13"}
    assert _listed(client, deputy.done.url) == {"3"}


def test_the_offices_figures_link_to_each_units_problems(client, world, data, on_thursday):
    client.force_login(world.inspector)
    response = client.get(reverse("dispatch_sheet"), {"date": "2026-12-03"})
    page = response.context["sheet"]
    assert [line.label for line in page.by_unit] == ["区科技局"]  # its units only
    line = page.by_unit[0]
    assert _listed(client, line.due.url) == {"1", "2", "5", "6", "13", "14"}
    assert _listed(client, line.overdue.url) == {"4", "11", "13"}
    assert f"unit={world.unit.pk}" in line.sheet_url
    assert client.get(line.sheet_url).context["choice"].unit == world.unit


# A measure without a 完成日期 is done on the day its problem was found rectified (closed out, or
# rectified and kept at long term): closing a problem out counts its measures done.


@pytest.fixture
def rectified(world, data):
    """Problem 20, closed out on 23 November, its three measures due 1 December and without a
    完成日期; problem 21, rectified and kept at long term on 2 December, its measure due
    25 November."""
    from zhenggai.ledger.models import Problem, State
    from zhenggai.supervision.tests.dispatch_data import _measure

    closed = Problem.objects.create(
        round=world.round,
        unit=world.unit,
        number="20",
        title="问题20",
        state=State.CLOSED,
        rectified_on=date(2026, 11, 23),
        rectified_on_time=True,
    )
    for _ in range(3):
        _measure(
            world, "20", section=world.section, leader=world.leader, due=date(2026, 12, 1),
            problem=closed,
        )  # fmt: skip
    kept = Problem.objects.create(
        round=world.round,
        unit=world.unit,
        number="21",
        title="问题21",
        state=State.LONG_TERM,
        rectified_on=date(2026, 12, 2),
        rectified_on_time=False,
    )
    _measure(
        world, "21", section=world.other_section, leader=data["deputy"],
        due=date(2026, 11, 25), problem=kept,
    )  # fmt: skip
    return data


def test_a_closed_out_problems_measures_count_done_on_its_close_out_day(world, rectified):
    result = sheet(world)
    # 办公室: due + m20 ×3, on time all three (closed out 23 Nov, before 1 Dec)
    # 综合科: done + m21 (rectified 2 Dec), no longer overdue as of 3 Dec
    assert by_label(result.by_section) == {
        "办公室": (8, 2, 4, 0, "50%"),
        "综合科": (2, 2, 0, 2, "0%"),
        "未定牵头科室": (0, 0, 0, 1, "—"),
    }
    assert (result.by_section[0].on_time.problems, result.by_section[0].due.problems) == (2, 5)
    assert figures(result.total) == (10, 4, 4, 3, "40%")
    assert "21" not in [item.number for item in result.oldest]


def test_a_past_week_counts_the_close_out_done_and_what_was_overdue_then(world, rectified):
    before = sheet(world, period_for(WEEK, date(2026, 11, 26)))
    assert before.as_of == date(2026, 11, 29)
    # done m20 ×3 (closed out on the Monday); overdue m21 (kept at long term only on 2 Dec)
    # as m4 (due 10 Nov) and m3 (due 20 Nov, done 2 Dec) were; m11 (no section) too
    assert by_label(before.by_section)["办公室"][1] == 3
    assert by_label(before.by_section)["综合科"] == (1, 0, 0, 3, "0%")
    assert [i.number for i in before.oldest] == ["4", "3", "11", "21"]


@pytest.mark.parametrize("day", ["2026-12-03", "2026-11-26"])
def test_the_links_list_the_rectified_problems_counted(client, world, rectified, on_thursday, day):
    client.force_login(world.rect_office)
    page = client.get(reverse("dispatch_sheet"), {"date": day}).context["sheet"]
    for line, name, figure in _every_figure([*page.by_section, *page.by_leader, page.total]):
        if figure.url:
            assert len(_listed(client, figure.url)) == figure.problems, (line.label, name)
    office, general = page.by_section[0], page.by_section[1]
    if day == "2026-12-03":
        assert _listed(client, office.on_time.url) == {"1", "20"}
        assert _listed(client, general.done.url) == {"3", "21"}
        assert "21" not in _listed(client, page.total.overdue.url)
    else:
        assert _listed(client, office.done.url) == {"20"}
        assert _listed(client, general.overdue.url) == {"3", "4", "21"}


# Followed to the ledger, a section's or a leader's figure is said by name, and the ledger's
# 科室 and 责任领导 lists show the one followed.


def test_a_followed_figure_names_its_section_and_leader_on_the_ledger(
    client, world, data, on_thursday, django_assert_max_num_queries
):
    client.force_login(world.rect_office)
    page = client.get(reverse("dispatch_sheet"), {"date": "2026-12-03"}).context["sheet"]
    office = page.by_section[0]
    with django_assert_max_num_queries(12):  # the ledger filtered (11) + the section's name
        body = client.get(office.due.url).content.decode()
    assert "按措施筛选：牵头科室 办公室；措施期限自 2026-11-30；措施期限至 2026-12-06。" in body
    assert f'<option value="{world.section.pk}" selected>办公室</option>' in body
    assert f'name="measure_section" value="{world.section.pk}"' in body
    deputy = next(line for line in page.by_leader if line.label == "王副局长")
    body = client.get(deputy.overdue.url).content.decode()
    assert "按措施筛选：责任领导 王副局长；截至该日逾期未完成 2026-12-03。" in body
    assert f'<option value="{data["deputy"].pk}" selected>王副局长</option>' in body
    dropped = re.search(r'<a href="([^"]*)">不按措施筛选</a>', body).group(1)
    assert "measure_" not in dropped and f"leader={data['deputy'].pk}" in dropped


def test_a_section_or_leader_out_of_sight_is_not_named(client, world, data):
    client.force_login(world.outsider)
    query = {"measure_section": world.section.pk, "measure_leader": data["deputy"].pk}
    body = client.get(reverse("ledger"), query).content.decode()
    assert "办公室" not in body and "王副局长" not in body
    assert f"牵头科室 （编号 {world.section.pk}，不在可查看范围）" in body
