"""Date the problems already rectified: the day they were closed out or marked long-term.

A verified problem's state changed again when it was verified, so its day is taken from the
close-out in its history. Whether it was on time cannot be known afterwards and stays empty.
"""

from django.db import migrations
from django.utils import timezone

RECTIFIED = ("closed", "verified", "long_term")


def fill(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Event = apps.get_model("ledger", "Event")
    for problem in Problem.objects.filter(state__in=RECTIFIED).only(
        "id", "state", "state_changed_at"
    ):
        at = problem.state_changed_at
        if problem.state == "verified":
            events = Event.objects.filter(
                problem_id=problem.pk, action="transition", object_type="problem"
            ).order_by("-at")
            for event in events.only("at", "changes"):
                if (event.changes.get("状态") or [None, None])[-1] == "已销号":
                    at = event.at
                    break
        Problem.objects.filter(pk=problem.pk).update(rectified_on=timezone.localdate(at))


def clear(apps, schema_editor):
    apps.get_model("ledger", "Problem").objects.update(rectified_on=None, rectified_on_time=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_supervision_fields")]

    operations = [migrations.RunPython(fill, clear)]
