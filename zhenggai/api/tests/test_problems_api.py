import pytest

from zhenggai.ledger.models import Event, State

pytestmark = pytest.mark.django_db
LIST = "/api/v1/problems/"


def test_the_anonymous_get_401_in_the_one_error_shape(api, world):
    response = api.get(LIST)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录或提供接口令牌。"}


def test_a_token_lists_what_its_person_sees_filtered_as_the_ledger(bearer, world):
    mine = world.problem("学习贯彻不深入", approve=True)
    world.problem("另一个问题")
    other = world.problem("外单位问题", round=world.outside_round)
    client = bearer(world.leader, "read")
    found = client.get(LIST).json()
    assert found["count"] == 2 and other.pk not in [p["id"] for p in found["results"]]
    in_progress = client.get(LIST, {"state": State.IN_PROGRESS}).json()
    assert [p["id"] for p in in_progress["results"]] == [mine.pk]
    assert client.get(f"{LIST}{other.pk}/").status_code == 404
    assert bearer(world.outside_leader, "read").get(f"{LIST}{mine.pk}/").status_code == 404


def test_pages_are_limited(bearer, world, settings):
    settings.API_MAX_PAGE = 1
    world.problem("一")
    world.problem("二")
    page = bearer(world.leader, "read").get(LIST, {"limit": 50}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_a_transition_runs_the_workflow_with_its_history(bearer, world):
    problem = world.problem(approve=True)
    client = bearer(world.rect_office)
    url = f"{LIST}{problem.pk}/transitions/submit_for_close_out/"
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "refused"
    done = client.post(url, {"note": "已按期整改"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == State.SUBMITTED
    assert Event.objects.filter(problem=problem, note="已按期整改").exists()


def test_a_transition_the_person_may_not_take_is_forbidden(bearer, world):
    problem = world.problem(approve=True)
    url = f"{LIST}{problem.pk}/transitions/close_out/"
    response = bearer(world.staff).post(url, {}, format="json")
    assert response.status_code in (400, 403)
    assert response.json()["message"]


def test_a_read_only_token_writes_nothing(bearer, world):
    problem = world.problem(approve=True)
    url = f"{LIST}{problem.pk}/transitions/submit_for_close_out/"
    response = bearer(world.rect_office, "read").post(url, {"note": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    problem.refresh_from_db()
    assert problem.state == State.IN_PROGRESS


def test_the_schema_and_its_documentation_are_served_without_a_cdn(client, world):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)
    client.force_login(world.leader)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/problems/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "unpkg" not in docs
