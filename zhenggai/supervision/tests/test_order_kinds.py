"""A 催办单 is not a 督办单: the problem page offers each, the form does not ask a 催办单's level
(it has none; the column keeps the lowest), pages and print leave the level out, history words
its lines by kind, and 我的任务 lists each order by office, kind and number."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhenggai.supervision import order_document
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import answer_escalation, decide_escalation, issue_escalation

LATER = timezone.localdate() + timedelta(days=7)
YEAR = timezone.localdate().year


def issue(problem, by, kind, level=Escalation.Level.KEY):
    return issue_escalation(
        problem, by=by, level=level, demand="请抓紧整改", due_on=LATER, kind=kind
    )


def test_the_problem_page_offers_a_supervision_and_a_reminder_order(client, world):
    problem = world.problem(approve=True)
    client.force_login(world.inspector)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    create = reverse("escalation_create", args=[problem.pk])
    assert f'href="{create}?kind=supervise">下发督办单<' in page
    assert f'href="{create}?kind=urge">下发催办单<' in page
    form = client.get(create, {"kind": "urge"})
    assert form.context["form"]["kind"].value() == "urge"
    urge = form.context["form"]["kind"].subwidgets[1]
    assert urge.data["value"] == "urge" and "checked" in str(urge.tag())
    assert "supervision/order_form.js" in form.content.decode()
    assert client.get(create, {"kind": "memo"}).context["form"]["kind"].value() == "supervise"


def test_a_reminder_order_is_issued_without_a_level_and_keeps_the_lowest(client, world):
    problem = world.problem(approve=True)
    client.force_login(world.rect_office)
    create = reverse("escalation_create", args=[problem.pk])
    response = client.post(
        create, {"kind": "urge", "demand": "请抓紧整改", "due_on": LATER.isoformat()}, follow=True
    )
    assert f"区科技局整改办 催办单〔{YEAR}〕第1号已下发" in response.content.decode()
    assert Escalation.objects.get().level == Escalation.Level.SUPERVISE
    refused = client.post(
        create, {"kind": "supervise", "demand": "请抓紧整改", "due_on": LATER.isoformat()}
    )
    assert refused.context["form"].errors["level"] == ["请选择督办级别。"]
    assert Escalation.objects.count() == 1


def test_the_service_gives_a_reminder_order_the_lowest_level_whatever_it_is_asked(world):
    problem = world.problem(approve=True)
    order = issue(problem, world.inspector, Escalation.Kind.URGE, level=Escalation.Level.LISTED)
    problem.refresh_from_db()
    assert order.level == Escalation.Level.SUPERVISE
    assert problem.escalation_level == 0  # the ledger's marker counts 督办单 only
    event = problem.events.get(object_type="escalation")
    assert "督办级别" not in event.changes and event.changes["编号"][1].startswith("催办单")


def test_pages_and_print_show_no_level_for_a_reminder_order(client, world):
    problem = world.problem(approve=True)
    order = issue(problem, world.inspector, Escalation.Kind.URGE)
    client.force_login(world.rect_office)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    escalations = page[page.index('id="escalations"') : page.index('id="history"')]
    assert "区委巡察办 催办单" in escalations and "esc esc-" not in escalations
    answer = client.get(reverse("escalation_answer", args=[order.pk])).content.decode()
    assert "督办级别" not in answer and "催办要求" in answer
    listing = client.get(reverse("escalation_list")).content.decode()
    assert "esc esc-" not in listing
    rows = dict(order_document.rows_of(order))
    assert "督办级别" not in rows and "催办要求" in rows and rows["催办单位"] == ["区委巡察办"]
    supervise = issue(problem, world.inspector, Escalation.Kind.SUPERVISE)
    assert dict(order_document.rows_of(supervise))["督办级别"] == ["重点督办"]


def test_history_words_each_line_by_the_kind_of_order(client, world):
    problem = world.problem(approve=True)
    urge = issue(problem, world.inspector, Escalation.Kind.URGE)
    answer_escalation(urge, by=world.rect_office, answer="已整改")
    decide_escalation(urge, by=world.inspector, accept=True, note="")
    supervise = issue(problem, world.inspector, Escalation.Kind.SUPERVISE)
    client.force_login(world.inspector)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    history = page[page.index('id="history"') :]
    name = f'<span class="order-ref">区委巡察办 催办单〔{YEAR}〕第1号</span>'
    for line in ("下发催办单", "答复催办单", "催办单办结或退回"):
        assert f"{line} {name}" in history
    assert f'下发督办单 <span class="order-ref">{supervise.reference}</span>' in history
    assert "答复督办 " not in history and "下发督办单 " + name not in history
    assert history.count("督办级别：") == 1  # the 督办单's only


def test_my_tasks_lists_each_order_by_office_kind_and_number(
    client, world, django_assert_max_num_queries
):
    problem = world.problem(approve=True)
    for _ in range(3):
        issue(problem, world.inspector, Escalation.Kind.URGE)
        issue(problem, world.inspector, Escalation.Kind.SUPERVISE)
    client.force_login(world.rect_office)
    with django_assert_max_num_queries(40) as queries:
        page = client.get(reverse("my_tasks")).content.decode()
    orders = [q["sql"] for q in queries.captured_queries if "supervision_escalation" in q["sql"]]
    assert len(orders) == 2  # to answer, to decide: offices and units read with them
    tasks = page[page.index("<h2>督办单和催办单</h2>") :]
    for n in (1, 2, 3):
        assert f"区委巡察办 催办单〔{YEAR}〕第{n}号</b> <a" in tasks
        assert f'区委巡察办 督办单〔{YEAR}〕第{n}号</b> <span class="esc esc-2">重点督办' in tasks
