"""The works council's record, in the ``people`` namespace. A document is named by its entry and
``?document=`` (it has no organisation of its own); its deletion ends in ``remove/``, since
``…/<model>_id/delete/`` is the deletion of the entry itself (``tests/test_deletions.py``)."""

from django.urls import path

from . import council_views as views

urlpatterns = [
    path("", views.council, name="council"),
    path("systems/<int:aisystem_id>/", views.council_system, name="council_system"),
    path("entries/new/", views.council_event_new, name="council_event_new"),
    path("entries/<int:councilevent_id>/", views.council_event, name="council_event"),
    path(
        "entries/<int:councilevent_id>/edit/", views.council_event_edit, name="council_event_edit"
    ),
    path(
        "entries/<int:councilevent_id>/delete/",
        views.council_event_delete,
        name="council_event_delete",
    ),
    path(
        "entries/<int:councilevent_id>/document/",
        views.council_document,
        name="council_document",
    ),
    path(
        "entries/<int:councilevent_id>/document/remove/",
        views.council_document_delete,
        name="council_document_delete",
    ),
]
