"""我的任务 lists the rounds whose progress sheet the user fills in, with the download and the
import, found in one query: a section's staff member with measures in many rounds finds them
there, not only on each round's page."""

from django.urls import reverse

from zhenggai.ledger.progress_import import progress_rounds
from zhenggai.orgs.access import scope_for


def test_the_rounds_are_those_the_user_reports_on_by_sheet(world):
    world.problem(approve=True)
    world.problem(round=world.outside_round)
    assert progress_rounds(world.staff) == [world.round]
    assert progress_rounds(world.rect_office) == [world.round]
    assert progress_rounds(world.leader) == [world.round]
    assert progress_rounds(world.outside_leader) == [world.outside_round]
    for name in ("other_staff", "discipline", "inspector"):
        assert progress_rounds(getattr(world, name)) == [], name


def test_a_round_without_an_open_problem_left_is_not_listed(world):
    assert progress_rounds(world.staff) == []


def test_the_rounds_are_found_in_one_query(world, django_assert_num_queries):
    world.problem(approve=True)
    world.problem("第二个问题", approve=True)
    scope_for(world.staff)
    with django_assert_num_queries(1):
        assert progress_rounds(world.staff) == [world.round]


def test_my_tasks_links_the_sheet_and_the_import_of_each_round(world, client):
    world.problem(approve=True)
    client.force_login(world.staff)
    body = client.get(reverse("my_tasks")).content.decode()
    assert "进度填报表" in body
    assert reverse("progress_sheet_download", args=[world.round.pk]) in body
    assert reverse("progress_import_list", args=[world.round.pk]) in body
    client.force_login(world.discipline)
    body = client.get(reverse("my_tasks")).content.decode()
    assert reverse("progress_sheet_download", args=[world.round.pk]) not in body
    assert 'id="progress-sheets"' not in body
