"""The communication plan and the staff FAQ, in the ``people`` namespace."""

from django.urls import path

from . import communication_views as views

urlpatterns = [
    path("", views.communication, name="communication"),
    path("new/", views.communication_new, name="communication_new"),
    path("starter/", views.communication_starter, name="communication_starter"),
    path(
        "<int:communicationitem_id>/edit/",
        views.communication_edit,
        name="communication_edit",
    ),
    path(
        "<int:communicationitem_id>/delete/",
        views.communication_delete,
        name="communication_delete",
    ),
    path(
        "<int:communicationitem_id>/done/",
        views.communication_done,
        name="communication_done",
    ),
    path("faq/new/", views.faq_new, name="faq_new"),
    path("faq/starter/", views.faq_starter, name="faq_starter"),
    path("faq/<int:faqentry_id>/edit/", views.faq_edit, name="faq_edit"),
    path("faq/<int:faqentry_id>/delete/", views.faq_delete, name="faq_delete"),
    path("faq/<int:faqentry_id>/move/", views.faq_move, name="faq_move"),
]
