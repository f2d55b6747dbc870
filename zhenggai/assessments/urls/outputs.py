"""The outputs pages' addresses."""

urlpatterns = []
