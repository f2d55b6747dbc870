"""The schemes pages' addresses: groups, schemes, versions and their indicators."""

from django.urls import path

from zhenggai.assessments import scheme_views as views

urlpatterns = [
    path("assessments/schemes/", views.scheme_list, name="scheme_list"),
    path(
        "assessments/offices/<int:office_pk>/groups/new/", views.group_create, name="group_create"
    ),
    path("assessments/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path(
        "assessments/offices/<int:office_pk>/schemes/new/",
        views.scheme_create,
        name="scheme_create",
    ),
    path("assessments/schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("assessments/schemes/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("assessments/versions/<int:pk>/", views.scheme_version, name="scheme_version"),
    path("assessments/versions/<int:pk>/issue/", views.version_issue, name="version_issue"),
    path(
        "assessments/versions/<int:pk>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("assessments/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        "assessments/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"
    ),
]
