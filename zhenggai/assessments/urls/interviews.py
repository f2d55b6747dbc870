"""The interviews pages' addresses."""

urlpatterns = []
