"""Pages of a list: `?limit=&offset=`, at most API_MAX_PAGE rows."""

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    default_limit = 50

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE
