from django.urls import path

from zhenggai.evaluations import point_views as views
from zhenggai.evaluations import public_views as public

urlpatterns = [
    # The public rating page: short, as it is printed under each QR code.
    path("r/<str:code>/", public.rate, name="rate"),
    path("r/<str:code>/thanks/", public.rate_thanks, name="rate_thanks"),
    path("evaluations/points/", views.point_list, name="point_list"),
    path("evaluations/points/new/", views.point_create, name="point_create"),
    path("evaluations/points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path(
        "evaluations/points/<int:pk>/deactivate/",
        views.point_deactivate,
        name="point_deactivate",
    ),
    path("evaluations/points/<int:pk>/poster.pdf", views.point_poster, name="point_poster"),
    path(
        "evaluations/units/<int:unit_pk>/posters.pdf",
        views.unit_posters,
        name="unit_posters",
    ),
]
