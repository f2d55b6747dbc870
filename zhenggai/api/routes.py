"""Every resource of the API, one module an area, each listing its own ROUTES."""

from rest_framework.routers import DefaultRouter

from zhenggai.api import evaluation_views, measure_views, supervision_views, views

AREAS = (views, measure_views, supervision_views, evaluation_views)


def router() -> DefaultRouter:
    found = DefaultRouter(trailing_slash=True)
    found.include_root_view = False
    for area in AREAS:
        for prefix, viewset, basename in area.ROUTES:
            found.register(prefix, viewset, basename=basename)
    return found
