"""The schemes pages' addresses."""

urlpatterns = []
