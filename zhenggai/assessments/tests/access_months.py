"""The month's URLs for the access matrix: the ranking of the published month, a unit's
sheet, the rows behind a figure and an entry's evidence are the unit's to read; starting a
month, its state actions, entries and the history are the office's."""

from django.core.files.base import ContentFile
from django.urls import reverse

from zhenggai.assessments.models import Entry
from zhenggai.lib import samples


def _entry_with_file(objs) -> Entry:
    """An entry on the world's unit in the published month, with evidence to download."""
    if "entry_with_file" not in objs:
        entry = objs["entry"]
        objs["entry_with_file"] = Entry.objects.create(
            month=entry.month,
            unit=entry.unit,
            indicator=entry.indicator,
            amount=-1,
            reason="会议缺席",
            occurred_on=entry.occurred_on,
            created_by=entry.created_by,
            file=ContentFile(samples.png(), name="evidence.png"),
            original_name="通知截图.png",
            content_type="image/png",
        )
    return objs["entry_with_file"]


def cases(objs) -> dict:
    month, unit, entry = objs["month"], objs["unit"], objs["entry"]
    open_month = objs["open_month"]
    computed = month.version.indicators.get(name="按期整改")
    sheet = [month.pk, unit.pk]
    return {
        "assessment_home": ("get", reverse("assessment_home"), None, "unit"),
        "month_open": (
            "post",
            reverse("month_open"),
            {"scheme": objs["scheme"].pk, "month": "2025-09"},
            "office",
        ),
        "month_detail": ("get", reverse("month_detail", args=[month.pk]), None, "unit"),
        "month_compute": ("post", reverse("month_compute", args=[open_month.pk]), None, "office"),
        "month_review": ("post", reverse("month_review", args=[open_month.pk]), None, "office"),
        "month_reopen": (
            "post",
            reverse("month_reopen", args=[open_month.pk]),
            {"reason": "重评"},
            "office",
        ),
        "month_lock": ("post", reverse("month_lock", args=[open_month.pk]), None, "office"),
        "month_publish": ("post", reverse("month_publish", args=[open_month.pk]), None, "office"),
        "month_history": ("get", reverse("month_history", args=[month.pk]), None, "office"),
        "unit_sheet": ("get", reverse("unit_sheet", args=sheet), None, "unit"),
        "entry_create": (
            "post",
            reverse("entry_create", args=[open_month.pk, unit.pk]),
            {
                "indicator": open_month.version.indicators.get(name="日常督查").pk,
                "amount": "-1",
                "reason": "越权录入",
                "occurred_on": "2025-12-03",
            },
            "office",
        ),
        "figure_detail": (
            "get",
            reverse("figure_detail", args=[*sheet, computed.pk]),
            None,
            "unit",
        ),
        "entry_withdraw": (
            "post",
            reverse("entry_withdraw", args=[entry.pk]),
            {"reason": "越权撤销"},
            "office",
        ),
        "entry_file": (
            "get",
            reverse("entry_file", args=[_entry_with_file(objs).pk]),
            None,
            "unit",
        ),
    }
