"""Orders of two offices carry numbers of their own series (区委巡察办's 第1号 and the unit's 整改办's
第1号 are different orders): every place that shows a number names the office with it, the list
has the office's column and runs newest first, and the print names who supervises whom."""

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from docx import Document

from zhenggai.orgs.models import Role
from zhenggai.supervision import order_document
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import answer_escalation, issue_escalation

LATER = timezone.localdate() + timedelta(days=7)
YEAR = timezone.localdate().year
INSPECTION = f"区委巡察办 督办单〔{YEAR}〕第1号"
OWN = f"区科技局整改办 督办单〔{YEAR}〕第1号"


def issue(problem, by, kind=Escalation.Kind.SUPERVISE, level=1):
    return issue_escalation(problem, by=by, level=level, demand="限期整改", due_on=LATER, kind=kind)


def two_first_orders(world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    return problem, issue(problem, world.rect_office), issue(problem, world.inspector)


def test_each_order_is_named_by_its_office_kind_and_number(world):
    problem, own, inspection = two_first_orders(world)
    assert (own.serial, inspection.serial) == (1, 1)  # the numbering stays per office
    assert (own.issuer_name, inspection.issuer_name) == ("区科技局整改办", "区委巡察办")
    assert (own.reference, inspection.reference) == (OWN, INSPECTION)


def test_an_order_from_before_numbering_is_named_by_the_role_it_was_issued_in(world):
    problem, own, inspection = two_first_orders(world)
    Escalation.objects.update(office=None, year=None, serial=None)
    own, inspection = (Escalation.objects.get(pk=e.pk) for e in (own, inspection))
    assert own.issuer_name == "区科技局整改办" and not own.number
    assert inspection.issuer_name == Role.INSPECTION_OFFICE.label
    assert inspection.reference == "巡察办 督办单（未编号）"


def test_the_list_names_the_office_and_runs_newest_first(
    client, world, django_assert_max_num_queries
):
    problem, own, inspection = two_first_orders(world)
    later = issue(problem, world.inspector)
    week_ago = timezone.now() - timedelta(days=7)
    Escalation.objects.filter(pk=own.pk).update(issued_at=week_ago)
    Escalation.objects.filter(pk=later.pk).update(issued_at=week_ago - timedelta(days=1))
    answer_escalation(
        Escalation.objects.get(pk=inspection.pk), by=world.rect_office, answer="已整改"
    )
    client.force_login(world.inspector)
    with django_assert_max_num_queries(12):
        everything = client.get(reverse("escalation_list"))
    rows = list(everything.context["page"].object_list)
    # open before answered; within a status, the latest issued first
    assert [e.pk for e in rows] == [own.pk, later.pk, inspection.pk]
    page = everything.content.decode()
    assert "<th>下发机关</th>" in page
    assert (
        'data-label="下发机关">区科技局整改办<' in page
        and 'data-label="下发机关">区委巡察办<' in page
    )
    opened = client.get(reverse("escalation_list"), {"status": "open"}).context["page"]
    assert [e.pk for e in opened.object_list] == [own.pk, later.pk]


def test_the_problem_answer_and_decide_pages_and_history_name_the_office(client, world):
    problem, own, inspection = two_first_orders(world)
    client.force_login(world.inspector)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert page.count(OWN) >= 2 and page.count(INSPECTION) >= 2  # the orders and the history
    client.force_login(world.rect_office)
    answer = client.get(reverse("escalation_answer", args=[inspection.pk])).content.decode()
    assert f"<h1>答复{INSPECTION}</h1>" in answer
    answer_escalation(inspection, by=world.rect_office, answer="已整改")
    client.force_login(world.inspector)
    decide = client.get(reverse("escalation_decide", args=[inspection.pk])).content.decode()
    assert f"<h1>办结{INSPECTION}</h1>" in decide
    issued = client.post(
        reverse("escalation_create", args=[problem.pk]),
        {"kind": "supervise", "level": "2", "demand": "请抓紧", "due_on": LATER.isoformat()},
        follow=True,
    )
    assert f"区委巡察办 督办单〔{YEAR}〕第2号已下发" in issued.content.decode()


def test_the_print_of_the_units_own_office_names_it_and_the_sections_it_supervises(world):
    problem, own, inspection = two_first_orders(world)
    world.measure(problem).responsible_sections.add(world.other_section)
    own = Escalation.objects.select_related("problem__unit", "office").get(pk=own.pk)
    document = Document(BytesIO(order_document.order_docx(own)))
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["督办单位"] == "区科技局整改办"
    assert rows["被督办单位"] == "区科技局 办公室、综合科"
    assert document.paragraphs[1].text == f"区科技局整改办　〔{YEAR}〕第1号"
    assert (
        order_document.file_name(own, ".docx")
        == f"区科技局整改办督办单〔{YEAR}〕第1号·区科技局.docx"
    )
    inspection_rows = dict(order_document.rows_of(inspection))
    assert inspection_rows["督办单位"] == ["区委巡察办"]
    assert inspection_rows["被督办单位"] == ["区科技局"]
