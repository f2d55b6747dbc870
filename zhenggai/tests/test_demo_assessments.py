"""The demo shows the monthly assessment at every stage: months published with their rankings,
the bottom-rank 约谈 held with commitments in the ledger, a clue with the discipline group, and
the latest month open for the visitor."""

from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse

from zhenggai.assessments.access import reads_office, runs
from zhenggai.assessments.models import AssessmentMonth, Clue, Entry, Interview, Score
from zhenggai.assessments.values import IndicatorKind, MonthState
from zhenggai.demo.load import PASSWORD, load_demo
from zhenggai.ledger.models import Problem


def test_the_demo_publishes_months_and_holds_a_bottom_rank_interview(db):
    demo = load_demo()
    published = AssessmentMonth.objects.filter(state=MonthState.PUBLISHED)
    assert published.count() == 6  # three months of each group
    assert {m.scheme.group.name for m in published} == {"部门", "街道"}
    for month in published:
        ranks = list(month.results.order_by("rank").values_list("rank", flat=True))
        assert len(ranks) == month.scheme.group.units.count() and ranks[0] == 1
        assert month.results.filter(at_bottom=True).exists()
    assert {m.version.number for m in published} == {1, 2}, "amended from the third month"
    open_months = AssessmentMonth.objects.filter(state=MonthState.OPEN)
    assert open_months.count() == 2
    assert all(m.month > published.order_by("-month").first().month for m in open_months)
    assert Entry.objects.filter(reason="电话接听不及时", amount=-0.5).exists()
    assert not Score.objects.filter(
        indicator__kind=IndicatorKind.IMPORTED, imported__isnull=True
    ).exists()
    computed = Score.objects.filter(indicator__kind=IndicatorKind.COMPUTED, denominator__gt=0)
    assert computed.exclude(value=1).exists(), "computed figures reflect the months' ledger"
    assert computed.filter(indicator__metric="orders_on_time").exists()

    interview = Interview.objects.get()
    assert interview.trigger == Interview.Trigger.BOTTOM
    assert interview.state == Interview.State.HELD and interview.minutes
    problems = Problem.objects.filter(pk__in=interview.commitments.values("problem_id"))
    assert problems.count() == 2 and all(p.unit_id == interview.unit_id for p in problems)
    clue = Clue.objects.get()
    assert clue.interview == interview

    office = demo["office"]
    pingjia = authenticate(username="pingjia", password=PASSWORD)
    jijian = authenticate(username="jijian", password=PASSWORD)
    assert runs(pingjia, office.pk)
    assert reads_office(jijian, office.pk) and not runs(jijian, office.pk)


def test_the_demo_accounts_open_the_assessment(db):
    load_demo()
    month = AssessmentMonth.objects.filter(state=MonthState.PUBLISHED).order_by("-month").first()
    for username in ("pingjia", "jijian", "shuji"):
        client = Client()
        assert client.login(username=username, password=PASSWORD), username
        assert client.get(reverse("assessment_home")).status_code == 200, username
        assert client.get(reverse("month_detail", args=[month.pk])).status_code == 200, username


def test_the_demo_publishes_the_departments_lists_to_the_public(db, client):
    from zhenggai.assessments.models import Scheme

    load_demo()
    scheme = Scheme.objects.get(public_lists=True)
    assert scheme.group.name == "部门"
    page = client.get(reverse("public_lists", args=[scheme.pk])).content.decode()
    assert "红榜" in page and "黑榜" in page
