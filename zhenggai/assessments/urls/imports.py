"""The score imports pages' addresses."""

urlpatterns = []
