"""The assessment pages' addresses, one module per area (each lists the views of its own)."""

from zhenggai.assessments.urls import imports, interviews, months, outputs, schemes

urlpatterns = [
    *schemes.urlpatterns,
    *months.urlpatterns,
    *outputs.urlpatterns,
    *interviews.urlpatterns,
    *imports.urlpatterns,
]
