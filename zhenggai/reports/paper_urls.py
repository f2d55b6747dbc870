"""URLs of this area (included from zhenggai.urls): the three lists and the close-out forms."""

from django.urls import path

from zhenggai.reports import paper_views as views

urlpatterns = [
    path("rounds/<int:pk>/lists.xlsx", views.round_lists_xlsx, name="round_lists_xlsx"),
    path("ledger/lists.xlsx", views.ledger_lists_xlsx, name="ledger_lists_xlsx"),
    path("problems/<int:pk>/closeout.docx", views.problem_closeout, name="problem_closeout_docx"),
    path(
        "problems/<int:pk>/closeout.pdf",
        views.problem_closeout,
        {"pdf": True},
        name="problem_closeout_pdf",
    ),
    path("rounds/<int:pk>/closeout.docx", views.round_closeout, name="round_closeout_docx"),
    path(
        "rounds/<int:pk>/closeout.pdf",
        views.round_closeout,
        {"pdf": True},
        name="round_closeout_pdf",
    ),
]
