from django.urls import path

from zhenggai.evaluations import bulletin_views as views

urlpatterns = [
    path("evaluations/bulletins/", views.bulletin_list, name="bulletin_list"),
    path("evaluations/bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("evaluations/bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path(
        "evaluations/bulletins/<int:pk>/docx/", views.bulletin_docx_download, name="bulletin_docx"
    ),
    path(
        "evaluations/bulletins/<int:pk>/xlsx/", views.bulletin_xlsx_download, name="bulletin_xlsx"
    ),
]
