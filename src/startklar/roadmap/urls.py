from django.urls import path

from . import digestviews, views

app_name = "roadmap"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("new/", views.add, name="add"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/moves/", views.move_preview, name="move_preview"),
    path("items/<int:item_id>/done/", views.done, name="done"),
    path("items/<int:item_id>/owner/", views.assign, name="assign"),
    path("items/<int:item_id>/delete/", views.delete, name="delete"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/settings/", views.settings, name="settings"),
    path("proposals/dismiss/", views.dismiss, name="dismiss"),
    path("proposals/dismissed/<int:dismissal_id>/back/", views.take_back, name="take_back"),
    path("competences/", views.competences, name="competences"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/roadmap.ics", views.download, name="download"),
    path("calendar/address/", views.feed_create, name="feed_create"),
    path("calendar/address/<int:calendarfeed_id>/off/", views.feed_revoke, name="feed_revoke"),
    path("calendar/e-mail/", digestviews.digest_setting, name="digest_setting"),
]
