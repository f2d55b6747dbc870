"""The set-up pages' URLs for the access matrix: all of them the office's (its discipline group
reads the list and the versions)."""

from django.urls import reverse


def cases(objs) -> dict:
    group, scheme, version = objs["group"], objs["scheme"], objs["version"]
    office = scheme.office_id
    indicator = objs["indicator"]
    unit = objs["unit"].pk
    new_group = {"name": "园区", "units": [unit]}
    rules = {"tie_rule": "dense", "list_size": 3, "bottom_count": 1, "bottom_months": 2}
    new_scheme = {"group": group.pk, "year": 2026, "title": "2026年考核办法", **rules}
    new_indicator = {"section": "日常工作", "name": "加分", "kind": "entered", "points": "5"}
    return {
        "scheme_list": ("get", reverse("scheme_list"), None, "office"),
        "group_create": ("post", reverse("group_create", args=[office]), new_group, "office"),
        "group_edit": ("post", reverse("group_edit", args=[group.pk]), new_group, "office"),
        "scheme_create": ("post", reverse("scheme_create", args=[office]), new_scheme, "office"),
        "scheme_edit": ("post", reverse("scheme_edit", args=[scheme.pk]), rules, "office"),
        "version_new": (
            "post",
            reverse("version_new", args=[scheme.pk]),
            {"month": 12, "note": "修订"},
            "office",
        ),
        "scheme_version": ("get", reverse("scheme_version", args=[version.pk]), None, "unit"),
        "version_issue": ("post", reverse("version_issue", args=[version.pk]), None, "office"),
        "indicator_create": (
            "post",
            reverse("indicator_create", args=[version.pk]),
            new_indicator,
            "office",
        ),
        "indicator_edit": (
            "post",
            reverse("indicator_edit", args=[indicator.pk]),
            new_indicator,
            "office",
        ),
        "indicator_delete": (
            "post",
            reverse("indicator_delete", args=[indicator.pk]),
            None,
            "office",
        ),
    }
