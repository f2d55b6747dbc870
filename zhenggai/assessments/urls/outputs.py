"""The outputs pages' addresses: a month's 通报 and ranking files, the trends, and the public
红黑榜 (no login)."""

from django.urls import path

from zhenggai.assessments import output_views as views

urlpatterns = [
    path(
        "assessments/months/<int:pk>/bulletin.docx",
        views.month_bulletin_docx_download,
        name="month_bulletin_docx",
    ),
    path(
        "assessments/months/<int:pk>/ranking.xlsx",
        views.month_ranking_xlsx_download,
        name="month_ranking_xlsx",
    ),
    path("assessments/trends/", views.assessment_trends, name="assessment_trends"),
    path("public/assessments/", views.public_lists_index, name="public_lists_index"),
    path("public/assessments/<int:pk>/", views.public_lists, name="public_lists"),
]
