"""The 通报's pages: the office previews and issues, reads and downloads; the discipline group
of the office reads; everyone else is refused (403 for the pages, 404 for a bulletin)."""

import pytest
from django.urls import reverse

from zhenggai.evaluations.bulletins import issue_bulletin
from zhenggai.evaluations.models import Bulletin
from zhenggai.evaluations.tests.bulletin_data import Q3, rate, rated_unit
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.testing import grant, make_user

NEW = reverse("bulletin_new")
Q3_QUERY = {"period": Q3.key, "min_sample": "30", "bottom": "1"}


@pytest.fixture
def ranked(world):
    rated_unit(world.office, "区发改局", {5: 40})
    rated_unit(world.office, "区审计局", {1: 5})
    rate(world.unit, {4: 10, 2: 20, 1: 10})
    return world


@pytest.fixture
def bulletin(ranked):
    return issue_bulletin(ranked.office, Q3, by=ranked.evaluator, min_sample=30, bottom=1)


@pytest.fixture
def office_discipline(world):
    user = make_user("office_discipline")
    grant(user, world.office, Role.DISCIPLINE)
    return user


def test_the_office_previews_the_ranking_of_a_period(client, ranked):
    client.force_login(ranked.evaluator)
    response = client.get(NEW, Q3_QUERY)
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026年第三季度评价结果（预览）" in text
    assert text.index("区发改局") < text.index("区科技局") < text.index("区审计局")
    assert "样本不足（少于 30 条）" in text
    assert "在2026年第三季度营商环境“背靠背”评价中排名第2（共2个单位）" in text
    assert "签发通报</button>" in text
    assert not Bulletin.objects.exists()


def test_the_preview_defaults_to_the_last_complete_period(client, ranked):
    client.force_login(ranked.evaluator)
    response = client.get(NEW)
    assert response.status_code == 200
    assert response.context["ranking"].min_sample == 30


@pytest.mark.parametrize(
    "query",
    [
        {"period": "garbage"},
        {"period": "2026-13-01+3"},
        {"period": "2026-08-01+3"},  # not the first day of a quarter
        {"period": "2126-01-01+3"},  # not over
        {"min_sample": "abc"},
        {"min_sample": "0"},
        {"bottom": "999"},
        {"office": "999999"},
    ],
)
def test_a_bad_choice_is_answered_in_chinese_not_with_an_error(client, ranked, query):
    client.force_login(ranked.evaluator)
    response = client.get(NEW, query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert response.context["ranking"] is None
    response = client.post(NEW, {**Q3_QUERY, **query})
    assert response.status_code == 400 and not Bulletin.objects.exists()


def test_the_office_issues_and_is_taken_to_the_bulletin(client, ranked):
    client.force_login(ranked.evaluator)
    response = client.post(NEW, {**Q3_QUERY, "confirm": "on"}, follow=True)
    bulletin = Bulletin.objects.get()
    assert response.redirect_chain == [(reverse("bulletin_detail", args=[bulletin.pk]), 302)]
    text = response.content.decode()
    assert "通报已签发；已为 1 个排名靠后单位开设整改轮次。" in text
    (row,) = [r for r in bulletin.rows if r["bottom"]]
    assert reverse("round_detail", args=[row["round_id"]]) in text


def test_issuing_needs_the_box_ticked(client, ranked):
    client.force_login(ranked.evaluator)
    response = client.post(NEW, Q3_QUERY)
    assert response.status_code == 400 and "已核对排名" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_a_second_issue_is_refused_on_the_page(client, bulletin, ranked):
    client.force_login(ranked.evaluator)
    page = client.get(NEW, Q3_QUERY).content.decode()
    assert "本期通报已于" in page and "签发通报</button>" not in page
    response = client.post(NEW, {**Q3_QUERY, "confirm": "on"})
    assert response.status_code == 400
    assert "不能重复签发" in response.content.decode()
    assert Bulletin.objects.count() == 1


def test_the_office_and_its_discipline_group_read_the_bulletins(
    client, bulletin, ranked, office_discipline, django_assert_max_num_queries
):
    for user in (ranked.evaluator, office_discipline):
        client.force_login(user)
        with django_assert_max_num_queries(8):
            listed = client.get(reverse("bulletin_list"))
        assert bulletin.title in listed.content.decode()
        detail = client.get(reverse("bulletin_detail", args=[bulletin.pk]))
        assert detail.status_code == 200
        for name in ("bulletin_docx", "bulletin_xlsx"):
            assert client.get(reverse(name, args=[bulletin.pk])).status_code == 200
    assert client.get(NEW).status_code == 403  # the discipline group reads, never issues


def test_the_list_stays_at_a_few_queries_with_many_bulletins(
    client, ranked, django_assert_max_num_queries
):
    for months in (1, 3, 6, 12):
        for start in ("2025-01-01", "2024-01-01"):
            Bulletin.objects.create(
                office=ranked.office,
                title=f"通报{start}+{months}",
                period_start=start,
                period_months=months,
                min_sample=30,
                bottom=3,
                rows=[],
                created_by=ranked.evaluator,
            )
    client.force_login(ranked.evaluator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("bulletin_list"))
    assert response.content.decode().count("/evaluations/bulletins/") >= 8


def test_units_and_outsiders_are_refused(client, bulletin, ranked):
    other = make_user("other_evaluator")
    grant(other, Unit.objects.get(name="市委巡察办"), Role.EVALUATION_OFFICE)
    below = make_user("unit_evaluator")
    grant(below, ranked.unit, Role.EVALUATION_OFFICE)
    pages = [
        reverse(n, args=[bulletin.pk])
        for n in ("bulletin_detail", "bulletin_docx", "bulletin_xlsx")
    ]
    units = (ranked.leader, ranked.rect_office, ranked.staff, ranked.discipline, ranked.outsider)
    for user in (*units, ranked.inspector, below):
        client.force_login(user)
        assert client.get(reverse("bulletin_list")).status_code == 403, user
        assert client.get(NEW).status_code == 403, user
        assert client.post(NEW, Q3_QUERY).status_code == 403, user
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(other)  # another office's evaluation office
    assert client.get(reverse("bulletin_list")).status_code == 200
    for url in pages:
        assert client.get(url).status_code == 404
    response = client.post(NEW, {**Q3_QUERY, "office": ranked.office.pk})
    assert response.status_code == 400  # not one of its offices
    assert Bulletin.objects.count() == 1
    client.logout()
    assert client.get(reverse("bulletin_list")).status_code == 302


def test_an_office_without_evaluated_units_previews_an_empty_ranking(client, world):
    office = create_unit("市营商办", Unit.Kind.OFFICE)
    evaluator = make_user("city_evaluator")
    grant(evaluator, office, Role.EVALUATION_OFFICE)
    client.force_login(evaluator)
    response = client.get(NEW, {"period": Q3.key})
    assert response.status_code == 200
    assert "本评价机构下还没有设置评价点的单位" in response.content.decode()
