"""Rating points: the evaluation office sets them up for the units it oversees; the rated unit's
leader and 整改办 see them and print posters; a point is made inactive, never deleted."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.points import create_point, deactivate_point, update_point
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.evaluations.values import Mode
from zhenggai.lib.errors import NotAllowed, Refused


def _point(world, **changes):
    fields = {"unit": world.unit, "name": "综合窗口", "kind": "window", "mode": Mode.ON_SITE}
    return create_point(by=world.evaluator, **{**fields, **changes})


# The service


def test_the_evaluation_office_sets_up_a_point_with_a_code(world):
    point = _point(world, section=world.section)
    assert point.code and point.active and point.created_by == world.evaluator
    assert point.section == world.section


@pytest.mark.parametrize("who", ["leader", "rect_office", "inspector", "staff", "outside_leader"])
def test_only_the_evaluation_office_sets_up_points(world, who):
    with pytest.raises(NotAllowed) as refused:
        create_point(by=getattr(world, who), unit=world.unit, name="窗口", kind="window")
    assert "评价办" in refused.value.message
    assert not RatingPoint.objects.exists()


def test_a_unit_the_office_does_not_oversee_is_refused(world):
    with pytest.raises(NotAllowed):
        _point(world, unit=world.outside_unit)


def test_a_section_of_another_unit_is_refused(world):
    with pytest.raises(Refused) as refused:
        _point(world, section=world.outside_section)
    assert "所选科室不属于“区科技局”" in refused.value.message


def test_a_section_point_needs_its_section(world):
    with pytest.raises(Refused) as refused:
        _point(world, kind=RatingPoint.Kind.SECTION)
    assert "请选择科室" in refused.value.message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "请填写评价对象名称"),
        ({"name": "<b>窗口</b>"}, "不能含有 < 或 >"),
        ({"name": "窗" * 201}, "最多 200 个字"),
        ({"kind": "booth"}, "请选择评价对象类型"),
        ({"mode": "phone"}, "请选择服务方式"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, changes, message):
    with pytest.raises(Refused) as refused:
        _point(world, **changes)
    assert message in refused.value.message


def test_two_points_of_one_unit_have_two_names(world):
    _point(world)
    with pytest.raises(Refused) as refused:
        _point(world, name=" 综合窗口 ")
    assert "已有名为“综合窗口”的评价点" in refused.value.message


def test_an_edit_keeps_the_unit_and_the_code(world):
    point = _point(world)
    code = point.code
    update_point(
        point, by=world.evaluator, name="综合受理窗口", kind="window", mode=Mode.ONLINE,
        section=world.other_section, active=True,
    )  # fmt: skip
    point.refresh_from_db()
    assert (point.name, point.mode, point.section, point.code) == (
        "综合受理窗口",
        Mode.ONLINE,
        world.other_section,
        code,
    )


def test_a_rated_point_keeps_its_mode(world):
    point = _point(world)
    submit_rating(point, values={"level": "5"}, client="198.51.100.1")
    with pytest.raises(Refused) as refused:
        update_point(point, by=world.evaluator, name="综合窗口", kind="window", mode=Mode.ONLINE)
    assert "不能更改服务方式" in refused.value.message


def test_only_the_evaluation_office_edits_or_deactivates(world):
    point = _point(world)
    with pytest.raises(NotAllowed):
        update_point(point, by=world.leader, name="改名", kind="window", mode=Mode.ON_SITE)
    with pytest.raises(NotAllowed):
        deactivate_point(point, by=world.rect_office)
    point.refresh_from_db()
    assert point.name == "综合窗口" and point.active


def test_deactivating_keeps_the_point_and_its_ratings(world):
    point = _point(world)
    submit_rating(point, values={"level": "5"}, client="198.51.100.1")
    deactivate_point(point, by=world.evaluator)
    point.refresh_from_db()
    assert not point.active and point.ratings.count() == 1


# The pages


def test_the_office_lists_the_points_of_its_units(client, world, point, online_point):
    client.force_login(world.evaluator)
    html = client.get(reverse("point_list")).content.decode()
    assert point.name in html and online_point.name in html and point.code in html
    assert reverse("point_edit", args=[point.pk]) in html
    assert reverse("point_create") in html


def test_the_list_filters_by_unit_and_status(client, world, point):
    client.force_login(world.evaluator)
    deactivate_point(point, by=world.evaluator)
    assert point.name not in client.get(reverse("point_list")).content.decode()
    html = client.get(reverse("point_list"), {"status": "inactive", "unit": world.unit.pk})
    assert point.name in html.content.decode()
    assert reverse("unit_posters", args=[world.unit.pk]) in html.content.decode()


@pytest.mark.parametrize("who", ["leader", "rect_office"])
def test_the_unit_sees_its_points_read_only(client, world, point, who):
    client.force_login(getattr(world, who))
    html = client.get(reverse("point_list")).content.decode()
    assert point.name in html and reverse("point_poster", args=[point.pk]) in html
    assert reverse("point_edit", args=[point.pk]) not in html
    assert reverse("point_create") not in html
    assert client.get(reverse("point_edit", args=[point.pk])).status_code == 403
    assert client.get(reverse("point_create")).status_code == 403
    assert client.post(reverse("point_deactivate", args=[point.pk])).status_code == 403
    assert client.get(reverse("point_poster", args=[point.pk])).status_code == 200


@pytest.mark.parametrize("who", ["staff", "inspector", "discipline"])
def test_others_in_scope_do_not_get_the_point_pages(client, world, point, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("point_list")).status_code == 403
    assert client.get(reverse("point_poster", args=[point.pk])).status_code in (403, 404)
    assert client.get(reverse("unit_posters", args=[world.unit.pk])).status_code == 404


def test_an_outsider_gets_404_for_anothers_points(client, world, point):
    client.force_login(world.outside_leader)
    assert client.get(reverse("point_edit", args=[point.pk])).status_code == 404
    assert client.get(reverse("point_poster", args=[point.pk])).status_code == 404
    assert client.get(reverse("unit_posters", args=[world.unit.pk])).status_code == 404
    assert point.name not in client.get(reverse("point_list")).content.decode()


def test_the_list_makes_few_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        _point(world, name=f"窗口{n}", section=world.section if n % 2 else None)
    client.force_login(world.evaluator)
    client.get(reverse("point_list"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("point_list")).status_code == 200


def test_the_create_form_offers_only_the_offices_units_and_their_sections(client, world):
    client.force_login(world.evaluator)
    html = client.get(reverse("point_create")).content.decode()
    assert "区科技局" in html and "办公室" in html
    assert "市财政局" not in html and "预算科" not in html


def test_the_office_creates_a_point_by_the_form(client, world):
    client.force_login(world.evaluator)
    data = {
        "unit": world.unit.pk,
        "section": world.section.pk,
        "kind": "window",
        "name": "不动产登记窗口",
        "mode": Mode.ON_SITE,
        "active": "on",
    }
    response = client.post(reverse("point_create"), data)
    assert response.status_code == 302
    point = RatingPoint.objects.get()
    assert (point.name, point.section, point.active) == ("不动产登记窗口", world.section, True)


def test_a_form_naming_a_unit_outside_the_office_is_not_saved(client, world):
    client.force_login(world.evaluator)
    data = {"unit": world.outside_unit.pk, "kind": "unit", "name": "财政局", "mode": Mode.ON_SITE}
    response = client.post(reverse("point_create"), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not RatingPoint.objects.exists()


def test_a_refused_create_keeps_the_form(client, world, point):
    client.force_login(world.evaluator)
    data = {"unit": world.unit.pk, "kind": "window", "name": point.name, "mode": Mode.ON_SITE}
    response = client.post(reverse("point_create"), data)
    assert response.status_code == 400
    assert "已有名为" in response.content.decode()
    assert RatingPoint.objects.count() == 1


def test_the_edit_form_saves_and_deactivates(client, world, point):
    client.force_login(world.evaluator)
    page = client.get(reverse("point_edit", args=[point.pk])).content.decode()
    assert point.name in page and f"/r/{point.code}/?c=device" in page
    data = {
        "section": world.section.pk,
        "kind": "window",
        "name": "科技服务窗口",
        "mode": Mode.ON_SITE,
    }
    assert client.post(reverse("point_edit", args=[point.pk]), data).status_code == 302
    point.refresh_from_db()
    assert point.name == "科技服务窗口" and not point.active  # the box was left unticked


def test_the_edit_form_saved_unchanged_changes_nothing(client, world, point):
    client.force_login(world.evaluator)
    before = RatingPoint.objects.filter(pk=point.pk).values().get()
    form = client.get(reverse("point_edit", args=[point.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name != "unit" and value not in (None, False)
    }
    data["active"] = "on"
    assert client.post(reverse("point_edit", args=[point.pk]), data).status_code == 302
    assert RatingPoint.objects.filter(pk=point.pk).values().get() == before


def test_the_deactivate_button(client, world, point):
    client.force_login(world.evaluator)
    response = client.post(reverse("point_deactivate", args=[point.pk]))
    assert response.status_code == 302
    point.refresh_from_db()
    assert not point.active
    assert client.get(reverse("point_poster", args=[point.pk])).status_code == 302


def test_the_unit_downloads_all_its_active_posters_as_one_pdf(client, world, point, online_point):
    _point(world, name="已停用窗口", active=False)
    client.force_login(world.leader)
    response = client.get(reverse("unit_posters", args=[world.unit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.content)) as doc:
        texts = [page.extract_text() for page in doc.pages]
    assert len(texts) == 2
    assert any(point.name in t for t in texts) and any(online_point.name in t for t in texts)
