"""The evaluation office's push keys: pages of the interface (the project's access matrix
covers them), apart from the push endpoint itself (the API's schema sweep covers that)."""

from django.urls import path

from zhenggai.api import push_key_views

urlpatterns = [
    path("evaluations/push-keys/", push_key_views.push_keys, name="push_keys"),
    path(
        "evaluations/push-keys/<int:pk>/revoke/",
        push_key_views.push_key_revoke,
        name="push_key_revoke",
    ),
]
