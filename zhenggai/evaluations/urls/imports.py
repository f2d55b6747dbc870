from django.urls import path

from zhenggai.evaluations import import_views as views

urlpatterns = [
    path("evaluations/imports/", views.rating_import_list, name="rating_import_list"),
    path("evaluations/imports/new/", views.rating_import_upload, name="rating_import_upload"),
    path(
        "evaluations/imports/template/",
        views.rating_import_template,
        name="rating_import_template",
    ),
    path(
        "evaluations/imports/<int:pk>/", views.rating_import_preview, name="rating_import_preview"
    ),
    path(
        "evaluations/imports/<int:pk>/confirm/",
        views.rating_import_confirm,
        name="rating_import_confirm",
    ),
    path(
        "evaluations/imports/<int:pk>/discard/",
        views.rating_import_discard,
        name="rating_import_discard",
    ),
]
