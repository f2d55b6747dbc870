"""Completion percentages through the API: reported with progress on a measure (the same rules
as the form), read on measures, reports and problems (read-only there), and in the schema."""

import pytest
from django.core.management import call_command

from zhenggai.ledger import services
from zhenggai.ledger.models import ProgressReport

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/reports/"


def report(client, problem, **body):
    body = {"problem": problem.pk, "text": "已完成制度起草", **body}
    return client.post(REPORTS, body, format="multipart")


def test_a_percentage_reported_through_the_api_becomes_the_measures(bearer, world):
    problem = world.problem(measures=2, approve=True)
    measure = world.measure(problem)
    api = bearer(world.staff)
    response = report(api, problem, measure=measure.pk, percent=60)
    assert response.status_code == 201, response.json()
    assert response.json()["percent"] == 60
    got = api.get(f"/api/v1/measures/{measure.pk}/").json()
    assert (got["percent"], got["done_percent"]) == (60, 60)
    assert api.get(f"/api/v1/problems/{problem.pk}/").json()["percent"] == 30


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"percent": 101}, "percent", None),
        ({"percent": -1}, "percent", None),
        ({"percent": "六十"}, "percent", None),
        ({"percent": 50, "measure": None}, "percent", "完成进度须针对具体措施填报。"),
    ],
)
def test_a_refused_percentage_is_a_400_naming_the_field(bearer, world, body, field, message):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    body = {"measure": measure.pk, **body}
    body = {k: v for k, v in body.items() if v is not None}
    response = report(bearer(world.staff), problem, **body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not ProgressReport.objects.exists()
    measure.refresh_from_db()
    assert measure.percent == 0


def test_another_units_problem_is_not_found_and_its_measure_unchanged(bearer, world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    response = report(bearer(world.outsider), problem, measure=measure.pk, percent=90)
    assert response.status_code == 404
    measure.refresh_from_db()
    assert measure.percent == 0


def test_a_problems_percentage_cannot_be_written(bearer, world):
    problem = world.problem(approve=True)
    services.report_progress(
        problem, by=world.staff, text="进展", measure=world.measure(problem), percent=40
    )
    api = bearer(world.leader)
    response = api.patch(f"/api/v1/problems/{problem.pk}/", {"percent": 100}, format="json")
    assert response.status_code in (400, 403, 405)
    problem.refresh_from_db()
    assert problem.percent == 40


def test_the_schema_has_the_percentages(tmp_path):
    import yaml

    path = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(path))
    schemas = yaml.safe_load(path.read_text())["components"]["schemas"]
    assert schemas["Problem"]["properties"]["percent"]["readOnly"]
    assert schemas["Measure"]["properties"]["percent"]["readOnly"]
    assert schemas["Measure"]["properties"]["done_percent"]["readOnly"]
    assert schemas["ProgressReport"]["properties"]["percent"]["readOnly"]
    create = schemas["ProgressReportCreateRequest"]["properties"]["percent"]
    assert (create["minimum"], create["maximum"], create["nullable"]) == (0, 100, True)
    assert schemas["Dashboard"]["properties"]["average_percent"]["nullable"]
