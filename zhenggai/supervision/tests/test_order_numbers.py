"""Numbers of 督办单 and 催办单: per issuing office, kind and year, no gap and no repeat, even
when twenty are issued at once (SQLite and, under scripts/with-postgres, PostgreSQL)."""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.supervision import numbering
from zhenggai.supervision.models import Escalation, OrderCounter
from zhenggai.supervision.services import issue_escalation
from zhenggai.testing import grant, make_user, make_world

LATER = timezone.localdate() + timedelta(days=7)
YEAR = timezone.localdate().year


def issue(problem, by, kind=Escalation.Kind.SUPERVISE):
    return issue_escalation(problem, by=by, level=1, demand="限期整改", due_on=LATER, kind=kind)


def test_numbers_run_per_office_and_per_kind(world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    first = issue(problem, world.inspector)
    second = issue(problem, world.inspector)
    urge = issue(problem, world.inspector, Escalation.Kind.URGE)
    own = issue(problem, world.rect_office)  # the unit's own office: the unit's numbers
    assert (first.office, first.serial, first.number) == (world.office, 1, f"〔{YEAR}〕第1号")
    assert (second.serial, urge.serial, urge.office) == (2, 1, world.office)
    assert (own.office, own.serial) == (world.unit, 1)
    assert str(second).startswith(f"督办单〔{YEAR}〕第2号")


def test_numbers_restart_each_year(world):
    problem = world.problem(approve=True)
    with transaction.atomic():
        assert numbering.next_serial(world.office, Escalation.Kind.SUPERVISE, 2025) == 1
        assert numbering.next_serial(world.office, Escalation.Kind.SUPERVISE, 2025) == 2
    order = issue(problem, world.inspector)
    assert (order.year, order.serial) == (YEAR, 1)
    assert OrderCounter.objects.get(office=world.office, year=2025).last == 2


def test_a_block_of_numbers_follows_on_without_a_gap(world):
    with transaction.atomic():
        assert numbering.next_serials(world.unit, Escalation.Kind.URGE, YEAR, 3) == range(1, 4)
        assert numbering.next_serial(world.unit, Escalation.Kind.URGE, YEAR) == 4
        assert numbering.next_serials(world.unit, Escalation.Kind.URGE, YEAR, 2) == range(5, 7)


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_orders_transaction():
    office = create_unit("区委巡察办", Unit.Kind.OFFICE)
    with pytest.raises(RuntimeError):
        numbering.next_serial(office, Escalation.Kind.SUPERVISE, YEAR)
    assert not OrderCounter.objects.exists()


def test_an_issue_that_rolls_back_gives_its_number_back(world, monkeypatch):
    problem = world.problem(approve=True)
    issue(problem, world.inspector)

    def broken(*args, **kwargs):
        raise RuntimeError("history could not be written")

    monkeypatch.setattr("zhenggai.supervision.services.record", broken)
    with pytest.raises(RuntimeError):
        issue(problem, world.inspector)
    monkeypatch.undo()
    assert Escalation.objects.count() == 1
    assert issue(problem, world.inspector).serial == 2


def test_the_number_shows_in_the_list_on_the_problem_and_in_history(client, world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    order = issue(problem, world.inspector, Escalation.Kind.URGE)
    client.force_login(world.inspector)
    label = f"催办单〔{YEAR}〕第1号"
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert label in page
    assert reverse("order_docx", args=[order.pk]) in page
    listing = client.get(reverse("escalation_list")).content.decode()
    assert label in listing and reverse("order_pdf", args=[order.pk]) in listing
    event = problem.events.get(object_type="escalation")
    assert event.changes["编号"] == ["", label]


def test_the_list_filters_by_kind(client, world, django_assert_max_num_queries):
    problem = world.problem(approve=True)
    for n in range(3):
        issue(problem, world.inspector)
        issue(problem, world.inspector, Escalation.Kind.URGE if n else Escalation.Kind.SUPERVISE)
    client.force_login(world.inspector)
    with django_assert_max_num_queries(12):
        urges = client.get(reverse("escalation_list"), {"kind": "urge"})
    rows = urges.context["page"].object_list
    assert {e.kind for e in rows} == {"urge"} and len(rows) == 2
    assert dict((v, n) for v, _, n in urges.context["statuses"])["open"] == 2
    everything = client.get(reverse("escalation_list"), {"kind": "nonsense"})
    assert len(everything.context["page"].object_list) == 6 and everything.context["kind"] == ""


def test_the_form_issues_a_reminder_order(client, world):
    problem = world.problem(approve=True)
    client.force_login(world.rect_office)
    response = client.post(
        reverse("escalation_create", args=[problem.pk]),
        {"kind": "urge", "level": "1", "demand": "请抓紧整改", "due_on": LATER.isoformat()},
        follow=True,
    )
    order = Escalation.objects.get()
    assert (order.kind, order.office, order.serial) == ("urge", world.unit, 1)
    assert f"催办单〔{YEAR}〕第1号已下发" in response.content.decode()
    refused = client.post(
        reverse("escalation_create", args=[problem.pk]),
        {"kind": "memo", "level": "1", "demand": "x", "due_on": LATER.isoformat()},
    )
    assert refused.status_code == 200 and "kind" in refused.context["form"].errors
    assert Escalation.objects.count() == 1


CONCURRENT = """
import os
import subprocess
import sys
import threading
import django
django.setup()
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import issue_escalation
from zhenggai.testing import grant, make_user, make_world

world = make_world()
problem = world.problem("并发督办", approve=True)
issuers = []
for n in range(20):
    user = make_user(f"issuer{n}")
    grant(user, world.office, Role.INSPECTION_OFFICE)
    issuers.append(user)
barrier = threading.Barrier(20)
errors = []


def work(user):
    try:
        barrier.wait(timeout=60)
        issue_escalation(
            problem, by=user, level=1, demand="限期整改",
            due_on=timezone.localdate() + timedelta(days=7),
        )
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


threads = [threading.Thread(target=work, args=(user,)) for user in issuers]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
serials = sorted(Escalation.objects.filter(office=world.office).values_list("serial", flat=True))
print(errors)
print(serials)
"""


def _issue_twenty_at_once(world) -> list:
    """Twenty issuers in threads, each with its own connection, released by one barrier."""
    issuers = []
    for n in range(20):
        user = make_user(f"issuer{n}")
        grant(user, world.office, Role.INSPECTION_OFFICE)
        issuers.append(user)
    problem = world.problem("并发督办", approve=True)
    barrier = threading.Barrier(20)
    errors = []

    def work(user):
        try:
            barrier.wait(timeout=60)
            issue(problem, user)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(user,)) for user in issuers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.skipif(connection.vendor == "sqlite", reason="in-memory SQLite shares one lock")
@pytest.mark.django_db(transaction=True)
def test_twenty_orders_issued_at_once_are_numbered_one_to_twenty():
    """PostgreSQL (scripts/with-postgres): the counter's row lock queues the issuers."""
    world = make_world()
    assert _issue_twenty_at_once(world) == []
    serials = sorted(
        Escalation.objects.filter(office=world.office).values_list("serial", flat=True)
    )
    assert serials == list(range(1, 21))
    assert OrderCounter.objects.get(office=world.office, kind="supervise").last == 20


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file setup")
def test_twenty_orders_issued_at_once_on_a_sqlite_file_are_numbered_one_to_twenty(tmp_path):
    """SQLite: twenty threads of one process, each with its own connection to a database file
    (the in-memory test database cannot show the race); IMMEDIATE transactions queue them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DATABASE_"))}
    env.update(
        ZHENGGAI_DEBUG="true",
        ZHENGGAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
    )

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("-m", "zhenggai.cli", "migrate", "-v0").returncode == 0
    result = run("-c", CONCURRENT)
    assert result.returncode == 0, result.stderr[-2000:]
    errors, serials = result.stdout.strip().splitlines()[-2:]
    assert errors == "[]"
    assert serials == str(list(range(1, 21)))
