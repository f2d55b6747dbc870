"""The pages of an import draft beyond its upload and preview (zhenggai/urls.py): its progress
while the worker reads it, its scan's page images, giving it up; and the sample files."""

from django.urls import path

from zhenggai.ledger import import_reading_views as views

urlpatterns = [
    path(
        "rounds/<int:round_pk>/import/<int:pk>/progress/",
        views.import_progress,
        name="import_progress",
    ),
    path(
        "rounds/<int:round_pk>/import/<int:pk>/pages/<int:number>/",
        views.import_page_image,
        name="import_page_image",
    ),
    path(
        "rounds/<int:round_pk>/import/<int:pk>/discard/",
        views.import_discard,
        name="import_discard",
    ),
    path(
        "rounds/import/<int:pk>/progress/",
        views.round_import_progress,
        name="round_import_progress",
    ),
    path(
        "rounds/import/<int:pk>/pages/<int:number>/",
        views.round_import_page_image,
        name="round_import_page_image",
    ),
    path(
        "rounds/import/<int:pk>/discard/",
        views.round_import_discard,
        name="round_import_discard",
    ),
    path("imports/samples/<str:name>", views.import_sample, name="import_sample"),
]
