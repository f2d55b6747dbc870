"""The months pages' addresses."""

urlpatterns = []
