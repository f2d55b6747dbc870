"""URLs of this area (included from zhenggai.urls)."""

urlpatterns: list = []
