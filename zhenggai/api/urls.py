"""The API under /api/v1/, its OpenAPI schema at /api/schema/ and its documentation page."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from zhenggai.api.routes import router

# Swagger UI sets style attributes as it draws: allowed on this page only, scripts still only
# from our own static files.
docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema")
)

urlpatterns = [
    path("api/v1/", include(router().urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", docs, name="api_docs"),
]
