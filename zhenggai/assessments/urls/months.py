"""The months pages' addresses."""

from django.urls import path

from zhenggai.assessments import month_views as views

M = "assessments/months/<int:pk>/"
SHEET = M + "units/<int:unit>/"

urlpatterns = [
    path("assessments/", views.assessment_home, name="assessment_home"),
    path("assessments/months/open/", views.month_open, name="month_open"),
    path(M, views.month_detail, name="month_detail"),
    path(M + "compute/", views.month_compute, name="month_compute"),
    path(M + "review/", views.month_review, name="month_review"),
    path(M + "reopen/", views.month_reopen, name="month_reopen"),
    path(M + "lock/", views.month_lock, name="month_lock"),
    path(M + "publish/", views.month_publish, name="month_publish"),
    path(M + "history/", views.month_history, name="month_history"),
    path(SHEET, views.unit_sheet, name="unit_sheet"),
    path(SHEET + "entries/new/", views.entry_create, name="entry_create"),
    path(SHEET + "indicators/<int:indicator>/", views.figure_detail, name="figure_detail"),
    path("assessments/entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("assessments/entries/<int:pk>/file/", views.entry_file, name="entry_file"),
]
