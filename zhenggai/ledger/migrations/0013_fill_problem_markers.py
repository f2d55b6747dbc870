"""Fill what 0012 added for the problems already in the ledger.

- `unassigned`: a problem with no active measure, or with an open one lacking its 责任人 or the
  date it is to be done by, has a grey light rather than a green one.
- `concern`: every concern raised so far is still open (none could be answered before), so a
  problem with one is marked as waiting for an answer.
- Returns of a close-out were written as plain state changes. Those from 待销号审核 to 整改中 can
  only have been returns and are named so; one from 已销号 may have been a reopening and stays.
"""

from django.db import migrations
from django.db.models import Q

SUBMITTED_TO_IN_PROGRESS = ["待销号审核", "整改中"]


def fill(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Measure = apps.get_model("ledger", "Measure")
    Flag = apps.get_model("ledger", "Flag")
    Event = apps.get_model("ledger", "Event")
    active = Measure.objects.filter(withdrawn=False)
    gaps = active.filter(completed_on__isnull=True).filter(
        Q(owner__isnull=True) | Q(deadline_kind="date", deadline__isnull=True)
    )
    Problem.objects.update(unassigned=False)
    Problem.objects.filter(
        ~Q(id__in=active.values("problem_id")) | Q(id__in=gaps.values("problem_id"))
    ).update(unassigned=True)
    Problem.objects.filter(id__in=Flag.objects.values("problem_id")).update(concern="open")
    transitions = Event.objects.filter(action="transition", object_type="problem")
    returns = [
        event.pk
        for event in transitions.only("id", "changes").iterator(chunk_size=2000)
        if event.changes.get("状态") == SUBMITTED_TO_IN_PROGRESS
    ]
    for start in range(0, len(returns), 500):
        Event.objects.filter(pk__in=returns[start : start + 500]).update(action="returned")


def unfill(apps, schema_editor):
    apps.get_model("ledger", "Event").objects.filter(action="returned").update(
        action="transition"
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0012_flag_status_and_problem_markers")]

    operations = [migrations.RunPython(fill, unfill)]
