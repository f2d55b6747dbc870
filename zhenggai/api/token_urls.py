"""A person's own API tokens: pages of the interface (the project's access matrix covers them),
apart from the API's own addresses (its schema sweep covers those)."""

from django.urls import path

from zhenggai.api import token_views

urlpatterns = [
    path("my/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("my/api-tokens/<int:pk>/revoke/", token_views.api_token_revoke, name="api_token_revoke"),
]
