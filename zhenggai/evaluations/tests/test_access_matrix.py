"""Every evaluation page, form and download, against every role that must not reach it.

A user of another unit reaches nothing of unit A's; a rated unit's own people never see what a
rater gave (case number, phone) or the keyed hashes, on any page; the public pages need no
login and everything else does. Every URL of the evaluations app has a case here
(`test_the_matrix_covers_every_evaluation_url` fails otherwise).
"""

from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from zhenggai.evaluations import bulletins, imports
from zhenggai.evaluations.models import Appeal, Rating, RatingImport, RatingPoint
from zhenggai.evaluations.services import appeals
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.evaluations.values import Period
from zhenggai.lib import samples

PHONE = "13987654321"
CASE = "JIA-2026-SECRET"
SECRET = "甲单位的差评原因"
# Open to anyone: the rating page and its thanks.
PUBLIC = {"rate", "rate_thanks"}
# Pages that list what the user may see: 200 for anyone signed in, without unit A's data.
LISTS = {"evaluation_home", "rating_list", "appeal_list"}
# Pages of an office's own work that touch no unit's data until used: 200 or 403.
OWN_FORMS = {
    "point_list",
    "point_create",
    "bulletin_list",
    "bulletin_new",
    "rating_import_list",
    "rating_import_upload",
    "rating_import_template",
}
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def unit_a(world):
    point = RatingPoint.objects.create(
        unit=world.unit, section=world.section, kind="window", name="甲单位窗口", mode="on_site"
    )
    at = timezone.make_aware(datetime(2026, 8, 4, 10, 0))
    values = {"level": "1", "comment": SECRET, "phone": PHONE, "case_number": CASE}
    rating = submit_rating(point, values=values, client="198.51.100.1", device="d" * 24, at=at)
    for n in range(3):
        submit_rating(point, values={"level": "5"}, client=f"192.0.2.{n}", at=at)
    evidence = SimpleUploadedFile("甲.pdf", samples.pdf())
    appeal = appeals.file_appeal(
        rating, by=world.leader, ground="mistaken", statement="甲单位申诉", evidence=evidence
    )
    bulletin = bulletins.issue_bulletin(
        world.office, Period(datetime(2026, 7, 1).date(), 3), by=world.evaluator, min_sample=1
    )
    upload = SimpleUploadedFile("平台导出.xlsx", (SAMPLES / "ratings_one.xlsx").read_bytes())
    draft = imports.start_import(upload, by=world.evaluator, office=world.office)
    return {
        "point": point,
        "rating": rating,
        "appeal": appeal,
        "bulletin": bulletin,
        "unit": world.unit,
        "draft": draft,
    }


def cases(objs):
    """name → (method, url, data) touching unit A's records."""
    point, rating = objs["point"], objs["rating"]
    p, r, a, b = point.pk, rating.pk, objs["appeal"].pk, objs["bulletin"].pk
    u, d = objs["unit"].pk, objs["draft"].pk
    sample = SimpleUploadedFile("x.xlsx", (SAMPLES / "ratings_one.xlsx").read_bytes())
    return {
        "rating_import_list": ("get", reverse("rating_import_list"), None),
        "rating_import_upload": (
            "post",
            reverse("rating_import_upload"),
            {"file": sample, "kind": "ratings"},
        ),
        "rating_import_template": ("get", reverse("rating_import_template"), None),
        "rating_import_preview": ("get", reverse("rating_import_preview", args=[d]), None),
        "rating_import_confirm": ("post", reverse("rating_import_confirm", args=[d]), {}),
        "rating_import_discard": ("post", reverse("rating_import_discard", args=[d]), {}),
        "rate": ("get", reverse("rate", args=[point.code]), None),
        "rate_thanks": ("get", reverse("rate_thanks", args=[point.code]), None),
        "evaluation_home": ("get", reverse("evaluation_home"), None),
        "evaluation_unit": ("get", reverse("evaluation_unit", args=[u]), None),
        "rating_list": ("get", reverse("rating_list") + f"?unit={u}", None),
        "rating_detail": ("get", reverse("rating_detail", args=[r]), None),
        "callback_create": (
            "post",
            reverse("callback_create", args=[r]),
            {"caller": "混入", "called_at": "2026-11-25T15:30", "outcome": "satisfied"},
        ),
        "appeal_create": (
            "post",
            reverse("appeal_create", args=[r]),
            {"ground": "mistaken", "statement": "混入"},
        ),
        "appeal_list": ("get", reverse("appeal_list") + "?status=all", None),
        "appeal_decide": (
            "post",
            reverse("appeal_decide", args=[a]),
            {"decision": "uphold", "reason": "混入"},
        ),
        "appeal_evidence": ("get", reverse("appeal_evidence", args=[a]), None),
        "point_list": ("get", reverse("point_list") + f"?unit={u}", None),
        "point_create": (
            "post",
            reverse("point_create"),
            {"unit": u, "kind": "unit", "name": "混入", "mode": "on_site"},
        ),
        "point_edit": ("post", reverse("point_edit", args=[p]), {"name": "混入"}),
        "point_deactivate": ("post", reverse("point_deactivate", args=[p]), {}),
        "point_poster": ("get", reverse("point_poster", args=[p]), None),
        "unit_posters": ("get", reverse("unit_posters", args=[u]), None),
        "bulletin_list": ("get", reverse("bulletin_list"), None),
        "bulletin_new": ("get", reverse("bulletin_new"), None),
        "bulletin_detail": ("get", reverse("bulletin_detail", args=[b]), None),
        "bulletin_docx": ("get", reverse("bulletin_docx", args=[b]), None),
        "bulletin_xlsx": ("get", reverse("bulletin_xlsx", args=[b]), None),
    }


def evaluation_url_names(patterns=None, inside=False):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            urlconf = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            yield from evaluation_url_names(
                entry.url_patterns, inside or urlconf == "zhenggai.evaluations.urls"
            )
        elif isinstance(entry, URLPattern) and inside:
            yield entry.name


def _fake():
    class Fake:
        pk = 1
        code = "abcdefgh"

    return dict.fromkeys(["point", "rating", "appeal", "bulletin", "unit", "draft"], Fake())


def test_the_matrix_covers_every_evaluation_url():
    assert set(evaluation_url_names()) == set(cases(_fake()))


def _body(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def _untouched(objs):
    rating = Rating.objects.get(pk=objs["rating"].pk)
    assert not rating.callbacks.exists() and not rating.excluded
    assert Appeal.objects.get(pk=objs["appeal"].pk).status == "open"
    assert not RatingPoint.objects.filter(name="混入").exists()
    assert RatingPoint.objects.get(pk=objs["point"].pk).active
    assert RatingImport.objects.get(pk=objs["draft"].pk).status == "open"


@pytest.mark.parametrize("name", sorted(cases(_fake())))
@pytest.mark.parametrize("who", ["outsider", "outside_leader"])
def test_a_user_of_another_unit_reaches_nothing(client, world, unit_a, name, who):
    client.force_login(getattr(world, who))
    method, url, data = cases(unit_a)[name]
    response = getattr(client, method)(url, data or {})
    body = _body(response)
    if name in PUBLIC:
        assert response.status_code == 200 and PHONE not in body and SECRET not in body
    elif name in LISTS or name in OWN_FORMS:
        assert response.status_code in (200, 403), f"{name} answered {response.status_code}"
        for secret in (SECRET, "甲单位窗口", PHONE, CASE):
            assert secret not in body, f"{name} shows unit A's data to {who}"
    else:
        assert response.status_code in (403, 404), f"{name} answered {response.status_code}"
    _untouched(unit_a)


GETS = sorted(name for name, case in cases(_fake()).items() if case[0] == "get")


@pytest.mark.parametrize("name", GETS)
@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "discipline"])
def test_the_rated_unit_never_sees_the_rater(client, world, unit_a, name, who):
    """背靠背: on no page do the unit's own people (or the discipline group) see a rater's
    case number or phone, or the keyed hashes of their device and address."""
    client.force_login(getattr(world, who))
    method, url, data = cases(unit_a)[name]
    body = _body(client.get(url))
    rating = unit_a["rating"]
    for secret in (PHONE, CASE, rating.client_hash[:10], rating.device_hash[:10]):
        assert secret not in body, f"{name} shows {secret} to {who}"


@pytest.mark.parametrize("name", ["rating_detail", "rating_list", "callback_create"])
def test_the_evaluation_office_does_see_the_rater(client, world, unit_a, name):
    """The positive control of the test above."""
    client.force_login(world.evaluator)
    method, url, data = cases(unit_a)[name]
    assert PHONE in _body(client.get(url))


def test_anonymous_users_are_sent_to_login(client, world, unit_a):
    for name, (method, url, data) in cases(unit_a).items():
        response = getattr(client, method)(url, data or {})
        if name in PUBLIC:
            assert response.status_code in (200, 302, 400), name
            assert "/login/" not in response.get("Location", "")
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], name
    _untouched(unit_a)
