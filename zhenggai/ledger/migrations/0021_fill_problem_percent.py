"""Existing problems' completion: 100 for those closed out or rectified, else the mean of their
active measures' (completed ones count 100), as ledger.schedule.percent_of works it out."""

from django.db import migrations

CLOSED = ("closed", "verified")


def fill(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Measure = apps.get_model("ledger", "Measure")
    done = {}
    for problem_id, completed in Measure.objects.filter(withdrawn=False).values_list(
        "problem_id", "completed_on"
    ):
        done.setdefault(problem_id, []).append(100 if completed else 0)
    Problem.objects.filter(state__in=CLOSED).update(percent=100)
    Problem.objects.filter(rectified_on__isnull=False).update(percent=100)
    for problem_id, state, rectified in Problem.objects.exclude(state__in=CLOSED).values_list(
        "id", "state", "rectified_on"
    ):
        if rectified is None and problem_id in done:
            values = done[problem_id]
            percent = sum(values) // len(values)
            if percent:
                Problem.objects.filter(pk=problem_id).update(percent=percent)


def empty(apps, schema_editor):
    apps.get_model("ledger", "Problem").objects.update(percent=0)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0020_progress_percent_and_imports")]

    operations = [migrations.RunPython(fill, empty)]
