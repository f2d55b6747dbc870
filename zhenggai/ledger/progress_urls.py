"""URLs of progress by Excel (included from zhenggai.urls)."""

from django.urls import path

from zhenggai.ledger import progress_import_views as views

urlpatterns = [
    path(
        "rounds/<int:round_pk>/progress-sheet/",
        views.progress_sheet_download,
        name="progress_sheet_download",
    ),
    path(
        "rounds/<int:round_pk>/progress-imports/",
        views.progress_import_list,
        name="progress_import_list",
    ),
    path(
        "rounds/<int:round_pk>/progress-imports/new/",
        views.progress_import_upload,
        name="progress_import_upload",
    ),
    path("progress-imports/<int:pk>/", views.progress_import_detail, name="progress_import_detail"),
    path(
        "progress-imports/<int:pk>/confirm/",
        views.progress_import_confirm,
        name="progress_import_confirm",
    ),
    path(
        "progress-imports/<int:pk>/status/",
        views.progress_import_status,
        name="progress_import_status",
    ),
    path(
        "progress-imports/<int:pk>/discard/",
        views.progress_import_discard,
        name="progress_import_discard",
    ),
]
