"""URLs of this area (included from zhenggai.urls): the public's lookup of an opinion's reply."""

from django.urls import path

from zhenggai.public import views

urlpatterns = [
    path("public/opinions/track/", views.opinion_track, name="public_opinion_track"),
]
