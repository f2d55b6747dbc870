"""URLs of this area (included from zhenggai.urls): the print of an order, its answer's files."""

from django.urls import path

from zhenggai.supervision import views

urlpatterns = [
    path(
        "escalations/<int:pk>/print.docx",
        views.order_print,
        {"format": "docx"},
        name="order_docx",
    ),
    path(
        "escalations/<int:pk>/print.pdf",
        views.order_print,
        {"format": "pdf"},
        name="order_pdf",
    ),
    path(
        "escalations/attachments/<int:pk>/",
        views.order_attachment,
        name="order_attachment",
    ),
]
