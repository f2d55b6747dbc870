from django.urls import path

from zhenggai.evaluations import handling_views as views

urlpatterns = [
    path("evaluations/ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path(
        "evaluations/ratings/<int:pk>/callbacks/new/",
        views.callback_create,
        name="callback_create",
    ),
    path("evaluations/ratings/<int:pk>/appeal/", views.appeal_create, name="appeal_create"),
    path("evaluations/appeals/", views.appeal_list, name="appeal_list"),
    path("evaluations/appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("evaluations/appeals/<int:pk>/evidence/", views.appeal_evidence, name="appeal_evidence"),
]
