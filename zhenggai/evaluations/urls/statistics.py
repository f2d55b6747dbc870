from django.urls import path

from zhenggai.evaluations import statistics_views as views

urlpatterns = [
    path("evaluations/", views.evaluation_home, name="evaluation_home"),
    path("evaluations/units/<int:pk>/", views.evaluation_unit, name="evaluation_unit"),
    path("evaluations/ratings/", views.rating_list, name="rating_list"),
]
