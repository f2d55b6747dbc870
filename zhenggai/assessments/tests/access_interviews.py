"""The 约谈 and clue pages, for the access matrix (test_access_matrix.py)."""

from django.urls import reverse


def cases(objs) -> dict:
    interview, clue = objs["interview"], objs["clue"]
    return {
        "interview_list": ("get", reverse("interview_list"), None, "unit"),
        "interview_detail": ("get", reverse("interview_detail", args=[interview.pk]), None, "unit"),
        "interview_create": (
            "post",
            reverse("interview_create"),
            {"office": interview.office_id, "unit": interview.unit_id, "reason": "约谈"},
            "office",
        ),
        "interview_schedule": (
            "get",
            reverse("interview_schedule", args=[interview.pk]),
            None,
            "office",
        ),
        "interview_record": (
            "get",
            reverse("interview_record", args=[interview.pk]),
            None,
            "office",
        ),
        "clue_list": ("get", reverse("clue_list"), None, "office"),
        "clue_create": (
            "get",
            reverse("clue_create") + f"?interview={interview.pk}",
            None,
            "office",
        ),
        "clue_receive": ("post", reverse("clue_receive", args=[clue.pk]), None, "office"),
    }
