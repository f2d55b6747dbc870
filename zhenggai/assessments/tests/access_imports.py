"""The import of third-party scores, for the access matrix (test_access_matrix.py)."""

from django.urls import reverse


def cases(objs) -> dict:
    month = objs["open_month"].pk
    return {
        "score_import_template": (
            "get",
            reverse("score_import_template", args=[month]),
            None,
            "office",
        ),
        "score_import_upload": (
            "get",
            reverse("score_import_upload", args=[month]),
            None,
            "office",
        ),
        "score_import_preview": (
            "get",
            reverse("score_import_preview", args=[month]),
            None,
            "office",
        ),
        "score_import_confirm": (
            "post",
            reverse("score_import_confirm", args=[month]),
            None,
            "office",
        ),
    }
