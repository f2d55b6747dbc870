"""The outputs' URLs for the access matrix: the published month's 通报 and ranking files and
the trends (the unit's people read them), and the public 红黑榜 (anyone)."""

from django.urls import reverse

from zhenggai.assessments.models import Scheme


def cases(objs) -> dict:
    month = objs["month"]
    # The public 红黑榜 answers only for a scheme that publishes it.
    Scheme.objects.filter(pk=objs["scheme"].pk).update(public_lists=True)
    return {
        "month_bulletin_docx": (
            "get",
            reverse("month_bulletin_docx", args=[month.pk]),
            None,
            "unit",
        ),
        "month_ranking_xlsx": ("get", reverse("month_ranking_xlsx", args=[month.pk]), None, "unit"),
        "assessment_trends": ("get", reverse("assessment_trends"), None, "unit"),
        "public_lists": ("get", reverse("public_lists", args=[objs["scheme"].pk]), None, "public"),
        "public_lists_index": ("get", reverse("public_lists_index"), None, "public"),
    }
