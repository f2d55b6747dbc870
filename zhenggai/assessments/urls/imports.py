"""The score imports pages' addresses: a month's third-party scores from Excel."""

from django.urls import path

from zhenggai.assessments import import_views as views

urlpatterns = [
    path(
        "assessments/months/<int:pk>/imports/template/",
        views.score_import_template,
        name="score_import_template",
    ),
    path(
        "assessments/months/<int:pk>/imports/",
        views.score_import_upload,
        name="score_import_upload",
    ),
    path(
        "assessments/months/<int:pk>/imports/preview/",
        views.score_import_preview,
        name="score_import_preview",
    ),
    path(
        "assessments/months/<int:pk>/imports/confirm/",
        views.score_import_confirm,
        name="score_import_confirm",
    ),
]
