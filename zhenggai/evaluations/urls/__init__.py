"""The evaluation pages' addresses, one module per area (each lists the views of its own)."""

from zhenggai.evaluations.urls import bulletins, handling, imports, points, statistics

urlpatterns = [
    *points.urlpatterns,
    *statistics.urlpatterns,
    *handling.urlpatterns,
    *bulletins.urlpatterns,
    *imports.urlpatterns,
]
