"""The interviews pages' addresses: 约谈 and the clues handed to the discipline group."""

from django.urls import path

from zhenggai.assessments import interview_views as views

urlpatterns = [
    path("assessments/interviews/", views.interview_list, name="interview_list"),
    path("assessments/interviews/new/", views.interview_create, name="interview_create"),
    path("assessments/interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path(
        "assessments/interviews/<int:pk>/schedule/",
        views.interview_schedule,
        name="interview_schedule",
    ),
    path(
        "assessments/interviews/<int:pk>/record/", views.interview_record, name="interview_record"
    ),
    path("assessments/clues/", views.clue_list, name="clue_list"),
    path("assessments/clues/new/", views.clue_create, name="clue_create"),
    path("assessments/clues/<int:pk>/receive/", views.clue_receive, name="clue_receive"),
]
