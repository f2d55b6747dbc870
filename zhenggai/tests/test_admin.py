"""System administrators read the ledger in the admin but cannot change or delete it there."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "model",
    [
        "ledger/problem",
        "ledger/measure",
        "ledger/event",
        "rounds/inspectionround",
        "orgs/unit",
        "orgs/membership",
        "reports/notice",
        "reports/documenttemplate",
        "public/opinion",
    ],
)
def test_admin_lists_open_for_a_superuser(client, world, model):
    world.problem()
    client.force_login(world.admin)
    assert client.get(f"/admin/{model}/").status_code == 200


def test_ledger_rows_cannot_be_deleted_or_changed_in_the_admin(client, world):
    problem = world.problem()
    client.force_login(world.admin)
    assert (
        client.post(f"/admin/ledger/problem/{problem.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(f"/admin/ledger/problem/{problem.pk}/change/", {"title": "改"})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.title == "学习贯彻不深入"


def test_ordinary_users_are_kept_out_of_the_admin(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
