"""The set-up pages: groups, schemes and their rules, a version's indicators, issuing and
amending. The services are tested on their own; here the forms, the refusals as the office reads
them, and what each page offers."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from zhenggai.assessments.models import Indicator, Scheme, SchemeVersion, UnitGroup
from zhenggai.assessments.scheme_views import in_force
from zhenggai.assessments.services import schemes
from zhenggai.assessments.values import IndicatorKind, Metric
from zhenggai.assessments.wording import rule_in_words
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.testing import grant, make_user

# Session, user, roles, the page's own reads: the same whatever the number of rows.
QUERIES = 12


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def office_client(client, world):
    client.force_login(world.evaluator)
    return client


@pytest.fixture
def draft(world, group):
    scheme = schemes.create_scheme(group, by=world.evaluator, year=2026, title="2026年考核办法")
    return scheme.versions.get()


def indicator_data(**changes) -> dict:
    data = {
        "section": "日常工作",
        "name": "按期整改",
        "kind": "computed",
        "metric": Metric.ON_TIME_RATE,
        "points": "40",
        "target": "",
        "deduct_per": "0.2",
        "starts_full": "on",
        "floor": "",
        "cap": "",
    }
    data.update(changes)
    return data


# The list


def test_the_list_shows_each_group_with_its_units_and_each_scheme_with_its_version_in_force(
    office_client, world, scheme
):
    page = text(office_client.get(reverse("scheme_list")))
    assert "部门" in page and "区商务局" in page and "区税务局" in page
    assert scheme.title in page and "第1版（2025年1月起）" in page
    assert reverse("group_create", args=[world.office.pk]) in page
    assert reverse("scheme_create", args=[world.office.pk]) in page


def test_the_offices_discipline_group_reads_the_list_and_versions_without_edit_links(
    client, world, scheme
):
    watcher = make_user("watcher", "王纪检")
    grant(watcher, world.office, Role.DISCIPLINE)
    client.force_login(watcher)
    page = text(client.get(reverse("scheme_list")))
    assert scheme.title in page
    assert "新建分组" not in page and reverse("scheme_edit", args=[scheme.pk]) not in page
    version = scheme.versions.get()
    page = text(client.get(reverse("scheme_version", args=[version.pk])))
    assert "按期整改" in page and "新建修订版本" not in page
    assert client.get(reverse("scheme_edit", args=[scheme.pk])).status_code == 404


def test_a_units_leader_is_refused_the_list(client, world, scheme):
    client.force_login(world.leader)
    assert client.get(reverse("scheme_list")).status_code == 403


def test_the_version_in_force_is_the_latest_issued_by_the_month(world, scheme):
    first = scheme.versions.get()
    second = schemes.new_version(scheme, by=world.evaluator, effective_from=date(2025, 7, 1))
    schemes.issue_version(second, by=world.evaluator)
    scheme = Scheme.objects.prefetch_related("versions").get(pk=scheme.pk)
    assert in_force(scheme, date(2025, 6, 15)) == first
    assert in_force(scheme, date(2025, 7, 1)) == second
    assert in_force(scheme, date(2030, 1, 1)) == second


# Groups


def test_the_group_form_offers_only_the_units_below_the_office(office_client, world, units):
    page = text(office_client.get(reverse("group_create", args=[world.office.pk])))
    assert all(u.name in page for u in units)
    assert world.outside_unit.name not in page and world.section.name not in page


def test_the_office_creates_a_group_of_units(office_client, world, units):
    response = office_client.post(
        reverse("group_create", args=[world.office.pk]),
        {"name": " 园区 ", "units": [units[1].pk, units[2].pk]},
    )
    assert response.status_code == 302
    group = UnitGroup.objects.get(name="园区")
    assert set(group.units.all()) == {units[1], units[2]}


def test_a_unit_in_another_group_is_refused_in_chinese(office_client, world, group, units):
    response = office_client.post(
        reverse("group_create", args=[world.office.pk]), {"name": "园区", "units": [units[0].pk]}
    )
    assert response.status_code == 400
    assert "“区科技局”已在“部门”分组中。" in text(response)
    assert not UnitGroup.objects.filter(name="园区").exists()


def test_a_unit_of_another_office_cannot_be_chosen(office_client, world):
    response = office_client.post(
        reverse("group_create", args=[world.office.pk]),
        {"name": "园区", "units": [world.outside_unit.pk]},
    )
    assert response.status_code == 200 and "有效" in text(response)
    assert not UnitGroup.objects.filter(name="园区").exists()


def test_the_group_edit_form_opens_with_its_name_and_units_ticked(office_client, group, units):
    page = text(office_client.get(reverse("group_edit", args=[group.pk])))
    assert 'value="部门"' in page
    assert page.count("checked") == len(units)


def test_the_office_renames_a_group_and_drops_a_unit(office_client, group, units):
    office_client.post(
        reverse("group_edit", args=[group.pk]),
        {"name": "市直部门", "units": [units[0].pk, units[1].pk]},
    )
    group.refresh_from_db()
    assert group.name == "市直部门" and set(group.units.all()) == {units[0], units[1]}


def test_another_office_cannot_open_the_group(client, world, group):
    other = make_user("other_evaluator")
    grant(other, world.outside_unit.parent, Role.EVALUATION_OFFICE)
    client.force_login(other)
    assert client.get(reverse("group_edit", args=[group.pk])).status_code == 404
    assert client.get(reverse("group_create", args=[world.office.pk])).status_code == 404


# Schemes


def scheme_data(group, **changes) -> dict:
    data = {
        "group": group.pk,
        "year": "2026",
        "title": "2026年优化营商环境工作考核办法",
        "tie_rule": "competition",
        "list_size": "5",
        "bottom_count": "1",
        "bottom_months": "2",
    }
    data.update(changes)
    return data


def test_the_office_creates_a_scheme_and_lands_on_its_first_draft(office_client, world, group):
    response = office_client.post(
        reverse("scheme_create", args=[world.office.pk]), scheme_data(group, public_lists="on")
    )
    scheme = Scheme.objects.get(year=2026)
    version = scheme.versions.get()
    assert response["Location"] == reverse("scheme_version", args=[version.pk])
    assert scheme.public_lists and version.is_draft and version.effective_from == date(2026, 1, 1)


def test_a_second_scheme_of_the_group_and_year_is_refused_in_chinese(
    office_client, world, group, scheme
):
    response = office_client.post(
        reverse("scheme_create", args=[world.office.pk]), scheme_data(group, year="2025")
    )
    assert response.status_code == 400 and "“部门”2025年已有考核办法。" in text(response)


def test_the_scheme_form_explains_each_rule(office_client, world, group):
    page = text(office_client.get(reverse("scheme_create", args=[world.office.pk])))
    assert "连续这么多个月处于末位即自动启动约谈" in page
    assert "并列占位（1、2、2、4）" in page and "红榜" in page


def test_the_office_changes_a_schemes_rules(office_client, scheme):
    office_client.post(
        reverse("scheme_edit", args=[scheme.pk]),
        {"tie_rule": "dense", "list_size": "3", "bottom_count": "2", "bottom_months": "3"},
    )
    scheme.refresh_from_db()
    assert (scheme.tie_rule, scheme.list_size, scheme.bottom_count, scheme.bottom_months) == (
        "dense",
        3,
        2,
        3,
    )
    assert not scheme.public_lists


def test_a_rule_out_of_range_is_refused_and_nothing_changes(office_client, scheme):
    response = office_client.post(
        reverse("scheme_edit", args=[scheme.pk]),
        {"tie_rule": "dense", "list_size": "0", "bottom_count": "1", "bottom_months": "2"},
    )
    assert response.status_code == 200 and "确保该值大于或等于1。" in text(response)
    scheme.refresh_from_db()
    assert scheme.tie_rule == "competition" and scheme.list_size == 5


def test_the_rules_form_opens_with_the_saved_rules(office_client, world, scheme):
    schemes.update_scheme(scheme, by=world.evaluator, list_size=7, public_lists=True)
    page = text(office_client.get(reverse("scheme_edit", args=[scheme.pk])))
    assert 'name="list_size" value="7"' in page
    assert 'id="id_public_lists" checked' in page


# A version's indicators


def test_the_version_page_groups_indicators_and_says_each_rule_in_words(
    office_client, world, draft
):
    for name, section, values in [
        ("按期整改", "日常工作", {"metric": Metric.ON_TIME_RATE, "deduct_per": Decimal("0.2")}),
        ("逾期问题", "日常工作", {"metric": Metric.OVERDUE, "deduct_per": Decimal(1)}),
        ("群众扫码", "群众评价", {"metric": Metric.RATING_COUNT, "target": Decimal(200)}),
    ]:
        schemes.save_indicator(
            draft,
            by=world.evaluator,
            section=section,
            name=name,
            kind=IndicatorKind.COMPUTED,
            points=Decimal(30),
            **values,
        )
    page = text(office_client.get(reverse("scheme_version", args=[draft.pk])))
    assert "按期整改率，每低1个百分点扣0.2分" in page
    assert "逾期未整改问题每件扣1分" in page
    assert "评价数量，达到200条得满分" in page
    assert page.index("日常工作") < page.index("逾期问题") < page.index("群众评价")
    assert "（60分）" in page
    assert "各指标分值合计90分，不是100分，请核对。" in page
    assert reverse("indicator_create", args=[draft.pk]) in page
    assert reverse("version_issue", args=[draft.pk]) in page


def test_a_full_hundred_gives_no_warning(office_client, scheme):
    page = text(office_client.get(reverse("scheme_version", args=[scheme.versions.get().pk])))
    assert "不是100分" not in page and ">100<" in page


def test_an_issued_version_offers_no_edit_but_a_new_version(office_client, scheme):
    version = scheme.versions.get()
    page = text(office_client.get(reverse("scheme_version", args=[version.pk])))
    indicator = version.indicators.first()
    assert reverse("indicator_edit", args=[indicator.pk]) not in page
    assert reverse("indicator_create", args=[version.pk]) not in page
    assert reverse("version_issue", args=[version.pk]) not in page
    assert reverse("version_new", args=[scheme.pk]) in page


def test_an_issued_versions_indicator_cannot_be_changed(office_client, scheme):
    version = scheme.versions.get()
    indicator = version.indicators.get(name="日常督查")
    url = reverse("indicator_edit", args=[indicator.pk])
    response = office_client.post(url, indicator_data(kind="entered", points="5"), follow=True)
    assert "已发布的版本不能修改，请新建修订版本。" in text(response)
    response = office_client.post(reverse("indicator_delete", args=[indicator.pk]), follow=True)
    assert "已发布的版本不能修改，请新建修订版本。" in text(response)
    indicator.refresh_from_db()
    assert indicator.points == 20


def test_the_office_adds_a_rate_indicator_with_its_target_as_a_percentage(office_client, draft):
    response = office_client.post(
        reverse("indicator_create", args=[draft.pk]),
        indicator_data(target="95", round_kinds=["xuncha", "audit"]),
    )
    assert response.status_code == 302
    indicator = draft.indicators.get()
    assert indicator.target == Decimal("0.95") and indicator.round_kinds == ["xuncha", "audit"]
    assert indicator.cap == 40 and indicator.floor == 0
    assert rule_in_words(indicator).startswith("按期整改率，以95%为满分，每低1个百分点扣0.2分")


def test_a_computed_indicator_needs_a_metric(office_client, draft):
    response = office_client.post(
        reverse("indicator_create", args=[draft.pk]), indicator_data(metric="")
    )
    assert "系统计算的指标须选择计算指标。" in text(response)
    assert not draft.indicators.exists()


def test_a_floor_above_the_cap_is_refused_in_chinese(office_client, draft):
    response = office_client.post(
        reverse("indicator_create", args=[draft.pk]), indicator_data(floor="30", cap="20")
    )
    assert response.status_code == 400 and "最低分不能高于最高分。" in text(response)
    assert not draft.indicators.exists()


def test_an_entered_indicator_keeps_no_metric_or_target(office_client, draft):
    office_client.post(
        reverse("indicator_create", args=[draft.pk]),
        indicator_data(kind="entered", target="90", round_kinds=["audit"], starts_full=""),
    )
    indicator = draft.indicators.get()
    assert (indicator.metric, indicator.target, indicator.deduct_per) == ("", None, None)
    assert indicator.round_kinds == [] and not indicator.starts_full
    assert rule_in_words(indicator) == "从0分起加，按评价办录入的加分计分"


def test_the_indicator_form_opens_with_its_saved_values(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft,
        by=world.evaluator,
        section="日常工作",
        name="按期整改",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.ON_TIME_RATE,
        target=Decimal("0.9"),
        deduct_per=Decimal("0.5"),
        round_kinds=["audit"],
        points=Decimal(40),
    )
    page = text(office_client.get(reverse("indicator_edit", args=[indicator.pk])))
    assert 'name="target" value="90"' in page
    assert 'value="audit"' in page and 'name="deduct_per" value="0.50"' in page


def test_saving_an_indicator_unchanged_changes_nothing(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft,
        by=world.evaluator,
        section="日常工作",
        name="按期整改",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.ON_TIME_RATE,
        target=Decimal("0.95"),
        deduct_per=Decimal("0.5"),
        round_kinds=["audit"],
        points=Decimal(40),
        floor=Decimal(5),
    )
    before = Indicator.objects.filter(pk=indicator.pk).values().get()
    form = office_client.get(reverse("indicator_edit", args=[indicator.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["starts_full"] = "on" if data.pop("starts_full") else ""
    office_client.post(reverse("indicator_edit", args=[indicator.pk]), data)
    assert Indicator.objects.filter(pk=indicator.pk).values().get() == before


def test_a_volumes_target_opens_as_a_whole_number(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft,
        by=world.evaluator,
        section="群众评价",
        name="扫码评价数量",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.RATING_COUNT,
        target=Decimal(200),
        points=Decimal(10),
    )
    page = text(office_client.get(reverse("indicator_edit", args=[indicator.pk])))
    assert 'name="target" value="200"' in page


def test_a_full_rate_target_opens_as_100(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft,
        by=world.evaluator,
        section="日常工作",
        name="按期整改",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.ON_TIME_RATE,
        target=Decimal(1),
        points=Decimal(10),
    )
    page = text(office_client.get(reverse("indicator_edit", args=[indicator.pk])))
    assert 'name="target" value="100"' in page


def test_changing_an_indicators_points_moves_a_cap_left_at_the_points(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft, by=world.evaluator, section="日常督查", name="督查", kind="entered", points=20
    )
    office_client.post(
        reverse("indicator_edit", args=[indicator.pk]),
        indicator_data(kind="entered", section="日常督查", name="督查", points="25"),
    )
    indicator.refresh_from_db()
    assert indicator.points == 25 and indicator.cap == 25


def test_the_office_deletes_an_indicator_of_a_draft(office_client, world, draft):
    indicator = schemes.save_indicator(
        draft, by=world.evaluator, section="日常督查", name="督查", kind="entered", points=20
    )
    office_client.post(reverse("indicator_delete", args=[indicator.pk]))
    assert not draft.indicators.exists()


# Issuing and amending


def test_an_empty_draft_cannot_be_issued(office_client, draft):
    response = office_client.post(reverse("version_issue", args=[draft.pk]), follow=True)
    assert "请先添加考核指标。" in text(response)
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_office_issues_a_draft(office_client, world, draft):
    schemes.save_indicator(
        draft, by=world.evaluator, section="日常督查", name="督查", kind="entered", points=100
    )
    response = office_client.post(reverse("version_issue", args=[draft.pk]), follow=True)
    assert "第1版已发布，自2026年1月起施行。" in text(response)
    draft.refresh_from_db()
    assert not draft.is_draft and draft.issued_by == world.evaluator


def test_a_new_version_copies_the_indicators_into_a_draft(office_client, scheme):
    response = office_client.post(
        reverse("version_new", args=[scheme.pk]), {"month": "7", "note": "增加差评整改率"}
    )
    draft = SchemeVersion.objects.get(scheme=scheme, number=2)
    assert response["Location"] == reverse("scheme_version", args=[draft.pk])
    assert draft.effective_from == date(2025, 7, 1) and draft.note == "增加差评整改率"
    assert draft.indicators.count() == 3


def test_a_second_draft_is_refused_in_chinese(office_client, world, scheme):
    schemes.new_version(scheme, by=world.evaluator, effective_from=date(2025, 7, 1))
    response = office_client.post(reverse("version_new", args=[scheme.pk]), {"month": "8"})
    assert response.status_code == 400
    assert "已有未发布的修订稿，请先发布或修改它。" in text(response)


def test_a_version_cannot_start_in_a_month_already_locked(office_client, world, assessed):
    response = office_client.post(
        reverse("version_new", args=[assessed["scheme"].pk]), {"month": "10"}
    )
    assert "该月份及以后已有审核或锁定的考核，不能从此月起修订。" in text(response)
    assert assessed["scheme"].versions.count() == 1


# The rule in words


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"metric": Metric.GOOD_RATE}, "好评率，按比例得分，达到100%得满分"),
        ({"metric": Metric.OVERDUE}, "逾期未整改问题每件扣1分"),
        ({"metric": Metric.OVERDUE, "deduct_per": Decimal("0.5")}, "逾期未整改问题每件扣0.5分"),
        (
            {"metric": Metric.ORDERS_ON_TIME, "target": Decimal("0.9"), "deduct_per": Decimal(1)},
            "督办单按时答复率，以90%为满分，每低1个百分点扣1分",
        ),
    ],
)
def test_a_computed_rule_in_words(values, words):
    indicator = Indicator(kind=IndicatorKind.COMPUTED, points=Decimal(10), cap=Decimal(10))
    for name, value in values.items():
        setattr(indicator, name, value)
    assert rule_in_words(indicator).startswith(words)


def test_a_rule_in_words_names_its_round_kinds_floor_and_cap():
    indicator = Indicator(
        kind=IndicatorKind.COMPUTED,
        metric=Metric.OVERDUE,
        round_kinds=["xuncha", "audit"],
        points=Decimal(10),
        floor=Decimal(2),
        cap=Decimal(12),
    )
    assert (
        rule_in_words(indicator)
        == "逾期未整改问题每件扣1分（只统计巡察、审计轮次）；最低2分，最高12分"
    )


def test_the_list_reads_a_fixed_number_of_queries(
    office_client, world, scheme, django_assert_max_num_queries
):
    for year in (2023, 2024):
        schemes.create_scheme(scheme.group, by=world.evaluator, year=year, title=f"{year}年办法")
    units = [create_unit(f"街道{n}", Unit.Kind.UNIT, world.office) for n in range(3)]
    schemes.save_group(world.office, by=world.evaluator, name="街道", units=units)
    with django_assert_max_num_queries(QUERIES):
        office_client.get(reverse("scheme_list"))


def test_a_version_page_reads_a_fixed_number_of_queries(
    office_client, scheme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES):
        office_client.get(reverse("scheme_version", args=[scheme.versions.get().pk]))


def test_an_assessed_units_people_read_the_issued_rules_they_are_scored_by(client, world, assessed):
    client.force_login(world.leader)
    page = client.get(reverse("scheme_version", args=[assessed["version"].pk])).content.decode()
    assert (
        "日常督查" in page and "添加指标" not in page and 'href="/assessments/schemes/"' not in page
    )
