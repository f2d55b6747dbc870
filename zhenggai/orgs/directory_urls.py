from django.urls import path

from zhenggai.orgs import directory_views as views

urlpatterns = [
    path("directory/", views.directory_home, name="directory_home"),
    path("directory/template.xlsx", views.directory_template, name="directory_template"),
    path("directory/export.xlsx", views.directory_export, name="directory_export"),
    path("directory/<int:pk>/", views.directory_preview, name="directory_preview"),
    path("directory/<int:pk>/confirm/", views.directory_confirm, name="directory_confirm"),
    path("directory/<int:pk>/discard/", views.directory_discard, name="directory_discard"),
    path("setup/", views.setup, name="setup"),
]
