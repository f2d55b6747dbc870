"""Every assessment page, form and download, against every role that must not reach it.

Each area lists its cases in `access_<area>.py` beside this file: `cases(objs)` gives
name → (method, url, data, who), where `who` says who may reach it:
  - "office": the office's 评价办 only (and its discipline group, for a GET);
  - "unit": the office, and the assessed unit's own leaders, 整改办 and discipline group;
  - "public": anyone, signed in or not (the published 红黑榜); left out of the refusals.
A user of another unit, a section's staff and the anonymous reach none of them; the unit's own
people reach no "office" case. Every URL of the app must have a case
(`test_the_matrix_covers_every_assessment_url` fails otherwise).
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

AREAS = sorted(p.stem for p in Path(__file__).parent.glob("access_*.py"))


def all_cases(objs) -> dict:
    found = {}
    for area in AREAS:
        module = importlib.import_module(f"zhenggai.assessments.tests.{area}")
        found.update(module.cases(objs))
    return found


def _names(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _names(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry.name


def assessment_url_names() -> set[str]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.urlconf_name is not None:
            module = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            if module == "zhenggai.assessments.urls":
                return set(_names(entry.url_patterns))
    raise AssertionError("the assessment urls are not included")


def _refused(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/login" in response["Location"]
    )


def _call(client, method, url, data):
    return getattr(client, method)(url, data or {})


def test_the_matrix_covers_every_assessment_url(assessed):
    assert assessment_url_names() - set(all_cases(assessed)) == set()


@pytest.mark.parametrize("who", ["outsider", "outside_leader", "staff", "other_staff", "inspector"])
def test_people_outside_reach_nothing(client, world, assessed, who):
    client.force_login(getattr(world, who))
    reached = {
        name
        for name, (method, url, data, kind) in all_cases(assessed).items()
        if kind != "public" and not _refused(_call(client, method, url, data))
    }
    assert reached == set()


def test_the_anonymous_reach_nothing(client, assessed):
    reached = {
        name
        for name, (method, url, data, kind) in all_cases(assessed).items()
        if kind != "public" and not _refused(_call(client, method, url, data))
    }
    assert reached == set()


@pytest.mark.parametrize("who", ["leader", "rect_office", "discipline"])
def test_the_units_own_people_reach_no_office_page(client, world, assessed, who):
    client.force_login(getattr(world, who))
    reached = {
        name
        for name, (method, url, data, kind) in all_cases(assessed).items()
        if kind == "office" and not _refused(_call(client, method, url, data))
    }
    assert reached == set()


@pytest.mark.parametrize("who", ["leader", "rect_office"])
def test_the_units_own_people_read_what_is_theirs(client, world, assessed, who):
    client.force_login(getattr(world, who))
    refused = {
        name
        for name, (method, url, data, kind) in all_cases(assessed).items()
        if kind == "unit" and method == "get" and _refused(_call(client, method, url, data))
    }
    assert refused == set()


def test_the_office_reaches_every_page(client, world, assessed):
    client.force_login(world.evaluator)
    refused = {
        name
        for name, (method, url, data, _) in all_cases(assessed).items()
        if method == "get" and _refused(_call(client, method, url, data))
    }
    assert refused == set()
