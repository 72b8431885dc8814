"""The calendar addresses that calendar programs fetch: outside any organisation and without
a session, opened by the secret in the address alone."""

from django.urls import path

from . import feedviews

app_name = "roadmap_feed"

urlpatterns = [
    path("<str:secret>/roadmap.ics", feedviews.feed, name="feed"),
]
