"""URLs of the 调度 sheet (included from zhenggai.urls)."""

from django.urls import path

from zhenggai.supervision import dispatch_views

urlpatterns = [
    path("dispatch/", dispatch_views.dispatch_sheet, name="dispatch_sheet"),
    path("dispatch/sheet.xlsx", dispatch_views.dispatch_xlsx, name="dispatch_xlsx"),
    path("dispatch/sheet.docx", dispatch_views.dispatch_docx, name="dispatch_docx"),
]
